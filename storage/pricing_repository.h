// Prices in the replica: price lists and their quantity breaks, contract prices, promotions, tax
// classes and the tenant currency; and the PricingContext the domain prices an order with, filled
// from the replica exactly as the server fills it from its database.
#pragma once

#include "domain/pricing.h"
#include "domain/result.h"
#include "storage/records.h"

#include <QDateTime>
#include <QList>

namespace outpost::storage {

class Database;

class PricingRepository
{
public:
    explicit PricingRepository(Database &db) : m_db(db) {}

    Status upsertPriceLists(const QList<PriceListRow> &rows);
    Status upsertPriceListEntries(const QList<PriceListEntryRow> &rows);
    Status upsertContractPrices(const QList<ContractPriceRow> &rows);
    Status upsertPromotions(const QList<PromotionRow> &rows);
    Status upsertTaxClasses(const QList<TaxClassRow> &rows);

    Status deletePriceLists(const QList<qint64> &ids);
    Status deletePriceListEntries(const QList<qint64> &ids);
    Status deleteContractPrices(const QList<qint64> &ids);
    Status deletePromotions(const QList<qint64> &ids);

    // The tenant's currency (from the sync handshake); used when an account has no price list.
    Status setTenantCurrency(const QString &isoCode);
    Result<QString> tenantCurrency();

    // Fills a PricingContext for one account and the given products at `now` (UTC):
    //  - account (credit limit NULL -> hasCreditLimit=false), products with their tax class code
    //    (unknown ids are left out: pricing reports product.unknown),
    //  - the account's price-list breaks for those products (breaks whose valid_from is after
    //    now's date are not yet in force), sorted by minQty,
    //  - the account's contract prices for those products (pricing checks their dates),
    //  - promotions for those products or their categories whose window contains `now`,
    //  - every tax class rate; currency of the account's price list, else the tenant's.
    // Errors: "storage.account_not_found" (NotFound), "storage.currency_unknown",
    // "storage.invalid_time" (now not valid), "storage.invalid_allowance" (negative bp).
    Result<PricingContext> loadPricingContext(qint64 accountId, const QList<qint64> &productIds,
                                              const QDateTime &now, qint64 maxLineBp, qint64 maxOrderBp);

    Result<qint64> priceListEntryCount();

private:
    Database &m_db;
};

} // namespace outpost::storage
