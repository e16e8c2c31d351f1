// classifyError: every network and HTTP outcome maps to one error kind and a stable code; the
// code comes from the server's {"error":{"code"}} body, never from message text. And the retry
// delay: full jitter under an exponential ceiling capped at 5 minutes. And an error answer cut
// after its status line (shorter than its Content-Length) is a dropped connection, not the
// server's word.
#include "sync/transport.h"
#include "sync/push.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace outpost;
using namespace outpost::sync;

Q_DECLARE_METATYPE(outpost::ErrorKind)

class TstTransport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void classifyError_data()
    {
        QTest::addColumn<QNetworkReply::NetworkError>("network");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<ErrorKind>("kind");
        QTest::addColumn<QString>("code");
        QTest::addColumn<bool>("transient");
        using NE = QNetworkReply::NetworkError;
        const QByteArray expired = R"({"error":{"code":"auth.token_expired","message":"Session over"}})";
        QTest::newRow("hostNotFound") << NE::HostNotFoundError << 0 << QByteArray() << ErrorKind::Offline << u"net.offline"_s << true;
        QTest::newRow("connectionRefused") << NE::ConnectionRefusedError << 0 << QByteArray() << ErrorKind::Offline << u"net.offline"_s << true;
        QTest::newRow("connectTimeout") << NE::TimeoutError << 0 << QByteArray() << ErrorKind::Offline << u"net.offline"_s << true;
        QTest::newRow("networkDown") << NE::TemporaryNetworkFailureError << 0 << QByteArray() << ErrorKind::Offline << u"net.offline"_s << true;
        QTest::newRow("connectionReset") << NE::RemoteHostClosedError << 0 << QByteArray() << ErrorKind::Transient << u"net.reset"_s << true;
        QTest::newRow("unknownNetwork") << NE::UnknownNetworkError << 0 << QByteArray() << ErrorKind::Transient << u"net.reset"_s << true;
        QTest::newRow("tlsHandshake") << NE::SslHandshakeFailedError << 0 << QByteArray() << ErrorKind::Internal << u"net.tls"_s << false;
        QTest::newRow("serverError500") << NE::InternalServerError << 500 << QByteArray(R"({"error":{"code":"db.error"}})") << ErrorKind::Transient << u"db.error"_s << true;
        QTest::newRow("badGateway502NoBody") << NE::UnknownServerError << 502 << QByteArray() << ErrorKind::Transient << u"http.502"_s << true;
        QTest::newRow("unavailable503") << NE::ServiceUnavailableError << 503 << QByteArray("<html>busy</html>") << ErrorKind::Transient << u"http.503"_s << true;
        QTest::newRow("tooManyRequests429") << NE::UnknownContentError << 429 << QByteArray(R"({"error":{"code":"rate.limited"}})") << ErrorKind::Transient << u"rate.limited"_s << true;
        QTest::newRow("requestTimeout408") << NE::UnknownContentError << 408 << QByteArray() << ErrorKind::Transient << u"http.408"_s << true;
        QTest::newRow("tokenExpired401") << NE::AuthenticationRequiredError << 401 << expired << ErrorKind::Unauthorized << u"auth.token_expired"_s << false;
        QTest::newRow("badCredentials401") << NE::AuthenticationRequiredError << 401 << QByteArray(R"({"error":{"code":"auth.invalid_credentials"}})") << ErrorKind::Unauthorized << u"auth.invalid_credentials"_s << false;
        QTest::newRow("forbidden403") << NE::ContentAccessDenied << 403 << QByteArray(R"({"error":{"code":"auth.forbidden_role"}})") << ErrorKind::Forbidden << u"auth.forbidden_role"_s << false;
        QTest::newRow("notFound404") << NE::ContentNotFoundError << 404 << QByteArray(R"({"error":{"code":"route.not_found"}})") << ErrorKind::NotFound << u"route.not_found"_s << false;
        QTest::newRow("conflict409") << NE::ContentConflictError << 409 << QByteArray(R"({"error":{"code":"command.key_reused"}})") << ErrorKind::Conflict << u"command.key_reused"_s << false;
        QTest::newRow("snapshotExpired412") << NE::UnknownContentError << 412 << QByteArray(R"({"error":{"code":"snapshot.expired"}})") << ErrorKind::Conflict << u"snapshot.expired"_s << false;
        QTest::newRow("rejected422") << NE::UnknownContentError << 422 << QByteArray(R"({"error":{"code":"product.unknown"}})") << ErrorKind::Rejected << u"product.unknown"_s << false;
        QTest::newRow("badRequest400") << NE::ProtocolInvalidOperationError << 400 << QByteArray(R"({"error":{"code":"request.malformed_json"}})") << ErrorKind::Invalid << u"request.malformed_json"_s << false;
        QTest::newRow("tooLarge413NoCode") << NE::UnknownContentError << 413 << QByteArray("too big") << ErrorKind::Invalid << u"http.413"_s << false;
        // The message text never decides: a 400 whose message says "timeout" is still permanent.
        QTest::newRow("messageTextIgnored") << NE::ProtocolInvalidOperationError << 400 << QByteArray(R"({"error":{"code":"request.bad_parameter","message":"temporary timeout, retry"}})") << ErrorKind::Invalid << u"request.bad_parameter"_s << false;
    }

    void classifyError()
    {
        QFETCH(QNetworkReply::NetworkError, network);
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(ErrorKind, kind);
        QFETCH(QString, code);
        QFETCH(bool, transient);
        const Error e = sync::classifyError(network, status, body);
        QCOMPARE(int(e.kind), int(kind));
        QCOMPARE(e.code, code);
        QCOMPARE(e.isTransient(), transient);
        QVERIFY(!e.userText.isEmpty());
        QCOMPARE(isTokenExpired(e), code == u"auth.token_expired"_s);
    }

    void backoffStaysUnderExponentialCeilingAndCap()
    {
        QRandomGenerator random(1234);
        using namespace std::chrono;
        bool sawNonZero = false;
        for (int attempts = 1; attempts <= 40; ++attempts) {
            const auto ceiling = std::min<milliseconds>(5min, 2s * (qint64(1) << std::min(attempts - 1, 20)));
            for (int i = 0; i < 50; ++i) {
                const milliseconds d = backoffDelay(attempts, random);
                QVERIFY2(d >= 0ms && d <= ceiling, qPrintable(u"attempt %1 delay %2"_s.arg(attempts).arg(d.count())));
                sawNonZero = sawNonZero || d > 0ms;
            }
        }
        QVERIFY(sawNonZero);
    }

    void cutErrorAnswerIsTransient_data()
    {
        QTest::addColumn<QByteArray>("answer");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("code");
        const QByteArray body = R"({"error":{"code":"auth.token_expired","message":"The session has expired."}})";
        const auto answer = [&](const QByteArray &statusLine, qsizetype sent) {
            return "HTTP/1.1 " + statusLine + "\r\nContent-Type: application/json\r\nContent-Length: "
                   + QByteArray::number(body.size()) + "\r\n\r\n" + body.left(sent);
        };
        QTest::newRow("401Whole") << answer("401 Unauthorized", body.size()) << int(ErrorKind::Unauthorized)
                                  << u"auth.token_expired"_s;
        QTest::newRow("401CutInBody") << answer("401 Unauthorized", 12) << int(ErrorKind::Transient) << u"net.reset"_s;
        QTest::newRow("401CutAfterHeaders") << answer("401 Unauthorized", 0) << int(ErrorKind::Transient)
                                            << u"net.reset"_s;
        QTest::newRow("409CutInBody") << answer("409 Conflict", 30) << int(ErrorKind::Transient) << u"net.reset"_s;
        QTest::newRow("200CutInBody") << answer("200 OK", 20) << int(ErrorKind::Transient) << u"net.reset"_s;
        QTest::newRow("422CutInBody") << answer("422 Unprocessable Entity", 5) << int(ErrorKind::Transient)
                                      << u"net.reset"_s;
    }

    void cutErrorAnswerIsTransient()
    {
        QFETCH(QByteArray, answer);
        QFETCH(int, kind);
        QFETCH(QString, code);
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        QObject::connect(&server, &QTcpServer::newConnection, &server, [&] {
            QTcpSocket *socket = server.nextPendingConnection();
            QObject::connect(socket, &QTcpSocket::readyRead, socket, [socket, answer] {
                if (!socket->readAll().contains("\r\n\r\n"))
                    return;
                socket->write(answer);
                socket->flush();
                socket->disconnectFromHost(); // whatever was not sent never comes
            });
        });
        HttpClient client;
        client.setBaseUrl(QUrl(u"http://127.0.0.1:%1"_s.arg(server.serverPort())));
        const auto r = client.send("GET", u"/v1/me"_s, {}, "token");
        QVERIFY(!r);
        QCOMPARE(int(r.error().kind), kind);
        QCOMPARE(r.error().code, code);
    }

    void backoffIsJittered()
    {
        QRandomGenerator random(99);
        QSet<qint64> seen;
        for (int i = 0; i < 20; ++i)
            seen.insert(backoffDelay(6, random).count());
        QVERIFY(seen.size() > 10); // full jitter, not a fixed schedule
    }
};

QTEST_GUILESS_MAIN(TstTransport)
#include "tst_transport.moc"
