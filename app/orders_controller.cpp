#include "app/orders_controller.h"

#include "app/accounts_controller.h"
#include "app/format.h"
#include "app/order_models.h"
#include "storage/account_repository.h"
#include "storage/catalog_repository.h"
#include "storage/database.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QLoggingCategory>

using namespace Qt::Literals::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcApp)

namespace outpost::app {

namespace {

QString trText(const char *text)
{
    return QCoreApplication::translate("outpost::app::OrdersController", text);
}

QString holdReasonText(const QString &code)
{
    if (code == u"credit.limit_exceeded"_s)
        return trText("credit limit");
    if (code == u"account.on_hold"_s)
        return trText("account on hold");
    if (code == u"quantity.below_moq"_s)
        return trText("below minimum order quantity");
    return code;
}

QString timeText(const QDateTime &at)
{
    return at.isValid() ? QLocale().toString(at.toLocalTime(), QLocale::ShortFormat) : QString();
}

// One adjustment of the server ({code, field, old, new, message}) as a short sentence.
QString changeText(const QJsonObject &adj, const QString &currency, qint64 casePack)
{
    const QString code = adj.value(u"code"_s).toString();
    const qint64 from = adj.value(u"old"_s).toInteger();
    const qint64 to = adj.value(u"new"_s).toInteger();
    if (code == u"price.corrected"_s)
        return trText("Price %1 -> %2").arg(format::amount(from, currency), format::amount(to, currency));
    if (code == u"quantity.rounded_to_case_pack"_s) {
        // The replica's case pack explains the rounding when it fits the server's result.
        if (casePack > 1 && to % casePack == 0)
            return trText("Quantity %1 -> %2 (case pack %3)")
                .arg(format::quantity(from), format::quantity(to), format::quantity(casePack));
        return trText("Quantity %1 -> %2 (rounded up to the case pack)").arg(format::quantity(from), format::quantity(to));
    }
    if (code == u"line.partial_fill"_s)
        return trText("Quantity %1 -> %2 (partial fill)").arg(format::quantity(from), format::quantity(to));
    if (code == u"line.backordered"_s)
        return trText("Backordered %1").arg(format::quantity(to));
    if (code == u"discount.capped"_s)
        return trText("Discount %1% -> %2%").arg(format::amount(from, u"XXX"_s), format::amount(to, u"XXX"_s));
    return adj.value(u"message"_s).toString();
}

} // namespace

QString orderStatusText(const storage::OrderRow &order)
{
    const QString &s = order.status;
    if (s == u"draft"_s)
        return trText("Draft");
    if (s == u"queued"_s)
        return trText("Waiting to send");
    if (s == u"sent"_s)
        return trText("Sent");
    if (s == u"accepted"_s)
        return trText("Accepted");
    if (s == u"adjusted"_s)
        return trText("Adjusted");
    if (s == u"held"_s) {
        QStringList reasons;
        for (const QString &r : order.holdReasons)
            reasons << holdReasonText(r);
        return reasons.isEmpty() ? trText("Held") : trText("Held: %1").arg(reasons.join(u", "_s));
    }
    if (s == u"rejected"_s)
        return trText("Rejected");
    if (s == u"failed"_s)
        return order.errorText.isEmpty() ? trText("Failed") : trText("Failed: %1").arg(order.errorText);
    return s;
}

OrdersController::OrdersController(AppContext &app, QObject *parent)
    : QObject(parent), m_app(app), m_recent(new OrderListModel(app, OrderListModel::Scope::Recent, this)),
      m_attention(new OrderListModel(app, OrderListModel::Scope::Attention, this)),
      m_accountHistory(new OrderListModel(app, OrderListModel::Scope::Account, this)),
      m_lines(new OutcomeLineListModel(this))
{
    if (AccountsController *accounts = app.accounts()) {
        connect(accounts, &AccountsController::currentChanged, this,
                [this, accounts] { setHistoryAccount(accounts->currentId()); });
    }
    auto count = storage::OrderRepository(m_app.db()).countNeedingAttention();
    m_attentionCount = count ? *count : 0;
}

int OrdersController::attentionCount() const
{
    return m_attentionCount;
}

void OrdersController::setCurrentId(const QString &id)
{
    if (id == m_current.id)
        return;
    m_current = storage::OrderRow();
    m_current.id = id;
    loadCurrent();
    Q_EMIT currentChanged();
}

QString OrdersController::statusText() const
{
    return m_current.id.isEmpty() ? QString() : orderStatusText(m_current);
}

QString OrdersController::grossText() const
{
    return m_current.id.isEmpty() ? QString() : format::money(m_current.grossMinor, m_current.currency);
}

QString OrdersController::taxText() const
{
    return m_current.id.isEmpty() ? QString() : format::money(m_current.taxMinor, m_current.currency);
}

QString OrdersController::totalText() const
{
    return m_current.id.isEmpty() ? QString() : format::money(m_current.totalMinor, m_current.currency);
}

QString OrdersController::submittedText() const
{
    return timeText(m_current.submittedAt);
}

QString OrdersController::decidedText() const
{
    return timeText(m_current.decidedAt);
}

QAbstractItemModel *OrdersController::lines() const
{
    return m_lines;
}

bool OrdersController::retry(const QString &orderId)
{
    if (Status s = storage::OrderRepository(m_app.db()).retryFailed(orderId, m_app.now()); !s) {
        qCInfo(lcApp) << "order retry refused" << orderId << s.error().code;
        m_current.errorText = s.error().userText;
        Q_EMIT currentChanged();
        return false;
    }
    qCInfo(lcApp) << "order queued again" << orderId;
    m_app.notifyLocalChange();
    return true;
}

void OrdersController::setHistoryAccount(qint64 accountId)
{
    m_accountHistory->setAccountId(accountId);
}

void OrdersController::refresh()
{
    m_recent->refresh();
    m_attention->refresh();
    m_accountHistory->refresh();
    if (auto count = storage::OrderRepository(m_app.db()).countNeedingAttention(); count && *count != m_attentionCount) {
        m_attentionCount = *count;
        Q_EMIT countsChanged();
    }
    if (m_current.id.isEmpty())
        return;
    const storage::OrderRow before = m_current;
    const QString nameBefore = m_accountName;
    loadCurrent();
    const storage::OrderRow &now = m_current;
    if (now.status != before.status || now.orderNumber != before.orderNumber || now.totalMinor != before.totalMinor
        || now.grossMinor != before.grossMinor || now.taxMinor != before.taxMinor
        || now.holdReasons != before.holdReasons || now.errorText != before.errorText
        || now.decidedAt != before.decidedAt || now.submittedAt != before.submittedAt || m_accountName != nameBefore)
        Q_EMIT currentChanged();
}

// Reads the current order and its lines with the server's decision (detail_json per line as
// sync/push.cpp stores it: requestedQuantity, priceExplanation, adjustments, findings).
void OrdersController::loadCurrent()
{
    storage::Database &db = m_app.db();
    auto order = storage::OrderRepository(db).order(m_current.id);
    if (!order) {
        qCInfo(lcApp) << "order detail not found" << m_current.id;
        const QString id = m_current.id;
        m_current = storage::OrderRow();
        m_current.id = id;
        m_accountName.clear();
        m_lines->setRows({});
        return;
    }
    m_current = *order;
    auto account = storage::AccountRepository(db).account(order->accountId);
    m_accountName = account ? account->name : tr("Account %1").arg(order->accountId);

    storage::CatalogRepository catalog(db);
    QList<OutcomeLineListModel::Row> rows;
    for (const storage::OrderLineRow &l : order->lines) {
        OutcomeLineListModel::Row r;
        r.lineNo = l.lineNo;
        r.sku = l.sku;
        r.quantity = l.quantity;
        qint64 casePack = 1;
        if (auto product = catalog.product(l.productId)) {
            r.name = product->name;
            casePack = product->casePack;
        } else {
            r.name = l.sku;
        }
        if (l.acceptedQuantity)
            r.acceptedQuantity = *l.acceptedQuantity;
        if (l.backorderedQuantity)
            r.backorderedQuantity = *l.backorderedQuantity;
        r.outcome = l.outcome;
        const std::optional<qint64> unit = l.unitPriceMinor ? l.unitPriceMinor : l.quotedUnitPriceMinor;
        r.unitPriceText = unit ? format::money(*unit, order->currency) : QString();
        r.totalText = l.totalMinor ? format::money(*l.totalMinor, order->currency) : QString();
        const QJsonObject detail = QJsonDocument::fromJson(l.detailJson).object();
        for (const QJsonValue &adj : detail.value(u"adjustments"_s).toArray())
            r.changes << changeText(adj.toObject(), order->currency, casePack);
        if (l.outcome == u"rejected"_s) {
            QStringList reasons;
            for (const QJsonValue &f : detail.value(u"findings"_s).toArray()) {
                const QJsonObject finding = f.toObject();
                if (finding.value(u"severity"_s).toString() == u"error"_s)
                    reasons << finding.value(u"message"_s).toString();
            }
            r.reason = reasons.isEmpty() ? tr("Rejected by the server") : reasons.join(u"; "_s);
        }
        rows.append(r);
    }
    m_lines->setRows(std::move(rows));
}

} // namespace outpost::app
