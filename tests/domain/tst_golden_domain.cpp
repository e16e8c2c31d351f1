// Runs every hand-computed golden case through the domain (priceOrder, validateOrder, decideOrder)
// and fails with the full list of differences.
#include "tests/support/golden.h"

#include <QJsonArray>
#include <QTemporaryFile>
#include <QTest>

using namespace outpost;
using namespace outpost::test;
using namespace Qt::Literals::StringLiterals;

Q_DECLARE_METATYPE(outpost::test::GoldenCase)

class TstGoldenDomain : public QObject
{
    Q_OBJECT

private slots:
    void fileLoads()
    {
        const auto cases = loadGoldenCases(goldenPricedOrdersPath());
        QVERIFY2(cases.ok(),
                 qPrintable(cases.ok() ? QString() : cases.error().field + u": "_s + cases.error().userText));
        QVERIFY(cases->size() >= 25);
    }

    void goldenCase_data()
    {
        QTest::addColumn<GoldenCase>("goldenCase");
        const auto cases = loadGoldenCases(goldenPricedOrdersPath());
        if (!cases.ok())
            return; // fileLoads() reports why
        for (const GoldenCase &c : *cases)
            QTest::newRow(qPrintable(c.name)) << c;
    }

    void goldenCase()
    {
        QFETCH(GoldenCase, goldenCase);
        const PricedOrder priced = priceOrder(goldenCase.pricing, goldenCase.order);
        const std::vector<Finding> findings =
            validateOrder(goldenCase.pricing, goldenCase.validation, goldenCase.order, priced);
        const OrderDecision decision = decideOrder(goldenCase.pricing, goldenCase.validation,
                                                   goldenCase.order.orderDiscountBp, goldenCase.submitted);
        const QStringList diff = compareWithExpected(goldenCase, priced, findings, decision);
        if (!diff.isEmpty())
            QFAIL(qPrintable(u"\n  "_s + diff.join(u"\n  "_s) + u"\n  note: "_s + goldenCase.note));
    }

    // The comparison itself must catch a wrong number, a missing finding and a wrong outcome.
    void comparisonDetectsDifferences()
    {
        const auto cases = loadGoldenCases(goldenPricedOrdersPath());
        QVERIFY(cases.ok());
        const GoldenCase &c = cases->front();
        PricedOrder priced = priceOrder(c.pricing, c.order);
        std::vector<Finding> findings = validateOrder(c.pricing, c.validation, c.order, priced);
        OrderDecision decision = decideOrder(c.pricing, c.validation, c.order.orderDiscountBp, c.submitted);
        QVERIFY(compareWithExpected(c, priced, findings, decision).isEmpty());

        QVERIFY(!priced.lines.empty());
        priced.lines.front().taxMinor += 1;
        priced.totals.totalMinor += 1;
        findings.push_back(Finding{u"terms.cod"_s, Severity::Warning, 0, 0, {}});
        decision.outcome = OrderOutcome::Held;
        const QStringList diff = compareWithExpected(c, priced, findings, decision);
        QCOMPARE(diff.size(), 4);
        QVERIFY(diff.join(u'\n').contains(u"lines[lineNo=1].tax"_s));
        QVERIFY(diff.join(u'\n').contains(u"totals.total"_s));
        QVERIFY(diff.join(u'\n').contains(u"terms.cod"_s));
        QVERIFY(diff.join(u'\n').contains(u"decision.outcome"_s));
    }

    void loaderRejectsBadFiles_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("field");
        const QByteArray ctx = R"("context":{"currency":"GBP","now":"2024-05-15T10:00:00Z","account":{"id":1},
            "products":[{"id":1,"sku":"A","listPrice":PRICE}]},
            "order":{"warehouseId":1,"lines":[]},
            "expected":{"lines":[],"totals":{"gross":0,"lineDiscount":0,"net":0,"orderDiscount":0,"tax":0,"total":0},
                        "findings":[],"decision":{"outcome":"rejected","holdReasons":[],"lines":[]}})";
        auto file = [&](const QByteArray &price) {
            return QByteArray(R"({"cases":[{"name":"x",)") + QByteArray(ctx).replace("PRICE", price) + "}]}";
        };
        QTest::newRow("moneyNotInteger") << file("10.5") << u"cases[0].context.products[0].listPrice"_s;
        QTest::newRow("moneyAsString") << file("\"10\"") << u"cases[0].context.products[0].listPrice"_s;
        QTest::newRow("noCases") << QByteArray(R"({"cases":[]})") << u"cases"_s;
        QTest::newRow("missingExpected") << QByteArray(R"({"cases":[{"name":"x","context":{"currency":"GBP",
            "now":"2024-05-15T10:00:00Z","account":{"id":1},"products":[]},"order":{"warehouseId":1,"lines":[]}}]})")
                                         << u"cases[0].expected"_s;
        QTest::newRow("timeWithoutZone")
            << QByteArray(file("1")).replace("10:00:00Z", "10:00:00") << u"cases[0].context.now"_s;
        QTest::newRow("unknownCurrency")
            << QByteArray(file("1")).replace("GBP", "XXX") << u"cases[0].context.currency"_s;
    }

    void loaderRejectsBadFiles()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, field);
        QTemporaryFile f;
        QVERIFY(f.open());
        f.write(json);
        f.close();
        const auto cases = loadGoldenCases(f.fileName());
        QVERIFY(!cases.ok());
        QCOMPARE(cases.error().code, u"golden.invalid"_s);
        QCOMPARE(cases.error().field, field);
    }
};

QTEST_GUILESS_MAIN(TstGoldenDomain)
#include "tst_golden_domain.moc"
