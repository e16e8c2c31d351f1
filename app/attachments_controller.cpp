// AttachmentsController: capture (photos from files and camera frames, signatures), settings,
// counts and the upload queue's controls. Viewing and downloads: attachment_viewing.cpp.
#include "app/attachments_controller.h"
#include "app/attachments_private.h"

#include "app/media/photo_import.h"
#include "app/media/signature_render.h"
#include "app/order_controller.h"
#include "domain/content_hash.h"
#include "platform/connectivity.h"
#include "platform/devices/camera.h"
#include "platform/devices/location.h"
#include "storage/attachment_repository.h"
#include "storage/blob_store.h"
#include "storage/database.h"
#include "storage/meta_repository.h"
#include "storage/order_repository.h"
#include "sync/session.h"
#include "sync/sync_engine.h"
#include "sync/uploads.h"

#include <QBuffer>
#include <QHash>
#include <QImage>
#include <QLoggingCategory>
#include <QPainter>
#include <QSet>
#include <QUuid>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcApp)

namespace outpost::app {

namespace {

constexpr int kMaxCaption = 500;
constexpr int kMaxSignerName = 200;
constexpr int kSignatureMaxWidth = 800; // PNG width cap (the pad's aspect kept)

bool validMaxEdge(int edge)
{
    return edge == 0 || (edge >= 640 && edge <= 8192);
}

bool validQuality(int quality)
{
    return quality >= 30 && quality <= 100;
}

int storedInt(storage::Database &db, const QString &key, int fallback, bool (*valid)(int))
{
    bool ok = false;
    const int v = storage::MetaRepository(db).valueOr(key).toInt(&ok);
    return ok && valid(v) ? v : fallback;
}

// [[[x,y,tMs,pressure],...],...] from QML (numbers may arrive as double or int).
Result<QList<storage::SignatureStroke>> strokesFromVariant(const QVariantList &strokes)
{
    const auto bad = [](const QString &what) {
        return Error::invalid(u"attachment.bad_strokes"_s,
                              QObject::tr("The signature cannot be read (%1).").arg(what));
    };
    QList<storage::SignatureStroke> out;
    for (const QVariant &strokeVar : strokes) {
        storage::SignatureStroke stroke;
        for (const QVariant &pointVar : strokeVar.toList()) {
            const QVariantList p = pointVar.toList();
            if (p.size() < 2 || p.size() > 4)
                return bad(u"a point needs x, y, time and pressure"_s);
            qint32 v[4] = {0, 0, 0, 1000};
            for (qsizetype i = 0; i < p.size(); ++i) {
                bool ok = false;
                const double d = p[i].toDouble(&ok);
                if (!ok || !std::isfinite(d) || std::abs(d) > 1e9)
                    return bad(u"a coordinate is not a number"_s);
                v[i] = qint32(std::lround(d));
            }
            stroke.append(storage::SignaturePoint{v[0], v[1], v[2], std::clamp(v[3], 0, 1000)});
        }
        if (!stroke.isEmpty())
            out.append(stroke);
    }
    return out;
}

// A JPEG thumbnail (longest edge <= 256) of a signature PNG, on white.
QByteArray signatureThumbnail(const QImage &image)
{
    QImage scaled = image.scaled(256, 256, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    QImage flat(scaled.size(), QImage::Format_RGB32);
    flat.fill(Qt::white);
    QPainter(&flat).drawImage(0, 0, scaled);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    flat.save(&buffer, "JPEG", 80);
    return bytes;
}

// Takes back a file this call wrote when its row could not be written.
void discard(storage::BlobStore &blobs, const QString &sha256)
{
    if (Status s = blobs.remove(sha256); !s)
        qCWarning(lcApp) << "blob not removed" << s.error().code; // collectOrphans() gets it later
}

} // namespace

AttachmentsController::AttachmentsController(AppContext &ctx, QObject *parent)
    : QObject(parent), d(std::make_unique<Private>(ctx))
{
    d->pool.setMaxThreadCount(2);
    d->camera = platform::cameraAvailable();
    d->location = new platform::Location(ctx.config().nmeaFile, this);
    d->uploader = new sync::AttachmentUploader(ctx.replicaPath(), this);
    d->uploader->setClockOffset(ctx.config().clockOffset);
    // Files no replica row references (a discarded draft's photos, a crash between writing a file
    // and committing its row) go at start, before anything can capture.
    if (auto keep = storage::AttachmentRepository(ctx.db()).referencedBlobs()) {
        if (auto removed = d->blobs.collectOrphans(*keep); removed && *removed > 0)
            qCInfo(lcApp) << "unreferenced attachment files removed" << *removed;
    }
    d->maxEdge = storedInt(ctx.db(), storage::meta::kPhotoMaxEdge, kDefaultPhotoMaxEdge, validMaxEdge);
    d->quality = storedInt(ctx.db(), storage::meta::kPhotoQuality, kDefaultPhotoQuality, validQuality);
    if (ctx.config().photoMaxEdge)
        setPhotoMaxEdge(*ctx.config().photoMaxEdge);

    connect(d->uploader, &sync::AttachmentUploader::busyChanged, this,
            &AttachmentsController::uploadingChanged);
    connect(d->uploader, &sync::AttachmentUploader::progressChanged, this,
            &AttachmentsController::uploadProgress);
    connect(d->uploader, &sync::AttachmentUploader::attachmentsChanged, this, [this] {
        refreshCounts();
        Q_EMIT attachmentsChanged();
    });
    connect(d->uploader, &sync::AttachmentUploader::passFinished, this, [this](bool ok, const QString &code) {
        if (!ok)
            qCInfo(lcApp) << "attachment upload pass ended" << code;
        refreshCounts();
        Q_EMIT attachmentsChanged();
    });
    // Attachments go whenever a sync pass got through: the connection is back. The order itself
    // never waits for them (they are not in the command outbox).
    connect(&ctx.engine(), &sync::SyncEngine::finished, this, [this](bool ok) {
        if (ok && d->ctx.config().autoSync)
            d->uploader->kick();
    });
    connect(&ctx, &AppContext::replicaChanged, this, [this] {
        refreshCounts();
        Q_EMIT attachmentsChanged();
    });
    refreshCounts();
    if (ctx.config().autoSync && d->waiting > 0)
        d->uploader->kick();
}

AttachmentsController::~AttachmentsController()
{
    d->uploader->cancel();
    d->pool.clear();
    d->pool.waitForDone();
    delete d->uploader; // joins its thread before the connections to this object go
    d->uploader = nullptr;
}

int AttachmentsController::waitingCount() const
{
    return d->waiting;
}

int AttachmentsController::failedCount() const
{
    return d->failed;
}

bool AttachmentsController::uploading() const
{
    return d->uploader && d->uploader->busy();
}

bool AttachmentsController::cameraAvailable() const
{
    return d->camera;
}

int AttachmentsController::photoMaxEdge() const
{
    return d->maxEdge;
}

void AttachmentsController::setPhotoMaxEdge(int edge)
{
    if (!validMaxEdge(edge)) {
        fail(Error::invalid(u"attachment.bad_setting"_s,
                            tr("The largest photo edge must be 0 (original) or 640 to 8192 pixels.")));
        return;
    }
    if (edge == d->maxEdge)
        return;
    if (Status s = storage::MetaRepository(d->ctx.db())
                       .setValue(storage::meta::kPhotoMaxEdge, QString::number(edge));
        !s) {
        fail(s.error());
        return;
    }
    d->maxEdge = edge;
    Q_EMIT settingsChanged();
}

int AttachmentsController::photoQuality() const
{
    return d->quality;
}

void AttachmentsController::setPhotoQuality(int quality)
{
    if (!validQuality(quality)) {
        fail(Error::invalid(u"attachment.bad_setting"_s, tr("The photo quality must be 30 to 100.")));
        return;
    }
    if (quality == d->quality)
        return;
    if (Status s = storage::MetaRepository(d->ctx.db())
                       .setValue(storage::meta::kPhotoQuality, QString::number(quality));
        !s) {
        fail(s.error());
        return;
    }
    d->quality = quality;
    Q_EMIT settingsChanged();
}

storage::BlobStore &AttachmentsController::blobs()
{
    return d->blobs;
}

storage::BlobStore &AttachmentsController::cache()
{
    return d->cache;
}

sync::AttachmentUploader &AttachmentsController::uploader()
{
    return *d->uploader;
}

platform::Location &AttachmentsController::location()
{
    return *d->location;
}

bool AttachmentsController::fail(const Error &error)
{
    qCInfo(lcApp) << "attachment action failed" << error.code;
    m_errorCode = error.code;
    m_errorText = error.userText;
    Q_EMIT errorChanged();
    return false;
}

void AttachmentsController::clearError()
{
    if (m_errorCode.isEmpty() && m_errorText.isEmpty())
        return;
    m_errorCode.clear();
    m_errorText.clear();
    Q_EMIT errorChanged();
}

void AttachmentsController::refreshCounts()
{
    auto counts = storage::AttachmentRepository(d->ctx.db()).counts();
    if (!counts) {
        qCWarning(lcApp) << "attachment counts failed" << counts.error().code;
        return;
    }
    const int waiting = int(counts->waiting);
    const int failed = int(counts->failed);
    if (waiting == d->waiting && failed == d->failed)
        return;
    d->waiting = waiting;
    d->failed = failed;
    Q_EMIT countsChanged();
}

// ---- Capture ---------------------------------------------------------------------------------

namespace {

// The owner must be one the replica knows: an order (its account is the attachment's account) or
// an account. Returns the account id.
Result<qint64> checkOwner(storage::Database &db, const QString &ownerType, const QString &ownerId,
                          qint64 accountId)
{
    if (ownerType == u"order"_s) {
        auto order = storage::OrderRepository(db).order(ownerId);
        if (!order)
            return Error::invalid(u"attachment.bad_owner"_s, QObject::tr("The order is not on this device."));
        if (accountId != 0 && accountId != order->accountId)
            return Error::invalid(u"attachment.owner_mismatch"_s,
                                  QObject::tr("The order is for another account."));
        return order->accountId;
    }
    if (ownerType == u"account"_s) {
        bool ok = false;
        const qint64 id = ownerId.toLongLong(&ok);
        if (!ok || id <= 0 || (accountId != 0 && accountId != id))
            return Error::invalid(u"attachment.bad_owner"_s, QObject::tr("The account is not valid."));
        return id;
    }
    return Error::invalid(u"attachment.bad_owner"_s, QObject::tr("Photos belong to an order or an account."));
}

Status checkCaption(const QString &caption)
{
    if (caption.size() > kMaxCaption)
        return Error::invalid(u"attachment.bad_caption"_s,
                              QObject::tr("A caption has at most %1 characters.").arg(kMaxCaption));
    return {};
}

} // namespace

QString AttachmentsController::addPhotoFromFile(const QUrl &file, const QString &ownerType,
                                                const QString &ownerId, qint64 accountId,
                                                const QString &caption)
{
    const QString path = file.isLocalFile() ? file.toLocalFile() : file.toString();
    if (Status s = checkCaption(caption); !s)
        return fail(s.error()), QString();
    media::PhotoOptions options;
    options.maxEdge = d->maxEdge;
    options.quality = d->quality;
    return addPrepared(media::preparePhotoFile(path, options), ownerType, ownerId, accountId, caption);
}

QString AttachmentsController::addPhotoFromImage(const QImage &image, const QString &ownerType,
                                                 const QString &ownerId, qint64 accountId,
                                                 const QString &caption)
{
    if (Status s = checkCaption(caption); !s)
        return fail(s.error()), QString();
    media::PhotoOptions options;
    options.maxEdge = d->maxEdge;
    options.quality = d->quality;
    const QString name = u"IMG_%1.jpg"_s.arg(d->ctx.now().toString(u"yyyyMMdd_HHmmss"_s));
    return addPrepared(media::preparePhotoImage(image, name, options), ownerType, ownerId, accountId,
                       caption);
}

QString AttachmentsController::addPrepared(const Result<media::PreparedPhoto> &prepared,
                                           const QString &ownerType, const QString &ownerId, qint64 accountId,
                                           const QString &caption)
{
    auto account = checkOwner(d->ctx.db(), ownerType, ownerId, accountId);
    if (!account)
        return fail(account.error()), QString();
    if (!prepared)
        return fail(prepared.error()), QString();
    const media::PreparedPhoto &photo = *prepared;

    storage::AttachmentRow row;
    row.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    row.kind = u"photo"_s;
    row.ownerType = ownerType;
    row.ownerId = ownerId;
    row.accountId = *account;
    row.mime = photo.mime;
    row.fileName = photo.fileName;
    row.caption = caption;
    row.width = photo.width;
    row.height = photo.height;
    row.deviceCreatedAt = d->ctx.now();
    if (auto fix = d->location->lastKnown()) {
        row.latE6 = fix->latE6;
        row.lonE6 = fix->lonE6;
        row.accuracyM = fix->accuracyM;
    } else if (photo.exifPosition) {
        row.latE6 = photo.exifPosition->latE6;
        row.lonE6 = photo.exifPosition->lonE6;
        row.accuracyM = photo.exifPosition->accuracyM;
    }
    return storeRow(row, photo.bytes, photo.thumbnail);
}

QString AttachmentsController::storeRow(storage::AttachmentRow &row, const QByteArray &bytes,
                                        const QByteArray &thumbnail)
{
    // Bytes first (content-addressed, atomic), then the row in one transaction; a failed row
    // takes back the files this call wrote (ones that existed before may be someone else's).
    auto image = d->blobs.put(bytes);
    if (!image)
        return fail(image.error()), QString();
    auto thumb = d->blobs.put(thumbnail);
    if (!thumb) {
        if (!image->existed)
            discard(d->blobs, image->sha256);
        return fail(thumb.error()), QString();
    }
    row.sha256 = image->sha256;
    row.size = image->size;
    row.thumbSha256 = thumb->sha256;
    if (Status s = storage::AttachmentRepository(d->ctx.db()).add(row, thumb->size, d->ctx.now()); !s) {
        if (!thumb->existed)
            discard(d->blobs, thumb->sha256);
        if (!image->existed && image->sha256 != thumb->sha256)
            discard(d->blobs, image->sha256);
        return fail(s.error()), QString();
    }
    qCInfo(lcApp) << "attachment captured" << row.id << row.kind << row.size;
    clearError();
    refreshCounts();
    Q_EMIT attachmentsChanged();
    d->ctx.notifyLocalChange();
    if (d->ctx.config().autoSync)
        d->uploader->kick();
    return row.id;
}

QString AttachmentsController::addSignature(const QString &orderId, const QVariantList &strokes,
                                            const QString &signerName, const QString &signerRole,
                                            int padWidth, int padHeight)
{
    const QString name = signerName.trimmed();
    const QString role = signerRole.trimmed();
    if (name.isEmpty() || name.size() > kMaxSignerName || role.size() > kMaxSignerName)
        return fail(Error::invalid(
                   u"signature.signer_required"_s,
                   tr("Enter who signs (a name of at most %1 characters).").arg(kMaxSignerName))),
               QString();
    if (padWidth < 10 || padHeight < 10 || padWidth > 10000 || padHeight > 10000)
        return fail(Error::invalid(u"signature.bad_pad"_s, tr("The signature pad has no usable size."))),
               QString();
    auto account = checkOwner(d->ctx.db(), u"order"_s, orderId, 0);
    if (!account)
        return fail(account.error()), QString();
    auto parsed = strokesFromVariant(strokes);
    if (!parsed)
        return fail(parsed.error()), QString();
    media::SignatureRenderOptions options;
    options.padSize = QSize(padWidth, padHeight);
    const int outWidth = std::min(padWidth, kSignatureMaxWidth);
    options.outputSize = QSize(outWidth, std::max(1, int(qint64(padHeight) * outWidth / padWidth)));
    auto image = media::renderSignature(*parsed, options);
    if (!image)
        return fail(image.error()), QString();
    auto png = media::renderSignaturePng(*parsed, options);
    if (!png)
        return fail(png.error()), QString();
    auto content = d->ctx.order()->signedContent(orderId);
    if (!content)
        return fail(content.error()), QString();

    storage::AttachmentRow row;
    row.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    row.kind = u"signature"_s;
    row.ownerType = u"order"_s;
    row.ownerId = orderId;
    row.accountId = *account;
    row.mime = u"image/png"_s;
    row.fileName = u"signature.png"_s;
    row.width = image->width();
    row.height = image->height();
    row.signerName = name;
    row.signerRole = role;
    row.strokes = *parsed;
    row.orderContentHash = domain::orderContentHash(*content);
    row.deviceCreatedAt = d->ctx.now();
    if (auto fix = d->location->lastKnown()) {
        row.latE6 = fix->latE6;
        row.lonE6 = fix->lonE6;
        row.accuracyM = fix->accuracyM;
    }
    return storeRow(row, *png, signatureThumbnail(*image));
}

bool AttachmentsController::setCaption(const QString &id, const QString &caption)
{
    if (Status s = checkCaption(caption); !s)
        return fail(s.error());
    // Only before the server has seen the attachment (never tried, or refused and being fixed).
    if (Status s = storage::AttachmentRepository(d->ctx.db()).setCaption(id, caption); !s) {
        Error e = s.error();
        if (e.code == u"attachment.caption_locked"_s)
            e.userText = tr("The caption cannot change once the attachment is being sent.");
        return fail(e);
    }
    clearError();
    Q_EMIT attachmentChanged(id);
    return true;
}

bool AttachmentsController::retry(const QString &id)
{
    if (Status s = storage::AttachmentRepository(d->ctx.db()).retry(id, d->ctx.now()); !s)
        return fail(s.error());
    clearError();
    refreshCounts();
    Q_EMIT attachmentChanged(id);
    Q_EMIT attachmentsChanged();
    d->uploader->kick(true);
    return true;
}

void AttachmentsController::sendNow()
{
    if (auto n = storage::AttachmentRepository(d->ctx.db()).makeAllDue(d->ctx.now()); !n) {
        fail(n.error());
        return;
    }
    clearError();
    refreshCounts();
    Q_EMIT attachmentsChanged();
    d->uploader->kick(true);
}

} // namespace outpost::app
