#include "app/orders_controller.h"

#include "app/format.h"
#include "storage/account_repository.h"
#include "storage/database.h"

#include <QLocale>
#include <QLoggingCategory>

using namespace Qt::Literals::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcApp)

namespace outpost::app {

namespace {

constexpr int kPage = 50;

bool needsAttention(const QString &status)
{
    return status == u"rejected"_s || status == u"adjusted"_s || status == u"held"_s || status == u"failed"_s;
}

QString timeText(const QDateTime &at)
{
    return at.isValid() ? QLocale().toString(at.toLocalTime(), QLocale::ShortFormat) : QString();
}

} // namespace

OrderListModel::OrderListModel(AppContext &app, Scope scope, QObject *parent)
    : RowDiffModel(parent), m_app(app), m_scope(scope)
{
    refresh();
}

void OrderListModel::setAccountId(qint64 accountId)
{
    if (accountId == m_accountId)
        return;
    m_accountId = accountId;
    m_atEnd = false;
    // Another account's history: different keys, so the diff removes and inserts (no reset).
    refresh();
}

int OrderListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant OrderListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    const storage::OrderRow &o = r.order;
    switch (role) {
    case Qt::DisplayRole:
    case AccountNameRole: return r.accountName;
    case OrderIdRole: return o.id;
    case OrderNumberRole: return o.orderNumber;
    case AccountIdRole: return o.accountId;
    case StatusRole: return o.status;
    case StatusTextRole: return orderStatusText(o);
    case NeedsAttentionRole: return needsAttention(o.status);
    case TotalTextRole: return format::money(o.totalMinor, o.currency);
    case LineCountRole: return r.lineCount;
    case SubmittedAtRole: return o.submittedAt;
    case SubmittedTextRole: return timeText(o.submittedAt);
    default: return {};
    }
}

QHash<int, QByteArray> OrderListModel::roleNames() const
{
    return {{OrderIdRole, "orderId"},
            {OrderNumberRole, "orderNumber"},
            {AccountIdRole, "accountId"},
            {AccountNameRole, "accountName"},
            {StatusRole, "status"},
            {StatusTextRole, "statusText"},
            {NeedsAttentionRole, "needsAttention"},
            {TotalTextRole, "totalText"},
            {LineCountRole, "lineCount"},
            {SubmittedAtRole, "submittedAt"},
            {SubmittedTextRole, "submittedText"}};
}

bool OrderListModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_atEnd && !m_refreshing;
}

void OrderListModel::fetchMore(const QModelIndex &parent)
{
    if (parent.isValid() || m_atEnd || m_refreshing) // views may ask from inside a refresh's signals
        return;
    auto page = loadPage(kPage, int(m_rows.size()));
    if (!page) {
        m_atEnd = true;
        return;
    }
    m_atEnd = page->size() < kPage;
    appendRows(m_rows, *page);
}

void OrderListModel::refresh()
{
    const int limit = std::max<int>(kPage, int(m_rows.size()));
    auto page = loadPage(limit, 0);
    if (!page)
        return;
    m_atEnd = page->size() < limit;
    m_refreshing = true;
    replaceRows(m_rows, std::move(*page), [](const Row &r) { return r.order.id; },
                [](const Row &a, const Row &b) {
                    const storage::OrderRow &x = a.order, &y = b.order;
                    return a.accountName == b.accountName && a.lineCount == b.lineCount && x.status == y.status
                        && x.orderNumber == y.orderNumber && x.totalMinor == y.totalMinor
                        && x.currency == y.currency && x.submittedAt == y.submittedAt
                        && x.holdReasons == y.holdReasons && x.errorText == y.errorText
                        && x.decidedAt == y.decidedAt;
                });
    m_refreshing = false;
}

std::optional<QList<OrderListModel::Row>> OrderListModel::loadPage(int limit, int offset)
{
    storage::OrderRepository orders(m_app.db());
    Result<QList<storage::OrderRow>> read = QList<storage::OrderRow>();
    switch (m_scope) {
    case Scope::Recent: read = orders.recent(limit, offset); break;
    case Scope::Attention: read = orders.needingAttention(limit, offset); break;
    case Scope::Account:
        if (m_accountId > 0)
            read = orders.history(m_accountId, limit, offset);
        break;
    }
    if (!read) {
        qCWarning(lcApp) << "order list read failed" << read.error().code;
        return std::nullopt;
    }
    QStringList ids;
    for (const storage::OrderRow &o : *read)
        ids << o.id;
    auto counts = orders.lineCounts(ids);
    if (!counts) {
        qCWarning(lcApp) << "order line counts failed" << counts.error().code;
        return std::nullopt;
    }
    storage::AccountRepository accounts(m_app.db());
    QHash<qint64, QString> names;
    QList<Row> rows;
    rows.reserve(read->size());
    for (const storage::OrderRow &o : *read) {
        auto name = names.constFind(o.accountId);
        if (name == names.cend()) {
            auto account = accounts.account(o.accountId);
            name = names.insert(o.accountId, account ? account->name : tr("Account %1").arg(o.accountId));
        }
        rows.append(Row{o, *name, counts->value(o.id)});
    }
    return rows;
}

} // namespace outpost::app
