// Admin routes: CSV import (importer.h) and the orders export (exporter.h). Admin role only.
//   POST /v1/admin/import/{kind}?skipBadRows=true   body text/csv -> the import report
//   GET  /v1/admin/orders/export?format=csv|json&since=ISO
#include "server/database.h"
#include "server/exporter.h"
#include "server/http.h"
#include "server/importer.h"
#include "server/routes.h"

#include <QHttpServer>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QUrlQuery>

using namespace Qt::Literals::StringLiterals;

namespace outpost::server {

namespace {

Q_LOGGING_CATEGORY(lcAdmin, "outpost.server")

bool isTrue(const QString &v)
{
    return v == u"true"_s || v == u"1"_s || v == u"yes"_s;
}

QHttpServerResponse handleImport(ServerContext &ctx, const QString &kindName,
                                 const QHttpServerRequest &request)
{
    auto caller = authenticate(ctx, request);
    if (!caller)
        return errorResponse(caller.error());
    if (Status s = requireRole(*caller, {Role::Admin}); !s)
        return errorResponse(s.error());
    const auto kind = importKindFromName(kindName);
    if (!kind)
        return errorResponse(
            404, u"import.unknown_kind"_s,
            u"Unknown import kind; use products, prices, contract-prices, accounts or stock."_s, u"kind"_s);
    const QByteArray contentType = request.value("Content-Type").toLower();
    if (!contentType.startsWith("text/csv") && !contentType.startsWith("application/csv"))
        return errorResponse(415, u"request.unsupported_media_type"_s, u"Send the file as text/csv."_s);
    if (request.body().size() > ctx.config.maxImportBodyBytes)
        return errorResponse(413, u"request.too_large"_s,
                             u"The file is larger than %1 bytes."_s.arg(ctx.config.maxImportBodyBytes));
    const QUrlQuery query = request.query();
    for (const auto &[key, value] : query.queryItems()) {
        if (key != u"skipBadRows"_s)
            return errorResponse(400, u"request.unknown_parameter"_s, u"Unknown query parameter."_s, key);
    }
    ImportOptions options;
    options.kind = *kind;
    options.fileName = kindName + u".csv"_s;
    options.skipBadRows = isTrue(query.queryItemValue(u"skipBadRows"_s));
    options.updatedAt = isoUtc(ctx.now());
    auto report = importCsv(*ctx.db, caller->tenantId, request.body(), options);
    if (!report)
        return errorResponse(report.error());
    const QJsonObject body = report->toJson();
    qCInfo(lcAdmin) << "admin import" << kindName << "tenant" << caller->tenantId << "user" << caller->userId
                    << "rows" << report->rowsRead << "bad" << report->badRows << "committed"
                    << report->committed;
    if (report->committed) {
        auto audit =
            ctx.db->exec(u"INSERT INTO audit_log (tenant_id, user_id, action, entity, entity_id, at, detail) "
                         "VALUES (?, ?, 'import', ?, '', ?, ?)"_s,
                         {caller->tenantId, caller->userId, kindName, isoUtc(ctx.now()),
                          u"read=%1 inserted=%2 updated=%3 skipped=%4 seq=%5"_s.arg(report->rowsRead)
                              .arg(report->inserted)
                              .arg(report->updated)
                              .arg(report->skipped)
                              .arg(report->seq)});
        if (!audit)
            qCWarning(lcAdmin) << "audit log write failed for import";
    }
    if (report->badRows > 0 && !options.skipBadRows) {
        QJsonObject error{
            {u"code"_s, u"import.bad_rows"_s},
            {u"message"_s, u"%1 rows are invalid; nothing was imported."_s.arg(report->badRows)}};
        return jsonResponse(QJsonObject{{u"error"_s, error}, {u"report"_s, body}}, 422);
    }
    return jsonResponse(body);
}

QHttpServerResponse handleExport(ServerContext &ctx, const QHttpServerRequest &request)
{
    auto caller = authenticate(ctx, request);
    if (!caller)
        return errorResponse(caller.error());
    if (Status s = requireRole(*caller, {Role::Admin}); !s)
        return errorResponse(s.error());
    const QUrlQuery query = request.query();
    for (const auto &[key, value] : query.queryItems()) {
        if (key != u"format"_s && key != u"since"_s)
            return errorResponse(400, u"request.unknown_parameter"_s, u"Unknown query parameter."_s, key);
    }
    ExportOptions options;
    const QString formatName =
        query.hasQueryItem(u"format"_s) ? query.queryItemValue(u"format"_s) : u"json"_s;
    const auto format = exportFormatFromName(formatName);
    if (!format)
        return errorResponse(400, u"export.bad_format"_s, u"format must be csv or json."_s, u"format"_s);
    options.format = *format;
    if (query.hasQueryItem(u"since"_s)) {
        auto since = parseSince(query.queryItemValue(u"since"_s, QUrl::FullyDecoded));
        if (!since)
            return errorResponse(since.error());
        options.since = *since;
    }
    auto result = exportOrders(*ctx.db, caller->tenantId, options);
    if (!result)
        return errorResponse(result.error());
    return QHttpServerResponse(result->contentType, result->body);
}

} // namespace

void registerAdminRoutes(QHttpServer &http, ServerContext &ctx)
{
    http.route(u"/v1/admin/import/<arg>"_s, QHttpServerRequest::Method::Post,
               [&ctx](const QString &kind, const QHttpServerRequest &request) {
                   return handleImport(ctx, kind, request);
               });
    http.route(u"/v1/admin/orders/export"_s, QHttpServerRequest::Method::Get,
               [&ctx](const QHttpServerRequest &request) { return handleExport(ctx, request); });
}

} // namespace outpost::server
