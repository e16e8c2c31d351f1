#include "domain/outcome.h"
#include "domain_fixtures.h"

#include <QTest>

using namespace outpost;
using namespace outpost::fixtures;
using namespace Qt::Literals::StringLiterals;

namespace {

SubmittedLine submitted(int lineNo, qint64 productId, qint64 quantity, qint64 discountBp = 0,
                        std::optional<qint64> quoted = std::nullopt)
{
    return SubmittedLine{lineOf(lineNo, productId, quantity, discountBp), quoted};
}

// "code:old->new" for each adjustment.
QStringList describe(const std::vector<Adjustment> &adjustments)
{
    QStringList out;
    for (const Adjustment &a : adjustments)
        out << u"%1:%2->%3"_s.arg(a.code).arg(a.oldValue).arg(a.newValue);
    return out;
}

QStringList toList(const std::vector<QString> &v)
{
    return QStringList(v.begin(), v.end());
}

} // namespace

class TstOutcome : public QObject
{
    Q_OBJECT

private slots:
    void singleLine_data()
    {
        QTest::addColumn<qint64>("quantity");
        QTest::addColumn<qint64>("casePack");
        QTest::addColumn<qint64>("moq");
        QTest::addColumn<bool>("backorderAllowed");
        QTest::addColumn<bool>("discontinued");
        QTest::addColumn<qint64>("atp");
        QTest::addColumn<qint64>("discountBp");
        QTest::addColumn<qint64>("quoted"); // -1 = nothing quoted
        QTest::addColumn<QString>("orderOutcome");
        QTest::addColumn<QString>("lineOutcome");
        QTest::addColumn<qint64>("ship");
        QTest::addColumn<qint64>("backordered");
        QTest::addColumn<QStringList>("adjustments");
        QTest::addColumn<QStringList>("holdReasons");

        auto row = [](const char *name, qint64 q, qint64 pack, qint64 moq, bool bo, bool disc, qint64 atp,
                      qint64 discount, qint64 quoted, const QString &order, const QString &line, qint64 ship,
                      qint64 backordered, const QStringList &adj, const QStringList &hold) {
            QTest::newRow(name) << q << pack << moq << bo << disc << atp << discount << quoted << order
                                << line << ship << backordered << adj << hold;
        };
        const QString acc = u"accepted"_s, adj = u"adjusted"_s, rej = u"rejected"_s, held = u"held"_s;
        row("clean", 5, 1, 1, false, false, 100, 0, -1, acc, acc, 5, 0, {}, {});
        row("caseRounded", 8, 6, 1, false, false, 100, 0, -1, adj, adj, 12, 0,
            {u"quantity.rounded_to_case_pack:8->12"_s}, {});
        row("caseRoundedThenPartialFill", 8, 6, 1, false, false, 10, 0, -1, adj, adj, 10, 0,
            {u"quantity.rounded_to_case_pack:8->12"_s, u"line.partial_fill:12->10"_s}, {});
        row("caseRoundedThenBackorder", 8, 6, 1, true, false, 10, 0, -1, adj, adj, 10, 2,
            {u"quantity.rounded_to_case_pack:8->12"_s, u"line.backordered:0->2"_s}, {});
        row("partialFill", 5, 1, 1, false, false, 3, 0, -1, adj, adj, 3, 0, {u"line.partial_fill:5->3"_s},
            {});
        row("backorder", 5, 1, 1, true, false, 3, 0, -1, adj, adj, 3, 2, {u"line.backordered:0->2"_s}, {});
        row("backorderEverything", 5, 1, 1, true, false, 0, 0, -1, adj, adj, 0, 5,
            {u"line.backordered:0->5"_s}, {});
        row("unavailable", 5, 1, 1, false, false, 0, 0, -1, rej, rej, 0, 0, {}, {});
        row("priceCorrected", 5, 1, 1, false, false, 100, 0, 990, adj, adj, 5, 0,
            {u"price.corrected:990->1000"_s}, {});
        row("quotedPriceMatches", 5, 1, 1, false, false, 100, 0, 1000, acc, acc, 5, 0, {}, {});
        row("discountCapped", 5, 1, 1, false, false, 100, 1500, -1, adj, adj, 5, 0,
            {u"discount.capped:1500->1000"_s}, {});
        row("belowMoqHeld", 3, 1, 5, false, false, 100, 0, -1, held, acc, 3, 0, {},
            {u"quantity.below_moq"_s});
        row("caseRoundingReachesMoq", 4, 6, 6, false, false, 100, 0, -1, adj, adj, 6, 0,
            {u"quantity.rounded_to_case_pack:4->6"_s}, {});
        row("heldAndAdjusted", 3, 1, 5, false, false, 100, 0, 990, held, adj, 3, 0,
            {u"price.corrected:990->1000"_s}, {u"quantity.below_moq"_s});
        row("discontinued", 5, 1, 1, false, true, 100, 0, -1, rej, rej, 0, 0, {}, {});
        row("zeroQuantity", 0, 1, 1, false, false, 100, 0, -1, rej, rej, 0, 0, {}, {});
        row("tooLargeQuantity", kMaxQuantity + 1, 1, 1, false, false, 100, 0, -1, rej, rej, 0, 0, {}, {});
        row("invalidDiscount", 5, 1, 1, false, false, 100, 20000, -1, rej, rej, 0, 0, {}, {});
    }

    void singleLine()
    {
        QFETCH(qint64, quantity);
        QFETCH(qint64, casePack);
        QFETCH(qint64, moq);
        QFETCH(bool, backorderAllowed);
        QFETCH(bool, discontinued);
        QFETCH(qint64, atp);
        QFETCH(qint64, discountBp);
        QFETCH(qint64, quoted);
        QFETCH(qint64, ship);
        QFETCH(qint64, backordered);
        PricingContext ctx = baseContext();
        Product &p = ctx.products[1];
        p.casePack = casePack;
        p.moq = moq;
        p.backorderAllowed = backorderAllowed;
        p.discontinued = discontinued;
        const std::optional<qint64> quote = quoted < 0 ? std::nullopt : std::optional<qint64>(quoted);

        const OrderDecision d =
            decideOrder(ctx, stockOf({{1, atp}}), 0, {submitted(1, 1, quantity, discountBp, quote)});
        QTEST(outcomeName(d.outcome), "orderOutcome");
        QCOMPARE(d.lines.size(), size_t(1));
        const LineDecision &l = d.lines.front();
        QTEST(outcomeName(l.outcome), "lineOutcome");
        QCOMPARE(l.requestedQuantity, quantity);
        QCOMPARE(l.quantity, ship);
        QCOMPARE(l.backorderedQuantity, backordered);
        QTEST(describe(l.adjustments), "adjustments");
        QTEST(toList(d.holdReasons), "holdReasons");
        QCOMPARE(l.quotedUnitPriceMinor, quote);
        // The line is priced on what stays ordered; a rejected line is all zeros.
        QCOMPARE(l.priced.quantity, ship + backordered);
        QCOMPARE(l.priced.grossMinor, l.priced.unitPriceMinor * (ship + backordered));
        QCOMPARE(d.totals.totalMinor, l.priced.totalMinor);
        if (l.outcome == LineOutcome::Rejected) {
            QVERIFY(hasErrors(l.findings));
            QCOMPARE(l.priced.totalMinor, 0);
        }
        for (const Adjustment &a : l.adjustments)
            QVERIFY2(a.message.contains(u"OIL-1L"_s), qPrintable(a.message));
    }

    void partialFillRepricesTheTier()
    {
        // Tiers 1+:10.00, 10+:9.50. The device quoted 9.50 for 10; only 6 ship, so 10.00 applies.
        PricingContext ctx = baseContext();
        ctx.priceListTiers.insert(1, {{1, 1000}, {10, 950}});
        const OrderDecision d = decideOrder(ctx, stockOf({{1, 6}}), 0, {submitted(1, 1, 10, 0, 950)});
        QCOMPARE(outcomeName(d.outcome), u"adjusted"_s);
        QCOMPARE(describe(d.lines.front().adjustments),
                 (QStringList{u"line.partial_fill:10->6"_s, u"price.corrected:950->1000"_s}));
        QCOMPARE(d.totals.grossMinor, 6000);
    }

    void creditCountsBackorderedQuantity()
    {
        // 5 backordered x 10.00 + 20 % = 60.00 against a 50.00 limit: held.
        PricingContext ctx = baseContext();
        ctx.products[1].backorderAllowed = true;
        ctx.account.creditLimitMinor = 5000;
        const OrderDecision d = decideOrder(ctx, stockOf({{1, 0}}), 0, {submitted(1, 1, 5)});
        QCOMPARE(outcomeName(d.outcome), u"held"_s);
        QCOMPARE(toList(d.holdReasons), QStringList{u"credit.limit_exceeded"_s});
        QCOMPARE(d.totals.totalMinor, 6000);
    }

    void creditExcludesRejectedLines()
    {
        // Line 1 (unavailable) would break the 50.00 limit; only line 2 (12.00) is accepted.
        PricingContext ctx = baseContext();
        ctx.products.insert(2, makeProduct(2, u"SALT"_s, 1000));
        ctx.account.creditLimitMinor = 5000;
        const OrderDecision d =
            decideOrder(ctx, stockOf({{1, 0}, {2, 100}}), 0, {submitted(1, 1, 50), submitted(2, 2, 1)});
        QCOMPARE(outcomeName(d.outcome), u"adjusted"_s);
        QVERIFY(d.holdReasons.empty());
        QCOMPARE(d.totals.totalMinor, 1200);
        QCOMPARE(outcomeName(d.lines[0].outcome), u"rejected"_s);
        QCOMPARE(d.lines[0].priced.totalMinor, 0);
    }

    void approvalOnRejectedLineDoesNotHold()
    {
        PricingContext ctx = baseContext();
        ctx.products[1].moq = 10;
        ctx.products.insert(2, makeProduct(2, u"SALT"_s, 1000));
        const OrderDecision d =
            decideOrder(ctx, stockOf({{1, 0}, {2, 100}}), 0, {submitted(1, 1, 5), submitted(2, 2, 1)});
        QCOMPARE(outcomeName(d.outcome), u"adjusted"_s);
        QVERIFY(d.holdReasons.empty());
        QCOMPARE(describe(d.lines[0].findings),
                 (QStringList{u"quantity.below_moq:approval@1"_s, u"stock.unavailable:error@1"_s}));
    }

    void orderLevelErrorsRejectEveryLine_data()
    {
        QTest::addColumn<bool>("duplicate");
        QTest::addColumn<qint64>("orderDiscountBp");
        QTest::addColumn<QString>("code");
        QTest::newRow("duplicateLineNumbers") << true << qint64(0) << u"order.duplicate_line"_s;
        QTest::newRow("orderDiscountNegative") << false << qint64(-1) << u"discount.invalid"_s;
        QTest::newRow("orderDiscountOver100") << false << qint64(10001) << u"discount.invalid"_s;
    }

    void orderLevelErrorsRejectEveryLine()
    {
        QFETCH(bool, duplicate);
        QFETCH(qint64, orderDiscountBp);
        QFETCH(QString, code);
        const OrderDecision d = decideOrder(baseContext(), stockOf({{1, 100}}), orderDiscountBp,
                                            {submitted(1, 1, 1), submitted(duplicate ? 1 : 2, 1, 1)});
        QCOMPARE(outcomeName(d.outcome), u"rejected"_s);
        QCOMPARE(d.orderFindings.size(), size_t(1));
        QCOMPARE(d.orderFindings.front().code, code);
        for (const LineDecision &l : d.lines) {
            QCOMPARE(outcomeName(l.outcome), u"rejected"_s);
            QCOMPARE(l.quantity, 0);
        }
        QCOMPARE(d.totals.totalMinor, 0);
    }

    void emptyOrderRejected()
    {
        const OrderDecision d = decideOrder(baseContext(), stockOf({}), 0, {});
        QCOMPARE(outcomeName(d.outcome), u"rejected"_s);
        QCOMPARE(describe(d.orderFindings), QStringList{u"order.empty:error@0"_s});
    }

    void unknownTaxClassRejectsLine()
    {
        PricingContext ctx = baseContext();
        ctx.products[1].taxClass = u"LUX"_s;
        const OrderDecision d = decideOrder(ctx, stockOf({{1, 100}}), 0, {submitted(1, 1, 1)});
        QCOMPARE(outcomeName(d.outcome), u"rejected"_s);
        QCOMPARE(describe(d.lines.front().findings), QStringList{u"tax.class_unknown:error@1"_s});
    }

    void orderDiscountSpreadOverAcceptedQuantities()
    {
        // 5 % order discount on 3 shipping of 5 requested: 3000 -> 150 off; taxable 2850; tax 570; total
        // 3420.
        const OrderDecision d = decideOrder(baseContext(), stockOf({{1, 3}}), 500, {submitted(1, 1, 5)});
        QCOMPARE(d.appliedOrderDiscountBp, 500);
        QCOMPARE(d.totals.orderDiscountMinor, 150);
        QCOMPARE(d.totals.totalMinor, 3420);
        QCOMPARE(d.currency, u"GBP"_s);
    }

    void stockCheckSkippedShipsAll()
    {
        ValidationContext v;
        v.checkStock = false;
        const OrderDecision d = decideOrder(baseContext(), v, 0, {submitted(1, 1, 5)});
        QCOMPARE(outcomeName(d.outcome), u"accepted"_s);
        QCOMPARE(d.lines.front().quantity, 5);
    }

    void adjustmentFieldsAndMessages()
    {
        PricingContext ctx = baseContext();
        ctx.products[1].casePack = 6;
        const OrderDecision d = decideOrder(ctx, stockOf({{1, 100}}), 0, {submitted(2, 1, 7, 0, 990)});
        const auto &a = d.lines.front().adjustments;
        QCOMPARE(a.size(), size_t(2));
        QCOMPARE(a[0].field, u"quantity"_s);
        QCOMPARE(a[0].message, u"Line 2 (SKU OIL-1L): quantity 7 rounded up to 12 (case pack 6)."_s);
        QCOMPARE(a[1].field, u"unitPrice"_s);
        QCOMPARE(a[1].message, u"Line 2 (SKU OIL-1L): unit price corrected from 9.90 GBP to 10.00 GBP."_s);
    }

    void outcomeNamesAreStable()
    {
        QCOMPARE(outcomeName(OrderOutcome::Accepted), u"accepted"_s);
        QCOMPARE(outcomeName(OrderOutcome::Adjusted), u"adjusted"_s);
        QCOMPARE(outcomeName(OrderOutcome::Held), u"held"_s);
        QCOMPARE(outcomeName(OrderOutcome::Rejected), u"rejected"_s);
        QCOMPARE(outcomeName(LineOutcome::Accepted), u"accepted"_s);
        QCOMPARE(outcomeName(LineOutcome::Adjusted), u"adjusted"_s);
        QCOMPARE(outcomeName(LineOutcome::Rejected), u"rejected"_s);
    }
};

QTEST_GUILESS_MAIN(TstOutcome)
#include "tst_outcome.moc"
