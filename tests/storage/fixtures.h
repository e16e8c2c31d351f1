// Shared fixture for the storage tests: a fresh migrated replica and a small, readable catalog.
#pragma once

#include "storage/account_repository.h"
#include "storage/catalog_repository.h"
#include "storage/database.h"
#include "storage/pricing_repository.h"
#include "storage/schema.h"
#include "storage/stock_repository.h"

#include <QDateTime>
#include <QString>
#include <QTest>

#include <memory>

namespace outpost::storage::testing {

using namespace Qt::Literals::StringLiterals;

inline QDateTime utc(const QString &iso)
{
    QDateTime t = QDateTime::fromString(iso, Qt::ISODateWithMs);
    if (!t.isValid())
        qFatal("bad test time");
    return t.toUTC();
}

inline std::unique_ptr<Database> openMigrated(const QString &path = QString::fromLatin1(Database::kMemory))
{
    auto db = Database::open(path);
    if (!db)
        qFatal("open failed: %s", qPrintable(db.error().detail));
    if (Status s = migrate(**db); !s)
        qFatal("migrate failed: %s", qPrintable(s.error().detail));
    return std::move(db.value());
}

inline qint64 scalar(Database &db, const char *sql)
{
    auto st = db.prepare(sql);
    if (!st)
        qFatal("prepare failed: %s", qPrintable(st.error().detail));
    auto row = st->step();
    if (!row || !*row)
        qFatal("no row for scalar");
    return st->int64(0);
}

inline ProductRow product(qint64 id, const QString &sku, const QString &name, qint64 categoryId,
                          const QString &barcode, qint64 listPrice, qint64 taxClassId = 1)
{
    ProductRow p;
    p.id = id;
    p.sku = sku;
    p.name = name;
    p.categoryId = categoryId;
    p.barcode = barcode;
    p.listPriceMinor = listPrice;
    p.taxClassId = taxClassId;
    p.seq = 10;
    return p;
}

// Categories 1 Oils, 2 Dairy; tax STD 20 %, ZERO; warehouses MAIN (1), NORTH (2); four products;
// price list 1 TRADE (GBP); accounts 10 Acme Bistro (TRADE, Leeds) and 11 Blue Harbour Hotel
// (Whitby, no list) with a contact each.
inline void seedSample(Database &db)
{
    CatalogRepository catalog(db);
    PricingRepository pricing(db);
    AccountRepository accounts(db);
    bool ok =
        catalog.upsertCategories({{1, u"OILS"_s, u"Oils"_s, 0, 1}, {2, u"DAIRY"_s, u"Dairy"_s, 0, 1}}).ok() &&
        catalog.upsertTaxClasses({{1, u"STD"_s, u"Standard"_s, 2000, 1}, {2, u"ZERO"_s, u"Zero"_s, 0, 1}})
            .ok() &&
        catalog.upsertWarehouses({{1, u"MAIN"_s, u"Main depot"_s, 1}, {2, u"NORTH"_s, u"North depot"_s, 1}})
            .ok();
    ProductRow milk = product(3, u"MLK-2L-010"_s, u"Whole Milk 2L"_s, 2, u"5000000000010"_s, 189, 2);
    milk.description = u"Fresh dairy milk, chilled"_s;
    milk.casePack = 6;
    ok = ok &&
         catalog
             .upsertProducts(
                 {product(1, u"OIL-5L-001"_s, u"Olive Oil Extra Virgin 5L"_s, 1, u"5012345678900"_s, 2599),
                  product(2, u"OIL-1L-002"_s, u"Sunflower Oil 1L"_s, 1, u"5012345678917"_s, 349), milk,
                  product(4, u"DRY-CF-200"_s, u"Crème Fraîche 200ml"_s, 2, QString(), 129)})
             .ok();
    ok = ok && pricing.upsertPriceLists({{1, u"TRADE"_s, u"Trade"_s, u"GBP"_s, 2}}).ok();
    AccountRow acme;
    acme.id = 10;
    acme.code = u"ACME-001"_s;
    acme.name = u"Acme Bistro"_s;
    acme.city = u"Leeds"_s;
    acme.priceListId = 1;
    acme.creditLimitMinor = 500000;
    acme.openBalanceMinor = 1000;
    acme.defaultWarehouseId = 1;
    acme.seq = 3;
    AccountRow blue;
    blue.id = 11;
    blue.code = u"BLUE-002"_s;
    blue.name = u"Blue Harbour Hotel"_s;
    blue.city = u"Whitby"_s;
    blue.terms = u"COD"_s;
    blue.seq = 3;
    ok = ok && accounts.upsertAccounts({acme, blue}).ok();
    ok = ok && accounts
                   .upsertContacts(
                       {{100, 10, u"Maria Lopez"_s, u"Chef"_s, u"0113 000"_s, u"maria@acme.test"_s, 1, 3},
                        {101, 11, u"John Smith"_s, u"Buyer"_s, QString(), QString(), 1, 3}})
                   .ok();
    ok = ok && accounts
                   .upsertAddresses({{200, 10, u"shipping"_s, u"1 Market St"_s, QString(), u"Leeds"_s,
                                      u"LS1 1AA"_s, u"GB"_s, 1, 3}})
                   .ok();
    if (!ok)
        qFatal("seeding the sample replica failed");
}

} // namespace outpost::storage::testing
