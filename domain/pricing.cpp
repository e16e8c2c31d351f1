#include "domain/pricing.h"

#include "domain/detail.h"

#include <algorithm>

namespace outpost {

using namespace Qt::Literals::StringLiterals;
using detail::formatBp;
using detail::formatMoney;
using detail::makeFinding;

QString PriceExplanation::sourceName(Source s)
{
    switch (s) {
    case Source::Contract:
        return u"contract"_s;
    case Source::PriceListTier:
        return u"tier"_s;
    case Source::ListPrice:
        return u"list"_s;
    }
    return u"list"_s;
}

QString PriceExplanation::text() const
{
    QString out;
    switch (source) {
    case Source::Contract:
        out = u"Contract price"_s;
        break;
    case Source::PriceListTier:
        // A list's base price (the break from 1) is just "Price list"; real breaks say where they start.
        out = tierMinQty > 1 ? u"Price list tier from %1"_s.arg(tierMinQty) : u"Price list"_s;
        break;
    case Source::ListPrice:
        out = u"List price"_s;
        break;
    }
    if (promotionId != 0) {
        const QString amount = promotionKind == Promotion::Kind::PercentOff
                                   ? formatBp(promotionValue)
                                   : formatMoney(promotionValue, currency);
        out += u"; promotion %1 -%2"_s.arg(promotionCode, amount);
    }
    if (appliedDiscountBp != 0 || requestedDiscountBp != 0) {
        out += u"; discount %1"_s.arg(formatBp(appliedDiscountBp));
        if (requestedDiscountBp != appliedDiscountBp)
            out += u" (requested %1)"_s.arg(formatBp(requestedDiscountBp));
    }
    return out;
}

namespace {

bool quantityPriceable(qint64 quantity)
{
    return quantity >= 1 && quantity <= kMaxQuantity;
}

// A requested discount within 0..10000 capped at the allowance (itself clamped to 0..10000);
// anything outside 0..10000 is invalid and applies nothing.
qint64 cappedBp(qint64 requested, qint64 allowance)
{
    if (requested < 0 || requested > 10000)
        return 0;
    return std::min(requested, std::clamp<qint64>(allowance, 0, 10000));
}

bool contractValid(const ContractPrice &c, const QDate &day)
{
    if (c.validFrom && day < *c.validFrom)
        return false;
    if (c.validTo && day > *c.validTo)
        return false;
    return true;
}

bool promotionActive(const Promotion &p, const QDateTime &now)
{
    if (p.startsAt.isValid() && now < p.startsAt)
        return false;
    if (p.endsAt.isValid() && now >= p.endsAt)
        return false;
    return true;
}

bool promotionTargets(const Promotion &p, const Product &product)
{
    if (p.productId != 0)
        return p.productId == product.id;
    return p.categoryId != 0 && p.categoryId == product.categoryId;
}

qint64 unitReduction(const Promotion &p, qint64 unit)
{
    qint64 r = 0;
    if (p.kind == Promotion::Kind::PercentOff)
        r = applyBasisPoints(unit, std::clamp<qint64>(p.value, 0, 10000));
    else
        r = std::max<qint64>(p.value, 0);
    return std::clamp<qint64>(r, 0, std::max<qint64>(unit, 0));
}

// Steps 1-3 for a known product; discounts left at zero, tax on the gross.
PricedLine priceKnownLine(const PricingContext &ctx, const Product &product, const OrderLineInput &line)
{
    PricedLine pl;
    pl.lineNo = line.lineNo;
    pl.productId = product.id;
    pl.quantity = line.quantity;
    pl.why.currency = ctx.currency;
    pl.why.requestedDiscountBp = line.discountBp;

    // 1. base unit price
    const auto contract = ctx.contractPrices.constFind(product.id);
    const QDate today = ctx.now.toUTC().date();
    bool isContract = false;
    if (contract != ctx.contractPrices.cend() && contractValid(*contract, today)) {
        pl.baseUnitPriceMinor = contract->unitPriceMinor;
        pl.why.source = PriceExplanation::Source::Contract;
        isContract = true;
    } else {
        const VolumeTier *best = nullptr;
        const auto tiers = ctx.priceListTiers.constFind(product.id);
        if (tiers != ctx.priceListTiers.cend()) {
            for (const VolumeTier &t : *tiers) {
                if (t.minQty <= line.quantity && (!best || t.minQty > best->minQty))
                    best = &t;
            }
        }
        if (best) {
            pl.baseUnitPriceMinor = best->unitPriceMinor;
            pl.why.source = PriceExplanation::Source::PriceListTier;
            pl.why.priceListId = ctx.account.priceListId;
            pl.why.tierMinQty = best->minQty;
        } else {
            pl.baseUnitPriceMinor = product.listPriceMinor;
            pl.why.source = PriceExplanation::Source::ListPrice;
        }
    }

    // 2. promotion: largest per-unit reduction, ties to the lowest id, never on a contract price
    pl.unitPriceMinor = pl.baseUnitPriceMinor;
    if (!isContract) {
        const Promotion *chosen = nullptr;
        qint64 chosenReduction = 0;
        for (const Promotion &p : ctx.promotions) {
            if (!promotionTargets(p, product) || !promotionActive(p, ctx.now) || p.minQty > line.quantity)
                continue;
            const qint64 r = unitReduction(p, pl.baseUnitPriceMinor);
            if (r <= 0)
                continue;
            if (!chosen || r > chosenReduction || (r == chosenReduction && p.id < chosen->id)) {
                chosen = &p;
                chosenReduction = r;
            }
        }
        if (chosen) {
            pl.unitPriceMinor = pl.baseUnitPriceMinor - chosenReduction;
            pl.why.promotionId = chosen->id;
            pl.why.promotionCode = chosen->code;
            pl.why.promotionUnitReductionMinor = chosenReduction;
            pl.why.promotionKind = chosen->kind;
            pl.why.promotionValue = chosen->value;
        }
    }

    // 3. gross
    const qint64 moneyQuantity = quantityPriceable(line.quantity) ? line.quantity : 0;
    pl.grossMinor = detail::mulSaturated(pl.unitPriceMinor, moneyQuantity);
    pl.netMinor = pl.grossMinor;
    pl.taxableMinor = pl.grossMinor;
    return pl;
}

// Step 6 for one line: rate, tax, total. Returns false when the tax class has no rate.
bool applyTax(const PricingContext &ctx, const Product &product, PricedLine &pl)
{
    bool known = true;
    pl.taxRateBp = 0;
    if (!ctx.account.taxExempt && !product.taxClass.isEmpty()) {
        const auto rate = ctx.taxRatesBp.constFind(product.taxClass);
        if (rate == ctx.taxRatesBp.cend())
            known = false;
        else
            pl.taxRateBp = *rate;
    }
    pl.taxMinor = applyBasisPoints(pl.taxableMinor, pl.taxRateBp);
    pl.totalMinor = detail::addSaturated(pl.taxableMinor, pl.taxMinor);
    return known;
}

} // namespace

PricedLine priceLine(const PricingContext &ctx, const OrderLineInput &line)
{
    const auto product = ctx.products.constFind(line.productId);
    if (product == ctx.products.cend()) {
        PricedLine pl;
        pl.lineNo = line.lineNo;
        pl.productId = line.productId;
        pl.quantity = line.quantity;
        pl.why.currency = ctx.currency;
        return pl;
    }
    PricedLine pl = priceKnownLine(ctx, *product, line);
    pl.why.requestedDiscountBp = 0;
    (void)applyTax(ctx, *product, pl);
    return pl;
}

PricedOrder priceOrder(const PricingContext &ctx, const OrderInput &order)
{
    PricedOrder out;
    out.currency = ctx.currency;
    out.appliedOrderDiscountBp = cappedBp(order.orderDiscountBp, ctx.maxOrderDiscountBp);
    if (order.orderDiscountBp >= 0 && order.orderDiscountBp <= 10000 &&
        out.appliedOrderDiscountBp < order.orderDiscountBp) {
        out.findings.push_back(
            makeFinding(u"discount.capped"_s, Severity::Warning, 0, 0,
                        u"Order discount %1 is above the allowance %2; capped at %2."_s.arg(
                            formatBp(order.orderDiscountBp), formatBp(out.appliedOrderDiscountBp))));
    }

    for (const OrderLineInput &line : order.lines) {
        const auto product = ctx.products.constFind(line.productId);
        if (product == ctx.products.cend()) {
            out.findings.push_back(makeFinding(
                u"product.unknown"_s, Severity::Error, line.lineNo, line.productId,
                u"Line %1: product %2 is not in the catalog."_s.arg(line.lineNo).arg(line.productId)));
            continue;
        }
        PricedLine pl = priceKnownLine(ctx, *product, line);
        const QString label = detail::lineLabel(line.lineNo, product->sku, product->id);

        // 4. manual line discount, capped
        pl.why.appliedDiscountBp = cappedBp(line.discountBp, ctx.maxLineDiscountBp);
        if (line.discountBp >= 0 && line.discountBp <= 10000 && pl.why.appliedDiscountBp < line.discountBp) {
            out.findings.push_back(
                makeFinding(u"discount.capped"_s, Severity::Warning, line.lineNo, product->id,
                            u"%1: discount %2 is above the allowance %3; capped at %3."_s.arg(
                                label, formatBp(line.discountBp), formatBp(pl.why.appliedDiscountBp))));
        }
        pl.lineDiscountMinor = applyBasisPoints(pl.grossMinor, pl.why.appliedDiscountBp);
        pl.netMinor = pl.grossMinor - pl.lineDiscountMinor;

        // 5. order discount share
        pl.orderDiscountMinor = applyBasisPoints(pl.netMinor, out.appliedOrderDiscountBp);
        pl.taxableMinor = pl.netMinor - pl.orderDiscountMinor;

        // 6. tax
        if (!applyTax(ctx, *product, pl)) {
            out.findings.push_back(
                makeFinding(u"tax.class_unknown"_s, Severity::Error, line.lineNo, product->id,
                            u"%1: tax class %2 has no rate."_s.arg(label, product->taxClass)));
        }
        detail::addToTotals(out.totals, pl);
        out.lines.push_back(std::move(pl));
    }
    return out;
}

namespace detail {

void addToTotals(OrderTotals &t, const PricedLine &pl)
{
    t.grossMinor = detail::addSaturated(t.grossMinor, pl.grossMinor);
    t.lineDiscountMinor = detail::addSaturated(t.lineDiscountMinor, pl.lineDiscountMinor);
    t.netMinor = detail::addSaturated(t.netMinor, pl.netMinor);
    t.orderDiscountMinor = detail::addSaturated(t.orderDiscountMinor, pl.orderDiscountMinor);
    t.taxableMinor = detail::addSaturated(t.taxableMinor, pl.taxableMinor);
    t.taxMinor = detail::addSaturated(t.taxMinor, pl.taxMinor);
    t.totalMinor = detail::addSaturated(t.totalMinor, pl.totalMinor);
}

} // namespace detail

} // namespace outpost
