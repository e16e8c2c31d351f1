#include "app/catalog_controller.h"

#include "app/catalog_models.h"
#include "app/format.h"
#include "app/session_controller.h"
#include "storage/account_repository.h"
#include "storage/catalog_repository.h"
#include "storage/database.h"
#include "storage/pricing_repository.h"
#include "storage/stock_repository.h"

#include <QLoggingCategory>

using namespace Qt::Literals::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcApp)

namespace outpost::app {

CatalogController::CatalogController(AppContext &app, QObject *parent)
    : QObject(parent), m_app(app), m_products(new ProductListModel(app, this)),
      m_categories(new CategoryListModel(this)), m_stock(new StockListModel(this))
{
    loadCategories();
    m_productCount = storage::CatalogRepository(m_app.db()).productCount().valueOr(0);
    // Kiosk mode shows list prices only: a kiosk session drops any account.
    if (SessionController *session = m_app.session()) {
        connect(session, &SessionController::sessionChanged, this, [this] {
            if (kioskLocked() && m_accountId != 0)
                setAccountId(0);
        });
    }
}

bool CatalogController::kioskLocked() const
{
    return m_app.session() && m_app.session()->kioskMode();
}

QAbstractItemModel *CatalogController::categories() const
{
    return m_categories;
}

QAbstractItemModel *CatalogController::stock() const
{
    return m_stock;
}

void CatalogController::setQuery(const QString &query)
{
    if (query == m_query)
        return;
    m_query = query;
    applyFilter();
}

void CatalogController::setCategoryId(qint64 id)
{
    id = std::max<qint64>(id, 0);
    if (id == m_categoryId)
        return;
    m_categoryId = id;
    applyFilter();
}

void CatalogController::setAccountId(qint64 id)
{
    id = std::max<qint64>(id, 0);
    if (id != 0 && kioskLocked()) {
        qCInfo(lcApp) << "catalog account refused in kiosk mode";
        id = 0;
    }
    QString name;
    if (id != 0) {
        auto account = storage::AccountRepository(m_app.db()).account(id);
        if (!account) {
            qCInfo(lcApp) << "catalog account unknown" << id;
            id = 0;
        } else {
            name = account->name;
        }
    }
    if (id == m_accountId && name == m_accountName)
        return;
    m_accountId = id;
    m_accountName = name;
    applyFilter();
    if (m_currentProductId)
        loadCurrentProduct();
}

void CatalogController::applyFilter()
{
    m_products->setFilter(m_query, m_categoryId, m_accountId);
    Q_EMIT filterChanged();
}

void CatalogController::setCurrentProductId(qint64 id)
{
    id = std::max<qint64>(id, 0);
    if (id == m_currentProductId)
        return;
    m_currentProductId = id;
    loadCurrentProduct();
}

QVariantMap CatalogController::productDetails(qint64 productId)
{
    storage::CatalogRepository catalog(m_app.db());
    auto product = catalog.product(productId);
    if (!product)
        return {};
    auto rows = m_products->buildRows({*product});
    if (!rows || rows->isEmpty()) {
        qCWarning(lcApp) << "product detail failed" << productId << (rows ? QString() : rows.error().code);
        return {};
    }
    QVariantMap map = m_products->toMap(rows->first());
    map.insert(u"categoryName"_s, m_categories->nameOf(product->categoryId));
    map.insert(u"packText"_s, product->casePack > 1 ? tr("Sold in multiples of %1").arg(product->casePack)
                                                    : QString());
    map.insert(u"moqText"_s, product->moq > 1 ? tr("Minimum order %1 %2").arg(product->moq).arg(product->uom)
                                               : QString());

    // The account's price-list breaks (a contract price has none); with no account: none.
    QVariantList tiers;
    if (m_accountId != 0) {
        auto ctx = storage::PricingRepository(m_app.db())
                       .loadPricingContext(m_accountId, {productId}, m_app.now(), 0, 0);
        if (ctx) {
            const auto breaks = ctx->priceListTiers.value(productId);
            if (breaks.size() > 1 && !ctx->contractPrices.contains(productId)) {
                for (const VolumeTier &t : breaks)
                    tiers.append(QVariantMap{{u"minQty"_s, t.minQty},
                                             {u"priceText"_s, format::money(t.unitPriceMinor, ctx->currency)}});
            }
        }
    }
    map.insert(u"tiers"_s, tiers);
    return map;
}

void CatalogController::loadCurrentProduct()
{
    if (m_currentProductId == 0) {
        m_currentProduct.clear();
        m_stock->setLevels({}, m_app.now());
    } else {
        m_currentProduct = productDetails(m_currentProductId);
        auto levels = storage::StockRepository(m_app.db()).levelsForProduct(m_currentProductId);
        m_stock->setLevels(levels ? *levels : QList<storage::WarehouseStock>{}, m_app.now());
    }
    Q_EMIT currentProductChanged();
}

void CatalogController::loadCategories()
{
    auto cats = storage::CatalogRepository(m_app.db()).categories();
    if (!cats) {
        qCWarning(lcApp) << "categories failed" << cats.error().code;
        return;
    }
    m_categories->setCategories(*cats);
}

void CatalogController::refresh()
{
    loadCategories();
    const qint64 count = storage::CatalogRepository(m_app.db()).productCount().valueOr(m_productCount);
    if (count != m_productCount) {
        m_productCount = count;
        Q_EMIT productCountChanged();
    }
    if (m_accountId != 0 && !storage::AccountRepository(m_app.db()).account(m_accountId)) {
        // The account left the replica: back to list prices.
        m_accountId = 0;
        m_accountName.clear();
        m_products->setFilter(m_query, m_categoryId, 0);
        Q_EMIT filterChanged();
    }
    m_products->refresh();
    if (m_currentProductId)
        loadCurrentProduct();
}

} // namespace outpost::app
