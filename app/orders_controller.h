// Orders after capture: history with the server's outcome per order and per line (accepted;
// adjusted old -> new; held; rejected with the reason), updated live as sync delivers outcomes,
// and the Today screen's lists (recent orders; orders needing attention: rejected, adjusted, held,
// failed). QML: `Orders` (singleton of Outpost.App).
#pragma once

#include "app/app_context.h"
#include "app/row_diff_model.h"
#include "storage/order_repository.h"

#include <QObject>
#include <QQmlEngine>

#include <optional>

namespace outpost::app {

// Roles: orderId, orderNumber ("" until the server numbered it), accountId, accountName, status
// (draft|queued|sent|accepted|adjusted|held|rejected|failed), statusText ("Waiting to send",
// "Sent", "Accepted", "Adjusted", "Held: credit limit", "Rejected", "Failed: <reason>"),
// needsAttention (bool), totalText, lineCount, submittedAt (QDateTime), submittedText.
class OrderListModel : public RowDiffModel
{
    Q_OBJECT
    QML_ANONYMOUS
public:
    enum class Scope { Recent, Attention, Account };
    enum Role {
        OrderIdRole = Qt::UserRole + 1, OrderNumberRole, AccountIdRole, AccountNameRole, StatusRole, StatusTextRole,
        NeedsAttentionRole, TotalTextRole, LineCountRole, SubmittedAtRole, SubmittedTextRole
    };
    OrderListModel(AppContext &app, Scope scope, QObject *parent = nullptr);
    void setAccountId(qint64 accountId); // Scope::Account

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    void refresh();

Q_SIGNALS:

private:
    AppContext &m_app;
    Scope m_scope;
    qint64 m_accountId = 0;
    struct Row
    {
        storage::OrderRow order;
        QString accountName;
        int lineCount = 0;
    };
    // One page of this scope's orders with account names and line counts; nullopt on a read error
    // (logged; the list keeps what it shows).
    std::optional<QList<Row>> loadPage(int limit, int offset);
    QList<Row> m_rows;
    bool m_atEnd = false;
    bool m_refreshing = false;
};

// Lines of the open order with the server's decision. Roles: lineNo, sku, name, quantity
// (asked), acceptedQuantity, backorderedQuantity, outcome (accepted|adjusted|rejected|""),
// unitPriceText (the server's, else the quoted), totalText, changes (list of strings such as
// "Price 15.00 -> 14.43", "Quantity 10 -> 12 (case pack 6)", "Backordered 4"), reason (rejection).
class OutcomeLineListModel;

class OrdersController : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(Orders)
    QML_SINGLETON
    OUTPOST_QML_SINGLETON(OrdersController, orders)

    Q_PROPERTY(OrderListModel *recent READ recent CONSTANT)
    Q_PROPERTY(OrderListModel *attention READ attention CONSTANT)
    Q_PROPERTY(OrderListModel *accountHistory READ accountHistory CONSTANT) // of Accounts.currentId
    Q_PROPERTY(int attentionCount READ attentionCount NOTIFY countsChanged)

    // The order detail (empty = none).
    Q_PROPERTY(QString currentId READ currentId WRITE setCurrentId NOTIFY currentChanged)
    Q_PROPERTY(QString orderNumber READ orderNumber NOTIFY currentChanged)
    Q_PROPERTY(QString accountName READ accountName NOTIFY currentChanged)
    Q_PROPERTY(QString status READ status NOTIFY currentChanged)
    Q_PROPERTY(QString statusText READ statusText NOTIFY currentChanged)
    Q_PROPERTY(QStringList holdReasons READ holdReasons NOTIFY currentChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY currentChanged) // failed: why
    Q_PROPERTY(QString grossText READ grossText NOTIFY currentChanged)
    Q_PROPERTY(QString taxText READ taxText NOTIFY currentChanged)
    Q_PROPERTY(QString totalText READ totalText NOTIFY currentChanged)
    Q_PROPERTY(QString submittedText READ submittedText NOTIFY currentChanged)
    Q_PROPERTY(QString decidedText READ decidedText NOTIFY currentChanged)
    Q_PROPERTY(QAbstractItemModel *lines READ lines CONSTANT)

public:
    explicit OrdersController(AppContext &app, QObject *parent = nullptr);

    OrderListModel *recent() const { return m_recent; }
    OrderListModel *attention() const { return m_attention; }
    OrderListModel *accountHistory() const { return m_accountHistory; }
    int attentionCount() const;
    QString currentId() const { return m_current.id; }
    void setCurrentId(const QString &id);
    QString orderNumber() const { return m_current.orderNumber; }
    QString accountName() const { return m_accountName; }
    QString status() const { return m_current.status; }
    QString statusText() const;
    QStringList holdReasons() const { return m_current.holdReasons; }
    QString errorText() const { return m_current.errorText; }
    QString grossText() const;
    QString taxText() const;
    QString totalText() const;
    QString submittedText() const;
    QString decidedText() const;
    QAbstractItemModel *lines() const;

    // A failed order back into the queue (after the rep fixed the cause elsewhere).
    Q_INVOKABLE bool retry(const QString &orderId);
    void setHistoryAccount(qint64 accountId);
    void refresh();

Q_SIGNALS:
    void currentChanged();
    void countsChanged();

private:
    AppContext &m_app;
    OrderListModel *m_recent = nullptr;
    OrderListModel *m_attention = nullptr;
    OrderListModel *m_accountHistory = nullptr;
    OutcomeLineListModel *m_lines = nullptr;
    void loadCurrent();
    storage::OrderRow m_current;
    QString m_accountName;
    int m_attentionCount = 0;
};

// Shared text for order statuses (also used by the Today banner).
QString orderStatusText(const storage::OrderRow &order);

} // namespace outpost::app
