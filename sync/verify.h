// Checksums: GET /v1/sync/checksums gives, per partition and table, the row count and the sum of
// ((k1 * 1000003 + k2 * 7919 + seq * 104729) % 2147483647) over rows with seq <= S. The device
// computes the same over its replica (storage::ReplicaWriter::checksum) and compares; a partition
// that differs is re-snapshotted alone. Only meaningful when the device's cursors equal S.
#pragma once

#include "sync/sync_context.h"

#include <QHash>
#include <QStringList>

namespace outpost::sync {

struct TableComparison
{
    QString partition;
    QString table;
    qint64 serverCount = 0;
    qint64 localCount = 0;
    QString serverSum;
    QString localSum;
    bool match() const { return serverCount == localCount && serverSum == localSum; }
};

struct VerifyReport
{
    qint64 seq = 0;
    bool comparable = false; // false: the device is not at the server's seq (pull first)
    QList<TableComparison> tables;
    QStringList mismatched; // partitions
};

Result<VerifyReport> verify(SyncContext &ctx, const QStringList &partitions);

} // namespace outpost::sync
