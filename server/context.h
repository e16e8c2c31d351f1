// What every request handler gets: the database, the configuration and the clock.
#pragma once

#include <QDateTime>
#include <QString>

#include <chrono>
#include <functional>

namespace outpost::server {

class Database;

struct ServerConfig
{
    std::chrono::seconds accessTokenTtl{15 * 60};
    std::chrono::seconds refreshTokenTtl{30 * 24 * 3600};
    qsizetype maxJsonBodyBytes = 1 * 1024 * 1024;    // API calls
    qsizetype maxImportBodyBytes = 256 * 1024 * 1024; // CSV import through the admin endpoint
    int maxOrderLines = 1000;
    // Snapshot cache folder (GET /v1/sync/snapshot); serve sets "<db file>.snapshots" by default.
    QString snapshotDir;
    std::chrono::seconds snapshotMaxAge{3600};
    int maxCommandsPerBatch = 1000;                   // POST /v1/commands
    qsizetype maxCommandBodyBytes = 16 * 1024 * 1024; // POST /v1/commands (1,000 orders of 10 lines)
};

struct ServerContext
{
    Database *db = nullptr;
    ServerConfig config;
    // The server's clock (UTC). Tests may replace it; nothing reads QDateTime::currentDateTime directly.
    std::function<QDateTime()> now = [] { return QDateTime::currentDateTimeUtc(); };
};

} // namespace outpost::server
