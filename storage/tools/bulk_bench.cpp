// outpost-storage-bench: measures the replica's bulk upsert of price-list entries (one
// transaction, one reused prepared statement) into a fresh WAL database file and prints rows/s.
// Not a test: it asserts nothing about speed.
//
//   outpost-storage-bench [--rows N] [--products N]     (defaults: 100000 rows, 1000 products)
#include "storage/catalog_repository.h"
#include "storage/database.h"
#include "storage/pricing_repository.h"
#include "storage/schema.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTextStream>

using namespace outpost;
using namespace outpost::storage;
using namespace Qt::Literals::StringLiterals;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Bulk upsert throughput of the device replica."_s);
    parser.addHelpOption();
    parser.addOption({u"rows"_s, u"Price-list entries to upsert."_s, u"N"_s, u"100000"_s});
    parser.addOption({u"products"_s, u"Products the entries spread over."_s, u"N"_s, u"1000"_s});
    parser.process(app);
    QTextStream out(stdout);
    QTextStream err(stderr);
    bool ok1 = false;
    bool ok2 = false;
    const qint64 rows = parser.value(u"rows"_s).toLongLong(&ok1);
    const qint64 products = parser.value(u"products"_s).toLongLong(&ok2);
    if (!ok1 || !ok2 || rows <= 0 || products <= 0) {
        err << "--rows and --products take positive integers\n";
        return 2;
    }

    QTemporaryDir dir;
    auto db = Database::open(dir.filePath(u"bench.sqlite"_s));
    if (!db) {
        err << "open failed: " << db.error().code << '\n';
        return 1;
    }
    if (Status s = migrate(**db); !s) {
        err << "migrate failed: " << s.error().code << '\n';
        return 1;
    }
    QList<ProductRow> productRows;
    for (qint64 i = 1; i <= products; ++i) {
        ProductRow p;
        p.id = i;
        p.sku = u"SKU-%1"_s.arg(i);
        p.name = u"Product %1"_s.arg(i);
        p.listPriceMinor = 1000 + i;
        p.seq = 1;
        productRows.append(p);
    }
    CatalogRepository catalog(**db);
    PricingRepository pricing(**db);
    if (Status s = catalog.upsertProducts(productRows); !s) {
        err << "products failed: " << s.error().code << '\n';
        return 1;
    }
    if (Status s = pricing.upsertPriceLists({PriceListRow{1, u"WHOLESALE"_s, u"Wholesale"_s, u"GBP"_s, 1}});
        !s) {
        err << "price list failed: " << s.error().code << '\n';
        return 1;
    }
    QList<PriceListEntryRow> entries;
    entries.reserve(rows);
    for (qint64 i = 0; i < rows; ++i) {
        PriceListEntryRow e;
        e.id = i + 1;
        e.priceListId = 1;
        e.productId = i % products + 1;
        e.minQty = i / products + 1;
        e.unitPriceMinor = 900 + i % 100;
        e.seq = 2;
        entries.append(e);
    }
    QElapsedTimer timer;
    timer.start();
    if (Status s = pricing.upsertPriceListEntries(entries); !s) {
        err << "entries failed: " << s.error().code << ' ' << s.error().detail << '\n';
        return 1;
    }
    const qint64 insertNs = timer.nsecsElapsed();
    timer.restart();
    if (Status s = pricing.upsertPriceListEntries(entries); !s) { // every row now an update
        err << "entries (update) failed: " << s.error().code << '\n';
        return 1;
    }
    const qint64 updateNs = timer.nsecsElapsed();
    const auto rate = [rows](qint64 ns) { return ns > 0 ? qint64(double(rows) * 1e9 / double(ns)) : 0; };
    out << "price_list_entries insert: " << rows << " rows in " << insertNs / 1000000
        << " ms = " << rate(insertNs) << " rows/s\n";
    out << "price_list_entries upsert-over-existing: " << rows << " rows in " << updateNs / 1000000
        << " ms = " << rate(updateNs) << " rows/s\n";
    return 0;
}
