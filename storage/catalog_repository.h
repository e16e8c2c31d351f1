// The catalog part of the replica: categories, tax classes, warehouses, products.
// Bulk upserts/deletes run in one transaction (a savepoint inside a caller's sync apply), with
// one cached statement; a bad row rejects the whole batch before anything is written.
// Search uses FTS5 prefix matching over sku, sku without separators, name, description, barcode
// and category name: "oli oil", "OIL-5", "OIL5L" or a barcode all find the product.
#pragma once

#include "domain/catalog.h"
#include "domain/result.h"
#include "storage/records.h"

#include <QList>

namespace outpost::storage {

class Database;

class CatalogRepository
{
public:
    explicit CatalogRepository(Database &db) : m_db(db) {}

    Status upsertCategories(const QList<CategoryRow> &rows);
    Status upsertTaxClasses(const QList<TaxClassRow> &rows);
    Status upsertWarehouses(const QList<WarehouseRow> &rows);
    Status upsertProducts(const QList<ProductRow> &rows);

    // Deleting a product also drops its price-list entries, contract prices, promotions and stock
    // (ON DELETE CASCADE); drafts keep their lines (they carry the sku).
    Status deleteCategories(const QList<qint64> &ids);
    Status deleteTaxClasses(const QList<qint64> &ids);
    Status deleteWarehouses(const QList<qint64> &ids);
    Status deleteProducts(const QList<qint64> &ids);

    // NotFound "storage.product_not_found" when absent.
    Result<ProductRow> product(qint64 id);
    Result<ProductRow> productBySku(const QString &sku);
    Result<ProductRow> productByBarcode(const QString &barcode);

    // Empty text lists the products (of the category, when categoryId != 0) by name.
    Result<QList<ProductRow>> searchProducts(const QString &text, qint64 categoryId, int limit,
                                             int offset = 0);
    Result<QList<ProductRow>> productsInCategory(qint64 categoryId, int limit, int offset = 0);
    // Long lists page by key, not by OFFSET: products in the order of the products_category index
    // (category id with products without a category first, then name, then id), limited to one
    // category when categoryId != 0; `after` is the last row of the previous page (nullptr: the
    // first page). A page is an index seek however deep the list is.
    Result<QList<ProductRow>> browseProducts(qint64 categoryId, const ProductRow *after, int limit);
    // The matches of searchProducts in id order after `afterId` (keyset): for broad queries (one
    // or two letters match most of the catalog) where ranking every match costs a frame.
    Result<QList<ProductRow>> searchProductsAfterId(const QString &text, qint64 categoryId, qint64 afterId, int limit);
    // How many products searchProducts(text, categoryId, ...) lists in all.
    Result<qint64> countProducts(const QString &text, qint64 categoryId);

    Result<QList<CategoryRow>> categories();
    Result<QList<TaxClassRow>> taxClasses();
    Result<QList<WarehouseRow>> warehouses();
    Result<qint64> productCount();

    // The domain's view of a product (tax class as its code).
    Result<Product> domainProduct(qint64 id);

private:
    Database &m_db;
};

} // namespace outpost::storage
