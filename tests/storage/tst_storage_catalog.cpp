// CatalogRepository: bulk upserts/deletes, lookups, FTS5 search.
#include "fixtures.h"

#include "storage/replica_writer.h"

#include <QTest>

#include <algorithm>

using namespace outpost;
using namespace outpost::storage;
using namespace outpost::storage::testing;

using IdList = QList<qint64>;

namespace {
// Copies categories, tax classes and products of `from` into the empty replica `to` the way a snapshot is
// applied (ReplicaWriter bulk load); endTable only when `finish`.
void bulkCopy(Database &from, Database &to, bool finish)
{
    ReplicaWriter writer(to);
    for (const char *table : {"categories", "tax_classes", "products"}) {
        auto st = from.prepare((std::string("SELECT * FROM ") + table + " ORDER BY id").c_str());
        QVERIFY(st.ok());
        QList<QByteArray> names;
        QList<Cell> cells;
        QList<QByteArray> texts;
        bool begun = false;
        for (;;) {
            auto row = st->step();
            QVERIFY(row.ok());
            if (!*row)
                break;
            if (!begun) {
                for (int c = 0; c < st->columnCount(); ++c) {
                    auto info = from.prepare((std::string("SELECT name FROM pragma_table_info('") + table +
                                              "') WHERE cid = " + std::to_string(c)).c_str());
                    QVERIFY(info.ok() && info->step().value());
                    names << info->textUtf8(0);
                }
                QVERIFY(writer.beginTable(QString::fromLatin1(table), names, true).ok());
                cells.resize(names.size());
                texts.resize(names.size());
                begun = true;
            }
            for (int c = 0; c < names.size(); ++c) {
                const bool isInt = names[c] == "id" || names[c].endsWith("_id") || names[c] == "seq" ||
                                   names[c].endsWith("_minor") || names[c] == "case_pack" || names[c] == "moq" ||
                                   names[c] == "discontinued" || names[c] == "backorder_allowed" || names[c] == "rate_bp";
                if (st->isNull(c)) {
                    cells[c] = Cell{Cell::Kind::Null, 0, {}};
                } else if (isInt) {
                    cells[c] = Cell{Cell::Kind::Int, st->int64(c), {}};
                } else {
                    texts[c] = st->textUtf8(c);
                    cells[c] = Cell{Cell::Kind::Text, 0, texts[c]};
                }
            }
            QVERIFY(writer.row(cells).ok());
        }
        st->reset();
        if (finish || QByteArrayView(table) != "products")
            QVERIFY(writer.endTable().ok());
    }
}

qint64 insertTriggers(Database &db)
{
    return scalar(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name = 'products_fts_ai'");
}

QList<qint64> ids(const Result<QList<ProductRow>> &rows)
{
    QList<qint64> out;
    for (const ProductRow &p : *rows)
        out << p.id;
    std::sort(out.begin(), out.end());
    return out;
}

bool ftsPrefixQueryIsEmpty(const QString &text)
{
    return std::none_of(text.begin(), text.end(), [](QChar c) { return c.isLetterOrNumber(); });
}
} // namespace

class TestStorageCatalog : public QObject
{
    Q_OBJECT

    std::unique_ptr<Database> m_db;

private slots:
    void init()
    {
        m_db = openMigrated();
        seedSample(*m_db);
    }

    void upsertThenGetById()
    {
        CatalogRepository catalog(*m_db);
        auto p = catalog.product(3);
        QVERIFY(p.ok());
        QCOMPARE(p->sku, u"MLK-2L-010"_s);
        QCOMPARE(p->casePack, 6);
        QCOMPARE(p->categoryId, 2);
        QCOMPARE(p->taxClassId, 2);
        QCOMPARE(p->seq, 10);
        auto d = catalog.domainProduct(3);
        QVERIFY(d.ok());
        QCOMPARE(d->taxClass, u"ZERO"_s);
        QCOMPARE(d->listPriceMinor, 189);
    }

    void upsertUpdatesExistingRowAndKeepsNewSeq()
    {
        CatalogRepository catalog(*m_db);
        ProductRow p = *catalog.product(1);
        p.listPriceMinor = 2799;
        p.seq = 42;
        QVERIFY(catalog.upsertProducts({p}).ok());
        auto again = catalog.product(1);
        QCOMPARE(again->listPriceMinor, 2799);
        QCOMPARE(again->seq, 42);
        QCOMPARE(*catalog.productCount(), 4);
    }

    void lookupBySkuAndBarcode()
    {
        CatalogRepository catalog(*m_db);
        QCOMPARE(catalog.productBySku(u"OIL-1L-002"_s)->id, 2);
        QCOMPARE(catalog.productByBarcode(u" 5000000000010 "_s)->id, 3);
        auto missing = catalog.productBySku(u"NOPE"_s);
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().code, u"storage.product_not_found"_s);
        QCOMPARE(missing.error().kind, ErrorKind::NotFound);
        auto empty = catalog.productByBarcode(u"  "_s);
        QCOMPARE(empty.error().code, u"storage.missing_field"_s);
    }

    void badRowRejectsWholeBatch_data()
    {
        QTest::addColumn<int>("badField");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("field");
        QTest::newRow("zeroId") << 0 << u"storage.invalid_id"_s << u"products[1].id"_s;
        QTest::newRow("emptySku") << 1 << u"storage.missing_field"_s << u"products[1].sku"_s;
        QTest::newRow("zeroCasePack") << 2 << u"storage.invalid_case_pack"_s << u"products[1].casePack"_s;
        QTest::newRow("negativePrice") << 3 << u"storage.invalid_price"_s << u"products[1].listPriceMinor"_s;
        QTest::newRow("zeroMoq") << 4 << u"storage.invalid_moq"_s << u"products[1].moq"_s;
    }

    void badRowRejectsWholeBatch()
    {
        QFETCH(int, badField);
        QFETCH(QString, code);
        QFETCH(QString, field);
        CatalogRepository catalog(*m_db);
        ProductRow good = product(50, u"NEW-050"_s, u"New thing"_s, 1, QString(), 100);
        ProductRow bad = product(51, u"NEW-051"_s, u"Bad thing"_s, 1, QString(), 100);
        switch (badField) {
        case 0:
            bad.id = 0;
            break;
        case 1:
            bad.sku = u" "_s;
            break;
        case 2:
            bad.casePack = 0;
            break;
        case 3:
            bad.listPriceMinor = -1;
            break;
        case 4:
            bad.moq = 0;
            break;
        }
        Status s = catalog.upsertProducts({good, bad});
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, code);
        QCOMPARE(s.error().field, field);
        QCOMPARE(s.error().kind, ErrorKind::Invalid);
        QVERIFY(!catalog.product(50).ok()); // nothing written
        QCOMPARE(*catalog.productCount(), 4);
    }

    void danglingReferenceFailsTheWholeApply()
    {
        CatalogRepository catalog(*m_db);
        Status s = catalog.upsertProducts({product(60, u"X-60"_s, u"Orphan"_s, 99, QString(), 10)});
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, u"storage.constraint"_s);
        QVERIFY(!catalog.product(60).ok());
    }

    void rowsMayArriveBeforeWhatTheyReferenceInOneApply()
    {
        CatalogRepository catalog(*m_db);
        auto tx = Transaction::begin(*m_db);
        QVERIFY(catalog.upsertProducts({product(61, u"TEA-061"_s, u"Green Tea"_s, 7, QString(), 10)}).ok());
        QVERIFY(catalog.upsertCategories({{7, u"TEA"_s, u"Teas"_s, 0, 5}}).ok());
        QVERIFY(tx->commit().ok());
        auto found = catalog.searchProducts(u"teas"_s, 0, 10); // category name indexed late
        QCOMPARE(found->size(), 1);
        QCOMPARE(found->first().id, 61);
    }

    void deleteProductCascadesToItsPricesAndStock()
    {
        CatalogRepository catalog(*m_db);
        PricingRepository pricing(*m_db);
        StockRepository stock(*m_db);
        QVERIFY(pricing.upsertPriceListEntries({{1, 1, 2, 1, 300, std::nullopt, 5}}).ok());
        QVERIFY(stock.upsertLevels({{1, 1, 2, 10, 0, utc(u"2026-11-20T08:00:00Z"_s), 5}}).ok());
        QVERIFY(catalog.deleteProducts({2}).ok());
        QVERIFY(!catalog.product(2).ok());
        QCOMPARE(*pricing.priceListEntryCount(), 0);
        QCOMPARE(stock.levelsForProduct(2)->size(), 0);
        QCOMPARE(catalog.searchProducts(u"sunflower"_s, 0, 10)->size(), 0);
    }

    void deleteCategoryKeepsProductsUncategorised()
    {
        CatalogRepository catalog(*m_db);
        QVERIFY(catalog.deleteCategories({1}).ok());
        QCOMPARE(catalog.product(1)->categoryId, 0);
        QCOMPARE(catalog.searchProducts(u"oils"_s, 0, 10)->size(), 0); // category name gone
        QCOMPARE(catalog.searchProducts(u"olive"_s, 0, 10)->size(), 1);
    }

    void search_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("categoryId");
        QTest::addColumn<IdList>("expected");
        QTest::newRow("twoPrefixes") << u"oli oil"_s << qint64(0) << IdList{1};
        QTest::newRow("wordPrefix") << u"oil"_s << qint64(0) << IdList{1, 2};
        QTest::newRow("caseInsensitive") << u"SUNFLOWER"_s << qint64(0) << IdList{2};
        QTest::newRow("skuWhole") << u"MLK-2L-010"_s << qint64(0) << IdList{3};
        QTest::newRow("skuFragmentWithSeparator") << u"oil-5"_s << qint64(0) << IdList{1};
        QTest::newRow("skuTailFragment") << u"5L-001"_s << qint64(0) << IdList{1};
        QTest::newRow("skuFragmentWithoutSeparators") << u"OIL5L"_s << qint64(0) << IdList{1};
        QTest::newRow("barcodeWhole") << u"5012345678917"_s << qint64(0) << IdList{2};
        QTest::newRow("barcodePrefix") << u"50123456789"_s << qint64(0) << IdList{1, 2};
        QTest::newRow("description") << u"chilled"_s << qint64(0) << IdList{3};
        QTest::newRow("categoryName") << u"dairy"_s << qint64(0) << IdList{3, 4};
        QTest::newRow("diacriticsFolded") << u"creme fraiche"_s << qint64(0) << IdList{4};
        QTest::newRow("categoryFilter") << u"oil"_s << qint64(2) << IdList{};
        QTest::newRow("categoryFilterMatch") << u"milk"_s << qint64(2) << IdList{3};
        QTest::newRow("allWordsMustMatch") << u"olive milk"_s << qint64(0) << IdList{};
        QTest::newRow("noMatch") << u"chainsaw"_s << qint64(0) << IdList{};
        QTest::newRow("ftsSyntaxIsJustText") << u"oil\" OR \"milk"_s << qint64(0) << IdList{};
        QTest::newRow("punctuationOnlyListsAll") << u"*** \"\""_s << qint64(0) << IdList{4, 1, 2, 3};
        QTest::newRow("emptyListsCategoryByName") << u""_s << qint64(1) << IdList{1, 2};
    }

    void search()
    {
        QFETCH(QString, text);
        QFETCH(qint64, categoryId);
        QFETCH(IdList, expected);
        auto found = CatalogRepository(*m_db).searchProducts(text, categoryId, 20);
        QVERIFY2(found.ok(), qPrintable(found.ok() ? QString() : found.error().detail));
        IdList ids;
        for (const ProductRow &p : *found)
            ids.append(p.id);
        if (!ftsPrefixQueryIsEmpty(text)) { // ranked by relevance: compare as sets
            std::sort(ids.begin(), ids.end());
            std::sort(expected.begin(), expected.end());
        } // else listed by name: order matters
        QCOMPARE(ids, expected);
    }

    void searchPagesWithLimitAndOffset()
    {
        CatalogRepository catalog(*m_db);
        auto first = catalog.searchProducts(QString(), 0, 2, 0);
        auto second = catalog.searchProducts(QString(), 0, 2, 2);
        QCOMPARE(first->size(), 2);
        QCOMPARE(second->size(), 2);
        QVERIFY(first->at(0).id != second->at(0).id);
        auto bad = catalog.searchProducts(u"oil"_s, 0, 0);
        QCOMPARE(bad.error().code, u"storage.invalid_limit"_s);
        auto negative = catalog.searchProducts(u"oil"_s, 0, 5, -1);
        QCOMPARE(negative.error().code, u"storage.invalid_offset"_s);
    }

    void renamesAreReindexed()
    {
        CatalogRepository catalog(*m_db);
        ProductRow p = *catalog.product(2);
        p.name = u"Rapeseed Oil 1L"_s;
        QVERIFY(catalog.upsertProducts({p}).ok());
        QCOMPARE(catalog.searchProducts(u"sunflower"_s, 0, 10)->size(), 0);
        QCOMPARE(catalog.searchProducts(u"rapes"_s, 0, 10)->size(), 1);
        QVERIFY(catalog.upsertCategories({{2, u"DAIRY"_s, u"Chilled"_s, 0, 9}}).ok());
        auto dairy = catalog.searchProducts(u"dairy"_s, 0, 10); // only milk's description now
        QCOMPARE(dairy->size(), 1);
        QCOMPARE(dairy->first().id, 3);
        QCOMPARE(catalog.searchProducts(u"chilled"_s, 0, 10)->size(), 2); // category + description
    }

    void productsByCategory()
    {
        auto rows = CatalogRepository(*m_db).productsInCategory(2, 10);
        QVERIFY(rows.ok());
        QCOMPARE(rows->size(), 2);
        QCOMPARE(rows->at(0).name, u"Crème Fraîche 200ml"_s); // by name
        QCOMPARE(rows->at(1).id, 3);
    }

    void listsOfReferenceData()
    {
        CatalogRepository catalog(*m_db);
        QCOMPARE(catalog.categories()->size(), 2);
        QCOMPARE(catalog.taxClasses()->size(), 2);
        QCOMPARE(catalog.warehouses()->first().code, u"MAIN"_s);
        QVERIFY(catalog.deleteWarehouses({2}).ok());
        QCOMPARE(catalog.warehouses()->size(), 1);
    }

    // Additions for the app's catalog list (keyset paging, match counts, stock per page).
    void browseProductsPagesByKeyInIndexOrder()
    {
        CatalogRepository catalog(*m_db);
        QVERIFY(catalog.upsertProducts({product(5, u"MISC-1"_s, u"Apron"_s, 0, QString(), 500)}).ok());
        // Without a category first, then category 1 by name, then category 2 by name.
        const QList<qint64> expected{5, 1, 2, 4, 3};
        QList<qint64> seen;
        std::optional<ProductRow> last;
        for (int page = 0; page < 10; ++page) {
            auto rows = catalog.browseProducts(0, last ? &*last : nullptr, 2);
            QVERIFY(rows.ok());
            for (const auto &r : std::as_const(*rows))
                seen.append(r.id);
            if (rows->size() < 2)
                break;
            last = rows->last();
        }
        QCOMPARE(seen, expected);
    }

    void browseProductsOfOneCategory()
    {
        CatalogRepository catalog(*m_db);
        auto first = catalog.browseProducts(2, nullptr, 1);
        QVERIFY(first.ok());
        QCOMPARE(first->size(), 1);
        QCOMPARE(first->at(0).id, 4); // Crème Fraîche before Whole Milk
        auto next = catalog.browseProducts(2, &first->at(0), 5);
        QVERIFY(next.ok());
        QCOMPARE(next->size(), 1);
        QCOMPARE(next->at(0).id, 3);
        QCOMPARE(catalog.browseProducts(2, nullptr, 0).error().code, u"storage.invalid_limit"_s);
    }

    void searchProductsAfterIdPagesInIdOrder()
    {
        CatalogRepository catalog(*m_db);
        auto first = catalog.searchProductsAfterId(u"oil"_s, 0, 0, 1);
        QVERIFY(first.ok());
        QCOMPARE(first->size(), 1);
        QCOMPARE(first->at(0).id, 1);
        auto next = catalog.searchProductsAfterId(u"oil"_s, 0, 1, 5);
        QVERIFY(next.ok());
        QCOMPARE(next->size(), 1);
        QCOMPARE(next->at(0).id, 2);
        QVERIFY(catalog.searchProductsAfterId(u"oil"_s, 0, 2, 5)->isEmpty());
        QVERIFY(catalog.searchProductsAfterId(u"oil"_s, 2, 0, 5)->isEmpty()); // not in Dairy
        QCOMPARE(catalog.searchProductsAfterId(u" * "_s, 0, 0, 5).error().code, u"storage.empty_search"_s);
    }

    void countProducts_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("categoryId");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("all") << QString() << qint64(0) << qint64(4);
        QTest::newRow("category") << QString() << qint64(2) << qint64(2);
        QTest::newRow("word") << u"oil"_s << qint64(0) << qint64(2);
        QTest::newRow("wordInOtherCategory") << u"oil"_s << qint64(2) << qint64(0);
        QTest::newRow("barcode") << u"5012345678900"_s << qint64(0) << qint64(1);
        QTest::newRow("punctuationListsAll") << u"*\""_s << qint64(0) << qint64(4);
        QTest::newRow("noMatch") << u"zzqx"_s << qint64(0) << qint64(0);
    }

    void countProducts()
    {
        QFETCH(QString, text);
        QFETCH(qint64, categoryId);
        QFETCH(qint64, expected);
        CatalogRepository catalog(*m_db);
        auto n = catalog.countProducts(text, categoryId);
        QVERIFY(n.ok());
        QCOMPARE(*n, expected);
        auto listed = catalog.searchProducts(text, categoryId, 100);
        QVERIFY(listed.ok());
        QCOMPARE(qint64(listed->size()), expected); // the count agrees with the list
    }

    void stockSummariesPerProduct()
    {
        StockRepository stock(*m_db);
        const QDateTime newer = utc(u"2026-03-02T10:00:00.000Z"_s);
        const QDateTime older = utc(u"2026-03-01T08:30:00.000Z"_s);
        QVERIFY(stock.upsertLevels({StockLevelRow{1, 1, 1, 10, 4, newer, 5}, StockLevelRow{2, 2, 1, 3, 5, older, 5},
                                    StockLevelRow{3, 1, 3, 7, 0, newer, 5}})
                    .ok());
        auto s = stock.summaries({1, 2, 3});
        QVERIFY(s.ok());
        QCOMPARE(s->size(), 2); // product 2 has no stock rows
        QCOMPARE(s->value(1).atp, 6); // 10-4 plus nothing from NORTH (allocated above on hand)
        QCOMPARE(s->value(1).warehouses, 2);
        QCOMPARE(s->value(1).oldestAsOf, older);
        QCOMPARE(s->value(3).atp, 7);
        QCOMPARE(s->value(3).oldestAsOf, newer);
        QVERIFY(!s->contains(2));
        QVERIFY(stock.summaries({})->isEmpty());
    }

    // A snapshot into an empty products table indexes the rows in one statement after the load
    // instead of a trigger per row; the result must search exactly like rows written one by one.
    void bulkLoadSearchesLikeRowByRow()
    {
        auto bulk = openMigrated();
        {
            auto tx = Transaction::begin(*bulk);
            QVERIFY(tx.ok());
            bulkCopy(*m_db, *bulk, true);
            QVERIFY(tx->commit().ok());
        }
        QCOMPARE(insertTriggers(*bulk), 1);
        QCOMPARE(scalar(*bulk, "SELECT count(*) FROM products_fts"), scalar(*m_db, "SELECT count(*) FROM products"));
        for (const QString &text : {u"oil"_s, u"MLK-2L-010"_s, u"OIL5L"_s, u"50123456789"_s, u"chilled"_s,
                                    u"dairy"_s, u"creme fraiche"_s, u"oli oil"_s}) {
            const auto want = CatalogRepository(*m_db).searchProducts(text, 0, 20);
            const auto got = CatalogRepository(*bulk).searchProducts(text, 0, 20);
            QVERIFY(want.ok() && got.ok());
            QVERIFY(!want->isEmpty());
            QCOMPARE(ids(got), ids(want));
        }
        // The trigger is back: a product written later is found too.
        CatalogRepository catalog(*bulk);
        QVERIFY(catalog.upsertProducts({product(9, u"TEA-80-001"_s, u"Breakfast Tea 80s"_s, 1, {}, 350)}).ok());
        QCOMPARE(ids(catalog.searchProducts(u"breakfast"_s, 0, 10)), QList<qint64>{9});
    }

    // A load that stops half-way: rolled back, the table, its index and the trigger are as before;
    // committed anyway (the writer gone without endTable), the rows are still indexed.
    void unfinishedBulkLoadLeavesIndexAndTriggerWhole()
    {
        auto rolledBack = openMigrated();
        {
            auto tx = Transaction::begin(*rolledBack);
            QVERIFY(tx.ok());
            bulkCopy(*m_db, *rolledBack, false);
        }
        QCOMPARE(insertTriggers(*rolledBack), 1);
        QCOMPARE(scalar(*rolledBack, "SELECT count(*) FROM products"), 0);
        QCOMPARE(scalar(*rolledBack, "SELECT count(*) FROM products_fts"), 0);

        auto committed = openMigrated();
        {
            auto tx = Transaction::begin(*committed);
            QVERIFY(tx.ok());
            bulkCopy(*m_db, *committed, false);
            QVERIFY(tx->commit().ok());
        }
        QCOMPARE(insertTriggers(*committed), 1);
        QCOMPARE(scalar(*committed, "SELECT count(*) FROM products_fts"), scalar(*m_db, "SELECT count(*) FROM products"));
        QCOMPARE(ids(CatalogRepository(*committed).searchProducts(u"oil"_s, 0, 20)),
                 ids(CatalogRepository(*m_db).searchProducts(u"oil"_s, 0, 20)));
    }

    void priceListsByIdForAccounts()
    {
        auto lists = AccountRepository(*m_db).priceLists();
        QVERIFY(lists.ok());
        QCOMPARE(lists->size(), 1);
        QCOMPARE(lists->value(1).code, u"TRADE"_s);
        QCOMPARE(lists->value(1).currency, u"GBP"_s);
        QCOMPARE(lists->value(1).name, u"Trade"_s);
    }
};

QTEST_GUILESS_MAIN(TestStorageCatalog)
#include "tst_storage_catalog.moc"
