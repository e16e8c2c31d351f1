#include "server/leads.h"

#include "server/context.h"
#include "server/database.h"
#include "server/http.h"

#include <QHttpServer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QUrlQuery>

using namespace Qt::Literals::StringLiterals;

namespace outpost::server {

namespace {

Q_LOGGING_CATEGORY(lcLeads, "outpost.server")

constexpr qsizetype kMaxItems = 500;
constexpr qint64 kMaxQuantity = 1000000;

Result<QString> text(const QJsonObject &payload, const QString &key, qsizetype maxLength)
{
    const QJsonValue v = payload.value(key);
    if (v.isUndefined() || v.isNull())
        return u""_s; // not null: the columns are NOT NULL
    if (!v.isString())
        return Error::invalid(u"request.wrong_type"_s, u"This field must be text."_s, key);
    const QString s = v.toString().trimmed();
    if (s.size() > maxLength)
        return Error::invalid(u"request.too_long"_s, u"This field is longer than %1 characters."_s.arg(maxLength), key);
    return s.isNull() ? u""_s : s;
}

QHttpServerResponse listLeads(ServerContext &ctx, const QHttpServerRequest &request)
{
    auto caller = authenticate(ctx, request);
    if (!caller)
        return errorResponse(caller.error());
    if (Status s = requireRole(*caller, {Role::Admin}); !s)
        return errorResponse(s.error());
    const QUrlQuery query = request.query();
    for (const auto &[key, value] : query.queryItems()) {
        if (key != u"limit"_s)
            return errorResponse(400, u"request.unknown_parameter"_s, u"Unknown query parameter."_s, key);
    }
    qint64 limit = 100;
    if (query.hasQueryItem(u"limit"_s)) {
        bool ok = false;
        limit = query.queryItemValue(u"limit"_s).toLongLong(&ok);
        if (!ok || limit < 1 || limit > 1000)
            return errorResponse(400, u"request.bad_parameter"_s, u"limit is a number from 1 to 1000."_s, u"limit"_s);
    }
    auto q = ctx.db->exec(u"SELECT id, lead_uuid, user_id, name, company, email, phone, note, items, created_at, "
                          "device_created_at FROM leads WHERE tenant_id = ? ORDER BY id DESC LIMIT ?"_s,
                          {caller->tenantId, limit});
    if (!q)
        return errorResponse(q.error());
    QJsonArray leads;
    while (q->next()) {
        leads.append(QJsonObject{{u"id"_s, q->value(0).toLongLong()},
                                 {u"leadId"_s, q->value(1).toString()},
                                 {u"userId"_s, q->value(2).toLongLong()},
                                 {u"name"_s, q->value(3).toString()},
                                 {u"company"_s, q->value(4).toString()},
                                 {u"email"_s, q->value(5).toString()},
                                 {u"phone"_s, q->value(6).toString()},
                                 {u"note"_s, q->value(7).toString()},
                                 {u"items"_s, QJsonDocument::fromJson(q->value(8).toString().toUtf8()).array()},
                                 {u"createdAt"_s, q->value(9).toString()},
                                 {u"deviceCreatedAt"_s, q->value(10).toString()}});
    }
    return jsonResponse(QJsonObject{{u"leads"_s, leads}});
}

} // namespace

Result<RecordAnswer> applyLeadCreate(ServerContext &ctx, const Caller &caller, const QJsonObject &payload, qint64 seq)
{
    static const QStringList known{u"id"_s,   u"name"_s, u"company"_s, u"email"_s,
                                   u"phone"_s, u"note"_s, u"items"_s,   u"deviceCreatedAt"_s};
    for (auto it = payload.begin(); it != payload.end(); ++it) {
        if (!known.contains(it.key()))
            return Error::invalid(u"request.unknown_field"_s, u"This field is not part of a lead."_s, it.key());
    }
    auto name = text(payload, u"name"_s, 200);
    auto company = text(payload, u"company"_s, 200);
    auto email = text(payload, u"email"_s, 254);
    auto phone = text(payload, u"phone"_s, 50);
    auto note = text(payload, u"note"_s, 2000);
    auto leadUuid = text(payload, u"id"_s, 64);
    auto deviceCreatedAt = text(payload, u"deviceCreatedAt"_s, 40);
    for (const Result<QString> *r : {&name, &company, &email, &phone, &note, &leadUuid, &deviceCreatedAt}) {
        if (!*r)
            return r->error();
    }
    if (name->isEmpty())
        return Error::invalid(u"lead.name_required"_s, u"A lead needs the visitor's name."_s, u"name"_s);
    if (email->isEmpty() && phone->isEmpty())
        return Error::invalid(u"lead.contact_required"_s, u"A lead needs an email address or a phone number."_s,
                              u"email"_s);
    static const QRegularExpression emailShape(u"^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"_s);
    if (!email->isEmpty() && !emailShape.match(*email).hasMatch())
        return Error::invalid(u"lead.invalid_email"_s, u"This email address is not valid."_s, u"email"_s);
    const QJsonValue itemsValue = payload.value(u"items"_s);
    if (!itemsValue.isUndefined() && !itemsValue.isArray())
        return Error::invalid(u"request.wrong_type"_s, u"items must be an array."_s, u"items"_s);
    const QJsonArray items = itemsValue.toArray();
    if (items.isEmpty())
        return Error::invalid(u"lead.empty"_s, u"A lead needs at least one product."_s, u"items"_s);
    if (items.size() > kMaxItems)
        return Error::invalid(u"lead.too_many_items"_s, u"A lead has at most %1 products."_s.arg(kMaxItems), u"items"_s);
    QJsonArray stored;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QString path = u"items[%1]"_s.arg(i);
        const QJsonObject item = items.at(i).toObject();
        const qint64 productId = item.value(u"productId"_s).toInteger(-1);
        const qint64 quantity = item.value(u"quantity"_s).toInteger(-1);
        if (!items.at(i).isObject() || productId <= 0 || quantity < 1 || quantity > kMaxQuantity)
            return Error::invalid(u"lead.bad_item"_s, u"Each product needs a productId and a quantity of at least 1."_s,
                                  path);
        auto q = ctx.db->exec(u"SELECT sku FROM products WHERE tenant_id = ? AND id = ?"_s,
                              {caller.tenantId, productId});
        if (!q)
            return q.error();
        if (!q->next())
            return Error{ErrorKind::Rejected, u"lead.unknown_product"_s, u"A product of this lead does not exist."_s,
                         {}, path + u".productId"_s};
        stored.append(QJsonObject{{u"productId"_s, productId}, {u"sku"_s, q->value(0).toString()},
                                  {u"quantity"_s, quantity}});
    }
    auto id = ctx.db->exec(u"INSERT INTO leads (tenant_id, lead_uuid, user_id, device_id, name, company, email, phone, "
                           "note, items, created_at, device_created_at, seq) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"_s,
                           {caller.tenantId, *leadUuid, caller.userId, caller.deviceId, *name, *company, *email, *phone,
                            *note, QString::fromUtf8(QJsonDocument(stored).toJson(QJsonDocument::Compact)),
                            isoUtc(ctx.now()), *deviceCreatedAt, seq});
    if (!id)
        return id.error();
    if (!id->next())
        return Error::make(ErrorKind::Internal, u"db.error"_s, u"A database error occurred."_s, u"lead insert"_s);
    const qint64 leadId = id->value(0).toLongLong();
    qCInfo(lcLeads) << "lead" << leadId << "tenant" << caller.tenantId << "user" << caller.userId << "items"
                    << stored.size();
    return RecordAnswer{201, QJsonObject{{u"outcome"_s, u"accepted"_s}, {u"leadId"_s, leadId},
                                         {u"items"_s, stored.size()}}};
}

void registerLeadRoutes(QHttpServer &http, ServerContext &ctx)
{
    http.route(u"/v1/admin/leads"_s, QHttpServerRequest::Method::Get,
               [&ctx](const QHttpServerRequest &request) { return listLeads(ctx, request); });
}

} // namespace outpost::server
