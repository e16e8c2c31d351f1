#include "sync/verify.h"

#include "storage/database.h"
#include "storage/replica_writer.h"
#include "storage/sync_state_repository.h"
#include "sync/session.h"

#include <future>

using namespace Qt::Literals::StringLiterals;

namespace outpost::sync {

namespace {

using LocalSums = QHash<QString, storage::TableChecksum>; // by table

// The replica's own sums of the partitions' tables over rows with seq <= maxSeq.
Result<LocalSums> localSums(storage::Database &db, const QStringList &partitions, qint64 maxSeq)
{
    LocalSums sums;
    storage::ReplicaWriter writer(db);
    for (const QString &p : partitions) {
        for (const QString &t : storage::checksumTables(p)) {
            auto c = writer.checksum(t, maxSeq);
            if (!c)
                return c.error();
            sums.insert(t, *c);
        }
    }
    return sums;
}

// The same on a second, read-only connection to the replica file, on another thread, so the
// device's scan runs while the server computes its own (each is a full scan of the price table).
// Not for an in-memory replica: there is no second connection to it.
std::optional<std::future<Result<LocalSums>>> startLocalSums(storage::Database &db, const QStringList &partitions,
                                                             qint64 maxSeq)
{
    const QString path = db.path();
    if (path.isEmpty() || path == QLatin1StringView(storage::Database::kMemory))
        return std::nullopt;
    return std::async(std::launch::async, [path, partitions, maxSeq]() -> Result<LocalSums> {
        storage::DatabaseOptions options;
        options.readOnly = true;
        auto reader = storage::Database::open(path, options);
        if (!reader)
            return reader.error();
        return localSums(**reader, partitions, maxSeq);
    });
}

} // namespace

Result<VerifyReport> verify(SyncContext &ctx, const QStringList &partitions)
{
    VerifyReport report;
    if (partitions.isEmpty())
        return report;
    // Every replica row has seq <= its partition's cursor; the answer is only used when each cursor
    // equals the server's seq, so the sums over seq <= the highest cursor are the ones compared.
    storage::SyncStateRepository cursors(ctx.db);
    qint64 highest = 0;
    for (const QString &p : partitions) {
        auto st = cursors.state(p);
        if (!st)
            return st.error();
        highest = std::max(highest, st->cursorSeq);
    }
    auto early = startLocalSums(ctx.db, partitions, highest);
    auto r = ctx.api.call("GET", u"/v1/sync/checksums?partitions="_s + partitions.join(u','));
    std::optional<Result<LocalSums>> precomputed;
    if (early)
        precomputed.emplace(early->get()); // waits for the scan; never left running
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
    if (!precomputed || !*precomputed || highest != report.seq) {
        if (precomputed && !*precomputed)
            qCWarning(lcSync) << "checksums on a second connection failed; computing them here:"
                              << (*precomputed).error().detail;
        precomputed.emplace(localSums(ctx.db, partitions, report.seq));
    }
    if (!*precomputed)
        return (*precomputed).error();
    const LocalSums &sums = **precomputed;
    for (const QString &p : partitions) {
        const QJsonObject tables = server.value(p).toObject();
        bool partitionOk = true;
        for (const QString &t : storage::checksumTables(p)) {
            const auto local = sums.constFind(t);
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
