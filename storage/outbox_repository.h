// The outbox: local changes waiting to reach the server, each with a client-made UUID command id
// (the idempotency key). Rows are written by the repositories in the SAME transaction as the
// change they describe. Items are handed out oldest first among those due; a failed or backing-off
// item never blocks the ones behind it.
//
// States: pending -> inflight -> done | pending (transient failure, due again at retryAt)
//                                      | failed (permanent; the user can retry it)
#pragma once

#include "domain/result.h"
#include "storage/records.h"

#include <QDateTime>
#include <QList>

#include <optional>

namespace outpost::storage {

class Database;

class OutboxRepository
{
public:
    explicit OutboxRepository(Database &db) : m_db(db) {}

    // A pending item due at `now`. payload must be a JSON object. commandId empty = a fresh UUID.
    Result<OutboxItem> enqueue(const QString &kind, const QString &entityId, const QByteArray &payload,
                               const QDateTime &now, const QString &commandId = {});

    // Pending items with next_attempt_at <= now, oldest first.
    Result<QList<OutboxItem>> due(const QDateTime &now, int limit);
    Result<OutboxItem> item(qint64 id);
    Result<OutboxItem> itemByCommandId(const QString &commandId);
    Result<QList<OutboxItem>> failedItems();

    // pending -> inflight, counting the attempt. "storage.outbox_bad_state" (Conflict) otherwise.
    Status markInflight(qint64 id);
    Status markDone(qint64 id);
    // Records the error. With retryAt the item goes back to pending, due at retryAt (transient);
    // without, it is failed for good (permanent) until retry() is called.
    Status markFailed(qint64 id, const Error &error, std::optional<QDateTime> retryAt);
    // failed -> pending, due at `now` (the user's "try again").
    Status retry(qint64 id, const QDateTime &now);
    // After a crash: every inflight item is pending again (the server dedupes by command id).
    Result<int> recoverInflight();

    // Items not yet done nor failed (pending + inflight).
    Result<qint64> pendingCount();
    Result<int> purgeDone(const QDateTime &createdBefore);

private:
    Status transition(qint64 id, const char *sql, const QString &from);
    Database &m_db;
};

} // namespace outpost::storage
