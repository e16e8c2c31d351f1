// The change feed: partitions by role, pages that never split a seq, and incremental reads after a
// write made through Database::beginTenantWrite (as every server writer does).
#include "server/database.h"
#include "tests/support/testserver.h"

#include <QDir>
#include <QJsonArray>
#include <QSet>
#include <QTcpServer>
#include <QTest>

#include <unistd.h>

#include <map>
#include <memory>

using namespace Qt::Literals::StringLiterals;
using outpost::server::Database;
using outpost::test::HttpReply;
using outpost::test::TestServer;

namespace {

// A throwaway PostgreSQL 15 cluster on loopback (QT64-NOTES.md: initdb refuses root, so it runs as
// the postgres user). Stopped and removed with the object.
class PostgresCluster
{
public:
    ~PostgresCluster()
    {
        if (m_started)
            run(bin(u"pg_ctl"_s), {u"-D"_s, m_dir.filePath(u"data"_s), u"-m"_s, u"fast"_s, u"stop"_s});
    }

    // Empty when the cluster could not be made (no PostgreSQL here): *why says what is missing.
    QString start(QString *why)
    {
        const QStringList versions =
            QDir(u"/usr/lib/postgresql"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        if (versions.isEmpty()) {
            *why = u"PostgreSQL is not installed"_s;
            return {};
        }
        m_binDir = u"/usr/lib/postgresql/%1/bin"_s.arg(versions.last());
        if (::geteuid() == 0 && QProcess::execute(u"chown"_s, {u"postgres"_s, m_dir.path()}) != 0) {
            *why = u"cannot hand the cluster folder to the postgres user"_s;
            return {};
        }
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0)) {
            *why = u"no free port"_s;
            return {};
        }
        const QString port = QString::number(probe.serverPort());
        probe.close();
        const QString data = m_dir.filePath(u"data"_s);
        if (!run(bin(u"initdb"_s), {u"-D"_s, data, u"-A"_s, u"trust"_s, u"-U"_s, u"postgres"_s})) {
            *why = u"initdb failed"_s;
            return {};
        }
        m_started =
            run(bin(u"pg_ctl"_s), {u"-D"_s, data, u"-o"_s,
                                   u"-c listen_addresses=127.0.0.1 -p %1 -k %2"_s.arg(port, m_dir.path()),
                                   u"-l"_s, m_dir.filePath(u"log"_s), u"-w"_s, u"start"_s});
        if (!m_started) {
            *why = u"pg_ctl start failed"_s;
            return {};
        }
        if (!run(bin(u"psql"_s), {u"-h"_s, u"127.0.0.1"_s, u"-p"_s, port, u"-U"_s, u"postgres"_s, u"-q"_s,
                                  u"-c"_s, u"CREATE ROLE outpost LOGIN PASSWORD 'pw'"_s, u"-c"_s,
                                  u"CREATE DATABASE outpost OWNER outpost"_s})) {
            *why = u"cannot create the database"_s;
            return {};
        }
        return u"postgresql://outpost:pw@127.0.0.1:%1/outpost"_s.arg(port);
    }

private:
    QString bin(const QString &name) const { return m_binDir + u'/' + name; }
    bool run(const QString &program, const QStringList &args)
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        if (::geteuid() == 0)
            p.start(u"runuser"_s, QStringList{u"-u"_s, u"postgres"_s, u"--"_s, program} + args);
        else
            p.start(program, args);
        if (!p.waitForFinished(60000)) {
            p.kill();
            p.waitForFinished();
            return false;
        }
        const bool ok = p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
        if (!ok)
            qWarning("%s: %s", qPrintable(program), p.readAll().constData());
        return ok;
    }

    QTemporaryDir m_dir;
    QString m_binDir;
    bool m_started = false;
};

// table -> number of rows, and the account ids, of a whole feed.
QString feedSummary(const QJsonObject &feed)
{
    QStringList parts;
    const QJsonObject tables = feed.value(u"tables"_s).toObject();
    for (auto it = tables.begin(); it != tables.end(); ++it)
        parts << it.key() + u'=' + QString::number(it.value().toArray().size());
    QStringList accounts;
    for (const QJsonValue &a : tables.value(u"accounts"_s).toArray())
        accounts << a.toObject().value(u"code"_s).toString();
    accounts.sort();
    return parts.join(u' ') + u" accounts: "_s + accounts.join(u',');
}

} // namespace

class TstChanges : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void sinceZeroServesTheCallersPartitions_data();
    void sinceZeroServesTheCallersPartitions();
    void repGetsOnlyItsTerritory();
    void pagingNeverSplitsASeq_data();
    void pagingNeverSplitsASeq();
    void afterAWriteOnlyTheChangeComes();
    void anotherRepsChangeStaysInvisible();
    void postgresServesTheSameFeed_data();
    void postgresServesTheSameFeed();
    void cleanupTestCase();

private:
    HttpReply feed(const QByteArray &token, qint64 since, qint64 limit, const QString &partitions = {});
    // Runs `writes` in one tenant write transaction of demo; returns the seq it got.
    qint64 writeDemo(const std::function<bool(Database &, qint64 seq)> &writes);

    TestServer m_server;
    QHash<QString, QByteArray> m_tokens;
    // PostgreSQL comparison: servers end before the cluster does.
    std::unique_ptr<PostgresCluster> m_pg;
    std::unique_ptr<TestServer> m_onPostgres;
    std::unique_ptr<TestServer> m_onSqlite;
    QString m_pgUrl;
    QString m_pgWhy;
};

void TstChanges::initTestCase()
{
    QVERIFY(m_server.seed());
    QVERIFY(m_server.start());
    for (const QString &user : {u"rep1"_s, u"rep2"_s, u"manager1"_s, u"kiosk1"_s}) {
        m_tokens.insert(user, m_server.login(u"demo"_s, user));
        QVERIFY(!m_tokens.value(user).isEmpty());
    }
}

HttpReply TstChanges::feed(const QByteArray &token, qint64 since, qint64 limit, const QString &partitions)
{
    QString path = u"/v1/changes?since=%1&limit=%2"_s.arg(since).arg(limit);
    if (!partitions.isEmpty())
        path += u"&partitions="_s + partitions;
    return m_server.get(path, token);
}

qint64 TstChanges::writeDemo(const std::function<bool(Database &, qint64)> &writes)
{
    auto opened = Database::open(m_server.dbPath());
    if (!opened)
        return -1;
    std::unique_ptr<Database> db(*opened);
    auto tenant = db->exec(u"SELECT id FROM tenants WHERE code = 'demo'"_s);
    if (!tenant || !tenant->next())
        return -1;
    auto seq = db->beginTenantWrite(tenant->value(0).toLongLong());
    if (!seq)
        return -1;
    if (!writes(*db, *seq)) {
        db->rollback();
        return -1;
    }
    return db->commit() ? *seq : -1;
}

void TstChanges::sinceZeroServesTheCallersPartitions_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("partitions");
    QTest::addColumn<QStringList>("tables");
    const QStringList catalogStock{u"categories"_s,   u"products"_s,    u"promotions"_s,
                                   u"stock_levels"_s, u"tax_classes"_s, u"warehouses"_s};
    const QStringList all =
        catalogStock + QStringList{u"account_reps"_s,       u"accounts"_s,        u"addresses"_s,
                                   u"contacts"_s,           u"contract_prices"_s, u"orders"_s,
                                   u"price_list_entries"_s, u"price_lists"_s};
    QTest::newRow("kioskCatalogAndStockOnly") << u"kiosk1"_s << QString() << catalogStock;
    QTest::newRow("repEverything") << u"rep1"_s << QString() << all;
    QTest::newRow("managerEverything") << u"manager1"_s << QString() << all;
    QTest::newRow("repAskedForStock") << u"rep1"_s << u"stock"_s << QStringList{u"stock_levels"_s};
    QTest::newRow("repAskedForPrices")
        << u"rep1"_s << u"prices"_s
        << QStringList{u"contract_prices"_s, u"price_list_entries"_s, u"price_lists"_s};
}

void TstChanges::sinceZeroServesTheCallersPartitions()
{
    QFETCH(QString, user);
    QFETCH(QString, partitions);
    QFETCH(QStringList, tables);
    const HttpReply r = feed(m_tokens.value(user), 0, 10000, partitions);
    QCOMPARE(r.status, 200);
    QStringList keys = r.json.value(u"tables"_s).toObject().keys();
    keys.sort();
    QStringList expected = tables;
    expected.sort();
    QCOMPARE(keys, expected);
    QCOMPARE(r.json.value(u"since"_s).toInteger(), 0);
    QVERIFY(r.json.value(u"upto"_s).toInteger() > 0);
    // Every row's seq is within (since, upto]; columns are camelCase, no tenant id.
    const QJsonObject t = r.json.value(u"tables"_s).toObject();
    for (auto it = t.begin(); it != t.end(); ++it) {
        for (const QJsonValue &row : it.value().toArray()) {
            const qint64 seq = row.toObject().value(u"seq"_s).toInteger();
            QVERIFY(seq > 0 && seq <= r.json.value(u"upto"_s).toInteger());
            QVERIFY(!row.toObject().contains(u"tenantId"_s));
        }
    }
    if (t.contains(u"products"_s)) {
        const QJsonObject p = t.value(u"products"_s).toArray().first().toObject();
        QVERIFY(p.value(u"listPriceMinor"_s).isDouble());
        QVERIFY(p.contains(u"casePack"_s));
    }
}

void TstChanges::repGetsOnlyItsTerritory()
{
    const HttpReply list = m_server.get(u"/v1/accounts?limit=500"_s, m_tokens.value(u"rep1"_s));
    QCOMPARE(list.status, 200);
    QSet<qint64> own;
    for (const QJsonValue &a : list.json.value(u"items"_s).toArray())
        own.insert(a.toObject().value(u"id"_s).toInteger());
    QVERIFY(!own.isEmpty());

    const HttpReply r = feed(m_tokens.value(u"rep1"_s), 0, 10000, u"accounts,prices"_s);
    QCOMPARE(r.status, 200);
    const QJsonObject t = r.json.value(u"tables"_s).toObject();
    QSet<qint64> fed;
    for (const QJsonValue &a : t.value(u"accounts"_s).toArray())
        fed.insert(a.toObject().value(u"id"_s).toInteger());
    QCOMPARE(fed, own);
    for (const QString &table : {u"addresses"_s, u"contacts"_s, u"contract_prices"_s}) {
        for (const QJsonValue &row : t.value(table).toArray())
            QVERIFY2(own.contains(row.toObject().value(u"accountId"_s).toInteger()), qPrintable(table));
    }
    QSet<qint64> lists;
    for (const QJsonValue &a : t.value(u"accounts"_s).toArray())
        lists.insert(a.toObject().value(u"priceListId"_s).toInteger());
    for (const QJsonValue &row : t.value(u"price_list_entries"_s).toArray())
        QVERIFY(lists.contains(row.toObject().value(u"priceListId"_s).toInteger()));
}

void TstChanges::pagingNeverSplitsASeq_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<int>("limit");
    QTest::newRow("managerLimit1") << u"manager1"_s << 1;
    QTest::newRow("managerLimit7") << u"manager1"_s << 7;
    QTest::newRow("repLimit50") << u"rep1"_s << 50;
    QTest::newRow("kioskLimit3") << u"kiosk1"_s << 3;
}

void TstChanges::pagingNeverSplitsASeq()
{
    QFETCH(QString, user);
    QFETCH(int, limit);
    const QByteArray token = m_tokens.value(user);

    const HttpReply whole = feed(token, 0, 10000);
    QCOMPARE(whole.status, 200);
    QVERIFY(!whole.json.value(u"more"_s).toBool());
    std::map<qint64, int> wholeCounts;
    const QJsonObject wt = whole.json.value(u"tables"_s).toObject();
    for (auto it = wt.begin(); it != wt.end(); ++it)
        for (const QJsonValue &row : it.value().toArray())
            ++wholeCounts[row.toObject().value(u"seq"_s).toInteger()];

    std::map<qint64, int> pagedCounts;
    qint64 since = 0;
    int pages = 0;
    bool more = true;
    while (more) {
        QVERIFY(++pages < 1000);
        const HttpReply r = feed(token, since, limit);
        QCOMPARE(r.status, 200);
        const qint64 upto = r.json.value(u"upto"_s).toInteger();
        QCOMPARE(r.json.value(u"since"_s).toInteger(), since);
        QVERIFY(upto >= since);
        const QJsonObject t = r.json.value(u"tables"_s).toObject();
        for (auto it = t.begin(); it != t.end(); ++it) {
            for (const QJsonValue &row : it.value().toArray()) {
                const qint64 seq = row.toObject().value(u"seq"_s).toInteger();
                QVERIFY(seq > since && seq <= upto);
                ++pagedCounts[seq];
            }
        }
        more = r.json.value(u"more"_s).toBool();
        since = upto;
    }
    QVERIFY(pages > 1);
    // Together the pages hold exactly the single answer: a seq is never split or repeated.
    QVERIFY(pagedCounts == wholeCounts);
    QCOMPARE(since, whole.json.value(u"upto"_s).toInteger());
}

void TstChanges::afterAWriteOnlyTheChangeComes()
{
    const QByteArray token = m_tokens.value(u"manager1"_s);
    const HttpReply first = feed(token, 0, 10000);
    QCOMPARE(first.status, 200);
    const qint64 cursor = first.json.value(u"upto"_s).toInteger();
    const qint64 productId = first.json.value(u"tables"_s)
                                 .toObject()
                                 .value(u"products"_s)
                                 .toArray()
                                 .first()
                                 .toObject()
                                 .value(u"id"_s)
                                 .toInteger();
    const qint64 promotionId = first.json.value(u"tables"_s)
                                   .toObject()
                                   .value(u"promotions"_s)
                                   .toArray()
                                   .first()
                                   .toObject()
                                   .value(u"id"_s)
                                   .toInteger();

    // Nothing new yet.
    const HttpReply idle = feed(token, cursor, 10000);
    QCOMPARE(idle.json.value(u"upto"_s).toInteger(), cursor);
    QCOMPARE(idle.json.value(u"deleted"_s).toArray().size(), 0);

    const qint64 seq = writeDemo([&](Database &db, qint64 s) {
        return db.exec(u"UPDATE products SET name = 'Renamed in test', seq = ? WHERE id = ?"_s,
                       {s, productId})
                   .ok() &&
               db.exec(u"DELETE FROM promotions WHERE id = ?"_s, {promotionId}).ok() &&
               db.exec(u"INSERT INTO tombstones (tenant_id, entity, entity_id, account_id, seq)"
                       " SELECT id, 'promotions', ?, NULL, ? FROM tenants WHERE code = 'demo'"_s,
                       {QString::number(promotionId), s})
                   .ok();
    });
    QVERIFY(seq > cursor);

    const HttpReply next = feed(token, cursor, 10000);
    QCOMPARE(next.status, 200);
    QCOMPARE(next.json.value(u"upto"_s).toInteger(), seq);
    QVERIFY(!next.json.value(u"more"_s).toBool());
    const QJsonObject t = next.json.value(u"tables"_s).toObject();
    for (auto it = t.begin(); it != t.end(); ++it) {
        if (it.key() == u"products"_s)
            continue;
        QVERIFY2(it.value().toArray().isEmpty(), qPrintable(it.key()));
    }
    const QJsonArray products = t.value(u"products"_s).toArray();
    QCOMPARE(products.size(), 1);
    QCOMPARE(products.first().toObject().value(u"id"_s).toInteger(), productId);
    QCOMPARE(products.first().toObject().value(u"name"_s).toString(), u"Renamed in test"_s);
    const QJsonArray deleted = next.json.value(u"deleted"_s).toArray();
    QCOMPARE(deleted.size(), 1);
    QCOMPARE(deleted.first().toObject().value(u"entity"_s).toString(), u"promotions"_s);
    QCOMPARE(deleted.first().toObject().value(u"id"_s).toString(), QString::number(promotionId));

    // A kiosk sees the same catalog change.
    const HttpReply kiosk = feed(m_tokens.value(u"kiosk1"_s), cursor, 10000);
    QCOMPARE(kiosk.json.value(u"tables"_s).toObject().value(u"products"_s).toArray().size(), 1);
}

void TstChanges::anotherRepsChangeStaysInvisible()
{
    const QByteArray rep1 = m_tokens.value(u"rep1"_s);
    const HttpReply first = feed(rep1, 0, 10000);
    const qint64 cursor = first.json.value(u"upto"_s).toInteger();
    const HttpReply rep2Accounts = m_server.get(u"/v1/accounts"_s, m_tokens.value(u"rep2"_s));
    const qint64 rep2Account =
        rep2Accounts.json.value(u"items"_s).toArray().first().toObject().value(u"id"_s).toInteger();
    QVERIFY(rep2Account > 0);

    const qint64 seq = writeDemo([&](Database &db, qint64 s) {
        return db
            .exec(
                u"UPDATE accounts SET notes = 'seen by rep2 only', version = version + 1, seq = ? WHERE id = ?"_s,
                {s, rep2Account})
            .ok();
    });
    QVERIFY(seq > cursor);

    const HttpReply mine = feed(rep1, cursor, 10000);
    QCOMPARE(mine.status, 200);
    QCOMPARE(mine.json.value(u"upto"_s).toInteger(), seq); // the cursor moves on
    const QJsonObject t = mine.json.value(u"tables"_s).toObject();
    for (auto it = t.begin(); it != t.end(); ++it)
        QVERIFY2(it.value().toArray().isEmpty(), qPrintable(it.key()));

    const HttpReply theirs = feed(m_tokens.value(u"rep2"_s), cursor, 10000, u"accounts"_s);
    const QJsonArray accounts = theirs.json.value(u"tables"_s).toObject().value(u"accounts"_s).toArray();
    QCOMPARE(accounts.size(), 1);
    QCOMPARE(accounts.first().toObject().value(u"id"_s).toInteger(), rep2Account);
}

void TstChanges::postgresServesTheSameFeed_data()
{
    QTest::addColumn<QString>("user");
    QTest::newRow("rep1") << u"rep1"_s;
    QTest::newRow("manager1") << u"manager1"_s;
    QTest::newRow("kiosk1") << u"kiosk1"_s;
}

// The same seed on PostgreSQL answers the same feed as on SQLite (before this test case's own writes:
// a fresh SQLite server is compared).
void TstChanges::postgresServesTheSameFeed()
{
    QFETCH(QString, user);
    if (!m_pg) {
        m_pg = std::make_unique<PostgresCluster>();
        m_pgUrl = m_pg->start(&m_pgWhy);
        if (!m_pgUrl.isEmpty()) {
            m_onPostgres = std::make_unique<TestServer>();
            m_onSqlite = std::make_unique<TestServer>();
            QByteArray output;
            QCOMPARE(
                m_onPostgres->runCommand({u"seed"_s, u"--db"_s, m_pgUrl, u"--size"_s, u"tiny"_s}, &output),
                0);
            QVERIFY(m_onPostgres->start({u"--db"_s, m_pgUrl}));
            QVERIFY(m_onSqlite->seed());
            QVERIFY(m_onSqlite->start());
        }
    }
    if (m_pgUrl.isEmpty())
        QSKIP(qPrintable(u"no PostgreSQL cluster: "_s + m_pgWhy));
    TestServer &onPostgres = *m_onPostgres;
    TestServer &onSqlite = *m_onSqlite;

    const HttpReply health = onPostgres.get(u"/v1/health"_s);
    QCOMPARE(health.json.value(u"dialect"_s).toString(), u"postgresql"_s);
    const HttpReply pg =
        onPostgres.get(u"/v1/changes?since=0&limit=10000"_s, onPostgres.login(u"demo"_s, user));
    const HttpReply lite =
        onSqlite.get(u"/v1/changes?since=0&limit=10000"_s, onSqlite.login(u"demo"_s, user));
    QCOMPARE(pg.status, 200);
    QCOMPARE(lite.status, 200);
    QCOMPARE(feedSummary(pg.json), feedSummary(lite.json));
    QCOMPARE(pg.json.value(u"upto"_s).toInteger(), lite.json.value(u"upto"_s).toInteger());

    // Token rotation answers alike: rotate, repeat (another pair), use one, rotate it, and the
    // first token once more is reuse.
    for (TestServer *server : {&onPostgres, &onSqlite}) {
        const QString where = server == &onPostgres ? u"postgresql"_s : u"sqlite"_s;
        const HttpReply signIn = server->signIn(u"demo"_s, user, u"rotation-"_s + user);
        const QJsonObject token{{u"refreshToken"_s, signIn.json.value(u"refreshToken"_s)}};
        const HttpReply first = server->post(u"/v1/auth/refresh"_s, token);
        const HttpReply repeated = server->post(u"/v1/auth/refresh"_s, token);
        QVERIFY2(first.status == 200 && repeated.status == 200, qPrintable(where));
        QCOMPARE(server->get(u"/v1/me"_s, repeated.json.value(u"accessToken"_s).toString().toLatin1()).status, 200);
        const HttpReply next = server->post(u"/v1/auth/refresh"_s,
                                            {{u"refreshToken"_s, repeated.json.value(u"refreshToken"_s)}});
        QVERIFY2(next.status == 200, qPrintable(where));
        const HttpReply reused = server->post(u"/v1/auth/refresh"_s, token);
        QVERIFY2(reused.errorCode() == u"auth.refresh_reused"_s, qPrintable(where + u": "_s + reused.errorCode()));
    }
}

void TstChanges::cleanupTestCase()
{
    m_onPostgres.reset();
    m_onSqlite.reset();
    m_pg.reset();
}

QTEST_GUILESS_MAIN(TstChanges)
#include "tst_changes.moc"
