// Reliability harness: drives the real `outpost-sync` CLI (one process per command, as a rep's
// device would run it) against the real outpost-server, optionally behind the FaultProxy. Tests
// never reach into the engine: they see exit codes, stdout/stderr and the CLI's --json output, and
// they read the server through its HTTP API (and its database, read-only, for fixture ids).
#pragma once

#include "tests/support/faultproxy.h"
#include "tests/support/testserver.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QProcess>
#include <QSet>
#include <QString>
#include <QStringList>

#include <chrono>
#include <memory>
#include <optional>

namespace outpost::test {

// Path of the built outpost-sync (the OUTPOST_SYNC_EXE compile definition).
QString syncExecutable();

inline constexpr std::chrono::milliseconds kCliTimeout{120000};

// One finished (or killed) CLI process.
struct CliRun
{
    QStringList args;
    int exitCode = -1;   // -1 when it did not exit normally (killed, crashed, timed out)
    bool killed = false; // we SIGKILLed it while it was still running
    bool timedOut = false;
    QByteArray out;
    QByteArray err;

    bool ok() const { return exitCode == 0; }
    QJsonDocument json() const { return QJsonDocument::fromJson(out); }
    QByteArray describe() const; // args, exit code and the tail of stderr, for failure messages
};

// What `status --json` says, reduced to what the tests check.
struct DeviceStatus
{
    bool parsed = false;
    qint64 pending = -1;
    qint64 failed = -1;
    qint64 conflicts = -1;
    bool verified = false;       // --verify ran and compared against the server
    bool checksumsMatch = false; // every partition's checksums equal the server's
    QStringList mismatched;      // partitions (or partition.table) that differ
    QJsonObject raw;
};
DeviceStatus parseStatus(const QJsonDocument &doc);

struct DeviceOrder
{
    QString id;
    QString status;  // local state (pending, sent, ...)
    QString outcome; // the server's outcome once known (accepted, adjusted, held, rejected)
};
QList<DeviceOrder> parseOrders(const QJsonDocument &doc);

struct DeviceConflict
{
    QString id;
    QString entity;
    qint64 recordId = 0;
    QString field;
    QJsonValue mine;
    QJsonValue theirs;
};
QList<DeviceConflict> parseConflicts(const QJsonDocument &doc);

// One replica file, driven by outpost-sync processes.
class SyncDevice
{
public:
    SyncDevice(QString replicaPath, QString name, qint64 clockOffsetSeconds = 0);

    const QString &replicaPath() const { return m_replica; }
    const QString &name() const { return m_name; }
    void setClockOffset(qint64 seconds) { m_clockOffset = seconds; }

    // `outpost-sync --replica FILE [--clock-offset S] <args>`
    CliRun run(const QStringList &args, std::chrono::milliseconds timeout = kCliTimeout) const;
    // Starts the command and SIGKILLs it after `after` unless it ended by then.
    CliRun runKilledAfter(const QStringList &args, std::chrono::milliseconds after) const;
    // Asynchronous: start now, finish later (server restarts while a sync runs).
    std::unique_ptr<QProcess> start(const QStringList &args) const;
    static CliRun finish(QProcess &process, const QStringList &args,
                         std::chrono::milliseconds timeout = kCliTimeout);

    CliRun login(const QUrl &server, const QString &user, const QString &deviceId,
                 const QString &tenant = QStringLiteral("demo"),
                 const QString &password = QStringLiteral("demo")) const;
    CliRun sync(const QStringList &extra = {}) const;
    // Lines are SKU:QTY. On success the new order id is the last non-empty stdout line.
    CliRun createOrder(const QString &accountCode, const QList<QPair<QString, int>> &lines,
                       const QString &note = {}) const;
    static QString orderIdOf(const CliRun &run);
    CliRun edit(const QString &entity, qint64 id, const QList<QPair<QString, QString>> &fields) const;
    CliRun resolve(const QString &conflictId, bool keepMine) const;
    // Queues raw commands ({"kind","entityId","payload"}; a command id is made for each) through
    // `import-pending`: how a test makes a device send record.create / record.delete, which the
    // CLI has no verb for.
    CliRun queueCommands(const QJsonArray &commands) const;

    std::optional<DeviceStatus> status(bool verify, QByteArray *why = nullptr) const;
    std::optional<QList<DeviceOrder>> orders(QByteArray *why = nullptr) const;
    std::optional<QList<DeviceConflict>> conflicts(QByteArray *why = nullptr) const;

private:
    QStringList fullArgs(const QStringList &args) const;

    QString m_replica;
    QString m_name;
    qint64 m_clockOffset = 0;
};

// Copies an SQLite file and its -wal (if any) while nobody has it open.
bool copyDatabase(const QString &from, const QString &to);

// The server side of a scenario: a TestServer, tokens per user, reads over HTTP and SQL.
class ServerSide
{
public:
    ServerSide();
    ~ServerSide();

    TestServer &server() { return m_server; }
    // Fresh seed ("tiny") or a copy of a template database; then serve.
    bool seedAndStart();
    // serveArgs go to every start (and restart) of this server; expireAccessTokens makes every
    // access token of the copy expired, so each device's first call must refresh.
    bool startFromTemplate(const QString &templateDb, const QStringList &serveArgs = {},
                           bool expireAccessTokens = false);
    // SIGKILL and start again with the same arguments (a new port: tell the proxy).
    bool crashAndRestart();
    quint16 port() const { return quint16(m_server.url().port()); }

    QByteArray token(const QString &user);
    // Tokens made against a template database stay valid on its copies: saves a sign-in (argon2)
    // per user per case. token() signs in again when one has expired.
    void presetTokens(const QHash<QString, QByteArray> &tokens) { m_tokens = tokens; }
    const QHash<QString, QByteArray> &tokens() const { return m_tokens; }
    // The server's orders as `user` sees them (GET /v1/orders, all pages): id -> outcome.
    // nullopt when a page could not be read; *duplicates counts ids listed more than once.
    std::optional<QHash<QString, QString>> orders(const QString &user, int *duplicates = nullptr);
    // POST /v1/admin/import/prices as admin; true on 200.
    bool importPrices(const QByteArray &csv, QByteArray *why = nullptr);

    // Read-only SQL on the server database (fixture ids, field values).
    QVariant scalar(const QString &sql, const QVariantList &binds = {});
    QList<qint64> contactIdsOf(const QString &user);
    QList<QString> accountCodesOf(const QString &user);
    QString contactField(qint64 contactId, const QString &column);
    bool contactExists(qint64 contactId);

private:
    bool openDb();
    void closeDb();

    TestServer m_server;
    QString m_connection;
    QHash<QString, QByteArray> m_tokens;
    QStringList m_serveArgs;
};

} // namespace outpost::test
