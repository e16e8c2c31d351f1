// Orders made on the device: drafts (at most one open draft per account, saved on every change),
// submission (status queued + an "order.submit" outbox row with a fresh command UUID, in one
// transaction), delivery states, the server's outcome per order and per line, and history.
//
// Status: draft -> queued -> sent -> accepted | adjusted | held | rejected
//                          \-> failed (a permanent error; the outbox item says why)
#pragma once

#include "domain/result.h"
#include "storage/records.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QStringList>

#include <optional>

namespace outpost::storage {

class Database;

struct OrderLineRow
{
    int lineNo = 0;
    qint64 productId = 0;
    QString sku;
    qint64 quantity = 0; // what the rep asked for, in the product's uom
    qint64 discountBp = 0;
    std::optional<qint64> quotedUnitPriceMinor; // the price the rep was shown
    // The server's decision (empty/nullopt until an outcome is applied).
    QString outcome; // accepted | adjusted | rejected
    std::optional<qint64> acceptedQuantity;
    std::optional<qint64> backorderedQuantity;
    std::optional<qint64> unitPriceMinor;
    std::optional<qint64> netMinor;
    std::optional<qint64> taxMinor;
    std::optional<qint64> totalMinor;
    QString priceSource; // contract | tier | list
    QByteArray detailJson;
};

struct OrderRow
{
    QString id; // UUID made on the device
    qint64 accountId = 0;
    qint64 warehouseId = 0;
    QString status;
    QString currency;
    qint64 orderDiscountBp = 0;
    QString customerRef;
    QString note;
    QDateTime createdAt;
    QDateTime updatedAt;
    QDateTime submittedAt;
    QString commandId;
    QString orderNumber; // the server's
    QStringList holdReasons;
    qint64 grossMinor = 0;
    qint64 discountMinor = 0;
    qint64 taxMinor = 0;
    qint64 totalMinor = 0;
    QByteArray outcomeJson;
    QDateTime decidedAt;
    QString errorCode;
    QString errorText;
    std::optional<qint64> seq;
    QList<OrderLineRow> lines; // filled by order(); empty in history()
};

struct OrderHeaderEdit
{
    std::optional<qint64> warehouseId;
    std::optional<qint64> orderDiscountBp;
    std::optional<QString> customerRef;
    std::optional<QString> note;
};

struct LineOutcomeInput
{
    int lineNo = 0;
    QString outcome; // accepted | adjusted | rejected
    qint64 acceptedQuantity = 0;
    qint64 backorderedQuantity = 0;
    qint64 unitPriceMinor = 0;
    qint64 netMinor = 0;
    qint64 taxMinor = 0;
    qint64 totalMinor = 0;
    QString priceSource;
    QByteArray detailJson; // adjustments and findings of the line, as the server sent them
};

// The server's decision on a submitted order, as the sync layer parsed it.
struct ServerOutcome
{
    QString status; // accepted | adjusted | held | rejected
    QString orderNumber;
    QStringList holdReasons;
    qint64 grossMinor = 0;
    qint64 discountMinor = 0;
    qint64 taxMinor = 0;
    qint64 totalMinor = 0;
    QByteArray outcomeJson; // the whole outcome as received
    QDateTime decidedAt;
    std::optional<qint64> seq;
    QList<LineOutcomeInput> lines;
};

class OrderRepository
{
public:
    explicit OrderRepository(Database &db) : m_db(db) {}

    // A new draft for an account in the replica; returns its UUID. warehouseId 0 = the account's
    // default warehouse (submit needs one). A second open draft for the
    // same account is "storage.draft_exists" (Conflict): continue the one from draftFor().
    Result<QString> createDraft(qint64 accountId, qint64 warehouseId, const QString &currency,
                                const QDateTime &now);
    // The account's open draft id, or an empty string.
    Result<QString> draftFor(qint64 accountId);
    Status discardDraft(const QString &orderId);

    // Line edits save at once (each its own transaction) and touch updated_at. Only drafts can be
    // edited ("storage.order_not_draft"). addLine returns the new line number.
    Result<int> addLine(const QString &orderId, qint64 productId, qint64 quantity, qint64 discountBp,
                        std::optional<qint64> quotedUnitPriceMinor, const QDateTime &now);
    Status updateLine(const QString &orderId, int lineNo, qint64 quantity, qint64 discountBp,
                      std::optional<qint64> quotedUnitPriceMinor, const QDateTime &now);
    Status removeLine(const QString &orderId, int lineNo, const QDateTime &now);
    Status updateHeader(const QString &orderId, const OrderHeaderEdit &edit, const QDateTime &now);

    // draft -> queued and the "order.submit" outbox row, in one transaction. A draft without lines
    // is "storage.order_empty". Returns the outbox item (its commandId is on the order too).
    Result<OutboxItem> submit(const QString &orderId, const QDateTime &now);
    Status markSent(const QString &orderId);                       // queued -> sent
    Status markFailed(const QString &orderId, const Error &error); // queued|sent -> failed
    // The server's outcome onto the order and its lines. An outcome naming a line the order does
    // not have is "storage.outcome_unknown_line" and changes nothing.
    Status applyOutcome(const QString &orderId, const ServerOutcome &outcome);

    Result<OrderRow> order(const QString &orderId); // "storage.order_not_found"
    // Submitted orders of an account (drafts excluded), newest first, without lines.
    Result<QList<OrderRow>> history(qint64 accountId, int limit, int offset = 0);
    // Submitted orders of every account (drafts excluded), newest first, without lines.
    Result<QList<OrderRow>> recent(int limit, int offset = 0);

    // Orders the rep should look at (rejected, adjusted, held, failed), newest first, without lines.
    Result<QList<OrderRow>> needingAttention(int limit, int offset = 0);
    Result<int> countNeedingAttention();
    // Number of lines of each given order (orders without lines or unknown ids are absent).
    Result<QHash<QString, int>> lineCounts(const QStringList &orderIds);
    // The device's own estimate of a draft's totals (what the rep was shown), kept until the
    // server's outcome replaces it. Only drafts ("storage.order_not_draft").
    Status setDraftTotals(const QString &orderId, qint64 grossMinor, qint64 discountMinor, qint64 taxMinor,
                          qint64 totalMinor, const QDateTime &now);
    // A failed order back into the queue: failed -> queued and its outbox item failed -> pending
    // (same command id, so the server dedupes), in one transaction. "storage.order_bad_state" when
    // the order is not failed.
    Status retryFailed(const QString &orderId, const QDateTime &now);

private:
    Status requireDraft(const QString &orderId);
    Status touch(const QString &orderId, const QDateTime &now);
    Status changedOrBadState(const QString &orderId, const QString &userText);
    Database &m_db;
};

} // namespace outpost::storage
