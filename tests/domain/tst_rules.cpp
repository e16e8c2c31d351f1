#include "domain/rules.h"
#include "domain_fixtures.h"

#include <QTest>

using namespace outpost;
using namespace outpost::fixtures;
using namespace Qt::Literals::StringLiterals;

class TstRules : public QObject
{
    Q_OBJECT

private slots:
    void lineFindings_data()
    {
        QTest::addColumn<qint64>("quantity");
        QTest::addColumn<qint64>("discountBp");
        QTest::addColumn<qint64>("casePack");
        QTest::addColumn<qint64>("moq");
        QTest::addColumn<bool>("discontinued");
        QTest::addColumn<bool>("backorderAllowed");
        QTest::addColumn<qint64>("atp");
        QTest::addColumn<bool>("checkStock");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("clean") << qint64(5) << qint64(0) << qint64(1) << qint64(1) << false << false
                               << qint64(100) << true << QStringList{};
        QTest::newRow("zeroQuantity")
            << qint64(0) << qint64(0) << qint64(1) << qint64(1) << false << false << qint64(100) << true
            << QStringList{u"quantity.not_positive:error@1"_s};
        QTest::newRow("negativeQuantity")
            << qint64(-3) << qint64(0) << qint64(1) << qint64(5) << false << false << qint64(100) << true
            << QStringList{u"quantity.not_positive:error@1"_s};
        QTest::newRow("tooLarge") << kMaxQuantity + 1 << qint64(0) << qint64(1) << qint64(1) << false << false
                                  << qint64(100) << true << QStringList{u"quantity.too_large:error@1"_s};
        QTest::newRow("maxQuantityIsFine") << kMaxQuantity << qint64(0) << qint64(1) << qint64(1) << false
                                           << true << kMaxQuantity << true << QStringList{};
        QTest::newRow("caseRoundingCrossesMax")
            << kMaxQuantity - 1 << qint64(0) << qint64(6) << qint64(1) << false << false << qint64(100)
            << true << QStringList{u"quantity.too_large:error@1"_s};
        QTest::newRow("belowMoq") << qint64(3) << qint64(0) << qint64(1) << qint64(5) << false << false
                                  << qint64(100) << true << QStringList{u"quantity.below_moq:approval@1"_s};
        QTest::newRow("atMoq") << qint64(5) << qint64(0) << qint64(1) << qint64(5) << false << false
                               << qint64(100) << true << QStringList{};
        QTest::newRow("notCaseMultiple")
            << qint64(8) << qint64(0) << qint64(6) << qint64(1) << false << false << qint64(100) << true
            << QStringList{u"quantity.not_case_multiple:warning@1"_s};
        QTest::newRow("moqJudgedAfterCaseRounding")
            << qint64(4) << qint64(0) << qint64(6) << qint64(6) << false << false << qint64(100) << true
            << QStringList{u"quantity.not_case_multiple:warning@1"_s};
        QTest::newRow("stockJudgedAfterCaseRounding")
            << qint64(4) << qint64(0) << qint64(6) << qint64(1) << false << false << qint64(5) << true
            << QStringList{u"quantity.not_case_multiple:warning@1"_s, u"stock.partial:warning@1"_s};
        QTest::newRow("discountNegative")
            << qint64(5) << qint64(-1) << qint64(1) << qint64(1) << false << false << qint64(100) << true
            << QStringList{u"discount.invalid:error@1"_s};
        QTest::newRow("discountOver100")
            << qint64(5) << qint64(10001) << qint64(1) << qint64(1) << false << false << qint64(100) << true
            << QStringList{u"discount.invalid:error@1"_s};
        QTest::newRow("discount100IsValid")
            << qint64(5) << qint64(10000) << qint64(1) << qint64(1) << false << false << qint64(100) << true
            << QStringList{u"discount.capped:warning@1"_s};
        QTest::newRow("discontinued") << qint64(5) << qint64(0) << qint64(1) << qint64(10) << true << false
                                      << qint64(0) << true << QStringList{u"product.discontinued:error@1"_s};
        QTest::newRow("backorder") << qint64(5) << qint64(0) << qint64(1) << qint64(1) << false << true
                                   << qint64(3) << true << QStringList{u"stock.backorder:warning@1"_s};
        QTest::newRow("backorderWithNoStock")
            << qint64(5) << qint64(0) << qint64(1) << qint64(1) << false << true << qint64(0) << true
            << QStringList{u"stock.backorder:warning@1"_s};
        QTest::newRow("partial") << qint64(5) << qint64(0) << qint64(1) << qint64(1) << false << false
                                 << qint64(3) << true << QStringList{u"stock.partial:warning@1"_s};
        QTest::newRow("unavailable") << qint64(5) << qint64(0) << qint64(1) << qint64(1) << false << false
                                     << qint64(0) << true << QStringList{u"stock.unavailable:error@1"_s};
        QTest::newRow("exactlyEnough") << qint64(5) << qint64(0) << qint64(1) << qint64(1) << false << false
                                       << qint64(5) << true << QStringList{};
        QTest::newRow("stockCheckSkipped") << qint64(5) << qint64(0) << qint64(1) << qint64(1) << false
                                           << false << qint64(0) << false << QStringList{};
    }

    void lineFindings()
    {
        QFETCH(qint64, quantity);
        QFETCH(qint64, discountBp);
        QFETCH(qint64, casePack);
        QFETCH(qint64, moq);
        QFETCH(bool, discontinued);
        QFETCH(bool, backorderAllowed);
        QFETCH(qint64, atp);
        QFETCH(bool, checkStock);
        PricingContext ctx = baseContext();
        ctx.account.hasCreditLimit = false; // this table is about lines
        Product &p = ctx.products[1];
        p.casePack = casePack;
        p.moq = moq;
        p.discontinued = discontinued;
        p.backorderAllowed = backorderAllowed;
        ValidationContext v = stockOf({{1, atp}});
        v.checkStock = checkStock;
        OrderInput order;
        order.lines = {lineOf(1, 1, quantity, discountBp)};
        const PricedOrder priced = priceOrder(ctx, order);
        const std::vector<Finding> findings = validateOrder(ctx, v, order, priced);
        QTEST(describe(findings), "expected");
        for (const Finding &f : findings) {
            QCOMPARE(f.productId, 1);
            QVERIFY2(f.message.contains(u"OIL-1L"_s), qPrintable(f.message));
        }
    }

    void orderFindings_data()
    {
        QTest::addColumn<int>("lines");
        QTest::addColumn<bool>("duplicate");
        QTest::addColumn<qint64>("orderDiscountBp");
        QTest::addColumn<bool>("onHold");
        QTest::addColumn<QString>("terms");
        QTest::addColumn<bool>("hasCreditLimit");
        QTest::addColumn<qint64>("creditLimit");
        QTest::addColumn<qint64>("openBalance");
        QTest::addColumn<QStringList>("expected");
        // each line: 1 x 10.00 + 20 % = 12.00
        QTest::newRow("clean") << 1 << false << qint64(0) << false << u"NET30"_s << true << qint64(100000)
                               << qint64(0) << QStringList{};
        QTest::newRow("empty") << 0 << false << qint64(0) << false << u"NET30"_s << true << qint64(0)
                               << qint64(0) << QStringList{u"order.empty:error@0"_s};
        QTest::newRow("duplicateLineNo")
            << 2 << true << qint64(0) << false << u"NET30"_s << true << qint64(100000) << qint64(0)
            << QStringList{u"order.duplicate_line:error@0"_s};
        QTest::newRow("orderDiscountInvalid")
            << 1 << false << qint64(-5) << false << u"NET30"_s << true << qint64(100000) << qint64(0)
            << QStringList{u"discount.invalid:error@0"_s};
        QTest::newRow("onHold") << 1 << false << qint64(0) << true << u"NET30"_s << true << qint64(100000)
                                << qint64(0) << QStringList{u"account.on_hold:approval@0"_s};
        QTest::newRow("cod") << 1 << false << qint64(0) << false << u"COD"_s << true << qint64(100000)
                             << qint64(0) << QStringList{u"terms.cod:warning@0"_s};
        QTest::newRow("creditExactlyAtLimit") << 1 << false << qint64(0) << false << u"NET30"_s << true
                                              << qint64(10000) << qint64(8800) << QStringList{};
        QTest::newRow("creditOneMinorOver")
            << 1 << false << qint64(0) << false << u"NET30"_s << true << qint64(10000) << qint64(8801)
            << QStringList{u"credit.limit_exceeded:approval@0"_s};
        QTest::newRow("zeroLimitMeansNoCredit")
            << 1 << false << qint64(0) << false << u"NET30"_s << true << qint64(0) << qint64(0)
            << QStringList{u"credit.limit_exceeded:approval@0"_s};
        QTest::newRow("noCreditLimitIsUnlimited") << 1 << false << qint64(0) << false << u"NET30"_s << false
                                                  << qint64(0) << qint64(99999999) << QStringList{};
        QTest::newRow("orderLevelFirst")
            << 2 << false << qint64(0) << true << u"COD"_s << true << qint64(0) << qint64(0)
            << QStringList{u"account.on_hold:approval@0"_s, u"terms.cod:warning@0"_s,
                           u"credit.limit_exceeded:approval@0"_s};
    }

    void orderFindings()
    {
        QFETCH(int, lines);
        QFETCH(bool, duplicate);
        QFETCH(qint64, orderDiscountBp);
        QFETCH(bool, onHold);
        QFETCH(QString, terms);
        QFETCH(bool, hasCreditLimit);
        QFETCH(qint64, creditLimit);
        QFETCH(qint64, openBalance);
        PricingContext ctx = baseContext();
        ctx.account.onHold = onHold;
        ctx.account.terms = terms;
        ctx.account.hasCreditLimit = hasCreditLimit;
        ctx.account.creditLimitMinor = creditLimit;
        ctx.account.openBalanceMinor = openBalance;
        OrderInput order;
        order.orderDiscountBp = orderDiscountBp;
        for (int i = 1; i <= lines; ++i)
            order.lines.push_back(lineOf(duplicate ? 1 : i, 1, 1));
        const PricedOrder priced = priceOrder(ctx, order);
        QTEST(describe(validateOrder(ctx, stockOf({{1, 100}}), order, priced)), "expected");
    }

    void messagesNameTheNumbers()
    {
        PricingContext ctx = baseContext();
        ctx.products[1].moq = 12;
        ctx.products[1].uom = u"CS"_s;
        OrderInput order;
        order.lines = {lineOf(3, 1, 5)};
        const auto findings = validateOrder(ctx, stockOf({{1, 100}}), order, priceOrder(ctx, order));
        QCOMPARE(findings.size(), size_t(1));
        QCOMPARE(findings.front().message,
                 u"Line 3 (SKU OIL-1L): quantity 5 is below the minimum order quantity 12 CS."_s);

        ctx = baseContext();
        ctx.account.creditLimitMinor = 1000;
        ctx.account.openBalanceMinor = 250;
        order.lines = {lineOf(1, 1, 1)};
        const auto credit = validateOrder(ctx, stockOf({{1, 100}}), order, priceOrder(ctx, order));
        QCOMPARE(credit.size(), size_t(1));
        QCOMPARE(
            credit.front().message,
            u"Open balance 2.50 GBP plus this order 12.00 GBP is 14.50 GBP, above the credit limit 10.00 GBP."_s);
    }

    void unknownProductReportedOnce()
    {
        PricingContext ctx = baseContext();
        OrderInput order;
        order.lines = {lineOf(1, 77, 1)};
        QCOMPARE(describe(validateOrder(ctx, stockOf({}), order, priceOrder(ctx, order))),
                 QStringList{u"product.unknown:error@1"_s});
        // Without the pricing findings validateOrder still reports it.
        QCOMPARE(describe(validateOrder(ctx, stockOf({}), order, PricedOrder{})),
                 QStringList{u"product.unknown:error@1"_s});
    }

    void hasErrorsOnlyForErrors()
    {
        std::vector<Finding> f{Finding{u"terms.cod"_s, Severity::Warning, 0, 0, {}},
                               Finding{u"quantity.below_moq"_s, Severity::Approval, 1, 1, {}}};
        QVERIFY(!hasErrors(f));
        f.push_back(Finding{u"stock.unavailable"_s, Severity::Error, 1, 1, {}});
        QVERIFY(hasErrors(f));
        QVERIFY(!hasErrors({}));
    }

    void planFulfilment_data()
    {
        QTest::addColumn<bool>("backorderAllowed");
        QTest::addColumn<qint64>("quantity");
        QTest::addColumn<qint64>("atp");
        QTest::addColumn<qint64>("ship");
        QTest::addColumn<qint64>("backorder");
        QTest::addColumn<qint64>("unfilled");
        QTest::newRow("enough") << false << qint64(5) << qint64(10) << qint64(5) << qint64(0) << qint64(0);
        QTest::newRow("exact") << false << qint64(5) << qint64(5) << qint64(5) << qint64(0) << qint64(0);
        QTest::newRow("shortNoBackorder")
            << false << qint64(5) << qint64(3) << qint64(3) << qint64(0) << qint64(2);
        QTest::newRow("shortBackorder")
            << true << qint64(5) << qint64(3) << qint64(3) << qint64(2) << qint64(0);
        QTest::newRow("noneBackorder")
            << true << qint64(5) << qint64(0) << qint64(0) << qint64(5) << qint64(0);
        QTest::newRow("noneNoBackorder")
            << false << qint64(5) << qint64(0) << qint64(0) << qint64(0) << qint64(5);
        QTest::newRow("negativeAtpIsZero")
            << false << qint64(5) << qint64(-4) << qint64(0) << qint64(0) << qint64(5);
        QTest::newRow("zeroQuantity")
            << true << qint64(0) << qint64(10) << qint64(0) << qint64(0) << qint64(0);
    }

    void planFulfilment()
    {
        QFETCH(bool, backorderAllowed);
        QFETCH(qint64, quantity);
        QFETCH(qint64, atp);
        Product p = makeProduct(1, u"X"_s, 100);
        p.backorderAllowed = backorderAllowed;
        const FulfilmentPlan plan = outpost::planFulfilment(p, quantity, atp);
        QTEST(plan.shipQuantity, "ship");
        QTEST(plan.backorderQuantity, "backorder");
        QTEST(plan.unfilledQuantity, "unfilled");
    }

    void roundUpToCasePack_data()
    {
        QTest::addColumn<qint64>("quantity");
        QTest::addColumn<qint64>("casePack");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("alreadyMultiple") << qint64(12) << qint64(6) << qint64(12);
        QTest::newRow("roundsUp") << qint64(7) << qint64(6) << qint64(12);
        QTest::newRow("belowOnePack") << qint64(1) << qint64(6) << qint64(6);
        QTest::newRow("packOfOne") << qint64(7) << qint64(1) << qint64(7);
        QTest::newRow("packZeroTreatedAsOne") << qint64(7) << qint64(0) << qint64(7);
        QTest::newRow("zeroQuantityUnchanged") << qint64(0) << qint64(6) << qint64(0);
        QTest::newRow("negativeUnchanged") << qint64(-5) << qint64(6) << qint64(-5);
    }

    void roundUpToCasePack()
    {
        QFETCH(qint64, quantity);
        QFETCH(qint64, casePack);
        QTEST(outpost::roundUpToCasePack(quantity, casePack), "expected");
    }

    void severityNames()
    {
        QCOMPARE(Finding::severityName(Severity::Error), u"error"_s);
        QCOMPARE(Finding::severityName(Severity::Approval), u"approval"_s);
        QCOMPARE(Finding::severityName(Severity::Warning), u"warning"_s);
    }
};

QTEST_GUILESS_MAIN(TstRules)
#include "tst_rules.moc"
