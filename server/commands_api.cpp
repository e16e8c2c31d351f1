// POST /v1/commands: a device's outbox in one request (at most maxCommandsPerBatch commands).
//   {"commands":[{"commandId":"<uuid>","kind":"order.submit|record.update|record.create|record.delete|lead.create",
//                 "payload":{...}}, ...]}
//   -> 200 {"results":[{"commandId","status","body"}]} in the same order; status is what the command
//      would have answered alone.
// The whole batch runs in ONE tenant write transaction (one seq); each command runs in its own
// savepoint, so a failing command undoes only its own writes and never the others'. Each command
// is idempotent by commandId (the commands table): a replay answers the stored status and body.
// order.submit hashes {"commandId","order"} exactly like POST /v1/orders, so a command sent once
// through either endpoint replays through the other. A kiosk may send lead.create (server/leads.h) only.
#include "server/database.h"
#include "server/http.h"
#include "server/leads.h"
#include "server/order_intake.h"
#include "server/record_merge.h"
#include "server/routes.h"

#include <QElapsedTimer>
#include <QHash>
#include <QHttpServer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>

#include <optional>
#include <vector>

using namespace Qt::Literals::StringLiterals;

namespace outpost::server {

namespace {

Q_LOGGING_CATEGORY(lcCommands, "outpost.server")

struct Answer
{
    int status = 200;
    QJsonObject body;
    bool store = false; // a decided outcome to keep for replays (the order path stores its own)
    QByteArray raw;     // the body already as compact JSON (stored orders and replays): sent as is
};

// What the commands of one request share: reference data and running totals of the orders
// (IntakeCache), account visibility, and the order payloads parsed up front for the preload.
struct Batch
{
    explicit Batch(qint64 tenantId) : cache(tenantId) {}
    IntakeCache cache;
    QHash<qint64, bool> visible;                             // canSeeAccount by account id
    std::vector<std::optional<Result<OrderRequest>>> orders; // by command index (order.submit only)

    // After a write the cache does not track (record commands): read everything again.
    void forget()
    {
        cache.invalidate();
        visible.clear();
    }
};

int statusOf(const Error &e)
{
    switch (e.kind) {
    case ErrorKind::Invalid:
        return 400;
    case ErrorKind::Rejected:
        return 422;
    case ErrorKind::NotFound:
        return 404;
    case ErrorKind::Conflict:
        return 409;
    case ErrorKind::Unauthorized:
        return 401;
    case ErrorKind::Forbidden:
        return 403;
    case ErrorKind::Transient:
    case ErrorKind::Offline:
        return 503;
    case ErrorKind::Internal:
    case ErrorKind::Corrupt:
        return 500;
    }
    return 500;
}

Answer errorAnswer(const Error &e)
{
    const int status = statusOf(e);
    QJsonObject error{{u"code"_s, e.code}};
    if (status >= 500) {
        error.insert(u"message"_s, e.kind == ErrorKind::Transient ? e.userText : u"An internal error occurred."_s);
        if (!e.detail.isEmpty())
            qCWarning(lcCommands) << "command failed:" << e.code << e.detail;
    } else {
        error.insert(u"message"_s, e.userText);
        if (!e.field.isEmpty())
            error.insert(u"field"_s, e.field);
    }
    return Answer{status, QJsonObject{{u"error"_s, error}}, false};
}

IntakeLimits intakeLimits(const ServerContext &ctx)
{
    IntakeLimits limits;
    limits.maxLines = ctx.config.maxOrderLines;
    return limits;
}

Answer submitOrderCommand(ServerContext &ctx, const Caller &caller, const QString &commandId,
                          const QJsonObject &payload, qint64 seq, Batch &batch, qsizetype index)
{
    // The same request hash as POST /v1/orders {"commandId","order"}.
    const QByteArray hash = canonicalRequestHash(QJsonObject{{u"commandId"_s, commandId}, {u"order"_s, payload}});
    auto stored = findCommand(*ctx.db, caller.tenantId, commandId);
    if (!stored)
        return errorAnswer(stored.error());
    if (stored->has_value()) {
        if ((*stored)->requestHash != hash)
            return errorAnswer(Error{ErrorKind::Conflict, u"command.key_reused"_s,
                                     u"This command id was already used for a different request."_s, {},
                                     u"commandId"_s});
        return Answer{(*stored)->responseStatus, {}, false, (*stored)->responseBody};
    }
    std::optional<Result<OrderRequest>> &parsed = batch.orders[size_t(index)];
    if (!parsed)
        parsed.emplace(parseOrderRequest(payload, intakeLimits(ctx), true));
    Result<OrderRequest> &order = *parsed;
    if (!order)
        return errorAnswer(order.error());
    auto visible = batch.visible.constFind(order->accountId);
    if (visible == batch.visible.cend())
        visible = batch.visible.insert(order->accountId, canSeeAccount(ctx, caller, order->accountId));
    if (!*visible)
        return errorAnswer(Error{ErrorKind::NotFound, u"account.not_found"_s, u"This account does not exist."_s, {},
                                 u"order.accountId"_s});
    if (auto s = resolveProducts(*ctx.db, batch.cache, *order); !s)
        return errorAnswer(s.error());
    const IntakeActor actor{caller.tenantId, caller.userId, caller.deviceId, caller.maxLineDiscountBp,
                            caller.maxOrderDiscountBp};
    auto result = submitOrderInTransaction(*ctx.db, actor, commandId, hash, *order, ctx.now(), seq, &batch.cache);
    if (!result)
        return errorAnswer(result.error());
    return Answer{result->status, {}, false, result->body};
}

Answer recordCommand(ServerContext &ctx, const Caller &caller, const QString &kind, const QString &commandId,
                     const QJsonObject &command, qint64 seq)
{
    const QByteArray hash = canonicalRequestHash(command);
    auto stored = findCommand(*ctx.db, caller.tenantId, commandId);
    if (!stored)
        return errorAnswer(stored.error());
    if (stored->has_value()) {
        if ((*stored)->requestHash != hash)
            return errorAnswer(Error{ErrorKind::Conflict, u"command.key_reused"_s,
                                     u"This command id was already used for a different request."_s, {},
                                     u"commandId"_s});
        return Answer{(*stored)->responseStatus, {}, false, (*stored)->responseBody};
    }
    const QJsonObject payload = command.value(u"payload"_s).toObject();
    Result<RecordAnswer> answer = kind == u"lead.create"_s     ? applyLeadCreate(ctx, caller, payload, seq)
                                  : kind == u"record.update"_s ? applyRecordUpdate(ctx, caller, payload, seq)
                                  : kind == u"record.create"_s ? applyRecordCreate(ctx, caller, payload, seq)
                                                               : applyRecordDelete(ctx, caller, payload, seq);
    if (!answer)
        return errorAnswer(answer.error());
    return Answer{answer->status, answer->body, true};
}

Status storeAnswer(Database &db, const Caller &caller, const QString &commandId, const QString &kind,
                   const QJsonObject &command, const Answer &a, const QDateTime &now)
{
    auto q = db.exec(u"INSERT INTO commands (tenant_id, command_id, kind, user_id, request_hash, response_status, "
                     "response_body, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"_s,
                     {caller.tenantId, commandId, kind, caller.userId, QString::fromLatin1(canonicalRequestHash(command)),
                      a.status, QString::fromUtf8(QJsonDocument(a.body).toJson(QJsonDocument::Compact)), isoUtc(now)});
    if (!q)
        return q.error();
    return {};
}

// One command: shape checks, then its kind's handler inside a savepoint.
Answer runCommand(ServerContext &ctx, const Caller &caller, const QJsonValue &value, qsizetype index, qint64 seq,
                  Batch &batch, QString *commandIdOut)
{
    const QString path = u"commands[%1]"_s.arg(index);
    if (!value.isObject())
        return errorAnswer(Error::invalid(u"request.wrong_type"_s, u"A command must be an object."_s, path));
    const QJsonObject command = value.toObject();
    *commandIdOut = command.value(u"commandId"_s).toString();
    for (auto it = command.begin(); it != command.end(); ++it) {
        if (it.key() != u"commandId"_s && it.key() != u"kind"_s && it.key() != u"payload"_s)
            return errorAnswer(Error::invalid(u"request.unknown_field"_s, u"This field is not part of a command."_s,
                                              it.key()));
    }
    auto commandId = parseUuid(command.value(u"commandId"_s), u"commandId"_s, u"command.invalid_id"_s);
    if (!commandId)
        return errorAnswer(commandId.error());
    *commandIdOut = *commandId;
    const QString kind = command.value(u"kind"_s).toString();
    static const QStringList kinds{u"order.submit"_s, u"record.update"_s, u"record.create"_s, u"record.delete"_s,
                                   u"lead.create"_s};
    if (!kinds.contains(kind))
        return errorAnswer(Error::invalid(
            u"command.unknown_kind"_s,
            u"kind must be order.submit, record.update, record.create, record.delete or lead.create."_s, u"kind"_s));
    if (caller.role == Role::Kiosk && kind != u"lead.create"_s)
        return errorAnswer(Error::make(ErrorKind::Forbidden, u"auth.forbidden_role"_s,
                                       u"A kiosk can only send leads."_s));
    if (!command.value(u"payload"_s).isObject())
        return errorAnswer(Error::invalid(u"request.missing_field"_s, u"A command needs a payload object."_s,
                                          u"payload"_s));

    Database &db = *ctx.db;
    if (auto s = db.exec(u"SAVEPOINT outpost_command"_s); !s)
        return errorAnswer(s.error());
    const bool order = kind == u"order.submit"_s;
    Answer a = order ? submitOrderCommand(ctx, caller, *commandId, command.value(u"payload"_s).toObject(), seq, batch,
                                          index)
                     : recordCommand(ctx, caller, kind, *commandId, command, seq);
    if (!order)
        batch.forget();
    if (a.store) {
        if (auto s = storeAnswer(db, caller, *commandId, kind, command, a, ctx.now()); !s)
            a = errorAnswer(s.error());
    }
    if (a.status >= 300 && !a.store) {
        // Undo whatever this command wrote; the others stay.
        if (auto s = db.exec(u"ROLLBACK TO SAVEPOINT outpost_command"_s); !s) {
            qCWarning(lcCommands) << "rollback to savepoint failed";
            batch.forget();
        }
    }
    if (auto s = db.exec(u"RELEASE SAVEPOINT outpost_command"_s); !s) {
        qCWarning(lcCommands) << "release savepoint failed";
        batch.forget();
    }
    return a;
}

QHttpServerResponse postCommands(ServerContext &ctx, const QHttpServerRequest &request)
{
    auto caller = authenticate(ctx, request);
    if (!caller)
        return errorResponse(caller.error());
    if (auto s = requireRole(*caller, {Role::Rep, Role::Manager, Role::Admin, Role::Kiosk}); !s)
        return errorResponse(s.error());
    auto body = parseJsonObject(request, ctx.config.maxCommandBodyBytes);
    if (!body)
        return errorResponse(body.error());
    for (auto it = body->begin(); it != body->end(); ++it) {
        if (it.key() != u"commands"_s)
            return errorResponse(400, u"request.unknown_field"_s, u"This field is not part of the request."_s, it.key());
    }
    const QJsonValue list = body->value(u"commands"_s);
    if (!list.isArray())
        return errorResponse(400, list.isUndefined() ? u"request.missing_field"_s : u"request.wrong_type"_s,
                             u"The request needs a commands array."_s, u"commands"_s);
    const QJsonArray commands = list.toArray();
    if (commands.size() > ctx.config.maxCommandsPerBatch)
        return errorResponse(400, u"commands.too_many"_s,
                             u"Send at most %1 commands per request."_s.arg(ctx.config.maxCommandsPerBatch),
                             u"commands"_s);
    if (commands.isEmpty())
        return jsonResponse(QJsonObject{{u"results"_s, QJsonArray()}});

    QElapsedTimer timer;
    timer.start();
    Database &db = *ctx.db;
    auto seq = db.beginTenantWrite(caller->tenantId);
    if (!seq)
        return errorResponse(seq.error());
    // Parse the orders up front and read the reference rows they name in a few bulk queries.
    Batch batch(caller->tenantId);
    batch.orders.resize(size_t(commands.size()));
    std::vector<const OrderRequest *> parsed;
    const IntakeLimits limits = intakeLimits(ctx);
    for (qsizetype i = 0; i < commands.size(); ++i) {
        const QJsonObject command = commands.at(i).toObject();
        if (command.value(u"kind"_s).toString() != u"order.submit"_s || !command.value(u"payload"_s).isObject())
            continue;
        auto &order = batch.orders[size_t(i)];
        order.emplace(parseOrderRequest(command.value(u"payload"_s).toObject(), limits, true));
        if (*order)
            parsed.push_back(&**order);
    }
    if (auto s = batch.cache.preload(db, parsed); !s) {
        qCWarning(lcCommands) << "commands batch: preload failed; orders read their own data:" << s.error().detail;
        batch.cache.invalidate();
    }
    const qint64 preloadMs = timer.elapsed();

    // {"results":[{"body":...,"commandId":"...","status":200},...]}: the keys in QJsonObject order;
    // stored bodies go out as the bytes that were stored.
    QByteArray out;
    out.reserve(qsizetype(commands.size()) * 4096);
    out += "{\"results\":[";
    int failed = 0;
    for (qsizetype i = 0; i < commands.size(); ++i) {
        QString commandId;
        const Answer a = runCommand(ctx, *caller, commands.at(i), i, *seq, batch, &commandId);
        if (a.status >= 400)
            ++failed;
        if (i > 0)
            out += ',';
        out += "{\"body\":";
        out += a.raw.isEmpty() ? QJsonDocument(a.body).toJson(QJsonDocument::Compact) : a.raw;
        out += ",\"commandId\":";
        const QByteArray id = QJsonDocument(QJsonArray{commandId}).toJson(QJsonDocument::Compact); // ["..."]
        out += QByteArrayView(id).sliced(1, id.size() - 2);
        out += ",\"status\":";
        out += QByteArray::number(a.status);
        out += '}';
    }
    out += "]}";
    if (auto s = db.commit(); !s) {
        db.rollback();
        return errorResponse(s.error());
    }
    qCInfo(lcCommands) << "commands batch: tenant" << caller->tenantId << "user" << caller->userId << "commands"
                       << commands.size() << "not ok" << failed << "seq" << *seq << "ms" << timer.elapsed()
                       << "preload ms" << preloadMs;

    return QHttpServerResponse(QByteArrayLiteral("application/json"), out, QHttpServerResponse::StatusCode::Ok);
}

} // namespace

void registerCommandRoutes(QHttpServer &http, ServerContext &ctx)
{
    http.route(u"/v1/commands"_s, QHttpServerRequest::Method::Post,
               [&ctx](const QHttpServerRequest &request) { return postCommands(ctx, request); });
    registerLeadRoutes(http, ctx);
}

} // namespace outpost::server
