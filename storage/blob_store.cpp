#include "storage/blob_store.h"

#include "domain/sha256.h"

#include "domain/content_hash.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QUuid>

#include <algorithm>

#include <fcntl.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcBlobs, "outpost.storage.blobs", QtInfoMsg)

namespace outpost::storage {

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr qint64 kCopyChunk = 1024 * 1024;
const QString kTempPrefix = u".tmp-"_s;

Error writeFailed(const QString &detail)
{
    return Error::make(ErrorKind::Internal, u"blob.write_failed"_s, u"The file could not be stored on this device."_s,
                       detail);
}

Error missing(const QString &sha256)
{
    return Error::make(ErrorKind::NotFound, u"blob.missing"_s, u"The file is not on this device."_s, sha256);
}

bool syncFile(QFile &file)
{
    if (!file.flush())
        return false;
    return ::fsync(file.handle()) == 0;
}

void syncDir(const QString &dir)
{
    const QByteArray path = QFile::encodeName(dir);
    const int fd = ::open(path.constData(), O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

// A temporary file in the folder the blob goes to (rename within one file system is atomic).
struct TempFile
{
    QFile file;
    bool keep = false;
    ~TempFile()
    {
        if (!keep && !file.fileName().isEmpty()) {
            file.close();
            QFile::remove(file.fileName());
        }
    }
};

} // namespace

BlobStore::BlobStore(QString root, qint64 capBytes) : m_root(std::move(root)), m_cap(capBytes)
{
    QDir().mkpath(m_root);
}

QString BlobStore::blobDirFor(const QString &replicaPath)
{
    return replicaPath + u".blobs"_s;
}

QString BlobStore::cacheDirFor(const QString &replicaPath)
{
    return replicaPath + u".cache"_s;
}

QString BlobStore::pathFor(const QString &sha256) const
{
    return m_root + u'/' + sha256.left(2) + u'/' + sha256;
}

bool BlobStore::contains(const QString &sha256) const
{
    return domain::isSha256Hex(sha256) && QFileInfo::exists(pathFor(sha256));
}

qint64 BlobStore::sizeOf(const QString &sha256) const
{
    if (!domain::isSha256Hex(sha256))
        return -1;
    QFileInfo info(pathFor(sha256));
    return info.exists() ? info.size() : -1;
}

namespace {

// Writes through `fill(file, hash)` into a temp file in `dir`, then renames to dir/<sha>; the
// hash decides the name, so the bytes are hashed while being written.
template <typename Fill>
Result<StoredBlob> writeAtomically(const BlobStore &store, const QString &expected, Fill fill)
{
    const QString tmpDir = store.root() + u"/.tmp"_s;
    if (!QDir().mkpath(tmpDir))
        return writeFailed(u"mkpath temp"_s);
    TempFile tmp;
    tmp.file.setFileName(tmpDir + u'/' + kTempPrefix + QUuid::createUuid().toString(QUuid::Id128));
    if (!tmp.file.open(QIODevice::WriteOnly | QIODevice::NewOnly))
        return writeFailed(u"open temp: "_s + tmp.file.errorString());
    domain::Sha256 hash;
    auto filled = fill(tmp.file, hash);
    if (!filled)
        return filled.error();
    const qint64 size = *filled;
    const QString sha = QString::fromLatin1(hash.result().toHex());
    if (!expected.isEmpty() && sha != expected)
        return Error::make(ErrorKind::Invalid, u"blob.hash_mismatch"_s,
                           u"The file's bytes do not match its fingerprint."_s, expected);
    if (store.contains(sha))
        return StoredBlob{sha, size, true};
    if (!syncFile(tmp.file))
        return writeFailed(u"fsync: "_s + tmp.file.errorString());
    tmp.file.close();
    const QString target = store.pathFor(sha);
    const QString dir = QFileInfo(target).absolutePath();
    if (!QDir().mkpath(dir))
        return writeFailed(u"mkpath "_s + sha.left(2));
    // rename(2) replaces atomically; QFile::rename refuses an existing target.
    if (::rename(QFile::encodeName(tmp.file.fileName()).constData(), QFile::encodeName(target).constData()) != 0)
        return writeFailed(u"rename failed"_s);
    tmp.keep = true;
    syncDir(dir);
    qCDebug(lcBlobs) << "stored blob" << sha.left(12) << size;
    return StoredBlob{sha, size, false};
}

} // namespace

Result<StoredBlob> BlobStore::put(const QByteArray &bytes)
{
    const QString sha = domain::sha256Hex(bytes);
    if (contains(sha))
        return StoredBlob{sha, bytes.size(), true};
    return writeAtomically(*this, sha, [&](QFile &file, domain::Sha256 &hash) -> Result<qint64> {
        hash.addData(bytes);
        if (file.write(bytes) != bytes.size())
            return writeFailed(u"write: "_s + file.errorString());
        return qint64(bytes.size());
    });
}

Result<StoredBlob> BlobStore::putVerified(const QByteArray &bytes, const QString &expectedSha256)
{
    if (domain::sha256Hex(bytes) != expectedSha256)
        return Error::make(ErrorKind::Invalid, u"blob.hash_mismatch"_s,
                           u"The file's bytes do not match its fingerprint."_s, expectedSha256);
    return put(bytes);
}

Result<StoredBlob> BlobStore::putFile(const QString &sourcePath)
{
    QFile source(sourcePath);
    if (!source.open(QIODevice::ReadOnly))
        return Error::make(ErrorKind::NotFound, u"blob.source_unreadable"_s, u"The file could not be read."_s,
                           source.errorString());
    return writeAtomically(*this, {}, [&](QFile &file, domain::Sha256 &hash) -> Result<qint64> {
        qint64 total = 0;
        QByteArray buffer(kCopyChunk, Qt::Uninitialized);
        for (;;) {
            const qint64 n = source.read(buffer.data(), buffer.size());
            if (n < 0)
                return Error::make(ErrorKind::Internal, u"blob.source_unreadable"_s, u"The file could not be read."_s,
                                   source.errorString());
            if (n == 0)
                break;
            hash.addData(QByteArrayView(buffer.constData(), n));
            if (file.write(buffer.constData(), n) != n)
                return writeFailed(u"write: "_s + file.errorString());
            total += n;
        }
        return total;
    });
}

Result<QByteArray> BlobStore::read(const QString &sha256, bool verify) const
{
    if (!domain::isSha256Hex(sha256))
        return missing(sha256);
    QFile file(pathFor(sha256));
    if (!file.open(QIODevice::ReadOnly))
        return missing(sha256);
    QByteArray bytes = file.readAll();
    if (verify && domain::sha256Hex(bytes) != sha256)
        return Error::make(ErrorKind::Corrupt, u"blob.corrupt"_s, u"A stored file is damaged."_s, sha256);
    return bytes;
}

Result<QByteArray> BlobStore::readRange(const QString &sha256, qint64 offset, qint64 length) const
{
    if (!domain::isSha256Hex(sha256))
        return missing(sha256);
    if (offset < 0 || length < 0)
        return Error::invalid(u"blob.bad_range"_s, u"A file range cannot be negative."_s);
    QFile file(pathFor(sha256));
    if (!file.open(QIODevice::ReadOnly))
        return missing(sha256);
    if (offset > file.size())
        return Error::invalid(u"blob.bad_range"_s, u"The range starts past the end of the file."_s);
    if (!file.seek(offset))
        return Error::make(ErrorKind::Internal, u"blob.read_failed"_s, u"A stored file could not be read."_s,
                           file.errorString());
    return file.read(length);
}

Status BlobStore::remove(const QString &sha256)
{
    if (!domain::isSha256Hex(sha256))
        return missing(sha256);
    const QString path = pathFor(sha256);
    if (!QFileInfo::exists(path))
        return {};
    if (!QFile::remove(path))
        return Error::make(ErrorKind::Internal, u"blob.remove_failed"_s, u"A stored file could not be removed."_s,
                           sha256);
    return {};
}

Result<int> BlobStore::collectOrphans(const QSet<QString> &keep)
{
    int removed = 0;
    QDirIterator it(m_root, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString name = it.fileName();
        const bool isTemp = name.startsWith(kTempPrefix);
        if (!isTemp && domain::isSha256Hex(name) && keep.contains(name))
            continue;
        if (!isTemp && !domain::isSha256Hex(name))
            continue; // not ours: leave it
        if (QFile::remove(path))
            ++removed;
    }
    if (removed > 0)
        qCInfo(lcBlobs) << "removed orphan files:" << removed;
    return removed;
}

void BlobStore::touch(const QString &sha256)
{
    if (!domain::isSha256Hex(sha256))
        return;
    QFile file(pathFor(sha256));
    if (file.open(QIODevice::ReadWrite))
        file.setFileTime(QDateTime::currentDateTimeUtc(), QFileDevice::FileModificationTime);
}

namespace {

struct Entry
{
    QString sha;
    QString path;
    qint64 size = 0;
    QDateTime used;
};

QList<Entry> listBlobs(const QString &root)
{
    QList<Entry> entries;
    QDirIterator it(root, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QFileInfo info = it.fileInfo();
        if (!domain::isSha256Hex(info.fileName()))
            continue;
        entries.append({info.fileName(), path, info.size(), info.lastModified().toUTC()});
    }
    return entries;
}

} // namespace

Result<qint64> BlobStore::evict(const QSet<QString> &pinned)
{
    if (m_cap <= 0)
        return qint64(0);
    QList<Entry> entries = listBlobs(m_root);
    qint64 total = 0;
    for (const Entry &e : entries)
        total += e.size;
    std::sort(entries.begin(), entries.end(), [](const Entry &a, const Entry &b) {
        return a.used != b.used ? a.used < b.used : a.sha < b.sha;
    });
    qint64 freed = 0;
    for (const Entry &e : entries) {
        if (total <= m_cap)
            break;
        if (pinned.contains(e.sha))
            continue;
        if (!QFile::remove(e.path))
            return Error::make(ErrorKind::Internal, u"blob.remove_failed"_s, u"A cached file could not be removed."_s,
                               e.sha);
        total -= e.size;
        freed += e.size;
    }
    if (freed > 0)
        qCInfo(lcBlobs) << "cache evicted bytes:" << freed;
    return freed;
}

qint64 BlobStore::totalBytes() const
{
    qint64 total = 0;
    for (const Entry &e : listBlobs(m_root))
        total += e.size;
    return total;
}

} // namespace outpost::storage
