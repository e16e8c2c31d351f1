#include "domain/rules.h"

#include "domain/detail.h"
#include "domain/pricing.h"

#include <QSet>

#include <algorithm>

namespace outpost {

using namespace Qt::Literals::StringLiterals;
using detail::formatBp;
using detail::formatMoney;
using detail::makeFinding;

QString Finding::severityName(Severity s)
{
    switch (s) {
    case Severity::Error:
        return u"error"_s;
    case Severity::Approval:
        return u"approval"_s;
    case Severity::Warning:
        return u"warning"_s;
    }
    return u"error"_s;
}

FulfilmentPlan planFulfilment(const Product &product, qint64 quantity, qint64 atp)
{
    FulfilmentPlan plan;
    if (quantity <= 0)
        return plan;
    plan.shipQuantity = std::min(quantity, std::max<qint64>(atp, 0));
    const qint64 rest = quantity - plan.shipQuantity;
    if (product.backorderAllowed)
        plan.backorderQuantity = rest;
    else
        plan.unfilledQuantity = rest;
    return plan;
}

qint64 roundUpToCasePack(qint64 quantity, qint64 casePack)
{
    if (casePack <= 1 || quantity <= 0)
        return quantity;
    const qint64 remainder = quantity % casePack;
    if (remainder == 0)
        return quantity;
    return detail::addSaturated(quantity, casePack - remainder);
}

bool hasErrors(const std::vector<Finding> &findings)
{
    return std::any_of(findings.begin(), findings.end(),
                       [](const Finding &f) { return f.severity == Severity::Error; });
}

namespace detail {

std::vector<Finding> lineFindings(const ValidationContext &validation, const OrderLineInput &line,
                                  const Product &product)
{
    std::vector<Finding> out;
    const QString label = lineLabel(line.lineNo, product.sku, product.id);
    auto add = [&](QString code, Severity s, QString message) {
        out.push_back(makeFinding(std::move(code), s, line.lineNo, product.id, std::move(message)));
    };

    if (product.discontinued)
        add(u"product.discontinued"_s, Severity::Error,
            u"%1 is discontinued and can no longer be ordered."_s.arg(label));
    if (line.discountBp < 0 || line.discountBp > 10000) {
        add(u"discount.invalid"_s, Severity::Error,
            u"%1: discount %2 is outside 0.00%..100.00%."_s.arg(label, formatBp(line.discountBp)));
    }
    if (line.quantity <= 0) {
        add(u"quantity.not_positive"_s, Severity::Error,
            u"%1: quantity %2 must be at least 1."_s.arg(label).arg(line.quantity));
        return out;
    }
    const qint64 effective = roundUpToCasePack(line.quantity, product.casePack);
    if (effective > kMaxQuantity) { // also when rounding up to the case pack crosses the maximum
        add(u"quantity.too_large"_s, Severity::Error,
            u"%1: quantity %2 is above the maximum %3 per line."_s.arg(label).arg(effective).arg(
                kMaxQuantity));
        return out;
    }
    if (product.discontinued)
        return out;

    if (effective != line.quantity) {
        add(u"quantity.not_case_multiple"_s, Severity::Warning,
            u"%1: quantity %2 is not a multiple of the case pack %3; it will be rounded up to %4."_s
                .arg(label)
                .arg(line.quantity)
                .arg(product.casePack)
                .arg(effective));
    }
    if (effective < product.moq) {
        add(u"quantity.below_moq"_s, Severity::Approval,
            u"%1: quantity %2 is below the minimum order quantity %3 %4."_s.arg(label)
                .arg(effective)
                .arg(product.moq)
                .arg(product.uom));
    }
    if (validation.checkStock) {
        const qint64 atp = validation.stock.value(product.id).atp();
        const FulfilmentPlan plan = planFulfilment(product, effective, atp);
        if (plan.backorderQuantity > 0) {
            add(u"stock.backorder"_s, Severity::Warning,
                u"%1: %2 available of %3; %4 will be backordered."_s.arg(label)
                    .arg(plan.shipQuantity)
                    .arg(effective)
                    .arg(plan.backorderQuantity));
        } else if (plan.unfilledQuantity > 0 && plan.shipQuantity > 0) {
            add(u"stock.partial"_s, Severity::Warning,
                u"%1: only %2 of %3 available; the rest cannot be backordered."_s.arg(label)
                    .arg(plan.shipQuantity)
                    .arg(effective));
        } else if (plan.unfilledQuantity > 0) {
            add(u"stock.unavailable"_s, Severity::Error,
                u"%1: none of %2 available and the product cannot be backordered."_s.arg(label).arg(
                    effective));
        }
    }
    return out;
}

std::optional<Finding> creditFinding(const Account &account, qint64 orderTotalMinor, const QString &currency)
{
    if (!account.hasCreditLimit)
        return std::nullopt;
    const qint64 exposure = addSaturated(account.openBalanceMinor, orderTotalMinor);
    if (exposure <= account.creditLimitMinor)
        return std::nullopt;
    return makeFinding(u"credit.limit_exceeded"_s, Severity::Approval, 0, 0,
                       u"Open balance %1 plus this order %2 is %3, above the credit limit %4."_s.arg(
                           formatMoney(account.openBalanceMinor, currency),
                           formatMoney(orderTotalMinor, currency), formatMoney(exposure, currency),
                           formatMoney(account.creditLimitMinor, currency)));
}

std::vector<Finding> orderFindings(const PricingContext &pricing, const std::vector<int> &lineNos,
                                   qint64 orderDiscountBp)
{
    std::vector<Finding> out;
    if (lineNos.empty())
        out.push_back(makeFinding(u"order.empty"_s, Severity::Error, 0, 0, u"The order has no lines."_s));
    QSet<int> seen;
    QSet<int> reported;
    for (int n : lineNos) {
        if (seen.contains(n) && !reported.contains(n)) {
            reported.insert(n);
            out.push_back(makeFinding(u"order.duplicate_line"_s, Severity::Error, 0, 0,
                                      u"Line number %1 appears more than once."_s.arg(n)));
        }
        seen.insert(n);
    }
    if (orderDiscountBp < 0 || orderDiscountBp > 10000) {
        out.push_back(
            makeFinding(u"discount.invalid"_s, Severity::Error, 0, 0,
                        u"Order discount %1 is outside 0.00%..100.00%."_s.arg(formatBp(orderDiscountBp))));
    }
    if (pricing.account.onHold) {
        out.push_back(makeFinding(
            u"account.on_hold"_s, Severity::Approval, 0, 0,
            u"Account %1 is on a finance stop; the order needs approval."_s.arg(pricing.account.code)));
    }
    if (pricing.account.terms.compare(u"COD"_s, Qt::CaseInsensitive) == 0) {
        out.push_back(makeFinding(
            u"terms.cod"_s, Severity::Warning, 0, 0,
            u"Account %1 pays cash on delivery: collect payment at delivery."_s.arg(pricing.account.code)));
    }
    return out;
}

void sortFindings(std::vector<Finding> &findings)
{
    std::stable_sort(findings.begin(), findings.end(),
                     [](const Finding &a, const Finding &b) { return a.lineNo < b.lineNo; });
}

} // namespace detail

std::vector<Finding> validateOrder(const PricingContext &pricing, const ValidationContext &validation,
                                   const OrderInput &order, const PricedOrder &priced)
{
    std::vector<Finding> out;
    std::vector<int> lineNos;
    lineNos.reserve(order.lines.size());
    for (const OrderLineInput &l : order.lines)
        lineNos.push_back(l.lineNo);
    out = detail::orderFindings(pricing, lineNos, order.orderDiscountBp);
    if (!order.lines.empty()) {
        if (auto credit = detail::creditFinding(pricing.account, priced.totals.totalMinor, pricing.currency))
            out.push_back(std::move(*credit));
    }

    // Pricing findings first within a line (unknown product, capped discount, tax class).
    QSet<int> unknownReported;
    for (const Finding &f : priced.findings) {
        out.push_back(f);
        if (f.code == u"product.unknown"_s)
            unknownReported.insert(f.lineNo);
    }
    for (const OrderLineInput &line : order.lines) {
        const auto product = pricing.products.constFind(line.productId);
        if (product == pricing.products.cend()) {
            if (!unknownReported.contains(line.lineNo)) {
                out.push_back(makeFinding(
                    u"product.unknown"_s, Severity::Error, line.lineNo, line.productId,
                    u"Line %1: product %2 is not in the catalog."_s.arg(line.lineNo).arg(line.productId)));
            }
            continue;
        }
        std::vector<Finding> lf = detail::lineFindings(validation, line, *product);
        std::move(lf.begin(), lf.end(), std::back_inserter(out));
    }
    detail::sortFindings(out);
    return out;
}

} // namespace outpost
