#include "sync/transport.h"

#include <QEventLoop>
#include <QIODevice>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QTimer>

Q_LOGGING_CATEGORY(lcSync, "outpost.sync")

using namespace Qt::Literals::StringLiterals;

namespace outpost::sync {

namespace {

QString serverCode(const QByteArray &body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    return doc.object().value(u"error"_s).toObject().value(u"code"_s).toString();
}

} // namespace

Error classifyError(QNetworkReply::NetworkError error, int httpStatus, const QByteArray &body)
{
    using NE = QNetworkReply::NetworkError;
    if (httpStatus >= 400) {
        const QString code = serverCode(body);
        const QString c = code.isEmpty() ? u"http.%1"_s.arg(httpStatus) : code;
        const QString detail = u"HTTP %1 %2"_s.arg(httpStatus).arg(c);
        if (httpStatus >= 500 || httpStatus == 429 || httpStatus == 408)
            return Error::make(ErrorKind::Transient, c, u"The server is busy; will retry."_s, detail);
        switch (httpStatus) {
        case 401:
            return Error::make(ErrorKind::Unauthorized, c, u"Sign in again."_s, detail);
        case 403:
            return Error::make(ErrorKind::Forbidden, c, u"You may not do this."_s, detail);
        case 404:
            return Error::make(ErrorKind::NotFound, c, u"The server does not know this."_s, detail);
        case 409:
        case 412:
            return Error::make(ErrorKind::Conflict, c, u"The server's state disagrees."_s, detail);
        case 422:
            return Error::make(ErrorKind::Rejected, c, u"The server rejected this."_s, detail);
        default:
            return Error::make(ErrorKind::Invalid, c, u"The server refused the request."_s, detail);
        }
    }
    const QString detail = u"network error %1"_s.arg(int(error));
    switch (error) {
    case NE::NoError:
        if (httpStatus == 0)
            return Error::make(ErrorKind::Transient, u"net.no_answer"_s, u"The server did not answer; will retry."_s,
                               detail);
        return Error::make(ErrorKind::Internal, u"net.unexpected"_s, u"Unexpected answer from the server."_s,
                           u"HTTP %1"_s.arg(httpStatus));
    case NE::HostNotFoundError:
    case NE::ConnectionRefusedError:
    case NE::TimeoutError:
    case NE::NetworkSessionFailedError:
    case NE::TemporaryNetworkFailureError:
    case NE::ProxyNotFoundError:
    case NE::ProxyConnectionRefusedError:
    case NE::ProxyTimeoutError:
        return Error::make(ErrorKind::Offline, u"net.offline"_s, u"The server cannot be reached; will retry."_s,
                           detail);
    case NE::SslHandshakeFailedError:
    case NE::UnknownProxyError:
    case NE::ProxyAuthenticationRequiredError:
        return Error::make(ErrorKind::Internal, u"net.tls"_s, u"The secure connection to the server failed."_s,
                           detail);
    case NE::RemoteHostClosedError:
    case NE::ProxyConnectionClosedError:
    case NE::OperationCanceledError:
    case NE::UnknownNetworkError:
    case NE::InternalServerError:
    case NE::ServiceUnavailableError:
    case NE::UnknownServerError:
    default:
        return Error::make(ErrorKind::Transient, u"net.reset"_s, u"The connection dropped; will retry."_s, detail);
    }
}

bool isTokenExpired(const Error &e)
{
    return e.kind == ErrorKind::Unauthorized && e.code == u"auth.token_expired"_s;
}

QJsonObject HttpResponse::json() const
{
    return QJsonDocument::fromJson(body).object();
}

HttpClient::HttpClient() : m_nam(std::make_unique<QNetworkAccessManager>())
{
    m_nam->setAutoDeleteReplies(false);
}

HttpClient::~HttpClient() = default;

Result<HttpResponse> HttpClient::send(const QByteArray &method, const QString &pathAndQuery, const QByteArray &body,
                                      const QByteArray &bearer, const RequestOptions &options)
{
    QUrl url = m_base;
    const qsizetype q = pathAndQuery.indexOf(u'?');
    url.setPath(m_base.path().chopped(m_base.path().endsWith(u'/') ? 1 : 0) + pathAndQuery.left(q));
    if (q >= 0)
        url.setQuery(pathAndQuery.mid(q + 1));
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    if (!body.isEmpty() || method == "POST")
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (!bearer.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + bearer);
    for (const auto &[name, value] : options.headers)
        request.setRawHeader(name, value);

    std::unique_ptr<QNetworkReply> reply(m_nam->sendCustomRequest(request, method, body));
    QEventLoop loop;
    QTimer idle;
    idle.setSingleShot(true);
    bool timedOut = false;
    QObject::connect(&idle, &QTimer::timeout, &loop, [&] {
        timedOut = true;
        reply->abort();
    });
    const auto restart = [&] { idle.start(options.idleTimeout); };
    int status = 0;
    bool sinkFailed = false;
    bool headersSeen = false;
    const auto seeHeaders = [&] {
        if (headersSeen)
            return;
        status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 0)
            return;
        headersSeen = true;
        if (options.onHeaders) {
            QHash<QByteArray, QByteArray> headers;
            for (const auto &[name, value] : reply->rawHeaderPairs())
                headers.insert(name.toLower(), value);
            options.onHeaders(status, headers);
        }
    };
    QObject::connect(reply.get(), &QNetworkReply::metaDataChanged, &loop, seeHeaders);
    QObject::connect(reply.get(), &QNetworkReply::readyRead, &loop, [&] {
        restart();
        seeHeaders();
        if (options.sink && status >= 200 && status < 300) {
            const QByteArray chunk = reply->readAll();
            if (options.sink->write(chunk) != chunk.size())
                sinkFailed = true;
        }
    });
    QObject::connect(reply.get(), &QNetworkReply::uploadProgress, &loop, restart);
    QObject::connect(reply.get(), &QNetworkReply::downloadProgress, &loop, [&](qint64 received, qint64 total) {
        restart();
        if (options.progress)
            options.progress(received, total);
    });
    QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
    restart();
    if (!reply->isFinished())
        loop.exec();
    idle.stop();

    seeHeaders();
    status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    HttpResponse response;
    response.status = status;
    for (const auto &[name, value] : reply->rawHeaderPairs())
        response.headers.insert(name.toLower(), value);
    const QByteArray rest = reply->readAll();
    if (options.sink && status >= 200 && status < 300) {
        if (options.sink->write(rest) != rest.size())
            sinkFailed = true;
    } else {
        response.body = rest;
    }
    if (timedOut)
        return classifyError(QNetworkReply::TimeoutError, 0, {});
    if (sinkFailed)
        return Error::make(ErrorKind::Internal, u"sync.write_failed"_s, u"The device could not store a download."_s);
    if (status >= 400) {
        // An error answer shorter than its Content-Length was cut on the way (Qt reports it with
        // its status, e.g. 401 or 422, not as a dropped connection): the server's word never
        // arrived, so it is a transient failure, not a refusal.
        bool known = false;
        const qint64 declared = reply->header(QNetworkRequest::ContentLengthHeader).toLongLong(&known);
        if (known && declared > response.body.size()) {
            qCDebug(lcSync) << method << url.path() << "answer" << status << "cut after" << response.body.size()
                            << "of" << declared << "bytes";
            return classifyError(QNetworkReply::RemoteHostClosedError, 0, {});
        }
    }
    if (reply->error() != QNetworkReply::NoError || status < 200 || status >= 300) {
        Error e = classifyError(reply->error(), status >= 400 ? status : 0, response.body);
        if (reply->error() == QNetworkReply::NoError && status > 0 && status < 400)
            e = Error::make(ErrorKind::Internal, u"net.unexpected"_s, u"Unexpected answer from the server."_s,
                            u"HTTP %1"_s.arg(status));
        qCDebug(lcSync) << method << url.path() << "failed" << e.code;
        return e;
    }
    return response;
}

} // namespace outpost::sync
