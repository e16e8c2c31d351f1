// One sync pass, synchronous (the engine runs it on its worker thread; tests and the CLI can call
// it directly): recover inflight outbox items, bootstrap partitions never synced (or with a
// verified snapshot waiting after a crash), pull, re-snapshot what the feed asks for, push every
// pending command, pull the answers' rows, drop accounts that left, verify checksums and repair
// only the partitions that differ. With maxDuration, transient failures are retried (backoff with
// full jitter) until the time is up.
#pragma once

#include "sync/bootstrap.h"
#include "sync/pull.h"
#include "sync/push.h"
#include "sync/verify.h"

namespace outpost::sync {

struct SyncOptions
{
    QStringList partitions;               // empty = every partition the role may read
    std::chrono::seconds maxDuration{0}; // 0 = one pass
    bool verify = true;
    bool sendAll = true; // a sync someone asked for sends items still backing off too
};

struct SyncReport
{
    BootstrapReport bootstrap;
    PullReport pull;
    PushReport push;
    VerifyReport verify;
    QStringList repaired; // partitions re-snapshotted after a checksum mismatch
    int attempts = 0;
    bool complete = false; // everything pulled and every due command answered
    // Wall milliseconds per phase over all attempts: bootstrap, pull, push, pullAfterPush, verify
    // (support and the bench read where a sync's time went).
    QMap<QString, qint64> phaseMs;
};

QStringList entitledPartitions(const QString &role);

Result<SyncReport> runSync(SyncContext &ctx, const SyncOptions &options);

} // namespace outpost::sync
