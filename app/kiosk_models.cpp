#include "app/kiosk_models.h"

#include "app/format.h"
#include "storage/meta_repository.h"

using namespace Qt::Literals::StringLiterals;

namespace outpost::app {

WishListModel::WishListModel(AppContext &app, QObject *parent) : RowDiffModel(parent), m_app(app) {}

int WishListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant WishListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case ProductIdRole: return row.productId;
    case SkuRole: return row.sku;
    case Qt::DisplayRole:
    case NameRole: return row.name;
    case QuantityRole: return row.quantity;
    case PriceTextRole: return format::money(row.listPriceMinor, currency());
    case LineTotalTextRole: return format::money(row.listPriceMinor * row.quantity, currency());
    default: return {};
    }
}

QHash<int, QByteArray> WishListModel::roleNames() const
{
    return {{ProductIdRole, "productId"}, {SkuRole, "sku"},           {NameRole, "name"},
            {QuantityRole, "quantity"},   {PriceTextRole, "priceText"}, {LineTotalTextRole, "lineTotalText"}};
}

void WishListModel::setRows(QList<Row> rows)
{
    replaceRows(m_rows, std::move(rows), [](const Row &r) { return r.productId; },
                [](const Row &a, const Row &b) { return a == b; });
}

qint64 WishListModel::totalMinor() const
{
    qint64 total = 0;
    for (const Row &r : m_rows)
        total += r.listPriceMinor * r.quantity;
    return total;
}

QString WishListModel::currency() const
{
    return storage::MetaRepository(m_app.db()).valueOr(u"tenant.currency"_s, u"GBP"_s);
}

} // namespace outpost::app
