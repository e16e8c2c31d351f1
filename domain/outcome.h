// The server's decision on a submitted order, computed from domain rules only, so the device can
// preview it and the server applies it. The server re-prices with its own data and compares with
// what the device quoted; every difference is an explicit adjustment, never a silent rewrite.
//
// Decision, per line:
//   - error finding on the line (unknown/discontinued product, bad quantity, stock.unavailable)
//       -> line "rejected" with those codes
//   - quantity not a case-pack multiple -> quantity rounded up, adjustment "quantity.rounded_to_case_pack"
//   - device's quoted unit price != server unit price -> adjustment "price.corrected" (old -> new)
//   - discount above allowance -> adjustment "discount.capped" (old bp -> new bp)
//   - stock short with backorder allowed -> adjustment "line.backordered" (backorderedQuantity set)
//   - stock short without backorder, ATP > 0 -> adjustment "line.partial_fill" (quantity -> ATP)
//   - otherwise "accepted"
// Per order:
//   - every line rejected, or an order-level error          -> Rejected
//   - any approval finding (MOQ, credit limit, account hold) -> Held, holdReasons = those codes
//   - any line adjusted or rejected, or the order discount
//     capped (order finding discount.capped)                  -> Adjusted ("accepted with adjustments")
//   - else                                                   -> Accepted
// Totals are those of the order as accepted (rejected lines excluded, adjusted quantities/prices).
//
// Details:
//   - rules run on the quantity as submitted (MOQ and stock judge it rounded up to the case pack);
//     then the case pack rounds it, then stock splits it (ship now / backorder / partial fill).
//   - an accepted line is priced on quantity + backorderedQuantity (the backordered part is still
//     ordered and invoiced when it ships), so tiers and the credit check see the whole commitment.
//   - a line-level pricing error (tax.class_unknown) rejects the line like a rule error.
//   - an order-level error (order.empty, order.duplicate_line, order discount.invalid) rejects
//     every line. holdReasons are only set when the outcome is Held; approval findings of rejected
//     lines do not hold the order. credit.limit_exceeded is checked on the accepted total.
#pragma once

#include "domain/pricing.h"
#include "domain/rules.h"

#include <optional>

namespace outpost {

enum class OrderOutcome { Accepted, Adjusted, Held, Rejected };
enum class LineOutcome { Accepted, Adjusted, Rejected };

QString outcomeName(OrderOutcome o); // "accepted", "adjusted", "held", "rejected"
QString outcomeName(LineOutcome o);  // "accepted", "adjusted", "rejected"

struct Adjustment
{
    QString code;  // price.corrected, quantity.rounded_to_case_pack, discount.capped,
                   // line.backordered, line.partial_fill
    QString field; // "unitPrice", "quantity", "discountBp", "backorderedQuantity"
    qint64 oldValue = 0;
    qint64 newValue = 0;
    QString message;
};

// What the device sent for a line: the order input line plus the unit price it showed the rep.
struct SubmittedLine
{
    OrderLineInput line;
    std::optional<qint64> quotedUnitPriceMinor; // absent: the device quoted nothing
};

struct LineDecision
{
    int lineNo = 0;
    qint64 productId = 0;
    LineOutcome outcome = LineOutcome::Accepted;
    qint64 requestedQuantity = 0;
    qint64 quantity = 0;            // ships now (or will, once held orders are released)
    qint64 backorderedQuantity = 0; // ships later
    std::optional<qint64> quotedUnitPriceMinor;
    std::vector<Adjustment> adjustments;
    std::vector<Finding> findings; // everything found on this line
    PricedLine priced;              // final pricing of the accepted quantity (zeros if rejected)
};

struct OrderDecision
{
    OrderOutcome outcome = OrderOutcome::Accepted;
    std::vector<QString> holdReasons; // finding codes with Severity::Approval
    std::vector<LineDecision> lines;  // same order as submitted
    std::vector<Finding> orderFindings; // lineNo == 0
    OrderTotals totals;
    QString currency;
    qint64 appliedOrderDiscountBp = 0;
};

OrderDecision decideOrder(const PricingContext &pricing, const ValidationContext &validation,
                          qint64 orderDiscountBp, const std::vector<SubmittedLine> &lines);

} // namespace outpost
