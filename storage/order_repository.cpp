#include "storage/order_repository.h"

#include "domain/rules.h"
#include "storage/database.h"
#include "storage/outbox_repository.h"
#include "storage/repo_util.h"
#include "storage/sqltime.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::Literals::StringLiterals;

namespace outpost::storage {

namespace {

constexpr qsizetype kMaxTextLength = 2000;

#define ORDER_COLUMNS                                                                                        \
    "id, account_id, warehouse_id, status, currency, order_discount_bp, customer_ref, note, "                \
    "created_at, updated_at, submitted_at, command_id, order_number, hold_reasons, gross_minor, "            \
    "discount_minor, tax_minor, total_minor, outcome_json, decided_at, error_code, error_text, seq"

OrderRow readOrder(const Statement &st)
{
    OrderRow o;
    o.id = st.text(0);
    o.accountId = st.int64(1);
    o.warehouseId = st.optInt64(2).value_or(0);
    o.status = st.text(3);
    o.currency = st.text(4);
    o.orderDiscountBp = st.int64(5);
    o.customerRef = st.text(6);
    o.note = st.text(7);
    o.createdAt = st.dateTime(8);
    o.updatedAt = st.dateTime(9);
    o.submittedAt = st.dateTime(10);
    o.commandId = st.text(11);
    o.orderNumber = st.text(12);
    o.holdReasons = st.text(13).split(u',', Qt::SkipEmptyParts);
    o.grossMinor = st.int64(14);
    o.discountMinor = st.int64(15);
    o.taxMinor = st.int64(16);
    o.totalMinor = st.int64(17);
    o.outcomeJson = st.textUtf8(18);
    o.decidedAt = st.dateTime(19);
    o.errorCode = st.text(20);
    o.errorText = st.text(21);
    o.seq = st.optInt64(22);
    return o;
}

Result<QList<OrderRow>> readOrders(Statement &st)
{
    return detail::collectRows(st, readOrder);
}

Error orderNotFound(const QString &orderId)
{
    return detail::notFound(u"storage.order_not_found"_s, u"No such order on this device."_s,
                            u"order %1"_s.arg(orderId));
}

Status checkLine(qint64 quantity, qint64 discountBp, std::optional<qint64> quoted)
{
    if (quantity <= 0 || quantity > kMaxQuantity)
        return Error::invalid(u"storage.invalid_quantity"_s,
                              u"Enter a quantity between 1 and %1."_s.arg(kMaxQuantity), u"quantity"_s);
    if (discountBp < 0 || discountBp > 10000)
        return Error::invalid(u"storage.invalid_discount"_s, u"A discount is between 0 and 100 %."_s,
                              u"discountBp"_s);
    if (quoted && *quoted < 0)
        return Error::invalid(u"storage.invalid_price"_s, u"A quoted price cannot be negative."_s,
                              u"quotedUnitPriceMinor"_s);
    return {};
}

bool isOutcomeStatus(const QString &s)
{
    return s == u"accepted"_s || s == u"adjusted"_s || s == u"held"_s || s == u"rejected"_s;
}

bool isLineOutcome(const QString &s)
{
    return s == u"accepted"_s || s == u"adjusted"_s || s == u"rejected"_s;
}

} // namespace

Status OrderRepository::requireDraft(const QString &orderId)
{
    auto st = m_db.prepare("SELECT status FROM orders WHERE id = ?1");
    if (!st)
        return st.error();
    st->bind(1, orderId);
    if (Status s = detail::firstRow(*st, orderNotFound(orderId)); !s)
        return s.error();
    if (st->text(0) != u"draft"_s)
        return Error::make(ErrorKind::Conflict, u"storage.order_not_draft"_s,
                           u"This order was submitted and can no longer be changed."_s,
                           u"order %1 is %2"_s.arg(orderId, st->text(0)));
    return {};
}

Status OrderRepository::touch(const QString &orderId, const QDateTime &now)
{
    auto st = m_db.prepare("UPDATE orders SET updated_at = ?2 WHERE id = ?1");
    if (!st)
        return st.error();
    st->bind(1, orderId).bind(2, now);
    return st->exec();
}

Result<QString> OrderRepository::createDraft(qint64 accountId, qint64 warehouseId, const QString &currency,
                                             const QDateTime &now)
{
    if (!now.isValid())
        return Error::invalid(u"storage.invalid_time"_s, u"A draft needs a valid time."_s, u"now"_s);
    if (currency.size() != 3)
        return Error::invalid(u"storage.invalid_currency"_s, u"A draft needs its currency."_s, u"currency"_s);
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.error();
    qint64 shipFrom = warehouseId;
    {
        auto st = m_db.prepare("SELECT coalesce(default_warehouse_id, 0) FROM accounts WHERE id = ?1");
        if (!st)
            return st.error();
        st->bind(1, accountId);
        if (Status s = detail::firstRow(*st, detail::accountNotFound(accountId)); !s)
            return s.error();
        if (shipFrom <= 0)
            shipFrom = st->int64(0); // the account's default warehouse (may still be none)
    }
    auto existing = draftFor(accountId);
    if (!existing)
        return existing.error();
    if (!existing->isEmpty())
        return Error::make(ErrorKind::Conflict, u"storage.draft_exists"_s,
                           u"This account already has an open draft; continue that one."_s,
                           u"draft %1"_s.arg(*existing));
    const QString id = detail::newUuid();
    auto st = m_db.prepare("INSERT INTO orders (id, account_id, warehouse_id, status, currency, "
                           "created_at, updated_at) VALUES (?1, ?2, ?3, 'draft', ?4, ?5, ?5)");
    if (!st)
        return st.error();
    st->bind(1, id).bind(2, accountId);
    st->bind(3, shipFrom > 0 ? std::optional<qint64>(shipFrom) : std::nullopt);
    st->bind(4, currency).bind(5, now);
    if (Status s = st->exec(); !s)
        return s.error();
    if (Status s = tx->commit(); !s)
        return s.error();
    qCInfo(lcStorage) << "draft created" << id << "account" << accountId;
    return id;
}

Result<QString> OrderRepository::draftFor(qint64 accountId)
{
    auto st = m_db.prepare("SELECT id FROM orders WHERE account_id = ?1 AND status = 'draft'");
    if (!st)
        return st.error();
    st->bind(1, accountId);
    auto row = st->step();
    if (!row)
        return row.error();
    return *row ? st->text(0) : QString();
}

Status OrderRepository::discardDraft(const QString &orderId)
{
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.error();
    if (Status s = requireDraft(orderId); !s)
        return s;
    auto st = m_db.prepare("DELETE FROM orders WHERE id = ?1");
    if (!st)
        return st.error();
    st->bind(1, orderId);
    if (Status s = st->exec(); !s)
        return s;
    return tx->commit();
}

Result<int> OrderRepository::addLine(const QString &orderId, qint64 productId, qint64 quantity,
                                     qint64 discountBp, std::optional<qint64> quotedUnitPriceMinor,
                                     const QDateTime &now)
{
    if (Status s = checkLine(quantity, discountBp, quotedUnitPriceMinor); !s)
        return s.error();
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.error();
    if (Status s = requireDraft(orderId); !s)
        return s.error();
    QString sku;
    {
        auto st = m_db.prepare("SELECT sku FROM products WHERE id = ?1");
        if (!st)
            return st.error();
        st->bind(1, productId);
        if (Status s =
                detail::firstRow(*st, detail::notFound(u"storage.product_not_found"_s, u"No such product."_s,
                                                       u"product %1"_s.arg(productId)));
            !s)
            return s.error();
        sku = st->text(0);
    }
    int lineNo = 1;
    {
        auto st = m_db.prepare("SELECT coalesce(max(line_no), 0) + 1 FROM order_lines WHERE order_id = ?1");
        if (!st)
            return st.error();
        st->bind(1, orderId);
        auto row = st->step();
        if (!row)
            return row.error();
        lineNo = int(st->int64(0));
    }
    auto st = m_db.prepare("INSERT INTO order_lines (order_id, line_no, product_id, sku, quantity, "
                           "discount_bp, quoted_unit_price_minor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!st)
        return st.error();
    st->bind(1, orderId).bind(2, lineNo).bind(3, productId).bind(4, sku).bind(5, quantity);
    st->bind(6, discountBp).bind(7, quotedUnitPriceMinor);
    if (Status s = st->exec(); !s)
        return s.error();
    if (Status s = touch(orderId, now); !s)
        return s.error();
    if (Status s = tx->commit(); !s)
        return s.error();
    return lineNo;
}

Status OrderRepository::updateLine(const QString &orderId, int lineNo, qint64 quantity, qint64 discountBp,
                                   std::optional<qint64> quotedUnitPriceMinor, const QDateTime &now)
{
    if (Status s = checkLine(quantity, discountBp, quotedUnitPriceMinor); !s)
        return s;
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.error();
    if (Status s = requireDraft(orderId); !s)
        return s;
    auto st = m_db.prepare("UPDATE order_lines SET quantity = ?3, discount_bp = ?4, "
                           "quoted_unit_price_minor = ?5 WHERE order_id = ?1 AND line_no = ?2");
    if (!st)
        return st.error();
    st->bind(1, orderId).bind(2, lineNo).bind(3, quantity).bind(4, discountBp);
    st->bind(5, quotedUnitPriceMinor);
    if (Status s = st->exec(); !s)
        return s;
    if (m_db.changes() != 1)
        return detail::notFound(u"storage.line_not_found"_s, u"No such line on this order."_s);
    if (Status s = touch(orderId, now); !s)
        return s;
    return tx->commit();
}

Status OrderRepository::removeLine(const QString &orderId, int lineNo, const QDateTime &now)
{
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.error();
    if (Status s = requireDraft(orderId); !s)
        return s;
    auto st = m_db.prepare("DELETE FROM order_lines WHERE order_id = ?1 AND line_no = ?2");
    if (!st)
        return st.error();
    st->bind(1, orderId).bind(2, lineNo);
    if (Status s = st->exec(); !s)
        return s;
    if (m_db.changes() != 1)
        return detail::notFound(u"storage.line_not_found"_s, u"No such line on this order."_s);
    if (Status s = touch(orderId, now); !s)
        return s;
    return tx->commit();
}

Status OrderRepository::updateHeader(const QString &orderId, const OrderHeaderEdit &edit,
                                     const QDateTime &now)
{
    if (edit.orderDiscountBp && (*edit.orderDiscountBp < 0 || *edit.orderDiscountBp > 10000))
        return Error::invalid(u"storage.invalid_discount"_s, u"A discount is between 0 and 100 %."_s,
                              u"orderDiscountBp"_s);
    if (edit.warehouseId && *edit.warehouseId <= 0)
        return Error::invalid(u"storage.invalid_warehouse"_s, u"Choose a warehouse."_s, u"warehouseId"_s);
    if ((edit.note && edit.note->size() > kMaxTextLength) ||
        (edit.customerRef && edit.customerRef->size() > kMaxTextLength))
        return Error::invalid(u"storage.text_too_long"_s, u"That text is too long."_s,
                              edit.note && edit.note->size() > kMaxTextLength ? u"note"_s : u"customerRef"_s);
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.error();
    if (Status s = requireDraft(orderId); !s)
        return s;
    auto st = m_db.prepare("UPDATE orders SET warehouse_id = coalesce(?2, warehouse_id), "
                           "order_discount_bp = coalesce(?3, order_discount_bp), "
                           "customer_ref = coalesce(?4, customer_ref), note = coalesce(?5, note), "
                           "updated_at = ?6 WHERE id = ?1");
    if (!st)
        return st.error();
    st->bind(1, orderId).bind(2, edit.warehouseId).bind(3, edit.orderDiscountBp);
    st->bind(4, edit.customerRef).bind(5, edit.note).bind(6, now);
    if (Status s = st->exec(); !s)
        return s;
    return tx->commit();
}

Result<OutboxItem> OrderRepository::submit(const QString &orderId, const QDateTime &now)
{
    if (!now.isValid())
        return Error::invalid(u"storage.invalid_time"_s, u"Submitting needs a valid time."_s, u"now"_s);
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.error();
    if (Status s = requireDraft(orderId); !s)
        return s.error();
    auto current = order(orderId);
    if (!current)
        return current.error();
    if (current->lines.isEmpty())
        return Error::invalid(u"storage.order_empty"_s, u"Add at least one line before submitting."_s,
                              u"lines"_s);
    if (current->warehouseId <= 0)
        return Error::invalid(u"storage.invalid_warehouse"_s, u"Choose the warehouse the order ships from."_s,
                              u"warehouseId"_s);

    QJsonArray lines;
    for (const OrderLineRow &l : current->lines) {
        QJsonObject line{{u"lineNo"_s, l.lineNo},
                         {u"productId"_s, l.productId},
                         {u"sku"_s, l.sku},
                         {u"quantity"_s, l.quantity},
                         {u"discountBp"_s, l.discountBp}};
        if (l.quotedUnitPriceMinor)
            line.insert(u"quotedUnitPriceMinor"_s, *l.quotedUnitPriceMinor);
        lines.append(line);
    }
    const QJsonObject payload{{u"orderId"_s, current->id},
                              {u"accountId"_s, current->accountId},
                              {u"warehouseId"_s, current->warehouseId},
                              {u"currency"_s, current->currency},
                              {u"orderDiscountBp"_s, current->orderDiscountBp},
                              {u"customerRef"_s, current->customerRef},
                              {u"note"_s, current->note},
                              {u"deviceCreatedAt"_s, toSqlTime(current->createdAt)},
                              {u"lines"_s, lines}};
    auto item = OutboxRepository(m_db).enqueue(u"order.submit"_s, orderId,
                                               QJsonDocument(payload).toJson(QJsonDocument::Compact), now);
    if (!item)
        return item.error();
    auto st = m_db.prepare("UPDATE orders SET status = 'queued', submitted_at = ?2, updated_at = ?2, "
                           "command_id = ?3 WHERE id = ?1 AND status = 'draft'");
    if (!st)
        return st.error();
    st->bind(1, orderId).bind(2, now).bind(3, item->commandId);
    if (Status s = st->exec(); !s)
        return s.error();
    if (Status s = tx->commit(); !s)
        return s.error();
    qCInfo(lcStorage) << "order queued" << orderId << "lines" << current->lines.size() << "outbox"
                      << item->id;
    return item;
}

// After a guarded UPDATE of one order: ok when it changed the row, else "storage.order_bad_state"
// naming the order's actual status (or the lookup's error).
Status OrderRepository::changedOrBadState(const QString &orderId, const QString &userText)
{
    if (m_db.changes() == 1)
        return {};
    auto o = order(orderId);
    if (!o)
        return o.error();
    return Error::make(ErrorKind::Conflict, u"storage.order_bad_state"_s, userText,
                       u"order is %1"_s.arg(o->status));
}

Status OrderRepository::markSent(const QString &orderId)
{
    auto st = m_db.prepare("UPDATE orders SET status = 'sent' WHERE id = ?1 AND status = 'queued'");
    if (!st)
        return st.error();
    st->bind(1, orderId);
    if (Status s = st->exec(); !s)
        return s;
    return changedOrBadState(orderId, u"The order is not waiting to be sent."_s);
}

Status OrderRepository::markFailed(const QString &orderId, const Error &error)
{
    auto st = m_db.prepare("UPDATE orders SET status = 'failed', error_code = ?2, error_text = ?3 "
                           "WHERE id = ?1 AND status IN ('queued', 'sent')");
    if (!st)
        return st.error();
    st->bind(1, orderId).bind(2, error.code).bind(3, error.userText);
    if (Status s = st->exec(); !s)
        return s;
    return changedOrBadState(orderId, u"The order is not on its way to the server."_s);
}

Status OrderRepository::applyOutcome(const QString &orderId, const ServerOutcome &outcome)
{
    if (!isOutcomeStatus(outcome.status))
        return Error::invalid(u"storage.invalid_outcome"_s, u"Unknown order outcome."_s, u"status"_s);
    for (const LineOutcomeInput &l : outcome.lines) {
        if (!isLineOutcome(l.outcome))
            return Error::invalid(u"storage.invalid_outcome"_s, u"Unknown line outcome."_s,
                                  u"lines[%1].outcome"_s.arg(l.lineNo));
    }
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.error();
    auto current = order(orderId);
    if (!current)
        return current.error();
    if (current->status == u"draft"_s)
        return Error::make(ErrorKind::Conflict, u"storage.order_bad_state"_s,
                           u"A draft has no server outcome."_s);
    auto st = m_db.prepare(
        "UPDATE orders SET status = ?2, order_number = ?3, hold_reasons = ?4, gross_minor = ?5, "
        "discount_minor = ?6, tax_minor = ?7, total_minor = ?8, outcome_json = ?9, decided_at = ?10, "
        "seq = coalesce(?11, seq), error_code = NULL, error_text = NULL WHERE id = ?1");
    if (!st)
        return st.error();
    st->bind(1, orderId).bind(2, outcome.status).bind(3, outcome.orderNumber);
    st->bind(4, outcome.holdReasons.join(u',')).bind(5, outcome.grossMinor).bind(6, outcome.discountMinor);
    st->bind(7, outcome.taxMinor).bind(8, outcome.totalMinor).bindText(9, outcome.outcomeJson);
    st->bind(10, outcome.decidedAt).bind(11, outcome.seq);
    if (Status s = st->exec(); !s)
        return s;
    auto line = m_db.prepare(
        "UPDATE order_lines SET outcome = ?3, accepted_qty = ?4, backordered_qty = ?5, "
        "unit_price_minor = ?6, net_minor = ?7, tax_minor = ?8, total_minor = ?9, price_source = ?10, "
        "detail_json = ?11 WHERE order_id = ?1 AND line_no = ?2");
    if (!line)
        return line.error();
    for (const LineOutcomeInput &l : outcome.lines) {
        line->bind(1, orderId).bind(2, l.lineNo).bind(3, l.outcome).bind(4, l.acceptedQuantity);
        line->bind(5, l.backorderedQuantity).bind(6, l.unitPriceMinor).bind(7, l.netMinor);
        line->bind(8, l.taxMinor).bind(9, l.totalMinor).bind(10, l.priceSource);
        line->bindText(11, l.detailJson.isEmpty() ? QByteArray("{}") : l.detailJson);
        if (Status s = line->exec(); !s)
            return s;
        if (m_db.changes() != 1)
            return Error::invalid(u"storage.outcome_unknown_line"_s,
                                  u"The server's answer names a line this order does not have."_s,
                                  u"lines[%1]"_s.arg(l.lineNo));
    }
    if (Status s = tx->commit(); !s)
        return s;
    qCInfo(lcStorage) << "order outcome applied" << orderId << outcome.status;
    return {};
}

Result<OrderRow> OrderRepository::order(const QString &orderId)
{
    auto tx = Transaction::begin(m_db, Transaction::Mode::Deferred);
    if (!tx)
        return tx.error();
    auto st = m_db.prepare("SELECT " ORDER_COLUMNS " FROM orders WHERE id = ?1");
    if (!st)
        return st.error();
    st->bind(1, orderId);
    auto rows = readOrders(*st);
    if (!rows)
        return rows.error();
    if (rows->isEmpty())
        return orderNotFound(orderId);
    OrderRow o = rows->first();
    auto lines = m_db.prepare(
        "SELECT line_no, product_id, sku, quantity, discount_bp, quoted_unit_price_minor, outcome, "
        "accepted_qty, backordered_qty, unit_price_minor, net_minor, tax_minor, total_minor, "
        "price_source, detail_json FROM order_lines WHERE order_id = ?1 ORDER BY line_no");
    if (!lines)
        return lines.error();
    lines->bind(1, orderId);
    Status each = detail::forEachRow(*lines, [&](const Statement &row) {
        OrderLineRow l;
        l.lineNo = int(row.int64(0));
        l.productId = row.int64(1);
        l.sku = row.text(2);
        l.quantity = row.int64(3);
        l.discountBp = row.int64(4);
        l.quotedUnitPriceMinor = row.optInt64(5);
        l.outcome = row.text(6);
        l.acceptedQuantity = row.optInt64(7);
        l.backorderedQuantity = row.optInt64(8);
        l.unitPriceMinor = row.optInt64(9);
        l.netMinor = row.optInt64(10);
        l.taxMinor = row.optInt64(11);
        l.totalMinor = row.optInt64(12);
        l.priceSource = row.text(13);
        l.detailJson = row.textUtf8(14);
        o.lines.append(l);
    });
    if (!each)
        return each.error();
    if (Status s = tx->commit(); !s)
        return s.error();
    return o;
}

Result<QList<OrderRow>> OrderRepository::history(qint64 accountId, int limit, int offset)
{
    if (Status s = detail::checkPage(limit, offset); !s)
        return s.error();
    auto st = m_db.prepare("SELECT " ORDER_COLUMNS " FROM orders WHERE account_id = ?1 "
                           "AND status <> 'draft' ORDER BY submitted_at DESC, created_at DESC, id "
                           "LIMIT ?2 OFFSET ?3");
    if (!st)
        return st.error();
    st->bind(1, accountId).bind(2, limit).bind(3, offset);
    return readOrders(*st);
}

} // namespace outpost::storage

namespace outpost::storage {

Result<QList<OrderRow>> OrderRepository::recent(int limit, int offset)
{
    if (Status s = detail::checkPage(limit, offset); !s)
        return s.error();
    auto st = m_db.prepare("SELECT " ORDER_COLUMNS " FROM orders WHERE status <> 'draft' "
                           "ORDER BY created_at DESC, id LIMIT ?1 OFFSET ?2");
    if (!st)
        return st.error();
    st->bind(1, limit).bind(2, offset);
    return readOrders(*st);
}

} // namespace outpost::storage

namespace outpost::storage {

namespace {
#define ATTENTION_WHERE "status IN ('rejected', 'adjusted', 'held', 'failed')"
} // namespace

Result<QList<OrderRow>> OrderRepository::needingAttention(int limit, int offset)
{
    if (Status s = detail::checkPage(limit, offset); !s)
        return s.error();
    auto st = m_db.prepare("SELECT " ORDER_COLUMNS " FROM orders WHERE " ATTENTION_WHERE
                           " ORDER BY created_at DESC, id LIMIT ?1 OFFSET ?2");
    if (!st)
        return st.error();
    st->bind(1, limit).bind(2, offset);
    return readOrders(*st);
}

Result<int> OrderRepository::countNeedingAttention()
{
    auto st = m_db.prepare("SELECT count(*) FROM orders WHERE " ATTENTION_WHERE);
    if (!st)
        return st.error();
    auto row = st->step();
    if (!row)
        return row.error();
    return int(st->int64(0));
}

Result<QHash<QString, int>> OrderRepository::lineCounts(const QStringList &orderIds)
{
    QHash<QString, int> counts;
    auto st = m_db.prepare("SELECT count(*) FROM order_lines WHERE order_id = ?1");
    if (!st)
        return st.error();
    for (const QString &id : orderIds) {
        st->bind(1, id);
        auto row = st->step();
        if (!row)
            return row.error();
        const qint64 n = *row ? st->int64(0) : 0;
        st->reset();
        if (n > 0)
            counts.insert(id, int(n));
    }
    return counts;
}

Status OrderRepository::setDraftTotals(const QString &orderId, qint64 grossMinor, qint64 discountMinor,
                                       qint64 taxMinor, qint64 totalMinor, const QDateTime &now)
{
    if (grossMinor < 0 || discountMinor < 0 || taxMinor < 0 || totalMinor < 0)
        return Error::invalid(u"storage.invalid_price"_s, u"Order totals cannot be negative."_s, u"totals"_s);
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.error();
    if (Status s = requireDraft(orderId); !s)
        return s;
    auto st = m_db.prepare("UPDATE orders SET gross_minor = ?2, discount_minor = ?3, tax_minor = ?4, "
                           "total_minor = ?5, updated_at = ?6 WHERE id = ?1");
    if (!st)
        return st.error();
    st->bind(1, orderId).bind(2, grossMinor).bind(3, discountMinor).bind(4, taxMinor).bind(5, totalMinor);
    st->bind(6, now);
    if (Status s = st->exec(); !s)
        return s;
    return tx->commit();
}

Status OrderRepository::retryFailed(const QString &orderId, const QDateTime &now)
{
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.error();
    auto current = order(orderId);
    if (!current)
        return current.error();
    if (current->status != u"failed"_s || current->commandId.isEmpty())
        return Error::make(ErrorKind::Conflict, u"storage.order_bad_state"_s,
                           u"Only an order that failed can be sent again."_s, u"order is %1"_s.arg(current->status));
    OutboxRepository outbox(m_db);
    auto item = outbox.itemByCommandId(current->commandId);
    if (!item)
        return item.error();
    if (item->state == OutboxItem::State::Failed) {
        if (Status s = outbox.retry(item->id, now); !s)
            return s;
    }
    auto st = m_db.prepare("UPDATE orders SET status = 'queued', error_code = NULL, error_text = NULL "
                           "WHERE id = ?1 AND status = 'failed'");
    if (!st)
        return st.error();
    st->bind(1, orderId);
    if (Status s = st->exec(); !s)
        return s;
    if (Status s = changedOrBadState(orderId, u"Only an order that failed can be sent again."_s); !s)
        return s;
    return tx->commit();
}

} // namespace outpost::storage
