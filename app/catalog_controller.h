// Catalog: browse by category, search-as-you-type (FTS over SKU, name, barcode), the selected
// account's price on every product with its reason (contract, tier, promotion) computed by
// domain/ exactly as the server will, and last-known stock per warehouse with its age.
// With no account selected (and always in kiosk mode) prices are list prices.
// QML: `Catalog` (singleton of Outpost.App).
#pragma once

#include "app/app_context.h"
#include "app/row_diff_model.h"
#include "storage/records.h"

#include <QObject>
#include <QQmlEngine>
#include <QSet>

namespace outpost::app {

// Products of the current query/category, fetched incrementally (pages of 100; prices for a page
// are computed in one PricingContext load). Roles: productId, sku, name, categoryName, barcode,
// uom, packLabel, casePack, moq, discontinued, priceMinor, priceText ("12.34"), listPriceText,
// priceSource ("contract"|"tier"|"list"), priceReason ("Contract price", "List price; promotion
// SPRING10 -10.00%"), promoted (bool), atp (sum over warehouses), stockText ("24 in stock",
// "Out of stock"), stockAgeText ("as of 2 h ago").
class ProductListModel : public RowDiffModel
{
    Q_OBJECT
    QML_ANONYMOUS
    Q_PROPERTY(qint64 totalMatches READ totalMatches NOTIFY countChanged) // -1 = not counted
public:
    enum Role {
        ProductIdRole = Qt::UserRole + 1, SkuRole, NameRole, CategoryNameRole, BarcodeRole, UomRole,
        PackLabelRole, CasePackRole, MoqRole, DiscontinuedRole, PriceMinorRole, PriceTextRole,
        ListPriceTextRole, PriceSourceRole, PriceReasonRole, PromotedRole, AtpRole, StockTextRole,
        StockAgeTextRole,
        StockStaleRole, HasStockRole, DescriptionRole // additions: stale count (> 24 h), any stock row
    };
    struct Row
    {
        storage::ProductRow product;
        QString categoryName;
        qint64 priceMinor = 0;
        QString priceSource;
        QString priceReason;
        bool promoted = false;
        qint64 atp = 0;
        QDateTime stockAsOf;
        bool hasStock = false; // any stock row for the product
        friend bool operator==(const Row &, const Row &) = default;
    };
    explicit ProductListModel(AppContext &app, QObject *parent = nullptr);

    // Changing any of these re-queries from the top.
    void setFilter(const QString &query, qint64 categoryId, qint64 accountId);
    qint64 totalMatches() const { return m_total; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    void refresh(); // re-reads the loaded range and diffs (after a sync: changed prices repaint)

    // Rows for the given products with this model's account, prices and stock (one pricing
    // context, one stock query); the product page uses it for one product.
    Result<QList<Row>> buildRows(const QList<storage::ProductRow> &products);
    // The row as a map keyed by role name (the product page's currentProduct).
    QVariantMap toMap(const Row &row) const;
    QString currency() const { return m_currency; }
    qint64 accountId() const { return m_accountId; }
    static constexpr int kPageSize = 100;
    static constexpr qint64 kRankedMatches = 2000; // more matches are listed in id order
    void setPageSize(int rows); // tests and the bench: re-reads the first page of this size

Q_SIGNALS:

private:
    QVariant value(const Row &row, int role) const;
    Result<QList<Row>> loadRows(int offset, int count, const storage::ProductRow *after);
    void reload(int count);
    void loadContext(); // currency and category names

    AppContext &m_app;
    QString m_query;
    qint64 m_categoryId = 0;
    qint64 m_accountId = 0;
    QList<Row> m_rows;
    bool m_atEnd = false;
    qint64 m_total = -1;
    int m_pageSize = kPageSize;
    bool m_updating = false; // inside replaceRows/appendRows: a view's fetchMore waits
    bool m_broad = false;    // a search matching more than kRankedMatches: id order, paged by key
    QString m_currency;
    QHash<qint64, QString> m_categoryNames;
    QSet<qint64> m_ids; // of m_rows: a page never repeats a shown product
};

// Categories (flat, with depth for indentation): roles categoryId, code, name, depth.
class CategoryListModel;
// Stock of the current product per warehouse: roles warehouseCode, warehouseName, onHand,
// allocated, atp, asOf (QDateTime), ageText ("2 h ago"), stale (older than 24 h).
class StockListModel;

class CatalogController : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(Catalog)
    QML_SINGLETON
    OUTPOST_QML_SINGLETON(CatalogController, catalog)

    Q_PROPERTY(QString query READ query WRITE setQuery NOTIFY filterChanged)
    Q_PROPERTY(qint64 categoryId READ categoryId WRITE setCategoryId NOTIFY filterChanged)
    // Whose prices the catalog shows (0 = list prices). Kiosk mode forces 0.
    Q_PROPERTY(qint64 accountId READ accountId WRITE setAccountId NOTIFY filterChanged)
    Q_PROPERTY(QString accountName READ accountName NOTIFY filterChanged)
    Q_PROPERTY(ProductListModel *products READ products CONSTANT)
    Q_PROPERTY(QAbstractItemModel *categories READ categories CONSTANT)
    Q_PROPERTY(qint64 productCount READ productCount NOTIFY productCountChanged) // whole replica

    // The product detail (0 = none).
    Q_PROPERTY(qint64 currentProductId READ currentProductId WRITE setCurrentProductId NOTIFY currentProductChanged)
    Q_PROPERTY(QVariantMap currentProduct READ currentProduct NOTIFY currentProductChanged) // the model's roles as keys, plus description, tiers (list of {minQty, priceText})
    Q_PROPERTY(QAbstractItemModel *stock READ stock CONSTANT)

public:
    explicit CatalogController(AppContext &app, QObject *parent = nullptr);

    QString query() const { return m_query; }
    void setQuery(const QString &query);
    qint64 categoryId() const { return m_categoryId; }
    void setCategoryId(qint64 id);
    qint64 accountId() const { return m_accountId; }
    void setAccountId(qint64 id);
    QString accountName() const { return m_accountName; }
    ProductListModel *products() const { return m_products; }
    QAbstractItemModel *categories() const;
    qint64 productCount() const { return m_productCount; }
    qint64 currentProductId() const { return m_currentProductId; }
    void setCurrentProductId(qint64 id);
    QVariantMap currentProduct() const { return m_currentProduct; }
    QAbstractItemModel *stock() const;

    // One product as currentProduct shows it (prices for accountId), without changing the page.
    Q_INVOKABLE QVariantMap productDetails(qint64 productId);

    void refresh(); // after replicaChanged

Q_SIGNALS:
    void filterChanged();
    void productCountChanged();
    void currentProductChanged();

private:
    bool kioskLocked() const;
    void applyFilter();
    void loadCurrentProduct();
    void loadCategories();

    AppContext &m_app;
    QString m_query;
    qint64 m_categoryId = 0;
    qint64 m_accountId = 0;
    QString m_accountName;
    ProductListModel *m_products = nullptr;
    CategoryListModel *m_categories = nullptr;
    StockListModel *m_stock = nullptr;
    qint64 m_productCount = 0;
    qint64 m_currentProductId = 0;
    QVariantMap m_currentProduct;
};

} // namespace outpost::app
