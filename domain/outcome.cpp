#include "domain/outcome.h"

#include "domain/detail.h"

#include <QSet>

#include <algorithm>

namespace outpost {

using namespace Qt::Literals::StringLiterals;
using detail::formatBp;
using detail::formatMoney;

QString outcomeName(OrderOutcome o)
{
    switch (o) {
    case OrderOutcome::Accepted:
        return u"accepted"_s;
    case OrderOutcome::Adjusted:
        return u"adjusted"_s;
    case OrderOutcome::Held:
        return u"held"_s;
    case OrderOutcome::Rejected:
        return u"rejected"_s;
    }
    return u"rejected"_s;
}

QString outcomeName(LineOutcome o)
{
    switch (o) {
    case LineOutcome::Accepted:
        return u"accepted"_s;
    case LineOutcome::Adjusted:
        return u"adjusted"_s;
    case LineOutcome::Rejected:
        return u"rejected"_s;
    }
    return u"rejected"_s;
}

namespace {

Adjustment makeAdjustment(QString code, QString field, qint64 oldValue, qint64 newValue, QString message)
{
    return Adjustment{std::move(code), std::move(field), oldValue, newValue, std::move(message)};
}

void reject(LineDecision &ld)
{
    ld.outcome = LineOutcome::Rejected;
    ld.quantity = 0;
    ld.backorderedQuantity = 0;
    ld.adjustments.clear();
    PricedLine zero;
    zero.lineNo = ld.lineNo;
    zero.productId = ld.productId;
    ld.priced = zero;
}

// Case pack, then stock: sets quantity/backorderedQuantity and the matching adjustments.
void planQuantities(const ValidationContext &validation, const Product &product, const QString &label,
                    LineDecision &ld)
{
    const qint64 rounded = roundUpToCasePack(ld.requestedQuantity, product.casePack);
    if (rounded != ld.requestedQuantity) {
        ld.adjustments.push_back(
            makeAdjustment(u"quantity.rounded_to_case_pack"_s, u"quantity"_s, ld.requestedQuantity, rounded,
                           u"%1: quantity %2 rounded up to %3 (case pack %4)."_s.arg(label)
                               .arg(ld.requestedQuantity)
                               .arg(rounded)
                               .arg(product.casePack)));
    }
    ld.quantity = rounded;
    if (!validation.checkStock)
        return;
    const FulfilmentPlan plan = planFulfilment(product, rounded, validation.stock.value(product.id).atp());
    if (plan.backorderQuantity > 0) {
        ld.adjustments.push_back(makeAdjustment(u"line.backordered"_s, u"backorderedQuantity"_s, 0,
                                                plan.backorderQuantity,
                                                u"%1: %2 ships now, %3 backordered."_s.arg(label)
                                                    .arg(plan.shipQuantity)
                                                    .arg(plan.backorderQuantity)));
        ld.quantity = plan.shipQuantity;
        ld.backorderedQuantity = plan.backorderQuantity;
    } else if (plan.unfilledQuantity > 0 && plan.shipQuantity > 0) {
        ld.adjustments.push_back(
            makeAdjustment(u"line.partial_fill"_s, u"quantity"_s, rounded, plan.shipQuantity,
                           u"%1: quantity %2 reduced to the %3 available."_s.arg(label).arg(rounded).arg(
                               plan.shipQuantity)));
        ld.quantity = plan.shipQuantity;
    }
}

} // namespace

OrderDecision decideOrder(const PricingContext &pricing, const ValidationContext &validation,
                          qint64 orderDiscountBp, const std::vector<SubmittedLine> &lines)
{
    OrderDecision d;
    d.currency = pricing.currency;

    std::vector<int> lineNos;
    for (const SubmittedLine &s : lines)
        lineNos.push_back(s.line.lineNo);
    d.orderFindings = detail::orderFindings(pricing, lineNos, orderDiscountBp);
    const bool orderError = hasErrors(d.orderFindings);

    // 1. Rules per line on the quantity as submitted; then case pack and stock.
    d.lines.reserve(lines.size());
    for (const SubmittedLine &s : lines) {
        LineDecision ld;
        ld.lineNo = s.line.lineNo;
        ld.productId = s.line.productId;
        ld.requestedQuantity = s.line.quantity;
        ld.quotedUnitPriceMinor = s.quotedUnitPriceMinor;
        ld.priced.lineNo = ld.lineNo;
        ld.priced.productId = ld.productId;
        const auto product = pricing.products.constFind(s.line.productId);
        if (product == pricing.products.cend()) {
            ld.findings.push_back(detail::makeFinding(
                u"product.unknown"_s, Severity::Error, ld.lineNo, ld.productId,
                u"Line %1: product %2 is not in the catalog."_s.arg(ld.lineNo).arg(ld.productId)));
            reject(ld);
        } else {
            ld.findings = detail::lineFindings(validation, s.line, *product);
            if (hasErrors(ld.findings) || orderError)
                reject(ld);
            else
                planQuantities(validation, *product, detail::lineLabel(ld.lineNo, product->sku, product->id),
                               ld);
        }
        d.lines.push_back(std::move(ld));
    }

    // 2. Price what would be accepted (shipping now plus backordered), with the order discount.
    OrderInput accepted;
    accepted.accountId = pricing.account.id;
    accepted.orderDiscountBp = orderDiscountBp;
    std::vector<size_t> index; // accepted.lines[k] is d.lines[index[k]]
    for (size_t i = 0; i < lines.size(); ++i) {
        const LineDecision &ld = d.lines[i];
        if (ld.outcome == LineOutcome::Rejected)
            continue;
        OrderLineInput in = lines[i].line;
        in.quantity = ld.quantity + ld.backorderedQuantity;
        accepted.lines.push_back(in);
        index.push_back(i);
    }
    const PricedOrder priced = priceOrder(pricing, accepted);
    d.appliedOrderDiscountBp = orderError ? 0 : priced.appliedOrderDiscountBp;
    for (const Finding &f : priced.findings) {
        if (f.lineNo == 0)
            d.orderFindings.push_back(f);
    }

    for (size_t k = 0; k < index.size(); ++k) {
        LineDecision &ld = d.lines[index[k]];
        const PricedLine &pl = priced.lines[k]; // every accepted line has a known product
        const QString label =
            detail::lineLabel(ld.lineNo, pricing.products.value(ld.productId).sku, ld.productId);
        bool pricingError = false;
        for (const Finding &f : priced.findings) {
            if (f.lineNo != ld.lineNo || f.productId != ld.productId)
                continue;
            ld.findings.push_back(f);
            pricingError = pricingError || f.severity == Severity::Error;
        }
        if (pricingError) {
            reject(ld);
            continue;
        }
        ld.priced = pl;
        if (pl.why.appliedDiscountBp != pl.why.requestedDiscountBp) {
            ld.adjustments.push_back(makeAdjustment(
                u"discount.capped"_s, u"discountBp"_s, pl.why.requestedDiscountBp, pl.why.appliedDiscountBp,
                u"%1: discount %2 capped at %3."_s.arg(label, formatBp(pl.why.requestedDiscountBp),
                                                       formatBp(pl.why.appliedDiscountBp))));
        }
        if (ld.quotedUnitPriceMinor && *ld.quotedUnitPriceMinor != pl.unitPriceMinor) {
            ld.adjustments.push_back(makeAdjustment(
                u"price.corrected"_s, u"unitPrice"_s, *ld.quotedUnitPriceMinor, pl.unitPriceMinor,
                u"%1: unit price corrected from %2 to %3."_s.arg(
                    label, formatMoney(*ld.quotedUnitPriceMinor, pricing.currency),
                    formatMoney(pl.unitPriceMinor, pricing.currency))));
        }
        ld.outcome = ld.adjustments.empty() ? LineOutcome::Accepted : LineOutcome::Adjusted;
    }

    // 3. Totals of the order as accepted; credit on that total.
    bool anyAccepted = false;
    bool anyAdjustedOrRejected = false;
    for (const LineDecision &ld : d.lines) {
        if (ld.outcome == LineOutcome::Rejected) {
            anyAdjustedOrRejected = true;
            continue;
        }
        anyAccepted = true;
        anyAdjustedOrRejected = anyAdjustedOrRejected || ld.outcome == LineOutcome::Adjusted;
        detail::addToTotals(d.totals, ld.priced);
    }
    if (std::any_of(d.orderFindings.begin(), d.orderFindings.end(),
                    [](const Finding &f) { return f.code == u"discount.capped"_s; }))
        anyAdjustedOrRejected = true;
    if (anyAccepted) {
        if (auto credit = detail::creditFinding(pricing.account, d.totals.totalMinor, pricing.currency))
            d.orderFindings.push_back(std::move(*credit));
    }
    detail::sortFindings(d.orderFindings);

    // 4. The order's outcome.
    if (orderError || !anyAccepted) {
        d.outcome = OrderOutcome::Rejected;
        return d;
    }
    QSet<QString> seen;
    auto collect = [&](const std::vector<Finding> &fs) {
        for (const Finding &f : fs) {
            if (f.severity == Severity::Approval && !seen.contains(f.code)) {
                seen.insert(f.code);
                d.holdReasons.push_back(f.code);
            }
        }
    };
    collect(d.orderFindings);
    for (const LineDecision &ld : d.lines) {
        if (ld.outcome != LineOutcome::Rejected)
            collect(ld.findings);
    }
    if (!d.holdReasons.empty())
        d.outcome = OrderOutcome::Held;
    else if (anyAdjustedOrRejected)
        d.outcome = OrderOutcome::Adjusted;
    else
        d.outcome = OrderOutcome::Accepted;
    return d;
}

} // namespace outpost
