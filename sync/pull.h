// Incremental pull: GET /v1/changes?since=N pages, each applied in ONE transaction together with
// the cursors it moves (the replica never shows half a server transaction): tombstones first, then
// rows (a row in the page exists now, so it is newer than any tombstone of it), then the pending
// local edits on top again. "left" accounts are remembered and dropped once their pending commands
// are delivered; "resnapshot" partitions are reported to the caller.
#pragma once

#include "sync/sync_context.h"

#include <QList>
#include <QStringList>

namespace outpost::sync {

struct PullReport
{
    int pages = 0;
    qint64 rows = 0;
    qint64 deletes = 0;
    qint64 upto = 0;
    QStringList resnapshot;
    QList<qint64> joined;
    QList<qint64> left;
};

inline constexpr int kPullPageLimit = 2000;

// ownSeqs: seqs at which this device's own orders were just answered (PushReport::answeredAt);
// the server leaves those orders out of the feed (the device holds them at that seq already).
Result<PullReport> pull(SyncContext &ctx, const QStringList &partitions, int pageLimit = kPullPageLimit,
                        const QList<qint64> &ownSeqs = {});

// Drops the accounts that left the territory and have nothing left to deliver; returns how many.
Result<int> dropLeftAccounts(SyncContext &ctx);

} // namespace outpost::sync
