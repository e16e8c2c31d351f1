// Per sync partition ("catalog", "pricing", "accounts", "stock", ...): the server seq the device
// has applied up to (the cursor), when the last sync of it succeeded, and an optional checksum.
// Save the cursor in the same transaction as the page it covers.
#pragma once

#include "domain/result.h"
#include "storage/records.h"

#include <QList>

namespace outpost::storage {

class Database;

class SyncStateRepository
{
public:
    explicit SyncStateRepository(Database &db) : m_db(db) {}

    // A partition never synced has cursor 0 and an invalid lastSuccessAt.
    Result<SyncStateRow> state(const QString &partition);
    Result<QList<SyncStateRow>> all();
    // Moves the cursor forward; a cursor below the stored one is "storage.cursor_backwards".
    Status save(const SyncStateRow &row);
    // Forget a partition (the next sync starts from 0, e.g. after a server reset).
    Status reset(const QString &partition);

private:
    Database &m_db;
};

} // namespace outpost::storage
