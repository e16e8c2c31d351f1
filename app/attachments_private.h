// AttachmentsController's private state, shared by its two source files (capture and settings in
// attachments_controller.cpp, viewing and downloads in attachment_viewing.cpp). Not for other use.
#pragma once

#include "app/app_context.h"
#include "domain/result.h"
#include "storage/blob_store.h"
#include "storage/database.h"
#include "sync/session.h"
#include "sync/sync_context.h"
#include "sync/sync_engine.h"

#include <QHash>
#include <QSet>
#include <QThreadPool>

namespace outpost::platform {
class Location;
}
namespace outpost::sync {
class AttachmentUploader;
}

namespace outpost::app {

inline constexpr qint64 kAttachmentCacheCapBytes = 256LL * 1024 * 1024;
inline constexpr int kDefaultPhotoMaxEdge = 2048;
inline constexpr int kDefaultPhotoQuality = 80;

struct AttachmentsController::Private
{
    explicit Private(AppContext &app)
        : ctx(app), blobs(storage::BlobStore::blobDirFor(app.replicaPath())),
          cache(storage::BlobStore::cacheDirFor(app.replicaPath()), kAttachmentCacheCapBytes)
    {
    }
    AppContext &ctx;
    storage::BlobStore blobs;
    storage::BlobStore cache;
    sync::AttachmentUploader *uploader = nullptr;
    platform::Location *location = nullptr;
    bool camera = false;
    int maxEdge = kDefaultPhotoMaxEdge;
    int quality = kDefaultPhotoQuality;
    int waiting = 0;
    int failed = 0;
    QThreadPool pool;                  // downloads and remote listings
    QSet<QString> fetching;            // attachment ids being downloaded
    QHash<QString, Error> fetchErrors; // the last failed download of an id (shown once)
    QSet<QString> askedOwners;         // owners asked for remote attachments this session

    // Runs work(ctx) on a pool thread with its own replica connection and session.
    template <typename Fn> void runWithSession(Fn work)
    {
        const QString replica = ctx.replicaPath();
        const sync::Clock clock = ctx.clock();
        pool.start([replica, clock, work] {
            auto db = sync::openReplica(replica);
            if (!db) {
                work(nullptr, Result<int>(db.error()));
                return;
            }
            sync::ApiSession api(**db);
            if (Status s = api.load(); !s) {
                work(nullptr, Result<int>(s.error()));
                return;
            }
            sync::SyncContext sc{**db, api, replica, clock, {}, {}};
            work(&sc, Result<int>(0));
        });
    }
};

} // namespace outpost::app
