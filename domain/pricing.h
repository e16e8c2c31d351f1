// Pricing: one function used by the device (offline) and the server (authoritative), so an offline
// price equals the server's. Inputs are plain values; no I/O.
//
// Resolution for one line, in order:
//  1. base unit price: the account's contract price for the product (valid on `now`'s date); else
//     the account's price list, the tier with the largest minQty <= quantity; else the list price.
//  2. promotion: of the promotions active at `now` for the product (or its category) whose minQty
//     <= quantity, the one giving the largest per-unit reduction (ties: lowest id); promotions do not
//     stack. PercentOff: unit - applyBasisPoints(unit, bp); AmountOff: unit - value; never below 0.
//     Promotions apply to list and price-list prices, never on top of a contract price.
//  3. gross = unit * quantity (exact).
//  4. rep's manual line discount (bp), capped at maxLineDiscountBp (finding "discount.capped"):
//     lineDiscount = applyBasisPoints(gross, bp); net = gross - lineDiscount.
//  5. order discount (bp) capped at maxOrderDiscountBp, spread per line:
//     orderDiscount_i = applyBasisPoints(net_i, bp); taxable_i = net_i - orderDiscount_i.
//  6. tax_i = applyBasisPoints(taxable_i, rate of the product's tax class) (0 if account exempt);
//     total_i = taxable_i + tax_i. Order totals are the sums of the line fields.
//
// Details: a null Promotion::startsAt/endsAt is open-ended; a promotion whose reduction is 0 is not
// applied. A quantity outside 1..kMaxQuantity prices the unit but gives zero amounts (validation
// reports it as an error). A discount bp outside 0..10000 ("discount.invalid" in rules) applies 0.
// A product whose non-empty taxClass is missing from taxRatesBp is taxed at 0 and reported as
// "tax.class_unknown" (error), unless the account is exempt.
#pragma once

#include "domain/catalog.h"
#include "domain/money.h"
#include "domain/rules.h"

#include <QHash>
#include <QString>

#include <vector>

namespace outpost {

struct PricingContext
{
    QString currency;         // of the account's price list / the tenant
    QDateTime now;            // UTC instant prices are evaluated at (server: receipt; device: capture)
    Account account;
    QHash<qint64, Product> products;                         // by product id
    QHash<qint64, std::vector<VolumeTier>> priceListTiers;   // by product id, account's list only
    QHash<qint64, ContractPrice> contractPrices;             // by product id, this account only
    std::vector<Promotion> promotions;                       // candidates; pricing filters them
    QHash<QString, qint64> taxRatesBp;                       // tax class code -> rate in bp
    qint64 maxLineDiscountBp = 0;  // the rep's allowance
    qint64 maxOrderDiscountBp = 0;
};

struct OrderLineInput
{
    int lineNo = 0; // 1-based, unique in the order
    qint64 productId = 0;
    qint64 quantity = 0;   // in the product's uom
    qint64 discountBp = 0; // rep's manual line discount request
};

struct OrderInput
{
    qint64 accountId = 0;
    qint64 warehouseId = 0; // ship-from; 0 = the account's default (caller resolves)
    std::vector<OrderLineInput> lines;
    qint64 orderDiscountBp = 0;
};

// Why a price is what it is; the UI and the server explain prices from this.
struct PriceExplanation
{
    enum class Source { Contract, PriceListTier, ListPrice };
    Source source = Source::ListPrice;
    qint64 priceListId = 0;  // for PriceListTier
    qint64 tierMinQty = 0;   // for PriceListTier
    qint64 promotionId = 0;  // 0 = none applied
    QString promotionCode;
    qint64 promotionUnitReductionMinor = 0;
    Promotion::Kind promotionKind = Promotion::Kind::PercentOff;
    qint64 promotionValue = 0;    // the promotion's bp (PercentOff) or minor units (AmountOff)
    qint64 requestedDiscountBp = 0;
    qint64 appliedDiscountBp = 0; // after the cap
    QString currency;             // for text(): amounts are printed with its exponent
    // "contract", "tier", "list" -- stable wire names
    static QString sourceName(Source s);
    // e.g. "Contract price", "Price list" (the list's base price), "Price list tier from 10", "List price; promotion SPRING10 -10.00%",
    // "List price; promotion SAVE50 -0.50 GBP; discount 5.00%",
    // "Price list tier from 50; discount 10.00% (requested 12.50%)"
    QString text() const;
};

struct PricedLine
{
    int lineNo = 0;
    qint64 productId = 0;
    qint64 quantity = 0;
    qint64 baseUnitPriceMinor = 0; // step 1
    qint64 unitPriceMinor = 0;     // after promotion (step 2)
    qint64 grossMinor = 0;
    qint64 lineDiscountMinor = 0;
    qint64 netMinor = 0;
    qint64 orderDiscountMinor = 0;
    qint64 taxableMinor = 0;
    qint64 taxRateBp = 0;
    qint64 taxMinor = 0;
    qint64 totalMinor = 0;
    PriceExplanation why;
};

struct OrderTotals
{
    qint64 grossMinor = 0;
    qint64 lineDiscountMinor = 0;
    qint64 netMinor = 0;
    qint64 orderDiscountMinor = 0;
    qint64 taxableMinor = 0;
    qint64 taxMinor = 0;
    qint64 totalMinor = 0;
};

struct PricedOrder
{
    QString currency;
    std::vector<PricedLine> lines; // same order as the input; lines whose product is unknown are
                                   // left out and reported as "product.unknown"
    OrderTotals totals;
    qint64 appliedOrderDiscountBp = 0;
    std::vector<Finding> findings; // pricing findings: discount.capped, product.unknown,
                                   // tax.class_unknown
};

// Unit price for one product and quantity, before any manual discount (catalog screens use this):
// steps 1-3 and tax on the gross. An unknown product gives a line of zeros.
PricedLine priceLine(const PricingContext &ctx, const OrderLineInput &line);

PricedOrder priceOrder(const PricingContext &ctx, const OrderInput &order);

} // namespace outpost
