// Where the server keeps attachment bytes: outside the database, content-addressed by SHA-256
// (docs/attachments.md "Server storage"). BlobStore is what another store (S3, GCS) would
// implement; callers name blobs by hash and uploads by StagingKey and never build a path.
// FolderBlobStore is the default: <root>/ab/cd/<sha256>, uploads staged in <root>/.staging/.
#pragma once

#include "domain/result.h"

#include <QByteArray>
#include <QIODevice>
#include <QString>

#include <memory>

namespace outpost::server {

// One upload being received: the tenant and the attachment id (a validated UUID).
struct StagingKey
{
    qint64 tenantId = 0;
    QString attachmentId;
};

// The bytes of uploads still arriving. Appends are flushed to the OS but not fsynced: a crash may
// leave the staged file longer than what the database acknowledged (truncate() cuts it back) or,
// after a power loss, shorter (the caller lowers its count to stagedSize()).
class UploadStaging
{
public:
    virtual ~UploadStaging() = default;
    // Bytes staged so far; 0 when nothing is staged.
    virtual Result<qint64> stagedSize(const StagingKey &key) = 0;
    // Appends at the end of the staged bytes (creating them when absent).
    virtual Status append(const StagingKey &key, const QByteArray &bytes) = 0;
    // Cuts the staged bytes to `length` (<= stagedSize()).
    virtual Status truncate(const StagingKey &key, qint64 length) = 0;
    // SHA-256 of all staged bytes, 64 lower-case hex characters (read in pieces).
    virtual Result<QByteArray> hash(const StagingKey &key) = 0;
    // The staged bytes for reading (header checks); the caller owns the device.
    virtual Result<std::unique_ptr<QIODevice>> openStaged(const StagingKey &key) = 0;
    // Removes the staged bytes (no error when there are none).
    virtual void discard(const StagingKey &key) = 0;
};

class BlobStore
{
public:
    virtual ~BlobStore() = default;

    virtual bool contains(const QString &sha256) const = 0;
    // Size of a stored blob; "blob.not_found" when absent.
    virtual Result<qint64> size(const QString &sha256) const = 0;
    // The blob for streaming reads; the caller owns the device. "blob.not_found" when absent.
    virtual Result<std::unique_ptr<QIODevice>> open(const QString &sha256) const = 0;
    // Moves a verified staged upload in as blob `sha256`, atomically (a reader sees no blob or the
    // whole blob). When the blob is present already the staged bytes are dropped (dedup). The
    // staging is gone afterwards on success. The caller has checked hash(staged) == sha256.
    virtual Status put(const QString &sha256, const StagingKey &staged) = 0;

    virtual UploadStaging &staging() = 0;
};

// "blob.bad_hash" unless 64 lower-case hex characters.
bool isBlobHash(const QString &sha256);

class FolderBlobStore final : public BlobStore, private UploadStaging
{
public:
    // The folder is created on first use.
    explicit FolderBlobStore(QString root);

    bool contains(const QString &sha256) const override;
    Result<qint64> size(const QString &sha256) const override;
    Result<std::unique_ptr<QIODevice>> open(const QString &sha256) const override;
    Status put(const QString &sha256, const StagingKey &staged) override;
    UploadStaging &staging() override { return *this; }

    QString root() const { return m_root; }

private:
    Result<qint64> stagedSize(const StagingKey &key) override;
    Status append(const StagingKey &key, const QByteArray &bytes) override;
    Status truncate(const StagingKey &key, qint64 length) override;
    Result<QByteArray> hash(const StagingKey &key) override;
    Result<std::unique_ptr<QIODevice>> openStaged(const StagingKey &key) override;
    void discard(const StagingKey &key) override;

    // Empty when the hash or key is not well formed (never a path outside the root).
    QString blobPath(const QString &sha256) const;
    QString stagingPath(const StagingKey &key) const;

    QString m_root;
};

} // namespace outpost::server
