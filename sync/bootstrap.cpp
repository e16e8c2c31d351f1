#include "sync/bootstrap.h"

#include "domain/sha256.h"

#include "storage/database.h"
#include "storage/meta_repository.h"
#include "storage/replica_writer.h"
#include "storage/sync_state_repository.h"
#include "sync/protocol/snapshot_codec.h"
#include "sync/session.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

using namespace Qt::Literals::StringLiterals;

namespace outpost::sync {

namespace {

constexpr qint64 kReadChunk = 1 << 20;

QString partPath(const SyncContext &ctx, const QString &partition)
{
    return ctx.replicaPath + u'.' + partition + u".snapshot.part"_s;
}

QString metaKey(const QString &partition, const char *what)
{
    return u"snapshot."_s + partition + u'.' + QString::fromLatin1(what);
}

Status clearDownload(SyncContext &ctx, const QString &partition, bool removeFile = true)
{
    if (removeFile)
        QFile::remove(partPath(ctx, partition));
    storage::MetaRepository meta(ctx.db);
    for (const char *k : {"id", "sha256", "seq", "complete"}) {
        if (Status s = meta.remove(metaKey(partition, k)); !s)
            return s;
    }
    return {};
}

Result<QByteArray> fileSha256(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return Error::make(ErrorKind::Internal, u"sync.file_unreadable"_s, u"A downloaded file cannot be read."_s);
    domain::Sha256 hash;
    if (!hash.addData(&f))
        return Error::make(ErrorKind::Internal, u"sync.file_unreadable"_s, u"A downloaded file cannot be read."_s);
    return hash.result().toHex();
}

// Downloads (or resumes) one partition's snapshot; returns the wire bytes fetched in this call.
Result<qint64> download(SyncContext &ctx, const QString &partition)
{
    storage::MetaRepository meta(ctx.db);
    if (meta.valueOr(metaKey(partition, "complete")) == u"1"_s && QFile::exists(partPath(ctx, partition)))
        return qint64(0);
    for (int attempt = 0; attempt < 3; ++attempt) {
        QFile file(partPath(ctx, partition));
        const QString knownId = meta.valueOr(metaKey(partition, "id"));
        const qint64 have = (!knownId.isEmpty() && file.exists()) ? file.size() : 0;
        if (!file.open(have > 0 ? (QIODevice::WriteOnly | QIODevice::Append) : (QIODevice::WriteOnly | QIODevice::Truncate)))
            return Error::make(ErrorKind::Internal, u"sync.file_unwritable"_s, u"The device cannot store the download."_s);
        RequestOptions options;
        options.idleTimeout = 60s;
        options.sink = &file;
        if (have > 0) {
            options.headers.append({"Range", "bytes=" + QByteArray::number(have) + "-"});
            options.headers.append({"If-Range", knownId.toLatin1()});
        }
        Status headerStatus;
        options.onHeaders = [&](int status, const QHash<QByteArray, QByteArray> &h) {
            if (status == 200 && have > 0) // the server sends it all again
                file.resize(0);
            if (status == 200 || status == 206) {
                Status s = meta.setValue(metaKey(partition, "id"), QString::fromLatin1(h.value("outpost-snapshot-id")));
                if (s)
                    s = meta.setValue(metaKey(partition, "sha256"),
                                      QString::fromLatin1(h.value("outpost-snapshot-sha256")).toLower());
                if (s)
                    s = meta.setValue(metaKey(partition, "seq"), QString::fromLatin1(h.value("outpost-snapshot-seq")));
                if (!s)
                    headerStatus = s;
            }
        };
        const qint64 total0 = have;
        qint64 received = 0;
        options.progress = [&](qint64 got, qint64 total) {
            received = got;
            Progress p{u"bootstrap"_s, 0, u"Downloading %1"_s.arg(partition), 0, total0 + got,
                       total > 0 ? total0 + total : 0, std::chrono::seconds(-1)};
            p.fraction = total > 0 ? double(got) / double(total) : 0;
            ctx.report(p);
        };
        auto r = ctx.api.call("GET", u"/v1/sync/snapshot?partition="_s + partition, {}, options);
        file.close();
        if (!headerStatus)
            return headerStatus.error();
        // Killed after the last byte arrived but before "complete" was recorded: the resume asks
        // for bytes past the end (416). The file may already be whole; the SHA-256 check decides.
        const bool alreadyWhole = !r && have > 0 && r.error().code == u"request.range_not_satisfiable"_s;
        if (!r && !alreadyWhole) {
            if (r.error().code == u"snapshot.expired"_s || (have > 0 && r.error().kind == ErrorKind::Conflict)) {
                qCInfo(lcSync) << "snapshot expired; starting over" << partition;
                if (Status s = clearDownload(ctx, partition); !s)
                    return s.error();
                continue;
            }
            return r.error();
        }
        auto sha = fileSha256(partPath(ctx, partition));
        if (!sha)
            return sha.error();
        const QString expected = meta.valueOr(metaKey(partition, "sha256"));
        if (!expected.isEmpty() && expected.toLatin1() != *sha) {
            qCWarning(lcSync) << "snapshot checksum mismatch; downloading again" << partition << "bytes"
                              << QFileInfo(partPath(ctx, partition)).size() << "status" << (r ? r->status : 416);
            if (Status s = clearDownload(ctx, partition); !s)
                return s.error();
            continue;
        }
        if (Status s = meta.setValue(metaKey(partition, "complete"), u"1"_s); !s)
            return s.error();
        return received;
    }
    return Error::make(ErrorKind::Transient, u"sync.snapshot_unstable"_s,
                       u"The snapshot could not be downloaded intact; will retry."_s);
}

struct ApplyState
{
    qint64 rows = 0;
    qint64 bytesDone = 0;
    qint64 bytesTotal = 0;
    QElapsedTimer timer;
};

Status applyFile(SyncContext &ctx, storage::ReplicaWriter &writer, const QString &partition, bool replaceAll,
                 ApplyState &state, qint64 *seqOut)
{
    QFile file(partPath(ctx, partition));
    if (!file.open(QIODevice::ReadOnly))
        return Error::make(ErrorKind::Internal, u"sync.file_unreadable"_s, u"A downloaded file cannot be read."_s);
    protocol::SnapshotDecoder decoder;
    bool inTable = false;
    bool ended = false;
    QList<storage::Cell> cells;
    const QStringList allowed = storage::partitionTables(partition);
    while (!ended) {
        auto ev = decoder.next();
        if (!ev)
            return ev.error();
        switch (*ev) {
        case protocol::SnapshotDecoder::Event::NeedMore: {
            const QByteArray chunk = file.read(kReadChunk);
            if (chunk.isEmpty())
                return Error::make(ErrorKind::Corrupt, u"snapshot.corrupt"_s, u"The snapshot ended early."_s);
            state.bytesDone += chunk.size();
            if (Status s = decoder.feed(chunk); !s)
                return s;
            if (ctx.isCancelled())
                return cancelledError();
            break;
        }
        case protocol::SnapshotDecoder::Event::Header: {
            const QJsonObject h = decoder.header();
            if (h.value(u"partition"_s).toString() != partition)
                return Error::make(ErrorKind::Corrupt, u"snapshot.wrong_partition"_s, u"The snapshot is not the one asked for."_s);
            *seqOut = h.value(u"seq"_s).toInteger();
            break;
        }
        case protocol::SnapshotDecoder::Event::TableStart: {
            if (inTable) {
                if (Status s = writer.endTable(); !s)
                    return s;
            }
            const QString table = QString::fromUtf8(decoder.tableName());
            if (!allowed.contains(table))
                return Error::make(ErrorKind::Corrupt, u"sync.unknown_table"_s, u"The snapshot has an unknown table."_s, table);
            QList<QByteArray> names;
            for (const protocol::Column &c : decoder.columns())
                names << c.name;
            if (Status s = writer.beginTable(table, names, replaceAll); !s)
                return s;
            cells.resize(names.size());
            inTable = true;
            break;
        }
        case protocol::SnapshotDecoder::Event::Row: {
            const QList<protocol::Value> &row = decoder.row();
            const QList<protocol::Column> &cols = decoder.columns();
            for (qsizetype i = 0; i < row.size(); ++i) {
                storage::Cell &c = cells[i];
                const protocol::Value &v = row[i];
                if (v.isNull) {
                    c.kind = storage::Cell::Kind::Null;
                } else if (cols[i].type == protocol::ColumnType::Int || cols[i].type == protocol::ColumnType::NullableInt) {
                    c.kind = storage::Cell::Kind::Int;
                    c.integer = v.integer;
                } else {
                    c.kind = storage::Cell::Kind::Text;
                    c.text = v.text;
                }
            }
            if (Status s = writer.row(cells); !s)
                return s;
            if ((++state.rows & 0xffff) == 0) {
                Progress p{u"bootstrap"_s, 0, u"Applying %1"_s.arg(partition), state.rows, state.bytesDone,
                           state.bytesTotal, std::chrono::seconds(-1)};
                p.fraction = state.bytesTotal > 0 ? double(state.bytesDone) / double(state.bytesTotal) : 0;
                const qint64 ms = state.timer.elapsed();
                if (p.fraction > 0.01)
                    p.eta = std::chrono::seconds(qint64(double(ms) * (1 - p.fraction) / p.fraction / 1000));
                ctx.report(p);
                if (ctx.isCancelled())
                    return cancelledError();
            }
            break;
        }
        case protocol::SnapshotDecoder::Event::End:
            if (inTable) {
                if (Status s = writer.endTable(); !s)
                    return s;
            }
            ended = true;
            break;
        }
    }
    return {};
}

} // namespace

QStringList pendingSnapshotPartitions(SyncContext &ctx)
{
    QStringList out;
    storage::MetaRepository meta(ctx.db);
    for (const QString &p : storage::syncPartitions()) {
        if (meta.valueOr(metaKey(p, "complete")) == u"1"_s && QFile::exists(partPath(ctx, p)))
            out << p;
    }
    return out;
}

Result<BootstrapReport> bootstrap(SyncContext &ctx, const QStringList &partitions, bool replaceAll)
{
    BootstrapReport report;
    for (const QString &p : partitions) {
        if (ctx.isCancelled())
            return cancelledError();
        auto got = download(ctx, p);
        if (!got)
            return got.error();
        report.wireBytes += *got;
    }
    ApplyState state;
    state.timer.start();
    for (const QString &p : partitions)
        state.bytesTotal += QFileInfo(partPath(ctx, p)).size();

    auto tx = storage::Transaction::begin(ctx.db);
    if (!tx)
        return tx.error();
    storage::ReplicaWriter writer(ctx.db);
    storage::SyncStateRepository states(ctx.db);
    for (const QString &p : partitions) {
        qint64 seq = -1;
        if (Status s = applyFile(ctx, writer, p, replaceAll, state, &seq); !s) {
            if (s.error().kind == ErrorKind::Corrupt) // a damaged file: fetch it again next time
                (void)clearDownload(ctx, p);
            return s.error();
        }
        if (seq < 0)
            return Error::make(ErrorKind::Corrupt, u"snapshot.corrupt"_s, u"The snapshot has no header."_s);
        if (Status s = states.reset(p); !s)
            return s.error();
        if (Status s = states.save(storage::SyncStateRow{p, seq, ctx.clock.now(), u"snapshot"_s}); !s)
            return s.error();
        report.seqs.insert(p, seq);
    }
    if (Status s = writer.reapplyPendingEdits(); !s)
        return s.error();
    for (const QString &p : partitions) {
        if (Status s = clearDownload(ctx, p, false); !s) // the files go after the commit below
            return s.error();
    }
    if (Status s = tx->commit(); !s)
        return s.error();
    for (const QString &p : partitions)
        QFile::remove(partPath(ctx, p));
    report.rows = state.rows;
    qCInfo(lcSync) << "bootstrap applied partitions" << partitions.size() << "rows" << state.rows;
    ctx.report(Progress{u"bootstrap"_s, 1, u"Snapshot applied"_s, state.rows, state.bytesTotal, state.bytesTotal,
                        std::chrono::seconds(0)});
    return report;
}

} // namespace outpost::sync
