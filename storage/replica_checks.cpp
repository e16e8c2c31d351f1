// ReplicaWriter, second half: pending local edits put back on top, partition checksums, counts,
// and the accounts that left the territory.
#include "storage/replica_writer.h"

#include "storage/database.h"
#include "storage/repo_util.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::Literals::StringLiterals;

namespace outpost::storage {

namespace detail {
void bindJsonValue(Statement &st, int index, const QJsonValue &v); // replica_writer.cpp
} // namespace detail

namespace {
constexpr qint64 kChecksumModulus = 2147483647;
} // namespace

Status ReplicaWriter::reapplyPendingEdits()
{
    auto st = m_db.prepare("SELECT kind, payload FROM outbox WHERE state IN ('pending', 'inflight')"
                           " AND kind IN ('contact.update', 'account.notes', 'record.update') ORDER BY id");
    if (!st)
        return st.error();
    struct Edit
    {
        QString table;
        qint64 id = 0;
        QJsonObject changes;
    };
    QList<Edit> edits;
    Status each = detail::forEachRow(*st, [&](const Statement &row) {
        const QString kind = row.text(0);
        const QJsonObject p = QJsonDocument::fromJson(row.textUtf8(1)).object();
        Edit e;
        e.changes = p.value(u"changes"_s).toObject();
        if (kind == u"contact.update"_s) {
            e.table = u"contacts"_s;
            e.id = p.value(u"contactId"_s).toInteger();
        } else if (kind == u"account.notes"_s) {
            e.table = u"accounts"_s;
            e.id = p.value(u"accountId"_s).toInteger();
        } else {
            e.table = p.value(u"entity"_s).toString();
            e.id = p.value(u"id"_s).toInteger();
        }
        edits << e;
    });
    if (!each)
        return each.error();
    st->reset();
    for (const Edit &e : edits) {
        auto ti = info(e.table);
        if (!ti)
            continue; // not a replicated record: nothing to put back
        for (auto it = e.changes.constBegin(); it != e.changes.constEnd(); ++it) {
            const QString col = snakeCase(it.key());
            if (!(*ti)->columns.contains(col) || col == u"id"_s || col == u"seq"_s || col == u"version"_s)
                continue;
            auto up = m_db.prepare(
                u"UPDATE %1 SET %2 = ?1 WHERE id = ?2"_s.arg(e.table, col).toStdString().c_str());
            if (!up)
                return up.error();
            detail::bindJsonValue(*up, 1, it.value());
            up->bindInt64(2, e.id);
            if (Status s = up->exec(); !s)
                return s;
        }
    }
    return {};
}

Result<TableChecksum> ReplicaWriter::checksum(const QString &serverTable, qint64 maxSeq)
{
    auto ti = info(serverTable);
    if (!ti)
        return ti.error();
    QString k1 = u"id"_s, k2 = u"0"_s, where = u"seq <= ?1"_s;
    if (serverTable == u"account_reps"_s) {
        k1 = u"account_id"_s;
        k2 = u"user_id"_s;
    } else if (serverTable == u"orders"_s) {
        k1 = u"0"_s;
        where = u"seq IS NOT NULL AND seq <= ?1"_s;
    }
    const QString sql = u"SELECT count(*), coalesce(sum((%1 * 1000003 + %2 * 7919 + seq * 104729) %% %3), 0)"
                        " FROM %4 WHERE %5"_s;
    QString text = sql;
    text.replace(u"%%"_s, u"%"_s);
    text = text.arg(k1, k2, QString::number(kChecksumModulus), serverTable, where);
    auto st = m_db.prepare(text.toStdString().c_str());
    if (!st)
        return st.error();
    st->bindInt64(1, maxSeq);
    auto r = st->step();
    if (!r)
        return r.error();
    TableChecksum c{st->int64(0), st->int64(1)};
    st->reset();
    return c;
}

Result<qint64> ReplicaWriter::rowCount(const QString &serverTable)
{
    auto ti = info(serverTable);
    if (!ti)
        return ti.error();
    auto st = m_db.prepare(("SELECT count(*) FROM " + serverTable.toStdString()).c_str());
    if (!st)
        return st.error();
    auto r = st->step();
    if (!r)
        return r.error();
    const qint64 n = st->int64(0);
    st->reset();
    return n;
}

Status ReplicaWriter::dropAccounts(const QList<qint64> &accountIds)
{
    for (const char *sql : {"DELETE FROM account_reps WHERE account_id = ?1",
                            "DELETE FROM contract_prices WHERE account_id = ?1", "DELETE FROM accounts WHERE id = ?1"}) {
        auto st = m_db.prepare(sql);
        if (!st)
            return st.error();
        for (qint64 id : accountIds) {
            st->bindInt64(1, id);
            if (Status s = st->exec(); !s)
                return s;
        }
    }
    return {};
}

Result<qint64> ReplicaWriter::undeliveredForAccount(qint64 accountId)
{
    auto st = m_db.prepare("SELECT count(*) FROM outbox WHERE state IN ('pending', 'inflight')"
                           " AND json_extract(payload, '$.accountId') = ?1");
    if (!st)
        return st.error();
    st->bindInt64(1, accountId);
    auto r = st->step();
    if (!r)
        return r.error();
    const qint64 n = st->int64(0);
    st->reset();
    return n;
}

} // namespace outpost::storage
