// AttachmentsController: what the screens show -- the replica's attachments of an owner, image
// and thumbnail files, downloads of attachments made on other devices (worker threads, never the
// GUI thread), the server's list of an owner's attachments, and "changed after signing".
#include "app/attachments_controller.h"
#include "app/attachments_private.h"
#include "app/media/photo_import.h"
#include "app/order_controller.h"
#include "domain/content_hash.h"
#include "platform/connectivity.h"
#include "storage/attachment_repository.h"
#include "storage/meta_repository.h"
#include "sync/uploads.h"

#include <QLoggingCategory>

using namespace Qt::Literals::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcApp)

namespace outpost::app {

namespace {

QString ownerKey(const QString &type, const QString &id)
{
    return type + u'/' + id;
}

} // namespace

// ---- Viewing ---------------------------------------------------------------------------------

QList<storage::AttachmentRow> AttachmentsController::attachmentsOf(const QString &ownerType,
                                                                   const QString &ownerId)
{
    auto rows = storage::AttachmentRepository(d->ctx.db()).forOwner(ownerType, ownerId);
    if (!rows) {
        qCWarning(lcApp) << "attachments read failed" << rows.error().code;
        return {};
    }
    return *rows;
}

std::optional<storage::AttachmentRow> AttachmentsController::attachment(const QString &id)
{
    auto row = storage::AttachmentRepository(d->ctx.db()).get(id);
    if (!row)
        return std::nullopt;
    return *row;
}

QUrl AttachmentsController::thumbnailUrl(const storage::AttachmentRow &row) const
{
    if (!row.thumbSha256.isEmpty() && d->blobs.contains(row.thumbSha256))
        return QUrl::fromLocalFile(d->blobs.pathFor(row.thumbSha256));
    return {};
}

QUrl AttachmentsController::imageUrl(const QString &id)
{
    auto row = storage::AttachmentRepository(d->ctx.db()).get(id);
    if (!row)
        return fail(row.error()), QUrl();
    if (d->blobs.contains(row->sha256))
        return QUrl::fromLocalFile(d->blobs.pathFor(row->sha256));
    if (d->cache.contains(row->sha256)) {
        d->cache.touch(row->sha256);
        return QUrl::fromLocalFile(d->cache.pathFor(row->sha256));
    }
    if (auto e = d->fetchErrors.constFind(id); e != d->fetchErrors.cend()) {
        const Error error = *e;
        d->fetchErrors.erase(e); // the next call tries again
        return fail(error), QUrl();
    }
    prefetch(id);
    return {};
}

bool AttachmentsController::prefetch(const QString &id)
{
    if (d->fetching.contains(id))
        return false;
    auto row = storage::AttachmentRepository(d->ctx.db()).get(id);
    if (!row || d->blobs.contains(row->sha256) ||
        (d->cache.contains(row->sha256) && !row->thumbSha256.isEmpty()))
        return false;
    d->fetching.insert(id);
    const QString blobRoot = d->blobs.root();
    const QString cacheRoot = d->cache.root();
    const qint64 cap = d->cache.capBytes();
    d->runWithSession([this, id, blobRoot, cacheRoot, cap](sync::SyncContext *sc, const Result<int> &ready) {
        Error error;
        bool ok = false;
        if (!ready) {
            error = ready.error();
        } else {
            storage::BlobStore blobs(blobRoot);
            storage::BlobStore cache(cacheRoot, cap);
            auto path = sync::fetchAttachment(*sc, blobs, cache, id);
            if (!path) {
                error = path.error();
            } else {
                ok = true;
                // A list thumbnail for an attachment made elsewhere, kept beside the replica.
                storage::AttachmentRepository repo(sc->db);
                auto stored = repo.get(id);
                if (stored && stored->thumbSha256.isEmpty()) {
                    media::PhotoOptions options;
                    options.maxEdge = 512;
                    if (auto photo = media::preparePhotoFile(*path, options)) {
                        if (auto thumb = blobs.put(photo->thumbnail)) {
                            if (Status s = repo.setThumbnail(id, thumb->sha256, thumb->size); !s)
                                qCWarning(lcApp) << "thumbnail not recorded" << id << s.error().code;
                        }
                    }
                }
            }
        }
        QMetaObject::invokeMethod(
            this,
            [this, id, ok, error] {
                fetchDone(id, ok ? QString() : error.code, ok ? QString() : error.userText);
            },
            Qt::QueuedConnection);
    });
    return true;
}

void AttachmentsController::fetchDone(const QString &id, const QString &errorCode, const QString &errorText)
{
    d->fetching.remove(id);
    if (!errorCode.isEmpty()) {
        qCInfo(lcApp) << "attachment download failed" << id << errorCode;
        d->fetchErrors.insert(id, Error::make(ErrorKind::Transient, errorCode, errorText));
    } else {
        qCInfo(lcApp) << "attachment downloaded" << id;
    }
    Q_EMIT attachmentChanged(id);
}

bool AttachmentsController::refreshRemote(const QString &ownerType, const QString &ownerId, bool force)
{
    if ((ownerType != u"order"_s && ownerType != u"account"_s) || ownerId.isEmpty())
        return false;
    const QString key = ownerKey(ownerType, ownerId);
    if (d->askedOwners.contains(key) && !force)
        return false;
    if (!d->ctx.engine().online() ||
        d->ctx.connectivity().reachability() == platform::Connectivity::Reachability::Offline)
        return false;
    if (storage::MetaRepository(d->ctx.db()).valueOr(storage::meta::kRefresh).isEmpty())
        return false; // not signed in
    d->askedOwners.insert(key);
    d->runWithSession([this, ownerType, ownerId, key](sync::SyncContext *sc, const Result<int> &ready) {
        Result<int> listed = ready ? sync::refreshRemoteAttachments(*sc, ownerType, ownerId) : ready;
        const int count = listed ? *listed : 0;
        const QString code = listed ? QString() : listed.error().code;
        QMetaObject::invokeMethod(
            this,
            [this, ownerType, ownerId, key, count, code] {
                if (!code.isEmpty()) {
                    qCInfo(lcApp) << "remote attachments not listed" << code;
                    d->askedOwners.remove(key); // asked again when the connection is back
                }
                Q_EMIT remoteRefreshed(ownerType, ownerId, count, code);
                if (count > 0)
                    Q_EMIT attachmentsChanged();
            },
            Qt::QueuedConnection);
    });
    return true;
}

bool AttachmentsController::changedSinceSigning(const QString &id)
{
    auto row = storage::AttachmentRepository(d->ctx.db()).get(id);
    if (!row)
        return fail(row.error());
    auto changed = orderChangedSince(*row);
    return changed.value_or(false);
}

std::optional<bool> AttachmentsController::orderChangedSince(const storage::AttachmentRow &signature)
{
    if (signature.kind != u"signature"_s || signature.ownerType != u"order"_s ||
        signature.orderContentHash.isEmpty())
        return std::nullopt;
    auto content = d->ctx.order()->signedContent(signature.ownerId);
    if (!content)
        return std::nullopt;
    return domain::orderContentHash(*content) != signature.orderContentHash;
}

} // namespace outpost::app
