// PricingRepository and StockRepository: the contexts the domain prices and validates with,
// loaded from the replica, price an order exactly as hand arithmetic (and the domain) expects.
#include "fixtures.h"

#include "domain/pricing.h"
#include "domain/rules.h"

#include <QTest>

using namespace outpost;
using namespace outpost::storage;
using namespace outpost::storage::testing;

class TestStoragePricing : public QObject
{
    Q_OBJECT

    std::unique_ptr<Database> m_db;
    const QDateTime m_now = utc(u"2026-11-23T10:00:00Z"_s);

private slots:
    void init()
    {
        m_db = openMigrated();
        seedSample(*m_db);
        PricingRepository pricing(*m_db);
        // TRADE breaks for the olive oil: 1+ 23.00, 10+ 22.00, 50+ 20.00 only from 2027.
        QVERIFY(pricing
                    .upsertPriceListEntries({{1, 1, 1, 1, 2300, std::nullopt, 5},
                                             {2, 1, 1, 10, 2200, QDate(2026, 1, 1), 5},
                                             {3, 1, 1, 50, 2000, QDate(2027, 1, 1), 5}})
                    .ok());
        // Acme's contract for sunflower oil: 3.00 during 2026; another account's contract is ignored.
        QVERIFY(pricing
                    .upsertContractPrices({{1, 10, 2, 300, QDate(2026, 1, 1), QDate(2026, 12, 31), 5},
                                           {2, 11, 2, 100, std::nullopt, std::nullopt, 5}})
                    .ok());
        PromotionRow dairy;
        dairy.id = 1;
        dairy.code = u"DAIRY10"_s;
        dairy.name = u"Dairy week"_s;
        dairy.categoryId = 2;
        dairy.kind = u"percent"_s;
        dairy.value = 1000;
        dairy.startsAt = utc(u"2026-11-20T00:00:00Z"_s);
        dairy.endsAt = utc(u"2026-11-27T00:00:00Z"_s);
        PromotionRow expired;
        expired.id = 2;
        expired.code = u"OIL5"_s;
        expired.name = u"Oil deal"_s;
        expired.productId = 1;
        expired.kind = u"amount"_s;
        expired.value = 500;
        expired.startsAt = utc(u"2026-11-01T00:00:00Z"_s);
        expired.endsAt = utc(u"2026-11-22T00:00:00Z"_s);
        QVERIFY(pricing.upsertPromotions({dairy, expired}).ok());
        StockRepository stock(*m_db);
        QVERIFY(stock
                    .upsertLevels({{1, 1, 1, 40, 5, utc(u"2026-11-23T06:00:00Z"_s), 6},
                                   {2, 2, 1, 7, 0, utc(u"2026-11-22T06:00:00Z"_s), 6},
                                   {3, 1, 3, 3, 3, utc(u"2026-11-23T06:00:00Z"_s), 6}})
                    .ok());
    }

    void contextCarriesTheAccountsData()
    {
        auto ctx = PricingRepository(*m_db).loadPricingContext(10, {1, 2, 3, 999}, m_now, 1000, 500);
        QVERIFY2(ctx.ok(), qPrintable(ctx.ok() ? QString() : ctx.error().detail));
        QCOMPARE(ctx->currency, u"GBP"_s);
        QCOMPARE(ctx->now, m_now);
        QCOMPARE(ctx->account.code, u"ACME-001"_s);
        QCOMPARE(ctx->account.priceListId, 1);
        QVERIFY(ctx->account.hasCreditLimit);
        QCOMPARE(ctx->account.creditLimitMinor, 500000);
        QCOMPARE(ctx->account.openBalanceMinor, 1000);
        QCOMPARE(ctx->products.size(), 3); // 999 unknown: left out
        QCOMPARE(ctx->products.value(3).taxClass, u"ZERO"_s);
        QCOMPARE(ctx->products.value(3).casePack, 6);
        const auto tiers = ctx->priceListTiers.value(1);
        QCOMPARE(tiers.size(), size_t(2)); // the 2027 break is not in force
        QCOMPARE(tiers[0].minQty, 1);
        QCOMPARE(tiers[1].unitPriceMinor, 2200);
        QCOMPARE(ctx->contractPrices.size(), 1);
        QCOMPARE(ctx->contractPrices.value(2).unitPriceMinor, 300);
        QCOMPARE(ctx->contractPrices.value(2).validTo, std::optional<QDate>(QDate(2026, 12, 31)));
        QCOMPARE(ctx->promotions.size(), size_t(1)); // the expired one is not a candidate
        QCOMPARE(ctx->promotions[0].code, u"DAIRY10"_s);
        QCOMPARE(ctx->promotions[0].kind, Promotion::Kind::PercentOff);
        QCOMPARE(ctx->taxRatesBp.value(u"STD"_s), 2000);
        QCOMPARE(ctx->maxLineDiscountBp, 1000);
        QCOMPARE(ctx->maxOrderDiscountBp, 500);
    }

    void replicaPricesAsTheDomainExpects()
    {
        auto ctx = PricingRepository(*m_db).loadPricingContext(10, {1, 2, 3}, m_now, 1000, 500);
        QVERIFY(ctx.ok());
        OrderInput order;
        order.accountId = 10;
        order.warehouseId = 1;
        order.lines = {{1, 1, 12, 0}, {2, 2, 5, 0}, {3, 3, 6, 0}};
        const PricedOrder priced = priceOrder(*ctx, order);
        QCOMPARE(priced.currency, u"GBP"_s);
        QCOMPARE(priced.lines.size(), size_t(3));
        // 12 x 22.00 (tier from 10) = 264.00, VAT 20 % 52.80
        QCOMPARE(priced.lines[0].unitPriceMinor, 2200);
        QCOMPARE(priced.lines[0].why.source, PriceExplanation::Source::PriceListTier);
        QCOMPARE(priced.lines[0].why.tierMinQty, 10);
        QCOMPARE(priced.lines[0].taxMinor, 5280);
        QCOMPARE(priced.lines[0].totalMinor, 31680);
        // 5 x 3.00 contract = 15.00, VAT 3.00
        QCOMPARE(priced.lines[1].unitPriceMinor, 300);
        QCOMPARE(priced.lines[1].why.source, PriceExplanation::Source::Contract);
        QCOMPARE(priced.lines[1].totalMinor, 1800);
        // 6 x (1.89 - 10 % = 0.19 off) 1.70 = 10.20, zero rated
        QCOMPARE(priced.lines[2].baseUnitPriceMinor, 189);
        QCOMPARE(priced.lines[2].unitPriceMinor, 170);
        QCOMPARE(priced.lines[2].why.promotionCode, u"DAIRY10"_s);
        QCOMPARE(priced.lines[2].totalMinor, 1020);
        QCOMPARE(priced.totals.grossMinor, 28920);
        QCOMPARE(priced.totals.taxMinor, 5580);
        QCOMPARE(priced.totals.totalMinor, 34500);
    }

    void accountWithoutPriceListUsesTenantCurrency()
    {
        PricingRepository pricing(*m_db);
        auto unknown = pricing.loadPricingContext(11, {2}, m_now, 0, 0);
        QCOMPARE(unknown.error().code, u"storage.currency_unknown"_s);
        QVERIFY(pricing.setTenantCurrency(u"EUR"_s).ok());
        auto ctx = pricing.loadPricingContext(11, {2}, m_now, 0, 0);
        QVERIFY(ctx.ok());
        QCOMPARE(ctx->currency, u"EUR"_s);
        QVERIFY(!ctx->account.hasCreditLimit);
        QCOMPARE(ctx->contractPrices.value(2).unitPriceMinor, 100); // its own contract
        QCOMPARE(pricing.setTenantCurrency(u"euro"_s).error().code, u"storage.invalid_currency"_s);
    }

    void badRequestsAreRefused_data()
    {
        QTest::addColumn<qint64>("accountId");
        QTest::addColumn<bool>("validTime");
        QTest::addColumn<qint64>("maxLineBp");
        QTest::addColumn<QString>("code");
        QTest::newRow("unknownAccount") << qint64(999) << true << qint64(0) << u"storage.account_not_found"_s;
        QTest::newRow("invalidTime") << qint64(10) << false << qint64(0) << u"storage.invalid_time"_s;
        QTest::newRow("negativeAllowance")
            << qint64(10) << true << qint64(-1) << u"storage.invalid_allowance"_s;
    }

    void badRequestsAreRefused()
    {
        QFETCH(qint64, accountId);
        QFETCH(bool, validTime);
        QFETCH(qint64, maxLineBp);
        QFETCH(QString, code);
        auto ctx = PricingRepository(*m_db).loadPricingContext(accountId, {1},
                                                               validTime ? m_now : QDateTime(), maxLineBp, 0);
        QVERIFY(!ctx.ok());
        QCOMPARE(ctx.error().code, code);
    }

    void badPricingRowsChangeNothing_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("code");
        QTest::newRow("promotionWithoutTarget") << 0 << u"storage.invalid_promotion_target"_s;
        QTest::newRow("promotionUnknownKind") << 1 << u"storage.invalid_promotion_kind"_s;
        QTest::newRow("promotionEndsBeforeStart") << 2 << u"storage.invalid_period"_s;
        QTest::newRow("percentOver100") << 3 << u"storage.invalid_promotion_value"_s;
    }

    void badPricingRowsChangeNothing()
    {
        QFETCH(int, which);
        QFETCH(QString, code);
        PromotionRow p;
        p.id = 9;
        p.code = u"BAD"_s;
        p.productId = 1;
        p.kind = u"percent"_s;
        p.value = 100;
        p.startsAt = m_now;
        p.endsAt = m_now.addDays(1);
        switch (which) {
        case 0:
            p.productId = 0;
            break;
        case 1:
            p.kind = u"bogo"_s;
            break;
        case 2:
            p.endsAt = m_now.addDays(-1);
            break;
        case 3:
            p.value = 10001;
            break;
        }
        Status s = PricingRepository(*m_db).upsertPromotions({p});
        QCOMPARE(s.error().code, code);
        QCOMPARE(scalar(*m_db, "SELECT count(*) FROM promotions"), 2);
    }

    void stockLevelsPerWarehouse()
    {
        auto levels = StockRepository(*m_db).levelsForProduct(1);
        QVERIFY(levels.ok());
        QCOMPARE(levels->size(), 2);
        QCOMPARE(levels->at(0).warehouseCode, u"MAIN"_s);
        QCOMPARE(levels->at(0).atp, 35);
        QCOMPARE(levels->at(0).asOf, utc(u"2026-11-23T06:00:00Z"_s));
        QCOMPARE(levels->at(1).warehouseCode, u"NORTH"_s);
        QCOMPARE(levels->at(1).atp, 7);
    }

    void validationContextForTheOrdersWarehouse()
    {
        StockRepository stock(*m_db);
        auto ctx = stock.validationContext(1, {1, 2, 3}, m_now);
        QVERIFY(ctx.ok());
        QVERIFY(ctx->checkStock);
        QCOMPARE(ctx->stock.size(), 2); // product 2 has no row: ATP 0 for the rules
        QCOMPARE(ctx->stock.value(1).atp(), 35);
        QCOMPARE(ctx->stock.value(3).atp(), 0);
        auto fresh = stock.validationContext(1, {1, 3}, m_now, std::chrono::hours(12));
        QVERIFY(fresh->checkStock);
        auto stale = stock.validationContext(2, {1}, m_now, std::chrono::hours(12));
        QVERIFY(!stale->checkStock); // counted 28 h ago
        QCOMPARE(stock.validationContext(0, {1}).error().code, u"storage.invalid_warehouse"_s);
    }
};

QTEST_GUILESS_MAIN(TestStoragePricing)
#include "tst_storage_pricing.moc"
