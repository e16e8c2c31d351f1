// Plain value types describing the wholesale world, filled by whoever owns the data (the device
// replica or the server database) and consumed by pricing and order rules. Ids are the server's
// integer ids as strings-free qint64; natural keys (SKU, account code) ride along for messages.
#pragma once

#include <QDateTime>
#include <QHash>
#include <QString>

#include <optional>
#include <vector>

namespace outpost {

struct Product
{
    qint64 id = 0;
    QString sku;
    QString name;
    qint64 categoryId = 0;
    QString uom = QStringLiteral("EA"); // unit of measure the quantity is counted in (EA, CS, KG ...)
    qint64 casePack = 1;                // quantities must be multiples of this (1 = any)
    qint64 moq = 1;                     // minimum order quantity, in uom
    QString taxClass;                   // code into PricingContext::taxRatesBp; empty = untaxed
    qint64 listPriceMinor = 0;          // public price per uom
    bool discontinued = false;
    bool backorderAllowed = false;
};

struct Account
{
    qint64 id = 0;
    QString code;
    QString name;
    qint64 priceListId = 0; // 0 = none: list prices
    QString terms;          // NET7, NET30, EOM, COD ...
    qint64 creditLimitMinor = 0; // 0 with hasCreditLimit=false means unlimited
    bool hasCreditLimit = true;
    qint64 openBalanceMinor = 0; // what the account owes now, incl. unshipped accepted orders
    bool taxExempt = false;
    bool onHold = false; // finance stop: every order is held
};

// One quantity break of a price-list entry: from minQty upward the unit price is unitPriceMinor.
struct VolumeTier
{
    qint64 minQty = 1;
    qint64 unitPriceMinor = 0;
};

struct ContractPrice
{
    qint64 productId = 0;
    qint64 unitPriceMinor = 0;
    std::optional<QDate> validFrom; // inclusive, UTC calendar date
    std::optional<QDate> validTo;   // inclusive
};

struct Promotion
{
    enum class Kind { PercentOff, AmountOff };
    qint64 id = 0;
    QString code;
    QString name;
    qint64 productId = 0;  // applies to this product, or
    qint64 categoryId = 0; // to every product of this category (one of the two is set)
    Kind kind = Kind::PercentOff;
    qint64 value = 0;   // basis points for PercentOff, minor units per uom for AmountOff
    qint64 minQty = 1;  // applies when the line quantity is at least this
    QDateTime startsAt; // inclusive, UTC
    QDateTime endsAt;   // exclusive, UTC
};

// Stock of one product in one warehouse. ATP = onHand - allocated (never below zero).
struct StockLevel
{
    qint64 warehouseId = 0;
    qint64 productId = 0;
    qint64 onHand = 0;
    qint64 allocated = 0;
    QDateTime asOf; // when the server last counted it (UTC)
    qint64 atp() const { return onHand > allocated ? onHand - allocated : 0; }
};

} // namespace outpost
