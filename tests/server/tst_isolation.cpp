// Tenant and territory isolation: every role x every read endpoint x (own account, another rep's
// account, another tenant's account/product) -> the expected status, and for lists whether it shows.
#include "tests/support/testserver.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using outpost::test::HttpReply;
using outpost::test::TestServer;

namespace {

// The users of the matrix. "acmeRep" is rep1 of tenant acme.
const QStringList kUsers{u"rep1"_s, u"rep2"_s, u"manager1"_s, u"kiosk1"_s, u"admin"_s, u"acmeRep"_s};
// Targets: an account of demo's rep1, one of demo's rep2, one of acme; a product of demo, one of acme.
const QStringList kAccountTargets{u"ownAccount"_s, u"otherRepAccount"_s, u"otherTenantAccount"_s};
const QStringList kProductTargets{u"ownTenantProduct"_s, u"otherTenantProduct"_s};

bool containsId(const QJsonArray &rows, qint64 id)
{
    for (const QJsonValue &v : rows) {
        if (v.toObject().value(u"id"_s).toInteger() == id)
            return true;
    }
    return false;
}

} // namespace

class TstIsolation : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void matrix_data();
    void matrix();

private:
    qint64 firstId(const QString &path, const QByteArray &token);

    TestServer m_server;
    QHash<QString, QByteArray> m_tokens;
    QHash<QString, qint64> m_targets;
};

qint64 TstIsolation::firstId(const QString &path, const QByteArray &token)
{
    const HttpReply r = m_server.get(path, token);
    const QJsonArray items = r.json.value(u"items"_s).toArray();
    return items.isEmpty() ? 0 : items.first().toObject().value(u"id"_s).toInteger();
}

void TstIsolation::initTestCase()
{
    QVERIFY(m_server.seed());
    QVERIFY(m_server.start());
    for (const QString &user : kUsers) {
        const QByteArray token =
            user == u"acmeRep"_s ? m_server.login(u"acme"_s, u"rep1"_s) : m_server.login(u"demo"_s, user);
        QVERIFY2(!token.isEmpty(), qPrintable(user));
        m_tokens.insert(user, token);
    }
    const QByteArray acmeManager = m_server.login(u"acme"_s, u"manager1"_s);
    QVERIFY(!acmeManager.isEmpty());
    m_targets[u"ownAccount"_s] = firstId(u"/v1/accounts"_s, m_tokens[u"rep1"_s]);
    m_targets[u"otherRepAccount"_s] = firstId(u"/v1/accounts"_s, m_tokens[u"rep2"_s]);
    m_targets[u"otherTenantAccount"_s] = firstId(u"/v1/accounts"_s, acmeManager);
    m_targets[u"ownTenantProduct"_s] = firstId(u"/v1/catalog/products"_s, m_tokens[u"rep1"_s]);
    m_targets[u"otherTenantProduct"_s] = firstId(u"/v1/catalog/products"_s, acmeManager);
    for (auto it = m_targets.cbegin(); it != m_targets.cend(); ++it)
        QVERIFY2(it.value() > 0, qPrintable(it.key()));
    QVERIFY(m_targets[u"ownAccount"_s] != m_targets[u"otherRepAccount"_s]);
}

void TstIsolation::matrix_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("endpoint");
    QTest::addColumn<QString>("target");
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("listed"); // list endpoints: whether the target is in the answer

    // user, endpoint, then per target: status and (lists) listed. "L" = 200 and listed,
    // "-" = 200 and not listed.
    struct Row
    {
        QString user;
        QString endpoint;
        QStringList expected; // one per target of the endpoint
    };
    const QList<Row> rows{
        // account detail: own / other rep's / other tenant's account
        {u"rep1"_s, u"account"_s, {u"200"_s, u"404"_s, u"404"_s}},
        {u"rep2"_s, u"account"_s, {u"404"_s, u"200"_s, u"404"_s}},
        {u"manager1"_s, u"account"_s, {u"200"_s, u"200"_s, u"404"_s}},
        {u"kiosk1"_s, u"account"_s, {u"403"_s, u"403"_s, u"403"_s}},
        {u"admin"_s, u"account"_s, {u"200"_s, u"200"_s, u"404"_s}},
        {u"acmeRep"_s, u"account"_s, {u"404"_s, u"404"_s, u"200"_s}},
        // account list
        {u"rep1"_s, u"accounts"_s, {u"L"_s, u"-"_s, u"-"_s}},
        {u"rep2"_s, u"accounts"_s, {u"-"_s, u"L"_s, u"-"_s}},
        {u"manager1"_s, u"accounts"_s, {u"L"_s, u"L"_s, u"-"_s}},
        {u"kiosk1"_s, u"accounts"_s, {u"403"_s, u"403"_s, u"403"_s}},
        {u"admin"_s, u"accounts"_s, {u"L"_s, u"L"_s, u"-"_s}},
        {u"acmeRep"_s, u"accounts"_s, {u"-"_s, u"-"_s, u"L"_s}},
        // change feed, accounts partition
        {u"rep1"_s, u"changes"_s, {u"L"_s, u"-"_s, u"-"_s}},
        {u"rep2"_s, u"changes"_s, {u"-"_s, u"L"_s, u"-"_s}},
        {u"manager1"_s, u"changes"_s, {u"L"_s, u"L"_s, u"-"_s}},
        {u"kiosk1"_s, u"changes"_s, {u"403"_s, u"403"_s, u"403"_s}},
        {u"admin"_s, u"changes"_s, {u"L"_s, u"L"_s, u"-"_s}},
        {u"acmeRep"_s, u"changes"_s, {u"-"_s, u"-"_s, u"L"_s}},
        // product detail: own tenant's / other tenant's product
        {u"rep1"_s, u"product"_s, {u"200"_s, u"404"_s}},
        {u"rep2"_s, u"product"_s, {u"200"_s, u"404"_s}},
        {u"manager1"_s, u"product"_s, {u"200"_s, u"404"_s}},
        {u"kiosk1"_s, u"product"_s, {u"200"_s, u"404"_s}},
        {u"admin"_s, u"product"_s, {u"200"_s, u"404"_s}},
        {u"acmeRep"_s, u"product"_s, {u"404"_s, u"200"_s}},
        // stock
        {u"rep1"_s, u"stock"_s, {u"200"_s, u"404"_s}},
        {u"rep2"_s, u"stock"_s, {u"200"_s, u"404"_s}},
        {u"manager1"_s, u"stock"_s, {u"200"_s, u"404"_s}},
        {u"kiosk1"_s, u"stock"_s, {u"200"_s, u"404"_s}},
        {u"admin"_s, u"stock"_s, {u"200"_s, u"404"_s}},
        {u"acmeRep"_s, u"stock"_s, {u"404"_s, u"200"_s}},
        // product list
        {u"rep1"_s, u"products"_s, {u"L"_s, u"-"_s}},
        {u"kiosk1"_s, u"products"_s, {u"L"_s, u"-"_s}},
        {u"manager1"_s, u"products"_s, {u"L"_s, u"-"_s}},
        {u"acmeRep"_s, u"products"_s, {u"-"_s, u"L"_s}},
    };
    for (const Row &row : rows) {
        const bool accountEndpoint =
            row.endpoint == u"account"_s || row.endpoint == u"accounts"_s || row.endpoint == u"changes"_s;
        const QStringList &targets = accountEndpoint ? kAccountTargets : kProductTargets;
        QVERIFY(row.expected.size() == targets.size());
        for (qsizetype i = 0; i < targets.size(); ++i) {
            const QString &e = row.expected[i];
            const int status = (e == u"L"_s || e == u"-"_s) ? 200 : e.toInt();
            const QString name = row.user + u'_' + row.endpoint + u'_' + targets[i];
            QTest::newRow(qPrintable(name))
                << row.user << row.endpoint << targets[i] << status << (e == u"L"_s);
        }
    }
}

void TstIsolation::matrix()
{
    QFETCH(QString, user);
    QFETCH(QString, endpoint);
    QFETCH(QString, target);
    QFETCH(int, status);
    QFETCH(bool, listed);

    const qint64 id = m_targets.value(target);
    const QByteArray token = m_tokens.value(user);
    QString path;
    if (endpoint == u"account"_s)
        path = u"/v1/accounts/%1"_s.arg(id);
    else if (endpoint == u"accounts"_s)
        path = u"/v1/accounts?limit=500"_s;
    else if (endpoint == u"changes"_s)
        path = u"/v1/changes?since=0&limit=10000&partitions=accounts"_s;
    else if (endpoint == u"product"_s)
        path = u"/v1/catalog/products/%1"_s.arg(id);
    else if (endpoint == u"stock"_s)
        path = u"/v1/stock?productId=%1"_s.arg(id);
    else if (endpoint == u"products"_s)
        path = u"/v1/catalog/products?limit=500"_s;
    QVERIFY(!path.isEmpty());

    const HttpReply r = m_server.get(path, token);
    QCOMPARE(r.status, status);
    if (status == 404) {
        const QString expectedCode =
            target.endsWith(u"Product"_s) ? u"product.not_found"_s : u"account.not_found"_s;
        QCOMPARE(r.errorCode(), expectedCode);
    } else if (status == 403) {
        QCOMPARE(r.errorCode(), u"auth.forbidden_role"_s);
    } else if (endpoint == u"account"_s || endpoint == u"product"_s) {
        QCOMPARE(r.json.value(u"id"_s).toInteger(), id);
    } else if (endpoint == u"stock"_s) {
        QCOMPARE(r.json.value(u"productId"_s).toInteger(), id);
    } else if (endpoint == u"changes"_s) {
        const QJsonArray accounts = r.json.value(u"tables"_s).toObject().value(u"accounts"_s).toArray();
        QCOMPARE(containsId(accounts, id), listed);
    } else {
        QCOMPARE(containsId(r.json.value(u"items"_s).toArray(), id), listed);
    }
}

QTEST_GUILESS_MAIN(TstIsolation)
#include "tst_isolation.moc"
