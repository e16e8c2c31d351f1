// The server's storage: QtSql, one code path for SQLite (embedded default, one file) and
// PostgreSQL (production; made first-class later). SQL stays portable; dialect differences are
// listed in sql/schema.sql and in Database::Dialect users.
#pragma once

#include "domain/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include <initializer_list>

namespace outpost::server {

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
    QSqlDatabase m_db;
    QString m_connectionName;
    Dialect m_dialect = Dialect::SQLite;
};

// "2026-11-23T10:00:00.000Z"
QString isoUtc(const QDateTime &t);

// The current row as a JSON object: column names in camelCase ("list_price_minor" ->
// "listPriceMinor"), integers as numbers, NULL as null; columns named in `skip` left out.
QJsonObject rowToJson(const QSqlQuery &query, const QStringList &skip = {});
QString camelCase(const QString &snake);

} // namespace outpost::server
