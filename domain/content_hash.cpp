#include "domain/content_hash.h"

#include "domain/sha256.h"


#include <algorithm>

namespace outpost::domain {

namespace {

// '%' first so the escapes themselves stay unambiguous; '|' separates fields, '\n' lines, '\r'
// would let a line look split in some viewers.
QByteArray encodeSku(const QString &sku)
{
    QByteArray out;
    const QByteArray utf8 = sku.toUtf8();
    out.reserve(utf8.size());
    for (char c : utf8) {
        switch (c) {
        case '%': out += "%25"; break;
        case '|': out += "%7C"; break;
        case '\n': out += "%0A"; break;
        case '\r': out += "%0D"; break;
        default: out += c;
        }
    }
    return out;
}

void addField(QByteArray &out, const char *key, const QByteArray &value)
{
    out += key;
    out += '=';
    out += value;
    out += '\n';
}

QByteArray num(qint64 v)
{
    return QByteArray::number(v);
}

} // namespace

QByteArray canonicalOrderText(const SignedOrder &order)
{
    QList<SignedLine> lines = order.lines;
    std::stable_sort(lines.begin(), lines.end(), [](const SignedLine &a, const SignedLine &b) {
        if (a.lineNo != b.lineNo)
            return a.lineNo < b.lineNo;
        return a.sku < b.sku;
    });
    QByteArray out = "outpost-order/1\n";
    addField(out, "order", encodeSku(order.orderId));
    addField(out, "account", num(order.accountId));
    addField(out, "currency", encodeSku(order.currency));
    addField(out, "orderDiscountBp", num(order.orderDiscountBp));
    addField(out, "lines", num(lines.size()));
    for (const SignedLine &l : lines) {
        QByteArray line = num(l.lineNo) + '|' + encodeSku(l.sku) + '|' + num(l.quantity) + '|' + num(l.discountBp)
                          + '|' + num(l.unitPriceMinor) + '|' + num(l.netMinor);
        addField(out, "line", line);
    }
    addField(out, "gross", num(order.grossMinor));
    addField(out, "discount", num(order.discountMinor));
    addField(out, "tax", num(order.taxMinor));
    addField(out, "total", num(order.totalMinor));
    return out;
}

QString orderContentHash(const SignedOrder &order)
{
    return sha256Hex(canonicalOrderText(order));
}

QString sha256Hex(const QByteArray &bytes)
{
    return QString::fromLatin1(Sha256::hash(bytes).toHex());
}

bool isSha256Hex(const QString &text)
{
    if (text.size() != 64)
        return false;
    return std::all_of(text.begin(), text.end(), [](QChar c) {
        return (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || (c >= QLatin1Char('a') && c <= QLatin1Char('f'));
    });
}

} // namespace outpost::domain
