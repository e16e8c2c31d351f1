#include "tests/reliability/syncharness.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QUrlQuery>
#include <QUuid>

using namespace Qt::Literals::StringLiterals;

namespace outpost::test {

namespace {

// First present key of `keys` in `o`.
QJsonValue firstOf(const QJsonObject &o, std::initializer_list<QString> keys)
{
    for (const QString &k : keys) {
        if (o.contains(k))
            return o.value(k);
    }
    return QJsonValue(QJsonValue::Undefined);
}

qint64 countOf(const QJsonValue &v)
{
    if (v.isDouble())
        return qint64(v.toDouble());
    if (v.isArray())
        return v.toArray().size();
    if (v.isObject()) {
        const QJsonValue inner = firstOf(v.toObject(), {u"count"_s, u"total"_s});
        if (inner.isDouble())
            return qint64(inner.toDouble());
    }
    return -1;
}

QJsonArray arrayOf(const QJsonDocument &doc, const QString &key)
{
    if (doc.isArray())
        return doc.array();
    return doc.object().value(key).toArray();
}

QString textOf(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isObject())
        return firstOf(v.toObject(), {u"outcome"_s, u"status"_s, u"code"_s}).toString();
    return {};
}

} // namespace

QString syncExecutable()
{
    return QStringLiteral(OUTPOST_SYNC_EXE);
}

QByteArray CliRun::describe() const
{
    QByteArray text = "outpost-sync " + args.join(u' ').toUtf8() + " -> ";
    if (killed)
        text += "killed";
    else if (timedOut)
        text += "timed out";
    else
        text += "exit " + QByteArray::number(exitCode);
    text += "\nstdout: " + out.right(600) + "\nstderr: " + err.right(1200);
    return text;
}

// ---- CLI JSON views ------------------------------------------------------------------------------

DeviceStatus parseStatus(const QJsonDocument &doc)
{
    DeviceStatus s;
    if (!doc.isObject())
        return s;
    const QJsonObject o = doc.object();
    s.raw = o;
    const QJsonObject outbox = firstOf(o, {u"outbox"_s, u"commands"_s}).toObject();
    s.pending = countOf(firstOf(o, {u"pending"_s, u"pendingCount"_s, u"pendingCommands"_s}));
    if (s.pending < 0)
        s.pending = countOf(firstOf(outbox, {u"pending"_s, u"pendingCount"_s}));
    s.failed = countOf(firstOf(o, {u"failed"_s, u"failedCount"_s, u"failedCommands"_s}));
    if (s.failed < 0)
        s.failed = countOf(firstOf(outbox, {u"failed"_s, u"failedCount"_s}));
    s.conflicts = countOf(firstOf(o, {u"conflicts"_s, u"conflictCount"_s}));

    const QJsonValue verify = firstOf(o, {u"verify"_s, u"checksums"_s, u"verification"_s});
    if (verify.isObject()) {
        const QJsonObject v = verify.toObject();
        s.verified = true;
        const QJsonValue match = firstOf(v, {u"match"_s, u"matches"_s, u"ok"_s, u"equal"_s});
        s.checksumsMatch = match.toBool(false);
        const QJsonValue parts = firstOf(v, {u"mismatched"_s, u"mismatches"_s, u"differ"_s});
        for (const QJsonValue &p : parts.toArray())
            s.mismatched << (p.isString() ? p.toString() : textOf(p.toObject().value(u"partition"_s)));
        // Per-partition {"prices":{"match":true}, ...} without a top-level verdict.
        if (!match.isBool()) {
            const QJsonObject partitions = firstOf(v, {u"partitions"_s}).toObject();
            bool all = !partitions.isEmpty();
            for (auto it = partitions.begin(); it != partitions.end(); ++it) {
                const bool m = firstOf(it->toObject(), {u"match"_s, u"matches"_s, u"ok"_s}).toBool(false);
                if (!m) {
                    all = false;
                    s.mismatched << it.key();
                }
            }
            s.checksumsMatch = all;
        }
    } else if (verify.isBool()) {
        s.verified = true;
        s.checksumsMatch = verify.toBool();
    }
    s.parsed = s.pending >= 0;
    return s;
}

QList<DeviceOrder> parseOrders(const QJsonDocument &doc)
{
    QList<DeviceOrder> list;
    for (const QJsonValue &v : arrayOf(doc, u"orders"_s)) {
        const QJsonObject o = v.toObject();
        DeviceOrder d;
        d.id = firstOf(o, {u"id"_s, u"orderId"_s}).toString();
        d.status = textOf(firstOf(o, {u"status"_s, u"state"_s, u"syncStatus"_s}));
        // The local order's status becomes the server's outcome once it is known.
        d.outcome = textOf(firstOf(o, {u"outcome"_s, u"serverOutcome"_s, u"status"_s}));
        list << d;
    }
    return list;
}

QList<DeviceConflict> parseConflicts(const QJsonDocument &doc)
{
    QList<DeviceConflict> list;
    for (const QJsonValue &v : arrayOf(doc, u"conflicts"_s)) {
        const QJsonObject o = v.toObject();
        DeviceConflict c;
        const QJsonValue id = o.value(u"id"_s);
        c.id = id.isString() ? id.toString() : QString::number(id.toInteger());
        c.entity = o.value(u"entity"_s).toString();
        const QJsonValue record = firstOf(o, {u"recordId"_s, u"entityId"_s, u"rowId"_s});
        c.recordId = record.isString() ? record.toString().toLongLong() : record.toInteger();
        c.field = o.value(u"field"_s).toString();
        c.mine = firstOf(o, {u"mine"_s, u"local"_s});
        c.theirs = firstOf(o, {u"theirs"_s, u"server"_s, u"remote"_s});
        list << c;
    }
    return list;
}

// ---- SyncDevice ----------------------------------------------------------------------------------

SyncDevice::SyncDevice(QString replicaPath, QString name, qint64 clockOffsetSeconds)
    : m_replica(std::move(replicaPath)), m_name(std::move(name)), m_clockOffset(clockOffsetSeconds)
{
}

QStringList SyncDevice::fullArgs(const QStringList &args) const
{
    QStringList full{u"--replica"_s, m_replica};
    if (m_clockOffset != 0)
        full << u"--clock-offset"_s << QString::number(m_clockOffset);
    return full + args;
}

std::unique_ptr<QProcess> SyncDevice::start(const QStringList &args) const
{
    auto p = std::make_unique<QProcess>();
    p->setProgram(syncExecutable());
    p->setArguments(fullArgs(args));
    p->start();
    return p;
}

CliRun SyncDevice::finish(QProcess &process, const QStringList &args, std::chrono::milliseconds timeout)
{
    CliRun r;
    r.args = args;
    if (process.state() == QProcess::Starting && !process.waitForStarted(int(timeout.count()))) {
        r.err = process.errorString().toUtf8();
        return r;
    }
    if (process.state() != QProcess::NotRunning && !process.waitForFinished(int(timeout.count()))) {
        r.timedOut = true;
        process.kill();
        process.waitForFinished();
    }
    r.out = process.readAllStandardOutput();
    r.err = process.readAllStandardError();
    if (!r.timedOut && process.exitStatus() == QProcess::NormalExit)
        r.exitCode = process.exitCode();
    return r;
}

CliRun SyncDevice::run(const QStringList &args, std::chrono::milliseconds timeout) const
{
    auto p = start(args);
    return finish(*p, args, timeout);
}

CliRun SyncDevice::runKilledAfter(const QStringList &args, std::chrono::milliseconds after) const
{
    auto p = start(args);
    CliRun r;
    r.args = args;
    if (!p->waitForStarted(int(kCliTimeout.count()))) {
        r.err = p->errorString().toUtf8();
        return r;
    }
    if (!p->waitForFinished(int(after.count())) && p->state() != QProcess::NotRunning) {
        p->kill(); // SIGKILL
        p->waitForFinished();
        r.killed = true;
    }
    r.out = p->readAllStandardOutput();
    r.err = p->readAllStandardError();
    if (!r.killed && p->exitStatus() == QProcess::NormalExit)
        r.exitCode = p->exitCode();
    return r;
}

CliRun SyncDevice::login(const QUrl &server, const QString &user, const QString &deviceId,
                         const QString &tenant, const QString &password) const
{
    return run({u"login"_s, u"--server"_s, server.toString(), u"--tenant"_s, tenant, u"--user"_s, user,
                u"--password"_s, password, u"--device"_s, deviceId});
}

CliRun SyncDevice::sync(const QStringList &extra) const
{
    return run(QStringList{u"sync"_s} + extra);
}

CliRun SyncDevice::createOrder(const QString &accountCode, const QList<QPair<QString, int>> &lines,
                               const QString &note) const
{
    QStringList args{u"order"_s, u"create"_s, u"--account"_s, accountCode};
    for (const auto &[sku, qty] : lines)
        args << u"--line"_s << u"%1:%2"_s.arg(sku).arg(qty);
    if (!note.isEmpty())
        args << u"--note"_s << note;
    return run(args);
}

QString SyncDevice::orderIdOf(const CliRun &run)
{
    const QList<QByteArray> lines = run.out.trimmed().split('\n');
    const QString last = QString::fromUtf8(lines.isEmpty() ? QByteArray() : lines.last().trimmed());
    // Either the bare id or a line ending with it.
    const QString candidate = last.section(u' ', -1);
    return QUuid::fromString(candidate).isNull() ? QString() : candidate.toLower();
}

CliRun SyncDevice::edit(const QString &entity, qint64 id, const QList<QPair<QString, QString>> &fields) const
{
    QStringList args{u"edit"_s, entity, QString::number(id)};
    for (const auto &[field, value] : fields)
        args << field + u'=' + value;
    return run(args);
}

CliRun SyncDevice::resolve(const QString &conflictId, bool keepMine) const
{
    return run({u"resolve"_s, conflictId, keepMine ? u"mine"_s : u"theirs"_s});
}

CliRun SyncDevice::queueCommands(const QJsonArray &commands) const
{
    QJsonArray withIds;
    for (const QJsonValue &v : commands) {
        QJsonObject c = v.toObject();
        c.insert(u"commandId"_s, QUuid::createUuid().toString(QUuid::WithoutBraces));
        withIds.append(c);
    }
    const QString file = m_replica + u".queue-"_s + QUuid::createUuid().toString(QUuid::Id128) + u".json"_s;
    QFile f(file);
    if (!f.open(QIODevice::WriteOnly)
        || f.write(QJsonDocument(QJsonObject{{u"commands"_s, withIds}}).toJson()) < 0) {
        CliRun r;
        r.err = "cannot write " + file.toUtf8();
        return r;
    }
    f.close();
    const CliRun r = run({u"import-pending"_s, file});
    QFile::remove(file);
    return r;
}

std::optional<DeviceStatus> SyncDevice::status(bool verify, QByteArray *why) const
{
    QStringList args{u"status"_s, u"--json"_s};
    if (verify)
        args << u"--verify"_s;
    const CliRun r = run(args);
    const DeviceStatus s = parseStatus(r.json());
    if (!s.parsed) {
        if (why)
            *why = r.describe();
        return std::nullopt;
    }
    return s;
}

std::optional<QList<DeviceOrder>> SyncDevice::orders(QByteArray *why) const
{
    const CliRun r = run({u"orders"_s, u"--json"_s});
    const QJsonDocument doc = r.json();
    if (r.exitCode != 0 || doc.isNull()) {
        if (why)
            *why = r.describe();
        return std::nullopt;
    }
    return parseOrders(doc);
}

std::optional<QList<DeviceConflict>> SyncDevice::conflicts(QByteArray *why) const
{
    const CliRun r = run({u"conflicts"_s, u"--json"_s});
    const QJsonDocument doc = r.json();
    if (r.exitCode != 0 || doc.isNull()) {
        if (why)
            *why = r.describe();
        return std::nullopt;
    }
    return parseConflicts(doc);
}

bool copyDatabase(const QString &from, const QString &to)
{
    for (const QString &suffix : {QString(), u"-wal"_s}) {
        QFile::remove(to + suffix);
        if (QFile::exists(from + suffix) && !QFile::copy(from + suffix, to + suffix))
            return false;
    }
    QFile::remove(to + u"-shm"_s);
    return true;
}

// ---- ServerSide ----------------------------------------------------------------------------------

ServerSide::ServerSide() : m_connection(u"serverside-"_s + QUuid::createUuid().toString(QUuid::Id128)) {}

ServerSide::~ServerSide()
{
    closeDb();
    m_server.stop();
}

bool ServerSide::openDb()
{
    QSqlDatabase db = QSqlDatabase::contains(m_connection) ? QSqlDatabase::database(m_connection, false)
                                                           : QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connection);
    db.setDatabaseName(m_server.dbPath());
    db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=10000;QSQLITE_OPEN_READONLY"_s);
    return db.isOpen() || db.open();
}

void ServerSide::closeDb()
{
    if (!QSqlDatabase::contains(m_connection))
        return;
    QSqlDatabase::database(m_connection, false).close();
    QSqlDatabase::removeDatabase(m_connection);
}

bool ServerSide::seedAndStart()
{
    return m_server.seed() && m_server.start() && openDb();
}

bool ServerSide::startFromTemplate(const QString &templateDb, const QStringList &serveArgs,
                                   bool expireAccessTokens)
{
    m_serveArgs = serveArgs;
    if (!copyDatabase(templateDb, m_server.dbPath()))
        return false;
    if (expireAccessTokens) {
        const QString name = m_connection + u"-write"_s;
        bool ok = false;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
            db.setDatabaseName(m_server.dbPath());
            QSqlQuery q(db);
            ok = db.open() && q.exec(u"UPDATE sessions SET access_expires_at = '2000-01-01T00:00:00.000Z'"_s);
        }
        QSqlDatabase::removeDatabase(name);
        if (!ok)
            return false;
    }
    return m_server.start(m_serveArgs) && openDb();
}

bool ServerSide::crashAndRestart()
{
    m_server.kill();
    return m_server.start(m_serveArgs);
}

QByteArray ServerSide::token(const QString &user)
{
    QByteArray &t = m_tokens[user];
    if (t.isEmpty() || m_server.get(u"/v1/me"_s, t).status != 200)
        t = m_server.login(u"demo"_s, user, u"demo"_s, u"harness-"_s + user);
    return t;
}

std::optional<QHash<QString, QString>> ServerSide::orders(const QString &user, int *duplicates)
{
    QHash<QString, QString> all;
    int dup = 0;
    QString after;
    const QByteArray t = token(user);
    for (int page = 0; page < 1000; ++page) {
        QUrlQuery q;
        q.addQueryItem(u"limit"_s, u"500"_s);
        if (!after.isEmpty())
            q.addQueryItem(u"after"_s, after);
        const HttpReply r = m_server.get(u"/v1/orders?"_s + q.toString(QUrl::FullyEncoded), t);
        if (r.status != 200)
            return std::nullopt;
        for (const QJsonValue &v : r.json.value(u"orders"_s).toArray()) {
            const QJsonObject o = v.toObject();
            const QString id = o.value(u"orderId"_s).toString();
            if (all.contains(id))
                ++dup;
            all.insert(id, o.value(u"outcome"_s).toString());
        }
        const QJsonValue next = r.json.value(u"next"_s);
        if (!next.isString())
            break;
        after = next.toString();
    }
    if (duplicates)
        *duplicates = dup;
    return all;
}

bool ServerSide::importPrices(const QByteArray &csv, QByteArray *why)
{
    const HttpReply r = m_server.postRaw(u"/v1/admin/import/prices"_s, csv, token(u"admin"_s), "text/csv");
    if (r.status != 200 && why)
        *why = QByteArray::number(r.status) + ' ' + r.body;
    return r.status == 200;
}

QVariant ServerSide::scalar(const QString &sql, const QVariantList &binds)
{
    if (!openDb())
        return {};
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(sql);
    for (const QVariant &b : binds)
        q.addBindValue(b);
    if (!q.exec() || !q.next())
        return {};
    return q.value(0);
}

QList<qint64> ServerSide::contactIdsOf(const QString &user)
{
    QList<qint64> ids;
    if (!openDb())
        return ids;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(u"SELECT c.id FROM contacts c JOIN account_reps ar ON ar.account_id = c.account_id "
              "JOIN users u ON u.id = ar.user_id JOIN tenants t ON t.id = u.tenant_id "
              "WHERE t.code = 'demo' AND u.username = ? ORDER BY c.id"_s);
    q.addBindValue(user);
    if (q.exec()) {
        while (q.next())
            ids << q.value(0).toLongLong();
    }
    return ids;
}

QList<QString> ServerSide::accountCodesOf(const QString &user)
{
    QList<QString> codes;
    if (!openDb())
        return codes;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(u"SELECT a.code FROM accounts a JOIN account_reps ar ON ar.account_id = a.id "
              "JOIN users u ON u.id = ar.user_id JOIN tenants t ON t.id = u.tenant_id "
              "WHERE t.code = 'demo' AND u.username = ? ORDER BY a.code"_s);
    q.addBindValue(user);
    if (q.exec()) {
        while (q.next())
            codes << q.value(0).toString();
    }
    return codes;
}

QString ServerSide::contactField(qint64 contactId, const QString &column)
{
    // Column names come from the tests' own tables, never from input.
    return scalar(u"SELECT %1 FROM contacts WHERE id = ?"_s.arg(column), {contactId}).toString();
}

bool ServerSide::contactExists(qint64 contactId)
{
    return scalar(u"SELECT COUNT(*) FROM contacts WHERE id = ?"_s, {contactId}).toLongLong() == 1;
}

} // namespace outpost::test
