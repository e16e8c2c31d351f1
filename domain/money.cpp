#include "domain/money.h"

#include <QHash>

#include <limits>

namespace outpost {

using namespace Qt::Literals::StringLiterals;

qint64 roundDiv(__int128 numerator, qint64 denominator)
{
    Q_ASSERT_X(denominator > 0, "roundDiv", "denominator must be positive");
    if (denominator <= 0)
        return 0;
    const __int128 d = denominator;
    __int128 q = numerator / d; // truncates toward zero
    const __int128 r = numerator % d;
    const __int128 absR = r < 0 ? -r : r;
    if (absR * 2 >= d)
        q += numerator < 0 ? -1 : 1;
    constexpr __int128 lo = std::numeric_limits<qint64>::min();
    constexpr __int128 hi = std::numeric_limits<qint64>::max();
    Q_ASSERT_X(q >= lo && q <= hi, "roundDiv", "result does not fit in 64 bits");
    if (q < lo)
        return std::numeric_limits<qint64>::min();
    if (q > hi)
        return std::numeric_limits<qint64>::max();
    return static_cast<qint64>(q);
}

qint64 applyBasisPoints(qint64 amountMinor, qint64 basisPoints)
{
    return roundDiv(static_cast<__int128>(amountMinor) * basisPoints, 10000);
}

int currencyExponent(const QString &isoCode)
{
    static const QHash<QString, int> exponents = {
        // 2 decimals
        {u"GBP"_s, 2},
        {u"EUR"_s, 2},
        {u"USD"_s, 2},
        {u"CHF"_s, 2},
        {u"CAD"_s, 2},
        {u"AUD"_s, 2},
        {u"NZD"_s, 2},
        {u"SEK"_s, 2},
        {u"NOK"_s, 2},
        {u"DKK"_s, 2},
        {u"PLN"_s, 2},
        {u"CZK"_s, 2},
        {u"HUF"_s, 2},
        {u"RON"_s, 2},
        {u"BGN"_s, 2},
        {u"TRY"_s, 2},
        {u"ZAR"_s, 2},
        {u"MXN"_s, 2},
        {u"BRL"_s, 2},
        {u"ARS"_s, 2},
        {u"CNY"_s, 2},
        {u"HKD"_s, 2},
        {u"SGD"_s, 2},
        {u"INR"_s, 2},
        {u"ILS"_s, 2},
        {u"AED"_s, 2},
        {u"SAR"_s, 2},
        {u"THB"_s, 2},
        {u"MYR"_s, 2},
        {u"PHP"_s, 2},
        {u"IDR"_s, 2},
        {u"TWD"_s, 2},
        {u"EGP"_s, 2},
        {u"NGN"_s, 2},
        {u"KES"_s, 2},
        {u"MAD"_s, 2},
        // 0 decimals
        {u"JPY"_s, 0},
        {u"KRW"_s, 0},
        {u"ISK"_s, 0},
        {u"CLP"_s, 0},
        {u"VND"_s, 0},
        {u"XAF"_s, 0},
        {u"XOF"_s, 0},
        {u"UGX"_s, 0},
        {u"PYG"_s, 0},
        {u"RWF"_s, 0},
        // 3 decimals
        {u"BHD"_s, 3},
        {u"KWD"_s, 3},
        {u"OMR"_s, 3},
        {u"JOD"_s, 3},
        {u"TND"_s, 3},
        {u"LYD"_s, 3},
        {u"IQD"_s, 3},
    };
    return exponents.value(isoCode, -1);
}

namespace {

Error invalidMoney(const QString &why)
{
    return Error::invalid(u"money.invalid"_s, why);
}

bool isAsciiDigit(QChar c)
{
    return c.unicode() >= u'0' && c.unicode() <= u'9';
}

} // namespace

Result<Money> Money::parse(const QString &text, const QString &currency)
{
    const int exponent = currencyExponent(currency);
    if (exponent < 0)
        return Error::invalid(u"currency.unknown"_s, u"Unknown currency code."_s);

    qsizetype i = 0;
    bool negative = false;
    if (i < text.size() && text.at(i) == u'-') {
        negative = true;
        ++i;
    }
    // Magnitude accumulated as unsigned 128-bit so overflow is detected, not wrapped.
    unsigned __int128 magnitude = 0;
    constexpr unsigned __int128 limit = static_cast<unsigned __int128>(std::numeric_limits<qint64>::max());
    int intDigits = 0;
    for (; i < text.size() && isAsciiDigit(text.at(i)); ++i, ++intDigits) {
        magnitude = magnitude * 10 + static_cast<unsigned>(text.at(i).unicode() - u'0');
        if (magnitude > limit)
            return invalidMoney(u"The amount is too large."_s);
    }
    if (intDigits == 0)
        return invalidMoney(u"An amount must start with a digit (e.g. 12.34)."_s);

    int fracDigits = 0;
    if (i < text.size() && text.at(i) == u'.') {
        ++i;
        for (; i < text.size() && isAsciiDigit(text.at(i)); ++i, ++fracDigits) {
            if (fracDigits >= exponent)
                return invalidMoney(u"%1 allows at most %2 decimal places."_s.arg(currency).arg(exponent));
            magnitude = magnitude * 10 + static_cast<unsigned>(text.at(i).unicode() - u'0');
        }
        if (fracDigits == 0)
            return invalidMoney(u"A decimal point must be followed by digits."_s);
    }
    if (i != text.size())
        return invalidMoney(u"Only digits, an optional leading '-' and one '.' are allowed."_s);

    for (int k = fracDigits; k < exponent; ++k)
        magnitude *= 10;
    if (magnitude > limit)
        return invalidMoney(u"The amount is too large."_s);

    const qint64 value = static_cast<qint64>(magnitude);
    return Money{negative ? -value : value, currency};
}

QString Money::toDecimalString() const
{
    const int exponent = currencyExponent(currency);
    // Unsigned magnitude: -INT64_MIN does not fit in qint64.
    const bool negative = minor < 0;
    const quint64 magnitude =
        negative ? quint64(0) - static_cast<quint64>(minor) : static_cast<quint64>(minor);
    QString digits = QString::number(magnitude);
    if (exponent <= 0) // unknown currencies print plain minor units
        return negative ? u"-"_s + digits : digits;
    if (digits.size() <= exponent)
        digits = QString(exponent + 1 - digits.size(), u'0') + digits;
    const QString out = digits.left(digits.size() - exponent) + u'.' + digits.right(exponent);
    return negative ? u"-"_s + out : out;
}

} // namespace outpost
