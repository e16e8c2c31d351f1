// Read endpoints: /v1/me, catalog, accounts, stock. Every query is scoped by the caller's tenant, and
// accounts by the caller's territory (accountScopeSql). Ids the caller may not see answer 404 exactly
// like ids that do not exist.
#include "server/database.h"
#include "server/http.h"
#include "server/routes.h"

#include <QHttpServer>
#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace outpost::server {

namespace {

constexpr qint64 kDefaultPage = 50;
constexpr qint64 kMaxPage = 500;
constexpr qint64 kMaxId = std::numeric_limits<qint64>::max();

const QString kProductColumns = u"p.id, p.sku, p.name, p.description, p.category_id, p.barcode, p.uom,"
                                " p.pack_label, p.case_pack, p.moq, p.tax_class_id, p.list_price_minor,"
                                " p.discontinued, p.backorder_allowed, p.seq"_s;
const QString kAccountColumns = u"a.id, a.code, a.name, a.city, a.postcode, a.country, a.phone, a.email,"
                                " a.price_list_id, a.terms, a.credit_limit_minor, a.open_balance_minor,"
                                " a.tax_exempt, a.on_hold, a.default_warehouse_id, a.version, a.seq"_s;

Error productNotFound()
{
    return Error::make(ErrorKind::NotFound, u"product.not_found"_s, u"There is no such product."_s);
}

Error accountNotFound()
{
    return Error::make(ErrorKind::NotFound, u"account.not_found"_s, u"There is no such account."_s);
}

// A path id: anything that is not a positive integer cannot name a row.
std::optional<qint64> parseId(const QString &text)
{
    bool ok = false;
    const qint64 id = text.toLongLong(&ok);
    if (!ok || id <= 0 || text.size() > 19 || text.startsWith(u'+'))
        return std::nullopt;
    return id;
}

// LIKE pattern for a substring search, with the LIKE wildcards of the input escaped ('!' escape).
QString likePattern(const QString &q)
{
    QString escaped = q.toLower();
    escaped.replace(u"!"_s, u"!!"_s).replace(u"%"_s, u"!%"_s).replace(u"_"_s, u"!_"_s);
    return u"%"_s + escaped + u"%"_s;
}

Result<QJsonArray> rows(Database &db, const QString &sql, const QVariantList &binds,
                        const QStringList &skip = {})
{
    auto q = db.execList(sql, binds);
    if (!q)
        return q.error();
    QJsonArray out;
    while (q->next())
        out.append(rowToJson(*q, skip));
    return out;
}

// Stock of one product per warehouse, with availability and the time of the newest figure.
Result<QJsonObject> stockFor(Database &db, qint64 tenantId, qint64 productId, const QDateTime &now)
{
    auto q = db.exec(u"SELECT w.id, w.code, w.name, s.on_hand, s.allocated, s.updated_at"
                     " FROM stock_levels s JOIN warehouses w ON w.id = s.warehouse_id"
                     " WHERE s.tenant_id = ? AND s.product_id = ? AND w.tenant_id = ? ORDER BY w.id"_s,
                     {tenantId, productId, tenantId});
    if (!q)
        return q.error();
    QJsonArray warehouses;
    QString asOf;
    qint64 totalAvailable = 0;
    while (q->next()) {
        const qint64 onHand = q->value(3).toLongLong();
        const qint64 allocated = q->value(4).toLongLong();
        const qint64 available = std::max<qint64>(0, onHand - allocated);
        totalAvailable += available;
        const QString updated = q->value(5).toString();
        if (updated > asOf)
            asOf = updated;
        warehouses.append(QJsonObject{{u"warehouseId"_s, q->value(0).toLongLong()},
                                      {u"warehouseCode"_s, q->value(1).toString()},
                                      {u"warehouseName"_s, q->value(2).toString()},
                                      {u"onHand"_s, onHand},
                                      {u"allocated"_s, allocated},
                                      {u"available"_s, available},
                                      {u"updatedAt"_s, updated}});
    }
    return QJsonObject{{u"productId"_s, productId},
                       {u"warehouses"_s, warehouses},
                       {u"available"_s, totalAvailable},
                       {u"asOf"_s, asOf.isEmpty() ? isoUtc(now) : asOf}};
}

Result<QJsonObject> me(ServerContext &ctx, const Caller &c)
{
    auto q = ctx.db->exec(u"SELECT u.display_name, t.name FROM users u JOIN tenants t ON t.id = u.tenant_id"
                          " WHERE u.id = ? AND u.tenant_id = ?"_s,
                          {c.userId, c.tenantId});
    if (!q)
        return q.error();
    if (!q->next())
        return Error::make(ErrorKind::Unauthorized, u"auth.invalid_token"_s, u"Sign in again."_s);
    return QJsonObject{{u"user"_s, QJsonObject{{u"id"_s, c.userId},
                                               {u"username"_s, c.username},
                                               {u"displayName"_s, q->value(0).toString()},
                                               {u"role"_s, roleName(c.role)},
                                               {u"maxLineDiscountBp"_s, c.maxLineDiscountBp},
                                               {u"maxOrderDiscountBp"_s, c.maxOrderDiscountBp}}},
                       {u"tenant"_s, QJsonObject{{u"code"_s, c.tenantCode},
                                                 {u"name"_s, q->value(1).toString()},
                                                 {u"currency"_s, c.currency}}},
                       {u"deviceId"_s, c.deviceId}};
}

Result<QJsonObject> categories(ServerContext &ctx, const Caller &c, const QHttpServerRequest &request)
{
    QueryReader query(request);
    if (auto s = query.finish(); !s)
        return s.error();
    auto items = rows(*ctx.db,
                      u"SELECT id, code, name, parent_id, seq FROM categories WHERE tenant_id = ?"
                      " ORDER BY name, id"_s,
                      {c.tenantId});
    if (!items)
        return items.error();
    return QJsonObject{{u"items"_s, *items}};
}

Result<QJsonObject> products(ServerContext &ctx, const Caller &c, const QHttpServerRequest &request)
{
    QueryReader query(request);
    const QString text = query.string(u"q"_s, 100).trimmed();
    const qint64 category = query.integer(u"category"_s, 0, 1, kMaxId);
    const qint64 after = query.integer(u"after"_s, 0, 0, kMaxId);
    const qint64 limit = query.integer(u"limit"_s, kDefaultPage, 1, kMaxPage);
    if (auto s = query.finish(); !s)
        return s.error();

    QString sql = u"SELECT "_s + kProductColumns + u" FROM products p WHERE p.tenant_id = ? AND p.id > ?"_s;
    QVariantList binds{c.tenantId, after};
    if (category > 0) {
        sql += u" AND p.category_id = ?"_s;
        binds << category;
    }
    if (!text.isEmpty()) {
        sql += u" AND (LOWER(p.sku) LIKE ? ESCAPE '!' OR LOWER(p.name) LIKE ? ESCAPE '!'"
               " OR LOWER(COALESCE(p.barcode, '')) LIKE ? ESCAPE '!')"_s;
        const QString pattern = likePattern(text);
        binds << pattern << pattern << pattern;
    }
    sql += u" ORDER BY p.id LIMIT ?"_s;
    binds << limit + 1;
    auto items = rows(*ctx.db, sql, binds);
    if (!items)
        return items.error();
    QJsonArray page = *items;
    QJsonValue next = QJsonValue::Null;
    if (page.size() > limit) {
        page.removeLast();
        next = page.last().toObject().value(u"id"_s);
    }
    return QJsonObject{{u"items"_s, page}, {u"next"_s, next}};
}

Result<QJsonObject> product(ServerContext &ctx, const Caller &c, const QString &idText)
{
    const auto id = parseId(idText);
    if (!id)
        return productNotFound();
    auto q = ctx.db->exec(u"SELECT "_s + kProductColumns +
                              u" FROM products p WHERE p.id = ? AND p.tenant_id = ?"_s,
                          {*id, c.tenantId});
    if (!q)
        return q.error();
    if (!q->next())
        return productNotFound();
    QJsonObject out = rowToJson(*q);
    auto stock = stockFor(*ctx.db, c.tenantId, *id, ctx.now());
    if (!stock)
        return stock.error();
    out.insert(u"stock"_s, stock->value(u"warehouses"_s));
    out.insert(u"available"_s, stock->value(u"available"_s));
    out.insert(u"asOf"_s, stock->value(u"asOf"_s));
    return out;
}

Result<QJsonObject> accounts(ServerContext &ctx, const Caller &c, const QHttpServerRequest &request)
{
    if (auto s = requireRole(c, {Role::Rep, Role::Manager, Role::Admin}); !s)
        return s.error();
    QueryReader query(request);
    const QString text = query.string(u"q"_s, 100).trimmed();
    const qint64 after = query.integer(u"after"_s, 0, 0, kMaxId);
    const qint64 limit = query.integer(u"limit"_s, kDefaultPage, 1, kMaxPage);
    if (auto s = query.finish(); !s)
        return s.error();

    QVariantList binds{c.tenantId, after};
    QString sql = u"SELECT "_s + kAccountColumns +
                  u" FROM accounts a WHERE a.tenant_id = ? AND a.id > ? AND "_s +
                  accountScopeSql(c, u"a.id"_s, binds);
    if (!text.isEmpty()) {
        sql += u" AND (LOWER(a.code) LIKE ? ESCAPE '!' OR LOWER(a.name) LIKE ? ESCAPE '!'"
               " OR LOWER(a.city) LIKE ? ESCAPE '!' OR LOWER(a.postcode) LIKE ? ESCAPE '!')"_s;
        const QString pattern = likePattern(text);
        binds << pattern << pattern << pattern << pattern;
    }
    sql += u" ORDER BY a.id LIMIT ?"_s;
    binds << limit + 1;
    auto items = rows(*ctx.db, sql, binds);
    if (!items)
        return items.error();
    QJsonArray page = *items;
    QJsonValue next = QJsonValue::Null;
    if (page.size() > limit) {
        page.removeLast();
        next = page.last().toObject().value(u"id"_s);
    }
    return QJsonObject{{u"items"_s, page}, {u"next"_s, next}};
}

Result<QJsonObject> account(ServerContext &ctx, const Caller &c, const QString &idText)
{
    if (auto s = requireRole(c, {Role::Rep, Role::Manager, Role::Admin}); !s)
        return s.error();
    const auto id = parseId(idText);
    if (!id || !canSeeAccount(ctx, c, *id))
        return accountNotFound();
    auto q = ctx.db->exec(u"SELECT "_s + kAccountColumns +
                              u", a.notes FROM accounts a WHERE a.id = ? AND a.tenant_id = ?"_s,
                          {*id, c.tenantId});
    if (!q)
        return q.error();
    if (!q->next())
        return accountNotFound();
    QJsonObject out = rowToJson(*q);
    const QStringList skip{u"tenant_id"_s, u"account_id"_s};
    auto addresses =
        rows(*ctx.db, u"SELECT * FROM addresses WHERE account_id = ? AND tenant_id = ? ORDER BY id"_s,
             {*id, c.tenantId}, skip);
    if (!addresses)
        return addresses.error();
    auto contacts =
        rows(*ctx.db, u"SELECT * FROM contacts WHERE account_id = ? AND tenant_id = ? ORDER BY id"_s,
             {*id, c.tenantId}, skip);
    if (!contacts)
        return contacts.error();
    out.insert(u"addresses"_s, *addresses);
    out.insert(u"contacts"_s, *contacts);
    const QJsonValue limit = out.value(u"creditLimitMinor"_s);
    out.insert(u"availableCreditMinor"_s,
               limit.isNull() ? QJsonValue(QJsonValue::Null)
                              : QJsonValue(limit.toInteger() - out.value(u"openBalanceMinor"_s).toInteger()));
    return out;
}

Result<QJsonObject> stock(ServerContext &ctx, const Caller &c, const QHttpServerRequest &request)
{
    QueryReader query(request);
    if (!query.has(u"productId"_s))
        return Error::invalid(u"request.missing_parameter"_s, u"The parameter productId is required."_s,
                              u"productId"_s);
    const qint64 productId = query.integer(u"productId"_s, 0, 1, kMaxId);
    if (auto s = query.finish(); !s)
        return s.error();
    auto q =
        ctx.db->exec(u"SELECT 1 FROM products WHERE id = ? AND tenant_id = ?"_s, {productId, c.tenantId});
    if (!q)
        return q.error();
    if (!q->next())
        return productNotFound();
    return stockFor(*ctx.db, c.tenantId, productId, ctx.now());
}

// Authenticates, then runs the handler; every error becomes the error envelope.
QHttpServerResponse run(ServerContext &ctx, const QHttpServerRequest &request,
                        const std::function<Result<QJsonObject>(const Caller &)> &handler)
{
    auto caller = authenticate(ctx, request);
    if (!caller)
        return errorResponse(caller.error());
    const auto result = handler(*caller);
    return result ? jsonResponse(*result) : errorResponse(result.error());
}

} // namespace

void registerReadRoutes(QHttpServer &http, ServerContext &ctx)
{
    using M = QHttpServerRequest::Method;
    http.route(u"/v1/me"_s, M::Get, [&ctx](const QHttpServerRequest &r) {
        return run(ctx, r, [&](const Caller &c) -> Result<QJsonObject> {
            QueryReader query(r);
            if (auto s = query.finish(); !s)
                return s.error();
            return me(ctx, c);
        });
    });
    http.route(u"/v1/catalog/categories"_s, M::Get, [&ctx](const QHttpServerRequest &r) {
        return run(ctx, r, [&](const Caller &c) { return categories(ctx, c, r); });
    });
    http.route(u"/v1/catalog/products"_s, M::Get, [&ctx](const QHttpServerRequest &r) {
        return run(ctx, r, [&](const Caller &c) { return products(ctx, c, r); });
    });
    http.route(u"/v1/catalog/products/<arg>"_s, M::Get,
               [&ctx](const QString &id, const QHttpServerRequest &r) {
                   return run(ctx, r, [&](const Caller &c) { return product(ctx, c, id); });
               });
    http.route(u"/v1/accounts"_s, M::Get, [&ctx](const QHttpServerRequest &r) {
        return run(ctx, r, [&](const Caller &c) { return accounts(ctx, c, r); });
    });
    http.route(u"/v1/accounts/<arg>"_s, M::Get, [&ctx](const QString &id, const QHttpServerRequest &r) {
        return run(ctx, r, [&](const Caller &c) { return account(ctx, c, id); });
    });
    http.route(u"/v1/stock"_s, M::Get, [&ctx](const QHttpServerRequest &r) {
        return run(ctx, r, [&](const Caller &c) { return stock(ctx, c, r); });
    });
}

} // namespace outpost::server
