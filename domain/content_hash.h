// The content of an order as a customer signs it, hashed so that a later change is detectable.
// One function for device and server: the same order gives the same hash everywhere.
#pragma once

#include <QList>
#include <QString>

namespace outpost::domain {

struct SignedLine
{
    int lineNo = 0;
    QString sku;
    qint64 quantity = 0;
    qint64 discountBp = 0;
    qint64 unitPriceMinor = 0;
    qint64 netMinor = 0;
};

struct SignedOrder
{
    QString orderId;
    qint64 accountId = 0;
    QString currency;
    qint64 orderDiscountBp = 0;
    QList<SignedLine> lines; // any order: canonicalOrderText sorts by lineNo
    qint64 grossMinor = 0;
    qint64 discountMinor = 0;
    qint64 taxMinor = 0;
    qint64 totalMinor = 0;
};

// "outpost-order/1\n" followed by one "key=value" line per field and one line per order line
// ("line=<no>|<sku>|<qty>|<discountBp>|<unitPriceMinor>|<netMinor>"), UTF-8, '\n' separated, SKU
// percent-encoded for '|', '\n' and '%'.
QByteArray canonicalOrderText(const SignedOrder &order);
// SHA-256 of canonicalOrderText, 64 lower-case hex characters.
QString orderContentHash(const SignedOrder &order);

// SHA-256 of bytes as 64 lower-case hex characters; whether text is such a hash.
QString sha256Hex(const QByteArray &bytes);
bool isSha256Hex(const QString &text);

} // namespace outpost::domain
