#include "server/blob_store.h"

#include "domain/sha256.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QRegularExpression>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace outpost::server {

namespace {

Q_LOGGING_CATEGORY(lcBlobs, "outpost.server.blobs")

constexpr qint64 kReadPiece = 1024 * 1024;

Error ioError(const QString &code, const QString &detail)
{
    return Error::make(ErrorKind::Internal, code, u"The attachment store failed."_s, detail);
}

Error notFound()
{
    return Error::make(ErrorKind::NotFound, u"blob.not_found"_s, u"The attachment bytes are not stored."_s);
}

bool isAttachmentKey(const QString &id)
{
    static const QRegularExpression uuid(u"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"_s);
    return uuid.match(id).hasMatch();
}

} // namespace

bool isBlobHash(const QString &sha256)
{
    if (sha256.size() != 64)
        return false;
    for (const QChar c : sha256) {
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')))
            return false;
    }
    return true;
}

FolderBlobStore::FolderBlobStore(QString root) : m_root(QDir::cleanPath(std::move(root))) {}

QString FolderBlobStore::blobPath(const QString &sha256) const
{
    if (!isBlobHash(sha256))
        return {};
    return m_root + u'/' + sha256.left(2) + u'/' + sha256.mid(2, 2) + u'/' + sha256;
}

QString FolderBlobStore::stagingPath(const StagingKey &key) const
{
    if (key.tenantId <= 0 || !isAttachmentKey(key.attachmentId))
        return {};
    return m_root + u"/.staging/"_s + QString::number(key.tenantId) + u'-' + key.attachmentId;
}

bool FolderBlobStore::contains(const QString &sha256) const
{
    const QString path = blobPath(sha256);
    return !path.isEmpty() && QFileInfo(path).isFile();
}

Result<qint64> FolderBlobStore::size(const QString &sha256) const
{
    const QString path = blobPath(sha256);
    const QFileInfo info(path);
    if (path.isEmpty() || !info.isFile())
        return notFound();
    return info.size();
}

Result<std::unique_ptr<QIODevice>> FolderBlobStore::open(const QString &sha256) const
{
    const QString path = blobPath(sha256);
    if (path.isEmpty() || !QFileInfo(path).isFile())
        return notFound();
    auto file = std::make_unique<QFile>(path);
    if (!file->open(QIODevice::ReadOnly))
        return ioError(u"blob.read_failed"_s, file->errorString());
    return std::unique_ptr<QIODevice>(std::move(file));
}

Status FolderBlobStore::put(const QString &sha256, const StagingKey &staged)
{
    const QString target = blobPath(sha256);
    const QString source = stagingPath(staged);
    if (target.isEmpty() || source.isEmpty())
        return Error::invalid(u"blob.bad_hash"_s, u"The blob name is not valid."_s);
    if (!QFileInfo(source).isFile())
        return ioError(u"blob.not_staged"_s, u"no staged bytes for the upload"_s);
    if (QFileInfo(target).isFile()) {
        QFile::remove(source); // the same bytes are stored already
        qCDebug(lcBlobs) << "blob present, staged copy dropped" << sha256.left(12);
        return {};
    }
    if (!QDir().mkpath(QFileInfo(target).absolutePath()))
        return ioError(u"blob.write_failed"_s, u"cannot create the blob folder"_s);
    {
        // Durable before it becomes visible: the database will say "complete" right after.
        QFile f(source);
        if (!f.open(QIODevice::ReadWrite))
            return ioError(u"blob.write_failed"_s, f.errorString());
        if (::fsync(f.handle()) != 0)
            return ioError(u"blob.write_failed"_s, QString::fromLocal8Bit(std::strerror(errno)));
    }
    // rename(2) within one filesystem: atomic, never a copy (QFile::rename would fall back to one).
    if (std::rename(QFile::encodeName(source).constData(), QFile::encodeName(target).constData()) != 0)
        return ioError(u"blob.write_failed"_s, QString::fromLocal8Bit(std::strerror(errno)));
    qCInfo(lcBlobs) << "blob stored" << sha256.left(12);
    return {};
}

Result<qint64> FolderBlobStore::stagedSize(const StagingKey &key)
{
    const QString path = stagingPath(key);
    if (path.isEmpty())
        return Error::invalid(u"blob.bad_key"_s, u"The upload key is not valid."_s);
    const QFileInfo info(path);
    return info.isFile() ? info.size() : 0;
}

Status FolderBlobStore::append(const StagingKey &key, const QByteArray &bytes)
{
    const QString path = stagingPath(key);
    if (path.isEmpty())
        return Error::invalid(u"blob.bad_key"_s, u"The upload key is not valid."_s);
    if (!QDir().mkpath(m_root + u"/.staging"_s))
        return ioError(u"blob.write_failed"_s, u"cannot create the staging folder"_s);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Append))
        return ioError(u"blob.write_failed"_s, f.errorString());
    const qint64 before = f.size();
    if (f.write(bytes) != bytes.size() || !f.flush()) {
        const QString why = f.errorString();
        f.resize(before); // never leave a partial chunk behind
        return ioError(u"blob.write_failed"_s, why);
    }
    return {};
}

Status FolderBlobStore::truncate(const StagingKey &key, qint64 length)
{
    const QString path = stagingPath(key);
    if (path.isEmpty())
        return Error::invalid(u"blob.bad_key"_s, u"The upload key is not valid."_s);
    if (!QFileInfo(path).isFile())
        return length == 0 ? Status{} : ioError(u"blob.write_failed"_s, u"nothing staged"_s);
    if (!QFile::resize(path, length))
        return ioError(u"blob.write_failed"_s, u"cannot truncate the staged upload"_s);
    return {};
}

Result<QByteArray> FolderBlobStore::hash(const StagingKey &key)
{
    auto device = openStaged(key);
    if (!device)
        return device.error();
    domain::Sha256 sha;
    QByteArray piece;
    while (!(*device)->atEnd()) {
        piece = (*device)->read(kReadPiece);
        if (piece.isEmpty())
            return ioError(u"blob.read_failed"_s, (*device)->errorString());
        sha.addData(piece);
    }
    return sha.result().toHex();
}

Result<std::unique_ptr<QIODevice>> FolderBlobStore::openStaged(const StagingKey &key)
{
    const QString path = stagingPath(key);
    if (path.isEmpty())
        return Error::invalid(u"blob.bad_key"_s, u"The upload key is not valid."_s);
    auto file = std::make_unique<QFile>(path);
    if (!file->open(QIODevice::ReadOnly))
        return Error::make(ErrorKind::NotFound, u"blob.not_staged"_s, u"Nothing is staged for this upload."_s,
                           file->errorString());
    return std::unique_ptr<QIODevice>(std::move(file));
}

void FolderBlobStore::discard(const StagingKey &key)
{
    const QString path = stagingPath(key);
    if (!path.isEmpty() && QFileInfo::exists(path) && !QFile::remove(path))
        qCWarning(lcBlobs) << "cannot remove a staged upload of tenant" << key.tenantId;
}

} // namespace outpost::server
