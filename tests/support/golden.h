// Golden pricing/order cases: a JSON file of hand-computed orders (tests/golden/priced_orders.json)
// that every layer runs through its own path (domain directly, the server over HTTP, the device
// replica) and compares with the same expectations. QtCore only.
//
// File format (money is always integer minor units of "currency"; times are ISO 8601 UTC):
// {
//   "format": "outpost.golden/1",
//   "cases": [ {
//     "name": "contractBeatsList",            unique, used as the QTest data tag
//     "note": "12 x 8.00 = 96.00 ...",         the hand arithmetic (ignored by the loader)
//     "context": {
//       "currency": "GBP", "now": "2024-05-15T10:00:00Z",
//       "account": { "id", "code", "name", "priceListId", "terms", "creditLimit", "hasCreditLimit",
//                    "openBalance", "taxExempt", "onHold" },
//       "products": [ { "id", "sku", "name", "categoryId", "uom", "casePack", "moq", "taxClass",
//                       "listPrice", "discontinued", "backorderAllowed" } ],
//       "priceListTiers": { "<productId>": [ { "minQty", "unitPrice" } ] }
//                      or [ { "productId", "minQty", "unitPrice" } ],
//       "contractPrices": [ { "productId", "unitPrice", "validFrom"?, "validTo"? } ]  (dates YYYY-MM-DD)
//       "promotions": [ { "id", "code", "name", "productId"?, "categoryId"?, "kind": "percent"|"amount",
//                         "value", "minQty", "startsAt", "endsAt" } ],
//       "taxRatesBp": { "STD": 2000 }, "maxLineDiscountBp", "maxOrderDiscountBp",
//       "stock": [ { "warehouseId", "productId", "onHand", "allocated", "asOf"? } ],
//       "checkStock": true
//     },
//     "order": { "accountId", "warehouseId", "orderDiscountBp",
//                "lines": [ { "lineNo", "productId", "quantity", "discountBp", "quotedUnitPrice"? } ] },
//     "expected": {
//       "lines":   [ { "lineNo", "baseUnitPrice", "unitPrice", "gross", "lineDiscount", "net",
//                      "orderDiscount", "tax", "total", "source": "contract"|"tier"|"list",
//                      "promotionCode" } ],           priceOrder() of the order as submitted
//       "totals":  { "gross", "lineDiscount", "net", "orderDiscount", "tax", "total" },
//       "findings": [ { "code", "severity": "error"|"approval"|"warning", "lineNo" } ],  any order
//       "decision": { "outcome", "holdReasons": [code...],
//                     "totals"?: { same keys as totals: the order as accepted },
//                     "lines": [ { "lineNo", "outcome", "quantity", "backorderedQuantity",
//                                  "adjustments": [code...] } ] }
//     }
//   } ]
// }
// Optional keys default to the catalog.h defaults; an account without "creditLimit" has no limit
// (hasCreditLimit false) unless "hasCreditLimit" says otherwise. Times must carry Z or an offset. Missing
// required keys, wrong types, non-integer money and unknown enum names are load errors naming the JSON path.
#pragma once

#include "domain/outcome.h"
#include "domain/pricing.h"
#include "domain/result.h"
#include "domain/rules.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <vector>

namespace outpost::test {

struct GoldenCase
{
    QString name;
    PricingContext pricing;
    ValidationContext validation; // stock of order.warehouseId only
    OrderInput order;
    std::vector<SubmittedLine> submitted; // order.lines plus the device's quoted unit prices
    QJsonObject expected;
    // Extras for runners that seed a database (server, device replica):
    QString note;
    std::vector<StockLevel> allStock; // every stock row of the case, all warehouses
    QJsonObject source;               // the case object exactly as in the file
};

// Loads and checks every case of a golden file. Error code "golden.invalid" with the JSON path in
// Error::field (e.g. "cases[3].context.products[0].listPrice"), the reason in userText and
// "path: reason" in detail.
Result<std::vector<GoldenCase>> loadGoldenCases(const QString &path);

// Human-readable differences between the expectations of `c` and what the domain (or a server
// answer converted to these types) produced; empty when everything matches. Each entry names the
// field, e.g. "lines[lineNo=2].tax: expected 200, got 199". Findings and hold reasons are compared
// as multisets (order-insensitive).
QStringList compareWithExpected(const GoldenCase &c, const PricedOrder &p, const std::vector<Finding> &f,
                                const OrderDecision &d);

// Path of the shared golden file in the source tree.
QString goldenPricedOrdersPath();

} // namespace outpost::test
