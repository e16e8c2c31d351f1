// Test support: runs the real outpost-server executable on loopback and talks HTTP to it.
// Used by every server test (and later by sync tests). Core/Network/Test only.
#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

namespace outpost::test {

// Path of the built outpost-server (from the OUTPOST_SERVER_EXE compile definition).
QString serverExecutable();

struct HttpReply
{
    int status = 0;           // 0 = transport failure
    QByteArray body;
    QJsonObject json;         // parsed body when it is a JSON object
    QByteArray contentType;
    QString errorCode() const { return json.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(); }
};

// Synchronous HTTP for tests (QNetworkAccessManager + local event loop, 30 s cap).
HttpReply httpRequest(const QByteArray &method, const QUrl &url, const QByteArray &body = {},
                      const QByteArray &bearerToken = {},
                      const QByteArray &contentType = "application/json");

class TestServer
{
public:
    TestServer();
    ~TestServer(); // stops the process

    // Runs `outpost-server seed --db <dir>/server.db --size tiny` (a small fixed dataset with two
    // tenants "demo" and "acme" for isolation tests), once per TestServer, unless seeded already.
    bool seed(const QString &size = QStringLiteral("tiny"));
    // Runs any sub-command against this server's database (seed, import, export); returns exit code,
    // stdout+stderr into *output.
    int runCommand(const QStringList &args, QByteArray *output = nullptr);
    // Starts `serve --db ... --listen 127.0.0.1:0 [extraArgs]` and waits for the URL line.
    bool start(const QStringList &extraArgs = {});
    void stop();      // SIGTERM, wait
    void kill();      // SIGKILL (crash simulation)

    QUrl url(const QString &path = {}) const;
    QString dbPath() const;
    QString dir() const { return m_dir.path(); }

    HttpReply get(const QString &path, const QByteArray &token = {}) const;
    HttpReply post(const QString &path, const QJsonObject &body, const QByteArray &token = {}) const;
    HttpReply postRaw(const QString &path, const QByteArray &body, const QByteArray &token = {},
                      const QByteArray &contentType = "application/json") const;
    HttpReply del(const QString &path, const QByteArray &token = {}) const;

    // POST /v1/auth/login; the whole answer (tokens, user, tenant).
    HttpReply signIn(const QString &tenant, const QString &user, const QString &deviceId,
                     const QString &password = QStringLiteral("demo")) const;
    // POST /v1/auth/login; returns the access token ("" on failure).
    QByteArray login(const QString &tenant, const QString &user, const QString &password = QStringLiteral("demo"),
                     const QString &deviceId = QStringLiteral("test-device")) const;

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    QUrl m_base;
};

} // namespace outpost::test
