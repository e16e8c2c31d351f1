// Internal helpers shared by the domain .cpp files (not part of the API).
#pragma once

#include "domain/money.h"
#include "domain/rules.h"

#include <QString>

namespace outpost::detail {

// "12.50%" for 1250 bp.
QString formatBp(qint64 bp);
// "12.34 GBP" (the currency's exponent; plain minor units for an unknown currency).
QString formatMoney(qint64 minor, const QString &currency);
// a * b saturated to qint64 (exact whenever it fits).
qint64 mulSaturated(qint64 a, qint64 b);
// a + b saturated to qint64.
qint64 addSaturated(qint64 a, qint64 b);

Finding makeFinding(QString code, Severity severity, int lineNo, qint64 productId, QString message);

// "line 3 (SKU ABC-1)" or "line 3 (product 17)" when the SKU is empty.
QString lineLabel(int lineNo, const QString &sku, qint64 productId);

} // namespace outpost::detail

#include <optional>
#include <vector>

namespace outpost {
struct PricingContext;
struct ValidationContext;
struct OrderLineInput;
struct Account;
struct Product;
struct OrderTotals;
struct PricedLine;
} // namespace outpost

namespace outpost::detail {

// Rule findings of one line whose product is known: discontinued, quantity, case pack, MOQ,
// discount bp, stock (on the case-pack-rounded quantity).
std::vector<Finding> lineFindings(const ValidationContext &validation, const OrderLineInput &line,
                                  const Product &product);

// credit.limit_exceeded when open balance + orderTotal exceeds the account's limit.
std::optional<Finding> creditFinding(const Account &account, qint64 orderTotalMinor, const QString &currency);

// Order-level findings that do not depend on totals: empty, duplicate line numbers, order discount
// bp invalid, account on hold, COD terms.
std::vector<Finding> orderFindings(const PricingContext &pricing, const std::vector<int> &lineNos,
                                   qint64 orderDiscountBp);

void sortFindings(std::vector<Finding> &findings);

// totals += the line's amounts (saturating).
void addToTotals(OrderTotals &totals, const PricedLine &line);

} // namespace outpost::detail
