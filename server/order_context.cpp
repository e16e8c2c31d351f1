// The server database -> the domain's PricingContext and ValidationContext for one order.
// Split from order_intake.cpp; the golden test drives this loader directly.
#include "server/database.h"
#include "server/order_intake.h"

#include <QHash>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>
#include <type_traits>

using namespace Qt::Literals::StringLiterals;

namespace outpost::server {

namespace {

Error rejected(QString code, QString text, QString field)
{
    return Error{ErrorKind::Rejected, std::move(code), std::move(text), {}, std::move(field)};
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


constexpr qsizetype kChunk = 200; // ids per IN (...) list; short chunks are padded, so one SQL text each
// "+tenant_id" below keeps the tenant filter but stops SQLite from choosing the (tenant_id, seq)
// index over the key the IN list probes (a scan of the tenant's rows per chunk otherwise).

struct AccountRow
{
    Account account;
    qint64 defaultWarehouse = 0;
};

struct TierRow
{
    qint64 minQty = 0;
    qint64 unitPriceMinor = 0;
    std::optional<QDate> validFrom;
};

struct StockEntry
{
    bool exists = false; // a stock_levels row was found
    StockLevel level;
};

using Pair = std::pair<qint64, qint64>;

// "?, ?, ?" for n placeholders
QString marks(qsizetype n)
{
    QString out;
    out.reserve(n * 3);
    for (qsizetype i = 0; i < n; ++i)
        out += i == 0 ? u"?"_s : u", ?"_s;
    return out;
}

// Runs `sql` (with %1 = the IN list) over `keys` in chunks; `fixed` binds come first.
template <typename Key, typename RowFn>
Status inChunks(Database &db, const QString &sql, const QVariantList &fixed, const QList<Key> &keys, RowFn onRow)
{
    static_assert(std::is_invocable_v<RowFn, CachedQuery &>);
    const QString text = sql.arg(marks(kChunk));
    for (qsizetype from = 0; from < keys.size(); from += kChunk) {
        QVariantList binds = fixed;
        for (qsizetype i = 0; i < kChunk; ++i)
            binds << QVariant::fromValue(keys.at(std::min(from + i, keys.size() - 1))); // pad: repeat the last
        auto q = db.execCached(text, binds);
        if (!q)
            return q.error();
        while (q->next())
            onRow(*q);
    }
    return {};
}

template <typename T>
QList<T> sorted(const QSet<T> &set)
{
    QList<T> out(set.begin(), set.end());
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

struct IntakeCache::Data
{
    qint64 tenant = 0;
    bool tenantLoaded = false;
    std::optional<QString> tenantCurrency; // nullopt: no such tenant
    QHash<QString, qint64> taxRatesBp;
    std::vector<Promotion> promotions;              // the tenant's, by id
    QHash<qint64, std::vector<size_t>> promotionsOf; // product id / -category id -> indexes into promotions
    QHash<qint64, std::optional<AccountRow>> accounts;
    QHash<qint64, std::optional<QString>> priceListCurrency;
    QHash<qint64, bool> warehouses;
    QHash<qint64, std::optional<Product>> products;
    QHash<QString, qint64> skus; // 0 = no such product
    QHash<Pair, std::vector<TierRow>> tiers;               // (price list, product)
    QHash<qint64, QHash<qint64, ContractPrice>> contracts; // account -> its contract prices, all of them
    QHash<Pair, StockEntry> stock;                         // (warehouse, product)
    std::optional<qint64> lastOrderNumber;

    Status loadTenant(Database &db);
    Status load(Database &db, const std::vector<const OrderRequest *> &orders);
    Status loadProducts(Database &db, const QSet<qint64> &ids, const QSet<QString> &skuSet);
};

namespace {

const QString kProductColumns =
    u"p.id, p.sku, p.name, p.category_id, p.uom, p.case_pack, p.moq, t.code, p.list_price_minor, p.discontinued, "
    "p.backorder_allowed FROM products p LEFT JOIN tax_classes t ON t.id = p.tax_class_id"_s;

Product productFrom(const CachedQuery &q)
{
    Product pr;
    pr.id = q.value(0).toLongLong();
    pr.sku = q.value(1).toString();
    pr.name = q.value(2).toString();
    pr.categoryId = q.value(3).toLongLong();
    pr.uom = q.value(4).toString();
    pr.casePack = q.value(5).toLongLong();
    pr.moq = q.value(6).toLongLong();
    pr.taxClass = q.value(7).toString();
    pr.listPriceMinor = q.value(8).toLongLong();
    pr.discontinued = q.value(9).toInt() != 0;
    pr.backorderAllowed = q.value(10).toInt() != 0;
    return pr;
}

} // namespace

Status IntakeCache::Data::loadTenant(Database &db)
{
    if (tenantLoaded)
        return {};
    auto tq = db.execCached(u"SELECT currency FROM tenants WHERE id = ?"_s, {tenant});
    if (!tq)
        return tq.error();
    if (tq->next())
        tenantCurrency = tq->value(0).toString();
    auto xq = db.execCached(u"SELECT code, rate_bp FROM tax_classes WHERE tenant_id = ?"_s, {tenant});
    if (!xq)
        return xq.error();
    while (xq->next())
        taxRatesBp.insert(xq->value(0).toString(), xq->value(1).toLongLong());
    auto pq = db.execCached(u"SELECT id, code, name, product_id, category_id, kind, value, min_qty, starts_at, "
                            "ends_at FROM promotions WHERE tenant_id = ? ORDER BY id"_s,
                            {tenant});
    if (!pq)
        return pq.error();
    while (pq->next()) {
        Promotion promo;
        promo.id = pq->value(0).toLongLong();
        promo.code = pq->value(1).toString();
        promo.name = pq->value(2).toString();
        promo.productId = pq->value(3).toLongLong();
        promo.categoryId = pq->value(4).toLongLong();
        promo.kind = pq->value(5).toString() == u"amount"_s ? Promotion::Kind::AmountOff : Promotion::Kind::PercentOff;
        promo.value = pq->value(6).toLongLong();
        promo.minQty = pq->value(7).toLongLong();
        promo.startsAt = parseTimestamp(pq->value(8).toString());
        promo.endsAt = parseTimestamp(pq->value(9).toString());
        if (promo.productId != 0)
            promotionsOf[promo.productId].push_back(promotions.size());
        if (promo.categoryId != 0)
            promotionsOf[-promo.categoryId].push_back(promotions.size());
        promotions.push_back(promo);
    }
    tenantLoaded = true;
    return {};
}

Status IntakeCache::Data::loadProducts(Database &db, const QSet<qint64> &ids, const QSet<QString> &skuSet)
{
    QSet<QString> newSkus;
    for (const QString &sku : skuSet)
        if (!skus.contains(sku))
            newSkus.insert(sku);
    if (!newSkus.isEmpty()) {
        const QList<QString> list = sorted(newSkus);
        for (const QString &sku : list)
            skus.insert(sku, 0);
        auto s = inChunks(db, u"SELECT "_s + kProductColumns + u" WHERE p.tenant_id = ? AND p.sku IN (%1)"_s,
                          {tenant}, list, [this](CachedQuery &q) {
                              const Product pr = productFrom(q);
                              skus.insert(pr.sku, pr.id);
                              products.insert(pr.id, pr);
                          });
        if (!s)
            return s;
    }
    QSet<qint64> newIds;
    for (const qint64 id : ids)
        if (!products.contains(id))
            newIds.insert(id);
    if (newIds.isEmpty())
        return {};
    const QList<qint64> list = sorted(newIds);
    for (const qint64 id : list)
        products.insert(id, std::nullopt);
    return inChunks(db, u"SELECT "_s + kProductColumns + u" WHERE +p.tenant_id = ? AND p.id IN (%1)"_s, {tenant}, list,
                    [this](CachedQuery &q) {
                        const Product pr = productFrom(q);
                        products.insert(pr.id, pr);
                    });
}

Status IntakeCache::Data::load(Database &db, const std::vector<const OrderRequest *> &orders)
{
    if (auto s = loadTenant(db); !s)
        return s;

    QSet<qint64> accountIds;
    QSet<qint64> productIds;
    QSet<QString> skuSet;
    for (const OrderRequest *o : orders) {
        if (!accounts.contains(o->accountId))
            accountIds.insert(o->accountId);
        for (const OrderLineRequest &l : o->lines) {
            if (l.productId != 0)
                productIds.insert(l.productId);
            else
                skuSet.insert(l.sku);
        }
    }
    if (!accountIds.isEmpty()) {
        const QList<qint64> list = sorted(accountIds);
        for (const qint64 id : list)
            accounts.insert(id, std::nullopt);
        auto s = inChunks(
            db,
            u"SELECT id, code, name, price_list_id, terms, credit_limit_minor, open_balance_minor, tax_exempt, "
            "on_hold, default_warehouse_id FROM accounts WHERE +tenant_id = ? AND id IN (%1)"_s,
            {tenant}, list, [this](CachedQuery &q) {
                AccountRow row;
                Account &a = row.account;
                a.id = q.value(0).toLongLong();
                a.code = q.value(1).toString();
                a.name = q.value(2).toString();
                a.priceListId = q.value(3).toLongLong();
                a.terms = q.value(4).toString();
                a.hasCreditLimit = !q.isNull(5);
                a.creditLimitMinor = q.value(5).toLongLong();
                a.openBalanceMinor = q.value(6).toLongLong();
                a.taxExempt = q.value(7).toInt() != 0;
                a.onHold = q.value(8).toInt() != 0;
                row.defaultWarehouse = q.value(9).toLongLong();
                accounts.insert(a.id, row);
            });
        if (!s)
            return s;
    }
    if (auto s = loadProducts(db, productIds, skuSet); !s)
        return s;

    // What each order needs besides: its account's price list, warehouse, tiers, contracts, stock.
    QSet<qint64> lists;
    QSet<qint64> warehouseIds;
    QSet<qint64> contractAccounts;
    QHash<qint64, QSet<qint64>> tierWants;  // price list -> products
    QHash<qint64, QSet<qint64>> stockWants; // warehouse -> products
    for (const OrderRequest *o : orders) {
        const std::optional<AccountRow> &row = accounts.value(o->accountId);
        if (!row)
            continue;
        const qint64 list = row->account.priceListId;
        const qint64 warehouse = o->warehouseId != 0 ? o->warehouseId : row->defaultWarehouse;
        if (list != 0 && !priceListCurrency.contains(list))
            lists.insert(list);
        if (warehouse != 0 && !warehouses.contains(warehouse))
            warehouseIds.insert(warehouse);
        if (!contracts.contains(o->accountId))
            contractAccounts.insert(o->accountId);
        for (const OrderLineRequest &l : o->lines) {
            const qint64 id = l.productId != 0 ? l.productId : skus.value(l.sku);
            if (id == 0 || !products.value(id))
                continue;
            if (list != 0 && !tiers.contains({list, id}))
                tierWants[list].insert(id);
            if (warehouse != 0 && !stock.contains({warehouse, id}))
                stockWants[warehouse].insert(id);
        }
    }
    if (!lists.isEmpty()) {
        const QList<qint64> list = sorted(lists);
        for (const qint64 id : list)
            priceListCurrency.insert(id, std::nullopt);
        auto s = inChunks(db, u"SELECT id, currency FROM price_lists WHERE +tenant_id = ? AND id IN (%1)"_s, {tenant},
                          list, [this](CachedQuery &q) {
                              priceListCurrency.insert(q.value(0).toLongLong(), q.value(1).toString());
                          });
        if (!s)
            return s;
    }
    if (!warehouseIds.isEmpty()) {
        const QList<qint64> list = sorted(warehouseIds);
        for (const qint64 id : list)
            warehouses.insert(id, false);
        auto s = inChunks(db, u"SELECT id FROM warehouses WHERE +tenant_id = ? AND id IN (%1)"_s, {tenant}, list,
                          [this](CachedQuery &q) { warehouses.insert(q.value(0).toLongLong(), true); });
        if (!s)
            return s;
    }
    if (!contractAccounts.isEmpty()) {
        const QList<qint64> list = sorted(contractAccounts);
        for (const qint64 id : list)
            contracts.insert(id, {});
        auto s = inChunks(db,
                          u"SELECT account_id, product_id, unit_price_minor, valid_from, valid_to FROM contract_prices "
                          "WHERE +tenant_id = ? AND account_id IN (%1)"_s,
                          {tenant}, list, [this](CachedQuery &q) {
                              ContractPrice c;
                              c.productId = q.value(1).toLongLong();
                              c.unitPriceMinor = q.value(2).toLongLong();
                              c.validFrom = parseDateText(q.value(3).toString());
                              c.validTo = parseDateText(q.value(4).toString());
                              contracts[q.value(0).toLongLong()].insert(c.productId, c);
                          });
        if (!s)
            return s;
    }
    for (auto it = tierWants.cbegin(); it != tierWants.cend(); ++it) {
        const qint64 list = it.key();
        const QList<qint64> ids = sorted(it.value());
        for (const qint64 id : ids)
            tiers.insert({list, id}, {});
        auto s = inChunks(db,
                          u"SELECT product_id, min_qty, unit_price_minor, valid_from FROM price_list_entries "
                          "WHERE +tenant_id = ? AND price_list_id = ? AND product_id IN (%1) ORDER BY product_id, min_qty"_s,
                          {tenant, list}, ids, [this, list](CachedQuery &q) {
                              tiers[{list, q.value(0).toLongLong()}].push_back(TierRow{
                                  q.value(1).toLongLong(), q.value(2).toLongLong(), parseDateText(q.value(3).toString())});
                          });
        if (!s)
            return s;
    }
    for (auto it = stockWants.cbegin(); it != stockWants.cend(); ++it) {
        const qint64 warehouse = it.key();
        const QList<qint64> ids = sorted(it.value());
        for (const qint64 id : ids)
            stock.insert({warehouse, id}, StockEntry{});
        auto s = inChunks(db,
                          u"SELECT product_id, on_hand, allocated, updated_at FROM stock_levels "
                          "WHERE +tenant_id = ? AND warehouse_id = ? AND product_id IN (%1)"_s,
                          {tenant, warehouse}, ids, [this, warehouse](CachedQuery &q) {
                              StockLevel level;
                              level.warehouseId = warehouse;
                              level.productId = q.value(0).toLongLong();
                              level.onHand = q.value(1).toLongLong();
                              level.allocated = q.value(2).toLongLong();
                              level.asOf = parseTimestamp(q.value(3).toString());
                              stock.insert({warehouse, level.productId}, StockEntry{true, level});
                          });
        if (!s)
            return s;
    }
    return {};
}

IntakeCache::IntakeCache(qint64 tenantId) : m_data(std::make_unique<Data>())
{
    m_data->tenant = tenantId;
}

IntakeCache::~IntakeCache() = default;

qint64 IntakeCache::tenantId() const
{
    return m_data->tenant;
}

Status IntakeCache::preload(Database &db, const std::vector<const OrderRequest *> &orders)
{
    Status s = m_data->load(db, orders);
    if (!s)
        invalidate(); // half-read: forget it
    return s;
}

void IntakeCache::invalidate()
{
    const qint64 tenant = m_data->tenant;
    m_data = std::make_unique<Data>();
    m_data->tenant = tenant;
}

std::optional<qint64> IntakeCache::lastOrderNumber() const
{
    return m_data->lastOrderNumber;
}

void IntakeCache::orderStored(const OrderRequest &request, const EvaluatedOrder &ev, qint64 orderNumber)
{
    Data &d = *m_data;
    d.lastOrderNumber = orderNumber;
    const OrderDecision &decision = ev.decision;
    if (decision.outcome != OrderOutcome::Accepted && decision.outcome != OrderOutcome::Adjusted)
        return;
    for (const LineDecision &l : decision.lines) {
        if (l.outcome == LineOutcome::Rejected || l.quantity <= 0)
            continue;
        const auto it = d.stock.find({ev.context.warehouseId, l.productId});
        if (it != d.stock.end() && it->exists)
            it->level.allocated += l.quantity;
    }
    const auto account = d.accounts.find(request.accountId);
    if (account != d.accounts.end() && account->has_value())
        (*account)->account.openBalanceMinor += decision.totals.totalMinor;
}

Status resolveProducts(Database &db, qint64 tenantId, OrderRequest &request)
{
    IntakeCache cache(tenantId);
    return resolveProducts(db, cache, request);
}

Status resolveProducts(Database &db, IntakeCache &cache, OrderRequest &request)
{
    IntakeCache::Data &d = cache.data();
    QSet<qint64> ids;
    QSet<QString> skuSet;
    for (const OrderLineRequest &line : request.lines) {
        if (line.productId != 0)
            ids.insert(line.productId);
        else
            skuSet.insert(line.sku);
    }
    if (auto s = d.loadProducts(db, ids, skuSet); !s) {
        cache.invalidate(); // half-read: forget it
        return s;
    }
    for (size_t i = 0; i < request.lines.size(); ++i) {
        OrderLineRequest &line = request.lines[i];
        const bool sku = line.productId == 0;
        const qint64 id = sku ? d.skus.value(line.sku) : (d.products.value(line.productId) ? line.productId : 0);
        if (id == 0)
            return rejected(u"product.unknown"_s,
                            sku ? u"No product has this SKU."_s : u"This product is not in the catalog."_s,
                            u"order.lines[%1].%2"_s.arg(i).arg(sku ? u"sku"_s : u"productId"_s));
        line.productId = id;
    }
    return {};
}

Result<OrderContext> loadOrderContext(Database &db, const ContextRequest &request)
{
    IntakeCache cache(request.tenantId);
    return loadOrderContext(db, request, cache);
}

Result<OrderContext> loadOrderContext(Database &db, const ContextRequest &request, IntakeCache &cache)
{
    if (cache.tenantId() != request.tenantId) {
        IntakeCache other(request.tenantId);
        return loadOrderContext(db, request, other);
    }
    IntakeCache::Data &d = cache.data();
    {
        OrderRequest wants;
        wants.accountId = request.accountId;
        wants.warehouseId = request.warehouseId;
        for (const qint64 id : request.productIds)
            wants.lines.push_back(OrderLineRequest{0, id, {}, 0, 0, {}});
        if (auto s = d.load(db, {&wants}); !s) {
            cache.invalidate(); // half-read: forget it
            return s.error();
        }
    }

    OrderContext ctx;
    PricingContext &p = ctx.pricing;
    p.now = request.now.toUTC();
    p.maxLineDiscountBp = request.maxLineDiscountBp;
    p.maxOrderDiscountBp = request.maxOrderDiscountBp;
    if (!d.tenantCurrency)
        return Error::make(ErrorKind::NotFound, u"tenant.not_found"_s, u"This tenant does not exist."_s);
    p.currency = *d.tenantCurrency;

    const std::optional<AccountRow> row = d.accounts.value(request.accountId);
    if (!row)
        return Error{ErrorKind::NotFound,
                     u"account.not_found"_s,
                     u"This account does not exist."_s,
                     {},
                     u"order.accountId"_s};
    p.account = row->account;
    const Account &a = p.account;
    if (a.priceListId != 0) {
        if (const std::optional<QString> currency = d.priceListCurrency.value(a.priceListId))
            p.currency = *currency;
    }

    ctx.warehouseId = request.warehouseId != 0 ? request.warehouseId : row->defaultWarehouse;
    if (ctx.warehouseId == 0)
        return rejected(u"warehouse.required"_s,
                        u"The account has no default warehouse; name one on the order."_s,
                        u"order.warehouseId"_s);
    if (!d.warehouses.value(ctx.warehouseId))
        return rejected(u"warehouse.not_found"_s, u"This warehouse does not exist."_s,
                        u"order.warehouseId"_s);
    p.taxRatesBp = d.taxRatesBp;

    const QHash<qint64, ContractPrice> noContracts;
    const auto contractsIt = d.contracts.constFind(a.id);
    const QHash<qint64, ContractPrice> &contracts = contractsIt != d.contracts.cend() ? *contractsIt : noContracts;
    QSet<qint64> seenPromotions;
    QSet<qint64> done;
    for (const qint64 id : request.productIds) {
        if (done.contains(id))
            continue;
        done.insert(id);
        const std::optional<Product> pr = d.products.value(id);
        if (!pr)
            continue; // unknown: pricing reports it

        if (a.priceListId != 0) {
            std::vector<VolumeTier> list;
            for (const TierRow &t : d.tiers.value({a.priceListId, id})) {
                if (t.validFrom && *t.validFrom > p.now.date())
                    continue; // not valid yet
                list.push_back(VolumeTier{t.minQty, t.unitPriceMinor});
            }
            if (!list.empty())
                p.priceListTiers.insert(id, std::move(list));
        }
        if (const auto c = contracts.constFind(id); c != contracts.cend())
            p.contractPrices.insert(id, *c);
        // promotions WHERE product_id = id OR category_id = the product's category
        for (const qint64 key : {id, pr->categoryId != 0 ? -pr->categoryId : qint64(0)}) {
            const auto candidates = d.promotionsOf.constFind(key);
            if (key == 0 || candidates == d.promotionsOf.cend())
                continue;
            for (const size_t index : *candidates) {
                const Promotion &promo = d.promotions[index];
                if (seenPromotions.contains(promo.id))
                    continue;
                seenPromotions.insert(promo.id);
                p.promotions.push_back(promo);
            }
        }
        if (const auto entry = d.stock.constFind({ctx.warehouseId, id}); entry != d.stock.cend() && entry->exists)
            ctx.validation.stock.insert(id, entry->level);
        p.products.insert(id, *pr);
    }
    return ctx;
}

} // namespace outpost::server
