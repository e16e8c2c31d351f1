// Partition snapshots for device bootstrap (GET /v1/sync/snapshot). A snapshot is one stream in the
// format of sync/protocol/snapshot_codec.h, built into a file of a cache folder and served from
// there, so a dropped download resumes on the same bytes (Range + If-Range: <id>).
//
// A file is named "<key>-<seq>.snap": key = the first 16 hex digits of SHA-256 over tenant,
// partition and entitlement (who may read which rows), seq = the tenant seq the rows were read at
// (inside the same read transaction). The newest file of a key is reused while no row of the
// partition's tables (nor a tombstone of them) has a higher seq and it is younger than maxAge: an
// older seq is still a consistent starting point, the change feed brings the device forward from
// it. Files older than maxAge are removed; asking for one then answers snapshot.expired.
#pragma once

#include "domain/result.h"
#include "server/http.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QString>

#include <chrono>

namespace outpost::server {

class Database;

struct SnapshotFile
{
    QString id;   // "<key>-<seq>", the Outpost-Snapshot-Id
    QString path; // absolute file path
    qint64 seq = 0;
    qint64 bytes = 0;
    QByteArray sha256; // hex, of the whole file
};

// Build statistics, for the log and the bench.
struct SnapshotBuildStats
{
    qint64 rows = 0;
    qint64 rawBytes = 0;    // inflated stream size
    qint64 wireBytes = 0;   // file size
    qint64 elapsedMs = 0;
};

// Writes the partition's rows as the caller may see them into `path` (streamed, not atomic: the
// store writes to a temporary name and renames). Must run inside a read transaction that also read
// `seq`. Errors: db.error (Internal), snapshot.write_failed (Internal).
Result<SnapshotBuildStats> buildSnapshotFile(Database &db, const Caller &caller, const QString &partition,
                                             qint64 seq, const QDateTime &createdAt, const QString &path,
                                             QByteArray *sha256Hex);

class SnapshotStore
{
public:
    explicit SnapshotStore(QString dir, std::chrono::seconds maxAge = std::chrono::hours(1));

    const QString &dir() const { return m_dir; }

    // The entitlement part of the key: "tenant" for catalog/stock, "all" for managers and admins,
    // "rep:<user id>" for accounts and orders, and for prices the sorted price list ids plus a hash
    // of the sorted account ids (contract prices follow the accounts). Reads inside the caller's
    // transaction.
    static Result<QString> entitlementKey(Database &db, const Caller &caller, const QString &partition);
    static QString keyHash(const Caller &caller, const QString &partition, const QString &entitlement);

    // The snapshot to serve now: the newest still-valid file of the key, or a new one built at the
    // current tenant seq. Must be called inside a read transaction.
    Result<SnapshotFile> obtain(Database &db, const Caller &caller, const QString &partition,
                                const QDateTime &now);
    // An existing snapshot by id for this caller and partition; snapshot.expired (Conflict) when
    // it is gone, too old, malformed or built for another entitlement.
    Result<SnapshotFile> find(Database &db, const Caller &caller, const QString &partition, const QString &id,
                              const QDateTime &now);
    // Deletes files (and left-over temporary files) older than maxAge.
    void removeExpired(const QDateTime &now);

private:
    Result<SnapshotFile> describe(const QString &id);
    bool expired(const QString &path, const QDateTime &now) const;

    QString m_dir;
    std::chrono::seconds m_maxAge;
    QHash<QString, QByteArray> m_sha; // id -> SHA-256 hex, filled when built or first read
};

// The highest seq of any row (or tombstone) of the partition's tables in the tenant: a snapshot
// built at seq >= this still holds the partition's current rows.
Result<qint64> partitionChangeSeq(Database &db, qint64 tenantId, const QString &partition);

} // namespace outpost::server
