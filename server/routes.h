// Each API module registers its routes here; serve.cpp calls them all.
#pragma once

#include <QString>

#include <vector>

class QHttpServer;

namespace outpost::server {

struct ServerContext;

void registerAuthRoutes(QHttpServer &http, ServerContext &ctx);    // auth.cpp: /v1/auth/*
void registerReadRoutes(QHttpServer &http, ServerContext &ctx);    // read_api.cpp: catalog, accounts, me
void registerChangeRoutes(QHttpServer &http, ServerContext &ctx);  // changes.cpp: /v1/changes
void registerOrderRoutes(QHttpServer &http, ServerContext &ctx);   // orders.cpp: /v1/orders*
void registerAdminRoutes(QHttpServer &http, ServerContext &ctx);   // admin_api.cpp: import, export
void registerMetaRoutes(QHttpServer &http, ServerContext &ctx);    // openapi.json, health
void registerSnapshotRoutes(QHttpServer &http, ServerContext &ctx); // snapshot_api.cpp: /v1/sync/snapshot
void registerChecksumRoutes(QHttpServer &http, ServerContext &ctx); // checksums.cpp: /v1/sync/checksums
void registerCommandRoutes(QHttpServer &http, ServerContext &ctx);  // commands_api.cpp: /v1/commands
void registerTerritoryRoutes(QHttpServer &http, ServerContext &ctx); // territories_api.cpp: /v1/admin/territories
void registerAttachmentRoutes(QHttpServer &http, ServerContext &ctx); // attachments_api.cpp: /v1/attachments*

// Every route the server serves, read from the "paths" of server/openapi.json (the one list:
// document a new route there). Paths are OpenAPI templates: "/v1/accounts/{id}". serve.cpp uses it
// to answer 405 for a known path with the wrong method; tst_openapi checks each one is registered.
struct RouteInfo
{
    QString method; // "GET", "POST", ...
    QString path;
};
const std::vector<RouteInfo> &routeTable();
// Whether a concrete request path matches an OpenAPI path template ("{x}" = one segment).
bool pathMatchesTemplate(const QString &path, const QString &pathTemplate);

} // namespace outpost::server
