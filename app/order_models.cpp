#include "app/order_models.h"

#include "app/format.h"

#include <QCoreApplication>
#include <QSet>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace outpost::app {

// --- OrderLineListModel ---------------------------------------------------------------------------

void OrderLineListModel::setRows(QList<Row> rows)
{
    replaceRows(m_rows, std::move(rows), [](const Row &r) { return r.lineNo; },
                [](const Row &a, const Row &b) { return a == b; });
}

const OrderLineListModel::Row *OrderLineListModel::line(int lineNo) const
{
    for (const Row &r : m_rows) {
        if (r.lineNo == lineNo)
            return &r;
    }
    return nullptr;
}

int OrderLineListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant OrderLineListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return r.name;
    case LineNoRole: return r.lineNo;
    case ProductIdRole: return r.productId;
    case SkuRole: return r.sku;
    case QuantityRole: return r.quantity;
    case CasePackRole: return r.casePack;
    case MoqRole: return r.moq;
    case UomRole: return r.uom;
    case UnitPriceMinorRole: return r.unitPriceMinor;
    case UnitPriceTextRole: return r.unitPriceText;
    case PriceReasonRole: return r.priceReason;
    case NetTextRole: return r.netText;
    case TotalTextRole: return r.totalText;
    case DiscountBpRole: return r.discountBp;
    case HasErrorRole: return r.hasError;
    case FindingTextRole: return r.findingText;
    default: return {};
    }
}

QHash<int, QByteArray> OrderLineListModel::roleNames() const
{
    return {{LineNoRole, "lineNo"},
            {ProductIdRole, "productId"},
            {SkuRole, "sku"},
            {NameRole, "name"},
            {QuantityRole, "quantity"},
            {CasePackRole, "casePack"},
            {MoqRole, "moq"},
            {UomRole, "uom"},
            {UnitPriceMinorRole, "unitPriceMinor"},
            {UnitPriceTextRole, "unitPriceText"},
            {PriceReasonRole, "priceReason"},
            {NetTextRole, "netText"},
            {TotalTextRole, "totalText"},
            {DiscountBpRole, "discountBp"},
            {HasErrorRole, "hasError"},
            {FindingTextRole, "findingText"}};
}

// --- FindingListModel -----------------------------------------------------------------------------

void FindingListModel::setRows(QList<Row> rows)
{
    QHash<QString, int> seen;
    for (Row &r : rows) {
        const QString base = QString::number(r.lineNo) + u'/' + r.code;
        r.key = base + u'/' + QString::number(seen[base]++);
    }
    replaceRows(m_rows, std::move(rows), [](const Row &r) { return r.key; },
                [](const Row &a, const Row &b) { return a == b; });
}

int FindingListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant FindingListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case MessageRole: return r.message;
    case CodeRole: return r.code;
    case SeverityRole: return r.severity;
    case LineNoRole: return r.lineNo;
    default: return {};
    }
}

QHash<int, QByteArray> FindingListModel::roleNames() const
{
    return {{CodeRole, "code"}, {SeverityRole, "severity"}, {LineNoRole, "lineNo"}, {MessageRole, "message"}};
}

// --- OutcomeLineListModel -------------------------------------------------------------------------

void OutcomeLineListModel::setRows(QList<Row> rows)
{
    replaceRows(m_rows, std::move(rows), [](const Row &r) { return r.lineNo; },
                [](const Row &a, const Row &b) { return a == b; });
}

int OutcomeLineListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant OutcomeLineListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return r.name;
    case LineNoRole: return r.lineNo;
    case SkuRole: return r.sku;
    case QuantityRole: return r.quantity;
    case AcceptedQuantityRole: return r.acceptedQuantity;
    case BackorderedQuantityRole: return r.backorderedQuantity;
    case OutcomeRole: return r.outcome;
    case UnitPriceTextRole: return r.unitPriceText;
    case TotalTextRole: return r.totalText;
    case ChangesRole: return r.changes;
    case ReasonRole: return r.reason;
    default: return {};
    }
}

QHash<int, QByteArray> OutcomeLineListModel::roleNames() const
{
    return {{LineNoRole, "lineNo"},
            {SkuRole, "sku"},
            {NameRole, "name"},
            {QuantityRole, "quantity"},
            {AcceptedQuantityRole, "acceptedQuantity"},
            {BackorderedQuantityRole, "backorderedQuantity"},
            {OutcomeRole, "outcome"},
            {UnitPriceTextRole, "unitPriceText"},
            {TotalTextRole, "totalText"},
            {ChangesRole, "changes"},
            {ReasonRole, "reason"}};
}

// --- The draft's rows ------------------------------------------------------------------------------

namespace {
QString trOrder(const char *text)
{
    return QCoreApplication::translate("outpost::app::OrderController", text);
}
} // namespace

DraftRows draftRows(const storage::OrderRow &order, const QHash<qint64, storage::ProductRow> &products,
                    const PricedOrder &priced, const std::vector<Finding> &findings, const QString &currency)
{
    DraftRows out;
    QHash<int, QStringList> lineFindings;
    QSet<int> errorLines;
    for (const Finding &f : findings) {
        QString message = f.message;
        switch (f.severity) {
        case Severity::Error: ++out.errors; break;
        case Severity::Approval:
            ++out.approvals;
            message = trOrder("%1 (will be held for approval)").arg(f.message);
            break;
        case Severity::Warning: ++out.warnings; break;
        }
        out.findings.append({{}, f.code, Finding::severityName(f.severity), f.lineNo, message});
        if (f.lineNo > 0) {
            lineFindings[f.lineNo] << message;
            if (f.severity == Severity::Error)
                errorLines.insert(f.lineNo);
        }
    }
    for (const storage::OrderLineRow &line : order.lines) {
        OrderLineListModel::Row r;
        r.lineNo = line.lineNo;
        r.productId = line.productId;
        r.sku = line.sku;
        r.quantity = line.quantity;
        r.discountBp = line.discountBp;
        const auto product = products.constFind(line.productId);
        if (product != products.cend()) {
            r.name = product->name;
            r.casePack = std::max<qint64>(product->casePack, 1);
            r.moq = std::max<qint64>(product->moq, 1);
            r.uom = product->uom;
        } else {
            r.name = trOrder("%1 (not in the catalog)").arg(line.sku);
        }
        const auto p = std::find_if(priced.lines.begin(), priced.lines.end(),
                                    [&](const PricedLine &pl) { return pl.lineNo == line.lineNo; });
        if (p != priced.lines.end()) {
            r.unitPriceMinor = p->unitPriceMinor;
            r.unitPriceText = format::money(p->unitPriceMinor, currency);
            r.priceReason = p->why.text();
            r.netText = format::money(p->taxableMinor, currency);
            r.totalText = format::money(p->totalMinor, currency);
        } else {
            r.unitPriceText = r.netText = r.totalText = u"-"_s;
        }
        r.hasError = errorLines.contains(line.lineNo);
        r.findingText = lineFindings.value(line.lineNo).join(u'\n');
        out.lines.append(r);
    }
    return out;
}

} // namespace outpost::app
