// Login, token use, expiry, refresh rotation with reuse detection and its reuse interval, logout:
// against the real server.
#include "tests/support/testserver.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using outpost::test::HttpReply;
using outpost::test::TestServer;

class TstAuth : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void loginReturnsTokensUserAndTenant();
    void loginRegistersTheDevice();
    void loginRejectedLooksTheSame_data();
    void loginRejectedLooksTheSame();
    void accessTokenAuthenticates();
    void missingOrForgedTokenIsRejected_data();
    void missingOrForgedTokenIsRejected();
    void expiredAccessTokenAnswersTokenExpired();
    void refreshRotatesBothTokens();
    void reusedRefreshTokenRevokesTheSession();
    void repeatedRefreshWithinTheIntervalGetsAnotherPair();
    void repeatedRefreshAfterTheIntervalRevokes_data();
    void repeatedRefreshAfterTheIntervalRevokes();
    void undeliveredRotationRefreshesAfterTheInterval();
    void repeatedRefreshIsBounded();
    void reuseIntervalFlagIsChecked_data();
    void reuseIntervalFlagIsChecked();
    void logoutRevokesTheSession();
    void deactivatedUserCannotRefresh();

private:
    QJsonObject login(const QString &tenant, const QString &user, const QString &password,
                      const QString &device, int *status = nullptr);
    qint64 scalar(const QString &sql);
    qint64 liveSessions(const QString &deviceKey);
    // A server of its own with --refresh-reuse-interval, rep1 signed in and the token rotated once.
    void signInAndRotate(TestServer &server, const QString &interval, QString &firstRefresh, HttpReply &rotated);

    TestServer m_server;
};

void TstAuth::initTestCase()
{
    QVERIFY(m_server.seed());
    QVERIFY(m_server.start());
}

QJsonObject TstAuth::login(const QString &tenant, const QString &user, const QString &password,
                           const QString &device, int *status)
{
    const HttpReply r = m_server.post(
        u"/v1/auth/login"_s,
        {{u"tenant"_s, tenant}, {u"user"_s, user}, {u"password"_s, password}, {u"deviceId"_s, device}});
    if (status)
        *status = r.status;
    return r.json;
}

qint64 TstAuth::scalar(const QString &sql)
{
    qint64 value = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"peek"_s);
        db.setDatabaseName(m_server.dbPath());
        db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(sql) && q.next())
                value = q.value(0).toLongLong();
        }
    }
    QSqlDatabase::removeDatabase(u"peek"_s);
    return value;
}

// Sessions of the device that still work (not revoked).
qint64 TstAuth::liveSessions(const QString &deviceKey)
{
    return scalar(u"SELECT COUNT(*) FROM sessions s JOIN devices d ON d.id = s.device_id"
                  " WHERE d.device_key = '%1' AND s.revoked_at IS NULL"_s.arg(deviceKey));
}

void TstAuth::signInAndRotate(TestServer &server, const QString &interval, QString &firstRefresh,
                              HttpReply &rotated)
{
    QVERIFY(server.seed());
    QVERIFY(server.start({u"--refresh-reuse-interval"_s, interval}));
    const HttpReply login = server.signIn(u"demo"_s, u"rep1"_s, u"dev-own-server"_s);
    QCOMPARE(login.status, 200);
    firstRefresh = login.json.value(u"refreshToken"_s).toString();
    rotated = server.post(u"/v1/auth/refresh"_s, {{u"refreshToken"_s, firstRefresh}});
    QCOMPARE(rotated.status, 200);
}

void TstAuth::loginReturnsTokensUserAndTenant()
{
    int status = 0;
    const QJsonObject body = login(u"demo"_s, u"rep1"_s, u"demo"_s, u"dev-login-ok"_s, &status);
    QCOMPARE(status, 200);
    const QString access = body.value(u"accessToken"_s).toString();
    const QString refresh = body.value(u"refreshToken"_s).toString();
    QCOMPARE(access.size(), 43); // 32 bytes base64url, no padding
    QCOMPARE(refresh.size(), 43);
    QVERIFY(access != refresh);
    QCOMPARE(body.value(u"expiresIn"_s).toInteger(), 900);
    const QJsonObject user = body.value(u"user"_s).toObject();
    QCOMPARE(user.value(u"username"_s).toString(), u"rep1"_s);
    QCOMPARE(user.value(u"role"_s).toString(), u"rep"_s);
    QVERIFY(user.value(u"id"_s).toInteger() > 0);
    QVERIFY(!user.value(u"displayName"_s).toString().isEmpty());
    const QJsonObject tenant = body.value(u"tenant"_s).toObject();
    QCOMPARE(tenant.value(u"code"_s).toString(), u"demo"_s);
    QVERIFY(!tenant.value(u"currency"_s).toString().isEmpty());
    // Only hashes are stored.
    QCOMPARE(scalar(u"SELECT COUNT(*) FROM sessions WHERE access_hash = '%1'"_s.arg(access)), 0);
}

void TstAuth::loginRegistersTheDevice()
{
    const QString device = u"dev-registered-once"_s;
    int status = 0;
    login(u"demo"_s, u"rep2"_s, u"demo"_s, device, &status);
    QCOMPARE(status, 200);
    login(u"demo"_s, u"rep2"_s, u"demo"_s, device, &status);
    QCOMPARE(status, 200);
    QCOMPARE(scalar(u"SELECT COUNT(*) FROM devices WHERE device_key = '%1'"_s.arg(device)), 1);
    QCOMPARE(scalar(u"SELECT COUNT(*) FROM sessions s JOIN devices d ON d.id = s.device_id"
                    " WHERE d.device_key = '%1'"_s.arg(device)),
             2);
}

void TstAuth::loginRejectedLooksTheSame_data()
{
    QTest::addColumn<QString>("tenant");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::newRow("wrongPassword") << u"demo"_s << u"rep1"_s << u"not-the-password"_s;
    QTest::newRow("unknownUser") << u"demo"_s << u"nobody"_s << u"demo"_s;
    QTest::newRow("unknownTenant") << u"nowhere"_s << u"rep1"_s << u"demo"_s;
    QTest::newRow("userOfAnotherTenant") << u"acme"_s << u"kiosk1"_s << u"demo"_s;
    QTest::newRow("passwordCaseMatters") << u"demo"_s << u"rep1"_s << u"DEMO"_s;
}

void TstAuth::loginRejectedLooksTheSame()
{
    QFETCH(QString, tenant);
    QFETCH(QString, user);
    QFETCH(QString, password);
    const qint64 sessionsBefore = scalar(u"SELECT COUNT(*) FROM sessions"_s);
    const HttpReply r = m_server.post(u"/v1/auth/login"_s, {{u"tenant"_s, tenant},
                                                            {u"user"_s, user},
                                                            {u"password"_s, password},
                                                            {u"deviceId"_s, u"dev-rejected"_s}});
    QCOMPARE(r.status, 401);
    QCOMPARE(r.errorCode(), u"auth.invalid_credentials"_s);
    // The whole body is the same for every reason: nothing tells which part was wrong.
    static QByteArray firstBody;
    if (firstBody.isEmpty())
        firstBody = r.body;
    QCOMPARE(r.body, firstBody);
    QCOMPARE(scalar(u"SELECT COUNT(*) FROM sessions"_s), sessionsBefore);
}

void TstAuth::accessTokenAuthenticates()
{
    const QByteArray token = m_server.login(u"demo"_s, u"manager1"_s);
    QVERIFY(!token.isEmpty());
    const HttpReply r = m_server.get(u"/v1/me"_s, token);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"user"_s).toObject().value(u"username"_s).toString(), u"manager1"_s);
    QCOMPARE(r.json.value(u"user"_s).toObject().value(u"role"_s).toString(), u"manager"_s);
    QCOMPARE(r.json.value(u"tenant"_s).toObject().value(u"code"_s).toString(), u"demo"_s);
}

void TstAuth::missingOrForgedTokenIsRejected_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<QString>("code");
    QTest::newRow("noToken") << QByteArray() << u"auth.missing_token"_s;
    QTest::newRow("forgedToken") << QByteArray("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
                                 << u"auth.invalid_token"_s;
    QTest::newRow("oversizedToken") << QByteArray(5000, 'x') << u"auth.invalid_token"_s;
}

void TstAuth::missingOrForgedTokenIsRejected()
{
    QFETCH(QByteArray, token);
    QFETCH(QString, code);
    const HttpReply r = m_server.get(u"/v1/me"_s, token);
    QCOMPARE(r.status, 401);
    QCOMPARE(r.errorCode(), code);
}

void TstAuth::expiredAccessTokenAnswersTokenExpired()
{
    TestServer shortLived;
    QVERIFY(shortLived.seed());
    QVERIFY(shortLived.start({u"--access-ttl"_s, u"1"_s}));
    const HttpReply login = shortLived.post(u"/v1/auth/login"_s, {{u"tenant"_s, u"demo"_s},
                                                                  {u"user"_s, u"rep1"_s},
                                                                  {u"password"_s, u"demo"_s},
                                                                  {u"deviceId"_s, u"dev-expiry"_s}});
    QCOMPARE(login.status, 200);
    QCOMPARE(login.json.value(u"expiresIn"_s).toInteger(), 1);
    const QByteArray access = login.json.value(u"accessToken"_s).toString().toLatin1();
    QTest::qWait(2000);
    const HttpReply expired = shortLived.get(u"/v1/me"_s, access);
    QCOMPARE(expired.status, 401);
    QCOMPARE(expired.errorCode(), u"auth.token_expired"_s);
    // The refresh token outlives the access token.
    const HttpReply refreshed = shortLived.post(
        u"/v1/auth/refresh"_s, {{u"refreshToken"_s, login.json.value(u"refreshToken"_s).toString()}});
    QCOMPARE(refreshed.status, 200);
    const HttpReply me =
        shortLived.get(u"/v1/me"_s, refreshed.json.value(u"accessToken"_s).toString().toLatin1());
    QCOMPARE(me.status, 200);
}

void TstAuth::refreshRotatesBothTokens()
{
    const QJsonObject first = login(u"demo"_s, u"rep1"_s, u"demo"_s, u"dev-rotate"_s);
    const QString access1 = first.value(u"accessToken"_s).toString();
    const QString refresh1 = first.value(u"refreshToken"_s).toString();
    const HttpReply r = m_server.post(u"/v1/auth/refresh"_s, {{u"refreshToken"_s, refresh1}});
    QCOMPARE(r.status, 200);
    const QString access2 = r.json.value(u"accessToken"_s).toString();
    const QString refresh2 = r.json.value(u"refreshToken"_s).toString();
    QVERIFY(!access2.isEmpty() && access2 != access1);
    QVERIFY(!refresh2.isEmpty() && refresh2 != refresh1);
    QCOMPARE(m_server.get(u"/v1/me"_s, access2.toLatin1()).status, 200);
    const HttpReply old = m_server.get(u"/v1/me"_s, access1.toLatin1());
    QCOMPARE(old.status, 401);
    QCOMPARE(old.errorCode(), u"auth.invalid_token"_s);
}

void TstAuth::reusedRefreshTokenRevokesTheSession()
{
    const QJsonObject first = login(u"demo"_s, u"rep3"_s, u"demo"_s, u"dev-reuse"_s);
    const QString refresh1 = first.value(u"refreshToken"_s).toString();
    const HttpReply rotated = m_server.post(u"/v1/auth/refresh"_s, {{u"refreshToken"_s, refresh1}});
    QCOMPARE(rotated.status, 200);
    const QString refresh2 = rotated.json.value(u"refreshToken"_s).toString();
    // The chain moves on: the successor is rotated itself.
    const HttpReply moved = m_server.post(u"/v1/auth/refresh"_s, {{u"refreshToken"_s, refresh2}});
    QCOMPARE(moved.status, 200);
    const QByteArray access3 = moved.json.value(u"accessToken"_s).toString().toLatin1();
    const QString refresh3 = moved.json.value(u"refreshToken"_s).toString();
    QCOMPARE(m_server.get(u"/v1/me"_s, access3).status, 200);

    // The first token again, even within the reuse interval, is someone else's copy.
    const HttpReply reused = m_server.post(u"/v1/auth/refresh"_s, {{u"refreshToken"_s, refresh1}});
    QCOMPARE(reused.status, 401);
    QCOMPARE(reused.errorCode(), u"auth.refresh_reused"_s);
    // Whoever holds the newest tokens is out too.
    QCOMPARE(m_server.get(u"/v1/me"_s, access3).status, 401);
    const HttpReply newer = m_server.post(u"/v1/auth/refresh"_s, {{u"refreshToken"_s, refresh3}});
    QCOMPARE(newer.status, 401);
    QCOMPARE(newer.errorCode(), u"auth.invalid_token"_s);
}

// The same refresh request arrives twice (resent on a dead keep-alive connection, repeated by a
// proxy, its answer lost): both get a working pair; refreshing one revokes the unused other.
void TstAuth::repeatedRefreshWithinTheIntervalGetsAnotherPair()
{
    const QJsonObject first = login(u"demo"_s, u"rep2"_s, u"demo"_s, u"dev-repeat"_s);
    const QString refresh1 = first.value(u"refreshToken"_s).toString();
    const HttpReply a = m_server.post(u"/v1/auth/refresh"_s, {{u"refreshToken"_s, refresh1}});
    const HttpReply b = m_server.post(u"/v1/auth/refresh"_s, {{u"refreshToken"_s, refresh1}});
    QCOMPARE(a.status, 200);
    QCOMPARE(b.status, 200);
    const QString refreshA = a.json.value(u"refreshToken"_s).toString();
    const QString refreshB = b.json.value(u"refreshToken"_s).toString();
    QVERIFY(refreshA != refreshB);
    const QByteArray accessA = a.json.value(u"accessToken"_s).toString().toLatin1();
    const QByteArray accessB = b.json.value(u"accessToken"_s).toString().toLatin1();
    QCOMPARE(m_server.get(u"/v1/me"_s, accessA).status, 200);
    QCOMPARE(m_server.get(u"/v1/me"_s, accessB).status, 200);

    // The device kept B (A's answer was lost): B rotates, A is revoked unused.
    const HttpReply c = m_server.post(u"/v1/auth/refresh"_s, {{u"refreshToken"_s, refreshB}});
    QCOMPARE(c.status, 200);
    QCOMPARE(m_server.get(u"/v1/me"_s, c.json.value(u"accessToken"_s).toString().toLatin1()).status, 200);
    QCOMPARE(m_server.get(u"/v1/me"_s, accessA).status, 401);
    const HttpReply lateA = m_server.post(u"/v1/auth/refresh"_s, {{u"refreshToken"_s, refreshA}});
    QCOMPARE(lateA.status, 401);
    QCOMPARE(lateA.errorCode(), u"auth.invalid_token"_s);
    QCOMPARE(liveSessions(u"dev-repeat"_s),
             1);

    // Now that the chain moved on, the first token once more is reuse.
    const HttpReply reused = m_server.post(u"/v1/auth/refresh"_s, {{u"refreshToken"_s, refresh1}});
    QCOMPARE(reused.status, 401);
    QCOMPARE(reused.errorCode(), u"auth.refresh_reused"_s);
    QCOMPARE(liveSessions(u"dev-repeat"_s),
             0);
}

void TstAuth::repeatedRefreshAfterTheIntervalRevokes_data()
{
    QTest::addColumn<QString>("interval");
    QTest::addColumn<int>("waitMs");
    QTest::newRow("intervalZero") << u"0"_s << 0;
    QTest::newRow("intervalPassed") << u"1"_s << 1300;
}

// Once the new pair was used (the device has it), the old token again is someone else's copy.
void TstAuth::repeatedRefreshAfterTheIntervalRevokes()
{
    QFETCH(QString, interval);
    QFETCH(int, waitMs);
    TestServer strict;
    QString refresh1;
    HttpReply rotated;
    signInAndRotate(strict, interval, refresh1, rotated);
    if (QTest::currentTestFailed())
        return;
    const QByteArray access2 = rotated.json.value(u"accessToken"_s).toString().toLatin1();
    QCOMPARE(strict.get(u"/v1/me"_s, access2).status, 200);
    if (waitMs > 0)
        QTest::qWait(waitMs); // the interval is measured on the server's clock
    const HttpReply again = strict.post(u"/v1/auth/refresh"_s, {{u"refreshToken"_s, refresh1}});
    QCOMPARE(again.status, 401);
    QCOMPARE(again.errorCode(), u"auth.refresh_reused"_s);
    QCOMPARE(strict.get(u"/v1/me"_s, access2).status, 401);
    strict.stop();
}

// The answer to a refresh never reached the device (killed before storing it) and the device
// comes back long after the interval: no successor was ever used, so its token still works, once.
void TstAuth::undeliveredRotationRefreshesAfterTheInterval()
{
    TestServer strict;
    QString refresh1;
    HttpReply lost; // never used
    signInAndRotate(strict, u"1"_s, refresh1, lost);
    if (QTest::currentTestFailed())
        return;
    QTest::qWait(1300);
    const HttpReply back = strict.post(u"/v1/auth/refresh"_s, {{u"refreshToken"_s, refresh1}});
    QCOMPARE(back.status, 200);
    const QByteArray access = back.json.value(u"accessToken"_s).toString().toLatin1();
    QCOMPARE(strict.get(u"/v1/me"_s, access).status, 200);
    // Now a successor is used: the old token once more, after the interval, is reuse.
    QTest::qWait(1300);
    const HttpReply copy = strict.post(u"/v1/auth/refresh"_s, {{u"refreshToken"_s, refresh1}});
    QCOMPARE(copy.status, 401);
    QCOMPARE(copy.errorCode(), u"auth.refresh_reused"_s);
    QCOMPARE(strict.get(u"/v1/me"_s, access).status, 401);
    strict.stop();
}

// Within the interval a rotated token yields only a few successors; the next time it is reuse.
void TstAuth::repeatedRefreshIsBounded()
{
    const QJsonObject first = login(u"demo"_s, u"rep1"_s, u"demo"_s, u"dev-bounded"_s);
    const QString refresh1 = first.value(u"refreshToken"_s).toString();
    int granted = 0;
    HttpReply last;
    for (int i = 0; i < 20; ++i) {
        last = m_server.post(u"/v1/auth/refresh"_s, {{u"refreshToken"_s, refresh1}});
        if (last.status != 200)
            break;
        ++granted;
    }
    QCOMPARE(granted, 12);
    QCOMPARE(last.status, 401);
    QCOMPARE(last.errorCode(), u"auth.refresh_reused"_s);
    QCOMPARE(liveSessions(u"dev-bounded"_s),
             0);
}

void TstAuth::reuseIntervalFlagIsChecked_data()
{
    QTest::addColumn<QString>("value");
    QTest::newRow("negative") << u"-1"_s;
    QTest::newRow("tooLong") << u"3601"_s;
    QTest::newRow("notANumber") << u"soon"_s;
}

void TstAuth::reuseIntervalFlagIsChecked()
{
    QFETCH(QString, value);
    QByteArray output;
    const int rc = m_server.runCommand({u"serve"_s, u"--db"_s, m_server.dbPath(), u"--listen"_s,
                                        u"127.0.0.1:0"_s, u"--refresh-reuse-interval"_s, value},
                                       &output);
    QCOMPARE(rc, 2);
    QVERIFY2(output.contains("--refresh-reuse-interval must be 0..3600 seconds"), output.constData());
}

void TstAuth::logoutRevokesTheSession()
{
    const QJsonObject body = login(u"demo"_s, u"admin"_s, u"demo"_s, u"dev-logout"_s);
    const QByteArray access = body.value(u"accessToken"_s).toString().toLatin1();
    QCOMPARE(m_server.get(u"/v1/me"_s, access).status, 200);
    const HttpReply out = m_server.postRaw(u"/v1/auth/logout"_s, {}, access);
    QCOMPARE(out.status, 200);
    const HttpReply after = m_server.get(u"/v1/me"_s, access);
    QCOMPARE(after.status, 401);
    QCOMPARE(after.errorCode(), u"auth.invalid_token"_s);
    const HttpReply refresh =
        m_server.post(u"/v1/auth/refresh"_s, {{u"refreshToken"_s, body.value(u"refreshToken"_s)}});
    QCOMPARE(refresh.status, 401);
    QCOMPARE(refresh.errorCode(), u"auth.invalid_token"_s);
}

// A user switched off by an admin: neither the current nor a rotated refresh token gets a pair,
// and the answer is "invalid", not "reuse".
void TstAuth::deactivatedUserCannotRefresh()
{
    const QJsonObject first = login(u"demo"_s, u"manager1"_s, u"demo"_s, u"dev-inactive"_s);
    const QString refresh1 = first.value(u"refreshToken"_s).toString();
    const HttpReply rotated = m_server.post(u"/v1/auth/refresh"_s, {{u"refreshToken"_s, refresh1}});
    QCOMPARE(rotated.status, 200);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"deactivate"_s);
        db.setDatabaseName(m_server.dbPath());
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(u"UPDATE users SET active = 0 WHERE username = 'manager1'"_s));
    }
    QSqlDatabase::removeDatabase(u"deactivate"_s);
    for (const QString &token : {refresh1, rotated.json.value(u"refreshToken"_s).toString()}) {
        const HttpReply r = m_server.post(u"/v1/auth/refresh"_s, {{u"refreshToken"_s, token}});
        QCOMPARE(r.status, 401);
        QCOMPARE(r.errorCode(), u"auth.invalid_token"_s);
    }
}

QTEST_GUILESS_MAIN(TstAuth)
#include "tst_auth.moc"
