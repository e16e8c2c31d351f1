// GET /v1/openapi.json (the document in server/openapi.json) and GET /v1/health.
#include "server/database.h"
#include "server/http.h"
#include "server/routes.h"

#include <QFile>
#include <QHttpServer>
#include <QJsonDocument>
#include <QLoggingCategory>

using namespace Qt::Literals::StringLiterals;

namespace outpost::server {

namespace {

Q_LOGGING_CATEGORY(lcMeta, "outpost.server")

const QString kOpenApiResource = u":/outpost/server/openapi.json"_s;

const QByteArray &openApiBytes()
{
    static const QByteArray bytes = [] {
        QFile f(kOpenApiResource);
        if (!f.open(QIODevice::ReadOnly)) {
            qCWarning(lcMeta) << "openapi.json resource missing";
            return QByteArray();
        }
        return f.readAll();
    }();
    return bytes;
}

} // namespace

const std::vector<RouteInfo> &routeTable()
{
    static const std::vector<RouteInfo> table = [] {
        std::vector<RouteInfo> routes;
        const QJsonObject paths =
            QJsonDocument::fromJson(openApiBytes()).object().value(u"paths"_s).toObject();
        static const QStringList methods{u"get"_s, u"post"_s, u"put"_s, u"patch"_s, u"delete"_s};
        for (auto it = paths.constBegin(); it != paths.constEnd(); ++it) {
            const QJsonObject item = it.value().toObject();
            for (const QString &m : methods) {
                if (item.contains(m))
                    routes.push_back(RouteInfo{m.toUpper(), it.key()});
            }
        }
        return routes;
    }();
    return table;
}

bool pathMatchesTemplate(const QString &path, const QString &pathTemplate)
{
    const QStringList a = path.split(u'/');
    const QStringList b = pathTemplate.split(u'/');
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        const bool placeholder = b[i].startsWith(u'{') && b[i].endsWith(u'}');
        if (placeholder ? a[i].isEmpty() : a[i] != b[i])
            return false;
    }
    return true;
}

void registerMetaRoutes(QHttpServer &http, ServerContext &ctx)
{
    http.route(u"/v1/openapi.json"_s, QHttpServerRequest::Method::Get, [](const QHttpServerRequest &) {
        const QByteArray &doc = openApiBytes();
        if (doc.isEmpty())
            return errorResponse(Error::make(ErrorKind::Internal, u"openapi.missing"_s, {}));
        return QHttpServerResponse("application/json", doc);
    });

    // {"status":"ok","database":"ok","time":...}; ?routes=1 adds the route table.
    http.route(u"/v1/health"_s, QHttpServerRequest::Method::Get, [&ctx](const QHttpServerRequest &request) {
        auto probe = ctx.db->exec(u"SELECT 1"_s);
        const bool dbOk = probe && probe->next();
        QJsonObject body{
            {u"status"_s, dbOk ? u"ok"_s : u"degraded"_s},
            {u"database"_s, dbOk ? u"ok"_s : u"unavailable"_s},
            {u"dialect"_s, ctx.db->dialect() == Database::Dialect::SQLite ? u"sqlite"_s : u"postgresql"_s},
            {u"time"_s, isoUtc(ctx.now())}};
        if (request.query().hasQueryItem(u"routes"_s)) {
            QJsonArray routes;
            for (const RouteInfo &r : routeTable())
                routes.append(QJsonObject{{u"method"_s, r.method}, {u"path"_s, r.path}});
            body.insert(u"routes"_s, routes);
        }
        return jsonResponse(body, dbOk ? 200 : 503);
    });
}

} // namespace outpost::server
