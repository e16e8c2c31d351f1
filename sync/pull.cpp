#include "sync/pull.h"

#include "storage/database.h"
#include "storage/meta_repository.h"
#include "storage/replica_writer.h"
#include "storage/sync_state_repository.h"
#include "sync/session.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::Literals::StringLiterals;

namespace outpost::sync {

namespace {

const QString kLeft = u"territory.left"_s;

QList<qint64> readIds(const QString &json)
{
    QList<qint64> ids;
    for (const QJsonValue &v : QJsonDocument::fromJson(json.toUtf8()).array())
        ids << v.toInteger();
    return ids;
}

QString writeIds(const QList<qint64> &ids)
{
    QJsonArray a;
    for (qint64 id : ids)
        a.append(id);
    return QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact));
}

Status applyPage(SyncContext &ctx, const QJsonObject &page, const QStringList &partitions, PullReport &report)
{
    auto tx = storage::Transaction::begin(ctx.db);
    if (!tx)
        return tx.error();
    storage::ReplicaWriter writer(ctx.db);
    QStringList served;
    for (const QString &p : partitions)
        served << storage::partitionTables(p);

    for (const QJsonValue &v : page.value(u"deleted"_s).toArray()) {
        const QJsonObject d = v.toObject();
        const QString entity = d.value(u"entity"_s).toString();
        if (!served.contains(entity))
            continue;
        const QJsonValue idValue = d.value(u"id"_s);
        const QString id = idValue.isString() ? idValue.toString() : QString::number(idValue.toInteger());
        if (Status s = writer.deleteRow(entity, id); !s)
            return s;
        ++report.deletes;
    }
    const QJsonObject tables = page.value(u"tables"_s).toObject();
    for (const QString &p : storage::syncPartitions()) {
        for (const QString &table : storage::partitionTables(p)) {
            if (!served.contains(table))
                continue;
            for (const QJsonValue &row : tables.value(table).toArray()) {
                if (Status s = writer.upsertJson(table, row.toObject()); !s)
                    return s;
                ++report.rows;
            }
        }
    }
    for (const QJsonValue &v : page.value(u"joined"_s).toObject().value(u"accounts"_s).toArray())
        report.joined << v.toInteger();
    const QJsonArray left = page.value(u"left"_s).toObject().value(u"accounts"_s).toArray();
    if (!left.isEmpty()) {
        storage::MetaRepository meta(ctx.db);
        QList<qint64> waiting = readIds(meta.valueOr(kLeft, u"[]"_s));
        for (const QJsonValue &v : left) {
            report.left << v.toInteger();
            if (!waiting.contains(v.toInteger()))
                waiting << v.toInteger();
        }
        // An account that joined again in a later page stays.
        for (qint64 id : std::as_const(report.joined))
            waiting.removeAll(id);
        if (Status s = meta.setValue(kLeft, writeIds(waiting)); !s)
            return s;
    }
    for (const QJsonValue &v : page.value(u"resnapshot"_s).toArray()) {
        if (!report.resnapshot.contains(v.toString()))
            report.resnapshot << v.toString();
    }
    const qint64 upto = page.value(u"upto"_s).toInteger();
    storage::SyncStateRepository states(ctx.db);
    for (const QString &p : partitions) {
        auto st = states.state(p);
        if (!st)
            return st.error();
        if (st->cursorSeq <= upto) {
            if (Status s = states.save(storage::SyncStateRow{p, upto, ctx.clock.now(), st->checksum}); !s)
                return s;
        }
    }
    if (Status s = writer.reapplyPendingEdits(); !s)
        return s;
    report.upto = upto;
    return tx->commit();
}

} // namespace

Result<PullReport> pull(SyncContext &ctx, const QStringList &partitions, int pageLimit,
                        const QList<qint64> &ownSeqs)
{
    constexpr qsizetype kMaxOwnSeqs = 64; // the server takes up to 64; the rest arrive and are skipped
    QStringList own;
    for (qint64 seq : ownSeqs.mid(0, kMaxOwnSeqs))
        own << QString::number(seq);
    PullReport report;
    if (partitions.isEmpty())
        return report;
    storage::SyncStateRepository states(ctx.db);
    for (;;) {
        if (ctx.isCancelled())
            return cancelledError();
        qint64 since = std::numeric_limits<qint64>::max();
        for (const QString &p : partitions) {
            auto st = states.state(p);
            if (!st)
                return st.error();
            since = std::min(since, st->cursorSeq);
        }
        QString path = u"/v1/changes?since=%1&limit=%2&partitions=%3"_s.arg(since).arg(pageLimit).arg(
            partitions.join(u','));
        if (!own.isEmpty() && partitions.contains(u"orders"_s))
            path += u"&own="_s + own.join(u',');
        auto r = ctx.api.call("GET", path);
        if (!r && !own.isEmpty() && r.error().code == u"request.unknown_parameter"_s) {
            own.clear(); // an older server: it sends the orders and the writer skips them
            continue;
        }
        if (!r)
            return r.error();
        const QJsonObject page = r->json();
        if (!page.contains(u"upto"_s))
            return Error::make(ErrorKind::Internal, u"sync.bad_page"_s, u"The server's answer was not understood."_s);
        if (Status s = applyPage(ctx, page, partitions, report); !s)
            return s.error();
        ++report.pages;
        ctx.report(Progress{u"pull"_s, page.value(u"more"_s).toBool() ? 0.5 : 1.0,
                            u"Pulled up to %1"_s.arg(report.upto), report.rows, 0, 0, std::chrono::seconds(-1)});
        if (!page.value(u"more"_s).toBool())
            break;
    }
    if (report.rows + report.deletes > 0)
        qCInfo(lcSync) << "pulled pages" << report.pages << "rows" << report.rows << "deletes" << report.deletes
                       << "upto" << report.upto;
    return report;
}

Result<int> dropLeftAccounts(SyncContext &ctx)
{
    storage::MetaRepository meta(ctx.db);
    const QList<qint64> waiting = readIds(meta.valueOr(kLeft, u"[]"_s));
    if (waiting.isEmpty())
        return 0;
    auto tx = storage::Transaction::begin(ctx.db);
    if (!tx)
        return tx.error();
    storage::ReplicaWriter writer(ctx.db);
    QList<qint64> drop, keep;
    for (qint64 id : waiting) {
        auto n = writer.undeliveredForAccount(id);
        if (!n)
            return n.error();
        (*n == 0 ? drop : keep) << id;
    }
    if (Status s = writer.dropAccounts(drop); !s)
        return s.error();
    if (Status s = meta.setValue(kLeft, writeIds(keep)); !s)
        return s.error();
    if (Status s = tx->commit(); !s)
        return s.error();
    if (!drop.isEmpty())
        qCInfo(lcSync) << "accounts left the territory and were removed:" << drop.size();
    return int(drop.size());
}

} // namespace outpost::sync
