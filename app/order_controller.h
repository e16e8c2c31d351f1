// Order capture: one draft per account at a time (storage::OrderRepository), saved on every change
// so a crash loses nothing. Lines are added by search, by the keyboard-first order pad (SKU, Tab,
// quantity, Enter), or by pasting "SKU<tab or comma or ;>qty" lines. Quantity steppers honour case
// packs and MOQs. Totals, tax and findings come from domain/ (priceOrder + validateOrder against
// the replica's last-known stock): errors block submit, approvals say "will be held", warnings
// show. submit() puts the order in the outbox (one transaction); the scheduler syncs soon.
// QML: `Order` (singleton of Outpost.App).
#pragma once

#include "app/app_context.h"
#include "app/row_diff_model.h"
#include "domain/content_hash.h"
#include "storage/order_repository.h"
#include "storage/records.h"

#include <QObject>
#include <QQmlEngine>

namespace outpost::app {

// Lines of the draft. Roles: lineNo, productId, sku, name, quantity, casePack, moq, uom,
// unitPriceText, priceReason, netText, totalText, discountBp, hasError (a finding of severity
// error on this line), findingText (the line's findings, one per line of text).
class OrderLineListModel;
// Findings of the draft: roles code, severity ("error"|"approval"|"warning"), lineNo, message.
class FindingListModel;

class OrderController : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(Order)
    QML_SINGLETON
    OUTPOST_QML_SINGLETON(OrderController, order)

    Q_PROPERTY(qint64 accountId READ accountId NOTIFY draftChanged)
    Q_PROPERTY(QString accountName READ accountName NOTIFY draftChanged)
    Q_PROPERTY(QString orderId READ orderId NOTIFY draftChanged) // empty = no draft open
    Q_PROPERTY(bool hasDraft READ hasDraft NOTIFY draftChanged)
    Q_PROPERTY(QAbstractItemModel *lines READ lines CONSTANT)
    Q_PROPERTY(QAbstractItemModel *findings READ findings CONSTANT)
    Q_PROPERTY(int lineCount READ lineCount NOTIFY totalsChanged)
    Q_PROPERTY(QString currency READ currency NOTIFY totalsChanged)
    Q_PROPERTY(QString grossText READ grossText NOTIFY totalsChanged)
    Q_PROPERTY(QString discountText READ discountText NOTIFY totalsChanged)
    Q_PROPERTY(QString netText READ netText NOTIFY totalsChanged)
    Q_PROPERTY(QString taxText READ taxText NOTIFY totalsChanged)
    Q_PROPERTY(QString totalText READ totalText NOTIFY totalsChanged)
    Q_PROPERTY(qint64 totalMinor READ totalMinor NOTIFY totalsChanged)
    Q_PROPERTY(int errorCount READ errorCount NOTIFY totalsChanged)
    Q_PROPERTY(int approvalCount READ approvalCount NOTIFY totalsChanged)
    Q_PROPERTY(int warningCount READ warningCount NOTIFY totalsChanged)
    Q_PROPERTY(bool canSubmit READ canSubmit NOTIFY totalsChanged) // lines and no error finding
    Q_PROPERTY(QString customerRef READ customerRef WRITE setCustomerRef NOTIFY draftChanged)
    Q_PROPERTY(QString note READ note WRITE setNote NOTIFY draftChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorChanged) // last failed action
    Q_PROPERTY(QString errorCode READ errorCode NOTIFY errorChanged) // its code ("" = none)
    Q_PROPERTY(QString statusText READ statusText NOTIFY errorChanged) // last action's result

public:
    explicit OrderController(AppContext &app, QObject *parent = nullptr);
    ~OrderController() override;

    qint64 accountId() const { return m_accountId; }
    QString accountName() const { return m_accountName; }
    QString orderId() const { return m_orderId; }
    bool hasDraft() const { return !m_orderId.isEmpty(); }
    QAbstractItemModel *lines() const;
    QAbstractItemModel *findings() const;
    int lineCount() const;
    QString currency() const { return m_currency; }
    QString grossText() const;
    QString discountText() const;
    QString netText() const;
    QString taxText() const;
    QString totalText() const;
    qint64 totalMinor() const;
    int errorCount() const;
    int approvalCount() const;
    int warningCount() const;
    bool canSubmit() const;
    QString customerRef() const { return m_customerRef; }
    void setCustomerRef(const QString &ref);
    QString note() const { return m_note; }
    void setNote(const QString &note);
    QString errorText() const { return m_errorText; }
    QString errorCode() const { return m_errorCode; }
    QString statusText() const { return m_statusText; }

    // Opens the account's draft, creating one if it has none (one draft per account).
    Q_INVOKABLE bool openFor(qint64 accountId);
    // Adds a line (or raises the quantity of the product's existing line). quantity 0 = the
    // smallest valid quantity (MOQ rounded up to the case pack).
    Q_INVOKABLE bool addProduct(qint64 productId, qint64 quantity = 0);
    // The order pad: SKU (or barcode) and quantity text. Errors: "order.unknown_sku",
    // "order.bad_quantity" (errorText says which), nothing added.
    Q_INVOKABLE bool addBySku(const QString &sku, const QString &quantityText);
    // Pasted lines "SKU<tab|,|;>qty" (header lines and blank lines skipped). Adds every good line
    // and returns {added: n, rejected: [{line: 3, text: "...", reason: "..."}]}.
    Q_INVOKABLE QVariantMap paste(const QString &text);
    Q_INVOKABLE bool setQuantity(int lineNo, qint64 quantity);
    // Next/previous valid quantity: by case pack, never below the MOQ (stepDown from the MOQ
    // removes nothing: it stays at the MOQ).
    Q_INVOKABLE bool stepUp(int lineNo);
    Q_INVOKABLE bool stepDown(int lineNo);
    Q_INVOKABLE bool setLineDiscount(int lineNo, qint64 discountBp);
    Q_INVOKABLE bool removeLine(int lineNo);
    // Adds the lines of a past order (same products and quantities; unknown or discontinued
    // products reported in statusText) to this account's draft.
    Q_INVOKABLE bool reorderFrom(const QString &pastOrderId);
    // draft -> queued + outbox row. Refused while canSubmit is false.
    Q_INVOKABLE bool submit();
    Q_INVOKABLE bool discard();

    void refresh(); // re-price after replicaChanged (new prices, new stock)

    // The order as a signature hashes it (domain/content_hash.h), as it is now: a draft (or an
    // order the server has not decided yet) priced by the same path as the draft on screen; a
    // decided order with the server's quantities, prices and totals. "storage.not_found" errors.
    Result<domain::SignedOrder> signedContent(const QString &orderId);

Q_SIGNALS:
    void draftChanged();
    void totalsChanged();
    void errorChanged();
    void submitted(const QString &orderId);

private:
    void reload();
    bool fail(const QString &code, const QString &text); // records the error, returns false
    bool fail(const Error &error);
    void succeed(const QString &status);
    bool requireDraft();
    void localChange(); // reload, then tell the app (without reloading twice)
    Result<storage::ProductRow> findProduct(const QString &skuOrBarcode);
    std::optional<qint64> quoteFor(qint64 productId, qint64 quantity, qint64 discountBp);
    Status addQuantity(const storage::ProductRow &product, qint64 quantity); // 0 = smallest valid
    bool changeLine(int lineNo, qint64 quantity, qint64 discountBp);
    bool saveHeader(const storage::OrderHeaderEdit &edit);
    AppContext &m_app;
    QString m_errorCode;
    bool m_inLocalChange = false;
    qint64 m_accountId = 0;
    QString m_accountName;
    QString m_orderId;
    QString m_currency;
    QString m_customerRef;
    QString m_note;
    QString m_errorText;
    QString m_statusText;
    OrderLineListModel *m_lines = nullptr;
    FindingListModel *m_findings = nullptr;
    struct Priced;
    // Prices order (its lines, discounts, the replica's prices and stock) into out.
    void priceInto(const storage::OrderRow &order, Priced &out);
    std::unique_ptr<Priced> m_priced;
};

} // namespace outpost::app
