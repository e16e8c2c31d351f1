// What every request handler gets: the database, the configuration and the clock.
#pragma once

#include <QDateTime>
#include <QString>

#include <chrono>
#include <functional>
#include <memory>

namespace outpost::server {

class Database;
class BlobStore;

struct ServerConfig
{
    std::chrono::seconds accessTokenTtl{15 * 60};
    std::chrono::seconds refreshTokenTtl{30 * 24 * 3600};
    // A rotated refresh token presented again this soon gets another successor, not a revocation
    // (auth.cpp); 0 makes every second use a reuse.
    std::chrono::seconds refreshReuseInterval{60};
    qsizetype maxJsonBodyBytes = 1 * 1024 * 1024;    // API calls
    qsizetype maxImportBodyBytes = 256 * 1024 * 1024; // CSV import through the admin endpoint
    int maxOrderLines = 1000;
    // Snapshot cache folder (GET /v1/sync/snapshot); serve sets "<db file>.snapshots" by default.
    QString snapshotDir;
    std::chrono::seconds snapshotMaxAge{3600};
    int maxCommandsPerBatch = 1000;                   // POST /v1/commands
    qsizetype maxCommandBodyBytes = 16 * 1024 * 1024; // POST /v1/commands (1,000 orders of 10 lines)
    // Attachments (docs/attachments.md). serve sets blobDir to "<db file>.blobs" by default.
    QString blobDir;
    qint64 maxAttachmentBytes = qint64(256) * 1024 * 1024; // --max-attachment-mb
    qsizetype maxChunkBytes = 4 * 1024 * 1024;              // PUT /v1/attachments/{id}/content
    qsizetype preferredChunkBytes = 512 * 1024;             // "chunkSize" told to clients
    qsizetype maxAttachmentJsonBytes = 8 * 1024 * 1024;     // POST /v1/attachments (signature strokes)
};

struct ServerContext
{
    Database *db = nullptr;
    ServerConfig config;
    // Where attachment bytes live (serve makes a FolderBlobStore on config.blobDir).
    std::shared_ptr<BlobStore> blobs;
    // The server's clock (UTC). Tests may replace it; nothing reads QDateTime::currentDateTime directly.
    std::function<QDateTime()> now = [] { return QDateTime::currentDateTimeUtc(); };
};

} // namespace outpost::server
