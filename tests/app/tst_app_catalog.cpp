// CatalogController and its models against a real server (seeded tiny) and a synced replica:
// search over SKU/name/barcode, categories, incremental fetching, the account's price per product
// exactly as domain pricing gives it (contract, tier, promotion), list prices without an account
// and in kiosk mode, refresh after a server-side price change by keyed diff, stock age text.
#include "app/catalog_controller.h"
#include "app/catalog_models.h"
#include "app/format.h"
#include "domain/pricing.h"
#include "storage/account_repository.h"
#include "storage/catalog_repository.h"
#include "storage/database.h"
#include "storage/pricing_repository.h"
#include "storage/stock_repository.h"
#include "tests/app/app_fixture.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace outpost;
using namespace outpost::app;

namespace {

using Tester = QAbstractItemModelTester;
using PM = ProductListModel;

QList<qint64> idsOf(const QAbstractItemModel &m)
{
    QList<qint64> ids;
    for (int r = 0; r < m.rowCount(); ++r)
        ids.append(m.index(r, 0).data(PM::ProductIdRole).toLongLong());
    return ids;
}

void fetchAll(QAbstractItemModel &m)
{
    while (m.canFetchMore({}))
        m.fetchMore({});
}

// A search lists by rank (as storage's search); browsing (no words) lists by category id, then
// name, then id: the index order the model pages by key.
QList<qint64> expectedIds(storage::Database &db, const QString &query, qint64 categoryId)
{
    QList<qint64> ids;
    auto rows = storage::CatalogRepository(db).searchProducts(query, categoryId, 10000);
    if (!rows)
        return ids;
    if (query.isEmpty()) {
        std::sort(rows->begin(), rows->end(), [](const storage::ProductRow &a, const storage::ProductRow &b) {
            if (a.categoryId != b.categoryId)
                return a.categoryId < b.categoryId;
            if (const int c = a.name.compare(b.name); c != 0)
                return c < 0;
            return a.id < b.id;
        });
    }
    for (const auto &p : std::as_const(*rows))
        ids.append(p.id);
    return ids;
}

} // namespace

class TestAppCatalog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void firstPageAndCounts();
    void search_data();
    void search();
    void categoryFilter();
    void incrementalFetchReachesEveryRowOnce();
    void pricesEqualDomainPricing();
    void noAccountShowsListPrices();
    void unknownAccountFallsBackToListPrices();
    void productPageShowsTiersAndStockAge();
    void refreshAfterServerPriceChangeUpdatesOneRow();
    void freshStockCountIsNotStale();
    void kioskShowsListPricesOnly();

private:
    AppContext &app() { return m_fixture->app(); }
    std::unique_ptr<test::AppFixture> m_fixture = std::make_unique<test::AppFixture>();
    storage::ProductRow m_sample;   // a product with a barcode
    storage::AccountRow m_contract; // an account of rep2 with contract prices in force
};

void TestAppCatalog::initTestCase()
{
    QVERIFY(m_fixture->setUp(u"rep2"_s));
    auto products = storage::CatalogRepository(app().db()).searchProducts({}, 0, 10000);
    QVERIFY(products);
    QVERIFY(products->size() > 100); // more than one page
    for (const auto &p : std::as_const(*products))
        if (!p.barcode.isEmpty() && m_sample.id == 0 && p.name.contains(u' '))
            m_sample = p;
    QVERIFY(m_sample.id != 0);

    QList<qint64> ids;
    for (const auto &p : std::as_const(*products))
        ids.append(p.id);
    auto accounts = storage::AccountRepository(app().db()).search({}, 1000);
    QVERIFY(accounts);
    for (const auto &a : std::as_const(*accounts)) {
        auto ctx = storage::PricingRepository(app().db()).loadPricingContext(a.id, ids, app().now(), 0, 0);
        QVERIFY(ctx);
        int inForce = 0;
        for (qint64 id : ids)
            inForce += priceLine(*ctx, OrderLineInput{1, id, 1, 0}).why.source == PriceExplanation::Source::Contract;
        if (inForce > 0) {
            m_contract = a;
            break;
        }
    }
    QVERIFY2(m_contract.id != 0, "the tiny seed gives rep2 an account with contract prices");
}

void TestAppCatalog::firstPageAndCounts()
{
    CatalogController &c = *app().catalog();
    PM &model = *c.products();
    const qint64 total = storage::CatalogRepository(app().db()).productCount().valueOr(-1);
    QCOMPARE(c.productCount(), total);
    QCOMPARE(model.totalMatches(), total);
    QCOMPARE(model.rowCount(), int(std::min<qint64>(total, PM::kPageSize)));
    QCOMPARE(idsOf(model), expectedIds(app().db(), {}, 0).mid(0, PM::kPageSize));
    QVERIFY(model.canFetchMore({}));
    QVERIFY(c.categories()->rowCount() > 0);
    Tester tester(&model, Tester::FailureReportingMode::Fatal); // it fetches a page itself
    QCOMPARE(model.rowCount(), int(std::min<qint64>(total, 2 * PM::kPageSize)));
}

void TestAppCatalog::search_data()
{
    QTest::addColumn<QString>("query");
    QTest::newRow("bySku") << m_sample.sku;
    QTest::newRow("bySkuLowerCasePrefix") << m_sample.sku.left(m_sample.sku.size() - 1).toLower();
    QTest::newRow("bySkuWithoutSeparator") << QString(m_sample.sku).remove(u'-');
    QTest::newRow("byNameWords") << m_sample.name.section(u' ', 0, 1);
    QTest::newRow("byBarcode") << m_sample.barcode;
}

void TestAppCatalog::search()
{
    QFETCH(QString, query);
    CatalogController &c = *app().catalog();
    PM &model = *c.products();
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    QSignalSpy filter(&c, &CatalogController::filterChanged);
    c.setQuery(query);
    QCOMPARE(filter.count(), 1);
    fetchAll(model);
    const QList<qint64> ids = idsOf(model);
    QVERIFY2(ids.contains(m_sample.id), qPrintable(query));
    QCOMPARE(ids, expectedIds(app().db(), query, 0));
    QCOMPARE(model.totalMatches(), qint64(ids.size()));
    c.setQuery({});
}

void TestAppCatalog::categoryFilter()
{
    CatalogController &c = *app().catalog();
    PM &model = *c.products();
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    Tester categoriesTester(c.categories(), Tester::FailureReportingMode::Fatal);
    const QModelIndex first = c.categories()->index(0, 0);
    const qint64 categoryId = first.data(CategoryListModel::CategoryIdRole).toLongLong();
    const QString categoryName = first.data(CategoryListModel::NameRole).toString();
    c.setCategoryId(categoryId);
    fetchAll(model);
    QVERIFY(model.rowCount() > 0);
    QCOMPARE(idsOf(model), expectedIds(app().db(), {}, categoryId));
    for (int r = 0; r < model.rowCount(); ++r)
        QCOMPARE(model.index(r, 0).data(PM::CategoryNameRole).toString(), categoryName);
    QCOMPARE(model.totalMatches(), qint64(model.rowCount()));
    c.setCategoryId(0);
    QCOMPARE(model.totalMatches(), c.productCount());
}

void TestAppCatalog::incrementalFetchReachesEveryRowOnce()
{
    PM model(app());
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    model.setPageSize(7);
    QCOMPARE(model.rowCount(), 7);
    int pages = 0;
    while (model.canFetchMore({})) {
        model.fetchMore({});
        ++pages;
    }
    const QList<qint64> expected = expectedIds(app().db(), {}, 0);
    const QList<qint64> ids = idsOf(model);
    QCOMPARE(ids, expected);
    QCOMPARE(QSet<qint64>(ids.cbegin(), ids.cend()).size(), ids.size());
    QCOMPARE(pages, int((expected.size() - 7) / 7) + 1); // the last page is short (maybe empty)
}

void TestAppCatalog::pricesEqualDomainPricing()
{
    CatalogController &c = *app().catalog();
    PM &model = *c.products();
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    c.setAccountId(m_contract.id);
    QCOMPARE(c.accountId(), m_contract.id);
    QCOMPARE(c.accountName(), m_contract.name);
    fetchAll(model);
    QCOMPARE(qint64(model.rowCount()), c.productCount());
    QHash<QString, int> sources;
    int promoted = 0;
    for (int r = 0; r < model.rowCount(); ++r) {
        const QModelIndex i = model.index(r, 0);
        const qint64 id = i.data(PM::ProductIdRole).toLongLong();
        auto ctx = storage::PricingRepository(app().db()).loadPricingContext(m_contract.id, {id}, app().now(), 0, 0);
        QVERIFY(ctx);
        const PricedLine line = priceLine(*ctx, OrderLineInput{1, id, 1, 0});
        QCOMPARE(i.data(PM::PriceMinorRole).toLongLong(), line.unitPriceMinor);
        QCOMPARE(i.data(PM::PriceSourceRole).toString(), PriceExplanation::sourceName(line.why.source));
        QCOMPARE(i.data(PM::PriceReasonRole).toString(), line.why.text());
        QCOMPARE(i.data(PM::PromotedRole).toBool(), line.why.promotionId != 0);
        QCOMPARE(i.data(PM::PriceTextRole).toString(), format::money(line.unitPriceMinor, ctx->currency));
        if (line.why.source == PriceExplanation::Source::Contract) {
            QCOMPARE(i.data(PM::PriceMinorRole).toLongLong(), ctx->contractPrices.value(id).unitPriceMinor);
            QCOMPARE(i.data(PM::PriceReasonRole).toString(), u"Contract price"_s);
        }
        ++sources[i.data(PM::PriceSourceRole).toString()];
        promoted += i.data(PM::PromotedRole).toBool();
    }
    QVERIFY2(sources.value(u"contract"_s) > 0, "a contract price in force");
    QVERIFY2(sources.value(u"tier"_s) > 0, "price-list prices");
    QVERIFY2(promoted > 0, "a promotion in force");
    c.setAccountId(0);
}

void TestAppCatalog::noAccountShowsListPrices()
{
    CatalogController &c = *app().catalog();
    c.setAccountId(0);
    PM &model = *c.products();
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    fetchAll(model);
    auto products = storage::CatalogRepository(app().db()).searchProducts({}, 0, 10000);
    QVERIFY(products);
    QCOMPARE(model.rowCount(), int(products->size()));
    QHash<qint64, storage::ProductRow> byId;
    for (const auto &p : std::as_const(*products))
        byId.insert(p.id, p);
    for (int r = 0; r < model.rowCount(); ++r) {
        const QModelIndex i = model.index(r, 0);
        const qint64 id = i.data(PM::ProductIdRole).toLongLong();
        QVERIFY(byId.contains(id));
        QCOMPARE(i.data(PM::PriceMinorRole).toLongLong(), byId.value(id).listPriceMinor);
        QCOMPARE(i.data(PM::PriceSourceRole).toString(), u"list"_s);
        QCOMPARE(i.data(PM::PriceReasonRole).toString(), u"List price"_s);
        QCOMPARE(i.data(PM::PromotedRole).toBool(), false);
        QCOMPARE(i.data(PM::PriceTextRole).toString(), i.data(PM::ListPriceTextRole).toString());
    }
}

void TestAppCatalog::unknownAccountFallsBackToListPrices()
{
    CatalogController &c = *app().catalog();
    c.setAccountId(m_contract.id);
    c.setAccountId(987654321);
    QCOMPARE(c.accountId(), 0);
    QVERIFY(c.accountName().isEmpty());
    QCOMPARE(c.products()->index(0, 0).data(PM::PriceSourceRole).toString(), u"list"_s);
}

void TestAppCatalog::productPageShowsTiersAndStockAge()
{
    CatalogController &c = *app().catalog();
    c.setAccountId(m_contract.id);
    // A product with quantity breaks in this account's price list.
    auto products = storage::CatalogRepository(app().db()).searchProducts({}, 0, 10000);
    QVERIFY(products);
    QList<qint64> ids;
    for (const auto &p : std::as_const(*products))
        ids.append(p.id);
    auto ctx = storage::PricingRepository(app().db()).loadPricingContext(m_contract.id, ids, app().now(), 0, 0);
    QVERIFY(ctx);
    qint64 tiered = 0;
    for (qint64 id : ids)
        if (ctx->priceListTiers.value(id).size() > 1 && !ctx->contractPrices.contains(id) && !tiered)
            tiered = id;
    QVERIFY2(tiered != 0, "the tiny seed has volume tiers");

    Tester stockTester(c.stock(), Tester::FailureReportingMode::Fatal);
    QSignalSpy changed(&c, &CatalogController::currentProductChanged);
    c.setCurrentProductId(tiered);
    QCOMPARE(changed.count(), 1);
    const QVariantMap p = c.currentProduct();
    QCOMPARE(p.value(u"productId"_s).toLongLong(), tiered);
    QVERIFY(!p.value(u"description"_s).toString().isEmpty());
    const QVariantList tiers = p.value(u"tiers"_s).toList();
    const auto &breaks = ctx->priceListTiers.value(tiered);
    QCOMPARE(tiers.size(), qsizetype(breaks.size()));
    for (qsizetype k = 0; k < tiers.size(); ++k) {
        QCOMPARE(tiers[k].toMap().value(u"minQty"_s).toLongLong(), breaks[size_t(k)].minQty);
        QCOMPARE(tiers[k].toMap().value(u"priceText"_s).toString(),
                 format::money(breaks[size_t(k)].unitPriceMinor, ctx->currency));
    }

    // Stock per warehouse, with its age against the app's clock; the seed counted long ago.
    auto levels = storage::StockRepository(app().db()).levelsForProduct(tiered);
    QVERIFY(levels);
    QVERIFY(!levels->isEmpty());
    QCOMPARE(c.stock()->rowCount(), int(levels->size()));
    QDateTime oldest;
    for (int r = 0; r < c.stock()->rowCount(); ++r) {
        const QModelIndex i = c.stock()->index(r, 0);
        const auto &l = levels->at(r);
        QCOMPARE(i.data(StockListModel::WarehouseCodeRole).toString(), l.warehouseCode);
        QCOMPARE(i.data(StockListModel::AtpRole).toLongLong(), l.atp);
        QCOMPARE(i.data(StockListModel::AgeTextRole).toString(), format::age(l.asOf, app().now()));
        QCOMPARE(i.data(StockListModel::StaleRole).toBool(), l.asOf.secsTo(app().now()) > 24 * 3600);
        oldest = !oldest.isValid() || l.asOf < oldest ? l.asOf : oldest;
    }
    QCOMPARE(p.value(u"stockAgeText"_s).toString(), u"as of "_s + format::age(oldest, app().now()));
    c.setCurrentProductId(0);
    QCOMPARE(c.stock()->rowCount(), 0);
    QVERIFY(c.currentProduct().isEmpty());
    c.setAccountId(0);
}

void TestAppCatalog::refreshAfterServerPriceChangeUpdatesOneRow()
{
    CatalogController &c = *app().catalog();
    c.setAccountId(m_contract.id);
    PM &model = *c.products();
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    // A product on the first page without a contract price gets one on the server.
    int row = -1;
    for (int r = 0; r < model.rowCount() && row < 0; ++r)
        if (model.index(r, 0).data(PM::PriceSourceRole).toString() != u"contract"_s)
            row = r;
    QVERIFY(row >= 0);
    const QString sku = model.index(row, 0).data(PM::SkuRole).toString();
    const QList<qint64> before = idsOf(model);
    const QByteArray csv = (u"account_no,sku,price\n%1,%2,1.23\n"_s.arg(m_contract.code, sku)).toUtf8();
    const auto reply = m_fixture->server().postRaw(u"/v1/admin/import/contract-prices"_s, csv,
                                                  m_fixture->serverToken(), "text/csv");
    QVERIFY2(reply.status == 200, reply.body.constData());

    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserts(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removes(&model, &QAbstractItemModel::rowsRemoved);
    QList<int> changedRows;
    QObject scope; // the connection (and its reference to changedRows) ends with this function
    connect(&model, &QAbstractItemModel::dataChanged, &scope, [&](const QModelIndex &tl, const QModelIndex &br) {
        for (int r = tl.row(); r <= br.row(); ++r)
            changedRows.append(r);
    });
    QVERIFY(m_fixture->syncNow());
    QCOMPARE(resets.count(), 0);
    QCOMPARE(inserts.count(), 0);
    QCOMPARE(removes.count(), 0);
    QCOMPARE(changedRows, QList<int>{row});
    QCOMPARE(idsOf(model), before);
    QCOMPARE(model.index(row, 0).data(PM::PriceMinorRole).toLongLong(), 123);
    QCOMPARE(model.index(row, 0).data(PM::PriceSourceRole).toString(), u"contract"_s);
    c.setAccountId(0);
}

void TestAppCatalog::freshStockCountIsNotStale()
{
    CatalogController &c = *app().catalog();
    const QByteArray csv = (u"warehouse,sku,on_hand,allocated\nWH1,%1,77,0\n"_s.arg(m_sample.sku)).toUtf8();
    const auto reply =
        m_fixture->server().postRaw(u"/v1/admin/import/stock"_s, csv, m_fixture->serverToken(), "text/csv");
    QVERIFY2(reply.status == 200, reply.body.constData());
    QVERIFY(m_fixture->syncNow());
    c.setCurrentProductId(m_sample.id);
    bool found = false;
    for (int r = 0; r < c.stock()->rowCount(); ++r) {
        const QModelIndex i = c.stock()->index(r, 0);
        if (i.data(StockListModel::WarehouseCodeRole).toString() != u"WH1"_s)
            continue;
        found = true;
        QCOMPARE(i.data(StockListModel::OnHandRole).toLongLong(), 77);
        QCOMPARE(i.data(StockListModel::StaleRole).toBool(), false);
        QCOMPARE(i.data(StockListModel::AgeTextRole).toString(), u"just now"_s);
    }
    QVERIFY(found);
    c.setCurrentProductId(0);
}

void TestAppCatalog::kioskShowsListPricesOnly()
{
    m_fixture.reset(); // one AppContext at a time: the rep's goes first
    m_fixture = std::make_unique<test::AppFixture>();
    QVERIFY(m_fixture->setUp(u"kiosk1"_s));
    // Even an account that somehow is on the device cannot give the kiosk its prices.
    storage::AccountRow stray;
    stray.id = 424242;
    stray.code = u"ACC-STRAY"_s;
    stray.name = u"Stray account"_s;
    QVERIFY(storage::AccountRepository(app().db()).upsertAccounts({stray}));
    CatalogController &c = *app().catalog();
    c.setAccountId(stray.id);
    QCOMPARE(c.accountId(), 0);
    PM &model = *c.products();
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    QVERIFY(model.rowCount() > 0);
    for (int r = 0; r < model.rowCount(); ++r) {
        const QModelIndex i = model.index(r, 0);
        QCOMPARE(i.data(PM::PriceSourceRole).toString(), u"list"_s);
        // The kiosk has no price list: the tenant's currency (from the sign-in) names the amount.
        QCOMPARE(i.data(PM::ListPriceTextRole).toString(),
                 format::money(i.data(PM::PriceMinorRole).toLongLong(), u"GBP"_s));
        QVERIFY(i.data(PM::ListPriceTextRole).toString().startsWith(u"£"_s));
    }
}

QTEST_GUILESS_MAIN(TestAppCatalog)
#include "tst_app_catalog.moc"
