// The attachment routes (docs/attachments.md "HTTP API"): announce, chunked upload with resume,
// metadata, lists and content. Bytes go through ctx.blobs (server/blob_store.h); the database
// holds metadata (attachments), upload progress (uploads) and what each tenant stores (blobs).
#include "server/attachments.h"
#include "server/blob_store.h"
#include "server/context.h"
#include "server/database.h"
#include "server/http.h"
#include "server/image_check.h"
#include "server/routes.h"

#include "domain/sha256.h"

#include <QHttpServer>
#include <QJsonDocument>
#include <QLoggingCategory>

#include <algorithm>
#include <vector>

using namespace Qt::Literals::StringLiterals;

namespace outpost::server {

namespace {

Q_LOGGING_CATEGORY(lcAttachments, "outpost.server.attachments")

QHttpServerResponse fail(const Error &error)
{
    const int status = attachmentErrorStatus(error);
    if (status >= 500)
        return errorResponse(error); // generic text, detail logged
    return errorResponse(status, error.code, error.userText, error.field);
}

Error notFound()
{
    return Error::make(ErrorKind::NotFound, u"attachment.not_found"_s, u"There is no such attachment."_s);
}

QByteArray headerValue(const QHttpServerRequest &request, const QByteArray &name)
{
    const auto headers = request.headers();
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second.trimmed();
    }
    return {};
}

Result<Caller> attachmentCaller(ServerContext &ctx, const QHttpServerRequest &request)
{
    auto caller = authenticate(ctx, request);
    if (!caller)
        return caller.error();
    if (Status s = requireRole(*caller, {Role::Rep, Role::Manager}); !s)
        return s.error();
    return caller;
}

// ---- the stored attachment ----

const QString kColumns =
    u"id, kind, owner_type, owner_id, account_id, sha256, size, mime, file_name, caption, width, height, "
    "device_created_at, lat_e6, lon_e6, accuracy_m, signer_name, signer_role, strokes, order_content_hash, "
    "state, user_id, device_id, received_at, completed_at"_s;

struct Stored
{
    QJsonObject json; // everything but received/chunkSize
    QString id;
    QString sha256;
    qint64 size = 0;
    qint64 accountId = 0;
    QString mime;
    QString kind, ownerType, ownerId;
    bool complete = false;
    QString receivedAt;
};

Stored readStored(const QSqlQuery &q)
{
    Stored s;
    s.id = q.value(0).toString();
    s.kind = q.value(1).toString();
    s.ownerType = q.value(2).toString();
    s.ownerId = q.value(3).toString();
    s.accountId = q.value(4).toLongLong();
    s.sha256 = q.value(5).toString();
    s.size = q.value(6).toLongLong();
    s.mime = q.value(7).toString();
    s.complete = q.value(20).toString() == u"complete"_s;
    s.receivedAt = q.value(23).toString();
    QJsonObject o{{u"id"_s, s.id},           {u"kind"_s, s.kind},         {u"ownerType"_s, s.ownerType},
                  {u"ownerId"_s, s.ownerId}, {u"accountId"_s, s.accountId}, {u"sha256"_s, s.sha256},
                  {u"size"_s, s.size},       {u"mime"_s, s.mime},         {u"fileName"_s, q.value(8).toString()},
                  {u"caption"_s, q.value(9).toString()}};
    if (!q.isNull(10))
        o.insert(u"width"_s, q.value(10).toLongLong());
    if (!q.isNull(11))
        o.insert(u"height"_s, q.value(11).toLongLong());
    if (!q.isNull(12))
        o.insert(u"deviceCreatedAt"_s, q.value(12).toString());
    if (!q.isNull(13) && !q.isNull(14)) {
        QJsonObject loc{{u"latE6"_s, q.value(13).toLongLong()}, {u"lonE6"_s, q.value(14).toLongLong()}};
        if (!q.isNull(15))
            loc.insert(u"accuracyM"_s, q.value(15).toLongLong());
        o.insert(u"location"_s, loc);
    }
    if (s.kind == u"signature"_s) {
        o.insert(u"signature"_s,
                 QJsonObject{{u"signerName"_s, q.value(16).toString()},
                             {u"signerRole"_s, q.value(17).toString()},
                             {u"strokes"_s, QJsonDocument::fromJson(q.value(18).toString().toUtf8()).array()},
                             {u"orderContentHash"_s, q.value(19).toString()}});
    }
    o.insert(u"state"_s, s.complete ? u"complete"_s : u"receiving"_s);
    o.insert(u"userId"_s, q.value(21).toLongLong());
    o.insert(u"deviceId"_s, q.isNull(22) ? QJsonValue() : QJsonValue(q.value(22).toLongLong()));
    o.insert(u"receivedAt"_s, s.receivedAt);
    o.insert(u"completedAt"_s, q.isNull(24) ? QJsonValue() : QJsonValue(q.value(24).toString()));
    s.json = o;
    return s;
}

// The attachment with this id of the caller's tenant, if the caller may see its account.
Result<std::optional<Stored>> loadVisible(ServerContext &ctx, const Caller &caller, const QString &id)
{
    if (!isAttachmentId(id))
        return std::optional<Stored>();
    auto q = ctx.db->exec(u"SELECT "_s + kColumns + u" FROM attachments WHERE tenant_id = ? AND id = ?"_s,
                          {caller.tenantId, id});
    if (!q)
        return q.error();
    if (!q->next())
        return std::optional<Stored>();
    Stored s = readStored(*q);
    q->finish();
    if (!canSeeAccount(ctx, caller, s.accountId))
        return std::optional<Stored>();
    return std::optional<Stored>(std::move(s));
}

// Bytes of the upload the server holds: the acknowledged count, lowered to what is staged (a
// power loss may have lost unsynced bytes). A complete attachment holds all of them.
Result<qint64> heldBytes(ServerContext &ctx, qint64 tenantId, const Stored &s)
{
    if (s.complete)
        return s.size;
    auto q = ctx.db->exec(u"SELECT received FROM uploads WHERE tenant_id = ? AND attachment_id = ?"_s,
                          {tenantId, s.id});
    if (!q)
        return q.error();
    const qint64 row = q->next() ? q->value(0).toLongLong() : 0;
    auto staged = ctx.blobs->staging().stagedSize(StagingKey{tenantId, s.id});
    if (!staged)
        return staged.error();
    return std::min(row, *staged);
}

QJsonObject stateObject(const ServerContext &ctx, const Stored &s, qint64 received)
{
    return QJsonObject{{u"id"_s, s.id},
                       {u"state"_s, s.complete ? u"complete"_s : u"receiving"_s},
                       {u"received"_s, received},
                       {u"size"_s, s.size},
                       {u"chunkSize"_s, qint64(ctx.config.preferredChunkBytes)},
                       {u"receivedAt"_s, s.receivedAt}};
}

// ---- POST /v1/attachments ----

Status insertAttachment(ServerContext &ctx, const Caller &caller, const AttachmentAnnounce &a, bool complete,
                        const QString &now)
{
    const auto nullable = [](const auto &opt) { return opt ? QVariant(qint64(*opt)) : QVariant(); };
    const AttachmentLocation *loc = a.location ? &*a.location : nullptr;
    const AttachmentSignature *sig = a.signature ? &*a.signature : nullptr;
    QVariantList binds{caller.tenantId, a.id, a.kind, a.ownerType, a.ownerId, a.accountId, a.sha256, a.size,
                       a.mime, a.fileName.isNull() ? u""_s : a.fileName, a.caption.isNull() ? u""_s : a.caption,
                       nullable(a.width), nullable(a.height),
                       a.deviceCreatedAt.isEmpty() ? QVariant() : QVariant(a.deviceCreatedAt),
                       loc ? QVariant(loc->latE6) : QVariant(), loc ? QVariant(loc->lonE6) : QVariant(),
                       loc ? nullable(loc->accuracyM) : QVariant(), sig ? QVariant(sig->signerName) : QVariant(),
                       sig ? QVariant(sig->signerRole) : QVariant(),
                       sig ? QVariant(QString::fromUtf8(QJsonDocument(sig->strokes).toJson(QJsonDocument::Compact)))
                           : QVariant(),
                       sig ? QVariant(sig->orderContentHash) : QVariant(),
                       complete ? u"complete"_s : u"receiving"_s, caller.userId,
                       caller.deviceId > 0 ? QVariant(caller.deviceId) : QVariant(), now,
                       complete ? QVariant(now) : QVariant()};
    QStringList marks;
    for (qsizetype i = 0; i < binds.size(); ++i)
        marks << u"?"_s;
    auto q = ctx.db->execList(u"INSERT INTO attachments (tenant_id, "_s + kColumns + u") VALUES ("_s +
                                  marks.join(u", "_s) + u")"_s,
                              binds);
    if (!q)
        return q.error();
    if (!complete) {
        auto u = ctx.db->exec(u"INSERT INTO uploads (tenant_id, attachment_id, received, updated_at) VALUES (?, ?, 0, ?)"_s,
                              {caller.tenantId, a.id, now});
        if (!u)
            return u.error();
    }
    return {};
}

QHttpServerResponse announce(ServerContext &ctx, const QHttpServerRequest &request)
{
    auto caller = attachmentCaller(ctx, request);
    if (!caller)
        return fail(caller.error());
    auto body = parseJsonObject(request, ctx.config.maxAttachmentJsonBytes);
    if (!body)
        return fail(body.error());
    auto a = parseAnnounce(*body, ctx.config);
    if (!a)
        return fail(a.error());
    if (!canSeeAccount(ctx, *caller, a->accountId))
        return fail(Error{ErrorKind::Forbidden, u"attachment.account_forbidden"_s,
                          u"You may not attach to this account."_s, {}, u"accountId"_s});
    if (a->ownerType == u"order"_s) {
        auto order = ctx.db->exec(u"SELECT account_id FROM orders WHERE tenant_id = ? AND id = ?"_s,
                                  {caller->tenantId, a->ownerId});
        if (!order)
            return fail(order.error());
        if (order->next() && order->value(0).toLongLong() != a->accountId)
            return fail(Error{ErrorKind::Rejected, u"attachment.owner_mismatch"_s,
                              u"The order belongs to another account."_s, {}, u"accountId"_s});
    }

    Database &db = *ctx.db;
    if (Status s = db.begin(); !s)
        return fail(s.error());
    auto existing = loadVisible(ctx, *caller, a->id);
    if (!existing) {
        db.rollback();
        return fail(existing.error());
    }
    if (existing->has_value()) {
        db.rollback();
        const Stored &s = **existing;
        if (s.sha256 != a->sha256 || s.size != a->size || s.kind != a->kind || s.ownerType != a->ownerType ||
            s.ownerId != a->ownerId || s.accountId != a->accountId || s.mime != a->mime)
            return fail(Error::make(ErrorKind::Conflict, u"attachment.id_conflict"_s,
                                    u"This attachment id was announced with other content."_s));
        auto held = heldBytes(ctx, caller->tenantId, s);
        if (!held)
            return fail(held.error());
        return jsonResponse(stateObject(ctx, s, *held), 200);
    }
    // The id may exist on an account the caller cannot see: never a second row, never a leak.
    auto taken = db.exec(u"SELECT 1 FROM attachments WHERE tenant_id = ? AND id = ?"_s, {caller->tenantId, a->id});
    if (!taken || taken->next()) {
        db.rollback();
        return taken ? fail(Error::make(ErrorKind::Conflict, u"attachment.id_conflict"_s,
                                        u"This attachment id was announced with other content."_s))
                     : fail(taken.error());
    }
    // Dedup: the tenant holds these bytes already (checked as `mime` when they arrived).
    auto blob = db.exec(u"SELECT mime FROM blobs WHERE tenant_id = ? AND sha256 = ?"_s, {caller->tenantId, a->sha256});
    if (!blob) {
        db.rollback();
        return fail(blob.error());
    }
    const bool known = blob->next() && ctx.blobs->contains(a->sha256);
    if (known && blob->value(0).toString() != a->mime) {
        db.rollback();
        return fail(Error::make(ErrorKind::Rejected, u"upload.not_an_image"_s,
                                u"These bytes are stored as another image type."_s));
    }
    blob->finish();
    const QString now = isoUtc(ctx.now());
    if (Status s = insertAttachment(ctx, *caller, *a, known, now); !s) {
        db.rollback();
        return fail(s.error());
    }
    if (Status s = db.commit(); !s)
        return fail(s.error());
    qCInfo(lcAttachments) << "announced" << a->id << "tenant" << caller->tenantId << "size" << a->size
                          << (known ? "dedup" : "receiving");
    auto stored = loadVisible(ctx, *caller, a->id);
    if (!stored || !stored->has_value())
        return fail(stored ? notFound() : stored.error());
    return jsonResponse(stateObject(ctx, **stored, known ? a->size : 0), 201);
}

// ---- PUT /v1/attachments/{id}/content?offset=N ----

Error uploadError(ErrorKind kind, const QString &code, const QString &text)
{
    return Error::make(kind, code, text);
}

// Staged bytes back to zero and the upload restarted (a failed completion: nothing half-stored).
Status restartUpload(ServerContext &ctx, const StagingKey &key, const QString &now)
{
    ctx.blobs->staging().discard(key);
    auto q = ctx.db->exec(u"UPDATE uploads SET received = 0, updated_at = ? WHERE tenant_id = ? AND attachment_id = ?"_s,
                          {now, key.tenantId, key.attachmentId});
    return q ? Status{} : Status{q.error()};
}

// All bytes are staged: check the hash and the image header, move the bytes into the blob store,
// then mark the attachment complete (blob first: a crash in between leaves an unreferenced blob
// file and an upload that starts again, never a complete attachment without bytes).
Result<bool> completeUpload(ServerContext &ctx, const Stored &s, const StagingKey &key, const QString &now,
                            Error *refusal)
{
    UploadStaging &staging = ctx.blobs->staging();
    auto digest = staging.hash(key);
    if (!digest)
        return digest.error();
    if (QString::fromLatin1(*digest) != s.sha256) {
        *refusal = uploadError(ErrorKind::Rejected, u"upload.hash_mismatch"_s,
                               u"The bytes received do not have the announced SHA-256; send them again."_s);
    } else {
        auto device = staging.openStaged(key);
        if (!device)
            return device.error();
        auto header = checkImageHeader(**device, s.mime);
        if (!header)
            *refusal = header.error();
    }
    if (!refusal->code.isEmpty()) {
        if (Status r = restartUpload(ctx, key, now); !r)
            return r.error();
        return false;
    }
    if (Status p = ctx.blobs->put(s.sha256, key); !p)
        return p.error();
    Database &db = *ctx.db;
    if (Status b = db.begin(); !b)
        return b.error();
    auto known = db.exec(u"SELECT 1 FROM blobs WHERE tenant_id = ? AND sha256 = ?"_s, {key.tenantId, s.sha256});
    if (!known) {
        db.rollback();
        return known.error();
    }
    const bool haveRow = known->next();
    known->finish();
    QList<std::pair<QString, QVariantList>> writes;
    if (!haveRow)
        writes.append({u"INSERT INTO blobs (tenant_id, sha256, size, mime, created_at) VALUES (?, ?, ?, ?, ?)"_s,
                       {key.tenantId, s.sha256, s.size, s.mime, now}});
    writes.append({u"UPDATE attachments SET state = 'complete', completed_at = ? WHERE tenant_id = ? AND id = ?"_s,
                   {now, key.tenantId, s.id}});
    writes.append({u"DELETE FROM uploads WHERE tenant_id = ? AND attachment_id = ?"_s, {key.tenantId, s.id}});
    for (const auto &[sql, binds] : std::as_const(writes)) {
        if (auto q = db.execList(sql, binds); !q) {
            db.rollback();
            return q.error();
        }
    }
    if (Status c = db.commit(); !c)
        return c.error();
    return true;
}

QHttpServerResponse putChunk(ServerContext &ctx, const QString &id, const QHttpServerRequest &request)
{
    auto caller = attachmentCaller(ctx, request);
    if (!caller)
        return fail(caller.error());
    if (!isAttachmentId(id))
        return fail(Error::invalid(u"attachment.bad_id"_s, u"The attachment id must be a lower-case UUID."_s));
    auto found = loadVisible(ctx, *caller, id);
    if (!found)
        return fail(found.error());
    if (!found->has_value())
        return fail(notFound());
    Stored &s = **found;
    if (s.complete)
        return jsonResponse(stateObject(ctx, s, s.size));

    const QByteArray contentType = headerValue(request, "Content-Type").split(';').value(0).trimmed().toLower();
    if (contentType != "application/octet-stream")
        return fail(Error::invalid(u"request.unsupported_media_type"_s,
                                   u"A chunk is sent as application/octet-stream."_s));
    QueryReader query(request);
    const qint64 offset = query.integer(u"offset"_s, -1, 0, ctx.config.maxAttachmentBytes);
    if (Status q = query.finish(); !q)
        return fail(q.error());
    if (offset < 0)
        return errorResponse(400, u"request.missing_parameter"_s, u"The offset parameter is required."_s,
                             u"offset"_s);
    const QString chunkHash = QString::fromLatin1(headerValue(request, "X-Chunk-SHA256")).toLower();
    if (!isSha256Hex(chunkHash))
        return fail(Error::invalid(u"upload.missing_chunk_hash"_s,
                                   u"X-Chunk-SHA256 carries the SHA-256 of the chunk (64 hex characters)."_s));
    const QByteArray body = request.body();
    if (body.isEmpty())
        return fail(Error::invalid(u"upload.empty_chunk"_s, u"A chunk carries at least one byte."_s));
    if (body.size() > ctx.config.maxChunkBytes)
        return fail(Error::invalid(u"upload.chunk_too_large"_s,
                                   u"A chunk is at most %1 bytes."_s.arg(ctx.config.maxChunkBytes)));
    if (QString::fromLatin1(domain::Sha256::hash(body).toHex()) != chunkHash)
        return fail(Error::invalid(u"upload.chunk_hash_mismatch"_s,
                                   u"The chunk does not match its X-Chunk-SHA256 (damaged or cut short)."_s));
    if (offset + body.size() > s.size)
        return fail(Error::invalid(u"upload.past_end"_s, u"The chunk goes past the announced size."_s));

    // Reconcile the staged file with the acknowledged count: longer after a crash between writing
    // and recording (cut back), shorter after a power loss (count lowered).
    const StagingKey key{caller->tenantId, s.id};
    UploadStaging &staging = ctx.blobs->staging();
    auto row = ctx.db->exec(u"SELECT received FROM uploads WHERE tenant_id = ? AND attachment_id = ?"_s,
                            {key.tenantId, s.id});
    if (!row)
        return fail(row.error());
    const bool hasRow = row->next();
    qint64 received = hasRow ? row->value(0).toLongLong() : 0;
    row->finish();
    auto staged = staging.stagedSize(key);
    if (!staged)
        return fail(staged.error());
    const QString now = isoUtc(ctx.now());
    if (*staged > received) {
        if (Status t = staging.truncate(key, received); !t)
            return fail(t.error());
        qCInfo(lcAttachments) << "staged bytes cut back to the acknowledged count" << s.id << received;
    } else if (*staged < received) {
        received = *staged;
    }
    if (!hasRow) { // a row lost with a crash between complete-checks: start it again
        auto ins = ctx.db->exec(u"INSERT INTO uploads (tenant_id, attachment_id, received, updated_at) VALUES (?, ?, ?, ?)"_s,
                                {key.tenantId, s.id, received, now});
        if (!ins)
            return fail(ins.error());
    }

    if (offset < received && offset + body.size() <= received)
        return jsonResponse(stateObject(ctx, s, received)); // a replay: nothing written
    if (offset != received)
        return errorResponse(409, u"upload.offset_mismatch"_s,
                             u"The server holds %1 bytes; continue from there."_s.arg(received), u"offset"_s);

    if (Status w = staging.append(key, body); !w)
        return fail(w.error());
    received += body.size();
    if (received < s.size) {
        auto upd = ctx.db->exec(u"UPDATE uploads SET received = ?, updated_at = ? WHERE tenant_id = ? AND attachment_id = ?"_s,
                                {received, now, key.tenantId, s.id});
        if (!upd) {
            (void)staging.truncate(key, received - body.size());
            return fail(upd.error());
        }
        return jsonResponse(stateObject(ctx, s, received));
    }

    Error refusal;
    auto done = completeUpload(ctx, s, key, now, &refusal);
    if (!done)
        return fail(done.error());
    if (!*done) {
        qCInfo(lcAttachments) << "upload refused at completion" << s.id << "tenant" << key.tenantId << refusal.code;
        return fail(refusal);
    }
    qCInfo(lcAttachments) << "upload complete" << s.id << "tenant" << key.tenantId << "size" << s.size;
    s.complete = true;
    return jsonResponse(stateObject(ctx, s, s.size));
}

// ---- GET ----

// The attachment a GET names, when the caller may see it (no query parameters taken).
struct Requested
{
    Caller caller;
    Stored stored;
};

Result<Requested> requestedAttachment(ServerContext &ctx, const QString &id, const QHttpServerRequest &request)
{
    auto caller = attachmentCaller(ctx, request);
    if (!caller)
        return caller.error();
    QueryReader query(request);
    if (Status s = query.finish(); !s)
        return s.error();
    auto found = loadVisible(ctx, *caller, id);
    if (!found)
        return found.error();
    if (!found->has_value())
        return notFound();
    return Requested{*caller, **found};
}

QHttpServerResponse getOne(ServerContext &ctx, const QString &id, const QHttpServerRequest &request)
{
    auto found = requestedAttachment(ctx, id, request);
    if (!found)
        return fail(found.error());
    auto held = heldBytes(ctx, found->caller.tenantId, found->stored);
    if (!held)
        return fail(held.error());
    QJsonObject o = found->stored.json;
    o.insert(u"received"_s, *held);
    o.insert(u"chunkSize"_s, qint64(ctx.config.preferredChunkBytes));
    return jsonResponse(o);
}

QHttpServerResponse list(ServerContext &ctx, const QHttpServerRequest &request)
{
    auto caller = attachmentCaller(ctx, request);
    if (!caller)
        return fail(caller.error());
    QueryReader query(request);
    const QString ownerType = query.string(u"ownerType"_s, 20);
    const QString ownerId = query.string(u"ownerId"_s, 100);
    const qint64 accountId = query.integer(u"accountId"_s, 0, 1);
    const qint64 limit = query.integer(u"limit"_s, 1000, 1, 1000);
    const QString after = query.string(u"after"_s, 36);
    if (Status s = query.finish(); !s)
        return fail(s.error());
    const bool byOwner = query.has(u"ownerType"_s) || query.has(u"ownerId"_s);
    if (byOwner == query.has(u"accountId"_s))
        return errorResponse(400, u"request.missing_parameter"_s,
                             u"Give ownerType and ownerId, or accountId."_s, u"ownerType"_s);
    QVariantList binds{caller->tenantId};
    QString where;
    if (byOwner) {
        if ((ownerType != u"order"_s && ownerType != u"account"_s) || ownerId.isEmpty())
            return errorResponse(400, u"request.bad_parameter"_s,
                                 u"ownerType is order or account, with an ownerId."_s, u"ownerType"_s);
        where = u"owner_type = ? AND owner_id = ?"_s;
        binds << ownerType << ownerId;
    } else {
        where = u"account_id = ?"_s;
        binds << accountId;
    }
    const QString scope = accountScopeSql(*caller, u"account_id"_s, binds);
    // Pages in (received_at, id) order: `after` is the last id of the previous page.
    QString page;
    if (query.has(u"after"_s)) {
        auto last = ctx.db->exec(u"SELECT received_at FROM attachments WHERE tenant_id = ? AND id = ?"_s,
                                 {caller->tenantId, after});
        if (!last)
            return fail(last.error());
        if (!last->next())
            return errorResponse(400, u"request.bad_parameter"_s,
                                 u"after must be the id of an attachment of the previous page."_s, u"after"_s);
        const QString receivedAt = last->value(0).toString();
        last->finish();
        page = u" AND (received_at > ? OR (received_at = ? AND id > ?))"_s;
        binds << receivedAt << receivedAt << after;
    }
    binds << limit + 1; // one more tells whether there is a next page
    auto q = ctx.db->execList(u"SELECT "_s + kColumns + u" FROM attachments WHERE tenant_id = ? AND "_s + where +
                                  u" AND "_s + scope + page + u" ORDER BY received_at, id LIMIT ?"_s,
                              binds);
    if (!q)
        return fail(q.error());
    std::vector<Stored> rows;
    while (q->next())
        rows.push_back(readStored(*q));
    q->finish();
    const bool more = qint64(rows.size()) > limit;
    if (more)
        rows.pop_back();
    QJsonArray out;
    for (const Stored &s : rows) {
        auto held = heldBytes(ctx, caller->tenantId, s);
        if (!held)
            return fail(held.error());
        QJsonObject o = s.json;
        o.insert(u"received"_s, *held);
        o.insert(u"chunkSize"_s, qint64(ctx.config.preferredChunkBytes));
        out.append(o);
    }
    QJsonObject body{{u"attachments"_s, out}};
    if (more)
        body.insert(u"next"_s, out.last().toObject().value(u"id"_s));
    return jsonResponse(body);
}

QHttpServerResponse content(ServerContext &ctx, const QString &id, const QHttpServerRequest &request)
{
    auto found = requestedAttachment(ctx, id, request);
    if (!found)
        return fail(found.error());
    const Stored &s = found->stored;
    if (!s.complete)
        return fail(Error::make(ErrorKind::Conflict, u"attachment.incomplete"_s,
                                u"The attachment's bytes are still arriving."_s));
    const QByteArray etag = '"' + s.sha256.toLatin1() + '"';
    if (headerValue(request, "If-None-Match") == etag) {
        QHttpServerResponse notModified(QHttpServerResponse::StatusCode::NotModified);
        notModified.setHeader("ETag", etag);
        return notModified;
    }
    auto device = ctx.blobs->open(s.sha256);
    if (!device)
        return fail(Error::make(ErrorKind::Internal, u"blob.missing"_s, {}, device.error().code));
    // Read whole (bounded by --max-attachment-mb): QHttpServer 6.4 buffers a response in the
    // socket anyway; the bytes are checked against the size the database recorded.
    const QByteArray bytes = (*device)->readAll();
    if (bytes.size() != s.size)
        return fail(Error::make(ErrorKind::Internal, u"blob.read_failed"_s, {}, u"size differs"_s));
    QHttpServerResponse response(s.mime.toLatin1(), bytes);
    response.setHeader("ETag", etag);
    response.setHeader("Cache-Control", "private, max-age=31536000, immutable");
    return response;
}

} // namespace

void registerAttachmentRoutes(QHttpServer &http, ServerContext &ctx)
{
    using Method = QHttpServerRequest::Method;
    http.route(u"/v1/attachments"_s, Method::Post,
               [&ctx](const QHttpServerRequest &request) { return announce(ctx, request); });
    http.route(u"/v1/attachments"_s, Method::Get,
               [&ctx](const QHttpServerRequest &request) { return list(ctx, request); });
    http.route(u"/v1/attachments/<arg>/content"_s, Method::Put,
               [&ctx](const QString &id, const QHttpServerRequest &request) {
                   return putChunk(ctx, id, request);
               });
    http.route(u"/v1/attachments/<arg>/content"_s, Method::Get,
               [&ctx](const QString &id, const QHttpServerRequest &request) { return content(ctx, id, request); });
    http.route(u"/v1/attachments/<arg>"_s, Method::Get,
               [&ctx](const QString &id, const QHttpServerRequest &request) { return getOne(ctx, id, request); });
}

} // namespace outpost::server
