#include "sync/push.h"

#include "storage/conflict_repository.h"
#include "storage/database.h"
#include "storage/order_repository.h"
#include "storage/outbox_repository.h"
#include "storage/record_edit_repository.h"
#include "storage/replica_writer.h"
#include "sync/session.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::Literals::StringLiterals;

namespace outpost::sync {

namespace {

using storage::RecordEditRepository;

constexpr std::chrono::milliseconds kBackoffBase = 2s;
constexpr std::chrono::milliseconds kBackoffCap = 5min;

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QString valueText(const QJsonValue &v)
{
    if (v.isNull() || v.isUndefined())
        return {};
    if (v.isString())
        return v.toString();
    if (v.isObject())
        return QString::fromUtf8(compact(v.toObject()));
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    if (v.isBool())
        return v.toBool() ? u"true"_s : u"false"_s;
    return QString::number(v.toInteger());
}

// A command as the server wants it, and what the device needs to apply the answer.
struct Outgoing
{
    storage::OutboxItem item;
    QJsonObject command;
    QString entity; // record commands
    qint64 recordId = 0;
    QJsonObject changes;
    QJsonObject base;
};

using BaseCache = QHash<QString, QJsonObject>;

Result<Outgoing> translate(SyncContext &ctx, const storage::OutboxItem &item, BaseCache &bases)
{
    Outgoing out{item, {}, {}, 0, {}, {}};
    const QJsonObject p = QJsonDocument::fromJson(item.payload).object();
    if (item.kind == u"order.submit"_s) {
        QJsonArray lines;
        for (const QJsonValue &v : p.value(u"lines"_s).toArray()) {
            const QJsonObject l = v.toObject();
            QJsonObject line{{u"lineNo"_s, l.value(u"lineNo"_s)},
                             {u"productId"_s, l.value(u"productId"_s)},
                             {u"quantity"_s, l.value(u"quantity"_s)},
                             {u"discountBp"_s, l.value(u"discountBp"_s)}};
            if (l.contains(u"quotedUnitPriceMinor"_s))
                line.insert(u"quotedUnitPrice"_s, l.value(u"quotedUnitPriceMinor"_s));
            lines.append(line);
        }
        QJsonObject order{{u"id"_s, p.value(u"orderId"_s)},
                          {u"accountId"_s, p.value(u"accountId"_s)},
                          {u"orderDiscountBp"_s, p.value(u"orderDiscountBp"_s)},
                          {u"customerRef"_s, p.value(u"customerRef"_s)},
                          {u"note"_s, p.value(u"note"_s)},
                          {u"lines"_s, lines}};
        if (p.value(u"warehouseId"_s).toInteger() > 0)
            order.insert(u"warehouseId"_s, p.value(u"warehouseId"_s));
        if (p.contains(u"deviceCreatedAt"_s))
            order.insert(u"deviceCreatedAt"_s, p.value(u"deviceCreatedAt"_s));
        out.command = QJsonObject{{u"commandId"_s, item.commandId}, {u"kind"_s, u"order.submit"_s},
                                  {u"payload"_s, order}};
        return out;
    }
    if (item.kind == u"contact.update"_s) {
        out.entity = u"contacts"_s;
        out.recordId = p.value(u"contactId"_s).toInteger();
    } else if (item.kind == u"account.notes"_s) {
        out.entity = u"accounts"_s;
        out.recordId = p.value(u"accountId"_s).toInteger();
    } else if (item.kind == u"record.update"_s) {
        out.entity = p.value(u"entity"_s).toString();
        out.recordId = p.value(u"id"_s).toInteger();
    } else if (item.kind == u"lead.create"_s) {
        // A kiosk visitor's lead: sent as queued; the answer only closes the outbox item.
        out.command = QJsonObject{{u"commandId"_s, item.commandId}, {u"kind"_s, item.kind}, {u"payload"_s, p}};
        return out;
    } else if (item.kind == u"record.create"_s || item.kind == u"record.delete"_s) {
        out.command = QJsonObject{{u"commandId"_s, item.commandId}, {u"kind"_s, item.kind}, {u"payload"_s, p}};
        out.entity = p.value(u"entity"_s).toString();
        out.recordId = p.value(u"id"_s).toInteger();
        return out;
    } else {
        return Error::invalid(u"sync.unknown_command"_s, u"This kind of change cannot be sent."_s, item.kind);
    }
    out.changes = p.value(u"changes"_s).toObject();
    const QString key = out.entity + u':' + QString::number(out.recordId);
    if (!bases.contains(key)) {
        auto b = storage::RecordEditRepository(ctx.db).base(out.entity, out.recordId);
        if (!b)
            return b.error();
        bases.insert(key, *b);
    }
    QJsonObject &agreed = bases[key];
    for (auto it = out.changes.constBegin(); it != out.changes.constEnd(); ++it) {
        out.base.insert(it.key(), agreed.value(it.key()).isUndefined() ? QJsonValue(QJsonValue::Null)
                                                                        : agreed.value(it.key()));
        agreed.insert(it.key(), it.value()); // the next command of the record builds on this one
    }
    out.command = QJsonObject{{u"commandId"_s, item.commandId},
                              {u"kind"_s, u"record.update"_s},
                              {u"payload"_s, QJsonObject{{u"entity"_s, out.entity},
                                                         {u"id"_s, out.recordId},
                                                         {u"base"_s, out.base},
                                                         {u"changes"_s, out.changes}}}};
    return out;
}

bool isTransientStatus(int status)
{
    return status >= 500 || status == 429 || status == 408 || status == 0;
}

Error resultError(int status, const QJsonObject &body)
{
    return classifyError(QNetworkReply::NoError, status, compact(body));
}

Status recordConflict(SyncContext &ctx, const Outgoing &o, const QString &field, const QString &base,
                      const QString &mine, const QString &theirs)
{
    storage::ConflictRow c;
    c.entity = o.entity;
    c.entityId = QString::number(o.recordId);
    c.field = field;
    c.base = base;
    c.mine = mine;
    c.theirs = theirs;
    c.createdAt = ctx.clock.now();
    auto id = storage::ConflictRepository(ctx.db).record(c);
    return id ? Status() : Status(id.error());
}

// Applies one 2xx/409 answer of a record command; the item is done afterwards.
Status applyRecordAnswer(SyncContext &ctx, const Outgoing &o, int status, const QJsonObject &body, PushReport &report)
{
    storage::RecordEditRepository edits(ctx.db);
    if (status == 409) {
        const QString code = body.value(u"error"_s).toObject().value(u"code"_s).toString();
        QJsonValue theirs = body.value(u"error"_s).toObject().value(u"existing"_s);
        if (theirs.isUndefined())
            theirs = body.value(u"existing"_s);
        // Deleted on the server: the conflict keeps the whole agreed record (kept before the pull
        // removed the row), so keep mine can create it again.
        QJsonObject base = o.base;
        if (code == u"record.deleted"_s && !o.entity.isEmpty() && !edits.editableFields(o.entity).isEmpty()) {
            auto stored = edits.base(o.entity, o.recordId);
            if (!stored)
                return stored.error();
            const QJsonObject row = stored->value(QLatin1StringView(RecordEditRepository::kDeletedRowKey)).toObject();
            if (!row.isEmpty()) {
                QJsonObject whole = row;
                for (auto it = o.base.constBegin(); it != o.base.constEnd(); ++it)
                    whole.insert(it.key(), it.value());
                base = whole;
            }
        }
        if (Status s = recordConflict(ctx, o, u"_record:"_s + code.section(u'.', 1), valueText(base),
                                      valueText(o.changes.isEmpty() ? o.command.value(u"payload"_s) : o.changes),
                                      valueText(theirs));
            !s)
            return s;
        ++report.conflicts;
        if (o.entity.isEmpty() || RecordEditRepository::editableFields(o.entity).isEmpty())
            return {};
        return edits.agree(o.entity, o.recordId, {}, false);
    }
    QJsonObject merged = o.changes, theirsValues;
    for (const QJsonValue &v : body.value(u"conflicts"_s).toArray()) {
        const QJsonObject c = v.toObject();
        const QString field = c.value(u"field"_s).toString();
        if (Status s = recordConflict(ctx, o, field, valueText(c.value(u"base"_s)), valueText(c.value(u"mine"_s)),
                                      valueText(c.value(u"theirs"_s)));
            !s)
            return s;
        ++report.conflicts;
        merged.remove(field);
        theirsValues.insert(field, c.value(u"theirs"_s));
    }
    if (RecordEditRepository::editableFields(o.entity).isEmpty())
        return {};
    if (Status s = edits.agree(o.entity, o.recordId, merged, false); !s)
        return s;
    if (!theirsValues.isEmpty()) {
        if (Status s = edits.agree(o.entity, o.recordId, theirsValues, true); !s)
            return s;
    }
    return storage::ReplicaWriter(ctx.db).reapplyPendingEdits();
}

Status applyAnswer(SyncContext &ctx, const Outgoing &o, int status, const QJsonObject &body, PushReport &report)
{
    auto tx = storage::Transaction::begin(ctx.db);
    if (!tx)
        return tx.error();
    storage::OutboxRepository outbox(ctx.db);
    storage::OrderRepository orders(ctx.db);
    const bool ok = status >= 200 && status < 300;
    const QString orderId = o.item.entityId;
    if (o.item.kind == u"order.submit"_s) {
        if (ok) {
            const storage::ServerOutcome outcome = parseOutcome(body);
            const Status applied = orders.applyOutcome(orderId, outcome);
            if (!applied && applied.error().kind != ErrorKind::NotFound)
                return applied;
            if (applied && outcome.seq && !report.answeredAt.contains(*outcome.seq))
                report.answeredAt << *outcome.seq;
            if (Status s = outbox.markDone(o.item.id); !s)
                return s;
            ++report.done;
        } else {
            const Error e = resultError(status, body);
            if (Status s = outbox.markFailed(o.item.id, e, std::nullopt); !s)
                return s;
            (void)orders.markFailed(orderId, e); // an order already decided keeps its outcome
            ++report.failed;
        }
        return tx->commit();
    }
    const QString code = body.value(u"error"_s).toObject().value(u"code"_s).toString();
    if (ok || (status == 409 && code.startsWith(u"record."_s))) {
        if (Status s = outbox.markDone(o.item.id); !s)
            return s;
        if (Status s = applyRecordAnswer(ctx, o, status, body, report); !s)
            return s;
        ++report.done;
    } else {
        if (Status s = outbox.markFailed(o.item.id, resultError(status, body), std::nullopt); !s)
            return s;
        ++report.failed;
    }
    return tx->commit();
}

Status retryLater(SyncContext &ctx, const QList<Outgoing> &batch, const Error &e, PushReport &report)
{
    auto tx = storage::Transaction::begin(ctx.db);
    if (!tx)
        return tx.error();
    storage::OutboxRepository outbox(ctx.db);
    for (const Outgoing &o : batch) {
        const auto delay = backoffDelay(o.item.attempts + 1, *QRandomGenerator::global());
        if (Status s = outbox.markFailed(o.item.id, e, ctx.clock.now().addMSecs(delay.count())); !s)
            return s;
        ++report.retrying;
    }
    report.transient = e;
    return tx->commit();
}

} // namespace

std::chrono::milliseconds backoffDelay(int attempts, QRandomGenerator &random)
{
    const int n = std::clamp(attempts - 1, 0, 20);
    const auto ceiling = std::min<std::chrono::milliseconds>(kBackoffCap, kBackoffBase * (qint64(1) << n));
    return std::chrono::milliseconds(qint64(random.bounded(double(ceiling.count()) + 1)));
}

storage::ServerOutcome parseOutcome(const QJsonObject &body)
{
    storage::ServerOutcome out;
    out.status = body.value(u"outcome"_s).toString();
    out.orderNumber = body.value(u"orderNumber"_s).toString();
    for (const QJsonValue &h : body.value(u"holdReasons"_s).toArray())
        out.holdReasons << h.toString();
    const QJsonObject totals = body.value(u"totals"_s).toObject();
    out.grossMinor = totals.value(u"gross"_s).toInteger();
    out.discountMinor = totals.value(u"lineDiscount"_s).toInteger() + totals.value(u"orderDiscount"_s).toInteger();
    out.taxMinor = totals.value(u"tax"_s).toInteger();
    out.totalMinor = totals.value(u"total"_s).toInteger();
    out.outcomeJson = compact(body);
    out.decidedAt = QDateTime::fromString(body.value(u"receivedAt"_s).toString(), Qt::ISODateWithMs);
    if (body.contains(u"seq"_s))
        out.seq = body.value(u"seq"_s).toInteger();
    for (const QJsonValue &v : body.value(u"lines"_s).toArray()) {
        const QJsonObject l = v.toObject();
        storage::LineOutcomeInput line;
        line.lineNo = int(l.value(u"lineNo"_s).toInteger());
        line.outcome = l.value(u"outcome"_s).toString();
        line.acceptedQuantity = l.value(u"quantity"_s).toInteger();
        line.backorderedQuantity = l.value(u"backorderedQuantity"_s).toInteger();
        line.unitPriceMinor = l.value(u"unitPrice"_s).toInteger();
        line.netMinor = l.value(u"net"_s).toInteger();
        line.taxMinor = l.value(u"tax"_s).toInteger();
        line.totalMinor = l.value(u"total"_s).toInteger();
        line.priceSource = l.value(u"priceSource"_s).toString();
        line.detailJson = compact(QJsonObject{{u"requestedQuantity"_s, l.value(u"requestedQuantity"_s)},
                                              {u"priceExplanation"_s, l.value(u"priceExplanation"_s)},
                                              {u"adjustments"_s, l.value(u"adjustments"_s)},
                                              {u"findings"_s, l.value(u"findings"_s)}});
        out.lines << line;
    }
    return out;
}

Result<PushReport> push(SyncContext &ctx, bool sendAll)
{
    PushReport report;
    storage::OutboxRepository outbox(ctx.db);
    for (;;) {
        if (ctx.isCancelled())
            return cancelledError();
        const QDateTime now = ctx.clock.now();
        auto due = outbox.due(sendAll ? now.addYears(100) : now, kMaxBatch);
        if (!due)
            return due.error();
        if (due->isEmpty())
            break;

        QList<Outgoing> batch;
        QJsonArray commands;
        BaseCache bases;
        {
            auto tx = storage::Transaction::begin(ctx.db);
            if (!tx)
                return tx.error();
            for (const storage::OutboxItem &item : std::as_const(*due)) {
                auto o = translate(ctx, item, bases);
                if (!o) {
                    if (Status s = outbox.markFailed(item.id, o.error(), std::nullopt); !s)
                        return s.error();
                    ++report.failed;
                    continue;
                }
                if (Status s = outbox.markInflight(item.id); !s)
                    return s.error();
                o->item.attempts += 1;
                if (item.kind == u"order.submit"_s)
                    (void)storage::OrderRepository(ctx.db).markSent(item.entityId); // already sent on a re-send
                commands.append(o->command);
                batch << *o;
            }
            if (Status s = tx->commit(); !s)
                return s.error();
        }
        if (batch.isEmpty())
            continue;
        report.sent += int(batch.size());
        ctx.report(Progress{u"push"_s, 0, u"Sending %1 changes"_s.arg(batch.size()), report.sent, 0, 0,
                            std::chrono::seconds(-1)});
        RequestOptions options;
        options.idleTimeout = 60s;
        auto r = ctx.api.call("POST", u"/v1/commands"_s, compact(QJsonObject{{u"commands"_s, commands}}), options);
        if (!r) {
            const Error &e = r.error();
            if (e.isTransient() || e.kind == ErrorKind::NotFound || e.kind == ErrorKind::Unauthorized) {
                // A server without the commands endpoint (being upgraded) is a "later", not a "no".
                const Error later = e.kind == ErrorKind::NotFound
                                        ? Error::make(ErrorKind::Transient, u"sync.commands_unavailable"_s,
                                                      u"The server cannot take changes right now; will retry."_s, e.detail)
                                        : e;
                if (Status s = retryLater(ctx, batch, later, report); !s)
                    return s.error();
                return report;
            }
            // The whole batch was refused (not one of its commands): set every item aside.
            auto tx = storage::Transaction::begin(ctx.db);
            if (!tx)
                return tx.error();
            for (const Outgoing &o : std::as_const(batch)) {
                if (Status s = outbox.markFailed(o.item.id, e, std::nullopt); !s)
                    return s.error();
                if (o.item.kind == u"order.submit"_s)
                    (void)storage::OrderRepository(ctx.db).markFailed(o.item.entityId, e);
                ++report.failed;
            }
            if (Status s = tx->commit(); !s)
                return s.error();
            continue;
        }
        QHash<QString, QJsonObject> results;
        for (const QJsonValue &v : r->json().value(u"results"_s).toArray())
            results.insert(v.toObject().value(u"commandId"_s).toString(), v.toObject());
        QList<Outgoing> again;
        {
            // Every answer of the batch in one transaction (each still in its own savepoint).
            auto tx = storage::Transaction::begin(ctx.db);
            if (!tx)
                return tx.error();
            for (const Outgoing &o : std::as_const(batch)) {
                const auto it = results.constFind(o.item.commandId);
                const int status = it == results.constEnd() ? 0 : int(it->value(u"status"_s).toInteger());
                if (isTransientStatus(status)) {
                    again << o;
                    continue;
                }
                if (Status s = applyAnswer(ctx, o, status, it->value(u"body"_s).toObject(), report); !s)
                    return s.error();
            }
            if (Status s = tx->commit(); !s)
                return s.error();
        }
        if (!again.isEmpty()) {
            const auto it = results.constFind(again.first().item.commandId);
            const Error e = it == results.constEnd()
                                ? Error::make(ErrorKind::Transient, u"sync.no_result"_s, u"The server did not answer a change; will retry."_s)
                                : resultError(int(it->value(u"status"_s).toInteger()), it->value(u"body"_s).toObject());
            if (Status s = retryLater(ctx, again, e, report); !s)
                return s.error();
            return report;
        }
    }
    if (report.sent > 0)
        qCInfo(lcSync) << "pushed" << report.sent << "done" << report.done << "failed" << report.failed << "conflicts"
                       << report.conflicts;
    return report;
}

} // namespace outpost::sync
