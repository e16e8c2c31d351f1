// The catalog's small lists: categories (a flattened tree) and the stock of the product on the
// product page per warehouse. ProductListModel (the big one) is declared in catalog_controller.h
// and implemented in product_list_model.cpp.
#pragma once

#include "app/row_diff_model.h"
#include "storage/records.h"
#include "storage/stock_repository.h"

#include <QDateTime>
#include <QQmlEngine>

#include <chrono>

namespace outpost::app {

// Categories in tree order (each parent followed by its children, siblings by name), with the
// depth for indentation. Roles: categoryId, code, name, depth. Row 0 is not "all": QML offers
// "All categories" itself (categoryId 0).
class CategoryListModel : public RowDiffModel
{
    Q_OBJECT
    QML_ANONYMOUS
public:
    enum Role { CategoryIdRole = Qt::UserRole + 1, CodeRole, NameRole, DepthRole };
    struct Row
    {
        qint64 id = 0;
        QString code;
        QString name;
        int depth = 0;
        friend bool operator==(const Row &, const Row &) = default;
    };
    using RowDiffModel::RowDiffModel;

    // Orders `categories` into the tree (a missing or cyclic parent counts as a root).
    static QList<Row> treeOrder(const QList<storage::CategoryRow> &categories);
    void setCategories(const QList<storage::CategoryRow> &categories);
    QString nameOf(qint64 id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:

private:
    QList<Row> m_rows;
};

// Roles: warehouseId, warehouseCode, warehouseName, onHand, allocated, atp, asOf, ageText
// ("2 h ago"), stale (counted longer than staleAfter before now, or never).
class StockListModel : public RowDiffModel
{
    Q_OBJECT
    QML_ANONYMOUS
public:
    enum Role {
        WarehouseIdRole = Qt::UserRole + 1, WarehouseCodeRole, WarehouseNameRole, OnHandRole, AllocatedRole,
        AtpRole, AsOfRole, AgeTextRole, StaleRole
    };
    static constexpr std::chrono::hours kStaleAfter{24};
    using RowDiffModel::RowDiffModel;

    void setLevels(const QList<storage::WarehouseStock> &levels, const QDateTime &now);
    static bool isStale(const QDateTime &asOf, const QDateTime &now);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:

private:
    struct Row
    {
        storage::WarehouseStock stock;
        QString ageText;
        bool stale = false;
    };
    QList<Row> m_rows;
};

} // namespace outpost::app
