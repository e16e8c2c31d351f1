#include "server/order_intake.h"

#include "server/database.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace Qt::Literals::StringLiterals;

namespace outpost::server {

namespace {

Q_LOGGING_CATEGORY(lcIntake, "outpost.server.orders")

constexpr qint64 kMaxUnitPriceMinor = 1'000'000'000'000; // a quoted price above this is a typo
constexpr qint64 kMaxId = std::numeric_limits<qint64>::max() / 2;

Error rejected(QString code, QString text, QString field)
{
    return Error{ErrorKind::Rejected, std::move(code), std::move(text), {}, std::move(field)};
}

// Strict reader of one JSON object: records the first error, names fields by path.
class Reader
{
public:
    Reader(const QJsonObject &object, QString path) : m_object(object), m_path(std::move(path)) {}

    QString field(const QString &key) const { return m_path + u'.' + key; }
    bool failed() const { return m_error.has_value(); }
    const Error &error() const { return *m_error; }
    void fail(Error e)
    {
        if (!m_error)
            m_error = std::move(e);
    }
    bool present(const QString &key) const
    {
        const QJsonValue v = m_object.value(key);
        return !v.isUndefined() && !v.isNull();
    }

    void rejectUnknown(std::initializer_list<QString> known)
    {
        const QSet<QString> allowed(known.begin(), known.end());
        for (auto it = m_object.begin(); it != m_object.end(); ++it) {
            if (!allowed.contains(it.key())) {
                fail(Error::invalid(u"request.unknown_field"_s, u"This field is not part of the request."_s,
                                    field(it.key())));
                return;
            }
        }
    }

    // An integral JSON number; nullopt when absent (error when required) or not an integer.
    std::optional<qint64> integer(const QString &key, bool required)
    {
        if (failed())
            return std::nullopt;
        if (!present(key)) {
            if (required)
                fail(Error::invalid(u"request.missing_field"_s, u"This field is required."_s, field(key)));
            return std::nullopt;
        }
        const QJsonValue v = m_object.value(key);
        const double d = v.toDouble();
        if (!v.isDouble() || !std::isfinite(d) || std::floor(d) != d || std::fabs(d) > 9.0e15) {
            fail(
                Error::invalid(u"request.wrong_type"_s, u"This field must be a whole number."_s, field(key)));
            return std::nullopt;
        }
        return static_cast<qint64>(d);
    }

    std::optional<QString> string(const QString &key, bool required, qsizetype maxLength)
    {
        if (failed())
            return std::nullopt;
        if (!present(key)) {
            if (required)
                fail(Error::invalid(u"request.missing_field"_s, u"This field is required."_s, field(key)));
            return std::nullopt;
        }
        const QJsonValue v = m_object.value(key);
        if (!v.isString()) {
            fail(Error::invalid(u"request.wrong_type"_s, u"This field must be a string."_s, field(key)));
            return std::nullopt;
        }
        QString s = v.toString();
        if (s.size() > maxLength) {
            fail(Error::invalid(u"request.too_long"_s,
                                u"This field is longer than %1 characters."_s.arg(maxLength), field(key)));
            return std::nullopt;
        }
        return s;
    }

    // Basis points 0..10000 ("discount.invalid" otherwise).
    qint64 discountBp(const QString &key)
    {
        const auto bp = integer(key, false);
        if (bp && (*bp < 0 || *bp > 10000)) {
            fail(rejected(u"discount.invalid"_s, u"A discount must be between 0 and 10000 basis points."_s,
                          field(key)));
            return 0;
        }
        return bp.value_or(0);
    }

private:
    const QJsonObject &m_object;
    QString m_path;
    std::optional<Error> m_error;
};

void parseLine(const QJsonValue &value, const QString &path, const IntakeLimits &limits, Reader &order,
               QSet<int> &lineNos, OrderLineRequest &out)
{
    if (!value.isObject()) {
        order.fail(Error::invalid(u"request.wrong_type"_s, u"Each order line must be an object."_s, path));
        return;
    }
    const QJsonObject object = value.toObject();
    Reader r(object, path);
    r.rejectUnknown(
        {u"lineNo"_s, u"productId"_s, u"sku"_s, u"quantity"_s, u"discountBp"_s, u"quotedUnitPrice"_s});

    const auto lineNo = r.integer(u"lineNo"_s, true);
    if (lineNo && (*lineNo < 1 || *lineNo > std::numeric_limits<int>::max()))
        r.fail(rejected(u"order.invalid_line_no"_s, u"Line numbers start at 1."_s, r.field(u"lineNo"_s)));
    else if (lineNo && lineNos.contains(int(*lineNo)))
        r.fail(rejected(u"order.duplicate_line"_s, u"Two lines have the same line number."_s,
                        r.field(u"lineNo"_s)));
    else if (lineNo)
        lineNos.insert(int(*lineNo));

    if (!r.failed() && r.present(u"productId"_s) && r.present(u"sku"_s))
        r.fail(Error::invalid(u"request.conflicting_fields"_s,
                              u"A line names its product by productId or by sku, not both."_s,
                              r.field(u"sku"_s)));
    if (!r.failed() && !r.present(u"productId"_s) && !r.present(u"sku"_s))
        r.fail(Error::invalid(u"request.missing_field"_s, u"A line needs a productId or a sku."_s,
                              r.field(u"productId"_s)));
    const auto productId = r.integer(u"productId"_s, false);
    if (productId && (*productId < 1 || *productId > kMaxId))
        r.fail(rejected(u"product.unknown"_s, u"This product is not in the catalog."_s,
                        r.field(u"productId"_s)));
    const auto sku = r.string(u"sku"_s, false, limits.maxSkuLength);
    if (sku && sku->trimmed().isEmpty())
        r.fail(rejected(u"product.unknown"_s, u"This product is not in the catalog."_s, r.field(u"sku"_s)));

    const auto quantity = r.integer(u"quantity"_s, true);
    if (quantity && *quantity <= 0)
        r.fail(rejected(u"quantity.not_positive"_s, u"The quantity must be at least 1."_s,
                        r.field(u"quantity"_s)));
    else if (quantity && *quantity > kMaxQuantity)
        r.fail(rejected(u"quantity.too_large"_s,
                        u"The quantity is larger than %1; check for a typo."_s.arg(kMaxQuantity),
                        r.field(u"quantity"_s)));

    const qint64 discount = r.discountBp(u"discountBp"_s);
    const auto quoted = r.integer(u"quotedUnitPrice"_s, false);
    if (quoted && (*quoted < 0 || *quoted > kMaxUnitPriceMinor))
        r.fail(rejected(u"price.invalid"_s, u"The quoted unit price is out of range."_s,
                        r.field(u"quotedUnitPrice"_s)));

    if (r.failed()) {
        order.fail(r.error());
        return;
    }
    out.lineNo = int(*lineNo);
    out.productId = productId.value_or(0);
    out.sku = sku.value_or(QString());
    out.quantity = *quantity;
    out.discountBp = discount;
    out.quotedUnitPriceMinor = quoted;
}

// A NOT NULL text column: a null QString would bind as SQL NULL.
QVariant text(const QString &s)
{
    return s.isNull() ? QVariant(u""_s) : QVariant(s);
}

QVariant nullable(qint64 v)
{
    return v != 0 ? QVariant(v) : QVariant();
}

// The tenant's highest order number + 1 (index orders_number_value), or the batch's running count.
Result<qint64> nextOrderNumber(Database &db, qint64 tenantId, const IntakeCache *cache)
{
    if (cache && cache->lastOrderNumber())
        return *cache->lastOrderNumber() + 1;
    auto q = db.execCached(u"SELECT MAX(CAST(SUBSTR(order_number, 4) AS BIGINT)) FROM orders WHERE tenant_id = ?"_s,
                           {tenantId});
    if (!q)
        return q.error();
    const qint64 last = q->next() ? q->value(0).toLongLong() : 0;
    return last + 1;
}

constexpr size_t kLinesPerInsert = 50;

QString lineInsertSql(size_t rows)
{
    QString sql = u"INSERT INTO order_lines (tenant_id, order_id, line_no, product_id, sku, outcome, requested_qty, "
                  "quantity, backordered_qty, quoted_unit_price_minor, unit_price_minor, discount_bp, net_minor, "
                  "tax_minor, total_minor, price_source, detail_json) VALUES "_s;
    for (size_t i = 0; i < rows; ++i)
        sql += i == 0 ? u"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s
                      : u", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s;
    return sql;
}

// The objects of the top-level "lines" array of a compact decision body, as byte ranges. Keys are
// sorted and "lines" is the only array of that name before it, so its first occurrence is the one;
// strings are skipped with their escapes. Empty when the body does not look as expected.
std::vector<QByteArrayView> lineObjects(const QByteArray &body)
{
    std::vector<QByteArrayView> out;
    const qsizetype start = body.indexOf("\"lines\":[");
    if (start < 0)
        return out;
    int depth = 0;
    bool inString = false;
    qsizetype objectStart = -1;
    for (qsizetype i = start + 9; i < body.size(); ++i) {
        const char c = body.at(i);
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            if (depth++ == 0 && c == '{')
                objectStart = i;
        } else if (c == '}' || c == ']') {
            if (depth == 0)
                return out; // the end of "lines"
            if (--depth == 0 && c == '}')
                out.emplace_back(body.constData() + objectStart, i - objectStart + 1);
        }
    }
    return {};
}

Status insertOrderRows(Database &db, const IntakeActor &actor, const QString &commandId,
                       const QByteArray &requestHash, const OrderRequest &request, const EvaluatedOrder &ev,
                       const QString &number, const QByteArray &body, qint64 seq)
{
    const OrderDecision &d = ev.decision;
    const QString received = isoUtc(ev.receivedAt);
    const QStringList holds(d.holdReasons.begin(), d.holdReasons.end());
    const QString bodyText = QString::fromUtf8(body);
    auto q = db.execCached(
        u"INSERT INTO orders (tenant_id, id, order_number, account_id, rep_user_id, device_id, warehouse_id, "
        "command_id, status, hold_reasons, currency, order_discount_bp, gross_minor, discount_minor, "
        "tax_minor, "
        "total_minor, customer_ref, note, device_created_at, received_at, outcome_json, seq) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
        {actor.tenantId,
         request.id,
         number,
         request.accountId,
         actor.userId,
         nullable(actor.deviceId),
         nullable(ev.context.warehouseId),
         commandId,
         outcomeName(d.outcome),
         text(holds.join(u',')),
         d.currency,
         d.appliedOrderDiscountBp,
         d.totals.grossMinor,
         d.totals.lineDiscountMinor + d.totals.orderDiscountMinor,
         d.totals.taxMinor,
         d.totals.totalMinor,
         text(request.customerRef),
         text(request.note),
         request.deviceCreatedAt.isValid() ? QVariant(isoUtc(request.deviceCreatedAt)) : QVariant(),
         received,
         bodyText,
         seq});
    if (!q)
        return q.error();

    // detail_json: each line's object exactly as it stands in the body (sliced, not serialized again)
    std::vector<QByteArrayView> details = lineObjects(body);
    std::vector<QByteArray> owned;
    if (details.size() != d.lines.size()) {
        details.clear();
        const QJsonArray lineJson = QJsonDocument::fromJson(body).object().value(u"lines"_s).toArray();
        for (qsizetype i = 0; i < lineJson.size(); ++i)
            owned.push_back(QJsonDocument(lineJson.at(i).toObject()).toJson(QJsonDocument::Compact));
        details.assign(owned.begin(), owned.end());
    }
    // Multi-row INSERTs of up to kLinesPerInsert lines (one cached statement per row count).
    for (size_t from = 0; from < d.lines.size(); from += kLinesPerInsert) {
        const size_t rows = std::min(kLinesPerInsert, d.lines.size() - from);
        QVariantList binds;
        binds.reserve(qsizetype(rows) * 17);
        for (size_t i = from; i < from + rows; ++i) {
            const LineDecision &l = d.lines[i];
            const OrderLineRequest &in = request.lines[i];
            const bool isRejected = l.outcome == LineOutcome::Rejected;
            binds << actor.tenantId << request.id << l.lineNo << in.productId
                  << ev.context.pricing.products.value(in.productId).sku << outcomeName(l.outcome)
                  << l.requestedQuantity << l.quantity << l.backorderedQuantity
                  << (l.quotedUnitPriceMinor ? QVariant(*l.quotedUnitPriceMinor) : QVariant())
                  << l.priced.unitPriceMinor << (isRejected ? in.discountBp : l.priced.why.appliedDiscountBp)
                  << l.priced.netMinor << l.priced.taxMinor << l.priced.totalMinor
                  << PriceExplanation::sourceName(l.priced.why.source)
                  << QString::fromUtf8(details[i].data(), details[i].size());
        }
        auto lq = db.execCached(lineInsertSql(rows), binds);
        if (!lq)
            return lq.error();
    }

    auto cq =
        db.execCached(u"INSERT INTO commands (tenant_id, command_id, kind, user_id, request_hash, response_status, "
                "response_body, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"_s,
                {actor.tenantId, commandId, u"order.submit"_s, actor.userId, QString::fromLatin1(requestHash),
                 200, bodyText, received});
    if (!cq)
        return cq.error();
    return {};
}

// Accepted and adjusted orders take their stock now and raise the account's open balance; held and
// rejected orders take nothing (a released hold allocates then).
Status applyOrderEffects(Database &db, const IntakeActor &actor, const OrderRequest &request,
                         const EvaluatedOrder &ev, qint64 seq)
{
    const OrderDecision &d = ev.decision;
    if (d.outcome != OrderOutcome::Accepted && d.outcome != OrderOutcome::Adjusted)
        return {};
    for (const LineDecision &l : d.lines) {
        if (l.outcome == LineOutcome::Rejected || l.quantity <= 0)
            continue;
        auto q = db.execCached(u"UPDATE stock_levels SET allocated = allocated + ?, seq = ? "
                         "WHERE tenant_id = ? AND warehouse_id = ? AND product_id = ?"_s,
                         {l.quantity, seq, actor.tenantId, ev.context.warehouseId, l.productId});
        if (!q)
            return q.error();
        if (q->numRowsAffected() == 0)
            qCWarning(lcIntake) << "no stock row to allocate: tenant" << actor.tenantId << "warehouse"
                                << ev.context.warehouseId << "product" << l.productId;
    }
    auto q = db.execCached(u"UPDATE accounts SET open_balance_minor = open_balance_minor + ?, seq = ? "
                     "WHERE tenant_id = ? AND id = ?"_s,
                     {d.totals.totalMinor, seq, actor.tenantId, request.accountId});
    if (!q)
        return q.error();
    return {};
}

} // namespace

Result<QString> parseUuid(const QJsonValue &value, const QString &field, const QString &code)
{
    if (value.isUndefined() || value.isNull())
        return Error::invalid(u"request.missing_field"_s, u"This field is required."_s, field);
    const QString text = value.toString();
    const QUuid uuid = QUuid::fromString(text);
    if (!value.isString() || text.size() != 36 || uuid.isNull())
        return Error::invalid(code, u"This must be a UUID like 6f1c1a52-4d1e-4f5b-9a55-3c2d6b1e0a01."_s,
                              field);
    return uuid.toString(QUuid::WithoutBraces); // lower case
}

Result<OrderRequest> parseOrderRequest(const QJsonObject &order, const IntakeLimits &limits, bool requireId)
{
    OrderRequest req;
    Reader r(order, u"order"_s);
    r.rejectUnknown({u"id"_s, u"accountId"_s, u"warehouseId"_s, u"orderDiscountBp"_s, u"customerRef"_s,
                     u"note"_s, u"deviceCreatedAt"_s, u"lines"_s});
    if (r.failed())
        return r.error();
    if (requireId || r.present(u"id"_s)) {
        auto id = parseUuid(order.value(u"id"_s), u"order.id"_s, u"order.invalid_id"_s);
        if (!id)
            return id.error();
        req.id = *id;
    }
    const auto accountId = r.integer(u"accountId"_s, true);
    if (accountId && (*accountId < 1 || *accountId > kMaxId))
        r.fail(Error{ErrorKind::NotFound,
                     u"account.not_found"_s,
                     u"This account does not exist."_s,
                     {},
                     r.field(u"accountId"_s)});
    const auto warehouseId = r.integer(u"warehouseId"_s, false);
    if (warehouseId && (*warehouseId < 1 || *warehouseId > kMaxId))
        r.fail(rejected(u"warehouse.not_found"_s, u"This warehouse does not exist."_s,
                        r.field(u"warehouseId"_s)));
    req.orderDiscountBp = r.discountBp(u"orderDiscountBp"_s);
    req.customerRef = r.string(u"customerRef"_s, false, limits.maxCustomerRefLength).value_or(QString());
    req.note = r.string(u"note"_s, false, limits.maxNoteLength).value_or(QString());
    if (const auto created = r.string(u"deviceCreatedAt"_s, false, 40)) {
        req.deviceCreatedAt = QDateTime::fromString(*created, Qt::ISODateWithMs).toUTC();
        if (!req.deviceCreatedAt.isValid())
            r.fail(Error::invalid(u"request.bad_timestamp"_s,
                                  u"This must be an ISO 8601 time like 2026-11-23T10:00:00Z."_s,
                                  r.field(u"deviceCreatedAt"_s)));
    }
    if (r.failed())
        return r.error();
    req.accountId = *accountId;
    req.warehouseId = warehouseId.value_or(0);

    const QJsonValue linesValue = order.value(u"lines"_s);
    if (linesValue.isUndefined() || linesValue.isNull())
        return Error::invalid(u"request.missing_field"_s, u"An order needs lines."_s, u"order.lines"_s);
    if (!linesValue.isArray())
        return Error::invalid(u"request.wrong_type"_s, u"The lines must be an array."_s, u"order.lines"_s);
    const QJsonArray lines = linesValue.toArray();
    if (lines.isEmpty())
        return rejected(u"order.empty"_s, u"An order needs at least one line."_s, u"order.lines"_s);
    if (lines.size() > limits.maxLines)
        return rejected(u"order.too_many_lines"_s,
                        u"An order may have at most %1 lines."_s.arg(limits.maxLines), u"order.lines"_s);
    QSet<int> lineNos;
    req.lines.resize(size_t(lines.size()));
    for (qsizetype i = 0; i < lines.size() && !r.failed(); ++i)
        parseLine(lines.at(i), u"order.lines[%1]"_s.arg(i), limits, r, lineNos, req.lines[size_t(i)]);
    if (r.failed())
        return r.error();
    return req;
}

QByteArray canonicalRequestHash(const QJsonObject &body)
{
    // QJsonObject keeps its keys sorted, so the compact form is canonical.
    return QCryptographicHash::hash(QJsonDocument(body).toJson(QJsonDocument::Compact),
                                    QCryptographicHash::Sha256)
        .toHex();
}

Result<EvaluatedOrder> evaluateOrder(Database &db, const IntakeActor &actor, const OrderRequest &request,
                                     const QDateTime &now, IntakeCache *cache)
{
    ContextRequest cr;
    cr.tenantId = actor.tenantId;
    cr.accountId = request.accountId;
    cr.warehouseId = request.warehouseId;
    cr.now = now;
    cr.maxLineDiscountBp = actor.maxLineDiscountBp;
    cr.maxOrderDiscountBp = actor.maxOrderDiscountBp;
    std::vector<SubmittedLine> submitted;
    for (const OrderLineRequest &l : request.lines) {
        cr.productIds.push_back(l.productId);
        submitted.push_back(SubmittedLine{OrderLineInput{l.lineNo, l.productId, l.quantity, l.discountBp},
                                          l.quotedUnitPriceMinor});
    }
    auto ctx = cache ? loadOrderContext(db, cr, *cache) : loadOrderContext(db, cr);
    if (!ctx)
        return ctx.error();
    EvaluatedOrder ev{std::move(*ctx), {}, now.toUTC()};
    ev.decision = decideOrder(ev.context.pricing, ev.context.validation, request.orderDiscountBp, submitted);
    return ev;
}

Result<std::optional<StoredCommand>> findCommand(Database &db, qint64 tenantId, const QString &commandId)
{
    auto q = db.execCached(u"SELECT request_hash, response_status, response_body FROM commands "
                     "WHERE tenant_id = ? AND command_id = ?"_s,
                     {tenantId, commandId});
    if (!q)
        return q.error();
    if (!q->next())
        return std::optional<StoredCommand>();
    return std::optional<StoredCommand>(StoredCommand{q->value(0).toString().toLatin1(), q->value(1).toInt(),
                                                      q->value(2).toString().toUtf8()});
}

Result<bool> orderExists(Database &db, qint64 tenantId, const QString &orderId)
{
    auto q = db.execCached(u"SELECT 1 FROM orders WHERE tenant_id = ? AND id = ?"_s, {tenantId, orderId});
    if (!q)
        return q.error();
    return q->next();
}

Result<SubmitResult> submitOrderInTransaction(Database &db, const IntakeActor &actor, const QString &commandId,
                                              const QByteArray &requestHash, const OrderRequest &request,
                                              const QDateTime &now, qint64 seq, IntakeCache *cache)
{
    // Re-checked under the tenant's write lock: a concurrent duplicate that won the race is replayed.
    auto stored = findCommand(db, actor.tenantId, commandId);
    if (!stored)
        return stored.error();
    if (stored->has_value()) {
        const StoredCommand &c = **stored;
        if (c.requestHash != requestHash)
            return Error::make(ErrorKind::Conflict, u"command.key_reused"_s,
                               u"This command id was already used for a different request."_s);
        return SubmitResult{c.responseStatus, c.responseBody, true};
    }
    auto exists = orderExists(db, actor.tenantId, request.id);
    if (!exists)
        return exists.error();
    if (*exists)
        return Error{ErrorKind::Conflict,
                     u"order.duplicate_id"_s,
                     u"An order with this id was already submitted under another command."_s,
                     {},
                     u"order.id"_s};

    auto ev = evaluateOrder(db, actor, request, now, cache);
    if (!ev)
        return ev.error();
    auto numberValue = nextOrderNumber(db, actor.tenantId, cache);
    if (!numberValue)
        return numberValue.error();
    const QString number = u"SO-%1"_s.arg(*numberValue, 6, 10, QLatin1Char('0'));
    const QByteArray body = decisionBody(request, *ev, number, commandId, seq);

    if (auto s = insertOrderRows(db, actor, commandId, requestHash, request, *ev, number, body, seq);
        !s)
        return s.error();
    if (auto s = applyOrderEffects(db, actor, request, *ev, seq); !s)
        return s.error();
    auto audit = db.execCached(u"INSERT INTO audit_log (tenant_id, user_id, action, entity, entity_id, at, detail) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?)"_s,
                         {actor.tenantId, actor.userId, u"order.submit"_s, u"order"_s, request.id,
                          isoUtc(ev->receivedAt),
                          u"number=%1 outcome=%2 lines=%3"_s.arg(number, outcomeName(ev->decision.outcome))
                              .arg(request.lines.size())});
    if (!audit)
        return audit.error();
    if (cache)
        cache->orderStored(request, *ev, *numberValue);
    qCDebug(lcIntake) << "order stored: tenant" << actor.tenantId << "number" << number << "outcome"
                      << outcomeName(ev->decision.outcome) << "lines" << request.lines.size() << "seq" << seq;
    return SubmitResult{200, body, false};
}

Result<SubmitResult> submitOrder(Database &db, const IntakeActor &actor, const QString &commandId,
                                 const QByteArray &requestHash, const OrderRequest &request,
                                 const QDateTime &now)
{
    auto seq = db.beginTenantWrite(actor.tenantId);
    if (!seq)
        return seq.error();
    auto result = submitOrderInTransaction(db, actor, commandId, requestHash, request, now, *seq);
    if (!result || result->replayed) {
        db.rollback();
        return result;
    }
    if (auto s = db.commit(); !s) {
        db.rollback();
        return s.error();
    }
    qCInfo(lcIntake) << "order stored: tenant" << actor.tenantId << "command" << commandId << "seq" << *seq;
    return result;
}

} // namespace outpost::server
