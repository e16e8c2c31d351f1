// GET /v1/sync/checksums[?partitions=a,b]: per partition and table, the count of the caller's rows
// with seq <= S and an order-independent sum over their keys and seqs:
//   SUM((k1 * 1000003 + k2 * 7919 + seq * 104729) % 2147483647)
// k1 = id, k2 = 0 for tables with an integer id; account_reps k1 = account_id, k2 = user_id;
// orders (text ids) k1 = k2 = 0. order_lines are left out (they travel with their order). The
// device computes the same over its replica; a mismatch re-downloads only that partition.
#include "server/database.h"
#include "server/http.h"
#include "server/routes.h"
#include "server/sync_scope.h"

#include <QHttpServer>
#include <QLoggingCategory>

using namespace Qt::Literals::StringLiterals;

namespace outpost::server {

namespace {

Q_LOGGING_CATEGORY(lcChecksums, "outpost.server")

QString keyTerms(const QString &table)
{
    if (table == u"account_reps"_s)
        return u"t.account_id * 1000003 + t.user_id * 7919"_s;
    if (table == u"orders"_s)
        return u"0"_s;
    return u"t.id * 1000003"_s;
}

Result<QJsonObject> tableChecksum(Database &db, const Caller &caller, const SyncTable &table, qint64 seq)
{
    QVariantList binds{caller.tenantId, seq};
    const QString scope = syncScopeSql(caller, table.scope, binds);
    auto q = db.execList(u"SELECT COUNT(*), SUM(("_s + keyTerms(table.table) +
                             u" + t.seq * 104729) % 2147483647) FROM "_s + table.table +
                             u" t WHERE t.tenant_id = ? AND t.seq <= ? AND "_s + scope,
                         binds);
    if (!q)
        return q.error();
    if (!q->next())
        return Error::make(ErrorKind::Internal, u"db.error"_s, u"A database error occurred."_s, u"checksum"_s);
    const QVariant sum = q->value(1);
    return QJsonObject{{u"count"_s, q->value(0).toLongLong()},
                       {u"sum"_s, sum.isNull() ? u"0"_s : QString::number(sum.toLongLong())}};
}

Result<QJsonObject> checksums(ServerContext &ctx, const QHttpServerRequest &request)
{
    auto caller = authenticate(ctx, request);
    if (!caller)
        return caller.error();
    QueryReader query(request);
    const QString text = query.string(u"partitions"_s, 200);
    if (auto s = query.finish(); !s)
        return s.error();
    auto partitions = parsePartitionList(*caller, text, query.has(u"partitions"_s), u"partitions"_s);
    if (!partitions)
        return partitions.error();

    Database &db = *ctx.db;
    if (auto s = db.begin(); !s)
        return s.error();
    if (db.dialect() == Database::Dialect::PostgreSQL) {
        if (auto r = db.exec(u"SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"_s); !r) {
            db.rollback();
            return r.error();
        }
    }
    auto seq = db.tenantSeq(caller->tenantId);
    if (!seq) {
        db.rollback();
        return seq.error();
    }
    QJsonObject out;
    for (const QString &partition : *partitions) {
        QJsonObject tables;
        for (const SyncTable &t : syncTables()) {
            if (t.partition != partition || !t.inChangeFeed)
                continue;
            auto sum = tableChecksum(db, *caller, t, *seq);
            if (!sum) {
                db.rollback();
                return sum.error();
            }
            tables.insert(t.table, *sum);
        }
        out.insert(partition, tables);
    }
    db.rollback(); // read only
    qCDebug(lcChecksums) << "checksums tenant" << caller->tenantId << "seq" << *seq << "partitions"
                         << partitions->size();
    return QJsonObject{{u"seq"_s, *seq}, {u"partitions"_s, out}};
}

} // namespace

void registerChecksumRoutes(QHttpServer &http, ServerContext &ctx)
{
    http.route(u"/v1/sync/checksums"_s, QHttpServerRequest::Method::Get, [&ctx](const QHttpServerRequest &request) {
        const auto r = checksums(ctx, request);
        return r ? jsonResponse(*r) : errorResponse(r.error());
    });
}

} // namespace outpost::server
