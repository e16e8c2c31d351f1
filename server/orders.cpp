// /v1/orders and /v1/quote: HTTP around order_intake.h (authentication, entitlement, idempotent
// replay, error mapping). Business outcomes are 200 with the decision; only bad requests are errors.
#include "server/database.h"
#include "server/http.h"
#include "server/order_intake.h"
#include "server/routes.h"

#include <QHttpServer>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QUrlQuery>

using namespace Qt::Literals::StringLiterals;

namespace outpost::server {

namespace {

constexpr int kDefaultListLimit = 100;
constexpr int kMaxListLimit = 500;

QHttpServerResponse fail(const Error &e)
{
    switch (e.kind) {
    case ErrorKind::Invalid:
        return errorResponse(400, e.code, e.userText, e.field);
    case ErrorKind::Rejected:
        return errorResponse(422, e.code, e.userText, e.field);
    case ErrorKind::NotFound:
        return errorResponse(404, e.code, e.userText, e.field);
    case ErrorKind::Conflict:
        return errorResponse(409, e.code, e.userText, e.field);
    default:
        return errorResponse(e); // 401/403/5xx: generic message, detail logged there
    }
}

QHttpServerResponse rawJson(const QByteArray &body, int status)
{
    return QHttpServerResponse(QByteArrayLiteral("application/json"), body,
                               static_cast<QHttpServerResponse::StatusCode>(status));
}

IntakeActor actorOf(const Caller &c)
{
    return IntakeActor{c.tenantId, c.userId, c.deviceId, c.maxLineDiscountBp, c.maxOrderDiscountBp};
}

Result<Caller> orderingCaller(ServerContext &ctx, const QHttpServerRequest &request)
{
    auto caller = authenticate(ctx, request);
    if (!caller)
        return caller.error();
    if (auto s = requireRole(*caller, {Role::Rep, Role::Manager, Role::Admin}); !s)
        return s.error();
    return caller;
}

Status onlyFields(const QJsonObject &body, std::initializer_list<QString> known)
{
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (std::find(known.begin(), known.end(), it.key()) == known.end())
            return Error::invalid(u"request.unknown_field"_s, u"This field is not part of the request."_s,
                                  it.key());
    }
    return {};
}

// The "order" member, parsed, entitled and with its products resolved.
Result<OrderRequest> readOrder(ServerContext &ctx, const Caller &caller, const QJsonObject &body,
                               bool requireId)
{
    const QJsonValue order = body.value(u"order"_s);
    if (order.isUndefined() || order.isNull())
        return Error::invalid(u"request.missing_field"_s, u"The request needs an order."_s, u"order"_s);
    if (!order.isObject())
        return Error::invalid(u"request.wrong_type"_s, u"The order must be an object."_s, u"order"_s);
    IntakeLimits limits;
    limits.maxLines = ctx.config.maxOrderLines;
    auto parsed = parseOrderRequest(order.toObject(), limits, requireId);
    if (!parsed)
        return parsed.error();
    if (!canSeeAccount(ctx, caller, parsed->accountId))
        return Error{ErrorKind::NotFound,
                     u"account.not_found"_s,
                     u"This account does not exist."_s,
                     {},
                     u"order.accountId"_s};
    if (auto s = resolveProducts(*ctx.db, caller.tenantId, *parsed); !s)
        return s.error();
    return parsed;
}

QHttpServerResponse replay(const StoredCommand &stored)
{
    QHttpServerResponse response = rawJson(stored.responseBody, stored.responseStatus);
    response.addHeader(QByteArrayLiteral("Outpost-Replayed"), QByteArrayLiteral("true"));
    return response;
}

QHttpServerResponse postOrder(ServerContext &ctx, const QHttpServerRequest &request)
{
    auto caller = orderingCaller(ctx, request);
    if (!caller)
        return fail(caller.error());
    auto body = parseJsonObject(request, ctx.config.maxJsonBodyBytes);
    if (!body)
        return fail(body.error());
    if (auto s = onlyFields(*body, {u"commandId"_s, u"order"_s}); !s)
        return fail(s.error());
    auto commandId = parseUuid(body->value(u"commandId"_s), u"commandId"_s, u"command.invalid_id"_s);
    if (!commandId)
        return fail(commandId.error());
    const QByteArray hash = canonicalRequestHash(*body);

    auto stored = findCommand(*ctx.db, caller->tenantId, *commandId);
    if (!stored)
        return fail(stored.error());
    if (stored->has_value()) {
        if ((*stored)->requestHash != hash)
            return errorResponse(409, u"command.key_reused"_s,
                                 u"This command id was already used for a different request."_s,
                                 u"commandId"_s);
        return replay(**stored);
    }

    auto order = readOrder(ctx, *caller, *body, true);
    if (!order)
        return fail(order.error());
    auto exists = orderExists(*ctx.db, caller->tenantId, order->id);
    if (!exists)
        return fail(exists.error());
    if (*exists)
        return errorResponse(409, u"order.duplicate_id"_s,
                             u"An order with this id was already submitted under another command."_s,
                             u"order.id"_s);

    auto result = submitOrder(*ctx.db, actorOf(*caller), *commandId, hash, *order, ctx.now());
    if (!result)
        return fail(result.error());
    if (result->replayed)
        return replay(StoredCommand{hash, result->status, result->body});
    return rawJson(result->body, result->status);
}

QHttpServerResponse postQuote(ServerContext &ctx, const QHttpServerRequest &request)
{
    auto caller = orderingCaller(ctx, request);
    if (!caller)
        return fail(caller.error());
    auto body = parseJsonObject(request, ctx.config.maxJsonBodyBytes);
    if (!body)
        return fail(body.error());
    if (auto s = onlyFields(*body, {u"order"_s}); !s)
        return fail(s.error());
    auto order = readOrder(ctx, *caller, *body, false);
    if (!order)
        return fail(order.error());
    auto evaluated = evaluateOrder(*ctx.db, actorOf(*caller), *order, ctx.now());
    if (!evaluated)
        return fail(evaluated.error());
    return jsonResponse(decisionJson(*order, *evaluated, {}, {}));
}

// "SO-000042" -> 42
std::optional<qint64> orderNumberValue(const QString &number)
{
    static const QRegularExpression pattern(u"^SO-(\\d{1,15})$"_s);
    const auto m = pattern.match(number);
    if (!m.hasMatch())
        return std::nullopt;
    return m.captured(1).toLongLong();
}

QHttpServerResponse listOrders(ServerContext &ctx, const QHttpServerRequest &request)
{
    auto caller = orderingCaller(ctx, request);
    if (!caller)
        return fail(caller.error());
    const QUrlQuery query = request.query();
    QString sql =
        u"SELECT id, order_number, account_id, rep_user_id, status, hold_reasons, currency, total_minor, "
        "received_at, customer_ref FROM orders WHERE tenant_id = ?"_s;
    QVariantList binds{caller->tenantId};
    if (caller->role == Role::Rep) {
        sql += u" AND rep_user_id = ?"_s;
        binds << caller->userId;
    }
    if (query.hasQueryItem(u"accountId"_s)) {
        bool ok = false;
        const qint64 accountId = query.queryItemValue(u"accountId"_s).toLongLong(&ok);
        if (!ok || accountId < 1)
            return errorResponse(400, u"request.bad_query"_s, u"accountId must be a positive integer."_s,
                                 u"accountId"_s);
        sql += u" AND account_id = ?"_s;
        binds << accountId;
    }
    if (query.hasQueryItem(u"after"_s) && !query.queryItemValue(u"after"_s).isEmpty()) {
        const auto after = orderNumberValue(query.queryItemValue(u"after"_s));
        if (!after)
            return errorResponse(400, u"request.bad_query"_s,
                                 u"after must be an order number like SO-000042."_s, u"after"_s);
        sql += u" AND CAST(SUBSTR(order_number, 4) AS BIGINT) > ?"_s;
        binds << *after;
    }
    int limit = kDefaultListLimit;
    if (query.hasQueryItem(u"limit"_s)) {
        bool ok = false;
        limit = query.queryItemValue(u"limit"_s).toInt(&ok);
        if (!ok || limit < 1 || limit > kMaxListLimit)
            return errorResponse(400, u"request.bad_query"_s,
                                 u"limit must be between 1 and %1."_s.arg(kMaxListLimit), u"limit"_s);
    }
    sql += u" ORDER BY CAST(SUBSTR(order_number, 4) AS BIGINT) LIMIT ?"_s;
    binds << limit;

    QSqlQuery q = ctx.db->prepare(sql);
    for (const QVariant &b : binds)
        q.addBindValue(b);
    if (!q.exec())
        return fail(Error::make(ErrorKind::Internal, u"db.error"_s, u"The orders could not be read."_s,
                                u"list orders failed"_s));
    QJsonArray orders;
    QString last;
    while (q.next()) {
        last = q.value(1).toString();
        const QString holds = q.value(5).toString();
        orders.append(QJsonObject{
            {u"orderId"_s, q.value(0).toString()},
            {u"orderNumber"_s, last},
            {u"accountId"_s, q.value(2).toLongLong()},
            {u"repUserId"_s, q.value(3).toLongLong()},
            {u"outcome"_s, q.value(4).toString()},
            {u"holdReasons"_s,
             QJsonArray::fromStringList(holds.isEmpty() ? QStringList() : holds.split(u','))},
            {u"currency"_s, q.value(6).toString()},
            {u"total"_s, q.value(7).toLongLong()},
            {u"receivedAt"_s, q.value(8).toString()},
            {u"customerRef"_s, q.value(9).toString()},
        });
    }
    const bool full = orders.size() == limit;
    return jsonResponse(QJsonObject{{u"orders"_s, orders},
                                    {u"next"_s, full ? QJsonValue(last) : QJsonValue(QJsonValue::Null)}});
}

QHttpServerResponse getOrder(ServerContext &ctx, const QString &id, const QHttpServerRequest &request)
{
    auto caller = orderingCaller(ctx, request);
    if (!caller)
        return fail(caller.error());
    const auto notFound = [] {
        return errorResponse(404, u"order.not_found"_s, u"This order does not exist."_s);
    };
    auto orderId = parseUuid(QJsonValue(id), u"id"_s, u"order.invalid_id"_s);
    if (!orderId)
        return notFound();
    auto q = ctx.db->exec(u"SELECT outcome_json, rep_user_id FROM orders WHERE tenant_id = ? AND id = ?"_s,
                          {caller->tenantId, *orderId});
    if (!q)
        return fail(q.error());
    if (!q->next())
        return notFound();
    if (caller->role == Role::Rep && q->value(1).toLongLong() != caller->userId)
        return notFound();
    return rawJson(q->value(0).toString().toUtf8(), 200);
}

} // namespace

void registerOrderRoutes(QHttpServer &http, ServerContext &ctx)
{
    using Method = QHttpServerRequest::Method;
    http.route(u"/v1/orders"_s, Method::Post,
               [&ctx](const QHttpServerRequest &request) { return postOrder(ctx, request); });
    http.route(u"/v1/orders"_s, Method::Get,
               [&ctx](const QHttpServerRequest &request) { return listOrders(ctx, request); });
    http.route(
        u"/v1/orders/<arg>"_s, Method::Get,
        [&ctx](const QString &id, const QHttpServerRequest &request) { return getOrder(ctx, id, request); });
    http.route(u"/v1/quote"_s, Method::Post,
               [&ctx](const QHttpServerRequest &request) { return postQuote(ctx, request); });
}

} // namespace outpost::server
