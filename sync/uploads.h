// The attachment upload queue (separate from the command outbox) and on-demand downloads.
// Protocol: docs/attachments.md. No QtGui here.
#pragma once

#include "storage/attachment_repository.h"
#include "sync/sync_context.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>

class QThread;

namespace outpost::storage {
class BlobStore;
}

namespace outpost::sync {

struct UploadOptions
{
    qint64 chunkSize = 512 * 1024;
    std::chrono::seconds maxDuration{0}; // 0 = one pass over what is due; >0 = retry transient
                                         // failures (backoff, full jitter) until done or time up
    int limit = 1000;                    // attachments per pass
    bool sendAll = false;                // also items backing off (a user's "send now")
    // Called after every chunk: attachment id, bytes the server holds, total size.
    std::function<void(const QString &id, qint64 received, qint64 size)> onProgress;
};

struct UploadReport
{
    int delivered = 0;      // attachments complete on the server in this pass
    int deduplicated = 0;   // of those, ones the server already had the bytes of (no bytes sent)
    int failed = 0;         // marked failed (permanent error) in this pass
    int remaining = 0;      // still waiting (transient errors, time up)
    qint64 bytesSent = 0;   // body bytes of every chunk request sent
    qint64 bytesResent = 0; // body bytes sent for chunks the server did not keep (a cut request,
                            // an offset the server already had) = bytes sent twice
    int chunks = 0;
    int retries = 0;
};

// One pass of the queue: recovers rows left uploading, then for each due attachment oldest first:
// POST metadata (learn received / dedup), PUT chunks from `received` to the end, mark delivered
// with the server's receipt time. A transient error puts the attachment back (backoff) and the
// pass goes on to the next; a permanent one marks it failed with the server's code.
// An Error is returned only when nothing could be tried (not signed in, offline at the start).
Result<UploadReport> runUploads(SyncContext &ctx, storage::BlobStore &blobs, const UploadOptions &options);

// GET /v1/attachments?ownerType=&ownerId=: upserts attachments made elsewhere (origin remote) into
// the replica and returns how many the server listed.
Result<int> refreshRemoteAttachments(SyncContext &ctx, const QString &ownerType, const QString &ownerId);

// The bytes of an attachment for viewing: the local blob when the replica has it, else the
// download cache, else GET .../content into the cache (verified against sha256; the cache is
// then evicted down to its cap). Returns the file path.
Result<QString> fetchAttachment(SyncContext &ctx, storage::BlobStore &blobs, storage::BlobStore &cache,
                                const QString &attachmentId);

// Runs the upload queue on its own thread with its own replica connection and HTTP client, so a
// large upload never delays a sync pass. kick() starts a pass (or queues one more after the
// running one). Signals arrive on the thread the uploader lives on.
class AttachmentUploader : public QObject
{
    Q_OBJECT
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    Q_PROPERTY(QString currentId READ currentId NOTIFY progressChanged)
    Q_PROPERTY(double currentProgress READ currentProgress NOTIFY progressChanged)

public:
    AttachmentUploader(const QString &replicaPath, QObject *parent = nullptr);
    ~AttachmentUploader() override; // cancels and joins

    void setOptions(const UploadOptions &options) { m_options = options; }
    void setClockOffset(std::chrono::seconds offset) { m_clock.offset = offset; }
    bool busy() const { return m_busy; }
    QString currentId() const { return m_currentId; }
    double currentProgress() const { return m_currentProgress; }
    const std::optional<UploadReport> &lastReport() const { return m_lastReport; }

public Q_SLOTS:
    void kick(bool sendAll = false);
    void cancel();

Q_SIGNALS:
    void busyChanged(bool busy);
    // A chunk landed: the models show "uploading n %".
    void progressChanged(const QString &id, qint64 received, qint64 size);
    // An attachment changed state in the replica (delivered, failed, back to waiting).
    void attachmentsChanged();
    void passFinished(bool ok, const QString &errorCode);

private:
    void startPass();
    QString m_replicaPath;
    UploadOptions m_options;
    Clock m_clock;
    QThread *m_thread = nullptr;
    std::atomic<bool> m_cancel{false};
    bool m_busy = false;
    bool m_again = false;
    bool m_againSendAll = false;
    QString m_currentId;
    double m_currentProgress = 0;
    std::optional<UploadReport> m_lastReport;
};

} // namespace outpost::sync
