// RowDiffModel: a list model that replaces its rows by diffing old against new by key, emitting
// fine-grained inserts, removes, moves and dataChanged -- never a reset -- so a sync that changes
// three prices repaints three rows and a scrolled list keeps its place. Subclasses keep their rows
// in a QList<Row> and call replaceRows() (or appendRows() for incremental fetching).
#pragma once

#include <QAbstractListModel>
#include <QHash>
#include <QList>

#include <utility>

namespace outpost::app {

class RowDiffModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    using QAbstractListModel::QAbstractListModel;
    int count() const { return rowCount(); }

Q_SIGNALS:
    void countChanged(); // emitted by replaceRows/appendRows when the number of rows changed

protected:
    // rows := next. key(row) identifies a row (unique within a list); equal(a, b) says whether a
    // row's shown data is unchanged. Cost O(n) for the usual case (same order, few changes).
    template <typename Row, typename KeyFn, typename EqFn>
    void replaceRows(QList<Row> &rows, QList<Row> next, KeyFn key, EqFn equal)
    {
        using Key = decltype(key(std::declval<const Row &>()));
        const qsizetype sizeBefore = rows.size();
        // 1. Remove rows whose key is gone (bottom up, contiguous runs at once).
        QHash<Key, qsizetype> nextIndex;
        nextIndex.reserve(next.size());
        for (qsizetype i = 0; i < next.size(); ++i)
            nextIndex.insert(key(next[i]), i);
        for (qsizetype i = rows.size() - 1; i >= 0;) {
            if (nextIndex.contains(key(rows[i]))) {
                --i;
                continue;
            }
            qsizetype first = i;
            while (first > 0 && !nextIndex.contains(key(rows[first - 1])))
                --first;
            beginRemoveRows({}, int(first), int(i));
            rows.remove(first, i - first + 1);
            endRemoveRows();
            i = first - 1;
        }
        // 2. Walk the new order: keep, move into place, or insert; then report changed data.
        QHash<Key, qsizetype> where;
        bool whereValid = false;
        for (qsizetype i = 0; i < next.size(); ++i) {
            const Key k = key(next[i]);
            if (i < rows.size() && key(rows[i]) == k) {
                if (!equal(rows[i], next[i])) {
                    rows[i] = next[i];
                    Q_EMIT dataChanged(index(int(i)), index(int(i)));
                }
                continue;
            }
            if (!whereValid) {
                where.clear();
                for (qsizetype j = i; j < rows.size(); ++j)
                    where.insert(key(rows[j]), j);
                whereValid = true;
            }
            const auto found = where.constFind(k);
            if (found != where.cend() && *found > i && *found < rows.size() && key(rows[*found]) == k) {
                const qsizetype from = *found;
                beginMoveRows({}, int(from), int(from), {}, int(i));
                rows.move(from, i);
                endMoveRows();
                if (!equal(rows[i], next[i])) {
                    rows[i] = next[i];
                    Q_EMIT dataChanged(index(int(i)), index(int(i)));
                }
            } else {
                beginInsertRows({}, int(i), int(i));
                rows.insert(i, next[i]);
                endInsertRows();
            }
            whereValid = false; // indices after i shifted
        }
        // 3. Anything left beyond the new size (cannot happen after step 1, kept for safety).
        if (rows.size() > next.size()) {
            beginRemoveRows({}, int(next.size()), int(rows.size() - 1));
            rows.resize(next.size());
            endRemoveRows();
        }
        if (rows.size() != sizeBefore)
            Q_EMIT countChanged();
    }

    template <typename Row> void appendRows(QList<Row> &rows, const QList<Row> &more)
    {
        if (more.isEmpty())
            return;
        beginInsertRows({}, int(rows.size()), int(rows.size() + more.size() - 1));
        rows.append(more);
        endInsertRows();
        Q_EMIT countChanged();
    }
};

} // namespace outpost::app
