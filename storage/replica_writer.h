// The sync engine's write path into the replica: server rows (from a snapshot stream or a change
// feed page) upserted by server table name, tombstones, partition checksums, and dropping the
// accounts that left the caller's territory. Never writes the outbox.
//
// Rows are mapped by column name: a camelCase key of the wire ("listPriceMinor") is the snake_case
// column of the replica ("list_price_minor"); keys the replica does not keep are ignored. Server
// orders and order lines are mapped onto the device's own order tables (a device order keeps its
// drafts and queue state; the server's outcome lands on it).
//
// The caller owns the transaction (a snapshot is applied in one, a feed page in one, each together
// with its cursor). The hot path (snapshot rows) uses its own prepared statements with the SQLite C
// API and no per-row allocation.
#pragma once

#include "domain/result.h"

#include <QByteArrayView>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <memory>

struct sqlite3_stmt;

namespace outpost::storage {

class Database;
struct FullTextFill;

// One cell of an incoming row, valid for the duration of the call.
struct Cell
{
    enum class Kind : quint8 { Null, Int, Text };
    Kind kind = Kind::Null;
    qint64 integer = 0;
    QByteArrayView text;
};

// count and order-independent sum, as GET /v1/sync/checksums defines them.
struct TableChecksum
{
    qint64 count = 0;
    qint64 sum = 0;
    friend bool operator==(const TableChecksum &, const TableChecksum &) = default;
};

// catalog, stock, prices, accounts, orders (apply order: parents first).
const QStringList &syncPartitions();
// The replica tables of a partition as the server names them; empty for an unknown partition.
QStringList partitionTables(const QString &partition);
// The tables that take part in a partition's checksum (order_lines are left out).
QStringList checksumTables(const QString &partition);

// "listPriceMinor" -> "list_price_minor"
QString snakeCase(QStringView camel);

class ReplicaWriter
{
public:
    explicit ReplicaWriter(Database &db);
    ~ReplicaWriter();
    ReplicaWriter(const ReplicaWriter &) = delete;
    ReplicaWriter &operator=(const ReplicaWriter &) = delete;

    // Snapshot apply of one table: beginTable, row() per row, endTable(). With replaceAll, rows of
    // the replica table that the stream does not carry are deleted (the stream must be sorted by
    // key: "sync.snapshot_unsorted" otherwise). Local orders not yet known to the server are kept.
    // An unknown table is "sync.unknown_table" (Corrupt).
    Status beginTable(const QString &serverTable, const QList<QByteArray> &columns, bool replaceAll);
    Status row(const QList<Cell> &cells);
    Status endTable();
    qint64 rowsWritten() const { return m_rowsWritten; }

    // Change feed apply: one row as JSON (camelCase keys), one tombstone.
    Status upsertJson(const QString &serverTable, const QJsonObject &row);
    Status deleteRow(const QString &serverTable, const QString &id);

    // Rows with unsynced local edits get those edits back on top after a server row replaced
    // them (the pending record.update commands in the outbox, oldest first).
    Status reapplyPendingEdits();

    Result<TableChecksum> checksum(const QString &serverTable, qint64 maxSeq);
    Result<qint64> rowCount(const QString &serverTable);

    // Accounts that left the territory: their rows, addresses, contacts, contract prices and
    // territory rows go. Orders stay (they are the rep's history).
    Status dropAccounts(const QList<qint64> &accountIds);
    // Outbox items not yet delivered (pending/inflight) that concern this account.
    Result<qint64> undeliveredForAccount(qint64 accountId);

private:
    struct TableInfo
    {
        QString name;
        QStringList columns;   // replica columns
        QStringList pkColumns; // primary key columns
        QStringList keys;      // the columns' wire names (camelCase), same order
        QHash<quint64, std::string> upserts; // upsertJson statement by the set of columns a row carries
    };
    Result<const TableInfo *> info(const QString &table);
    Result<TableInfo *> mutableInfo(const QString &table);
    Status upsertOrder(const QJsonObject &order);
    Status upsertOrderLine(const QString &orderId, const QJsonObject &line);
    Status bindCell(sqlite3_stmt *stmt, int index, const Cell &cell);
    Status stepRaw(sqlite3_stmt *stmt, const char *what);
    // A fresh table with a full-text index: its insert trigger is dropped for the bulk load and
    // endTable indexes every row in one statement, then restores the trigger.
    Status startBulkFill(const QString &serverTable);
    Status finishBulkFill();

    Database &m_db;
    QHash<QString, std::shared_ptr<TableInfo>> m_info;

    // current snapshot table
    QString m_table;
    const TableInfo *m_current = nullptr;
    QList<int> m_columnMap; // wire column -> bind index (1-based), 0 = ignored
    QList<QByteArray> m_wireColumns;
    sqlite3_stmt *m_insert = nullptr;
    sqlite3_stmt *m_rangeDelete = nullptr;
    bool m_replaceAll = false;
    bool m_tableHadRows = false;
    bool m_haveLastKey = false;
    qint64 m_lastKey = 0;
    int m_keyColumn = -1;
    QSet<QString> m_seenKeys; // orders, account_reps (small tables)
    qint64 m_rowsWritten = 0;
    const FullTextFill *m_bulkFill = nullptr;
    QByteArray m_bulkTriggerSql; // the dropped trigger's CREATE statement
};

} // namespace outpost::storage
