// format.h: the display text every screen shows for money, amounts, ages, terms and quantities.
#include "app/format.h"

#include <QTest>

#include <limits>

using namespace Qt::Literals::StringLiterals;
using namespace outpost::app;

class TestFormat : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void money_data();
    void money();
    void amount_data();
    void amount();
    void age_data();
    void age();
    void terms_data();
    void terms();
    void quantity_data();
    void quantity();
};

void TestFormat::money_data()
{
    QTest::addColumn<qint64>("minor");
    QTest::addColumn<QString>("currency");
    QTest::addColumn<QString>("expected");
    constexpr qint64 max = std::numeric_limits<qint64>::max();
    constexpr qint64 min = std::numeric_limits<qint64>::min();
    QTest::newRow("gbpThousands") << qint64(123456) << u"GBP"_s << u"£1,234.56"_s;
    QTest::newRow("eurThousands") << qint64(123456) << u"EUR"_s << u"€1,234.56"_s;
    QTest::newRow("usdMillions") << qint64(123456789) << u"USD"_s << u"$1,234,567.89"_s;
    QTest::newRow("zero") << qint64(0) << u"GBP"_s << u"£0.00"_s;
    QTest::newRow("onePenny") << qint64(1) << u"GBP"_s << u"£0.01"_s;
    QTest::newRow("tenPence") << qint64(10) << u"GBP"_s << u"£0.10"_s;
    QTest::newRow("negativeGbp") << qint64(-123456) << u"GBP"_s << u"-£1,234.56"_s;
    QTest::newRow("negativePenny") << qint64(-5) << u"EUR"_s << u"-€0.05"_s;
    QTest::newRow("knownNoSymbol") << qint64(123456) << u"CHF"_s << u"1,234.56 CHF"_s;
    QTest::newRow("negativeNoSymbol") << qint64(-99) << u"CHF"_s << u"-0.99 CHF"_s;
    QTest::newRow("jpyNoDecimals") << qint64(123456) << u"JPY"_s << u"123,456 JPY"_s;
    QTest::newRow("jpyNegative") << qint64(-1000) << u"JPY"_s << u"-1,000 JPY"_s;
    QTest::newRow("kwdThreeDecimals") << qint64(1234567) << u"KWD"_s << u"1,234.567 KWD"_s;
    QTest::newRow("unknownCurrencyTwoDecimals") << qint64(123456) << u"XYZ"_s << u"1,234.56 XYZ"_s;
    QTest::newRow("int64MaxGbp") << max << u"GBP"_s << u"£92,233,720,368,547,758.07"_s;
    QTest::newRow("int64MinGbp") << min << u"GBP"_s << u"-£92,233,720,368,547,758.08"_s;
    QTest::newRow("int64MaxJpy") << max << u"JPY"_s << u"9,223,372,036,854,775,807 JPY"_s;
    QTest::newRow("int64MinJpy") << min << u"JPY"_s << u"-9,223,372,036,854,775,808 JPY"_s;
}

void TestFormat::money()
{
    QFETCH(qint64, minor);
    QFETCH(QString, currency);
    QFETCH(QString, expected);
    QCOMPARE(format::money(minor, currency), expected);
}

void TestFormat::amount_data()
{
    QTest::addColumn<qint64>("minor");
    QTest::addColumn<QString>("currency");
    QTest::addColumn<QString>("expected");
    QTest::newRow("gbp") << qint64(123456) << u"GBP"_s << u"1,234.56"_s;
    QTest::newRow("belowThousand") << qint64(99999) << u"GBP"_s << u"999.99"_s;
    QTest::newRow("exactThousand") << qint64(100000) << u"EUR"_s << u"1,000.00"_s;
    QTest::newRow("negative") << qint64(-100000) << u"EUR"_s << u"-1,000.00"_s;
    QTest::newRow("jpy") << qint64(1000000) << u"JPY"_s << u"1,000,000"_s;
    QTest::newRow("bhdThreeDecimals") << qint64(5) << u"BHD"_s << u"0.005"_s;
    QTest::newRow("unknownCurrency") << qint64(-250) << u"XYZ"_s << u"-2.50"_s;
    QTest::newRow("int64Min") << std::numeric_limits<qint64>::min() << u"EUR"_s
                              << u"-92,233,720,368,547,758.08"_s;
}

void TestFormat::amount()
{
    QFETCH(qint64, minor);
    QFETCH(QString, currency);
    QFETCH(QString, expected);
    QCOMPARE(format::amount(minor, currency), expected);
}

void TestFormat::age_data()
{
    QTest::addColumn<qint64>("secondsAgo"); // of `at` before now; minimum = invalid `at`
    QTest::addColumn<QString>("expected");
    QTest::newRow("never") << std::numeric_limits<qint64>::min() << u"never"_s;
    QTest::newRow("sameInstant") << qint64(0) << u"just now"_s;
    QTest::newRow("59s") << qint64(59) << u"just now"_s;
    QTest::newRow("deviceClockBehind") << qint64(-300) << u"just now"_s;
    QTest::newRow("1min") << qint64(60) << u"1 min ago"_s;
    QTest::newRow("59min") << qint64(3599) << u"59 min ago"_s;
    QTest::newRow("1h") << qint64(3600) << u"1 h ago"_s;
    QTest::newRow("23h") << qint64(86399) << u"23 h ago"_s;
    QTest::newRow("1d") << qint64(86400) << u"1 d ago"_s;
    QTest::newRow("400d") << qint64(400) * 86400 << u"400 d ago"_s;
}

void TestFormat::age()
{
    QFETCH(qint64, secondsAgo);
    QFETCH(QString, expected);
    const QDateTime now(QDate(2026, 11, 23), QTime(10, 0), Qt::UTC);
    const QDateTime at = secondsAgo == std::numeric_limits<qint64>::min() ? QDateTime() : now.addSecs(-secondsAgo);
    QCOMPARE(format::age(at, now), expected);
}

void TestFormat::terms_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("expected");
    QTest::newRow("net30") << u"NET30"_s << u"Net 30 days"_s;
    QTest::newRow("net7") << u"NET7"_s << u"Net 7 days"_s;
    QTest::newRow("net120") << u"NET120"_s << u"Net 120 days"_s;
    QTest::newRow("eom") << u"EOM"_s << u"End of month"_s;
    QTest::newRow("cod") << u"COD"_s << u"Cash on delivery"_s;
    QTest::newRow("netWithoutDaysKept") << u"NETX"_s << u"NETX"_s;
    QTest::newRow("unknownKept") << u"PREPAID"_s << u"PREPAID"_s;
    QTest::newRow("empty") << QString() << QString();
}

void TestFormat::terms()
{
    QFETCH(QString, code);
    QFETCH(QString, expected);
    QCOMPARE(format::terms(code), expected);
}

void TestFormat::quantity_data()
{
    QTest::addColumn<qint64>("q");
    QTest::addColumn<QString>("expected");
    QTest::newRow("zero") << qint64(0) << u"0"_s;
    QTest::newRow("small") << qint64(999) << u"999"_s;
    QTest::newRow("thousands") << qint64(1250) << u"1,250"_s;
    QTest::newRow("millions") << qint64(1234567) << u"1,234,567"_s;
    QTest::newRow("negative") << qint64(-1250) << u"-1,250"_s;
    QTest::newRow("int64Max") << std::numeric_limits<qint64>::max() << u"9,223,372,036,854,775,807"_s;
    QTest::newRow("int64Min") << std::numeric_limits<qint64>::min() << u"-9,223,372,036,854,775,808"_s;
}

void TestFormat::quantity()
{
    QFETCH(qint64, q);
    QFETCH(QString, expected);
    QCOMPARE(format::quantity(q), expected);
}

QTEST_GUILESS_MAIN(TestFormat)
#include "tst_app_format.moc"
