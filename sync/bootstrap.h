// Bootstrap: a partition arrives as one snapshot stream (GET /v1/sync/snapshot?partition=P).
//
// Download: into "<replica>.P.snapshot.part". The snapshot id, seq and SHA-256 are recorded in the
// replica as soon as the headers arrive, so a dropped download resumes with Range/If-Range (206);
// 412 "snapshot.expired" starts it over. The finished file is checked against the SHA-256.
//
// Apply: every downloaded partition in ONE transaction (partitions reference each other), streamed
// through SnapshotDecoder into the replica (no decoded snapshot is held in memory), the cursors set
// to the snapshot seqs in the same transaction. A process killed during apply leaves the old state
// and the verified files: the next run applies them again without downloading.
#pragma once

#include "sync/sync_context.h"

#include <QStringList>

namespace outpost::sync {

struct BootstrapReport
{
    qint64 rows = 0;
    qint64 wireBytes = 0;
    QHash<QString, qint64> seqs; // partition -> snapshot seq
};

// replaceAll: rows the snapshot does not carry are removed (re-snapshot of a partition that is
// already on the device); a first bootstrap into empty tables does not need it.
Result<BootstrapReport> bootstrap(SyncContext &ctx, const QStringList &partitions, bool replaceAll);

// Partitions with a downloaded, verified snapshot waiting to be applied (after a crash).
QStringList pendingSnapshotPartitions(SyncContext &ctx);

} // namespace outpost::sync
