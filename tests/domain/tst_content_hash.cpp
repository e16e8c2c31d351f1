// The order content hash kept with a signature: the same order gives the same hash whatever the
// line order; every signed field changes it; SKUs cannot forge a line split; the format is pinned.
#include "domain/content_hash.h"

#include <QTest>

#include <functional>

using namespace outpost::domain;
using namespace Qt::Literals::StringLiterals;

namespace {

SignedOrder sampleOrder()
{
    SignedOrder o;
    o.orderId = u"7f0c2f7e-0000-4000-8000-000000000001"_s;
    o.accountId = 746;
    o.currency = u"GBP"_s;
    o.orderDiscountBp = 250;
    o.lines = {SignedLine{1, u"OIL-5L-001"_s, 3, 500, 2300, 6555}, SignedLine{2, u"FLOUR|25KG"_s, 10, 0, 1450, 14500}};
    o.grossMinor = 21055;
    o.discountMinor = 526;
    o.taxMinor = 4106;
    o.totalMinor = 24635;
    return o;
}

using Change = std::function<void(SignedOrder &)>;

} // namespace

Q_DECLARE_METATYPE(Change)

class TestContentHash : public QObject
{
    Q_OBJECT

private slots:
    void knownVectorPinsTheFormat()
    {
        // Written by hand; its hash computed with `printf '...' | sha256sum`.
        const QByteArray expectedText = "outpost-order/1\n"
                                        "order=7f0c2f7e-0000-4000-8000-000000000001\n"
                                        "account=746\n"
                                        "currency=GBP\n"
                                        "orderDiscountBp=250\n"
                                        "lines=2\n"
                                        "line=1|OIL-5L-001|3|500|2300|6555\n"
                                        "line=2|FLOUR%7C25KG|10|0|1450|14500\n"
                                        "gross=21055\n"
                                        "discount=526\n"
                                        "tax=4106\n"
                                        "total=24635\n";
        const QByteArray text = canonicalOrderText(sampleOrder());
        if (text != expectedText)
            qWarning().noquote() << "canonical text:\n" << QString::fromUtf8(text);
        QCOMPARE(text, expectedText);
        QCOMPARE(orderContentHash(sampleOrder()), u"8d1f32971f0c245536464f86e7f10e06dd11c8c8054e85ca1e1c017329765081"_s);
    }

    void lineOrderDoesNotMatter()
    {
        SignedOrder reversed = sampleOrder();
        std::reverse(reversed.lines.begin(), reversed.lines.end());
        QCOMPARE(orderContentHash(reversed), orderContentHash(sampleOrder()));
    }

    void hashIsLowerCaseHex()
    {
        const QString h = orderContentHash(sampleOrder());
        QVERIFY(isSha256Hex(h));
        QCOMPARE(sha256Hex(QByteArray()), u"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"_s);
    }

    void sha256HexFormat_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::newRow("lowerHex") << u"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"_s << true;
        QTest::newRow("upperHex") << u"E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"_s << false;
        QTest::newRow("tooShort") << u"e3b0c442"_s << false;
        QTest::newRow("tooLong") << (u"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"_s + u'0')
                                 << false;
        QTest::newRow("notHex") << u"g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"_s << false;
        QTest::newRow("empty") << QString() << false;
    }

    void sha256HexFormat()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QCOMPARE(outpost::domain::isSha256Hex(text), valid);
    }

    void eachFieldChangesTheHash_data()
    {
        QTest::addColumn<Change>("change");
        QTest::newRow("sku") << Change([](SignedOrder &o) { o.lines[0].sku = u"OIL-5L-002"_s; });
        QTest::newRow("quantity") << Change([](SignedOrder &o) { o.lines[0].quantity = 4; });
        QTest::newRow("lineDiscount") << Change([](SignedOrder &o) { o.lines[0].discountBp = 600; });
        QTest::newRow("unitPrice") << Change([](SignedOrder &o) { o.lines[0].unitPriceMinor = 2301; });
        QTest::newRow("net") << Change([](SignedOrder &o) { o.lines[1].netMinor = 14499; });
        QTest::newRow("lineNo") << Change([](SignedOrder &o) { o.lines[1].lineNo = 3; });
        QTest::newRow("gross") << Change([](SignedOrder &o) { o.grossMinor += 1; });
        QTest::newRow("discountTotal") << Change([](SignedOrder &o) { o.discountMinor += 1; });
        QTest::newRow("tax") << Change([](SignedOrder &o) { o.taxMinor -= 1; });
        QTest::newRow("total") << Change([](SignedOrder &o) { o.totalMinor += 100; });
        QTest::newRow("currency") << Change([](SignedOrder &o) { o.currency = u"EUR"_s; });
        QTest::newRow("orderDiscount") << Change([](SignedOrder &o) { o.orderDiscountBp = 0; });
        QTest::newRow("account") << Change([](SignedOrder &o) { o.accountId = 747; });
        QTest::newRow("orderId") << Change([](SignedOrder &o) { o.orderId = u"7f0c2f7e-0000-4000-8000-000000000002"_s; });
        QTest::newRow("lineAdded") << Change([](SignedOrder &o) {
            o.lines.append(SignedLine{3, u"SALT-1KG"_s, 1, 0, 99, 99});
        });
        QTest::newRow("lineRemoved") << Change([](SignedOrder &o) { o.lines.removeLast(); });
        QTest::newRow("zeroQuantityLineAdded") << Change([](SignedOrder &o) {
            o.lines.append(SignedLine{3, QString(), 0, 0, 0, 0});
        });
    }

    void eachFieldChangesTheHash()
    {
        QFETCH(Change, change);
        SignedOrder changed = sampleOrder();
        change(changed);
        QVERIFY(orderContentHash(changed) != orderContentHash(sampleOrder()));
    }

    void skuCannotForgeALineSplit_data()
    {
        QTest::addColumn<QString>("separator");
        QTest::newRow("pipe") << u"|"_s;
        QTest::newRow("newline") << u"\n"_s;
        QTest::newRow("percent") << u"%"_s;
    }

    void skuCannotForgeALineSplit()
    {
        QFETCH(QString, separator);
        // One line whose SKU carries what a second line would look like...
        SignedOrder forged = sampleOrder();
        forged.lines = {SignedLine{1, u"A|1|0|100|100"_s + separator + u"line=2|B"_s, 1, 0, 100, 100}};
        // ...against the honest two lines.
        SignedOrder honest = sampleOrder();
        honest.lines = {SignedLine{1, u"A"_s, 1, 0, 100, 100}, SignedLine{2, u"B"_s, 1, 0, 100, 100}};
        QVERIFY(orderContentHash(forged) != orderContentHash(honest));
        // The canonical text keeps one line per order line whatever the SKU holds.
        const QByteArray text = canonicalOrderText(forged);
        QCOMPARE(text.count("\nline="), 1);
        QCOMPARE(text.count('\n'), 11);
        // An encoded-looking SKU stays distinct from the raw character it spells.
        SignedOrder a = sampleOrder();
        a.lines[0].sku = u"X%7CY"_s;
        SignedOrder b = sampleOrder();
        b.lines[0].sku = u"X|Y"_s;
        QVERIFY(orderContentHash(a) != orderContentHash(b));
    }
};

QTEST_GUILESS_MAIN(TestContentHash)
#include "tst_content_hash.moc"
