// Each API module registers its routes here; http_server.cpp calls them all.
#pragma once

class QHttpServer;

namespace outpost::server {

struct ServerContext;

void registerAuthRoutes(QHttpServer &http, ServerContext &ctx);    // auth.cpp: /v1/auth/*
void registerReadRoutes(QHttpServer &http, ServerContext &ctx);    // read_api.cpp: catalog, accounts, me
void registerChangeRoutes(QHttpServer &http, ServerContext &ctx);  // changes.cpp: /v1/changes
void registerOrderRoutes(QHttpServer &http, ServerContext &ctx);   // orders.cpp: /v1/orders*
void registerAdminRoutes(QHttpServer &http, ServerContext &ctx);   // admin_api.cpp: import, export
void registerMetaRoutes(QHttpServer &http, ServerContext &ctx);    // openapi.json, health

} // namespace outpost::server
