#include "sync/verify.h"

#include "storage/replica_writer.h"
#include "storage/sync_state_repository.h"
#include "sync/session.h"

using namespace Qt::Literals::StringLiterals;

namespace outpost::sync {

Result<VerifyReport> verify(SyncContext &ctx, const QStringList &partitions)
{
    VerifyReport report;
    if (partitions.isEmpty())
        return report;
    auto r = ctx.api.call("GET", u"/v1/sync/checksums?partitions="_s + partitions.join(u','));
    if (!r)
        return r.error();
    const QJsonObject answer = r->json();
    report.seq = answer.value(u"seq"_s).toInteger();
    const QJsonObject server = answer.value(u"partitions"_s).toObject();
    storage::SyncStateRepository states(ctx.db);
    report.comparable = true;
    for (const QString &p : partitions) {
        auto st = states.state(p);
        if (!st)
            return st.error();
        if (st->cursorSeq != report.seq)
            report.comparable = false;
    }
    storage::ReplicaWriter writer(ctx.db);
    for (const QString &p : partitions) {
        const QJsonObject tables = server.value(p).toObject();
        bool partitionOk = true;
        for (const QString &t : storage::checksumTables(p)) {
            auto local = writer.checksum(t, report.seq);
            if (!local)
                return local.error();
            const QJsonObject s = tables.value(t).toObject();
            TableComparison c{p, t, s.value(u"count"_s).toInteger(), local->count,
                              s.value(u"sum"_s).isString() ? s.value(u"sum"_s).toString()
                                                            : QString::number(s.value(u"sum"_s).toInteger()),
                              QString::number(local->sum)};
            partitionOk = partitionOk && c.match();
            report.tables << c;
        }
        if (!partitionOk)
            report.mismatched << p;
    }
    return report;
}

} // namespace outpost::sync
