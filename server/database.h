// The server's storage: QtSql, one code path for SQLite (embedded default, one file) and
// PostgreSQL (production; made first-class later). SQL stays portable; dialect differences are
// listed in sql/schema.sql and in Database::Dialect users.
#pragma once

#include "domain/result.h"

#include <QDateTime>
#include <QHashFunctions>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include <initializer_list>
#include <memory>
#include <unordered_map>
#include <utility>

namespace outpost::server {

// A statement from Database::execCached(): the prepared query stays with the connection; this
// handle reads it and resets it when it goes out of scope (an SQLite statement left stepping would
// keep its read snapshot open). Read it before the next execCached() of the same SQL text.
class CachedQuery
{
public:
    explicit CachedQuery(QSqlQuery *query) : m_query(query) {}
    CachedQuery(CachedQuery &&other) noexcept : m_query(std::exchange(other.m_query, nullptr)) {}
    CachedQuery(const CachedQuery &) = delete;
    CachedQuery &operator=(const CachedQuery &) = delete;
    CachedQuery &operator=(CachedQuery &&) = delete;
    ~CachedQuery()
    {
        if (m_query)
            m_query->finish();
    }
    bool next() { return m_query->next(); }
    QVariant value(int index) const { return m_query->value(index); }
    bool isNull(int index) const { return m_query->isNull(index); }
    int numRowsAffected() const { return m_query->numRowsAffected(); }

private:
    QSqlQuery *m_query;
};

class Database
{
public:
    enum class Dialect { SQLite, PostgreSQL };

    // spec: a file path (SQLite) or "postgresql://user:pass@host:port/db".
    // Creates the schema when the database is empty; checks the version otherwise.
    static Result<Database *> open(const QString &spec, const QString &connectionName = {});
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    Dialect dialect() const { return m_dialect; }
    QSqlDatabase &sql() { return m_db; }

    // A prepared query on this connection (QSqlQuery caches nothing; callers keep it in scope).
    QSqlQuery prepare(const QString &sql);
    // Prepare, bind positionally (in order), exec. On failure: Error{Internal,"db.error"} with
    // the driver text in detail (never in userText).
    Result<QSqlQuery> exec(const QString &sql, std::initializer_list<QVariant> binds = {});
    // The same with binds collected at run time (e.g. from accountScopeSql()).
    Result<QSqlQuery> execList(const QString &sql, const QVariantList &binds);

    // exec() with a statement prepared once per connection and kept, keyed by its SQL text (for the
    // hot paths: order intake prepares the same few statements thousands of times per batch).
    // Binds positionally. Not for statements PostgreSQL cannot PREPARE (DDL, SAVEPOINT).
    Result<CachedQuery> execCached(const QString &sql, const QVariantList &binds);

    // Transactions. beginTenantWrite() starts a transaction and bumps tenants.seq for the tenant,
    // returning the new sequence number: every replicated row written in this transaction gets
    // it as `seq`. Writers of one tenant are serialized by that row update.
    Status begin();
    Result<qint64> beginTenantWrite(qint64 tenantId);
    Status commit();
    void rollback();

    // The tenant's current sequence number (what a change feed reads up to).
    Result<qint64> tenantSeq(qint64 tenantId);

private:
    Database() = default;
    void resetCachedQueries();

    QSqlDatabase m_db;
    struct TextHash
    {
        size_t operator()(const QString &s) const { return qHash(s); }
    };
    std::unordered_map<QString, std::unique_ptr<QSqlQuery>, TextHash> m_cachedQueries;
    QString m_connectionName;
    Dialect m_dialect = Dialect::SQLite;
};

// "2026-11-23T10:00:00.000Z"
QString isoUtc(const QDateTime &t);

// The current row as a JSON object: column names in camelCase ("list_price_minor" ->
// "listPriceMinor"), integers as numbers, NULL as null; columns named in `skip` left out.
QJsonObject rowToJson(const QSqlQuery &query, const QStringList &skip = {});

// rowToJson for many rows of one query: the column names are read and camel-cased once.
class JsonRowReader
{
public:
    JsonRowReader(const QSqlQuery &query, const QStringList &skip = {});
    QJsonObject read() const; // the query's current row
    int column(const QString &snakeName) const { return m_names.indexOf(snakeName); }

private:
    const QSqlQuery &m_query;
    QStringList m_names;                     // snake_case, every column
    QList<std::pair<int, QString>> m_keys; // column index -> camelCase key, skipped ones left out
};
QString camelCase(const QString &snake);

} // namespace outpost::server
