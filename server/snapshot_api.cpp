// GET /v1/sync/snapshot?partition=P[&id=ID]: one partition as a snapshot stream (snapshot.h).
// "Range: bytes=N-" with "If-Range: <Outpost-Snapshot-Id>" (or id=ID) resumes a dropped download:
// 206 with the rest of the same bytes, or 412 snapshot.expired when that snapshot is gone.
#include "server/database.h"
#include "server/http.h"
#include "server/routes.h"
#include "server/snapshot.h"
#include "server/sync_scope.h"

#include <QFile>
#include <QHttpServer>
#include <QLoggingCategory>

#include <memory>

using namespace Qt::Literals::StringLiterals;

namespace outpost::server {

namespace {

Q_LOGGING_CATEGORY(lcSnapshotApi, "outpost.server")

struct SnapshotRequest
{
    QString partition;
    QString id;           // from If-Range or id=; empty = the current snapshot
    qint64 rangeStart = -1; // -1 = the whole file
};

// "bytes=N-" -> N. Other forms (suffix ranges, several ranges, end positions) are not offered.
Result<qint64> parseRange(const QByteArray &header)
{
    const QByteArray h = header.trimmed();
    const auto bad = [] {
        return Error{ErrorKind::Invalid, u"request.bad_range"_s, u"Use a Range of the form bytes=N-."_s, {},
                     u"Range"_s};
    };
    if (!h.startsWith("bytes=") || !h.endsWith('-'))
        return bad();
    const QByteArray number = h.mid(6, h.size() - 7);
    bool ok = false;
    const qint64 start = number.toLongLong(&ok);
    if (!ok || start < 0 || number.isEmpty() || !std::all_of(number.begin(), number.end(), [](char c) {
            return c >= '0' && c <= '9';
        }))
        return bad();
    return start;
}

Result<SnapshotRequest> parseRequest(const Caller &caller, const QHttpServerRequest &request)
{
    QueryReader query(request);
    SnapshotRequest r;
    r.partition = query.string(u"partition"_s, 20);
    const QString id = query.string(u"id"_s, 64);
    if (auto s = query.finish(); !s)
        return s.error();
    if (!query.has(u"partition"_s))
        return Error::invalid(u"request.missing_parameter"_s, u"Name the partition to download."_s,
                              u"partition"_s);
    if (!syncPartitions().contains(r.partition))
        return Error::invalid(u"request.bad_parameter"_s,
                              u"Unknown partition; use catalog, stock, prices, accounts, orders."_s, u"partition"_s);
    if (!entitledPartitions(caller.role).contains(r.partition))
        return Error::make(ErrorKind::Forbidden, u"auth.forbidden_role"_s,
                           u"Your role may not read this partition."_s);
    const QString ifRange = QString::fromLatin1(request.value("If-Range").trimmed());
    if (!ifRange.isEmpty() && !id.isEmpty() && ifRange != id)
        return Error::invalid(u"request.bad_parameter"_s, u"If-Range and id name different snapshots."_s,
                              u"id"_s);
    r.id = !ifRange.isEmpty() ? ifRange : id;
    const QByteArray range = request.value("Range");
    if (!range.isEmpty()) {
        auto start = parseRange(range);
        if (!start)
            return start.error();
        r.rangeStart = *start;
    }
    return r;
}

QHttpServerResponse respond(const SnapshotFile &file, qint64 rangeStart)
{
    QFile f(file.path);
    if (!f.open(QIODevice::ReadOnly))
        return errorResponse(412, u"snapshot.expired"_s,
                             u"This snapshot is no longer available; download the partition again."_s);
    const qint64 size = f.size();
    if (rangeStart >= size && rangeStart > 0) {
        QHttpServerResponse r = errorResponse(416, u"request.range_not_satisfiable"_s,
                                              u"The range starts after the end of the snapshot."_s, u"Range"_s);
        r.setHeader("Content-Range", "bytes */" + QByteArray::number(size));
        return r;
    }
    const bool partial = rangeStart > 0;
    if (partial && !f.seek(rangeStart))
        return errorResponse(500, u"snapshot.read_failed"_s, u"The snapshot could not be read."_s);
    const QByteArray body = f.readAll();
    if (body.size() != size - std::max<qint64>(rangeStart, 0))
        return errorResponse(500, u"snapshot.read_failed"_s, u"The snapshot could not be read."_s);
    QHttpServerResponse response(QByteArrayLiteral("application/vnd.outpost.snapshot"), body,
                                 partial ? QHttpServerResponse::StatusCode::PartialContent
                                         : QHttpServerResponse::StatusCode::Ok);
    response.setHeader("Outpost-Snapshot-Seq", QByteArray::number(file.seq));
    response.setHeader("Outpost-Snapshot-Id", file.id.toLatin1());
    response.setHeader("Outpost-Snapshot-Sha256", file.sha256);
    response.setHeader("Accept-Ranges", "bytes");
    if (partial)
        response.setHeader("Content-Range", "bytes " + QByteArray::number(rangeStart) + '-' +
                                                QByteArray::number(size - 1) + '/' + QByteArray::number(size));
    return response;
}

QHttpServerResponse snapshot(ServerContext &ctx, SnapshotStore &store, const QHttpServerRequest &request)
{
    auto caller = authenticate(ctx, request);
    if (!caller)
        return errorResponse(caller.error());
    auto r = parseRequest(*caller, request);
    if (!r) {
        if (r.error().kind == ErrorKind::Invalid)
            return errorResponse(400, r.error().code, r.error().userText, r.error().field);
        return errorResponse(r.error());
    }

    // One read transaction: the entitlement, the seq and the rows come from the same state.
    Database &db = *ctx.db;
    if (auto s = db.begin(); !s)
        return errorResponse(s.error());
    if (db.dialect() == Database::Dialect::PostgreSQL) {
        if (auto q = db.exec(u"SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"_s); !q) {
            db.rollback();
            return errorResponse(q.error());
        }
    }
    const QDateTime now = ctx.now();
    auto file = r->id.isEmpty() ? store.obtain(db, *caller, r->partition, now)
                                : store.find(db, *caller, r->partition, r->id, now);
    db.rollback(); // read only
    if (!file) {
        if (file.error().code == u"snapshot.expired"_s)
            return errorResponse(412, file.error().code, file.error().userText);
        return errorResponse(file.error());
    }
    qCDebug(lcSnapshotApi) << "snapshot served: tenant" << caller->tenantId << "partition" << r->partition
                           << "seq" << file->seq << "from byte" << std::max<qint64>(r->rangeStart, 0);
    return respond(*file, r->rangeStart);
}

} // namespace

void registerSnapshotRoutes(QHttpServer &http, ServerContext &ctx)
{
    auto store = std::make_shared<SnapshotStore>(ctx.config.snapshotDir, ctx.config.snapshotMaxAge);
    http.route(u"/v1/sync/snapshot"_s, QHttpServerRequest::Method::Get,
               [&ctx, store](const QHttpServerRequest &request) { return snapshot(ctx, *store, request); });
}

} // namespace outpost::server
