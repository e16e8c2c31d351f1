// Internal helpers shared by the repositories (not part of the storage API).
#pragma once

#include "storage/database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUuid>

#include <type_traits>
#include <utility>

namespace outpost::storage::detail {

inline Error invalidArgument(const QString &code, const QString &text, const QString &field)
{
    return Error::invalid(code, text, field);
}

inline Error notFound(const QString &code, const QString &text, const QString &detail = {})
{
    return Error::make(ErrorKind::NotFound, code, text, detail);
}

inline Error accountNotFound(qint64 id)
{
    return notFound(QStringLiteral("storage.account_not_found"),
                    QStringLiteral("No such account on this device."), QStringLiteral("account %1").arg(id));
}

// Steps through every result row, calling `each(statement)` once per row; stops at the first
// step error.
template <typename Each> Status forEachRow(Statement &st, Each each)
{
    for (;;) {
        auto row = st.step();
        if (!row)
            return row.error();
        if (!*row)
            return {};
        each(std::as_const(st));
    }
}

// Every result row read into a list by `read(statement)`.
template <typename Read>
auto collectRows(Statement &st, Read read) -> Result<QList<std::invoke_result_t<Read, const Statement &>>>
{
    QList<std::invoke_result_t<Read, const Statement &>> rows;
    if (Status s = forEachRow(st, [&](const Statement &row) { rows.append(read(row)); }); !s)
        return s.error();
    return rows;
}

// Steps to the first result row; `missing` when there is none.
inline Status firstRow(Statement &st, const Error &missing)
{
    auto row = st.step();
    if (!row)
        return row.error();
    if (!*row)
        return missing;
    return {};
}

// The first column of a one-row query such as "SELECT count(*) ...".
inline Result<qint64> scalarInt(Database &db, const char *sql)
{
    auto st = db.prepare(sql);
    if (!st)
        return st.error();
    auto row = st->step();
    if (!row)
        return row.error();
    return st->int64(0);
}

// Upserts every row with one cached statement inside one transaction (a savepoint when the
// caller already has one). `validate(row, index)` runs over every row first: a bad row rejects
// the whole batch before anything is written. `bind(statement, row)` binds one row.
template <typename Row, typename Validate, typename Bind>
Status bulkWrite(Database &db, const char *sql, const QList<Row> &rows, Validate validate, Bind bind)
{
    for (qsizetype i = 0; i < rows.size(); ++i) {
        if (Status s = validate(rows[i], i); !s)
            return s;
    }
    if (rows.isEmpty())
        return {};
    auto tx = Transaction::begin(db);
    if (!tx)
        return tx.error();
    auto st = db.prepare(sql);
    if (!st)
        return st.error();
    for (const Row &row : rows) {
        bind(*st, row);
        if (Status s = st->exec(); !s)
            return s;
    }
    return tx->commit();
}

inline Status deleteIds(Database &db, const char *sql, const QList<qint64> &ids)
{
    if (ids.isEmpty())
        return {};
    auto tx = Transaction::begin(db);
    if (!tx)
        return tx.error();
    auto st = db.prepare(sql);
    if (!st)
        return st.error();
    for (qint64 id : ids) {
        st->bind(1, id);
        if (Status s = st->exec(); !s)
            return s;
    }
    return tx->commit();
}

// A JSON array text of ids, for "x IN (SELECT value FROM json_each(?))".
inline QString idsJson(const QList<qint64> &ids)
{
    QJsonArray array;
    for (qint64 id : ids)
        array.append(id);
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

inline QString newUuid()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// FTS5 prefix query from what a user typed: every word becomes a quoted prefix phrase and all
// words must match ("oli oil" -> "oli"* "oil"*). Characters FTS5 treats as syntax are neutralised
// by the quoting; words without a letter or digit are dropped. Empty when nothing is left.
inline QString ftsPrefixQuery(const QString &text)
{
    QStringList parts;
    const QStringList words = text.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString &word : words) {
        bool hasWordChar = false;
        for (QChar c : word)
            hasWordChar = hasWordChar || c.isLetterOrNumber();
        if (!hasWordChar)
            continue;
        QString quoted = word;
        quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        parts.append(QLatin1Char('"') + quoted + QStringLiteral("\"*"));
    }
    return parts.join(QLatin1Char(' '));
}

inline Status checkPage(int limit, int offset)
{
    if (limit <= 0 || limit > 10000)
        return Error::invalid(QStringLiteral("storage.invalid_limit"),
                              QStringLiteral("The page size must be between 1 and 10000."),
                              QStringLiteral("limit"));
    if (offset < 0)
        return Error::invalid(QStringLiteral("storage.invalid_offset"),
                              QStringLiteral("The page offset cannot be negative."),
                              QStringLiteral("offset"));
    return {};
}

} // namespace outpost::storage::detail
