// Attachments in the replica (schema version 4): signatures and photos with their upload state,
// and the `blobs` table saying which files of the BlobStore the replica references.
//
// add() writes the attachment row and its blob rows in one transaction (a savepoint when the
// caller has one open: a signature is saved in the same transaction as the order's submit). The
// bytes are put into the BlobStore before (content-addressed, atomic); if the transaction rolls
// back, the file is an orphan that BlobStore::collectOrphans(referencedBlobs()) removes.
//
// Upload states (origin local):  waiting -> uploading -> delivered
//                                         \-> waiting (transient failure, due again at retryAt)
//                                         \-> failed (permanent, with the server's code; retry())
// Attachments made on other devices (origin remote, state "remote") are listed from the server
// on demand (upsertRemote) and their bytes fetched into the download cache.
#pragma once

#include "domain/result.h"

#include <QDateTime>
#include <QList>
#include <QSet>
#include <QString>

#include <optional>

namespace outpost::storage {

class Database;

struct SignaturePoint
{
    qint32 x = 0;           // pad coordinates (device-independent pixels of the pad)
    qint32 y = 0;
    qint32 tMs = 0;         // milliseconds since the first point of the signature
    qint32 pressure = 1000; // 0..1000 (1000 when the device reports none)
    friend bool operator==(const SignaturePoint &, const SignaturePoint &) = default;
};
using SignatureStroke = QList<SignaturePoint>;

struct AttachmentRow
{
    QString id;          // UUID
    QString kind;        // "signature" | "photo"
    QString ownerType;   // "order" | "account"
    QString ownerId;     // order UUID or account id as text
    qint64 accountId = 0;
    QString sha256;      // the image (PNG for signatures, JPEG/PNG for photos)
    qint64 size = 0;
    QString mime;        // "image/jpeg" | "image/png"
    QString fileName;    // a bare name, no path
    QString caption;
    qint32 width = 0;
    qint32 height = 0;
    QString thumbSha256; // local thumbnail (JPEG, <= 256 px); empty for remote rows until fetched
    std::optional<qint64> latE6;
    std::optional<qint64> lonE6;
    std::optional<qint64> accuracyM;
    // Signatures
    QString signerName;
    QString signerRole;
    QList<SignatureStroke> strokes;
    QString orderContentHash;
    // Times: the device's (when captured) and the server's receipt time (once known)
    QDateTime deviceCreatedAt;
    QDateTime serverReceivedAt;
    // Upload state
    QString origin = QStringLiteral("local"); // "local" | "remote"
    QString state = QStringLiteral("waiting"); // waiting | uploading | delivered | failed | remote
    qint64 uploadedBytes = 0;
    qint64 sentBytes = 0; // highest byte offset ever put on the wire (any process): resends are counted
    int attempts = 0;
    QDateTime nextAttemptAt;
    QString errorCode;
    QString errorText;
};

// The strokes as the wire and the replica carry them: [[[x,y,tMs,pressure],...],...].
QByteArray strokesToJson(const QList<SignatureStroke> &strokes);
Result<QList<SignatureStroke>> strokesFromJson(const QByteArray &json); // "attachment.bad_strokes"

struct AttachmentCounts
{
    qint64 waiting = 0;   // waiting + uploading
    qint64 failed = 0;
    qint64 delivered = 0;
    qint64 bytesWaiting = 0; // bytes not yet confirmed by the server
};

class AttachmentRepository
{
public:
    explicit AttachmentRepository(Database &db) : m_db(db) {}

    // Inserts a local attachment (state waiting, due at now) and blob rows for sha256 and
    // thumbSha256 (mime/size given; thumbnail "image/jpeg"). Validates: id, kind, owner,
    // sha256 format, mime, bare file name, signature fields for signatures
    // ("attachment.*" Invalid codes as in docs/attachments.md). "attachment.exists" (Conflict)
    // for a known id.
    Status add(const AttachmentRow &row, qint64 thumbSize, const QDateTime &now);

    Result<AttachmentRow> get(const QString &id);
    // Oldest first (device_created_at, id).
    Result<QList<AttachmentRow>> forOwner(const QString &ownerType, const QString &ownerId);

    // Upload queue: local rows in state waiting with next_attempt_at <= now, oldest first. The
    // attachments of an order that is still a draft wait for its submit (they travel after it,
    // and a discarded draft takes them along unsent).
    Result<QList<AttachmentRow>> due(const QDateTime &now, int limit);
    // Rows left "uploading" by a killed process go back to waiting (the server knows the offset).
    Result<int> recoverUploading();
    Status markUploading(const QString &id);                       // waiting -> uploading, attempts+1
    Status markProgress(const QString &id, qint64 uploadedBytes);  // stays uploading
    // Bytes up to sentUpTo are going on the wire (kept as the maximum; uploading only).
    Status markSent(const QString &id, qint64 sentUpTo);
    Status markReceivedAt(const QString &id, const QDateTime &serverReceivedAt);
    Status markDelivered(const QString &id, const QDateTime &serverReceivedAt);
    // With retryAt: back to waiting, due then (transient). Without: failed (permanent).
    Status markFailed(const QString &id, const Error &error, std::optional<QDateTime> retryAt);
    Status retry(const QString &id, const QDateTime &now); // failed -> waiting
    // Removes the local attachments of an owner that the server has not seen (waiting, failed):
    // the signature and photos of a discarded draft. Their blob rows go with them unless another
    // attachment uses the same bytes; the files go at the next BlobStore::collectOrphans(). Call it
    // in the transaction that removes the owner. Returns how many attachments were removed.
    Result<int> removeUnsentForOwner(const QString &ownerType, const QString &ownerId);

    // Every waiting item due now, backoff or not (the user's "send now"). Failed items stay failed:
    // the server refused them for a reason the rep sees, and only retry() sends one again (a
    // refused 100 MB file is not re-sent by every "send now").
    Result<int> makeAllDue(const QDateTime &now);

    // Remote attachments (another device made them): insert or update metadata, origin remote.
    // Never touches a local row with the same id.
    Status upsertRemote(const AttachmentRow &row);
    Status setThumbnail(const QString &id, const QString &thumbSha256, qint64 thumbSize);
    // A local attachment's caption, only before the server has seen it (waiting and never tried,
    // or failed: a caption the server refused is fixed and retried); "attachment.caption_locked"
    // (Invalid) otherwise. The caller checks the caption's length.
    Status setCaption(const QString &id, const QString &caption);

    Result<AttachmentCounts> counts();
    // Every sha256 the replica references (attachments' images and thumbnails): what
    // BlobStore::collectOrphans must keep.
    Result<QSet<QString>> referencedBlobs();

private:
    Database &m_db;
};

} // namespace outpost::storage
