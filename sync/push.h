// Push: due outbox items, oldest first, in batches of up to 500 to POST /v1/commands, each with
// its command id (the server answers a replay with the stored body, so a re-send after a crash or
// a lost answer is safe). Per result:
//   2xx order.submit   -> the outcome onto the local order, item done (one transaction)
//   2xx record.update  -> conflicts stored, the agreed values become the new base, item done
//   409 record.*       -> a conflict row (deleted / edit_conflict / duplicate), item done
//   5xx/429/408        -> pending again, due after an exponential backoff with full jitter
//   other 4xx          -> failed with code and text, set aside; never blocks the items behind
// A transport failure of the whole batch puts every item back with a backoff.
#pragma once

#include "sync/sync_context.h"

#include <QJsonObject>
#include <QRandomGenerator>

#include <chrono>
#include <optional>

namespace outpost::storage {
struct OutboxItem;
struct ServerOutcome;
} // namespace outpost::storage

namespace outpost::sync {

struct PushReport
{
    int sent = 0;
    int done = 0;
    int failed = 0;
    int conflicts = 0;
    int retrying = 0;
    std::optional<Error> transient; // set when something must be retried later
    // Server seqs at which this push's order answers were applied: the feed need not send those
    // orders back (pull's ownSeqs).
    QList<qint64> answeredAt;
};

inline constexpr int kMaxBatch = 500;

// sendAll: every pending item, backoff or not (a sync the user asked for).
Result<PushReport> push(SyncContext &ctx, bool sendAll);

// Full jitter: uniform in [0, min(cap, base * 2^(attempts-1))], base 2 s, cap 5 min.
std::chrono::milliseconds backoffDelay(int attempts, QRandomGenerator &random);

// The server's answer to an order (POST /v1/orders body) as the storage layer keeps it.
storage::ServerOutcome parseOutcome(const QJsonObject &body);

} // namespace outpost::sync
