// List models of order capture and order history: the draft's lines, the draft's findings and the
// lines of a submitted order with the server's decision. Each is a RowDiffModel: the controller
// hands it the whole new list and it emits fine-grained changes (never a reset).
#pragma once

#include "app/row_diff_model.h"
#include "domain/pricing.h"
#include "storage/order_repository.h"

#include <QStringList>

namespace outpost::app {

// Lines of the open draft (see order_controller.h for the roles).
class OrderLineListModel : public RowDiffModel
{
    Q_OBJECT
public:
    enum Role {
        LineNoRole = Qt::UserRole + 1, ProductIdRole, SkuRole, NameRole, QuantityRole, CasePackRole, MoqRole,
        UomRole, UnitPriceMinorRole, UnitPriceTextRole, PriceReasonRole, NetTextRole, TotalTextRole,
        DiscountBpRole, HasErrorRole, FindingTextRole
    };
    struct Row
    {
        int lineNo = 0;
        qint64 productId = 0;
        QString sku;
        QString name;
        qint64 quantity = 0;
        qint64 casePack = 1;
        qint64 moq = 1;
        QString uom;
        qint64 unitPriceMinor = 0;
        QString unitPriceText;
        QString priceReason;
        QString netText;
        QString totalText;
        qint64 discountBp = 0;
        bool hasError = false;
        QString findingText;
        friend bool operator==(const Row &, const Row &) = default;
    };
    using RowDiffModel::RowDiffModel;

    void setRows(QList<Row> rows);
    const QList<Row> &rows() const { return m_rows; }
    const Row *line(int lineNo) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:

private:
    QList<Row> m_rows;
};

// Findings of the draft: code, severity ("error"|"approval"|"warning"), lineNo, message.
class FindingListModel : public RowDiffModel
{
    Q_OBJECT
public:
    enum Role { CodeRole = Qt::UserRole + 1, SeverityRole, LineNoRole, MessageRole };
    struct Row
    {
        QString key; // lineNo/code/occurrence: unique within the list
        QString code;
        QString severity;
        int lineNo = 0;
        QString message;
        friend bool operator==(const Row &, const Row &) = default;
    };
    using RowDiffModel::RowDiffModel;

    void setRows(QList<Row> rows); // fills Row::key
    const QList<Row> &rows() const { return m_rows; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:

private:
    QList<Row> m_rows;
};

// Lines of a submitted order with the server's decision (see orders_controller.h for the roles).
class OutcomeLineListModel : public RowDiffModel
{
    Q_OBJECT
public:
    enum Role {
        LineNoRole = Qt::UserRole + 1, SkuRole, NameRole, QuantityRole, AcceptedQuantityRole,
        BackorderedQuantityRole, OutcomeRole, UnitPriceTextRole, TotalTextRole, ChangesRole, ReasonRole
    };
    struct Row
    {
        int lineNo = 0;
        QString sku;
        QString name;
        qint64 quantity = 0;
        QVariant acceptedQuantity;    // null until decided
        QVariant backorderedQuantity; // null until decided
        QString outcome;
        QString unitPriceText;
        QString totalText;
        QStringList changes;
        QString reason;
        friend bool operator==(const Row &, const Row &) = default;
    };
    using RowDiffModel::RowDiffModel;

    void setRows(QList<Row> rows);
    const QList<Row> &rows() const { return m_rows; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:

private:
    QList<Row> m_rows;
};

// The draft's line and finding rows from its stored lines, the products, the domain's pricing and
// findings (approvals say they will be held; a line with an error finding is marked).
struct DraftRows
{
    QList<OrderLineListModel::Row> lines;
    QList<FindingListModel::Row> findings;
    int errors = 0;
    int approvals = 0;
    int warnings = 0;
};
DraftRows draftRows(const storage::OrderRow &order, const QHash<qint64, storage::ProductRow> &products,
                    const PricedOrder &priced, const std::vector<Finding> &findings, const QString &currency);

} // namespace outpost::app
