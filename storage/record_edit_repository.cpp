#include "storage/record_edit_repository.h"

#include "storage/conflict_repository.h"
#include "storage/database.h"
#include "storage/outbox_repository.h"
#include "storage/replica_writer.h"

#include <QJsonDocument>

using namespace Qt::Literals::StringLiterals;

namespace outpost::storage {

namespace {

constexpr qsizetype kMaxFieldLength = 2000;

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

Status checkEntity(const QString &entity)
{
    if (RecordEditRepository::editableFields(entity).isEmpty())
        return Error::invalid(u"storage.unknown_entity"_s, u"Only accounts, contacts and addresses can be edited."_s,
                              u"entity"_s);
    return {};
}

Status checkValue(const QString &entity, const QString &field, const QJsonValue &v)
{
    if (!v.isString())
        return Error::invalid(u"storage.invalid_value"_s, u"The value must be text."_s, field);
    const QString s = v.toString();
    if (s.size() > kMaxFieldLength)
        return Error::invalid(u"storage.invalid_value"_s, u"The value is too long."_s, field);
    if (entity == u"contacts"_s && field == u"name"_s && s.trimmed().isEmpty())
        return Error::invalid(u"storage.invalid_value"_s, u"A contact needs a name."_s, field);
    if (field == u"email"_s && !s.isEmpty() && (!s.contains(u'@') || s.contains(u' ')))
        return Error::invalid(u"storage.invalid_value"_s, u"This is not an e-mail address."_s, field);
    if (entity == u"addresses"_s && field == u"kind"_s && s != u"billing"_s && s != u"shipping"_s)
        return Error::invalid(u"storage.invalid_value"_s, u"An address is billing or shipping."_s, field);
    return {};
}

} // namespace

QStringList RecordEditRepository::editableFields(const QString &entity)
{
    if (entity == u"accounts"_s)
        return {u"notes"_s, u"phone"_s, u"email"_s};
    if (entity == u"contacts"_s)
        return {u"name"_s, u"role"_s, u"phone"_s, u"email"_s};
    if (entity == u"addresses"_s)
        return {u"kind"_s, u"line1"_s, u"line2"_s, u"city"_s, u"postcode"_s, u"country"_s};
    return {};
}

Result<QJsonObject> RecordEditRepository::row(const QString &entity, qint64 id)
{
    if (Status s = checkEntity(entity); !s)
        return s.error();
    const QStringList fields = editableFields(entity);
    const QString owner = entity == u"accounts"_s ? u"id"_s : u"account_id"_s;
    const QString sql = u"SELECT %1, %2, version FROM %3 WHERE id = ?1"_s.arg(owner, fields.join(u", "_s), entity);
    auto st = m_db.prepare(sql.toStdString().c_str());
    if (!st)
        return st.error();
    st->bindInt64(1, id);
    auto r = st->step();
    if (!r)
        return r.error();
    if (!*r)
        return Error::make(ErrorKind::NotFound, u"storage.record_not_found"_s, u"This record is not on the device."_s);
    QJsonObject o{{u"id"_s, id}, {u"accountId"_s, st->int64(0)}};
    for (qsizetype i = 0; i < fields.size(); ++i)
        o.insert(fields[i], st->text(int(i + 1)));
    o.insert(u"version"_s, st->int64(int(fields.size() + 1)));
    st->reset();
    return o;
}

Result<QJsonObject> RecordEditRepository::base(const QString &entity, qint64 id)
{
    auto b = ConflictRepository(m_db).base(entity, QString::number(id));
    if (!b)
        return b.error();
    if (!*b)
        return QJsonObject();
    return QJsonDocument::fromJson(**b).object();
}

Result<OutboxItem> RecordEditRepository::edit(const QString &entity, qint64 id, const QJsonObject &changes,
                                              const QDateTime &now)
{
    if (Status s = checkEntity(entity); !s)
        return s.error();
    const QStringList fields = editableFields(entity);
    for (auto it = changes.constBegin(); it != changes.constEnd(); ++it) {
        if (!fields.contains(it.key()))
            return Error::invalid(u"storage.field_not_editable"_s,
                                  u"This field cannot be edited; editable: %1."_s.arg(fields.join(u", "_s)), it.key());
        if (Status s = checkValue(entity, it.key(), it.value()); !s)
            return s.error();
    }
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.error();
    auto current = row(entity, id);
    if (!current)
        return current.error();
    QJsonObject effective;
    for (auto it = changes.constBegin(); it != changes.constEnd(); ++it) {
        if (current->value(it.key()) != it.value())
            effective.insert(it.key(), it.value());
    }
    if (effective.isEmpty())
        return Error::invalid(u"storage.nothing_changed"_s, u"Nothing was changed."_s, entity);

    // The base keeps the last agreed value of every field edited since: add the fields not in it yet.
    auto b = base(entity, id);
    if (!b)
        return b.error();
    QJsonObject newBase = *b;
    if (newBase.isEmpty())
        newBase = QJsonObject{{u"id"_s, id}, {u"version"_s, current->value(u"version"_s)}};
    for (auto it = effective.constBegin(); it != effective.constEnd(); ++it) {
        if (!newBase.contains(it.key()))
            newBase.insert(it.key(), current->value(it.key()));
    }
    if (Status s = ConflictRepository(m_db).setBase(entity, QString::number(id), compact(newBase)); !s)
        return s.error();
    for (auto it = effective.constBegin(); it != effective.constEnd(); ++it) {
        auto up = m_db.prepare(u"UPDATE %1 SET %2 = ?1 WHERE id = ?2"_s.arg(entity, it.key()).toStdString().c_str());
        if (!up)
            return up.error();
        up->bind(1, it.value().toString()).bindInt64(2, id);
        if (Status s = up->exec(); !s)
            return s.error();
    }
    const QJsonObject payload{{u"entity"_s, entity},
                              {u"id"_s, id},
                              {u"accountId"_s, current->value(u"accountId"_s)},
                              {u"changes"_s, effective}};
    auto item = OutboxRepository(m_db).enqueue(u"record.update"_s, entity + u':' + QString::number(id),
                                               compact(payload), now);
    if (!item)
        return item.error();
    if (Status s = tx->commit(); !s)
        return s.error();
    return *item;
}

Result<qint64> RecordEditRepository::undelivered(const QString &entity, qint64 id)
{
    // record.update items name "entity:id"; the older kinds name the id alone.
    const QString legacyKind = entity == u"contacts"_s ? u"contact.update"_s
                               : entity == u"accounts"_s ? u"account.notes"_s
                                                         : QString();
    auto st = m_db.prepare("SELECT count(*) FROM outbox WHERE state IN ('pending', 'inflight') AND"
                           " ((kind = 'record.update' AND entity_id = ?1) OR (kind = ?2 AND entity_id = ?3))");
    if (!st)
        return st.error();
    st->bind(1, entity + u':' + QString::number(id)).bind(2, legacyKind).bind(3, QString::number(id));
    auto r = st->step();
    if (!r)
        return r.error();
    const qint64 n = st->int64(0);
    st->reset();
    return n;
}

Status RecordEditRepository::keepRowBeforeDelete(const QString &entity, qint64 id)
{
    if (editableFields(entity).isEmpty())
        return {};
    auto b = base(entity, id);
    if (!b)
        return b.error();
    if (b->isEmpty())
        return {};
    auto current = row(entity, id);
    if (!current)
        return current.error().code == u"storage.record_not_found"_s ? Status() : Status(current.error());
    QJsonObject kept = *current;
    kept.remove(u"id"_s);
    kept.remove(u"version"_s);
    if (entity == u"accounts"_s)
        kept.remove(u"accountId"_s);
    for (auto it = b->constBegin(); it != b->constEnd(); ++it) {
        if (kept.contains(it.key()))
            kept.insert(it.key(), it.value()); // the agreed value, not the unsent edit on the row
    }
    QJsonObject newBase = *b;
    newBase.insert(QLatin1StringView(kDeletedRowKey), kept);
    return ConflictRepository(m_db).setBase(entity, QString::number(id), compact(newBase));
}

Status RecordEditRepository::agree(const QString &entity, qint64 id, const QJsonObject &agreed, bool setLocal)
{
    if (Status s = checkEntity(entity); !s)
        return s;
    const QStringList fields = editableFields(entity);
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.error();
    if (setLocal) {
        for (auto it = agreed.constBegin(); it != agreed.constEnd(); ++it) {
            if (!fields.contains(it.key()) || !it.value().isString())
                continue;
            auto up = m_db.prepare(u"UPDATE %1 SET %2 = ?1 WHERE id = ?2"_s.arg(entity, it.key()).toStdString().c_str());
            if (!up)
                return up.error();
            up->bind(1, it.value().toString()).bindInt64(2, id);
            if (Status s = up->exec(); !s)
                return s;
        }
    }
    auto pending = undelivered(entity, id);
    if (!pending)
        return pending.error();
    ConflictRepository conflicts(m_db);
    if (*pending == 0) {
        if (Status s = conflicts.clearBase(entity, QString::number(id)); !s)
            return s;
    } else {
        auto b = base(entity, id);
        if (!b)
            return b.error();
        QJsonObject newBase = *b;
        for (auto it = agreed.constBegin(); it != agreed.constEnd(); ++it) {
            if (newBase.contains(it.key()))
                newBase.insert(it.key(), it.value());
        }
        if (Status s = conflicts.setBase(entity, QString::number(id), compact(newBase)); !s)
            return s;
    }
    return tx->commit();
}

} // namespace outpost::storage
