#include "server/entitlement.h"

#include "server/database.h"

#include <QJsonArray>
#include <QSet>

using namespace Qt::Literals::StringLiterals;

namespace outpost::server {

namespace {

QString placeholders(const QList<qint64> &ids, QVariantList &binds)
{
    QStringList marks;
    marks.reserve(ids.size());
    for (qint64 id : ids) {
        marks << u"?"_s;
        binds << id;
    }
    return marks.join(u", "_s);
}

Result<QSet<qint64>> idSet(Database &db, const QString &sql, const QVariantList &binds)
{
    auto q = db.execList(sql, binds);
    if (!q)
        return q.error();
    QSet<qint64> out;
    while (q->next()) {
        if (!q->value(0).isNull())
            out.insert(q->value(0).toLongLong());
    }
    return out;
}

// Price lists of the given accounts.
Result<QSet<qint64>> listsOf(Database &db, qint64 tenantId, const QList<qint64> &accounts)
{
    if (accounts.isEmpty())
        return QSet<qint64>();
    QVariantList binds{tenantId};
    const QString in = placeholders(accounts, binds);
    return idSet(db, u"SELECT DISTINCT price_list_id FROM accounts WHERE tenant_id = ? AND id IN ("_s + in + u")"_s,
                 binds);
}

// Price lists of the caller's territory rows with seq <= atSeq.
Result<QSet<qint64>> territoryLists(Database &db, const Caller &c, qint64 atSeq)
{
    return idSet(db,
                 u"SELECT DISTINCT a.price_list_id FROM accounts a JOIN account_reps r ON r.account_id = a.id "
                 "WHERE r.tenant_id = ? AND r.user_id = ? AND r.seq <= ?"_s,
                 {c.tenantId, c.userId, atSeq});
}

} // namespace

QString accountRepTombstoneId(qint64 accountId, qint64 userId)
{
    return u"%1:%2"_s.arg(accountId).arg(userId);
}

Result<EntitlementChanges> entitlementChanges(Database &db, const Caller &c, qint64 since, qint64 upto)
{
    EntitlementChanges out;
    if (c.role != Role::Rep || upto <= since)
        return out;
    auto joined = db.exec(u"SELECT account_id FROM account_reps WHERE tenant_id = ? AND user_id = ? AND seq > ? "
                          "AND seq <= ? ORDER BY account_id"_s,
                          {c.tenantId, c.userId, since, upto});
    if (!joined)
        return joined.error();
    while (joined->next())
        out.joined.append(joined->value(0).toLongLong());

    auto left = db.exec(u"SELECT DISTINCT t.account_id FROM tombstones t WHERE t.tenant_id = ? AND "
                        "t.entity = 'account_reps' AND t.entity_id LIKE ? AND t.seq > ? AND t.seq <= ? AND "
                        "t.account_id IS NOT NULL AND t.account_id NOT IN (SELECT account_id FROM account_reps "
                        "WHERE tenant_id = ? AND user_id = ? AND seq <= ?) ORDER BY t.account_id"_s,
                        {c.tenantId, u"%:"_s + QString::number(c.userId), since, upto, c.tenantId, c.userId, upto});
    if (!left)
        return left.error();
    while (left->next())
        out.left.append(left->value(0).toLongLong());

    // Entries of a price list the device did not hold have seq <= since and will not come through
    // the feed; entries of a list it no longer needs must go. Either way: download prices again.
    // From since = 0 the feed brings every row anyway.
    if (since > 0 && (!out.joined.isEmpty() || !out.left.isEmpty())) {
        auto before = territoryLists(db, c, since);
        auto after = territoryLists(db, c, upto);
        if (!before)
            return before.error();
        if (!after)
            return after.error();
        // A joined account whose list the device already had brings nothing new.
        QSet<qint64> added = *after;
        added.subtract(*before);
        out.resnapshotPrices = !added.isEmpty();
        if (!out.resnapshotPrices && !out.left.isEmpty()) {
            auto leftLists = listsOf(db, c.tenantId, out.left);
            if (!leftLists)
                return leftLists.error();
            QSet<qint64> stale = *leftLists;
            stale.subtract(*after);
            out.resnapshotPrices = !stale.isEmpty();
        }
    }
    return out;
}

Status appendJoinedRows(Database &db, const Caller &c, const QList<qint64> &joined, qint64 since,
                        const QStringList &partitions, QJsonObject &tables)
{
    if (joined.isEmpty() || since <= 0)
        return {};
    struct Part
    {
        QString table;
        QString partition;
        QString accountColumn;
    };
    const QList<Part> parts{{u"accounts"_s, u"accounts"_s, u"id"_s},
                            {u"addresses"_s, u"accounts"_s, u"account_id"_s},
                            {u"contacts"_s, u"accounts"_s, u"account_id"_s},
                            {u"contract_prices"_s, u"prices"_s, u"account_id"_s}};
    for (const Part &p : parts) {
        if (!partitions.contains(p.partition))
            continue;
        QVariantList binds{c.tenantId, since};
        const QString in = placeholders(joined, binds);
        auto q = db.execList(u"SELECT t.* FROM "_s + p.table + u" t WHERE t.tenant_id = ? AND t.seq <= ? AND t."_s +
                                 p.accountColumn + u" IN ("_s + in + u") ORDER BY t.id"_s,
                             binds);
        if (!q)
            return q.error();
        QJsonArray rows = tables.value(p.table).toArray();
        while (q->next())
            rows.append(rowToJson(*q, {u"tenant_id"_s}));
        tables.insert(p.table, rows);
    }
    return {};
}

} // namespace outpost::server
