// ProductListModel: the catalog list. Pages of kPageSize products come from the FTS search (or the
// category listing); each page is priced with ONE PricingContext load and gets its stock summary
// with ONE query. A refresh re-reads the loaded range and diffs it, so a sync that changes three
// prices repaints three rows and the list keeps its place.
#include "app/catalog_controller.h"

#include "app/format.h"
#include "domain/pricing.h"
#include "storage/catalog_repository.h"
#include "storage/database.h"
#include "storage/pricing_repository.h"
#include "storage/stock_repository.h"

#include <QLoggingCategory>

using namespace Qt::Literals::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcApp)

namespace outpost::app {

namespace {

// The storage layer caps one query at 10,000 rows; refreshes of a longer range go in chunks.
constexpr int kQueryChunk = 5000;

bool sameProduct(const storage::ProductRow &a, const storage::ProductRow &b)
{
    return a.id == b.id && a.sku == b.sku && a.name == b.name && a.description == b.description
        && a.categoryId == b.categoryId && a.barcode == b.barcode && a.uom == b.uom && a.packLabel == b.packLabel
        && a.casePack == b.casePack && a.moq == b.moq && a.listPriceMinor == b.listPriceMinor
        && a.discontinued == b.discontinued && a.backorderAllowed == b.backorderAllowed;
}

bool sameRow(const ProductListModel::Row &a, const ProductListModel::Row &b)
{
    return sameProduct(a.product, b.product) && a.categoryName == b.categoryName && a.priceMinor == b.priceMinor
        && a.priceSource == b.priceSource && a.priceReason == b.priceReason && a.promoted == b.promoted
        && a.atp == b.atp && a.stockAsOf == b.stockAsOf && a.hasStock == b.hasStock;
}

} // namespace

ProductListModel::ProductListModel(AppContext &app, QObject *parent) : RowDiffModel(parent), m_app(app)
{
    reload(m_pageSize);
}

void ProductListModel::setFilter(const QString &query, qint64 categoryId, qint64 accountId)
{
    if (query == m_query && categoryId == m_categoryId && accountId == m_accountId)
        return;
    m_query = query;
    m_categoryId = categoryId;
    m_accountId = accountId;
    reload(m_pageSize);
}

void ProductListModel::setPageSize(int rows)
{
    m_pageSize = std::clamp(rows, 1, 1000);
    reload(m_pageSize);
}

void ProductListModel::refresh()
{
    reload(std::max(int(m_rows.size()), m_pageSize));
}

void ProductListModel::loadContext()
{
    m_categoryNames.clear();
    if (auto cats = storage::CatalogRepository(m_app.db()).categories()) {
        for (const auto &c : std::as_const(*cats))
            m_categoryNames.insert(c.id, c.name);
    }
    m_currency = storage::PricingRepository(m_app.db()).tenantCurrency().valueOr(QString());
}

void ProductListModel::reload(int count)
{
    loadContext();
    const qint64 oldTotal = m_total;
    m_total = storage::CatalogRepository(m_app.db()).countProducts(m_query, m_categoryId).valueOr(-1);
    m_broad = m_total > kRankedMatches;
    auto rows = loadRows(0, count, nullptr);
    const auto oldSize = m_rows.size();
    if (!rows) {
        qCWarning(lcApp) << "catalog query failed" << rows.error().code;
        m_atEnd = true;
        return;
    }
    const bool atEnd = rows->size() < count;
    m_updating = true;
    replaceRows(m_rows, std::move(*rows), [](const Row &r) { return r.product.id; }, sameRow);
    m_updating = false;
    m_atEnd = atEnd;
    m_ids.clear();
    m_ids.reserve(m_rows.size());
    for (const Row &r : std::as_const(m_rows))
        m_ids.insert(r.product.id);
    if (oldTotal != m_total || oldSize != m_rows.size())
        Q_EMIT countChanged();
}

Result<QList<ProductListModel::Row>> ProductListModel::loadRows(int offset, int count, const storage::ProductRow *after)
{
    // Without search words the list is browsed by key (an index seek per page, however deep);
    // a search pages its ranked matches by offset (they are few once a word is typed); a broad
    // one (a letter or two matching thousands) lists its matches in id order by key: ranking them
    // all would cost more than a frame per keystroke.
    const bool browsing = std::none_of(m_query.cbegin(), m_query.cend(), [](QChar c) { return c.isLetterOrNumber(); });
    storage::CatalogRepository catalog(m_app.db());
    QList<Row> out;
    out.reserve(count);
    storage::ProductRow last = after ? *after : storage::ProductRow{};
    bool hasLast = after != nullptr;
    while (count > 0) {
        const int chunk = std::min(count, kQueryChunk);
        auto products = browsing ? catalog.browseProducts(m_categoryId, hasLast ? &last : nullptr, chunk)
                        : m_broad ? catalog.searchProductsAfterId(m_query, m_categoryId, hasLast ? last.id : 0, chunk)
                                  : catalog.searchProducts(m_query, m_categoryId, chunk, offset);
        if (!products)
            return products.error();
        // Price and stock in pages: bounded work per context load, and a refresh of a long range
        // costs the same per row as scrolling did.
        for (qsizetype from = 0; from < products->size(); from += kPageSize) {
            auto rows = buildRows(products->mid(from, kPageSize));
            if (!rows)
                return rows.error();
            out.append(std::move(*rows));
        }
        if (products->size() < chunk)
            break;
        last = products->last();
        hasLast = true;
        offset += chunk;
        count -= chunk;
    }
    return out;
}

Result<QList<ProductListModel::Row>> ProductListModel::buildRows(const QList<storage::ProductRow> &products)
{
    QList<Row> rows;
    if (products.isEmpty())
        return rows;
    QList<qint64> ids;
    ids.reserve(products.size());
    for (const auto &p : products)
        ids.append(p.id);

    auto stock = storage::StockRepository(m_app.db()).summaries(ids);
    if (!stock)
        return stock.error();

    std::optional<PricingContext> ctx;
    if (m_accountId != 0) {
        auto loaded = storage::PricingRepository(m_app.db()).loadPricingContext(m_accountId, ids, m_app.now(), 0, 0);
        if (!loaded)
            return loaded.error();
        ctx = std::move(*loaded);
        m_currency = ctx->currency;
    }

    rows.reserve(products.size());
    for (const auto &p : products) {
        Row r;
        r.product = p;
        r.categoryName = m_categoryNames.value(p.categoryId);
        if (ctx) {
            const PricedLine line = priceLine(*ctx, OrderLineInput{1, p.id, 1, 0});
            r.priceMinor = line.unitPriceMinor;
            r.priceSource = PriceExplanation::sourceName(line.why.source);
            r.priceReason = line.why.text();
            r.promoted = line.why.promotionId != 0;
        } else {
            r.priceMinor = p.listPriceMinor;
            r.priceSource = PriceExplanation::sourceName(PriceExplanation::Source::ListPrice);
            r.priceReason = tr("List price");
        }
        if (const auto s = stock->constFind(p.id); s != stock->cend()) {
            r.hasStock = true;
            r.atp = s->atp;
            r.stockAsOf = s->oldestAsOf;
        }
        rows.append(std::move(r));
    }
    return rows;
}

QVariant ProductListModel::value(const Row &r, int role) const
{
    const QDateTime now = m_app.now();
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return r.product.name;
    case ProductIdRole: return r.product.id;
    case SkuRole: return r.product.sku;
    case CategoryNameRole: return r.categoryName;
    case BarcodeRole: return r.product.barcode;
    case UomRole: return r.product.uom;
    case PackLabelRole: return r.product.packLabel;
    case CasePackRole: return r.product.casePack;
    case MoqRole: return r.product.moq;
    case DiscontinuedRole: return r.product.discontinued;
    case PriceMinorRole: return r.priceMinor;
    case PriceTextRole: return format::money(r.priceMinor, m_currency);
    case ListPriceTextRole: return format::money(r.product.listPriceMinor, m_currency);
    case PriceSourceRole: return r.priceSource;
    case PriceReasonRole: return r.priceReason;
    case PromotedRole: return r.promoted;
    case AtpRole: return r.atp;
    case StockTextRole:
        if (!r.hasStock)
            return tr("No stock data");
        return r.atp > 0 ? tr("%1 in stock").arg(format::quantity(r.atp)) : tr("Out of stock");
    case StockAgeTextRole:
        return r.hasStock ? tr("as of %1").arg(format::age(r.stockAsOf, now)) : QString();
    case StockStaleRole:
        return r.hasStock && (!r.stockAsOf.isValid() || r.stockAsOf.secsTo(now) > 24 * 3600);
    case HasStockRole: return r.hasStock;
    case DescriptionRole: return r.product.description;
    default: return {};
    }
}

QVariantMap ProductListModel::toMap(const Row &row) const
{
    QVariantMap map;
    const auto names = roleNames();
    for (auto it = names.cbegin(); it != names.cend(); ++it)
        map.insert(QString::fromLatin1(it.value()), value(row, it.key()));
    return map;
}

int ProductListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant ProductListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    return value(m_rows.at(index.row()), role);
}

QHash<int, QByteArray> ProductListModel::roleNames() const
{
    return {{ProductIdRole, "productId"},       {SkuRole, "sku"},
            {NameRole, "name"},                 {CategoryNameRole, "categoryName"},
            {BarcodeRole, "barcode"},           {UomRole, "uom"},
            {PackLabelRole, "packLabel"},       {CasePackRole, "casePack"},
            {MoqRole, "moq"},                   {DiscontinuedRole, "discontinued"},
            {PriceMinorRole, "priceMinor"},     {PriceTextRole, "priceText"},
            {ListPriceTextRole, "listPriceText"}, {PriceSourceRole, "priceSource"},
            {PriceReasonRole, "priceReason"},   {PromotedRole, "promoted"},
            {AtpRole, "atp"},                   {StockTextRole, "stockText"},
            {StockAgeTextRole, "stockAgeText"}, {StockStaleRole, "stockStale"},
            {HasStockRole, "hasStock"},         {DescriptionRole, "description"}};
}

bool ProductListModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_atEnd && !m_updating;
}

void ProductListModel::fetchMore(const QModelIndex &parent)
{
    if (parent.isValid() || m_atEnd || m_updating)
        return;
    auto more = loadRows(int(m_rows.size()), m_pageSize, m_rows.isEmpty() ? nullptr : &m_rows.last().product);
    if (!more) {
        qCWarning(lcApp) << "catalog page failed" << more.error().code;
        m_atEnd = true;
        return;
    }
    const bool atEnd = more->size() < m_pageSize;
    // A sync may have moved rows since the last page: never show a product twice.
    QList<Row> fresh;
    fresh.reserve(more->size());
    for (Row &r : *more) {
        if (!m_ids.contains(r.product.id)) {
            m_ids.insert(r.product.id);
            fresh.append(std::move(r));
        }
    }
    m_updating = true;
    appendRows(m_rows, fresh);
    m_updating = false;
    m_atEnd = atEnd;
}

} // namespace outpost::app
