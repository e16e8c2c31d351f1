// The server database -> the domain's PricingContext and ValidationContext for one order.
// Split from order_intake.cpp; the golden test drives this loader directly.
#include "server/database.h"
#include "server/order_intake.h"

#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace outpost::server {

namespace {

Error rejected(QString code, QString text, QString field)
{
    return Error{ErrorKind::Rejected, std::move(code), std::move(text), {}, std::move(field)};
}

Error dbError(const char *what, const QSqlQuery &q)
{
    return Error::make(ErrorKind::Internal, u"db.error"_s, u"The server could not read the order's data."_s,
                       QString::fromLatin1(what) + u": "_s + q.lastError().text());
}

// "YYYY-MM-DD" or an ISO timestamp -> its UTC calendar date.
std::optional<QDate> parseDateText(const QString &text)
{
    if (text.isEmpty())
        return std::nullopt;
    if (text.size() == 10)
        return QDate::fromString(text, Qt::ISODate);
    const QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    return t.isValid() ? std::optional<QDate>(t.toUTC().date()) : std::nullopt;
}

QDateTime parseTimestamp(const QString &text)
{
    if (text.size() == 10)
        return QDateTime(QDate::fromString(text, Qt::ISODate), QTime(0, 0), Qt::UTC);
    return QDateTime::fromString(text, Qt::ISODateWithMs).toUTC();
}

} // namespace

Result<OrderContext> loadOrderContext(Database &db, const ContextRequest &request)
{
    OrderContext ctx;
    PricingContext &p = ctx.pricing;
    p.now = request.now.toUTC();
    p.maxLineDiscountBp = request.maxLineDiscountBp;
    p.maxOrderDiscountBp = request.maxOrderDiscountBp;
    const qint64 tenant = request.tenantId;

    auto tq = db.exec(u"SELECT currency FROM tenants WHERE id = ?"_s, {tenant});
    if (!tq)
        return tq.error();
    if (!tq->next())
        return Error::make(ErrorKind::NotFound, u"tenant.not_found"_s, u"This tenant does not exist."_s);
    p.currency = tq->value(0).toString();

    auto aq =
        db.exec(u"SELECT id, code, name, price_list_id, terms, credit_limit_minor, open_balance_minor, "
                "tax_exempt, on_hold, default_warehouse_id FROM accounts WHERE tenant_id = ? AND id = ?"_s,
                {tenant, request.accountId});
    if (!aq)
        return aq.error();
    if (!aq->next())
        return Error{ErrorKind::NotFound,
                     u"account.not_found"_s,
                     u"This account does not exist."_s,
                     {},
                     u"order.accountId"_s};
    Account &a = p.account;
    a.id = aq->value(0).toLongLong();
    a.code = aq->value(1).toString();
    a.name = aq->value(2).toString();
    a.priceListId = aq->value(3).toLongLong();
    a.terms = aq->value(4).toString();
    a.hasCreditLimit = !aq->value(5).isNull();
    a.creditLimitMinor = aq->value(5).toLongLong();
    a.openBalanceMinor = aq->value(6).toLongLong();
    a.taxExempt = aq->value(7).toInt() != 0;
    a.onHold = aq->value(8).toInt() != 0;
    const qint64 defaultWarehouse = aq->value(9).toLongLong();

    if (a.priceListId != 0) {
        auto lq = db.exec(u"SELECT currency FROM price_lists WHERE tenant_id = ? AND id = ?"_s,
                          {tenant, a.priceListId});
        if (!lq)
            return lq.error();
        if (lq->next())
            p.currency = lq->value(0).toString();
    }

    ctx.warehouseId = request.warehouseId != 0 ? request.warehouseId : defaultWarehouse;
    if (ctx.warehouseId == 0)
        return rejected(u"warehouse.required"_s,
                        u"The account has no default warehouse; name one on the order."_s,
                        u"order.warehouseId"_s);
    auto wq =
        db.exec(u"SELECT id FROM warehouses WHERE tenant_id = ? AND id = ?"_s, {tenant, ctx.warehouseId});
    if (!wq)
        return wq.error();
    if (!wq->next())
        return rejected(u"warehouse.not_found"_s, u"This warehouse does not exist."_s,
                        u"order.warehouseId"_s);

    auto xq = db.exec(u"SELECT code, rate_bp FROM tax_classes WHERE tenant_id = ?"_s, {tenant});
    if (!xq)
        return xq.error();
    while (xq->next())
        p.taxRatesBp.insert(xq->value(0).toString(), xq->value(1).toLongLong());

    QSqlQuery product = db.prepare(
        u"SELECT p.id, p.sku, p.name, p.category_id, p.uom, p.case_pack, p.moq, t.code, p.list_price_minor, "
        "p.discontinued, p.backorder_allowed FROM products p LEFT JOIN tax_classes t ON t.id = "
        "p.tax_class_id "
        "WHERE p.tenant_id = ? AND p.id = ?"_s);
    QSqlQuery tiers =
        db.prepare(u"SELECT min_qty, unit_price_minor, valid_from FROM price_list_entries "
                   "WHERE tenant_id = ? AND price_list_id = ? AND product_id = ? ORDER BY min_qty"_s);
    QSqlQuery contract = db.prepare(u"SELECT unit_price_minor, valid_from, valid_to FROM contract_prices "
                                    "WHERE tenant_id = ? AND account_id = ? AND product_id = ?"_s);
    QSqlQuery promos =
        db.prepare(u"SELECT id, code, name, product_id, category_id, kind, value, min_qty, starts_at, "
                   "ends_at FROM promotions WHERE tenant_id = ? AND (product_id = ? OR category_id = ?)"_s);
    QSqlQuery stock = db.prepare(u"SELECT on_hand, allocated, updated_at FROM stock_levels "
                                 "WHERE tenant_id = ? AND warehouse_id = ? AND product_id = ?"_s);
    auto run = [](QSqlQuery &q, std::initializer_list<QVariant> binds) {
        for (const QVariant &b : binds)
            q.addBindValue(b);
        return q.exec();
    };

    QSet<qint64> seenPromotions;
    QSet<qint64> done;
    for (const qint64 id : request.productIds) {
        if (done.contains(id))
            continue;
        done.insert(id);
        if (!run(product, {tenant, id}))
            return dbError("load product", product);
        if (!product.next())
            continue; // unknown: pricing reports it
        Product pr;
        pr.id = product.value(0).toLongLong();
        pr.sku = product.value(1).toString();
        pr.name = product.value(2).toString();
        pr.categoryId = product.value(3).toLongLong();
        pr.uom = product.value(4).toString();
        pr.casePack = product.value(5).toLongLong();
        pr.moq = product.value(6).toLongLong();
        pr.taxClass = product.value(7).toString();
        pr.listPriceMinor = product.value(8).toLongLong();
        pr.discontinued = product.value(9).toInt() != 0;
        pr.backorderAllowed = product.value(10).toInt() != 0;
        product.finish();

        if (a.priceListId != 0) {
            if (!run(tiers, {tenant, a.priceListId, id}))
                return dbError("load tiers", tiers);
            std::vector<VolumeTier> list;
            while (tiers.next()) {
                const auto from = parseDateText(tiers.value(2).toString());
                if (from && *from > p.now.date())
                    continue; // not valid yet
                list.push_back(VolumeTier{tiers.value(0).toLongLong(), tiers.value(1).toLongLong()});
            }
            if (!list.empty())
                p.priceListTiers.insert(id, std::move(list));
        }

        if (!run(contract, {tenant, a.id, id}))
            return dbError("load contract", contract);
        if (contract.next()) {
            ContractPrice c;
            c.productId = id;
            c.unitPriceMinor = contract.value(0).toLongLong();
            c.validFrom = parseDateText(contract.value(1).toString());
            c.validTo = parseDateText(contract.value(2).toString());
            p.contractPrices.insert(id, c);
        }
        contract.finish();

        if (!run(promos, {tenant, id, pr.categoryId != 0 ? QVariant(pr.categoryId) : QVariant()}))
            return dbError("load promotions", promos);
        while (promos.next()) {
            Promotion promo;
            promo.id = promos.value(0).toLongLong();
            if (seenPromotions.contains(promo.id))
                continue;
            seenPromotions.insert(promo.id);
            promo.code = promos.value(1).toString();
            promo.name = promos.value(2).toString();
            promo.productId = promos.value(3).toLongLong();
            promo.categoryId = promos.value(4).toLongLong();
            promo.kind = promos.value(5).toString() == u"amount"_s ? Promotion::Kind::AmountOff
                                                                   : Promotion::Kind::PercentOff;
            promo.value = promos.value(6).toLongLong();
            promo.minQty = promos.value(7).toLongLong();
            promo.startsAt = parseTimestamp(promos.value(8).toString());
            promo.endsAt = parseTimestamp(promos.value(9).toString());
            p.promotions.push_back(promo);
        }

        if (!run(stock, {tenant, ctx.warehouseId, id}))
            return dbError("load stock", stock);
        if (stock.next()) {
            StockLevel s;
            s.warehouseId = ctx.warehouseId;
            s.productId = id;
            s.onHand = stock.value(0).toLongLong();
            s.allocated = stock.value(1).toLongLong();
            s.asOf = parseTimestamp(stock.value(2).toString());
            ctx.validation.stock.insert(id, s);
        }
        stock.finish();
        p.products.insert(id, pr);
    }
    return ctx;
}

} // namespace outpost::server
