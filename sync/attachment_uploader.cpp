// AttachmentUploader: runUploads on its own thread with its own replica connection and HTTP
// client (the structure of SyncEngine), so a 100 MB upload never delays a sync pass.
#include "storage/blob_store.h"
#include "storage/database.h"
#include "sync/session.h"
#include "sync/sync_engine.h"
#include "sync/uploads.h"

#include <QThread>

using namespace Qt::Literals::StringLiterals;

namespace outpost::sync {

AttachmentUploader::AttachmentUploader(const QString &replicaPath, QObject *parent)
    : QObject(parent), m_replicaPath(replicaPath)
{
}

AttachmentUploader::~AttachmentUploader()
{
    if (m_thread) {
        m_cancel = true;
        m_thread->wait();
        delete m_thread;
    }
}

void AttachmentUploader::kick(bool sendAll)
{
    if (m_thread) {
        m_again = true;
        m_againSendAll = m_againSendAll || sendAll;
        return;
    }
    m_againSendAll = sendAll;
    startPass();
}

void AttachmentUploader::cancel()
{
    m_cancel = true;
}

void AttachmentUploader::startPass()
{
    m_cancel = false;
    UploadOptions options = m_options;
    options.sendAll = options.sendAll || m_againSendAll;
    m_againSendAll = false;
    const QString path = m_replicaPath;
    const Clock clock = m_clock;
    AttachmentUploader *self = this; // outlives the thread: the destructor waits for it
    const auto userProgress = m_options.onProgress;
    options.onProgress = [self, userProgress](const QString &id, qint64 received, qint64 size) {
        if (userProgress)
            userProgress(id, received, size);
        QMetaObject::invokeMethod(
            self,
            [self, id, received, size] {
                self->m_currentId = id;
                self->m_currentProgress = size > 0 ? double(received) / double(size) : 0.0;
                Q_EMIT self->progressChanged(id, received, size);
                if (received >= size)
                    Q_EMIT self->attachmentsChanged();
            },
            Qt::QueuedConnection);
    };
    m_thread = QThread::create([path, options, clock, self] {
        auto finish = [self](const Result<UploadReport> &r) {
            QMetaObject::invokeMethod(
                self,
                [self, r] {
                    if (self->m_thread) {
                        self->m_thread->wait();
                        delete self->m_thread;
                        self->m_thread = nullptr;
                    }
                    if (r)
                        self->m_lastReport = *r;
                    self->m_currentId.clear();
                    self->m_currentProgress = 0;
                    self->m_busy = false;
                    Q_EMIT self->progressChanged(QString(), 0, 0);
                    Q_EMIT self->attachmentsChanged();
                    Q_EMIT self->busyChanged(false);
                    Q_EMIT self->passFinished(r.ok(), r ? QString() : r.error().code);
                    if (self->m_again) {
                        self->m_again = false;
                        self->startPass();
                    }
                },
                Qt::QueuedConnection);
        };
        auto db = openReplica(path);
        if (!db) {
            finish(db.error());
            return;
        }
        ApiSession api(**db);
        SyncContext ctx{**db, api, path, clock, {}, {}};
        ctx.cancelled = [self] { return self->m_cancel.load(); };
        storage::BlobStore blobs(storage::BlobStore::blobDirFor(path));
        auto report = runUploads(ctx, blobs, options);
        if (!report)
            qCWarning(lcSync) << "upload pass failed" << report.error().code;
        finish(report);
    });
    m_busy = true;
    Q_EMIT busyChanged(true);
    m_thread->start();
}

} // namespace outpost::sync
