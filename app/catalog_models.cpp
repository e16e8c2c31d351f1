#include "app/catalog_models.h"

#include "app/format.h"

#include <QSet>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace outpost::app {

// ---- CategoryListModel -----------------------------------------------------------------------

QList<CategoryListModel::Row> CategoryListModel::treeOrder(const QList<storage::CategoryRow> &categories)
{
    QHash<qint64, const storage::CategoryRow *> byId;
    for (const auto &c : categories)
        byId.insert(c.id, &c);
    // A parent that is missing, the row itself, or part of a cycle makes the row a root.
    const auto isRoot = [&](const storage::CategoryRow &c) {
        QSet<qint64> seen{c.id};
        for (qint64 p = c.parentId; p != 0;) {
            const auto it = byId.constFind(p);
            if (it == byId.cend() || seen.contains(p))
                return true; // missing parent, or c is part of a cycle
            seen.insert(p);
            p = (*it)->parentId;
        }
        return c.parentId == 0;
    };
    QHash<qint64, QList<const storage::CategoryRow *>> children;
    QList<const storage::CategoryRow *> roots;
    for (const auto &c : categories) {
        if (isRoot(c))
            roots.append(&c);
        else
            children[c.parentId].append(&c);
    }
    const auto byName = [](const storage::CategoryRow *a, const storage::CategoryRow *b) {
        return a->name == b->name ? a->id < b->id : a->name.localeAwareCompare(b->name) < 0;
    };
    QList<Row> out;
    out.reserve(categories.size());
    // Iterative depth-first walk: (node, depth) on a stack, siblings pushed in reverse name order.
    std::sort(roots.begin(), roots.end(), byName);
    QList<std::pair<const storage::CategoryRow *, int>> stack;
    for (auto it = roots.crbegin(); it != roots.crend(); ++it)
        stack.append({*it, 0});
    while (!stack.isEmpty()) {
        const auto [c, depth] = stack.takeLast();
        out.append(Row{c->id, c->code, c->name, depth});
        auto kids = children.value(c->id);
        std::sort(kids.begin(), kids.end(), byName);
        for (auto it = kids.crbegin(); it != kids.crend(); ++it)
            stack.append({*it, depth + 1});
    }
    return out;
}

void CategoryListModel::setCategories(const QList<storage::CategoryRow> &categories)
{
    replaceRows(m_rows, treeOrder(categories), [](const Row &r) { return r.id; },
                [](const Row &a, const Row &b) { return a == b; });
}

QString CategoryListModel::nameOf(qint64 id) const
{
    for (const Row &r : m_rows)
        if (r.id == id)
            return r.name;
    return {};
}

int CategoryListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant CategoryListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return r.name;
    case CategoryIdRole: return r.id;
    case CodeRole: return r.code;
    case DepthRole: return r.depth;
    default: return {};
    }
}

QHash<int, QByteArray> CategoryListModel::roleNames() const
{
    return {{CategoryIdRole, "categoryId"}, {CodeRole, "code"}, {NameRole, "name"}, {DepthRole, "depth"}};
}

// ---- StockListModel --------------------------------------------------------------------------

bool StockListModel::isStale(const QDateTime &asOf, const QDateTime &now)
{
    return !asOf.isValid() || asOf.secsTo(now) > std::chrono::duration_cast<std::chrono::seconds>(kStaleAfter).count();
}

void StockListModel::setLevels(const QList<storage::WarehouseStock> &levels, const QDateTime &now)
{
    QList<Row> next;
    next.reserve(levels.size());
    for (const auto &l : levels)
        next.append(Row{l, format::age(l.asOf, now), isStale(l.asOf, now)});
    replaceRows(m_rows, next, [](const Row &r) { return r.stock.warehouseId; },
                [](const Row &a, const Row &b) {
                    return a.stock.warehouseCode == b.stock.warehouseCode
                        && a.stock.warehouseName == b.stock.warehouseName && a.stock.onHand == b.stock.onHand
                        && a.stock.allocated == b.stock.allocated && a.stock.atp == b.stock.atp
                        && a.stock.asOf == b.stock.asOf && a.ageText == b.ageText && a.stale == b.stale;
                });
}

int StockListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant StockListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case WarehouseNameRole: return r.stock.warehouseName;
    case WarehouseIdRole: return r.stock.warehouseId;
    case WarehouseCodeRole: return r.stock.warehouseCode;
    case OnHandRole: return r.stock.onHand;
    case AllocatedRole: return r.stock.allocated;
    case AtpRole: return r.stock.atp;
    case AsOfRole: return r.stock.asOf;
    case AgeTextRole: return r.ageText;
    case StaleRole: return r.stale;
    default: return {};
    }
}

QHash<int, QByteArray> StockListModel::roleNames() const
{
    return {{WarehouseIdRole, "warehouseId"}, {WarehouseCodeRole, "warehouseCode"},
            {WarehouseNameRole, "warehouseName"}, {OnHandRole, "onHand"},
            {AllocatedRole, "allocated"},         {AtpRole, "atp"},
            {AsOfRole, "asOf"},                   {AgeTextRole, "ageText"},
            {StaleRole, "stale"}};
}

} // namespace outpost::app
