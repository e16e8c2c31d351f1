// Money is integer minor units with an ISO 4217 currency. No floating point anywhere a price is
// computed.
//
// THE rounding rule (used everywhere, device and server): every division rounds half away from
// zero on minor units, once per step, via roundDiv(). Percentages are basis points (1 bp = 0.01 %).
#pragma once

#include "domain/result.h"

#include <QString>
#include <QtGlobal>

namespace outpost {

// a / b rounded half away from zero. b must be > 0 (asserted; 0 is returned otherwise). Uses
// 128-bit intermediates; a quotient outside qint64 saturates (asserted in debug builds).
qint64 roundDiv(__int128 numerator, qint64 denominator);

// amount * bp / 10000, rounded half away from zero.
qint64 applyBasisPoints(qint64 amountMinor, qint64 basisPoints);

// Minor-unit exponent of an ISO 4217 currency (GBP 2, JPY 0, BHD 3, ...); -1 if unknown.
int currencyExponent(const QString &isoCode);

struct Money
{
    qint64 minor = 0;
    QString currency; // ISO 4217, upper case, e.g. "GBP"

    // "12.34", "-0.5", "7" -> minor units for the currency's exponent. Rejects more decimals than
    // the currency has, thousands separators, exponents, whitespace, a '+' sign and garbage: Error
    // code "money.invalid"; a currency without a known exponent: "currency.unknown".
    static Result<Money> parse(const QString &text, const QString &currency);
    // "12.34" (no symbol, '.' decimal separator, exponent digits always shown). A currency without
    // a known exponent prints the plain minor units.
    QString toDecimalString() const;

    friend bool operator==(const Money &, const Money &) = default;
};

} // namespace outpost
