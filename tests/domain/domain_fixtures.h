// Small builders shared by the domain unit tests.
#pragma once

#include "domain/outcome.h"
#include "domain/pricing.h"
#include "domain/rules.h"

#include <QStringList>

namespace outpost::fixtures {

using namespace Qt::Literals::StringLiterals;

inline QDateTime at(const QString &iso)
{
    return QDateTime::fromString(iso, Qt::ISODate).toUTC();
}

inline Product makeProduct(qint64 id, const QString &sku, qint64 listPrice,
                           const QString &taxClass = u"STD"_s)
{
    Product p;
    p.id = id;
    p.sku = sku;
    p.name = sku;
    p.categoryId = 10;
    p.taxClass = taxClass;
    p.listPriceMinor = listPrice;
    return p;
}

// GBP, 2024-05-15T10:00Z, account 100 (limit 10000.00, nothing owed), one product: 1 OIL-1L at 10.00 STD 20%,
// allowances 10% per line and 5% per order.
inline PricingContext baseContext()
{
    PricingContext ctx;
    ctx.currency = u"GBP"_s;
    ctx.now = at(u"2024-05-15T10:00:00Z"_s);
    ctx.account.id = 100;
    ctx.account.code = u"ACME"_s;
    ctx.account.terms = u"NET30"_s;
    ctx.account.creditLimitMinor = 1'000'000;
    ctx.products.insert(1, makeProduct(1, u"OIL-1L"_s, 1000));
    ctx.taxRatesBp.insert(u"STD"_s, 2000);
    ctx.maxLineDiscountBp = 1000;
    ctx.maxOrderDiscountBp = 500;
    return ctx;
}

inline ValidationContext stockOf(std::initializer_list<std::pair<qint64, qint64>> atpByProduct)
{
    ValidationContext v;
    for (const auto &[productId, atp] : atpByProduct) {
        StockLevel s;
        s.warehouseId = 1;
        s.productId = productId;
        s.onHand = atp;
        v.stock.insert(productId, s);
    }
    return v;
}

inline OrderLineInput lineOf(int lineNo, qint64 productId, qint64 quantity, qint64 discountBp = 0)
{
    OrderLineInput l;
    l.lineNo = lineNo;
    l.productId = productId;
    l.quantity = quantity;
    l.discountBp = discountBp;
    return l;
}

// "code:severity@lineNo" for every finding, in order.
inline QStringList describe(const std::vector<Finding> &findings)
{
    QStringList out;
    for (const Finding &f : findings)
        out << u"%1:%2@%3"_s.arg(f.code, Finding::severityName(f.severity)).arg(f.lineNo);
    return out;
}

} // namespace outpost::fixtures
