#include "storage/catalog_repository.h"

#include "storage/database.h"
#include "storage/repo_util.h"

using namespace Qt::Literals::StringLiterals;

namespace outpost::storage {

namespace {

#define PRODUCT_COLUMNS                                                                                      \
    "p.id, p.sku, p.name, p.description, p.category_id, p.barcode, p.uom, p.pack_label, "                    \
    "p.case_pack, p.moq, p.tax_class_id, p.list_price_minor, p.discontinued, "                               \
    "p.backorder_allowed, p.seq"

ProductRow readProduct(const Statement &st)
{
    ProductRow p;
    p.id = st.int64(0);
    p.sku = st.text(1);
    p.name = st.text(2);
    p.description = st.text(3);
    p.categoryId = st.optInt64(4).value_or(0);
    p.barcode = st.text(5);
    p.uom = st.text(6);
    p.packLabel = st.text(7);
    p.casePack = st.int64(8);
    p.moq = st.int64(9);
    p.taxClassId = st.optInt64(10).value_or(0);
    p.listPriceMinor = st.int64(11);
    p.discontinued = st.boolean(12);
    p.backorderAllowed = st.boolean(13);
    p.seq = st.int64(14);
    return p;
}

Result<QList<ProductRow>> readProducts(Statement &st)
{
    return detail::collectRows(st, readProduct);
}

Result<ProductRow> oneProduct(Statement &st, const QString &what)
{
    auto rows = readProducts(st);
    if (!rows)
        return rows.error();
    if (rows->isEmpty())
        return detail::notFound(u"storage.product_not_found"_s, u"No such product."_s, what);
    return rows->first();
}

Status requireId(qint64 id, const QString &table, qsizetype index)
{
    if (id <= 0)
        return Error::invalid(u"storage.invalid_id"_s, u"Every row needs a positive server id."_s,
                              u"%1[%2].id"_s.arg(table).arg(index));
    return {};
}

Status requireText(const QString &value, const QString &table, qsizetype index, const QString &field)
{
    if (value.trimmed().isEmpty())
        return Error::invalid(u"storage.missing_field"_s, u"A required field is empty."_s,
                              u"%1[%2].%3"_s.arg(table).arg(index).arg(field));
    return {};
}

Status validateProduct(const ProductRow &p, qsizetype i)
{
    const QString t = u"products"_s;
    if (Status s = requireId(p.id, t, i); !s)
        return s;
    if (Status s = requireText(p.sku, t, i, u"sku"_s); !s)
        return s;
    if (Status s = requireText(p.name, t, i, u"name"_s); !s)
        return s;
    if (p.casePack < 1)
        return Error::invalid(u"storage.invalid_case_pack"_s, u"A case pack must be at least 1."_s,
                              u"products[%1].casePack"_s.arg(i));
    if (p.moq < 1)
        return Error::invalid(u"storage.invalid_moq"_s, u"A minimum order quantity must be at least 1."_s,
                              u"products[%1].moq"_s.arg(i));
    if (p.listPriceMinor < 0)
        return Error::invalid(u"storage.invalid_price"_s, u"A list price cannot be negative."_s,
                              u"products[%1].listPriceMinor"_s.arg(i));
    return {};
}

std::optional<qint64> ref(qint64 id)
{
    return id > 0 ? std::optional<qint64>(id) : std::nullopt;
}

} // namespace

Status CatalogRepository::upsertCategories(const QList<CategoryRow> &rows)
{
    return detail::bulkWrite(
        m_db,
        "INSERT INTO categories (id, code, name, parent_id, seq) VALUES (?1, ?2, ?3, ?4, ?5) "
        "ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name, "
        "parent_id = excluded.parent_id, seq = excluded.seq",
        rows,
        [](const CategoryRow &c, qsizetype i) -> Status {
            if (Status s = requireId(c.id, u"categories"_s, i); !s)
                return s;
            if (Status s = requireText(c.code, u"categories"_s, i, u"code"_s); !s)
                return s;
            return requireText(c.name, u"categories"_s, i, u"name"_s);
        },
        [](Statement &st, const CategoryRow &c) {
            st.bind(1, c.id).bind(2, c.code).bind(3, c.name).bind(4, ref(c.parentId)).bind(5, c.seq);
        });
}

Status CatalogRepository::upsertTaxClasses(const QList<TaxClassRow> &rows)
{
    return detail::bulkWrite(
        m_db,
        "INSERT INTO tax_classes (id, code, name, rate_bp, seq) VALUES (?1, ?2, ?3, ?4, ?5) "
        "ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name, "
        "rate_bp = excluded.rate_bp, seq = excluded.seq",
        rows,
        [](const TaxClassRow &c, qsizetype i) -> Status {
            if (Status s = requireId(c.id, u"tax_classes"_s, i); !s)
                return s;
            if (Status s = requireText(c.code, u"tax_classes"_s, i, u"code"_s); !s)
                return s;
            if (c.rateBp < 0 || c.rateBp > 10000)
                return Error::invalid(u"storage.invalid_rate"_s,
                                      u"A tax rate must be between 0 and 10000 bp."_s,
                                      u"tax_classes[%1].rateBp"_s.arg(i));
            return {};
        },
        [](Statement &st, const TaxClassRow &c) {
            st.bind(1, c.id).bind(2, c.code).bind(3, c.name).bind(4, c.rateBp).bind(5, c.seq);
        });
}

Status CatalogRepository::upsertWarehouses(const QList<WarehouseRow> &rows)
{
    return detail::bulkWrite(
        m_db,
        "INSERT INTO warehouses (id, code, name, seq) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name, seq = excluded.seq",
        rows,
        [](const WarehouseRow &w, qsizetype i) -> Status {
            if (Status s = requireId(w.id, u"warehouses"_s, i); !s)
                return s;
            return requireText(w.code, u"warehouses"_s, i, u"code"_s);
        },
        [](Statement &st, const WarehouseRow &w) {
            st.bind(1, w.id).bind(2, w.code).bind(3, w.name).bind(4, w.seq);
        });
}

Status CatalogRepository::upsertProducts(const QList<ProductRow> &rows)
{
    return detail::bulkWrite(
        m_db,
        "INSERT INTO products (id, sku, name, description, category_id, barcode, uom, pack_label, "
        "case_pack, moq, tax_class_id, list_price_minor, discontinued, backorder_allowed, seq) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) "
        "ON CONFLICT (id) DO UPDATE SET sku = excluded.sku, name = excluded.name, "
        "description = excluded.description, category_id = excluded.category_id, "
        "barcode = excluded.barcode, uom = excluded.uom, pack_label = excluded.pack_label, "
        "case_pack = excluded.case_pack, moq = excluded.moq, tax_class_id = excluded.tax_class_id, "
        "list_price_minor = excluded.list_price_minor, discontinued = excluded.discontinued, "
        "backorder_allowed = excluded.backorder_allowed, seq = excluded.seq",
        rows, validateProduct, [](Statement &st, const ProductRow &p) {
            st.bind(1, p.id).bind(2, p.sku).bind(3, p.name).bind(4, p.description);
            st.bind(5, ref(p.categoryId));
            st.bind(6, p.barcode.isEmpty() ? std::optional<QString>() : std::optional<QString>(p.barcode));
            st.bind(7, p.uom).bind(8, p.packLabel).bind(9, p.casePack).bind(10, p.moq);
            st.bind(11, ref(p.taxClassId)).bind(12, p.listPriceMinor).bind(13, p.discontinued);
            st.bind(14, p.backorderAllowed).bind(15, p.seq);
        });
}

Status CatalogRepository::deleteCategories(const QList<qint64> &ids)
{
    return detail::deleteIds(m_db, "DELETE FROM categories WHERE id = ?1", ids);
}

Status CatalogRepository::deleteTaxClasses(const QList<qint64> &ids)
{
    return detail::deleteIds(m_db, "DELETE FROM tax_classes WHERE id = ?1", ids);
}

Status CatalogRepository::deleteWarehouses(const QList<qint64> &ids)
{
    return detail::deleteIds(m_db, "DELETE FROM warehouses WHERE id = ?1", ids);
}

Status CatalogRepository::deleteProducts(const QList<qint64> &ids)
{
    return detail::deleteIds(m_db, "DELETE FROM products WHERE id = ?1", ids);
}

Result<ProductRow> CatalogRepository::product(qint64 id)
{
    auto st = m_db.prepare("SELECT " PRODUCT_COLUMNS " FROM products p WHERE p.id = ?1");
    if (!st)
        return st.error();
    st->bind(1, id);
    return oneProduct(*st, u"id %1"_s.arg(id));
}

Result<ProductRow> CatalogRepository::productBySku(const QString &sku)
{
    auto st = m_db.prepare("SELECT " PRODUCT_COLUMNS " FROM products p WHERE p.sku = ?1 "
                           "ORDER BY p.id LIMIT 1");
    if (!st)
        return st.error();
    st->bind(1, sku.trimmed());
    return oneProduct(*st, u"by sku"_s);
}

Result<ProductRow> CatalogRepository::productByBarcode(const QString &barcode)
{
    const QString code = barcode.trimmed();
    if (code.isEmpty())
        return Error::invalid(u"storage.missing_field"_s, u"Scan or type a barcode."_s, u"barcode"_s);
    auto st = m_db.prepare("SELECT " PRODUCT_COLUMNS " FROM products p WHERE p.barcode = ?1 "
                           "ORDER BY p.discontinued, p.id LIMIT 1");
    if (!st)
        return st.error();
    st->bind(1, code);
    return oneProduct(*st, u"by barcode"_s);
}

Result<QList<ProductRow>> CatalogRepository::searchProducts(const QString &text, qint64 categoryId, int limit,
                                                            int offset)
{
    if (Status s = detail::checkPage(limit, offset); !s)
        return s.error();
    const QString query = detail::ftsPrefixQuery(text);
    if (query.isEmpty())
        return productsInCategory(categoryId, limit, offset);
    auto st = m_db.prepare("SELECT " PRODUCT_COLUMNS
                           " FROM products_fts JOIN products p ON p.id = products_fts.rowid "
                           "WHERE products_fts MATCH ?1 AND (?2 = 0 OR p.category_id = ?2) "
                           "ORDER BY products_fts.rank, p.name, p.id LIMIT ?3 OFFSET ?4");
    if (!st)
        return st.error();
    st->bind(1, query).bind(2, categoryId).bind(3, limit).bind(4, offset);
    return readProducts(*st);
}

Result<QList<ProductRow>> CatalogRepository::productsInCategory(qint64 categoryId, int limit, int offset)
{
    if (Status s = detail::checkPage(limit, offset); !s)
        return s.error();
    auto st = m_db.prepare("SELECT " PRODUCT_COLUMNS " FROM products p "
                           "WHERE (?1 = 0 OR p.category_id = ?1) "
                           "ORDER BY p.name, p.id LIMIT ?2 OFFSET ?3");
    if (!st)
        return st.error();
    st->bind(1, categoryId).bind(2, limit).bind(3, offset);
    return readProducts(*st);
}

Result<QList<ProductRow>> CatalogRepository::browseProducts(qint64 categoryId, const ProductRow *after, int limit)
{
    if (Status s = detail::checkPage(limit, 0); !s)
        return s.error();
    Result<Statement> st = Error{};
    if (categoryId != 0) {
        st = after ? m_db.prepare("SELECT " PRODUCT_COLUMNS " FROM products p WHERE p.category_id = ?1 "
                                  "AND (p.name, p.id) > (?2, ?3) ORDER BY p.name, p.id LIMIT ?4")
                   : m_db.prepare("SELECT " PRODUCT_COLUMNS " FROM products p WHERE p.category_id = ?1 "
                                  "ORDER BY p.name, p.id LIMIT ?4");
        if (st)
            st->bind(1, categoryId);
    } else if (!after) {
        st = m_db.prepare("SELECT " PRODUCT_COLUMNS " FROM products p "
                          "ORDER BY p.category_id, p.name, p.id LIMIT ?4");
    } else if (after->categoryId == 0) { // still among the products without a category
        st = m_db.prepare("SELECT " PRODUCT_COLUMNS " FROM products p "
                          "WHERE (p.category_id IS NULL AND (p.name, p.id) > (?2, ?3)) OR p.category_id IS NOT NULL "
                          "ORDER BY p.category_id, p.name, p.id LIMIT ?4");
    } else {
        st = m_db.prepare("SELECT " PRODUCT_COLUMNS " FROM products p "
                          "WHERE (p.category_id, p.name, p.id) > (?1, ?2, ?3) "
                          "ORDER BY p.category_id, p.name, p.id LIMIT ?4");
        if (st)
            st->bind(1, after->categoryId);
    }
    if (!st)
        return st.error();
    if (after)
        st->bind(2, after->name).bind(3, after->id);
    st->bind(4, limit);
    return readProducts(*st);
}

Result<QList<ProductRow>> CatalogRepository::searchProductsAfterId(const QString &text, qint64 categoryId,
                                                                   qint64 afterId, int limit)
{
    if (Status s = detail::checkPage(limit, 0); !s)
        return s.error();
    const QString query = detail::ftsPrefixQuery(text);
    if (query.isEmpty())
        return Error::invalid(u"storage.empty_search"_s, u"Type a word to search."_s, u"text"_s);
    auto st = m_db.prepare("SELECT " PRODUCT_COLUMNS
                           " FROM products_fts JOIN products p ON p.id = products_fts.rowid "
                           "WHERE products_fts MATCH ?1 AND products_fts.rowid > ?2 "
                           "AND (?3 = 0 OR p.category_id = ?3) ORDER BY products_fts.rowid LIMIT ?4");
    if (!st)
        return st.error();
    st->bind(1, query).bind(2, afterId).bind(3, categoryId).bind(4, limit);
    return readProducts(*st);
}

Result<qint64> CatalogRepository::countProducts(const QString &text, qint64 categoryId)
{
    const QString query = detail::ftsPrefixQuery(text);
    auto st = query.isEmpty()
        ? m_db.prepare("SELECT count(*) FROM products p WHERE (?1 = 0 OR p.category_id = ?1)")
        : categoryId == 0
        ? m_db.prepare("SELECT count(*) FROM products_fts WHERE products_fts MATCH ?2 AND ?1 = 0") // 1:1 with products
        : m_db.prepare("SELECT count(*) FROM products_fts JOIN products p ON p.id = products_fts.rowid "
                       "WHERE products_fts MATCH ?2 AND p.category_id = ?1");
    if (!st)
        return st.error();
    st->bind(1, categoryId);
    if (!query.isEmpty())
        st->bind(2, query);
    auto row = st->step();
    if (!row)
        return row.error();
    const qint64 n = *row ? st->int64(0) : 0;
    st->reset();
    return n;
}

Result<QList<CategoryRow>> CatalogRepository::categories()
{
    auto st = m_db.prepare("SELECT id, code, name, parent_id, seq FROM categories ORDER BY name, id");
    if (!st)
        return st.error();
    return detail::collectRows(*st, [](const Statement &row) {
        return CategoryRow{row.int64(0), row.text(1), row.text(2), row.optInt64(3).value_or(0), row.int64(4)};
    });
}

Result<QList<TaxClassRow>> CatalogRepository::taxClasses()
{
    auto st = m_db.prepare("SELECT id, code, name, rate_bp, seq FROM tax_classes ORDER BY code, id");
    if (!st)
        return st.error();
    return detail::collectRows(*st, [](const Statement &row) {
        return TaxClassRow{row.int64(0), row.text(1), row.text(2), row.int64(3), row.int64(4)};
    });
}

Result<QList<WarehouseRow>> CatalogRepository::warehouses()
{
    auto st = m_db.prepare("SELECT id, code, name, seq FROM warehouses ORDER BY code, id");
    if (!st)
        return st.error();
    return detail::collectRows(*st, [](const Statement &row) {
        return WarehouseRow{row.int64(0), row.text(1), row.text(2), row.int64(3)};
    });
}

Result<qint64> CatalogRepository::productCount()
{
    return detail::scalarInt(m_db, "SELECT count(*) FROM products");
}

Result<Product> CatalogRepository::domainProduct(qint64 id)
{
    auto row = product(id);
    if (!row)
        return row.error();
    Product p;
    p.id = row->id;
    p.sku = row->sku;
    p.name = row->name;
    p.categoryId = row->categoryId;
    p.uom = row->uom;
    p.casePack = row->casePack;
    p.moq = row->moq;
    p.listPriceMinor = row->listPriceMinor;
    p.discontinued = row->discontinued;
    p.backorderAllowed = row->backorderAllowed;
    if (row->taxClassId > 0) {
        auto st = m_db.prepare("SELECT code FROM tax_classes WHERE id = ?1");
        if (!st)
            return st.error();
        st->bind(1, row->taxClassId);
        auto found = st->step();
        if (!found)
            return found.error();
        if (*found)
            p.taxClass = st->text(0);
    }
    return p;
}

} // namespace outpost::storage
