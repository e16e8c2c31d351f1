// The attachment upload queue and on-demand downloads (docs/attachments.md).
#include "sync/uploads.h"

#include "domain/content_hash.h"
#include "storage/blob_store.h"
#include "storage/database.h"
#include "storage/sqltime.h"
#include "sync/push.h"
#include "sync/session.h"

#include <QDeadlineTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTemporaryFile>
#include <QThread>
#include <QUrlQuery>

using namespace Qt::Literals::StringLiterals;

namespace outpost::sync {

namespace {

using storage::AttachmentRepository;
using storage::AttachmentRow;

constexpr int kMaxOffsetResyncs = 3; // 409 offset_mismatch answers in a row before backing off
constexpr qint64 kMaxChunk = 4 * 1024 * 1024;

// The server's view of one attachment (POST/PUT/GET answers).
struct ServerState
{
    QString state;
    qint64 received = 0;
    qint64 size = 0;
    QDateTime receivedAt;
    bool complete() const { return state == u"complete"_s; }
};

Result<ServerState> parseState(const HttpResponse &response)
{
    const QJsonObject o = response.json();
    ServerState s;
    s.state = o.value(u"state"_s).toString();
    s.received = o.value(u"received"_s).toInteger(-1);
    s.size = o.value(u"size"_s).toInteger(-1);
    s.receivedAt = QDateTime::fromString(o.value(u"receivedAt"_s).toString(), Qt::ISODateWithMs).toUTC();
    if (s.state.isEmpty() || s.received < 0 || s.size < 0)
        return Error::make(ErrorKind::Transient, u"upload.bad_answer"_s, u"The server's answer was not understood."_s,
                           u"attachment state answer"_s);
    return s;
}

// api.call, and once more with the newest stored tokens when the server says the access token is
// no longer valid: the sync engine's session on the same replica may have refreshed (the server
// rotates on refresh and revokes the old session, access token included).
Result<HttpResponse> call(SyncContext &ctx, const QByteArray &method, const QString &path, const QByteArray &body = {},
                          const RequestOptions &options = {})
{
    auto r = ctx.api.call(method, path, body, options);
    if (r || r.error().code != u"auth.invalid_token"_s)
        return r;
    if (Status s = ctx.api.load(); !s)
        return r;
    return ctx.api.call(method, path, body, options);
}

QJsonObject announceBody(const AttachmentRow &r)
{
    QJsonObject o{{u"id"_s, r.id},
                  {u"kind"_s, r.kind},
                  {u"ownerType"_s, r.ownerType},
                  {u"ownerId"_s, r.ownerId},
                  {u"accountId"_s, r.accountId},
                  {u"sha256"_s, r.sha256},
                  {u"size"_s, r.size},
                  {u"mime"_s, r.mime},
                  {u"fileName"_s, r.fileName},
                  {u"caption"_s, r.caption},
                  {u"width"_s, r.width},
                  {u"height"_s, r.height},
                  {u"deviceCreatedAt"_s, storage::toSqlTime(r.deviceCreatedAt)}};
    if (r.latE6 && r.lonE6) {
        QJsonObject location{{u"latE6"_s, *r.latE6}, {u"lonE6"_s, *r.lonE6}};
        if (r.accuracyM)
            location.insert(u"accuracyM"_s, *r.accuracyM);
        o.insert(u"location"_s, location);
    }
    if (r.kind == u"signature"_s) {
        o.insert(u"signature"_s,
                 QJsonObject{{u"signerName"_s, r.signerName},
                             {u"signerRole"_s, r.signerRole},
                             {u"strokes"_s, QJsonDocument::fromJson(storage::strokesToJson(r.strokes)).array()},
                             {u"orderContentHash"_s, r.orderContentHash}});
    }
    return o;
}

enum class Outcome { Delivered, Deduplicated, Failed, Retry, Stop };

// Errors that end the whole pass (nothing else can go either): no route to the server, the
// session is gone, the pass was cancelled.
bool endsPass(const Error &e)
{
    return e.kind == ErrorKind::Offline || e.kind == ErrorKind::Unauthorized || e.code == u"sync.cancelled"_s;
}

// Errors worth another attempt later although the server answered 4xx for this request.
bool retryable(const Error &e)
{
    return e.isTransient() || e.kind == ErrorKind::Unauthorized || e.code == u"upload.chunk_hash_mismatch"_s
           || e.code == u"upload.offset_mismatch"_s || e.code == u"sync.cancelled"_s;
}

class Uploader
{
public:
    Uploader(SyncContext &ctx, storage::BlobStore &blobs, const UploadOptions &options, UploadReport &report)
        : m_ctx(ctx), m_blobs(blobs), m_options(options), m_report(report), m_repo(ctx.db)
    {
    }

    // Uploads one attachment; an Error only when the replica itself fails.
    Result<Outcome> upload(const AttachmentRow &row)
    {
        if (Status s = m_repo.markUploading(row.id); !s)
            return s.error();
        const qint64 sentBefore = m_report.bytesSent;
        qint64 keptBefore = row.uploadedBytes;
        auto announced = call(m_ctx, "POST", u"/v1/attachments"_s,
                              QJsonDocument(announceBody(row)).toJson(QJsonDocument::Compact));
        if (!announced)
            return giveUp(row, announced.error(), false);
        auto state = parseState(*announced);
        if (!state)
            return giveUp(row, state.error(), false);
        if (state->receivedAt.isValid()) {
            if (Status s = m_repo.markReceivedAt(row.id, state->receivedAt); !s)
                return s.error();
        }
        keptBefore = std::min(keptBefore, state->received);
        int resyncs = 0;
        while (!state->complete()) {
            if (m_ctx.isCancelled())
                return giveUp(row, cancelledError(), state->received > keptBefore);
            const qint64 offset = state->received;
            if (offset >= row.size) {
                // Everything is there but the server has not said complete: ask again.
                auto again = getState(row.id);
                if (!again)
                    return giveUp(row, again.error(), true);
                state = again;
                if (!state->complete())
                    return giveUp(row, Error::make(ErrorKind::Transient, u"upload.not_complete"_s,
                                                   u"The server has not finished the upload yet."_s),
                                  true);
                break;
            }
            const qint64 length = std::min({m_options.chunkSize, row.size - offset, kMaxChunk});
            auto bytes = m_blobs.readRange(row.sha256, offset, length);
            if (!bytes)
                return giveUp(row, bytes.error(), false);
            if (bytes->size() != length)
                return giveUp(row, Error::make(ErrorKind::Corrupt, u"blob.corrupt"_s,
                                               u"The stored file is shorter than its record."_s, row.id),
                              false);
            countSent(row, offset, length);
            if (Status s = m_repo.markSent(row.id, offset + length); !s)
                return s.error();
            RequestOptions opts;
            opts.headers = {{"Content-Type", "application/octet-stream"},
                            {"X-Chunk-SHA256", domain::sha256Hex(*bytes).toLatin1()}};
            auto put = call(m_ctx, "PUT", u"/v1/attachments/%1/content?offset=%2"_s.arg(row.id).arg(offset), *bytes,
                            opts);
            ++m_report.chunks;
            if (!put) {
                if (put.error().code == u"upload.offset_mismatch"_s && ++resyncs <= kMaxOffsetResyncs) {
                    auto fresh = getState(row.id);
                    if (!fresh)
                        return giveUp(row, fresh.error(), fresh.error().isTransient());
                    state = fresh;
                    continue;
                }
                return giveUp(row, put.error(), state->received > keptBefore);
            }
            auto next = parseState(*put);
            if (!next)
                return giveUp(row, next.error(), true);
            resyncs = 0;
            state = next;
            if (Status s = m_repo.markProgress(row.id, state->received); !s)
                return s.error();
            if (m_options.onProgress)
                m_options.onProgress(row.id, state->received, row.size);
        }
        if (Status s = m_repo.markDelivered(row.id, state->receivedAt); !s)
            return s.error();
        if (m_options.onProgress)
            m_options.onProgress(row.id, row.size, row.size);
        const bool dedup = m_report.bytesSent == sentBefore && row.uploadedBytes == 0;
        qCInfo(lcSync) << "attachment delivered" << row.id << (dedup ? "(server had the bytes)" : "");
        return dedup ? Outcome::Deduplicated : Outcome::Delivered;
    }

private:
    Result<ServerState> getState(const QString &id)
    {
        auto r = call(m_ctx, "GET", u"/v1/attachments/%1"_s.arg(id));
        if (!r)
            return r.error();
        return parseState(*r);
    }

    // Bytes [offset, offset+length) go on the wire: the part sent before (in this run or by an
    // earlier process, the replica remembers) is sent twice.
    void countSent(const AttachmentRow &row, qint64 offset, qint64 length)
    {
        qint64 &high = m_sentUpTo[row.id];
        high = std::max(high, row.sentBytes);
        const qint64 overlap = std::clamp(high - offset, qint64(0), length);
        m_report.bytesResent += overlap;
        m_report.bytesSent += length;
        high = std::max(high, offset + length);
    }

    Result<Outcome> giveUp(const AttachmentRow &row, const Error &e, bool madeProgress)
    {
        if (!retryable(e)) {
            qCWarning(lcSync) << "attachment failed" << row.id << e.code;
            if (Status s = m_repo.markFailed(row.id, e, std::nullopt); !s)
                return s.error();
            return Outcome::Failed;
        }
        // Progress resets the backoff: a link that drops now and then still moves on quickly.
        const int attempt = madeProgress ? 1 : std::max(1, row.attempts + 1);
        const auto delay = backoffDelay(attempt, *QRandomGenerator::global());
        qCInfo(lcSync) << "attachment" << row.id << "will retry:" << e.code << "in ms" << delay.count();
        if (Status s = m_repo.markFailed(row.id, e, m_ctx.clock.now().addMSecs(delay.count())); !s)
            return s.error();
        ++m_report.retries;
        if (endsPass(e)) {
            m_stopError = e;
            return Outcome::Stop;
        }
        return Outcome::Retry;
    }

public:
    std::optional<Error> m_stopError;

private:
    SyncContext &m_ctx;
    storage::BlobStore &m_blobs;
    const UploadOptions &m_options;
    UploadReport &m_report;
    AttachmentRepository m_repo;
    QHash<QString, qint64> m_sentUpTo;
};

// One pass over what is due. Returns the error that stopped it early, if any.
Result<std::optional<Error>> onePass(SyncContext &ctx, Uploader &uploader, const UploadOptions &options,
                                     UploadReport &report, bool sendAll)
{
    AttachmentRepository repo(ctx.db);
    if (sendAll) {
        if (auto made = repo.makeAllDue(ctx.clock.now()); !made)
            return made.error();
    }
    auto due = repo.due(ctx.clock.now(), std::clamp(options.limit, 1, 10000));
    if (!due)
        return due.error();
    for (const AttachmentRow &row : *due) {
        auto outcome = uploader.upload(row);
        if (!outcome)
            return outcome.error();
        switch (*outcome) {
        case Outcome::Deduplicated:
            ++report.deduplicated;
            [[fallthrough]];
        case Outcome::Delivered:
            ++report.delivered;
            break;
        case Outcome::Failed:
            ++report.failed;
            break;
        case Outcome::Retry:
            break;
        case Outcome::Stop:
            return uploader.m_stopError;
        }
    }
    return std::optional<Error>{};
}

} // namespace

Result<UploadReport> runUploads(SyncContext &ctx, storage::BlobStore &blobs, const UploadOptions &options)
{
    if (options.chunkSize < 1 || options.chunkSize > kMaxChunk)
        return Error::invalid(u"upload.bad_chunk_size"_s, u"The chunk size must be between 1 byte and 4 MiB."_s,
                              u"chunkSize"_s);
    if (Status s = ctx.api.load(); !s)
        return s.error();
    AttachmentRepository repo(ctx.db);
    auto recovered = repo.recoverUploading();
    if (!recovered)
        return recovered.error();
    if (*recovered > 0)
        qCInfo(lcSync) << "attachments left uploading put back:" << *recovered;

    QDeadlineTimer deadline(std::chrono::duration_cast<std::chrono::milliseconds>(options.maxDuration));
    UploadReport report;
    Uploader uploader(ctx, blobs, options, report);
    bool sendAll = options.sendAll;
    bool first = true;
    for (;;) {
        auto stopped = onePass(ctx, uploader, options, report, sendAll);
        if (!stopped)
            return stopped.error();
        sendAll = false;
        if (*stopped && first && report.delivered == 0 && report.failed == 0
            && ((*stopped)->kind == ErrorKind::Offline || (*stopped)->kind == ErrorKind::Unauthorized)
            && options.maxDuration.count() <= 0)
            return **stopped; // nothing could be tried: offline or not signed in at the start
        first = false;
        auto counts = repo.counts();
        if (!counts)
            return counts.error();
        report.remaining = int(counts->waiting);
        if (report.remaining == 0 || options.maxDuration.count() <= 0 || deadline.hasExpired())
            break;
        if (*stopped && (*stopped)->code == u"sync.cancelled"_s)
            return **stopped;
        if (*stopped && (*stopped)->kind == ErrorKind::Unauthorized && (*stopped)->code != u"auth.token_expired"_s) {
            if (Status s = ctx.api.load(); !s)
                return s.error();
        }
        // Wait until something is due again (each attachment keeps its own backoff) or time is up.
        for (;;) {
            if (ctx.isCancelled())
                return cancelledError();
            if (deadline.hasExpired())
                break;
            auto next = repo.due(ctx.clock.now(), 1);
            if (!next)
                return next.error();
            if (!next->isEmpty())
                break;
            QThread::msleep(50);
        }
        if (deadline.hasExpired())
            break;
    }
    auto counts = repo.counts();
    if (counts)
        report.remaining = int(counts->waiting);
    qCInfo(lcSync) << "uploads: delivered" << report.delivered << "failed" << report.failed << "remaining"
                   << report.remaining << "bytes" << report.bytesSent << "resent" << report.bytesResent;
    return report;
}

namespace {

std::optional<qint64> optInt(const QJsonObject &o, const QString &key)
{
    const QJsonValue v = o.value(key);
    if (!v.isDouble())
        return std::nullopt;
    return v.toInteger();
}

Result<AttachmentRow> remoteRow(const QJsonObject &o)
{
    AttachmentRow r;
    r.id = o.value(u"id"_s).toString();
    r.kind = o.value(u"kind"_s).toString();
    r.ownerType = o.value(u"ownerType"_s).toString();
    r.ownerId = o.value(u"ownerId"_s).toString();
    r.accountId = o.value(u"accountId"_s).toInteger();
    r.sha256 = o.value(u"sha256"_s).toString();
    r.size = o.value(u"size"_s).toInteger();
    r.mime = o.value(u"mime"_s).toString();
    r.fileName = o.value(u"fileName"_s).toString();
    r.caption = o.value(u"caption"_s).toString();
    r.width = qint32(o.value(u"width"_s).toInt());
    r.height = qint32(o.value(u"height"_s).toInt());
    r.deviceCreatedAt = QDateTime::fromString(o.value(u"deviceCreatedAt"_s).toString(), Qt::ISODateWithMs).toUTC();
    r.serverReceivedAt = QDateTime::fromString(o.value(u"receivedAt"_s).toString(), Qt::ISODateWithMs).toUTC();
    r.uploadedBytes = std::max<qint64>(0, o.value(u"received"_s).toInteger());
    const QJsonObject location = o.value(u"location"_s).toObject();
    r.latE6 = optInt(location, u"latE6"_s);
    r.lonE6 = optInt(location, u"lonE6"_s);
    r.accuracyM = optInt(location, u"accuracyM"_s);
    if (o.contains(u"signature"_s) && o.value(u"signature"_s).isObject()) {
        const QJsonObject sig = o.value(u"signature"_s).toObject();
        r.signerName = sig.value(u"signerName"_s).toString();
        r.signerRole = sig.value(u"signerRole"_s).toString();
        r.orderContentHash = sig.value(u"orderContentHash"_s).toString();
        auto strokes = storage::strokesFromJson(
            QJsonDocument(sig.value(u"strokes"_s).toArray()).toJson(QJsonDocument::Compact));
        if (!strokes)
            return strokes.error();
        r.strokes = *strokes;
    }
    return r;
}

} // namespace

Result<int> refreshRemoteAttachments(SyncContext &ctx, const QString &ownerType, const QString &ownerId)
{
    constexpr int kMaxListPages = 100; // 100,000 attachments of one order or account
    if (ownerType != u"order"_s && ownerType != u"account"_s)
        return Error::invalid(u"attachment.bad_owner"_s, u"An attachment belongs to an order or an account."_s,
                              u"ownerType"_s);
    if (Status s = ctx.api.load(); !s)
        return s.error();
    QJsonArray list;
    QString after;
    for (int page = 0; page < kMaxListPages; ++page) {
        QUrlQuery query;
        query.addQueryItem(u"ownerType"_s, ownerType);
        query.addQueryItem(u"ownerId"_s, QString::fromLatin1(QUrl::toPercentEncoding(ownerId)));
        if (!after.isEmpty())
            query.addQueryItem(u"after"_s, after);
        auto r = call(ctx, "GET", u"/v1/attachments?"_s + query.toString(QUrl::FullyEncoded));
        if (!r)
            return r.error();
        const QJsonObject answer = r->json();
        for (const QJsonValue &v : answer.value(u"attachments"_s).toArray())
            list.append(v);
        after = answer.value(u"next"_s).toString();
        if (after.isEmpty())
            break;
    }
    auto tx = storage::Transaction::begin(ctx.db);
    if (!tx)
        return tx.error();
    AttachmentRepository repo(ctx.db);
    int skipped = 0;
    for (const QJsonValue &v : list) {
        auto row = remoteRow(v.toObject());
        Status s = row ? repo.upsertRemote(*row) : Status(row.error());
        if (!s) {
            ++skipped; // one malformed entry never hides the others
            qCWarning(lcSync) << "remote attachment skipped:" << s.error().code;
        }
    }
    if (Status s = tx->commit(); !s)
        return s.error();
    qCInfo(lcSync) << "remote attachments listed" << list.size() << "skipped" << skipped;
    return int(list.size());
}

Result<QString> fetchAttachment(SyncContext &ctx, storage::BlobStore &blobs, storage::BlobStore &cache,
                                const QString &attachmentId)
{
    AttachmentRepository repo(ctx.db);
    auto row = repo.get(attachmentId);
    if (!row)
        return row.error();
    if (blobs.contains(row->sha256))
        return blobs.pathFor(row->sha256);
    if (cache.contains(row->sha256)) {
        cache.touch(row->sha256);
        return cache.pathFor(row->sha256);
    }
    if (Status s = ctx.api.load(); !s)
        return s.error();
    QTemporaryFile download(cache.root() + u"/.tmp-download-XXXXXX"_s);
    if (!download.open())
        return Error::make(ErrorKind::Internal, u"blob.write_failed"_s, u"The file could not be stored on this device."_s,
                           download.errorString());
    RequestOptions opts;
    opts.sink = &download;
    auto r = call(ctx, "GET", u"/v1/attachments/%1/content"_s.arg(attachmentId), {}, opts);
    if (!r)
        return r.error();
    if (!download.flush())
        return Error::make(ErrorKind::Internal, u"blob.write_failed"_s, u"The file could not be stored on this device."_s,
                           download.errorString());
    auto stored = cache.putFile(download.fileName());
    if (!stored)
        return stored.error();
    if (stored->sha256 != row->sha256) {
        if (!stored->existed)
            (void)cache.remove(stored->sha256);
        return Error::make(ErrorKind::Transient, u"blob.hash_mismatch"_s,
                           u"The downloaded file was damaged; try again."_s, attachmentId);
    }
    cache.touch(row->sha256);
    if (auto evicted = cache.evict({row->sha256}); !evicted)
        return evicted.error();
    return cache.pathFor(row->sha256);
}

} // namespace outpost::sync
