// Content-addressed files beside the replica: <root>/<first two hex>/<sha256>. The same bytes are
// stored once. A file is written to a temporary name in the same folder, flushed to disk and then
// renamed, so a crash leaves either no file or the whole file, never part of one. Which files the
// replica uses is in its `blobs` table (AttachmentRepository); files nothing references (a crash
// between writing the file and committing its row) are removed by collectOrphans().
//
// Also the download cache (a BlobStore with a size cap: least recently used first out).
// QtCore only; safe to use from several threads on distinct hashes.
#pragma once

#include "domain/result.h"

#include <QByteArray>
#include <QSet>
#include <QString>

#include <memory>

class QIODevice;

namespace outpost::storage {

struct StoredBlob
{
    QString sha256; // 64 lower-case hex
    qint64 size = 0;
    bool existed = false; // the store had these bytes already (nothing written)
};

class BlobStore
{
public:
    // root is created when missing. capBytes > 0 makes it a cache (see touch/evict).
    explicit BlobStore(QString root, qint64 capBytes = 0);

    // "<replica path>.blobs" and "<replica path>.cache": the folders beside a replica file.
    static QString blobDirFor(const QString &replicaPath);
    static QString cacheDirFor(const QString &replicaPath);

    QString root() const { return m_root; }
    QString pathFor(const QString &sha256) const; // where the file is (or would be)
    bool contains(const QString &sha256) const;
    qint64 sizeOf(const QString &sha256) const; // -1 when absent

    // Stores bytes; "blob.write_failed" (Internal) when the disk refuses (nothing left behind).
    Result<StoredBlob> put(const QByteArray &bytes);
    // Streams a file in (a 100 MB file is never held in memory), hashing while copying.
    Result<StoredBlob> putFile(const QString &sourcePath);
    // Stores bytes that must hash to expectedSha256 ("blob.hash_mismatch", Invalid, otherwise;
    // nothing stored): a download landing in the cache.
    Result<StoredBlob> putVerified(const QByteArray &bytes, const QString &expectedSha256);
    // The whole file; "blob.missing" (NotFound) when absent, "blob.corrupt" (Corrupt) when its
    // bytes no longer hash to its name.
    Result<QByteArray> read(const QString &sha256, bool verify = false) const;
    // length bytes from offset (fewer at the end of the file): one upload chunk.
    Result<QByteArray> readRange(const QString &sha256, qint64 offset, qint64 length) const;
    Status remove(const QString &sha256);

    // Removes every file whose hash is not in keep (and stray temporary files); returns how many.
    Result<int> collectOrphans(const QSet<QString> &keep);

    // Cache use: touch marks a file as used now (its modification time); evict removes least
    // recently used files until the total is <= capBytes (never the ones in `pinned`).
    void touch(const QString &sha256);
    Result<qint64> evict(const QSet<QString> &pinned = {});
    qint64 totalBytes() const;
    qint64 capBytes() const { return m_cap; }

private:
    QString m_root;
    qint64 m_cap = 0;
};

} // namespace outpost::storage
