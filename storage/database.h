// A small RAII wrapper over the SQLite C API for the device replica.
//
//  - Database: one connection (one per thread), opened with WAL, foreign_keys=ON,
//    synchronous=NORMAL and a busy timeout; prepared statements are cached by SQL text.
//  - Statement: a handle to a prepared statement. Binding errors are remembered and reported by
//    step(); the handle resets and clears its bindings when it goes out of scope, so a cached
//    statement is always ready for the next user. Money is bound as integers: binding a floating
//    point value does not compile.
//  - Transaction: RAII; rolls back unless commit() succeeded. The outermost one is BEGIN IMMEDIATE
//    (writers take the write lock up front, so they never deadlock on lock upgrades); a
//    transaction opened while another is active becomes a SAVEPOINT, so repositories compose.
//
// Errors are Result values with codes "storage.*": SQLITE_BUSY/LOCKED -> Transient
// "storage.busy"; SQLITE_CORRUPT/NOTADB -> Corrupt "storage.corrupt"; constraint violations ->
// Invalid "storage.constraint"; anything else -> Internal "storage.error" (or a more specific code).
#pragma once

#include "domain/result.h"

#include <QByteArray>
#include <QDate>
#include <QDateTime>
#include <QHash>
#include <QLoggingCategory>
#include <QString>

#include <chrono>
#include <concepts>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

Q_DECLARE_LOGGING_CATEGORY(lcStorage)

namespace outpost::storage {

// Maps an SQLite result code to an Error (see the file comment). `what` names the operation for
// the log detail (never customer data).
Error sqliteError(int rc, const QString &what, const QString &sqliteMessage = {});

class Database;

class Statement
{
public:
    Statement() = default;
    ~Statement();
    Statement(Statement &&other) noexcept;
    Statement &operator=(Statement &&other) noexcept;
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    bool isValid() const { return m_stmt != nullptr; }

    // Binding by 1-based index or by name (":name", "@name", "?NNN"). Integers of any width
    // (money, ids, bp, booleans as 0/1), text, blobs, null, optionals (nullopt -> NULL), dates
    // and UTC timestamps (as ISO-8601 text, see sqltime.h).
    template <std::integral T> Statement &bind(int index, T value)
    {
        return bindInt64(index, static_cast<qint64>(value));
    }
    template <std::floating_point T>
    Statement &bind(int index, T value) = delete; // money is integer minor units, never double
    Statement &bind(int index, const QString &value);
    Statement &bind(int index, const QByteArray &value);    // blob
    Statement &bind(int index, const char *value) = delete; // say QString or QByteArray
    Statement &bind(int index, std::nullptr_t);
    Statement &bind(int index, const QDateTime &value); // invalid -> NULL
    Statement &bind(int index, const QDate &value);     // invalid -> NULL
    template <typename T> Statement &bind(int index, const std::optional<T> &value)
    {
        return value ? bind(index, *value) : bind(index, nullptr);
    }
    template <typename T> Statement &bind(const char *name, T &&value)
    {
        return bind(parameterIndex(name), std::forward<T>(value));
    }
    // Binds a text value as-is (used for JSON documents kept as text).
    Statement &bindText(int index, const QByteArray &utf8);
    Statement &bindInt64(int index, qint64 value);

    // One step: true when a row is available, false when done.
    Result<bool> step();
    // Steps until done (for INSERT/UPDATE/DELETE); resets afterwards so the statement can be
    // rebound at once.
    Status exec();
    // Clears the bindings and rewinds; done automatically on destruction.
    void reset();

    int columnCount() const;
    bool isNull(int column) const;
    qint64 int64(int column) const;
    bool boolean(int column) const { return int64(column) != 0; }
    QString text(int column) const;
    QByteArray blob(int column) const;
    QByteArray textUtf8(int column) const;
    std::optional<qint64> optInt64(int column) const;
    QDateTime dateTime(int column) const; // NULL or unparsable -> invalid QDateTime
    std::optional<QDate> date(int column) const;

private:
    friend class Database;
    Statement(Database *db, sqlite3_stmt *stmt, bool *inUse);
    int parameterIndex(const char *name);
    void noteBindResult(int rc, int index);
    void release();

    Database *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
    bool *m_inUse = nullptr; // cache slot; nullptr = this handle owns the statement
    std::optional<Error> m_bindError;
};

struct DatabaseOptions
{
    std::chrono::milliseconds busyTimeout{5000};
    qint64 cacheKiB = 16 * 1024; // page cache; bulk applies re-read pages from disk when too small
    bool readOnly = false;
};

class Database
{
public:
    static constexpr const char *kMemory = ":memory:";

    // Opens (creating if needed) a database file or ":memory:" and applies the pragmas. A file
    // that is not a database fails here with "storage.corrupt".
    static Result<std::unique_ptr<Database>> open(const QString &path, const DatabaseOptions &options = {});
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    // A prepared statement for this SQL text, from the cache (prepared on first use). If the
    // cached statement is still held by another handle, a private one is prepared instead.
    Result<Statement> prepare(const char *sql);
    // Runs one or more statements without results (DDL, pragmas). Not cached.
    Status exec(const char *sql);

    Result<int> userVersion();
    Status setUserVersion(int version);

    qint64 lastInsertRowId() const;
    int changes() const;
    bool inTransaction() const;
    int cachedStatementCount() const { return int(m_cache.size()); }
    QString path() const { return m_path; }
    QString journalMode();
    // For the wrapper and tests only.
    sqlite3 *handle() const { return m_db; }
    Error lastError(int rc, const QString &what) const;

private:
    friend class Transaction;
    Database() = default;
    struct CachedStatement
    {
        sqlite3_stmt *stmt = nullptr;
        std::unique_ptr<bool> inUse;
    };
    sqlite3 *m_db = nullptr;
    QString m_path;
    std::unordered_map<std::string, CachedStatement> m_cache;
    int m_savepointDepth = 0;
};

class Transaction
{
public:
    enum class Mode
    {
        Deferred,
        Immediate
    };

    static Result<Transaction> begin(Database &db, Mode mode = Mode::Immediate);
    ~Transaction();
    Transaction(Transaction &&other) noexcept;
    Transaction &operator=(Transaction &&) = delete;
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    // Commits (or releases the savepoint). On failure everything is rolled back and the
    // transaction is finished either way.
    Status commit();
    void rollback();
    bool isActive() const { return m_db != nullptr; }

private:
    Transaction(Database *db, int savepoint) : m_db(db), m_savepoint(savepoint) {}
    Database *m_db = nullptr;
    int m_savepoint = 0; // 0 = outermost BEGIN; n = SAVEPOINT sp_n
};

} // namespace outpost::storage
