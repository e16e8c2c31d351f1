// Bad input never answers 500 and never changes the database: each case gets its specific 4xx code,
// and the tenants' seqs and the session count are the same before and after.
#include "tests/support/testserver.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using outpost::test::HttpReply;
using outpost::test::TestServer;

namespace {

const QByteArray kLogin = R"({"tenant":"demo","user":"rep1","password":"demo","deviceId":"bad-input"})";

} // namespace

class TstBadInput : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void rejected_data();
    void rejected();
    void serverStillAnswersAfterwards();

private:
    QString databaseState();

    TestServer m_server;
    QByteArray m_token;
};

void TstBadInput::initTestCase()
{
    QVERIFY(m_server.seed());
    QVERIFY(m_server.start());
    m_token = m_server.login(u"demo"_s, u"manager1"_s);
    QVERIFY(!m_token.isEmpty());
}

// Every tenant's seq and the number of sessions and devices, as one comparable string.
QString TstBadInput::databaseState()
{
    QString state;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"peek"_s);
        db.setDatabaseName(m_server.dbPath());
        db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
        if (db.open()) {
            QSqlQuery q(db);
            q.exec(u"SELECT code, seq FROM tenants ORDER BY id"_s);
            while (q.next())
                state += q.value(0).toString() + u'=' + q.value(1).toString() + u' ';
            q.exec(u"SELECT (SELECT COUNT(*) FROM sessions), (SELECT COUNT(*) FROM devices)"_s);
            if (q.next())
                state += u"sessions="_s + q.value(0).toString() + u" devices="_s + q.value(1).toString();
        }
    }
    QSqlDatabase::removeDatabase(u"peek"_s);
    return state;
}

void TstBadInput::rejected_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<bool>("authenticated");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");

    const QByteArray json = "application/json";
    const QString login = u"/v1/auth/login"_s;
    // JSON bodies
    QTest::newRow("malformedJson") << QByteArray("POST") << login << QByteArray(R"({"tenant":"demo",)")
                                   << json << false << 400 << u"request.malformed_json"_s;
    QTest::newRow("emptyBody") << QByteArray("POST") << login << QByteArray() << json << false << 400
                               << u"request.malformed_json"_s;
    QTest::newRow("topLevelArray") << QByteArray("POST") << login << QByteArray(R"([1,2,3])") << json << false
                                   << 400 << u"request.not_object"_s;
    QTest::newRow("wrongTypeNumberForString")
        << QByteArray("POST") << login
        << QByteArray(R"({"tenant":7,"user":"rep1","password":"demo","deviceId":"d"})") << json << false
        << 400 << u"request.wrong_type"_s;
    QTest::newRow("wrongTypeObjectForString")
        << QByteArray("POST") << login
        << QByteArray(R"({"tenant":"demo","user":{"a":1},"password":"demo","deviceId":"d"})") << json << false
        << 400 << u"request.wrong_type"_s;
    QTest::newRow("unknownField")
        << QByteArray("POST") << login
        << QByteArray(R"({"tenant":"demo","user":"rep1","password":"demo","deviceId":"d","admin":true})")
        << json << false << 400 << u"request.unknown_field"_s;
    QTest::newRow("missingField") << QByteArray("POST") << login
                                  << QByteArray(R"({"tenant":"demo","user":"rep1","deviceId":"d"})") << json
                                  << false << 400 << u"request.missing_field"_s;
    QTest::newRow("invalidUtf8")
        << QByteArray("POST") << login
        << QByteArray(
               "{\"tenant\":\"demo\xff\xfe\",\"user\":\"rep1\",\"password\":\"demo\",\"deviceId\":\"d\"}")
        << json << false << 400 << u"request.bad_utf8"_s;
    QTest::newRow("overlongField") << QByteArray("POST") << login
                                   << (R"({"tenant":"demo","user":")" + QByteArray(5000, 'u') +
                                       R"(","password":"demo","deviceId":"d"})")
                                   << json << false << 400 << u"request.too_long"_s;
    QTest::newRow("oversizedBody") << QByteArray("POST") << login
                                   << (R"({"tenant":")" + QByteArray(2 * 1024 * 1024, 'x') + R"("})") << json
                                   << false << 413 << u"request.too_large"_s;
    QTest::newRow("wrongContentType") << QByteArray("POST") << login << kLogin << QByteArray("text/plain")
                                      << false << 415 << u"request.unsupported_media_type"_s;
    QTest::newRow("formContentType") << QByteArray("POST") << login << QByteArray("tenant=demo&user=rep1")
                                     << QByteArray("application/x-www-form-urlencoded") << false << 415
                                     << u"request.unsupported_media_type"_s;
    QTest::newRow("refreshTokenAsNumber")
        << QByteArray("POST") << u"/v1/auth/refresh"_s << QByteArray(R"({"refreshToken":12345})") << json
        << false << 400 << u"request.wrong_type"_s;
    QTest::newRow("absurdJsonNumber")
        << QByteArray("POST") << u"/v1/auth/refresh"_s << QByteArray(R"({"refreshToken":1e400})") << json
        << false << 400 << u"request.malformed_json"_s;
    QTest::newRow("nullForRequiredField")
        << QByteArray("POST") << u"/v1/auth/refresh"_s << QByteArray(R"({"refreshToken":null})") << json
        << false << 400 << u"request.wrong_type"_s;
    // Query parameters
    QTest::newRow("absurdLimit") << QByteArray("GET")
                                 << u"/v1/catalog/products?limit=99999999999999999999999"_s << QByteArray()
                                 << QByteArray() << true << 400 << u"request.bad_parameter"_s;
    QTest::newRow("negativeLimit") << QByteArray("GET") << u"/v1/accounts?limit=-1"_s << QByteArray()
                                   << QByteArray() << true << 400 << u"request.bad_parameter"_s;
    QTest::newRow("zeroLimit") << QByteArray("GET") << u"/v1/changes?limit=0"_s << QByteArray()
                               << QByteArray() << true << 400 << u"request.bad_parameter"_s;
    QTest::newRow("nonNumericAfter") << QByteArray("GET") << u"/v1/catalog/products?after=abc"_s
                                     << QByteArray() << QByteArray() << true << 400
                                     << u"request.bad_parameter"_s;
    QTest::newRow("floatSince") << QByteArray("GET") << u"/v1/changes?since=1e308"_s << QByteArray()
                                << QByteArray() << true << 400 << u"request.bad_parameter"_s;
    QTest::newRow("negativeSince") << QByteArray("GET") << u"/v1/changes?since=-5"_s << QByteArray()
                                   << QByteArray() << true << 400 << u"request.bad_parameter"_s;
    QTest::newRow("sinceAheadOfServer")
        << QByteArray("GET") << u"/v1/changes?since=9000000000000000000"_s << QByteArray() << QByteArray()
        << true << 409 << u"changes.cursor_ahead"_s;
    QTest::newRow("ownNotANumber") << QByteArray("GET") << u"/v1/changes?own=12,x"_s << QByteArray()
                                   << QByteArray() << true << 400 << u"request.bad_parameter"_s;
    QTest::newRow("ownEmpty") << QByteArray("GET") << u"/v1/changes?own="_s << QByteArray() << QByteArray()
                              << true << 400 << u"request.bad_parameter"_s;
    QTest::newRow("ownZero") << QByteArray("GET") << u"/v1/changes?own=0"_s << QByteArray() << QByteArray()
                             << true << 400 << u"request.bad_parameter"_s;
    QTest::newRow("ownTooMany") << QByteArray("GET") << u"/v1/changes?own="_s + QStringList(65, u"7"_s).join(u',')
                                << QByteArray() << QByteArray() << true << 400 << u"request.bad_parameter"_s;
    QTest::newRow("unknownPartition")
        << QByteArray("GET") << u"/v1/changes?partitions=catalog,secrets"_s << QByteArray() << QByteArray()
        << true << 400 << u"request.bad_parameter"_s;
    QTest::newRow("unknownQueryParameter")
        << QByteArray("GET") << u"/v1/catalog/products?sort=price"_s << QByteArray() << QByteArray() << true
        << 400 << u"request.unknown_parameter"_s;
    QTest::newRow("missingProductId") << QByteArray("GET") << u"/v1/stock"_s << QByteArray() << QByteArray()
                                      << true << 400 << u"request.missing_parameter"_s;
    QTest::newRow("likeWildcardsAreLiteral") << QByteArray("GET") << u"/v1/catalog/products?q=%25%25_%25"_s
                                             << QByteArray() << QByteArray() << true << 200 << QString();
    // Paths and methods
    QTest::newRow("nonNumericAccountId") << QByteArray("GET") << u"/v1/accounts/abc"_s << QByteArray()
                                         << QByteArray() << true << 404 << u"account.not_found"_s;
    QTest::newRow("overflowingProductId")
        << QByteArray("GET") << u"/v1/catalog/products/99999999999999999999999"_s << QByteArray()
        << QByteArray() << true << 404 << u"product.not_found"_s;
    QTest::newRow("negativeProductId") << QByteArray("GET") << u"/v1/catalog/products/-3"_s << QByteArray()
                                       << QByteArray() << true << 404 << u"product.not_found"_s;
    QTest::newRow("unknownRoute") << QByteArray("GET") << u"/v1/nothing/here"_s << QByteArray()
                                  << QByteArray() << true << 404 << u"route.not_found"_s;
    QTest::newRow("unknownRouteRoot") << QByteArray("GET") << u"/"_s << QByteArray() << QByteArray() << false
                                      << 404 << u"route.not_found"_s;
    QTest::newRow("wrongMethodGetOnLogin") << QByteArray("GET") << login << QByteArray() << QByteArray()
                                           << false << 405 << u"request.method_not_allowed"_s;
    QTest::newRow("wrongMethodDeleteOnAccounts")
        << QByteArray("DELETE") << u"/v1/accounts"_s << QByteArray() << QByteArray() << true << 405
        << u"request.method_not_allowed"_s;
    QTest::newRow("wrongMethodPostOnChanges") << QByteArray("POST") << u"/v1/changes"_s << QByteArray("{}")
                                              << json << true << 405 << u"request.method_not_allowed"_s;
    QTest::newRow("noTokenOnReadEndpoint") << QByteArray("GET") << u"/v1/accounts"_s << QByteArray()
                                           << QByteArray() << false << 401 << u"auth.missing_token"_s;
}

void TstBadInput::rejected()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QFETCH(bool, authenticated);
    QFETCH(int, status);
    QFETCH(QString, code);

    const QString before = databaseState();
    QVERIFY(!before.isEmpty());
    const HttpReply r = outpost::test::httpRequest(method, m_server.url(path), body,
                                                   authenticated ? m_token : QByteArray(), contentType);
    QVERIFY2(r.status != 0, "transport failure");
    QVERIFY2(r.status < 500, r.body.constData());
    QCOMPARE(r.status, status);
    if (!code.isEmpty()) {
        QCOMPARE(r.errorCode(), code);
        QVERIFY(!r.json.value(u"error"_s).toObject().value(u"message"_s).toString().isEmpty());
        QVERIFY(r.contentType.startsWith("application/json"));
    }
    QCOMPARE(databaseState(), before);
}

void TstBadInput::serverStillAnswersAfterwards()
{
    const HttpReply r = m_server.get(u"/v1/me"_s, m_token);
    QCOMPARE(r.status, 200);
}

QTEST_GUILESS_MAIN(TstBadInput)
#include "tst_badinput.moc"
