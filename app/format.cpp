#include "app/format.h"

#include "domain/money.h"

using namespace Qt::Literals::StringLiterals;

namespace outpost::app::format {

namespace {

QString groupThousands(quint64 whole)
{
    QString digits = QString::number(whole);
    for (qsizetype i = digits.size() - 3; i > 0; i -= 3)
        digits.insert(i, u',');
    return digits;
}

QString symbolFor(const QString &currency)
{
    if (currency == u"GBP"_s)
        return u"£"_s;
    if (currency == u"EUR"_s)
        return u"€"_s;
    if (currency == u"USD"_s)
        return u"$"_s;
    return {};
}

} // namespace

QString amount(qint64 minor, const QString &currency)
{
    // An unknown code is shown with two decimals, the ISO 4217 common case.
    const int known = currencyExponent(currency);
    const int exponent = known < 0 ? 2 : known;
    const bool negative = minor < 0;
    // Magnitude without overflow on INT64_MIN: work in unsigned.
    const quint64 magnitude = negative ? quint64(0) - quint64(minor) : quint64(minor);
    QString text;
    if (exponent <= 0) {
        text = groupThousands(magnitude);
    } else {
        quint64 scale = 1;
        for (int i = 0; i < exponent; ++i)
            scale *= 10;
        text = groupThousands(magnitude / scale) + u'.'
            + QString::number(magnitude % scale).rightJustified(exponent, u'0');
    }
    return negative ? u"-"_s + text : text;
}

QString money(qint64 minor, const QString &currency)
{
    const QString symbol = symbolFor(currency);
    QString text = amount(minor, currency);
    const bool negative = text.startsWith(u'-');
    if (negative)
        text.remove(0, 1);
    text = symbol.isEmpty() ? text + u' ' + currency : symbol + text;
    return negative ? u"-"_s + text : text;
}

QString age(const QDateTime &at, const QDateTime &now)
{
    if (!at.isValid())
        return u"never"_s;
    const qint64 secs = at.secsTo(now);
    if (secs < 60)
        return u"just now"_s; // includes a device clock slightly behind the server's
    if (secs < 3600)
        return u"%1 min ago"_s.arg(secs / 60);
    if (secs < 86400)
        return u"%1 h ago"_s.arg(secs / 3600);
    return u"%1 d ago"_s.arg(secs / 86400);
}

QString terms(const QString &code)
{
    if (code.startsWith(u"NET"_s)) {
        bool ok = false;
        const int days = code.mid(3).toInt(&ok);
        if (ok)
            return u"Net %1 days"_s.arg(days);
    }
    if (code == u"EOM"_s)
        return u"End of month"_s;
    if (code == u"COD"_s)
        return u"Cash on delivery"_s;
    return code;
}

QString quantity(qint64 q)
{
    return q < 0 ? u"-"_s + groupThousands(quint64(0) - quint64(q)) : groupThousands(quint64(q));
}

} // namespace outpost::app::format
