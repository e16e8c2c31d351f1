#include "storage/outbox_repository.h"

#include "storage/database.h"
#include "storage/repo_util.h"

#include <QJsonDocument>

using namespace Qt::Literals::StringLiterals;

namespace outpost::storage {

QString OutboxItem::stateName(State s)
{
    switch (s) {
    case State::Pending:
        return u"pending"_s;
    case State::Inflight:
        return u"inflight"_s;
    case State::Failed:
        return u"failed"_s;
    case State::Done:
        return u"done"_s;
    }
    return u"pending"_s;
}

namespace {

#define OUTBOX_COLUMNS                                                                                       \
    "id, command_id, kind, entity_id, payload, created_at, attempts, next_attempt_at, "                      \
    "last_error_code, last_error_text, state"

OutboxItem::State stateFromName(const QString &name)
{
    if (name == u"inflight"_s)
        return OutboxItem::State::Inflight;
    if (name == u"failed"_s)
        return OutboxItem::State::Failed;
    if (name == u"done"_s)
        return OutboxItem::State::Done;
    return OutboxItem::State::Pending;
}

OutboxItem readItem(const Statement &st)
{
    OutboxItem item;
    item.id = st.int64(0);
    item.commandId = st.text(1);
    item.kind = st.text(2);
    item.entityId = st.text(3);
    item.payload = st.textUtf8(4);
    item.createdAt = st.dateTime(5);
    item.attempts = int(st.int64(6));
    item.nextAttemptAt = st.dateTime(7);
    item.lastErrorCode = st.text(8);
    item.lastErrorText = st.text(9);
    item.state = stateFromName(st.text(10));
    return item;
}

Result<QList<OutboxItem>> readItems(Statement &st)
{
    return detail::collectRows(st, readItem);
}

Error notFoundItem(qint64 id)
{
    return detail::notFound(u"storage.outbox_item_not_found"_s, u"No such outbox item."_s,
                            u"outbox %1"_s.arg(id));
}

} // namespace

Result<OutboxItem> OutboxRepository::enqueue(const QString &kind, const QString &entityId,
                                             const QByteArray &payload, const QDateTime &now,
                                             const QString &commandId)
{
    if (kind.trimmed().isEmpty())
        return Error::invalid(u"storage.missing_field"_s, u"An outbox item needs a kind."_s, u"kind"_s);
    if (!now.isValid())
        return Error::invalid(u"storage.invalid_time"_s, u"An outbox item needs a valid time."_s, u"now"_s);
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(payload, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return Error::invalid(u"storage.invalid_payload"_s, u"An outbox payload must be a JSON object."_s,
                              u"payload"_s);
    OutboxItem item;
    item.commandId = commandId.isEmpty() ? detail::newUuid() : commandId;
    item.kind = kind;
    item.entityId = entityId;
    item.payload = payload;
    item.createdAt = now.toUTC();
    item.nextAttemptAt = item.createdAt;
    auto st = m_db.prepare("INSERT INTO outbox (command_id, kind, entity_id, payload, created_at, "
                           "attempts, next_attempt_at, state) VALUES (?1, ?2, ?3, ?4, ?5, 0, ?5, 'pending')");
    if (!st)
        return st.error();
    st->bind(1, item.commandId).bind(2, item.kind).bind(3, item.entityId);
    st->bindText(4, item.payload).bind(5, item.createdAt);
    if (Status s = st->exec(); !s)
        return s.error();
    item.id = m_db.lastInsertRowId();
    qCDebug(lcStorage) << "outbox enqueued" << item.id << item.kind;
    return item;
}

Result<QList<OutboxItem>> OutboxRepository::due(const QDateTime &now, int limit)
{
    if (Status s = detail::checkPage(limit, 0); !s)
        return s.error();
    auto st = m_db.prepare("SELECT " OUTBOX_COLUMNS " FROM outbox "
                           "WHERE state = 'pending' AND next_attempt_at <= ?1 ORDER BY id LIMIT ?2");
    if (!st)
        return st.error();
    st->bind(1, now).bind(2, limit);
    return readItems(*st);
}

Result<OutboxItem> OutboxRepository::item(qint64 id)
{
    auto st = m_db.prepare("SELECT " OUTBOX_COLUMNS " FROM outbox WHERE id = ?1");
    if (!st)
        return st.error();
    st->bind(1, id);
    auto items = readItems(*st);
    if (!items)
        return items.error();
    if (items->isEmpty())
        return notFoundItem(id);
    return items->first();
}

Result<OutboxItem> OutboxRepository::itemByCommandId(const QString &commandId)
{
    auto st = m_db.prepare("SELECT " OUTBOX_COLUMNS " FROM outbox WHERE command_id = ?1");
    if (!st)
        return st.error();
    st->bind(1, commandId);
    auto items = readItems(*st);
    if (!items)
        return items.error();
    if (items->isEmpty())
        return detail::notFound(u"storage.outbox_item_not_found"_s, u"No such outbox item."_s);
    return items->first();
}

Result<QList<OutboxItem>> OutboxRepository::failedItems()
{
    auto st = m_db.prepare("SELECT " OUTBOX_COLUMNS " FROM outbox WHERE state = 'failed' ORDER BY id");
    if (!st)
        return st.error();
    return readItems(*st);
}

Status OutboxRepository::transition(qint64 id, const char *sql, const QString &from)
{
    auto st = m_db.prepare(sql);
    if (!st)
        return st.error();
    st->bind(1, id);
    if (Status s = st->exec(); !s)
        return s;
    if (m_db.changes() == 1)
        return {};
    auto current = item(id);
    if (!current)
        return current.error();
    return Error::make(
        ErrorKind::Conflict, u"storage.outbox_bad_state"_s,
        u"The outbox item is not in a state that allows this."_s,
        u"outbox %1 is %2, expected %3"_s.arg(id).arg(OutboxItem::stateName(current->state), from));
}

Status OutboxRepository::markInflight(qint64 id)
{
    return transition(id,
                      "UPDATE outbox SET state = 'inflight', attempts = attempts + 1 "
                      "WHERE id = ?1 AND state = 'pending'",
                      u"pending"_s);
}

Status OutboxRepository::markDone(qint64 id)
{
    return transition(id,
                      "UPDATE outbox SET state = 'done', last_error_code = NULL, last_error_text = NULL "
                      "WHERE id = ?1 AND state IN ('pending', 'inflight')",
                      u"pending or inflight"_s);
}

Status OutboxRepository::markFailed(qint64 id, const Error &error, std::optional<QDateTime> retryAt)
{
    if (retryAt && !retryAt->isValid())
        return Error::invalid(u"storage.invalid_time"_s, u"A retry needs a valid time."_s, u"retryAt"_s);
    auto st = m_db.prepare(
        "UPDATE outbox SET state = CASE WHEN ?2 IS NULL THEN 'failed' ELSE 'pending' END, "
        "next_attempt_at = coalesce(?2, next_attempt_at), last_error_code = ?3, last_error_text = ?4 "
        "WHERE id = ?1 AND state IN ('pending', 'inflight')");
    if (!st)
        return st.error();
    st->bind(1, id).bind(2, retryAt).bind(3, error.code).bind(4, error.userText);
    if (Status s = st->exec(); !s)
        return s;
    if (m_db.changes() == 1) {
        qCInfo(lcStorage) << "outbox item failed" << id << error.code
                          << (retryAt ? "will retry" : "permanent");
        return {};
    }
    auto current = item(id);
    if (!current)
        return current.error();
    return Error::make(ErrorKind::Conflict, u"storage.outbox_bad_state"_s,
                       u"The outbox item is not in a state that allows this."_s,
                       u"outbox %1 is %2"_s.arg(id).arg(OutboxItem::stateName(current->state)));
}

Status OutboxRepository::retry(qint64 id, const QDateTime &now)
{
    if (!now.isValid())
        return Error::invalid(u"storage.invalid_time"_s, u"A retry needs a valid time."_s, u"now"_s);
    auto st = m_db.prepare("UPDATE outbox SET state = 'pending', next_attempt_at = ?2 "
                           "WHERE id = ?1 AND state = 'failed'");
    if (!st)
        return st.error();
    st->bind(1, id).bind(2, now);
    if (Status s = st->exec(); !s)
        return s;
    if (m_db.changes() == 1)
        return {};
    auto current = item(id);
    if (!current)
        return current.error();
    return Error::make(ErrorKind::Conflict, u"storage.outbox_bad_state"_s,
                       u"Only a failed item can be retried."_s);
}

Result<int> OutboxRepository::recoverInflight()
{
    auto st = m_db.prepare("UPDATE outbox SET state = 'pending' WHERE state = 'inflight'");
    if (!st)
        return st.error();
    if (Status s = st->exec(); !s)
        return s.error();
    return m_db.changes();
}

Result<qint64> OutboxRepository::pendingCount()
{
    return detail::scalarInt(m_db, "SELECT count(*) FROM outbox WHERE state IN ('pending', 'inflight')");
}

Result<int> OutboxRepository::purgeDone(const QDateTime &createdBefore)
{
    auto st = m_db.prepare("DELETE FROM outbox WHERE state = 'done' AND created_at < ?1");
    if (!st)
        return st.error();
    st->bind(1, createdBefore);
    if (Status s = st->exec(); !s)
        return s.error();
    return m_db.changes();
}

} // namespace outpost::storage
