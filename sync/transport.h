// HTTP for the device: one classifyError() that maps every network and HTTP outcome to an
// outpost::Error (nothing parses message text), and a small blocking client over
// QNetworkAccessManager (a local event loop per request; the sync engine runs it on its worker
// thread). Timeouts are std::chrono durations: a request fails when no byte moved for `idle`.
#pragma once

#include "domain/result.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkReply>
#include <QUrl>

#include <chrono>
#include <functional>
#include <memory>

class QIODevice;
class QNetworkAccessManager;

Q_DECLARE_LOGGING_CATEGORY(lcSync)

namespace outpost::sync {

using namespace std::chrono_literals;

// error: the QNetworkReply error (NoError when the transport worked), httpStatus: 0 when no HTTP
// answer arrived, body: the response body (its {"error":{"code"}} gives the code).
//   offline (ErrorKind::Offline, "net.offline"): host not found, connection refused, timeout,
//     network down                                                   -> show the banner, retry
//   transient (ErrorKind::Transient): 5xx, 429, 408, connection reset/closed, proxy hiccups
//   401 (Unauthorized) with its code; "auth.token_expired" means refresh once and retry
//   other 4xx: permanent with the server's code (403 Forbidden, 404 NotFound, 409/412 Conflict,
//     422 Rejected, else Invalid); "http.<status>" when the body has no code
//   TLS failures: permanent "net.tls" (never ignored)
Error classifyError(QNetworkReply::NetworkError error, int httpStatus, const QByteArray &body);
bool isTokenExpired(const Error &e);

struct HttpResponse
{
    int status = 0;
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QJsonObject json() const;
    QByteArray header(const QByteArray &lowerName) const { return headers.value(lowerName); }
};

struct RequestOptions
{
    std::chrono::milliseconds idleTimeout = 30s; // no byte sent or received for this long
    QList<std::pair<QByteArray, QByteArray>> headers;
    QIODevice *sink = nullptr; // stream a 2xx body here instead of into HttpResponse::body
    std::function<void(qint64 received, qint64 total)> progress;
    // Called once the status line and headers are in (before any body byte reaches the sink).
    std::function<void(int status, const QHash<QByteArray, QByteArray> &headers)> onHeaders;
};

class HttpClient
{
public:
    HttpClient();
    ~HttpClient();
    HttpClient(const HttpClient &) = delete;
    HttpClient &operator=(const HttpClient &) = delete;

    void setBaseUrl(const QUrl &url) { m_base = url; }
    QUrl baseUrl() const { return m_base; }

    // pathAndQuery: "/v1/changes?since=3". A 2xx answer is a value; everything else an Error
    // from classifyError() (the body of a failed answer is in Error::detail's log line only as
    // its code).
    Result<HttpResponse> send(const QByteArray &method, const QString &pathAndQuery, const QByteArray &body = {},
                              const QByteArray &bearer = {}, const RequestOptions &options = {});

private:
    QUrl m_base;
    std::unique_ptr<QNetworkAccessManager> m_nam;
};

} // namespace outpost::sync
