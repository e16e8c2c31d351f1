// Signatures and photos for the screens (QML singleton "Attachments" of Outpost.App), and the
// list model a page makes for the attachments of one order or account.
//
// Capture is local and immediate: the image is prepared (media/), stored in the content-addressed
// BlobStore beside the replica and referenced in one replica transaction; the AttachmentUploader
// (sync/uploads.h) sends it on its own thread. Orders never wait for their attachments.
#pragma once

#include "app/app_context.h"
#include "app/row_diff_model.h"

#include <QImage>
#include <QObject>
#include <QQmlEngine>
#include <QUrl>
#include <QVariantList>

#include <optional>

namespace outpost::sync {
class AttachmentUploader;
}
namespace outpost::storage {
class BlobStore;
struct AttachmentRow;
}
namespace outpost::platform {
class Location;
}
namespace outpost::media {
struct PreparedPhoto;
}

namespace outpost::app {

class AttachmentsController : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(Attachments)
    QML_SINGLETON
    OUTPOST_QML_SINGLETON(AttachmentsController, attachments)

    Q_PROPERTY(int waitingCount READ waitingCount NOTIFY countsChanged)   // waiting + uploading
    Q_PROPERTY(int failedCount READ failedCount NOTIFY countsChanged)
    Q_PROPERTY(bool uploading READ uploading NOTIFY uploadingChanged)
    Q_PROPERTY(bool cameraAvailable READ cameraAvailable CONSTANT)        // a camera exists
    Q_PROPERTY(int photoMaxEdge READ photoMaxEdge WRITE setPhotoMaxEdge NOTIFY settingsChanged)
    Q_PROPERTY(int photoQuality READ photoQuality WRITE setPhotoQuality NOTIFY settingsChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorChanged) // last failed action
    Q_PROPERTY(QString errorCode READ errorCode NOTIFY errorChanged)

public:
    explicit AttachmentsController(AppContext &ctx, QObject *parent = nullptr);
    ~AttachmentsController() override;

    int waitingCount() const;
    int failedCount() const;
    bool uploading() const;
    bool cameraAvailable() const;
    int photoMaxEdge() const;
    void setPhotoMaxEdge(int edge);     // 0 (original) or 640..8192, kept in the replica
    int photoQuality() const;
    void setPhotoQuality(int quality);  // 30..100, kept in the replica
    QString errorText() const { return m_errorText; }
    QString errorCode() const { return m_errorCode; }

    // ownerType "order" (ownerId = order UUID) or "account" (ownerId = account id). Return the new
    // attachment's id, or "" with errorCode/errorText set.
    Q_INVOKABLE QString addPhotoFromFile(const QUrl &file, const QString &ownerType, const QString &ownerId,
                                         qint64 accountId, const QString &caption);
    Q_INVOKABLE QString addPhotoFromImage(const QImage &image, const QString &ownerType, const QString &ownerId,
                                          qint64 accountId, const QString &caption);
    // strokes: [[[x,y,tMs,pressure1000],...],...] as the SignaturePad records them; signs the
    // order as it is now (its content hash is kept with the signature).
    Q_INVOKABLE QString addSignature(const QString &orderId, const QVariantList &strokes, const QString &signerName,
                                     const QString &signerRole, int padWidth, int padHeight);
    Q_INVOKABLE bool setCaption(const QString &id, const QString &caption); // before it is delivered
    Q_INVOKABLE bool retry(const QString &id);
    Q_INVOKABLE void sendNow();
    // A file URL to show (local blob, cache, or downloaded now when online); "" with errorCode.
    Q_INVOKABLE QUrl imageUrl(const QString &id);
    // Whether the order changed since this signature was made (content hash differs).
    Q_INVOKABLE bool changedSinceSigning(const QString &id);

    storage::BlobStore &blobs();
    storage::BlobStore &cache();
    sync::AttachmentUploader &uploader();
    platform::Location &location();

    // For the list models (additive to the contract): the replica's attachments of an owner, a
    // row's thumbnail as a file URL ("" when there is none yet), whether a signature's order
    // changed since signing (nullopt: not a signature or its order is not in the replica).
    QList<storage::AttachmentRow> attachmentsOf(const QString &ownerType, const QString &ownerId);
    std::optional<storage::AttachmentRow> attachment(const QString &id);
    QUrl thumbnailUrl(const storage::AttachmentRow &row) const;
    std::optional<bool> orderChangedSince(const storage::AttachmentRow &signature);
    // Asks the server (worker thread) for the owner's attachments made elsewhere; at most once
    // per owner per session unless force. remoteRefreshed follows. False when it did not start
    // (offline, not signed in, already asked).
    bool refreshRemote(const QString &ownerType, const QString &ownerId, bool force = false);
    // Downloads a remote attachment into the cache (worker thread) and makes its thumbnail;
    // attachmentChanged(id) follows. False when it is local, cached already or in flight.
    bool prefetch(const QString &id);

Q_SIGNALS:
    void countsChanged();
    void uploadingChanged();
    void settingsChanged();
    void errorChanged();
    // An attachment's state or progress changed (models re-read that row).
    void attachmentChanged(const QString &id);
    void attachmentsChanged();
    // A chunk of an upload landed (forwarded from the uploader; models update that row only).
    void uploadProgress(const QString &id, qint64 received, qint64 size);
    void remoteRefreshed(const QString &ownerType, const QString &ownerId, int listed, const QString &errorCode);

private:
    bool fail(const Error &error);       // records errorCode/errorText, returns false
    void clearError();
    QString addPrepared(const Result<media::PreparedPhoto> &prepared, const QString &ownerType,
                        const QString &ownerId, qint64 accountId, const QString &caption);
    QString storeRow(storage::AttachmentRow &row, const QByteArray &bytes, const QByteArray &thumbnail);
    void refreshCounts();
    void fetchDone(const QString &id, const QString &errorCode, const QString &errorText);
    struct Private;
    std::unique_ptr<Private> d;
    QString m_errorText;
    QString m_errorCode;
};

} // namespace outpost::app
