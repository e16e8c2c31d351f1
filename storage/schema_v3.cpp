// Migration 3: what the sync engine (issue B) needs beyond the base tables.
//  - account_reps: the caller's territory rows (account, user), replicated like the server's so the
//    device can compute the "accounts" partition checksum exactly as the server does.
//  - an index on outbox(kind, entity_id) so "pending commands of this record" is cheap.
// Session tokens and sync bookkeeping live in the existing replica_meta key/value table.
#include "storage/database.h"
#include "storage/schema.h"

namespace outpost::storage {

namespace {

constexpr const char *kSyncTables = R"SQL(
CREATE TABLE account_reps (
  account_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (account_id, user_id)
);
CREATE INDEX outbox_entity ON outbox (kind, entity_id, state);
)SQL";

} // namespace

Status migrateTo3SyncTables(Database &db)
{
    return db.exec(kSyncTables);
}

} // namespace outpost::storage
