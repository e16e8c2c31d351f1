// The replica's schema: a version in PRAGMA user_version and an ordered list of forward
// migrations, each a function that moves the database from version n-1 to n inside one
// transaction (the version bump commits with it). Never edit a shipped migration: add one.
//
//   1  base tables (catalog, pricing, accounts, stock, orders, sync bookkeeping)
//   2  FTS5 indexes for products and accounts, kept in sync by triggers (so every writer, including
//      a raw sync apply, keeps search right), filled from existing rows
//   3  sync engine tables: account_reps (territory rows, for the accounts checksum), outbox index
//   4  attachments (signatures, photos) with their upload state, and the blobs they reference
#pragma once

#include "domain/result.h"

#include <QByteArray>
#include <QString>

#include <vector>

namespace outpost::storage {

class Database;

struct Migration
{
    int version = 0; // the version this migration produces
    QString description;
    Status (*apply)(Database &db) = nullptr;
};

const std::vector<Migration> &migrations();
int latestSchemaVersion();

// Migrates forward to `targetVersion` (default: latest). A database newer than this build knows
// fails with "storage.schema_too_new" and is left untouched.
Status migrate(Database &db, int targetVersion = -1);

// A table with a full-text index kept by triggers (migration 2). A bulk load into the empty table
// drops the per-row insert trigger, inserts, then indexes every row with fillSql in one statement
// and puts the trigger back (ReplicaWriter, the bench floor): 100k products take about 2 s instead
// of 8 s row by row (measured with SQLite 3.40, Debian 12). nullptr for a table without one.
struct FullTextFill
{
    const char *ftsTable;      // e.g. "products_fts"
    const char *insertTrigger; // e.g. "products_fts_ai"
    const char *fillSql;       // INSERT INTO <ftsTable> ... SELECT ... FROM <table> ...
};
const FullTextFill *fullTextFill(QStringView table);
// The bulk load's two halves: drop the insert trigger and return its CREATE statement (empty when
// there is no such trigger: nothing dropped); then index every row and put the trigger back.
Result<QByteArray> dropFullTextTrigger(Database &db, const FullTextFill &fill);
Status fillFullText(Database &db, const FullTextFill &fill, const QByteArray &triggerSql);

// The individual steps (schema_v1.cpp).
Status migrateTo1BaseTables(Database &db);
Status migrateTo2FullText(Database &db);
Status migrateTo3SyncTables(Database &db); // schema_v3.cpp
Status migrateTo4Attachments(Database &db); // schema_v4.cpp

} // namespace outpost::storage
