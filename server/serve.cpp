// `outpost-server serve`: the HTTP API on QHttpServer 6.4.
#include "server/blob_store.h"
#include "server/commands.h"
#include "server/context.h"
#include "server/database.h"
#include "server/http.h"
#include "server/routes.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QHttpServer>
#include <QHttpServerRouterRule>
#include <QLoggingCategory>
#include <QRegularExpressionMatch>
#include <QSocketNotifier>
#include <QStandardPaths>
#include <QTextStream>
#include <QUrl>

#include <csignal>
#include <memory>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace outpost::server {

namespace {

Q_LOGGING_CATEGORY(lcServe, "outpost.server")

// Requests are handled on the main thread, one at a time: this is the state of the current one.
struct ServeState
{
    ServerContext *ctx = nullptr;
    QElapsedTimer requestTimer;
};
ServeState g_state;

int g_signalFds[2] = {-1, -1};

void onSignal(int)
{
    const char c = 1;
    [[maybe_unused]] const auto n = ::write(g_signalFds[0], &c, 1);
}

QString methodName(QHttpServerRequest::Method m)
{
    switch (m) {
    case QHttpServerRequest::Method::Get:
        return u"GET"_s;
    case QHttpServerRequest::Method::Put:
        return u"PUT"_s;
    case QHttpServerRequest::Method::Delete:
        return u"DELETE"_s;
    case QHttpServerRequest::Method::Post:
        return u"POST"_s;
    case QHttpServerRequest::Method::Head:
        return u"HEAD"_s;
    case QHttpServerRequest::Method::Options:
        return u"OPTIONS"_s;
    case QHttpServerRequest::Method::Patch:
        return u"PATCH"_s;
    case QHttpServerRequest::Method::Connect:
        return u"CONNECT"_s;
    case QHttpServerRequest::Method::Trace:
        return u"TRACE"_s;
    default:
        return u"UNKNOWN"_s;
    }
}

// The path with ids replaced, so the log carries the route and no customer data.
QString routeForLog(const QHttpServerRequest &request)
{
    QStringList segments = request.url().path().split(u'/');
    for (QString &s : segments) {
        bool numeric = false;
        s.toLongLong(&numeric);
        if (numeric || s.size() > 24)
            s = u"{id}"_s;
    }
    QString route = segments.join(u'/');
    if (route.size() > 120)
        route = route.left(120) + u"..."_s;
    return route;
}

void logRequest(const QHttpServerRequest &request, int status)
{
    const qint64 ms = g_state.requestTimer.isValid() ? g_state.requestTimer.elapsed() : -1;
    const RequestLogInfo &who = currentRequestLog();
    qCInfo(lcServe).noquote() << methodName(request.method()) << routeForLog(request) << status << ms
                              << "ms tenant" << who.tenantId << "user" << who.userId;
}

// PUT /v1/attachments/{id}/content: raw chunks, limited by maxChunkBytes.
bool isAttachmentChunk(const QHttpServerRequest &request)
{
    return request.method() == QHttpServerRequest::Method::Put &&
           pathMatchesTemplate(request.url().path(), u"/v1/attachments/{id}/content"_s);
}

qsizetype bodyLimitFor(const QHttpServerRequest &request)
{
    if (isAttachmentChunk(request))
        return g_state.ctx->config.maxChunkBytes;
    if (request.url().path() == u"/v1/attachments"_s)
        return g_state.ctx->config.maxAttachmentJsonBytes;
    const bool isImport =
        request.url().path().startsWith(u"/v1/admin/"_s) && request.url().path().contains(u"import"_s);
    if (request.url().path() == u"/v1/commands"_s)
        return g_state.ctx->config.maxCommandBodyBytes;
    return isImport ? g_state.ctx->config.maxImportBodyBytes : g_state.ctx->config.maxJsonBodyBytes;
}

// -1 = no Content-Length, -2 = not a number.
qint64 declaredContentLength(const QHttpServerRequest &request)
{
    const auto headers = request.headers();
    for (const auto &h : headers) {
        if (h.first.compare("Content-Length", Qt::CaseInsensitive) == 0) {
            bool ok = false;
            const qint64 n = h.second.trimmed().toLongLong(&ok);
            return ok && n >= 0 ? n : -2;
        }
    }
    return -1;
}

// The first rule the router consults for every request: it starts the request timer, resets the
// log fields and claims the request only when the declared body is too large or malformed
// (QHttpServer 6.4 has no limit of its own and has buffered the body by now).
class RequestGuardRule : public QHttpServerRouterRule
{
public:
    using QHttpServerRouterRule::QHttpServerRouterRule;

protected:
    bool matches(const QHttpServerRequest &request, QRegularExpressionMatch *) const override
    {
        g_state.requestTimer.start();
        currentRequestLog() = RequestLogInfo{};
        const qint64 declared = declaredContentLength(request);
        return declared == -2 || declared > bodyLimitFor(request) ||
               request.body().size() > bodyLimitFor(request);
    }
};

QHttpServerResponse guardResponse(const QHttpServerRequest &request)
{
    if (declaredContentLength(request) == -2)
        return errorResponse(400, u"request.bad_content_length"_s, u"Content-Length is not a number."_s);
    if (isAttachmentChunk(request))
        return errorResponse(413, u"upload.chunk_too_large"_s,
                             u"A chunk is at most %1 bytes."_s.arg(bodyLimitFor(request)));
    return errorResponse(413, u"request.too_large"_s,
                         u"The request body exceeds %1 bytes."_s.arg(bodyLimitFor(request)));
}

void answerMissing(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    const QString path = request.url().path();
    QStringList allowed;
    for (const RouteInfo &r : routeTable()) {
        if (pathMatchesTemplate(path, r.path) && !allowed.contains(r.method))
            allowed << r.method;
    }
    // The method fits but the router had no match (e.g. a malformed path parameter): no such endpoint.
    if (allowed.contains(methodName(request.method())))
        allowed.clear();
    QHttpServerResponse response =
        allowed.isEmpty() ? errorResponse(404, u"route.not_found"_s, u"There is no such endpoint."_s)
                          : errorResponse(405, u"request.method_not_allowed"_s,
                                          u"This endpoint accepts %1."_s.arg(allowed.join(u", "_s)));
    if (!allowed.isEmpty())
        response.setHeader("Allow", allowed.join(u", "_s).toLatin1());
    response.setHeader("Cache-Control", "no-store");
    logRequest(request, int(response.statusCode()));
    response.write(std::move(responder));
}

// <data dir>/blobs/<host>_<port>_<database>: one folder per database, in the server's data
// location ($XDG_DATA_HOME/outpost-server or ~/.local/share/outpost-server).
QString defaultPostgresBlobDir(const QUrl &url)
{
    const QString name = u"%1_%2_%3"_s.arg(url.host().isEmpty() ? u"localhost"_s : url.host())
                             .arg(url.port(5432))
                             .arg(url.path().mid(1));
    QString safe;
    for (const QChar c : name)
        safe += (c.isLetterOrNumber() || c == u'_' || c == u'-' || c == u'.') ? c : u'_';
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + u"/outpost-server/blobs/"_s + safe;
}

QString helpText()
{
    return u"Usage: outpost-server serve --db FILE|URL --listen HOST:PORT [--access-ttl SECONDS]\n"
           "                            [--refresh-reuse-interval SECONDS] [--snapshot-dir DIR]\n"
           "                            [--blob-dir DIR] [--max-attachment-mb N]\n"
           "\n"
           "Runs the Outpost HTTP API until SIGTERM or SIGINT.\n"
           "\n"
           "Options:\n"
           "  --db FILE|URL          SQLite file (created with the schema when new) or\n"
           "                         postgresql://user:password@host:port/database\n"
           "  --listen HOST:PORT     address to listen on; port 0 picks a free port. When ready the\n"
           "                         server prints one line to stdout:\n"
           "                         \"outpost-server listening on http://HOST:PORT\"\n"
           "  --access-ttl SECONDS   lifetime of access tokens (default 900)\n"
           "  --refresh-reuse-interval SECONDS\n"
           "                         a refresh token presented again this soon after it was\n"
           "                         rotated (a resent or repeated request) gets another new pair;\n"
           "                         later, or once the new pair was refreshed, it ends the\n"
           "                         device's sessions (default 60, 0..3600; 0: always ends them)\n"
           "  --snapshot-dir DIR     where partition snapshots are cached (default: next to a\n"
           "                         SQLite file as FILE.snapshots, else a temporary folder)\n"
           "  --blob-dir DIR         where attachment bytes (photos, signatures) are kept, outside\n"
           "                         the database (default: next to a SQLite file as FILE.blobs;\n"
           "                         with PostgreSQL ~/.local/share/outpost-server/blobs/\n"
           "                         HOST_PORT_DATABASE, or under $XDG_DATA_HOME)\n"
           "  --max-attachment-mb N  largest attachment accepted, in MiB (default 256, 1..4096)\n"
           "  -h, --help             show this help\n"_s;
}

} // namespace

int runServe(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    const QCommandLineOption dbOpt(u"db"_s, u"database"_s, u"FILE|URL"_s);
    const QCommandLineOption listenOpt(u"listen"_s, u"address"_s, u"HOST:PORT"_s);
    const QCommandLineOption ttlOpt(u"access-ttl"_s, u"access token lifetime"_s, u"SECONDS"_s);
    const QCommandLineOption reuseOpt(u"refresh-reuse-interval"_s, u"refresh reuse interval"_s, u"SECONDS"_s);
    const QCommandLineOption snapshotDirOpt(u"snapshot-dir"_s, u"snapshot cache folder"_s, u"DIR"_s);
    const QCommandLineOption blobDirOpt(u"blob-dir"_s, u"attachment bytes folder"_s, u"DIR"_s);
    const QCommandLineOption maxAttachmentOpt(u"max-attachment-mb"_s, u"largest attachment"_s, u"N"_s);
    const QCommandLineOption helpOpt(QStringList{u"h"_s, u"help"_s}, u"help"_s);
    parser.addOptions({dbOpt, listenOpt, ttlOpt, reuseOpt, snapshotDirOpt, blobDirOpt, maxAttachmentOpt, helpOpt});
    if (!parser.parse(args)) {
        err << "outpost-server serve: " << parser.errorText() << "\n\n" << helpText();
        return 2;
    }
    if (parser.isSet(helpOpt)) {
        out << helpText();
        return 0;
    }
    if (!parser.positionalArguments().isEmpty() || !parser.isSet(dbOpt) || !parser.isSet(listenOpt)) {
        err << "outpost-server serve: --db and --listen are required\n\n" << helpText();
        return 2;
    }

    const QString listen = parser.value(listenOpt);
    const qsizetype colon = listen.lastIndexOf(u':');
    bool portOk = false;
    const int port = colon > 0 ? listen.mid(colon + 1).toInt(&portOk) : -1;
    QString host = colon > 0 ? listen.left(colon) : QString();
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    const QHostAddress address(host);
    if (!portOk || port < 0 || port > 65535 || address.isNull()) {
        err << "outpost-server serve: --listen must be HOST:PORT with a numeric address, e.g. "
               "127.0.0.1:8080\n";
        return 2;
    }

    ServerContext ctx;
    if (parser.isSet(ttlOpt)) {
        bool ok = false;
        const qint64 ttl = parser.value(ttlOpt).toLongLong(&ok);
        if (!ok || ttl < 1 || ttl > 7 * 24 * 3600) {
            err << "outpost-server serve: --access-ttl must be 1..604800 seconds\n";
            return 2;
        }
        ctx.config.accessTokenTtl = std::chrono::seconds(ttl);
    }
    if (parser.isSet(reuseOpt)) {
        bool ok = false;
        const qint64 interval = parser.value(reuseOpt).toLongLong(&ok);
        if (!ok || interval < 0 || interval > 3600) {
            err << "outpost-server serve: --refresh-reuse-interval must be 0..3600 seconds\n";
            return 2;
        }
        ctx.config.refreshReuseInterval = std::chrono::seconds(interval);
    }

    if (parser.isSet(snapshotDirOpt)) {
        ctx.config.snapshotDir = parser.value(snapshotDirOpt);
    } else if (parser.value(dbOpt).contains(u"://"_s)) {
        ctx.config.snapshotDir = QDir::temp().filePath(u"outpost-snapshots"_s);
    } else {
        ctx.config.snapshotDir = parser.value(dbOpt) + u".snapshots"_s;
    }

    if (parser.isSet(maxAttachmentOpt)) {
        bool ok = false;
        const qint64 mb = parser.value(maxAttachmentOpt).toLongLong(&ok);
        if (!ok || mb < 1 || mb > 4096) {
            err << "outpost-server serve: --max-attachment-mb must be 1..4096\n";
            return 2;
        }
        ctx.config.maxAttachmentBytes = mb * 1024 * 1024;
    }
    // Attachment bytes are data, not cache: never a temporary folder. The folder is created now
    // (a wrong --blob-dir fails at start) except the PostgreSQL default, made on first upload.
    const bool defaultPgBlobs = !parser.isSet(blobDirOpt) && parser.value(dbOpt).contains(u"://"_s);
    if (parser.isSet(blobDirOpt))
        ctx.config.blobDir = parser.value(blobDirOpt);
    else if (defaultPgBlobs)
        ctx.config.blobDir = defaultPostgresBlobDir(QUrl(parser.value(dbOpt)));
    else
        ctx.config.blobDir = parser.value(dbOpt) + u".blobs"_s;
    if (ctx.config.blobDir.trimmed().isEmpty() || (!defaultPgBlobs && !QDir().mkpath(ctx.config.blobDir))) {
        err << "outpost-server serve: cannot create the blob folder " << ctx.config.blobDir << '\n';
        return 1;
    }
    ctx.blobs = std::make_shared<FolderBlobStore>(ctx.config.blobDir);

    auto opened = Database::open(parser.value(dbOpt));
    if (!opened) {
        err << "outpost-server serve: " << opened.error().userText << " (" << opened.error().detail << ")\n";
        return 1;
    }
    std::unique_ptr<Database> db(*opened);
    ctx.db = db.get();
    g_state.ctx = &ctx;

    QHttpServer http;
    // Must be the first rule: see RequestGuardRule.
    http.route<RequestGuardRule>(u"/"_s,
                                 [](const QHttpServerRequest &request) { return guardResponse(request); });
    registerAuthRoutes(http, ctx);
    registerReadRoutes(http, ctx);
    registerChangeRoutes(http, ctx);
    registerOrderRoutes(http, ctx);
    registerAdminRoutes(http, ctx);
    registerMetaRoutes(http, ctx);
    registerSnapshotRoutes(http, ctx);
    registerCommandRoutes(http, ctx);
    registerChecksumRoutes(http, ctx);
    registerTerritoryRoutes(http, ctx);
    registerAttachmentRoutes(http, ctx);
    http.setMissingHandler(&answerMissing);
    http.afterRequest([](QHttpServerResponse &&response, const QHttpServerRequest &request) {
        if (!response.hasHeader("Cache-Control"))
            response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        logRequest(request, int(response.statusCode()));
        return std::move(response);
    });

    const quint16 bound = http.listen(address, quint16(port));
    if (bound == 0) {
        err << "outpost-server serve: cannot listen on " << listen << '\n';
        return 1;
    }

    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFds) != 0) {
        err << "outpost-server serve: cannot set up signal handling\n";
        return 1;
    }
    QSocketNotifier signalNotifier(g_signalFds[1], QSocketNotifier::Read);
    QObject::connect(&signalNotifier, &QSocketNotifier::activated, [] {
        char c = 0;
        [[maybe_unused]] const auto n = ::read(g_signalFds[1], &c, 1);
        qCInfo(lcServe) << "signal received, shutting down";
        QCoreApplication::quit();
    });
    struct sigaction sa = {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);

    const QString shownHost = address.protocol() == QAbstractSocket::IPv6Protocol
                                  ? u"["_s + address.toString() + u"]"_s
                                  : address.toString();
    out << "outpost-server listening on http://" << shownHost << ':' << bound << '\n';
    out.flush();
    qCInfo(lcServe) << "serving; access token ttl" << ctx.config.accessTokenTtl.count()
                    << "s; refresh reuse interval" << ctx.config.refreshReuseInterval.count() << "s; max attachment"
                    << ctx.config.maxAttachmentBytes / (1024 * 1024) << "MiB";

    const int rc = QCoreApplication::exec();
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    ::close(g_signalFds[0]);
    ::close(g_signalFds[1]);
    g_state.ctx = nullptr;
    qCInfo(lcServe) << "stopped";
    return rc;
}

} // namespace outpost::server
