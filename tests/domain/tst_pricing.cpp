#include "domain/pricing.h"
#include "domain_fixtures.h"

#include <QTest>

using namespace outpost;
using namespace outpost::fixtures;
using namespace Qt::Literals::StringLiterals;

using Tiers = std::vector<VolumeTier>;
using Promotions = std::vector<Promotion>;
Q_DECLARE_METATYPE(Tiers)
Q_DECLARE_METATYPE(Promotions)

namespace {

Promotion promo(qint64 id, Promotion::Kind kind, qint64 value, qint64 minQty = 1, qint64 productId = 1,
                qint64 categoryId = 0, const QString &starts = u"2024-05-01T00:00:00Z"_s,
                const QString &ends = u"2024-06-01T00:00:00Z"_s)
{
    Promotion p;
    p.id = id;
    p.code = u"P%1"_s.arg(id);
    p.kind = kind;
    p.value = value;
    p.minQty = minQty;
    p.productId = productId;
    p.categoryId = categoryId;
    p.startsAt = starts.isEmpty() ? QDateTime() : at(starts);
    p.endsAt = ends.isEmpty() ? QDateTime() : at(ends);
    return p;
}

constexpr auto Pct = Promotion::Kind::PercentOff;
constexpr auto Amt = Promotion::Kind::AmountOff;

} // namespace

class TstPricing : public QObject
{
    Q_OBJECT

private slots:
    void unitPriceResolution_data()
    {
        QTest::addColumn<qint64>("quantity");
        QTest::addColumn<qint64>("contractPrice"); // 0 = no contract
        QTest::addColumn<QString>("contractFrom");
        QTest::addColumn<QString>("contractTo");
        QTest::addColumn<QString>("now");
        QTest::addColumn<Tiers>("tiers");
        QTest::addColumn<Promotions>("promotions");
        QTest::addColumn<qint64>("base");
        QTest::addColumn<qint64>("unit");
        QTest::addColumn<QString>("source");
        QTest::addColumn<qint64>("tierMinQty");
        QTest::addColumn<QString>("promotionCode");

        const QString now = u"2024-05-15T10:00:00Z"_s;
        const Tiers three{{1, 1000}, {10, 950}, {50, 900}};
        QTest::newRow("listOnly") << qint64(1) << qint64(0) << QString() << QString() << now << Tiers{}
                                  << Promotions{} << qint64(1000) << qint64(1000) << u"list"_s << qint64(0)
                                  << QString();
        QTest::newRow("tierLargestMinQtyAtOrBelow")
            << qint64(49) << qint64(0) << QString() << QString() << now << three << Promotions{}
            << qint64(950) << qint64(950) << u"tier"_s << qint64(10) << QString();
        QTest::newRow("tiersInAnyOrder")
            << qint64(50) << qint64(0) << QString() << QString() << now
            << Tiers{{50, 900}, {1, 1000}, {10, 950}} << Promotions{} << qint64(900) << qint64(900)
            << u"tier"_s << qint64(50) << QString();
        QTest::newRow("belowFirstTierUsesList")
            << qint64(9) << qint64(0) << QString() << QString() << now << Tiers{{10, 950}} << Promotions{}
            << qint64(1000) << qint64(1000) << u"list"_s << qint64(0) << QString();
        QTest::newRow("contractBeatsTier")
            << qint64(50) << qint64(850) << QString() << QString() << now << three << Promotions{}
            << qint64(850) << qint64(850) << u"contract"_s << qint64(0) << QString();
        QTest::newRow("contractNotYetValid")
            << qint64(1) << qint64(850) << u"2024-05-16"_s << QString() << now << Tiers{} << Promotions{}
            << qint64(1000) << qint64(1000) << u"list"_s << qint64(0) << QString();
        QTest::newRow("contractValidOnItsLastDay")
            << qint64(1) << qint64(850) << QString() << u"2024-05-15"_s << now << Tiers{} << Promotions{}
            << qint64(850) << qint64(850) << u"contract"_s << qint64(0) << QString();
        QTest::newRow("contractExpired")
            << qint64(1) << qint64(850) << QString() << u"2024-05-14"_s << now << Tiers{} << Promotions{}
            << qint64(1000) << qint64(1000) << u"list"_s << qint64(0) << QString();
        // 23:30 at UTC-2 on the 15th is 01:30 UTC on the 16th: the UTC date decides.
        QTest::newRow("contractDateIsTheUtcDate")
            << qint64(1) << qint64(850) << QString() << u"2024-05-15"_s << u"2024-05-15T23:30:00-02:00"_s
            << Tiers{} << Promotions{} << qint64(1000) << qint64(1000) << u"list"_s << qint64(0) << QString();
        QTest::newRow("percentPromotion") << qint64(1) << qint64(0) << QString() << QString() << now
                                          << Tiers{} << Promotions{promo(1, Pct, 1000)} << qint64(1000)
                                          << qint64(900) << u"list"_s << qint64(0) << u"P1"_s;
        QTest::newRow("amountAbovePriceClampsToZero")
            << qint64(1) << qint64(0) << QString() << QString() << now << Tiers{}
            << Promotions{promo(1, Amt, 1500)} << qint64(1000) << qint64(0) << u"list"_s << qint64(0)
            << u"P1"_s;
        QTest::newRow("zeroReductionNotApplied") << qint64(1) << qint64(0) << QString() << QString() << now
                                                 << Tiers{} << Promotions{promo(1, Pct, 0)} << qint64(1000)
                                                 << qint64(1000) << u"list"_s << qint64(0) << QString();
        QTest::newRow("promotionForAnotherProduct")
            << qint64(1) << qint64(0) << QString() << QString() << now << Tiers{}
            << Promotions{promo(1, Pct, 1000, 1, 2)} << qint64(1000) << qint64(1000) << u"list"_s << qint64(0)
            << QString();
        QTest::newRow("categoryPromotion")
            << qint64(1) << qint64(0) << QString() << QString() << now << Tiers{}
            << Promotions{promo(1, Amt, 250, 1, 0, 10)} << qint64(1000) << qint64(750) << u"list"_s
            << qint64(0) << u"P1"_s;
        QTest::newRow("categoryPromotionOtherCategory")
            << qint64(1) << qint64(0) << QString() << QString() << now << Tiers{}
            << Promotions{promo(1, Amt, 250, 1, 0, 20)} << qint64(1000) << qint64(1000) << u"list"_s
            << qint64(0) << QString();
        QTest::newRow("openEndedPromotion")
            << qint64(1) << qint64(0) << QString() << QString() << now << Tiers{}
            << Promotions{promo(1, Pct, 500, 1, 1, 0, QString(), QString())} << qint64(1000) << qint64(950)
            << u"list"_s << qint64(0) << u"P1"_s;
        QTest::newRow("promotionNotStarted")
            << qint64(1) << qint64(0) << QString() << QString() << now << Tiers{}
            << Promotions{promo(1, Pct, 500, 1, 1, 0, u"2024-05-15T10:00:01Z"_s, QString())} << qint64(1000)
            << qint64(1000) << u"list"_s << qint64(0) << QString();
        QTest::newRow("promotionEndsExclusive")
            << qint64(1) << qint64(0) << QString() << QString() << now << Tiers{}
            << Promotions{promo(1, Pct, 500, 1, 1, 0, QString(), u"2024-05-15T10:00:00Z"_s)} << qint64(1000)
            << qint64(1000) << u"list"_s << qint64(0) << QString();
        QTest::newRow("promotionOnTierRoundsHalfUp")
            << qint64(10) << qint64(0) << QString() << QString() << now << Tiers{{10, 955}}
            << Promotions{promo(1, Pct, 1000)} << qint64(955) << qint64(859) << u"tier"_s << qint64(10)
            << u"P1"_s;
        QTest::newRow("promotionMinQtyNotReached")
            << qint64(4) << qint64(0) << QString() << QString() << now << Tiers{}
            << Promotions{promo(1, Pct, 1000, 5)} << qint64(1000) << qint64(1000) << u"list"_s << qint64(0)
            << QString();
        QTest::newRow("noPromotionOnContract") << qint64(1) << qint64(850) << QString() << QString() << now
                                               << Tiers{} << Promotions{promo(1, Pct, 5000)} << qint64(850)
                                               << qint64(850) << u"contract"_s << qint64(0) << QString();
        QTest::newRow("largestReductionWins")
            << qint64(1) << qint64(0) << QString() << QString() << now << Tiers{}
            << Promotions{promo(1, Pct, 1000), promo(2, Amt, 150), promo(3, Pct, 1200)} << qint64(1000)
            << qint64(850) << u"list"_s << qint64(0) << u"P2"_s;
        QTest::newRow("tieGoesToLowestId")
            << qint64(1) << qint64(0) << QString() << QString() << now << Tiers{}
            << Promotions{promo(9, Amt, 100), promo(4, Pct, 1000), promo(7, Amt, 100)} << qint64(1000)
            << qint64(900) << u"list"_s << qint64(0) << u"P4"_s;
    }

    void unitPriceResolution()
    {
        QFETCH(qint64, quantity);
        QFETCH(qint64, contractPrice);
        QFETCH(QString, contractFrom);
        QFETCH(QString, contractTo);
        QFETCH(QString, now);
        QFETCH(Tiers, tiers);
        QFETCH(Promotions, promotions);
        PricingContext ctx = baseContext();
        ctx.now = at(now);
        QVERIFY(ctx.now.isValid());
        ctx.account.priceListId = 7;
        if (contractPrice > 0) {
            ContractPrice c;
            c.productId = 1;
            c.unitPriceMinor = contractPrice;
            if (!contractFrom.isEmpty())
                c.validFrom = QDate::fromString(contractFrom, Qt::ISODate);
            if (!contractTo.isEmpty())
                c.validTo = QDate::fromString(contractTo, Qt::ISODate);
            ctx.contractPrices.insert(1, c);
        }
        if (!tiers.empty())
            ctx.priceListTiers.insert(1, tiers);
        ctx.promotions = promotions;

        const PricedLine pl = priceLine(ctx, lineOf(1, 1, quantity));
        QTEST(pl.baseUnitPriceMinor, "base");
        QTEST(pl.unitPriceMinor, "unit");
        QTEST(PriceExplanation::sourceName(pl.why.source), "source");
        QTEST(pl.why.tierMinQty, "tierMinQty");
        QTEST(pl.why.promotionCode, "promotionCode");
        QCOMPARE(pl.why.promotionUnitReductionMinor, pl.baseUnitPriceMinor - pl.unitPriceMinor);
        QCOMPARE(pl.why.priceListId, pl.why.source == PriceExplanation::Source::PriceListTier ? 7 : 0);
        QCOMPARE(pl.grossMinor, pl.unitPriceMinor * quantity);
    }

    void lineAmounts_data()
    {
        QTest::addColumn<qint64>("quantity");
        QTest::addColumn<qint64>("discountBp");
        QTest::addColumn<qint64>("orderDiscountBp");
        QTest::addColumn<QString>("taxClass");
        QTest::addColumn<bool>("exempt");
        QTest::addColumn<QList<qint64>>("amounts"); // gross, lineDiscount, net, orderDiscount, tax, total
        QTest::addColumn<QStringList>("findings");
        // list 10.00, STD 20 %, allowances 10 % line / 5 % order
        QTest::newRow("plain") << qint64(3) << qint64(0) << qint64(0) << u"STD"_s << false
                               << QList<qint64>{3000, 0, 3000, 0, 600, 3600} << QStringList{};
        QTest::newRow("discountWithinCap") << qint64(3) << qint64(1000) << qint64(0) << u"STD"_s << false
                                           << QList<qint64>{3000, 300, 2700, 0, 540, 3240} << QStringList{};
        QTest::newRow("discountCapped")
            << qint64(3) << qint64(1500) << qint64(0) << u"STD"_s << false
            << QList<qint64>{3000, 300, 2700, 0, 540, 3240} << QStringList{u"discount.capped:warning@1"_s};
        QTest::newRow("negativeDiscountAppliesNothing")
            << qint64(3) << qint64(-100) << qint64(0) << u"STD"_s << false
            << QList<qint64>{3000, 0, 3000, 0, 600, 3600} << QStringList{};
        QTest::newRow("discountOver100PercentAppliesNothing")
            << qint64(3) << qint64(20000) << qint64(0) << u"STD"_s << false
            << QList<qint64>{3000, 0, 3000, 0, 600, 3600} << QStringList{};
        // 2700 * 5 % = 135; taxable 2565; tax 513
        QTest::newRow("lineThenOrderDiscount")
            << qint64(3) << qint64(1000) << qint64(500) << u"STD"_s << false
            << QList<qint64>{3000, 300, 2700, 135, 513, 3078} << QStringList{};
        QTest::newRow("orderDiscountCapped")
            << qint64(3) << qint64(0) << qint64(900) << u"STD"_s << false
            << QList<qint64>{3000, 0, 3000, 150, 570, 3420} << QStringList{u"discount.capped:warning@0"_s};
        QTest::newRow("untaxedClass") << qint64(3) << qint64(0) << qint64(0) << QString() << false
                                      << QList<qint64>{3000, 0, 3000, 0, 0, 3000} << QStringList{};
        QTest::newRow("unknownTaxClass")
            << qint64(3) << qint64(0) << qint64(0) << u"LUX"_s << false
            << QList<qint64>{3000, 0, 3000, 0, 0, 3000} << QStringList{u"tax.class_unknown:error@1"_s};
        QTest::newRow("exemptIgnoresUnknownTaxClass")
            << qint64(3) << qint64(0) << qint64(0) << u"LUX"_s << true
            << QList<qint64>{3000, 0, 3000, 0, 0, 3000} << QStringList{};
        QTest::newRow("exemptPaysNoTax") << qint64(3) << qint64(0) << qint64(0) << u"STD"_s << true
                                         << QList<qint64>{3000, 0, 3000, 0, 0, 3000} << QStringList{};
        QTest::newRow("zeroQuantityZeroAmounts") << qint64(0) << qint64(0) << qint64(0) << u"STD"_s << false
                                                 << QList<qint64>{0, 0, 0, 0, 0, 0} << QStringList{};
        QTest::newRow("tooLargeQuantityZeroAmounts")
            << kMaxQuantity + 1 << qint64(0) << qint64(0) << u"STD"_s << false
            << QList<qint64>{0, 0, 0, 0, 0, 0} << QStringList{};
        QTest::newRow("maxQuantity") << kMaxQuantity << qint64(0) << qint64(0) << u"STD"_s << false
                                     << QList<qint64>{1'000'000'000, 0, 1'000'000'000, 0, 200'000'000,
                                                      1'200'000'000}
                                     << QStringList{};
    }

    void lineAmounts()
    {
        QFETCH(qint64, quantity);
        QFETCH(qint64, discountBp);
        QFETCH(qint64, orderDiscountBp);
        QFETCH(QString, taxClass);
        QFETCH(bool, exempt);
        QFETCH(QList<qint64>, amounts);
        QFETCH(QStringList, findings);
        PricingContext ctx = baseContext();
        ctx.products[1].taxClass = taxClass;
        ctx.account.taxExempt = exempt;
        OrderInput order;
        order.lines = {lineOf(1, 1, quantity, discountBp)};
        order.orderDiscountBp = orderDiscountBp;

        const PricedOrder p = priceOrder(ctx, order);
        QCOMPARE(p.lines.size(), size_t(1));
        const PricedLine &l = p.lines.front();
        QCOMPARE((QList<qint64>{l.grossMinor, l.lineDiscountMinor, l.netMinor, l.orderDiscountMinor,
                                l.taxMinor, l.totalMinor}),
                 amounts);
        QCOMPARE(l.taxableMinor, l.netMinor - l.orderDiscountMinor);
        QCOMPARE(describe(p.findings), findings);
        QCOMPARE(p.totals.totalMinor, l.totalMinor);
        QCOMPARE(p.currency, u"GBP"_s);
    }

    void unknownProductIsLeftOutAndReported()
    {
        PricingContext ctx = baseContext();
        OrderInput order;
        order.lines = {lineOf(1, 99, 2), lineOf(2, 1, 2)};
        const PricedOrder p = priceOrder(ctx, order);
        QCOMPARE(p.lines.size(), size_t(1));
        QCOMPARE(p.lines.front().lineNo, 2);
        QCOMPARE(describe(p.findings), QStringList{u"product.unknown:error@1"_s});
        QVERIFY(p.findings.front().message.contains(u"99"_s));
        QCOMPARE(p.totals.grossMinor, 2000);
    }

    void totalsAreSumsOfLines()
    {
        PricingContext ctx = baseContext();
        ctx.products.insert(2, makeProduct(2, u"SUGAR"_s, 1234, u"RED"_s));
        ctx.taxRatesBp.insert(u"RED"_s, 500);
        OrderInput order;
        order.lines = {lineOf(1, 1, 3, 700), lineOf(2, 2, 7, 300), lineOf(3, 1, 1)};
        order.orderDiscountBp = 250;
        const PricedOrder p = priceOrder(ctx, order);
        OrderTotals sum;
        for (const PricedLine &l : p.lines) {
            sum.grossMinor += l.grossMinor;
            sum.lineDiscountMinor += l.lineDiscountMinor;
            sum.netMinor += l.netMinor;
            sum.orderDiscountMinor += l.orderDiscountMinor;
            sum.taxableMinor += l.taxableMinor;
            sum.taxMinor += l.taxMinor;
            sum.totalMinor += l.totalMinor;
        }
        QCOMPARE(p.totals.grossMinor, sum.grossMinor);
        QCOMPARE(p.totals.lineDiscountMinor, sum.lineDiscountMinor);
        QCOMPARE(p.totals.netMinor, sum.netMinor);
        QCOMPARE(p.totals.orderDiscountMinor, sum.orderDiscountMinor);
        QCOMPARE(p.totals.taxableMinor, sum.taxableMinor);
        QCOMPARE(p.totals.taxMinor, sum.taxMinor);
        QCOMPARE(p.totals.totalMinor, sum.totalMinor);
        QCOMPARE(p.appliedOrderDiscountBp, 250);
        // line 2: 7 x 1234 = 8638; 3 % = 259.14 -> 259; net 8379; 2.5 % = 209.475 -> 209; taxable 8170;
        // 5 % = 408.5 -> 409; total 8579
        QCOMPARE(p.lines[1].totalMinor, 8579);
    }

    void priceLineIgnoresManualDiscount()
    {
        const PricedLine pl = priceLine(baseContext(), lineOf(1, 1, 3, 500));
        QCOMPARE(pl.grossMinor, 3000);
        QCOMPARE(pl.lineDiscountMinor, 0);
        QCOMPARE(pl.taxMinor, 600);
        QCOMPARE(pl.totalMinor, 3600);
    }

    void priceLineUnknownProductIsZero()
    {
        const PricedLine pl = priceLine(baseContext(), lineOf(1, 42, 3));
        QCOMPARE(pl.productId, 42);
        QCOMPARE(pl.unitPriceMinor, 0);
        QCOMPARE(pl.totalMinor, 0);
    }

    void explanationText_data()
    {
        QTest::addColumn<int>("source");
        QTest::addColumn<int>("promotionKind"); // -1 none
        QTest::addColumn<qint64>("promotionValue");
        QTest::addColumn<qint64>("requestedBp");
        QTest::addColumn<qint64>("appliedBp");
        QTest::addColumn<QString>("expected");
        QTest::newRow("contract") << int(PriceExplanation::Source::Contract) << -1 << qint64(0) << qint64(0)
                                  << qint64(0) << u"Contract price"_s;
        QTest::newRow("tier") << int(PriceExplanation::Source::PriceListTier) << -1 << qint64(0) << qint64(0)
                              << qint64(0) << u"Price list tier from 10"_s;
        QTest::newRow("listWithPercentPromotion")
            << int(PriceExplanation::Source::ListPrice) << int(Pct) << qint64(1000) << qint64(0) << qint64(0)
            << u"List price; promotion SPRING10 -10.00%"_s;
        QTest::newRow("listWithAmountPromotionAndDiscount")
            << int(PriceExplanation::Source::ListPrice) << int(Amt) << qint64(50) << qint64(500)
            << qint64(500) << u"List price; promotion SPRING10 -0.50 GBP; discount 5.00%"_s;
        QTest::newRow("cappedDiscount")
            << int(PriceExplanation::Source::PriceListTier) << -1 << qint64(0) << qint64(1250) << qint64(1000)
            << u"Price list tier from 10; discount 10.00% (requested 12.50%)"_s;
    }

    void explanationText()
    {
        QFETCH(int, source);
        QFETCH(int, promotionKind);
        QFETCH(qint64, promotionValue);
        QFETCH(qint64, requestedBp);
        QFETCH(qint64, appliedBp);
        PriceExplanation why;
        why.source = PriceExplanation::Source(source);
        why.tierMinQty = 10;
        why.currency = u"GBP"_s;
        if (promotionKind >= 0) {
            why.promotionId = 1;
            why.promotionCode = u"SPRING10"_s;
            why.promotionKind = Promotion::Kind(promotionKind);
            why.promotionValue = promotionValue;
        }
        why.requestedDiscountBp = requestedBp;
        why.appliedDiscountBp = appliedBp;
        QTEST(why.text(), "expected");
    }

    void listBaseTierSaysPriceList()
    {
        // The break from 1 is the list's base price: no "tier from 1" wording for it.
        PriceExplanation why;
        why.source = PriceExplanation::Source::PriceListTier;
        why.currency = u"GBP"_s;
        why.tierMinQty = 1;
        QCOMPARE(why.text(), u"Price list"_s);
        why.tierMinQty = 2;
        QCOMPARE(why.text(), u"Price list tier from 2"_s);
    }

    void sourceNamesAreStable()
    {
        QCOMPARE(PriceExplanation::sourceName(PriceExplanation::Source::Contract), u"contract"_s);
        QCOMPARE(PriceExplanation::sourceName(PriceExplanation::Source::PriceListTier), u"tier"_s);
        QCOMPARE(PriceExplanation::sourceName(PriceExplanation::Source::ListPrice), u"list"_s);
    }
};

QTEST_GUILESS_MAIN(TstPricing)
#include "tst_pricing.moc"
