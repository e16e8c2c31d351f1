// The device prices like the golden: each golden case's context is written into a fresh replica
// through the repositories, loaded back with loadPricingContext / the stock repository, and run
// through the domain; the result must match the case's expectations exactly.
#include "fixtures.h"

#include "domain/outcome.h"
#include "domain/pricing.h"
#include "domain/rules.h"
#include "tests/support/golden.h"

#include <QSet>
#include <QTest>

using namespace outpost;
using namespace outpost::storage;
using namespace outpost::storage::testing;

namespace {

QString orFallback(const QString &value, const QString &fallback)
{
    return value.trimmed().isEmpty() ? fallback : value;
}

// Writes the case's context into the replica; returns the first failure.
Status writeCase(Database &db, const test::GoldenCase &c)
{
    const PricingContext &ctx = c.pricing;
    CatalogRepository catalog(db);
    PricingRepository pricing(db);
    AccountRepository accounts(db);
    StockRepository stock(db);
    auto tx = Transaction::begin(db);
    if (!tx)
        return tx.error();

    QHash<QString, qint64> taxIds;
    QList<TaxClassRow> taxRows;
    for (auto it = ctx.taxRatesBp.cbegin(); it != ctx.taxRatesBp.cend(); ++it) {
        const qint64 id = taxRows.size() + 1;
        taxIds.insert(it.key(), id);
        taxRows.append({id, it.key(), it.key(), it.value(), 1});
    }
    QSet<qint64> categoryIds;
    for (const Product &p : ctx.products)
        if (p.categoryId > 0)
            categoryIds.insert(p.categoryId);
    for (const Promotion &p : ctx.promotions)
        if (p.categoryId > 0)
            categoryIds.insert(p.categoryId);
    QList<CategoryRow> categoryRows;
    for (qint64 id : categoryIds)
        categoryRows.append({id, u"CAT%1"_s.arg(id), u"Category %1"_s.arg(id), 0, 1});
    QList<ProductRow> productRows;
    for (const Product &p : ctx.products) {
        ProductRow r;
        r.id = p.id;
        r.sku = orFallback(p.sku, u"SKU%1"_s.arg(p.id));
        r.name = orFallback(p.name, r.sku);
        r.categoryId = p.categoryId;
        r.uom = p.uom;
        r.casePack = p.casePack;
        r.moq = p.moq;
        r.taxClassId = taxIds.value(p.taxClass, 0);
        r.listPriceMinor = p.listPriceMinor;
        r.discontinued = p.discontinued;
        r.backorderAllowed = p.backorderAllowed;
        r.seq = 1;
        productRows.append(r);
    }
    if (Status s = catalog.upsertTaxClasses(taxRows); !s)
        return s;
    if (Status s = catalog.upsertCategories(categoryRows); !s)
        return s;
    if (Status s = catalog.upsertProducts(productRows); !s)
        return s;

    const Account &a = ctx.account;
    if (a.priceListId > 0) {
        if (Status s = pricing.upsertPriceLists(
                {{a.priceListId, u"PL%1"_s.arg(a.priceListId), u"List"_s, ctx.currency, 1}});
            !s)
            return s;
        QList<PriceListEntryRow> entries;
        for (auto it = ctx.priceListTiers.cbegin(); it != ctx.priceListTiers.cend(); ++it) {
            for (const VolumeTier &t : it.value())
                entries.append({entries.size() + 1, a.priceListId, it.key(), t.minQty, t.unitPriceMinor,
                                std::nullopt, 1});
        }
        if (Status s = pricing.upsertPriceListEntries(entries); !s)
            return s;
    }
    if (Status s = pricing.setTenantCurrency(ctx.currency); !s)
        return s;
    AccountRow account;
    account.id = a.id;
    account.code = orFallback(a.code, u"ACC%1"_s.arg(a.id));
    account.name = orFallback(a.name, account.code);
    account.priceListId = a.priceListId;
    account.terms = a.terms;
    account.creditLimitMinor = a.hasCreditLimit ? std::optional<qint64>(a.creditLimitMinor) : std::nullopt;
    account.openBalanceMinor = a.openBalanceMinor;
    account.taxExempt = a.taxExempt;
    account.onHold = a.onHold;
    account.seq = 1;
    if (Status s = accounts.upsertAccounts({account}); !s)
        return s;

    QList<ContractPriceRow> contracts;
    for (const ContractPrice &cp : ctx.contractPrices)
        contracts.append(
            {contracts.size() + 1, a.id, cp.productId, cp.unitPriceMinor, cp.validFrom, cp.validTo, 1});
    if (Status s = pricing.upsertContractPrices(contracts); !s)
        return s;
    QList<PromotionRow> promotions;
    for (const Promotion &p : ctx.promotions) {
        PromotionRow r;
        r.id = p.id;
        r.code = orFallback(p.code, u"PROMO%1"_s.arg(p.id));
        r.name = orFallback(p.name, r.code);
        r.productId = p.productId;
        r.categoryId = p.categoryId;
        r.kind = p.kind == Promotion::Kind::AmountOff ? u"amount"_s : u"percent"_s;
        r.value = p.value;
        r.minQty = p.minQty;
        r.startsAt = p.startsAt;
        r.endsAt = p.endsAt;
        r.seq = 1;
        promotions.append(r);
    }
    if (Status s = pricing.upsertPromotions(promotions); !s)
        return s;

    QSet<qint64> warehouseIds;
    if (c.order.warehouseId > 0)
        warehouseIds.insert(c.order.warehouseId);
    for (const StockLevel &l : c.allStock)
        warehouseIds.insert(l.warehouseId);
    QList<WarehouseRow> warehouses;
    for (qint64 id : warehouseIds)
        warehouses.append({id, u"WH%1"_s.arg(id), u"Warehouse %1"_s.arg(id), 1});
    if (Status s = catalog.upsertWarehouses(warehouses); !s)
        return s;
    QList<StockLevelRow> levels;
    for (const StockLevel &l : c.allStock)
        levels.append({levels.size() + 1, l.warehouseId, l.productId, l.onHand, l.allocated,
                       l.asOf.isValid() ? l.asOf : ctx.now, 1});
    if (Status s = stock.upsertLevels(levels); !s)
        return s;
    return tx->commit();
}

} // namespace

class TestGoldenReplica : public QObject
{
    Q_OBJECT

    std::vector<test::GoldenCase> m_cases;

private slots:
    void initTestCase()
    {
        auto cases = test::loadGoldenCases(test::goldenPricedOrdersPath());
        QVERIFY2(cases.ok(),
                 qPrintable(cases.ok() ? QString() : cases.error().field + u' ' + cases.error().userText));
        m_cases = std::move(cases.value());
        QVERIFY(!m_cases.empty());
    }

    void replicaPricesLikeTheGolden_data()
    {
        QTest::addColumn<int>("index");
        for (size_t i = 0; i < m_cases.size(); ++i)
            QTest::newRow(qPrintable(m_cases[i].name)) << int(i);
    }

    void replicaPricesLikeTheGolden()
    {
        QFETCH(int, index);
        const test::GoldenCase &c = m_cases[size_t(index)];
        auto db = openMigrated();
        Status written = writeCase(*db, c);
        QVERIFY2(written.ok(), qPrintable(written.ok() ? QString()
                                                       : written.error().code + u' ' + written.error().field +
                                                             u' ' + written.error().detail));
        QList<qint64> productIds;
        for (const OrderLineInput &l : c.order.lines)
            productIds.append(l.productId);
        auto pricingCtx = PricingRepository(*db).loadPricingContext(
            c.pricing.account.id, productIds, c.pricing.now, c.pricing.maxLineDiscountBp,
            c.pricing.maxOrderDiscountBp);
        QVERIFY2(pricingCtx.ok(), qPrintable(pricingCtx.ok() ? QString() : pricingCtx.error().code));
        ValidationContext validation;
        if (c.order.warehouseId > 0) {
            auto loaded = StockRepository(*db).validationContext(c.order.warehouseId, productIds);
            QVERIFY(loaded.ok());
            validation = *loaded;
        }
        validation.checkStock = c.validation.checkStock;

        const PricedOrder priced = priceOrder(*pricingCtx, c.order);
        const std::vector<Finding> findings = validateOrder(*pricingCtx, validation, c.order, priced);
        const OrderDecision decision =
            decideOrder(*pricingCtx, validation, c.order.orderDiscountBp, c.submitted);
        const QStringList diffs = test::compareWithExpected(c, priced, findings, decision);
        QVERIFY2(diffs.isEmpty(), qPrintable(diffs.join(u'\n')));
    }
};

QTEST_GUILESS_MAIN(TestGoldenReplica)
#include "tst_golden_replica.moc"
