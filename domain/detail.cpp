#include "domain/detail.h"

#include <limits>

namespace outpost::detail {

using namespace Qt::Literals::StringLiterals;

QString formatBp(qint64 bp)
{
    return Money{bp, u"USD"_s}.toDecimalString() + u'%';
}

QString formatMoney(qint64 minor, const QString &currency)
{
    return Money{minor, currency}.toDecimalString() + u' ' + currency;
}

namespace {
qint64 saturate(__int128 v)
{
    constexpr __int128 lo = std::numeric_limits<qint64>::min();
    constexpr __int128 hi = std::numeric_limits<qint64>::max();
    return v < lo ? std::numeric_limits<qint64>::min()
                  : (v > hi ? std::numeric_limits<qint64>::max() : static_cast<qint64>(v));
}
} // namespace

qint64 mulSaturated(qint64 a, qint64 b)
{
    return saturate(static_cast<__int128>(a) * b);
}

qint64 addSaturated(qint64 a, qint64 b)
{
    return saturate(static_cast<__int128>(a) + b);
}

Finding makeFinding(QString code, Severity severity, int lineNo, qint64 productId, QString message)
{
    Finding f;
    f.code = std::move(code);
    f.severity = severity;
    f.lineNo = lineNo;
    f.productId = productId;
    f.message = std::move(message);
    return f;
}

QString lineLabel(int lineNo, const QString &sku, qint64 productId)
{
    if (sku.isEmpty())
        return u"Line %1 (product %2)"_s.arg(lineNo).arg(productId);
    return u"Line %1 (SKU %2)"_s.arg(lineNo).arg(sku);
}

} // namespace outpost::detail
