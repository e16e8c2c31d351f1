#include "domain/money.h"

#include <QTest>

#include <limits>

using namespace outpost;
using namespace Qt::Literals::StringLiterals;

class TstMoney : public QObject
{
    Q_OBJECT

private slots:
    void roundDivHalfAwayFromZero_data()
    {
        QTest::addColumn<qint64>("numerator");
        QTest::addColumn<qint64>("denominator");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("exact") << qint64(20) << qint64(10) << qint64(2);
        QTest::newRow("halfUp") << qint64(5) << qint64(10) << qint64(1);
        QTest::newRow("halfNegativeAwayFromZero") << qint64(-5) << qint64(10) << qint64(-1);
        QTest::newRow("belowHalf") << qint64(4) << qint64(10) << qint64(0);
        QTest::newRow("belowHalfNegative") << qint64(-4) << qint64(10) << qint64(0);
        QTest::newRow("oneAndHalf") << qint64(15) << qint64(10) << qint64(2);
        QTest::newRow("minusOneAndHalf") << qint64(-15) << qint64(10) << qint64(-2);
        QTest::newRow("oneAndFourTenths") << qint64(14) << qint64(10) << qint64(1);
        QTest::newRow("oneThird") << qint64(1) << qint64(3) << qint64(0);
        QTest::newRow("twoThirds") << qint64(2) << qint64(3) << qint64(1);
        QTest::newRow("minusTwoThirds") << qint64(-2) << qint64(3) << qint64(-1);
        QTest::newRow("zero") << qint64(0) << qint64(7) << qint64(0);
        QTest::newRow("oddDenominatorHalfIsNeverExact") << qint64(3) << qint64(7) << qint64(0);
    }

    void roundDivHalfAwayFromZero()
    {
        QFETCH(qint64, numerator);
        QFETCH(qint64, denominator);
        QFETCH(qint64, expected);
        QCOMPARE(roundDiv(numerator, denominator), expected);
    }

    void roundDivUses128BitIntermediates()
    {
        constexpr qint64 max = std::numeric_limits<qint64>::max();
        // max * 10000 overflows 64 bits; the quotient does not.
        QCOMPARE(roundDiv(static_cast<__int128>(max) * 10000, 10000), max);
        QCOMPARE(roundDiv(static_cast<__int128>(max) * 3 + 1, 3), max); // max + 1/3
        QCOMPARE(roundDiv(-static_cast<__int128>(max) * 10000, 10000), -max);
    }

    void applyBasisPoints_data()
    {
        QTest::addColumn<qint64>("amount");
        QTest::addColumn<qint64>("bp");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("tenPercentOf1000") << qint64(1000) << qint64(1000) << qint64(100);
        QTest::newRow("twoAndHalfRoundsUp") << qint64(25) << qint64(1000) << qint64(3);
        QTest::newRow("minusTwoAndHalfRoundsDown") << qint64(-25) << qint64(1000) << qint64(-3);
        QTest::newRow("halfMinorUnitRoundsUp") << qint64(10) << qint64(500) << qint64(1);
        QTest::newRow("pointFourFiveRoundsDown") << qint64(9) << qint64(500) << qint64(0);
        QTest::newRow("halfOfOne") << qint64(1) << qint64(5000) << qint64(1);
        QTest::newRow("halfOfMinusOne") << qint64(-1) << qint64(5000) << qint64(-1);
        QTest::newRow("fractionalBp") << qint64(3750) << qint64(333) << qint64(125);
        QTest::newRow("zeroRate") << qint64(123456) << qint64(0) << qint64(0);
        QTest::newRow("hundredPercent") << qint64(987654321) << qint64(10000) << qint64(987654321);
        QTest::newRow("largeAmountNoOverflow")
            << std::numeric_limits<qint64>::max() << qint64(10000) << std::numeric_limits<qint64>::max();
    }

    void applyBasisPoints()
    {
        QFETCH(qint64, amount);
        QFETCH(qint64, bp);
        QFETCH(qint64, expected);
        QCOMPARE(outpost::applyBasisPoints(amount, bp), expected);
    }

    void currencyExponent_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<int>("exponent");
        QTest::newRow("GBP") << u"GBP"_s << 2;
        QTest::newRow("EUR") << u"EUR"_s << 2;
        QTest::newRow("USD") << u"USD"_s << 2;
        QTest::newRow("JPY") << u"JPY"_s << 0;
        QTest::newRow("KRW") << u"KRW"_s << 0;
        QTest::newRow("BHD") << u"BHD"_s << 3;
        QTest::newRow("KWD") << u"KWD"_s << 3;
        QTest::newRow("lowerCaseIsUnknown") << u"gbp"_s << -1;
        QTest::newRow("empty") << QString() << -1;
        QTest::newRow("madeUp") << u"XYZ"_s << -1;
    }

    void currencyExponent()
    {
        QFETCH(QString, code);
        QFETCH(int, exponent);
        QCOMPARE(outpost::currencyExponent(code), exponent);
    }

    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("currency");
        QTest::addColumn<QString>("errorCode"); // empty = success
        QTest::addColumn<qint64>("minor");
        QTest::newRow("twoDecimals") << u"12.34"_s << u"GBP"_s << QString() << qint64(1234);
        QTest::newRow("negativeHalf") << u"-0.5"_s << u"GBP"_s << QString() << qint64(-50);
        QTest::newRow("integer") << u"7"_s << u"GBP"_s << QString() << qint64(700);
        QTest::newRow("oneDecimal") << u"12.3"_s << u"GBP"_s << QString() << qint64(1230);
        QTest::newRow("zero") << u"0"_s << u"GBP"_s << QString() << qint64(0);
        QTest::newRow("negativeZero") << u"-0.00"_s << u"GBP"_s << QString() << qint64(0);
        QTest::newRow("yenInteger") << u"7"_s << u"JPY"_s << QString() << qint64(7);
        QTest::newRow("dinarThreeDecimals") << u"1.234"_s << u"BHD"_s << QString() << qint64(1234);
        QTest::newRow("largest") << u"92233720368547758.07"_s << u"GBP"_s << QString()
                                 << std::numeric_limits<qint64>::max();
        QTest::newRow("tooManyDecimals") << u"12.345"_s << u"GBP"_s << u"money.invalid"_s << qint64(0);
        QTest::newRow("yenWithDecimal") << u"7.0"_s << u"JPY"_s << u"money.invalid"_s << qint64(0);
        QTest::newRow("thousandsSeparator") << u"1,000.00"_s << u"GBP"_s << u"money.invalid"_s << qint64(0);
        QTest::newRow("exponent") << u"1e3"_s << u"GBP"_s << u"money.invalid"_s << qint64(0);
        QTest::newRow("empty") << QString() << u"GBP"_s << u"money.invalid"_s << qint64(0);
        QTest::newRow("leadingSpace") << u" 12"_s << u"GBP"_s << u"money.invalid"_s << qint64(0);
        QTest::newRow("trailingSpace") << u"12 "_s << u"GBP"_s << u"money.invalid"_s << qint64(0);
        QTest::newRow("plusSign") << u"+1"_s << u"GBP"_s << u"money.invalid"_s << qint64(0);
        QTest::newRow("doubleMinus") << u"--1"_s << u"GBP"_s << u"money.invalid"_s << qint64(0);
        QTest::newRow("noLeadingDigit") << u".5"_s << u"GBP"_s << u"money.invalid"_s << qint64(0);
        QTest::newRow("trailingPoint") << u"5."_s << u"GBP"_s << u"money.invalid"_s << qint64(0);
        QTest::newRow("commaDecimal") << u"5,50"_s << u"GBP"_s << u"money.invalid"_s << qint64(0);
        QTest::newRow("letters") << u"abc"_s << u"GBP"_s << u"money.invalid"_s << qint64(0);
        QTest::newRow("nonAsciiDigits") << u"\u0661\u0662"_s << u"GBP"_s << u"money.invalid"_s << qint64(0);
        QTest::newRow("overflow") << u"92233720368547758.08"_s << u"GBP"_s << u"money.invalid"_s << qint64(0);
        QTest::newRow("hugeOverflow")
            << u"99999999999999999999999"_s << u"GBP"_s << u"money.invalid"_s << qint64(0);
        QTest::newRow("unknownCurrency") << u"1.00"_s << u"XYZ"_s << u"currency.unknown"_s << qint64(0);
    }

    void parse()
    {
        QFETCH(QString, text);
        QFETCH(QString, currency);
        QFETCH(QString, errorCode);
        QFETCH(qint64, minor);
        const Result<Money> m = Money::parse(text, currency);
        if (errorCode.isEmpty()) {
            QVERIFY2(m.ok(), qPrintable(m.ok() ? QString() : m.error().userText));
            QCOMPARE(m->minor, minor);
            QCOMPARE(m->currency, currency);
        } else {
            QVERIFY(!m.ok());
            QCOMPARE(m.error().code, errorCode);
            QVERIFY(!m.error().userText.isEmpty());
        }
    }

    void toDecimalString_data()
    {
        QTest::addColumn<qint64>("minor");
        QTest::addColumn<QString>("currency");
        QTest::addColumn<QString>("expected");
        QTest::newRow("pounds") << qint64(1234) << u"GBP"_s << u"12.34"_s;
        QTest::newRow("negativeHalf") << qint64(-50) << u"GBP"_s << u"-0.50"_s;
        QTest::newRow("pence") << qint64(5) << u"GBP"_s << u"0.05"_s;
        QTest::newRow("zero") << qint64(0) << u"GBP"_s << u"0.00"_s;
        QTest::newRow("yen") << qint64(7) << u"JPY"_s << u"7"_s;
        QTest::newRow("negativeYen") << qint64(-7) << u"JPY"_s << u"-7"_s;
        QTest::newRow("dinar") << qint64(1234) << u"BHD"_s << u"1.234"_s;
        QTest::newRow("smallDinar") << qint64(4) << u"BHD"_s << u"0.004"_s;
        QTest::newRow("minimum") << std::numeric_limits<qint64>::min() << u"GBP"_s
                                 << u"-92233720368547758.08"_s;
        QTest::newRow("unknownCurrencyPlainMinor") << qint64(1234) << u"XYZ"_s << u"1234"_s;
    }

    void toDecimalString()
    {
        QFETCH(qint64, minor);
        QFETCH(QString, currency);
        QFETCH(QString, expected);
        QCOMPARE((Money{minor, currency}.toDecimalString()), expected);
    }

    void parseRoundTripsToDecimalString_data()
    {
        QTest::addColumn<qint64>("minor");
        QTest::addColumn<QString>("currency");
        QTest::newRow("GBP") << qint64(-123456) << u"GBP"_s;
        QTest::newRow("JPY") << qint64(98765) << u"JPY"_s;
        QTest::newRow("BHD") << qint64(1) << u"BHD"_s;
    }

    void parseRoundTripsToDecimalString()
    {
        QFETCH(qint64, minor);
        QFETCH(QString, currency);
        const Money m{minor, currency};
        const Result<Money> back = Money::parse(m.toDecimalString(), currency);
        QVERIFY(back.ok());
        QCOMPARE(*back, m);
    }
};

QTEST_GUILESS_MAIN(TstMoney)
#include "tst_money.moc"
