// Order rules: what is wrong or noteworthy about an order, each finding with a stable code.
// Codes (stable; wire, UI and tests use them):
//   order.empty                  error     no lines
//   order.duplicate_line         error     two lines with the same lineNo
//   product.unknown              error     product id not in the catalog
//   product.discontinued         error     product no longer sold
//   quantity.not_positive        error     quantity <= 0
//   quantity.too_large           error     quantity > kMaxQuantity
//   quantity.below_moq           approval  quantity < product MOQ (a manager may approve)
//   quantity.not_case_multiple   warning   not a multiple of the case pack (server rounds up)
//   discount.invalid             error     discount bp < 0 or > 10000
//   discount.capped              warning   discount above the rep's allowance, capped
//   stock.backorder              warning   ATP < quantity, product allows backorder: rest ships later
//   stock.partial                warning   ATP < quantity, no backorder, ATP > 0: only ATP ships
//   stock.unavailable            error     ATP == 0 and no backorder allowed
//   credit.limit_exceeded        approval  open balance + order total > credit limit (credit hold)
//   account.on_hold              approval  account is on a finance stop
//   terms.cod                    warning   cash on delivery: collect payment at delivery
//   tax.class_unknown            error     product's tax class has no rate (from pricing)
//
// Order-level findings have lineNo 0: order.empty, order.duplicate_line, account.on_hold,
// credit.limit_exceeded, terms.cod, and discount.invalid / discount.capped for the order discount.
// MOQ and stock are judged on the quantity rounded up to the case pack (what the server ships), so
// the device's preview agrees with decideOrder(). Findings come sorted by lineNo (order-level first),
// in rule order within a line.
#pragma once

#include "domain/catalog.h"

#include <QHash>
#include <QString>

#include <vector>

namespace outpost {

struct PricingContext;
struct OrderInput;
struct PricedOrder;

constexpr qint64 kMaxQuantity = 1'000'000; // per line, in uom: anything above is a typo

enum class Severity {
    Error,    // blocks submit on the device; the server rejects the line (or the order)
    Approval, // the order can be submitted but is held until a manager approves
    Warning,  // shown; does not block
};

struct Finding
{
    QString code;
    Severity severity = Severity::Error;
    int lineNo = 0; // 0 = the whole order
    qint64 productId = 0;
    QString message; // human sentence, English; the UI may translate by code

    static QString severityName(Severity s); // "error", "approval", "warning"
};

// What can ship now for one line and what waits.
struct FulfilmentPlan
{
    qint64 shipQuantity = 0;
    qint64 backorderQuantity = 0;
    qint64 unfilledQuantity = 0; // neither ships nor waits (no backorder allowed)
};

FulfilmentPlan planFulfilment(const Product &product, qint64 quantity, qint64 atp);

// Quantity rounded up to the next case-pack multiple (unchanged when already a multiple).
qint64 roundUpToCasePack(qint64 quantity, qint64 casePack);

struct ValidationContext
{
    // Stock in the order's ship-from warehouse, by product id. A product missing here has ATP 0.
    QHash<qint64, StockLevel> stock;
    bool checkStock = true; // the device may skip when its stock data is too old to judge
};

// All findings for an order: rule findings plus the pricing findings in `priced`.
std::vector<Finding> validateOrder(const PricingContext &pricing, const ValidationContext &validation,
                                   const OrderInput &order, const PricedOrder &priced);

bool hasErrors(const std::vector<Finding> &findings);

} // namespace outpost
