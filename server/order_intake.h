// Order intake: from a submitted order command to a stored, decided order. No HTTP in here
// (orders.cpp maps these results to routes), so every step is testable on its own:
//
//   parseOrderRequest()  strict JSON -> OrderRequest (shape, ranges, UUIDs; nothing touches the db)
//   resolveProducts()    product ids / SKUs -> ids of this tenant ("product.unknown")
//   loadOrderContext()   the server database -> domain PricingContext + ValidationContext
//   evaluateOrder()      load + decideOrder (POST /v1/quote stops here: nothing stored)
//   submitOrder()        evaluate + persist in ONE tenant write transaction, idempotent by command id
//
// Errors carry stable codes and a field path ("order.lines[2].quantity"); ErrorKind::Invalid means
// a malformed request (400), ErrorKind::Rejected a rule the input breaks (422).
#pragma once

#include "domain/outcome.h"
#include "domain/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

namespace outpost::server {

class Database;

// Who submits, as far as intake cares (the HTTP layer fills it from the authenticated caller).
struct IntakeActor
{
    qint64 tenantId = 0;
    qint64 userId = 0;
    qint64 deviceId = 0; // 0 = unknown
    qint64 maxLineDiscountBp = 0;
    qint64 maxOrderDiscountBp = 0;
};

struct OrderLineRequest
{
    int lineNo = 0;
    qint64 productId = 0; // 0 until resolveProducts() when the line names a SKU
    QString sku;          // as sent (empty when the line names a product id)
    qint64 quantity = 0;
    qint64 discountBp = 0;
    std::optional<qint64> quotedUnitPriceMinor;
};

struct OrderRequest
{
    QString id; // lower-case UUID; may be empty for a quote
    qint64 accountId = 0;
    qint64 warehouseId = 0; // 0 = the account's default warehouse
    qint64 orderDiscountBp = 0;
    QString customerRef;
    QString note;
    QDateTime deviceCreatedAt; // invalid = not sent
    std::vector<OrderLineRequest> lines;
};

struct IntakeLimits
{
    int maxLines = 1000;
    qsizetype maxCustomerRefLength = 100;
    qsizetype maxNoteLength = 2000;
    qsizetype maxSkuLength = 64;
};

// "6F1C1A52-4D1E-..." -> "6f1c1a52-4d1e-..."; error "<code>" (Invalid) with `field` otherwise.
Result<QString> parseUuid(const QJsonValue &value, const QString &field, const QString &code);

// Strict parse of the "order" object. Field paths start with "order.". requireId: orders need the
// device-made id, quotes do not.
Result<OrderRequest> parseOrderRequest(const QJsonObject &order, const IntakeLimits &limits, bool requireId);

// SHA-256 (hex) of the canonical form of a request body: compact JSON with sorted keys, so
// whitespace and key order do not make two sends of one command differ.
QByteArray canonicalRequestHash(const QJsonObject &body);

// What many orders of one tenant write transaction share (POST /v1/commands decides up to 1,000 in
// one): the reference rows they read (tenant, tax classes, promotions, accounts, warehouses,
// products, price tiers, contract prices, stock), loaded in a few bulk queries and then served from
// memory, plus the running totals the batch's own stored orders change (stock allocated, open
// balances, the last order number), so each order is decided exactly as if it had been submitted
// alone after the ones before it. Valid only inside the transaction that filled it; invalidate()
// after any write it does not track (e.g. a record.update of an account). Without a cache every
// function below reads the database itself, through the same code.
struct EvaluatedOrder;

class IntakeCache
{
public:
    explicit IntakeCache(qint64 tenantId);
    ~IntakeCache();
    IntakeCache(const IntakeCache &) = delete;
    IntakeCache &operator=(const IntakeCache &) = delete;

    qint64 tenantId() const;
    // Reads in bulk whatever these parsed orders name that the cache does not hold yet.
    Status preload(Database &db, const std::vector<const OrderRequest *> &orders);
    void invalidate();

    // The last order number handed out in this transaction (nullopt: read it from the orders).
    std::optional<qint64> lastOrderNumber() const;
    // A stored order's effects on the running totals, exactly as submitOrder wrote them.
    void orderStored(const OrderRequest &request, const EvaluatedOrder &evaluated, qint64 orderNumber);

    struct Data;
    Data &data() { return *m_data; }

private:
    std::unique_ptr<Data> m_data;
};

// Fills productId of SKU lines and checks every product id belongs to the tenant.
// "product.unknown" (Rejected) with field "order.lines[i].productId" (or ".sku").
Status resolveProducts(Database &db, qint64 tenantId, OrderRequest &request);
Status resolveProducts(Database &db, IntakeCache &cache, OrderRequest &request);

struct ContextRequest
{
    qint64 tenantId = 0;
    qint64 accountId = 0;
    std::vector<qint64> productIds;
    qint64 warehouseId = 0; // 0 = the account's default
    QDateTime now;          // server receipt time (UTC)
    qint64 maxLineDiscountBp = 0;
    qint64 maxOrderDiscountBp = 0;
};

struct OrderContext
{
    PricingContext pricing;
    ValidationContext validation;
    qint64 warehouseId = 0; // the resolved ship-from warehouse
};

// Everything pricing and validation need for one order, read from the server database.
// Errors: "account.not_found" (NotFound), "warehouse.not_found" / "warehouse.required" (Rejected),
// "db.error" (Internal).
Result<OrderContext> loadOrderContext(Database &db, const ContextRequest &request);
Result<OrderContext> loadOrderContext(Database &db, const ContextRequest &request, IntakeCache &cache);

struct EvaluatedOrder
{
    OrderContext context;
    OrderDecision decision;
    QDateTime receivedAt;
};

// Loads the context for a resolved request and runs decideOrder. Stores nothing.
Result<EvaluatedOrder> evaluateOrder(Database &db, const IntakeActor &actor, const OrderRequest &request,
                                     const QDateTime &now, IntakeCache *cache = nullptr);

// The response body of an order (and of a quote, when orderNumber/commandId are empty). seq > 0:
// the tenant seq the order was stored at (the device then knows the change feed's row of it).
QJsonObject decisionJson(const OrderRequest &request, const EvaluatedOrder &evaluated,
                         const QString &orderNumber, const QString &commandId, qint64 seq = 0);
// The same document as compact JSON bytes, written directly (what submitOrder stores and answers):
// byte for byte QJsonDocument(decisionJson(...)).toJson(QJsonDocument::Compact).
QByteArray decisionBody(const OrderRequest &request, const EvaluatedOrder &evaluated, const QString &orderNumber,
                        const QString &commandId, qint64 seq = 0);

// A command already answered: what was stored for it.
struct StoredCommand
{
    QByteArray requestHash;
    int responseStatus = 200;
    QByteArray responseBody;
};
Result<std::optional<StoredCommand>> findCommand(Database &db, qint64 tenantId, const QString &commandId);
Result<bool> orderExists(Database &db, qint64 tenantId, const QString &orderId);

struct SubmitResult
{
    int status = 200;
    QByteArray body; // compact JSON, byte for byte what a replay returns
    bool replayed = false;
};

// Decides and stores the order in one tenant write transaction: orders + order_lines rows, the
// commands row, stock allocation for lines that ship now and the account's open balance (accepted
// and adjusted orders only), an audit_log row. Re-checks the command and order id inside the
// transaction, so concurrent duplicates store one order: a replay of the same command returns the
// stored body (replayed = true); "command.key_reused" / "order.duplicate_id" (Conflict) otherwise.
Result<SubmitResult> submitOrder(Database &db, const IntakeActor &actor, const QString &commandId,
                                 const QByteArray &requestHash, const OrderRequest &request,
                                 const QDateTime &now);

// submitOrder's work inside a tenant write transaction the caller opened (seq from
// beginTenantWrite): no begin, commit or rollback of its own. On an error the caller undoes this
// order's writes (e.g. ROLLBACK TO a savepoint). POST /v1/commands stores a batch of orders this
// way under one seq, sharing one IntakeCache (its running totals advance only when this returns a
// stored order, so after an error the caller's rollback leaves the cache and the database alike).
Result<SubmitResult> submitOrderInTransaction(Database &db, const IntakeActor &actor, const QString &commandId,
                                              const QByteArray &requestHash, const OrderRequest &request,
                                              const QDateTime &now, qint64 seq, IntakeCache *cache = nullptr);

} // namespace outpost::server
