#include "app/format.h"
#include "app/session_controller.h"
#include "storage/sync_state_repository.h"

#include <QLoggingCategory>

using namespace Qt::Literals::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcApp)

namespace outpost::app {

PartitionListModel::PartitionListModel(AppContext &app, QObject *parent) : RowDiffModel(parent), m_app(app) {}

int PartitionListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant PartitionListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case PartitionRole: return row.partition;
    case LastSuccessRole: return row.lastSuccess;
    case AgeTextRole: return format::age(row.lastSuccess, m_app.now());
    case CursorRole: return row.cursor;
    default: return {};
    }
}

QHash<int, QByteArray> PartitionListModel::roleNames() const
{
    return {{PartitionRole, "partition"}, {LastSuccessRole, "lastSuccess"}, {AgeTextRole, "age"},
            {CursorRole, "cursor"}};
}

void PartitionListModel::refresh()
{
    auto states = storage::SyncStateRepository(m_app.db()).all();
    if (!states) {
        qCWarning(lcApp) << "partitions:" << states.error().code;
        return;
    }
    QList<Row> next;
    next.reserve(states->size());
    for (const storage::SyncStateRow &s : std::as_const(*states))
        next.append(Row{s.partition, s.lastSuccessAt, s.cursorSeq});
    std::sort(next.begin(), next.end(), [](const Row &a, const Row &b) { return a.partition < b.partition; });
    replaceRows(m_rows, std::move(next), [](const Row &r) { return r.partition; },
                [](const Row &a, const Row &b) { return a.lastSuccess == b.lastSuccess && a.cursor == b.cursor; });
    // The age text moves with the clock even when the rows did not change.
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1), {AgeTextRole});
}

} // namespace outpost::app
