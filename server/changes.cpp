// GET /v1/changes?since=N&limit=M[&partitions=catalog,stock][&own=S1,S2]: the change feed devices
// sync from. `own` names seqs at which the device was just answered its own orders (the answer
// carries the whole order and its seq): those orders are left out of the page, the device has them.
// Everything the caller is entitled to with seq in (N, U], read in one transaction (one snapshot),
// U <= the tenant's seq at the start, and a page never splits a seq (one write transaction).
// With accounts or prices served it also names territory changes in (N, U] (entitlement.h):
// "joined":{"accounts":[ids]} (their rows included whatever their seq), "left":{"accounts":[ids]}
// and "resnapshot":["prices"] when the device's set of price lists changed.
#include "server/database.h"
#include "server/entitlement.h"
#include "server/http.h"
#include "server/routes.h"
#include "server/sync_scope.h"

#include <QHash>
#include <QHttpServer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>

#include <map>

using namespace Qt::Literals::StringLiterals;

namespace outpost::server {

namespace {

Q_LOGGING_CATEGORY(lcChanges, "outpost.server")

constexpr qint64 kDefaultLimit = 1000;
constexpr qint64 kMaxLimit = 10000;
constexpr int kMaxOwnSeqs = 64; // a push of 1,000 orders in batches of 500 names 2

// Tombstones of the served tables; account-scoped ones only for the caller's accounts.
QString tombstoneScopeSql(const Caller &c, const QStringList &tables, QVariantList &binds)
{
    QStringList marks;
    for (const QString &t : tables) {
        marks << u"?"_s;
        binds << t;
    }
    QString sql = u"t.entity IN ("_s + marks.join(u", "_s) + u")"_s;
    if (!readsWholeTenant(c))
        sql += u" AND (t.account_id IS NULL OR "_s + accountScopeSql(c, u"t.account_id"_s, binds) + u")"_s;
    return sql;
}

struct FeedRequest
{
    qint64 since = 0;
    qint64 limit = kDefaultLimit;
    QStringList partitions;
    QList<qint64> ownSeqs; // the caller device's orders stored at these seqs are left out
};

Result<FeedRequest> parseRequest(const Caller &c, const QHttpServerRequest &request)
{
    QueryReader query(request);
    FeedRequest f;
    f.since = query.integer(u"since"_s, 0, 0, std::numeric_limits<qint64>::max());
    f.limit = query.integer(u"limit"_s, kDefaultLimit, 1, kMaxLimit);
    const QString partitions = query.string(u"partitions"_s, 200);
    const QString own = query.string(u"own"_s, 1300);
    if (auto s = query.finish(); !s)
        return s.error();
    if (query.has(u"own"_s)) {
        const Error badOwn = Error::invalid(
            u"request.bad_parameter"_s,
            u"own must list up to %1 sequence numbers (positive integers), comma-separated."_s.arg(kMaxOwnSeqs),
            u"own"_s);
        const QStringList parts = own.split(u',');
        if (parts.size() > kMaxOwnSeqs)
            return badOwn;
        for (const QString &part : parts) {
            bool ok = false;
            const qint64 seq = part.toLongLong(&ok);
            if (!ok || seq < 1)
                return badOwn;
            f.ownSeqs << seq;
        }
    }
    auto list = parsePartitionList(c, partitions, query.has(u"partitions"_s), u"partitions"_s);
    if (!list)
        return list.error();
    f.partitions = *list;
    return f;
}

// seq -> number of rows the caller gets, for the first `limit` distinct seqs of each table.
Status countBySeq(Database &db, const QString &from, const QString &scope, const QVariantList &scopeBinds,
                  const Caller &c, qint64 since, qint64 upper, qint64 limit, std::map<qint64, qint64> &counts)
{
    QVariantList binds{c.tenantId, since, upper};
    binds << scopeBinds << limit;
    auto q = db.execList(u"SELECT t.seq, COUNT(*) FROM "_s + from +
                             u" t WHERE t.tenant_id = ? AND t.seq > ? AND t.seq <= ? AND "_s + scope +
                             u" GROUP BY t.seq ORDER BY t.seq LIMIT ?"_s,
                         binds);
    if (!q)
        return q.error();
    while (q->next())
        counts[q->value(0).toLongLong()] += q->value(1).toLongLong();
    return {};
}

QJsonValue parseJsonText(const QString &text)
{
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8());
    if (doc.isObject())
        return doc.object();
    if (doc.isArray())
        return doc.array();
    return QJsonValue::Null;
}

// The lines of every order the page serves, in one query (the orders' own WHERE), by order id.
Result<QHash<QString, QJsonArray>> orderLinesOfPage(Database &db, const QString &ordersWhere, const QVariantList &binds)
{
    auto q = db.execList(u"SELECT l.* FROM order_lines l JOIN orders t ON t.tenant_id = l.tenant_id AND t.id = l.order_id"
                         " WHERE "_s + ordersWhere + u" ORDER BY l.order_id, l.line_no"_s,
                         binds);
    if (!q)
        return q.error();
    QHash<QString, QJsonArray> lines;
    const JsonRowReader reader(*q, {u"tenant_id"_s, u"order_id"_s, u"detail_json"_s});
    const int orderId = reader.column(u"order_id"_s), detail = reader.column(u"detail_json"_s);
    while (q->next()) {
        QJsonObject line = reader.read();
        line.insert(u"detail"_s, parseJsonText(q->value(detail).toString()));
        lines[q->value(orderId).toString()].append(line);
    }
    return lines;
}

Result<QJsonObject> readFeed(ServerContext &ctx, const Caller &c, const FeedRequest &f)
{
    Database &db = *ctx.db;
    auto seq = db.tenantSeq(c.tenantId);
    if (!seq)
        return seq.error();
    const qint64 head = *seq;
    if (f.since > head)
        return Error::make(ErrorKind::Conflict, u"changes.cursor_ahead"_s,
                           u"The sync position is ahead of the server; a full resync is needed."_s);

    std::vector<const SyncTable *> served;
    QStringList servedTables;
    for (const SyncTable &spec : syncTables()) {
        if (spec.inChangeFeed && f.partitions.contains(spec.partition)) {
            served.push_back(&spec);
            servedTables << spec.table;
        }
    }

    // Choose U: whole seqs, in order, until the page holds at least `limit` rows.
    std::map<qint64, qint64> counts;
    for (const SyncTable *spec : served) {
        QVariantList scopeBinds;
        const QString scope = syncScopeSql(c, spec->scope, scopeBinds);
        if (auto s = countBySeq(db, spec->table, scope, scopeBinds, c, f.since, head, f.limit, counts); !s)
            return s.error();
    }
    QVariantList tombBinds;
    const QString tombScope = tombstoneScopeSql(c, servedTables, tombBinds);
    if (auto s = countBySeq(db, u"tombstones"_s, tombScope, tombBinds, c, f.since, head, f.limit, counts); !s)
        return s.error();

    qint64 upto = head;
    qint64 total = 0;
    bool more = false;
    for (const auto &[s, n] : counts) {
        total += n;
        if (total >= f.limit) {
            upto = s;
            more = counts.upper_bound(s) != counts.end();
            if (!more)
                upto = head;
            break;
        }
    }

    QJsonObject tables;
    for (const SyncTable *spec : served) {
        QVariantList binds{c.tenantId, f.since, upto};
        const QString scope = syncScopeSql(c, spec->scope, binds);
        QString where = u"t.tenant_id = ? AND t.seq > ? AND t.seq <= ? AND "_s + scope;
        const bool orders = spec->table == u"orders"_s;
        if (orders && !f.ownSeqs.isEmpty()) {
            QStringList marks;
            binds << c.deviceId;
            for (qint64 own : f.ownSeqs) {
                marks << u"?"_s;
                binds << own;
            }
            where += u" AND (t.device_id IS NULL OR t.device_id <> ? OR t.seq NOT IN ("_s + marks.join(u", "_s) + u"))"_s;
        }
        QHash<QString, QJsonArray> lines;
        if (orders) {
            auto l = orderLinesOfPage(db, where, binds);
            if (!l)
                return l.error();
            lines = std::move(*l);
        }
        auto q = db.execList(u"SELECT t.* FROM "_s + spec->table + u" t WHERE "_s + where + u" ORDER BY t.seq"_s, binds);
        if (!q)
            return q.error();
        QJsonArray rows;
        const JsonRowReader reader(*q, {u"tenant_id"_s});
        while (q->next()) {
            QJsonObject row = reader.read();
            if (orders) {
                row.insert(u"lines"_s, lines.take(row.value(u"id"_s).toString()));
                row.insert(u"outcome"_s, parseJsonText(row.take(u"outcomeJson"_s).toString()));
            }
            rows.append(row);
        }
        tables.insert(spec->table, rows);
    }

    QVariantList binds{c.tenantId, f.since, upto};
    const QString scope = tombstoneScopeSql(c, servedTables, binds);
    auto q = db.execList(
        u"SELECT t.entity, t.entity_id, t.seq FROM tombstones t WHERE t.tenant_id = ? AND t.seq > ?"
        " AND t.seq <= ? AND "_s +
            scope + u" ORDER BY t.seq"_s,
        binds);
    if (!q)
        return q.error();
    QJsonArray deleted;
    while (q->next())
        deleted.append(QJsonObject{{u"entity"_s, q->value(0).toString()},
                                   {u"id"_s, q->value(1).toString()},
                                   {u"seq"_s, q->value(2).toLongLong()}});

    qCDebug(lcChanges) << "changes tenant" << c.tenantId << "since" << f.since << "upto" << upto << "rows"
                       << total;
    // Territory changes: accounts that joined arrive in full, accounts that left are named.
    QJsonObject out{{u"since"_s, f.since}, {u"upto"_s, upto},
                    {u"more"_s, more},     {u"partitions"_s, QJsonArray::fromStringList(f.partitions)},
                    {u"deleted"_s, deleted}};
    if (f.partitions.contains(u"accounts"_s) || f.partitions.contains(u"prices"_s)) {
        auto moved = entitlementChanges(db, c, f.since, upto);
        if (!moved)
            return moved.error();
        if (auto s = appendJoinedRows(db, c, moved->joined, f.since, f.partitions, tables); !s)
            return s.error();
        QJsonArray joined;
        QJsonArray left;
        for (qint64 id : moved->joined)
            joined.append(id);
        for (qint64 id : moved->left)
            left.append(id);
        out.insert(u"joined"_s, QJsonObject{{u"accounts"_s, joined}});
        out.insert(u"left"_s, QJsonObject{{u"accounts"_s, left}});
        out.insert(u"resnapshot"_s, moved->resnapshotPrices ? QJsonArray{u"prices"_s} : QJsonArray());
    }
    out.insert(u"tables"_s, tables);
    return out;
}

Result<QJsonObject> changes(ServerContext &ctx, const QHttpServerRequest &request)
{
    auto caller = authenticate(ctx, request);
    if (!caller)
        return caller.error();
    auto f = parseRequest(*caller, request);
    if (!f)
        return f.error();

    // One read transaction: every query below sees the same snapshot.
    if (auto s = ctx.db->begin(); !s)
        return s.error();
    if (ctx.db->dialect() == Database::Dialect::PostgreSQL) {
        if (auto r = ctx.db->exec(u"SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"_s); !r) {
            ctx.db->rollback();
            return r.error();
        }
    }
    auto result = readFeed(ctx, *caller, *f);
    ctx.db->rollback(); // read only
    return result;
}

} // namespace

void registerChangeRoutes(QHttpServer &http, ServerContext &ctx)
{
    http.route(u"/v1/changes"_s, QHttpServerRequest::Method::Get, [&ctx](const QHttpServerRequest &request) {
        const auto r = changes(ctx, request);
        return r ? jsonResponse(*r) : errorResponse(r.error());
    });
}

} // namespace outpost::server
