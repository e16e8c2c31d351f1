// The fault proxy itself, against the real server: a clean proxy is transparent; a request cut on
// its way up never reaches the server; a response cut on its way down leaves a stored command the
// client never heard about (and a replay of it answers the stored body); a duplicated POST reaches
// the server twice; delayed chunks arrive whole and in order; a dead upstream closes the client's
// connection, and a restarted server on a new port is reached through the same proxy URL.
#include "tests/support/faultproxy.h"
#include "tests/support/testserver.h"

#include <QJsonArray>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTest>
#include <QUuid>

using namespace Qt::Literals::StringLiterals;
using namespace outpost::test;

namespace {

QString uuid()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

} // namespace

class TstFaultProxy : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void cleanProxyIsTransparent();
    void cutRequestNeverCompletes_data();
    void cutRequestNeverCompletes();
    void cutResponseLeavesStoredCommand_data();
    void cutResponseLeavesStoredCommand();
    void duplicatedLoginReachesServerTwice();
    void duplicatedOrderIsStoredOnce();
    void delayedChunksArriveWholeAndInOrder();
    void deadUpstreamClosesClientConnection();
    void restartedServerIsReachedThroughSameUrl();

private:
    qint64 scalar(const QString &sql, const QVariantList &binds = {});
    QByteArray orderRequest(const QString &commandId, const QString &orderId) const;
    HttpReply postOrder(const QUrl &base, const QByteArray &body) const;

    TestServer m_server;
    std::unique_ptr<FaultProxy> m_proxy;
    QSqlDatabase m_db;
    QByteArray m_token;
    qint64 m_accountId = 0;
    qint64 m_productId = 0;
};

void TstFaultProxy::initTestCase()
{
    QVERIFY(m_server.seed());
    QVERIFY(m_server.start());
    m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"tst_faultproxy"_s);
    m_db.setDatabaseName(m_server.dbPath());
    m_db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=10000;QSQLITE_OPEN_READONLY"_s);
    QVERIFY(m_db.open());
    m_token = m_server.login(u"demo"_s, u"rep1"_s);
    QVERIFY(!m_token.isEmpty());
    m_accountId = scalar(u"SELECT ar.account_id FROM account_reps ar JOIN users u ON u.id = ar.user_id "
                         "JOIN tenants t ON t.id = u.tenant_id WHERE t.code = 'demo' AND u.username = 'rep1' "
                         "ORDER BY ar.account_id LIMIT 1"_s);
    m_productId = scalar(u"SELECT p.id FROM products p JOIN tenants t ON t.id = p.tenant_id WHERE t.code = 'demo' "
                         "AND p.discontinued = 0 ORDER BY p.id LIMIT 1"_s);
    QVERIFY(m_accountId > 0);
    QVERIFY(m_productId > 0);
}

void TstFaultProxy::cleanupTestCase()
{
    m_proxy.reset();
    m_db.close();
    m_server.stop();
}

void TstFaultProxy::init()
{
    m_proxy = std::make_unique<FaultProxy>(20240601u);
    QVERIFY(m_proxy->start(quint16(m_server.url().port())));
}

qint64 TstFaultProxy::scalar(const QString &sql, const QVariantList &binds)
{
    QSqlQuery q(m_db);
    q.prepare(sql);
    for (const QVariant &b : binds)
        q.addBindValue(b);
    if (!q.exec() || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

QByteArray TstFaultProxy::orderRequest(const QString &commandId, const QString &orderId) const
{
    const QJsonObject line{{u"lineNo"_s, 1}, {u"productId"_s, m_productId}, {u"quantity"_s, 1}};
    const QJsonObject body{{u"commandId"_s, commandId},
                           {u"order"_s, QJsonObject{{u"id"_s, orderId},
                                                    {u"accountId"_s, m_accountId},
                                                    {u"note"_s, u"fault proxy test"_s},
                                                    {u"lines"_s, QJsonArray{line}}}}};
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

HttpReply TstFaultProxy::postOrder(const QUrl &base, const QByteArray &body) const
{
    return httpRequest("POST", QUrl(base.toString() + u"/v1/orders"_s), body, m_token);
}

void TstFaultProxy::cleanProxyIsTransparent()
{
    const HttpReply direct = m_server.get(u"/v1/catalog/categories"_s, m_token);
    const HttpReply proxied = httpRequest("GET", m_proxy->url(u"/v1/catalog/categories"_s), {}, m_token);
    QCOMPARE(proxied.status, 200);
    QCOMPARE(proxied.body, direct.body);

    const QString commandId = uuid();
    const HttpReply order = postOrder(m_proxy->url(), orderRequest(commandId, uuid()));
    QVERIFY2(order.status == 201 || order.status == 200, order.body.constData());
    QCOMPARE(scalar(u"SELECT COUNT(*) FROM commands WHERE command_id = ?"_s, {commandId}), 1);
    const FaultStats s = m_proxy->stats();
    QCOMPARE(s.cuts(), 0);
    QCOMPARE(s.duplicatesSent, 0);
    QCOMPARE(s.requests, 2);
}

void TstFaultProxy::cutRequestNeverCompletes_data()
{
    // Byte offsets into the request: the request line, the headers, the body's first byte region,
    // and one byte short of the end. The request is a few hundred bytes long.
    QTest::addColumn<qint64>("offset");
    QTest::newRow("requestLine") << qint64(3);
    QTest::newRow("headers") << qint64(60);
    QTest::newRow("headerEnd") << qint64(150);
    QTest::newRow("lastByte") << qint64(-1);
}

void TstFaultProxy::cutRequestNeverCompletes()
{
    QFETCH(qint64, offset);
    const QString commandId = uuid();
    const QString orderId = uuid();
    const QByteArray body = orderRequest(commandId, orderId);

    if (offset < 0) {
        // Measure the full request once (same lengths: UUIDs are fixed width) through a clean proxy.
        const QByteArray probe = orderRequest(uuid(), uuid());
        QCOMPARE(probe.size(), body.size());
        FaultConfig count;
        count.cutProbability = 1.0;
        count.cutUpstreamShare = 1.0;
        count.minCutOffset = count.maxCutOffset = 1 << 20; // never reached: counts bytes only
        m_proxy->setFaults(count);
        QVERIFY(postOrder(m_proxy->url(), probe).status / 100 == 2);
        QTRY_VERIFY(m_proxy->stats().bytesUpstream > 0);
        offset = m_proxy->stats().bytesUpstream - 1;
    }

    FaultConfig cfg;
    cfg.cutProbability = 1.0;
    cfg.cutUpstreamShare = 1.0;
    cfg.minCutOffset = cfg.maxCutOffset = offset;
    m_proxy->setFaults(cfg);
    const qint64 cutsBefore = m_proxy->stats().cutsUpstream;

    const qint64 connectionsBefore = m_proxy->stats().connections;
    const HttpReply reply = postOrder(m_proxy->url(), body);
    QCOMPARE(reply.status, 0);
    // Qt's HTTP client resends once on a connection closed before any answer: every attempt is cut.
    const FaultStats s = m_proxy->stats();
    QVERIFY(s.cutsUpstream > cutsBefore);
    QCOMPARE(s.cutsUpstream - cutsBefore, s.connections - connectionsBefore);
    // The server never stored the command or the order. Ask it directly (no proxy in between).
    const HttpReply lookup = m_server.get(u"/v1/orders/"_s + orderId, m_token);
    QCOMPARE(lookup.status, 404);
    QCOMPARE(scalar(u"SELECT COUNT(*) FROM commands WHERE command_id = ?"_s, {commandId}), 0);
}

void TstFaultProxy::cutResponseLeavesStoredCommand_data()
{
    QTest::addColumn<qint64>("offset");
    QTest::newRow("beforeStatusLine") << qint64(0);
    QTest::newRow("inStatusLine") << qint64(10);
    QTest::newRow("inHeaders") << qint64(40);
}

void TstFaultProxy::cutResponseLeavesStoredCommand()
{
    QFETCH(qint64, offset);
    FaultConfig cfg;
    cfg.cutProbability = 1.0;
    cfg.cutUpstreamShare = 0.0;
    cfg.minCutOffset = cfg.maxCutOffset = offset;
    m_proxy->setFaults(cfg);

    const QString commandId = uuid();
    const QString orderId = uuid();
    const QByteArray body = orderRequest(commandId, orderId);
    const HttpReply reply = postOrder(m_proxy->url(), body);
    QCOMPARE(reply.status, 0);
    // Every attempt (Qt's HTTP client may resend on a truncated answer) was cut on its way back.
    const FaultStats s = m_proxy->stats();
    QVERIFY(s.cutsDownstream >= 1);
    QCOMPARE(s.cutsDownstream, s.connections);
    // The request got through: the server stored it although the client never heard back.
    QCOMPARE(scalar(u"SELECT COUNT(*) FROM commands WHERE command_id = ?"_s, {commandId}), 1);

    // Resending the same command through a clean proxy answers the stored outcome; still one order.
    m_proxy->setFaults(FaultConfig::clean());
    const HttpReply replay = postOrder(m_proxy->url(), body);
    QVERIFY2(replay.status / 100 == 2, replay.body.constData());
    const HttpReply direct = m_server.get(u"/v1/orders/"_s + orderId, m_token);
    QCOMPARE(direct.status, 200);
    QCOMPARE(scalar(u"SELECT COUNT(*) FROM orders WHERE id = ?"_s, {orderId}), 1);
}

void TstFaultProxy::duplicatedLoginReachesServerTwice()
{
    FaultConfig cfg;
    cfg.duplicateProbability = 1.0;
    cfg.maxDelay = std::chrono::milliseconds(0);
    m_proxy->setFaults(cfg);
    const QString device = u"dup-"_s + uuid();
    const auto sessions = [&] {
        return scalar(u"SELECT COUNT(*) FROM sessions s JOIN devices d ON d.id = s.device_id "
                      "WHERE d.device_key = ?"_s,
                      {device});
    };
    // The device exists already (a first, direct sign-in), so both sign-ins only add a session.
    QVERIFY(!m_server.login(u"demo"_s, u"rep2"_s, u"demo"_s, device).isEmpty());
    QCOMPARE(sessions(), 1);
    const QJsonObject login{{u"tenant"_s, u"demo"_s},
                            {u"user"_s, u"rep2"_s},
                            {u"password"_s, u"demo"_s},
                            {u"deviceId"_s, device}};
    const HttpReply reply = httpRequest("POST", m_proxy->url(u"/v1/auth/login"_s),
                                        QJsonDocument(login).toJson(QJsonDocument::Compact));
    QCOMPARE(reply.status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(m_proxy->stats().duplicatesAnswered, qint64(1), 30000);
    QCOMPARE(m_proxy->stats().duplicatesSent, 1);
    QCOMPARE(m_proxy->stats().duplicateStatuses.value(200), 1);
    // Two more sign-ins happened on the server: one session for the original, one for the replay.
    QCOMPARE(sessions(), 3);
}

void TstFaultProxy::duplicatedOrderIsStoredOnce()
{
    FaultConfig cfg;
    cfg.duplicateProbability = 1.0;
    cfg.maxDelay = std::chrono::milliseconds(5);
    m_proxy->setFaults(cfg);
    const QString commandId = uuid();
    const QString orderId = uuid();
    const HttpReply reply = postOrder(m_proxy->url(), orderRequest(commandId, orderId));
    QVERIFY2(reply.status / 100 == 2, reply.body.constData());
    QTRY_COMPARE_WITH_TIMEOUT(m_proxy->stats().duplicatesAnswered, qint64(1), 30000);
    // The replay was answered (by the stored outcome or as the first of the two), and idempotency
    // kept it to one command and one order.
    const FaultStats s = m_proxy->stats();
    QCOMPARE(s.duplicateStatuses.size(), 1);
    QCOMPARE(s.duplicateStatuses.firstKey() / 100, 2);
    QCOMPARE(scalar(u"SELECT COUNT(*) FROM commands WHERE command_id = ?"_s, {commandId}), 1);
    QCOMPARE(scalar(u"SELECT COUNT(*) FROM orders WHERE id = ?"_s, {orderId}), 1);
}

void TstFaultProxy::delayedChunksArriveWholeAndInOrder()
{
    FaultConfig cfg;
    cfg.delayProbability = 1.0;
    cfg.maxDelay = std::chrono::milliseconds(3);
    m_proxy->setFaults(cfg);
    const QString path = u"/v1/catalog/products?limit=200"_s;
    const HttpReply direct = m_server.get(path, m_token);
    QCOMPARE(direct.status, 200);
    const HttpReply proxied = httpRequest("GET", m_proxy->url(path), {}, m_token);
    QCOMPARE(proxied.status, 200);
    QCOMPARE(proxied.body, direct.body);
    QVERIFY(m_proxy->stats().delays >= 2); // at least the request and the response
}

void TstFaultProxy::deadUpstreamClosesClientConnection()
{
    // A port nobody listens on: take one, then release it.
    quint16 deadPort = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        deadPort = probe.serverPort();
    }
    m_proxy->setUpstreamPort(deadPort);
    const HttpReply reply = httpRequest("GET", m_proxy->url(u"/v1/health"_s));
    QCOMPARE(reply.status, 0);
    QVERIFY(m_proxy->stats().upstreamFailures >= 1);
    m_proxy->setUpstreamPort(quint16(m_server.url().port()));
    QCOMPARE(httpRequest("GET", m_proxy->url(u"/v1/health"_s)).status, 200);
}

void TstFaultProxy::restartedServerIsReachedThroughSameUrl()
{
    QCOMPARE(httpRequest("GET", m_proxy->url(u"/v1/health"_s)).status, 200);
    m_db.close();
    m_server.kill();
    QCOMPARE(httpRequest("GET", m_proxy->url(u"/v1/health"_s)).status, 0);
    QVERIFY(m_server.start());
    QVERIFY(m_db.open());
    m_proxy->setUpstreamPort(quint16(m_server.url().port()));
    QCOMPARE(httpRequest("GET", m_proxy->url(u"/v1/health"_s)).status, 200);
    // The token survives the restart (sessions live in the database).
    QCOMPARE(httpRequest("GET", m_proxy->url(u"/v1/me"_s), {}, m_token).status, 200);
}

QTEST_GUILESS_MAIN(TstFaultProxy)
#include "tst_faultproxy.moc"
