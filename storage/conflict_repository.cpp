#include "storage/conflict_repository.h"

#include "storage/database.h"
#include "storage/repo_util.h"

#include <QJsonDocument>

using namespace Qt::Literals::StringLiterals;

namespace outpost::storage {

namespace {

#define CONFLICT_COLUMNS                                                                                     \
    "id, entity, entity_id, field, base, mine, theirs, created_at, resolved_at, resolution"

ConflictRow readConflict(const Statement &st)
{
    ConflictRow c;
    c.id = st.int64(0);
    c.entity = st.text(1);
    c.entityId = st.text(2);
    c.field = st.text(3);
    c.base = st.text(4);
    c.mine = st.text(5);
    c.theirs = st.text(6);
    c.createdAt = st.dateTime(7);
    c.resolvedAt = st.dateTime(8);
    c.resolution = st.text(9);
    return c;
}

Result<QList<ConflictRow>> readConflicts(Statement &st)
{
    return detail::collectRows(st, readConflict);
}

Status checkEntity(const QString &entity, const QString &entityId)
{
    if (entity.isEmpty() || entityId.isEmpty())
        return Error::invalid(u"storage.missing_field"_s, u"An entity and its id are required."_s,
                              entity.isEmpty() ? u"entity"_s : u"entityId"_s);
    return {};
}

} // namespace

Result<qint64> ConflictRepository::record(const ConflictRow &c)
{
    if (Status s = checkEntity(c.entity, c.entityId); !s)
        return s.error();
    if (c.field.isEmpty())
        return Error::invalid(u"storage.missing_field"_s, u"A conflict names its field."_s, u"field"_s);
    if (!c.createdAt.isValid())
        return Error::invalid(u"storage.invalid_time"_s, u"A conflict needs its time."_s, u"createdAt"_s);
    auto st = m_db.prepare("INSERT INTO conflicts (entity, entity_id, field, base, mine, theirs, created_at) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!st)
        return st.error();
    st->bind(1, c.entity).bind(2, c.entityId).bind(3, c.field).bind(4, c.base).bind(5, c.mine);
    st->bind(6, c.theirs).bind(7, c.createdAt);
    if (Status s = st->exec(); !s)
        return s.error();
    const qint64 id = m_db.lastInsertRowId();
    qCInfo(lcStorage) << "conflict recorded" << id << c.entity << c.entityId << c.field;
    return id;
}

Result<QList<ConflictRow>> ConflictRepository::openConflicts()
{
    auto st = m_db.prepare("SELECT " CONFLICT_COLUMNS " FROM conflicts WHERE resolved_at IS NULL "
                           "ORDER BY id");
    if (!st)
        return st.error();
    return readConflicts(*st);
}

Result<QList<ConflictRow>> ConflictRepository::conflictsFor(const QString &entity, const QString &entityId)
{
    auto st = m_db.prepare("SELECT " CONFLICT_COLUMNS " FROM conflicts "
                           "WHERE entity = ?1 AND entity_id = ?2 ORDER BY id");
    if (!st)
        return st.error();
    st->bind(1, entity).bind(2, entityId);
    return readConflicts(*st);
}

Result<qint64> ConflictRepository::openCount()
{
    return detail::scalarInt(m_db, "SELECT count(*) FROM conflicts WHERE resolved_at IS NULL");
}

Status ConflictRepository::resolve(qint64 id, const QString &resolution, const QDateTime &now)
{
    if (resolution != u"mine"_s && resolution != u"theirs"_s && resolution != u"merged"_s)
        return Error::invalid(u"storage.invalid_resolution"_s,
                              u"A conflict is resolved as mine, theirs or merged."_s, u"resolution"_s);
    if (!now.isValid())
        return Error::invalid(u"storage.invalid_time"_s, u"Resolving needs a valid time."_s, u"now"_s);
    auto st = m_db.prepare("UPDATE conflicts SET resolved_at = ?2, resolution = ?3 "
                           "WHERE id = ?1 AND resolved_at IS NULL");
    if (!st)
        return st.error();
    st->bind(1, id).bind(2, now).bind(3, resolution);
    if (Status s = st->exec(); !s)
        return s;
    if (m_db.changes() == 1)
        return {};
    auto exists = m_db.prepare("SELECT 1 FROM conflicts WHERE id = ?1");
    if (!exists)
        return exists.error();
    exists->bind(1, id);
    auto row = exists->step();
    if (!row)
        return row.error();
    if (!*row)
        return detail::notFound(u"storage.conflict_not_found"_s, u"No such conflict."_s);
    return Error::make(ErrorKind::Conflict, u"storage.conflict_resolved"_s,
                       u"This conflict is already resolved."_s);
}

Status ConflictRepository::setBase(const QString &entity, const QString &entityId, const QByteArray &json)
{
    if (Status s = checkEntity(entity, entityId); !s)
        return s;
    if (QJsonDocument::fromJson(json).isNull())
        return Error::invalid(u"storage.invalid_payload"_s, u"A base version must be JSON."_s, u"json"_s);
    auto st = m_db.prepare("INSERT INTO record_base (entity, entity_id, json) VALUES (?1, ?2, ?3) "
                           "ON CONFLICT (entity, entity_id) DO UPDATE SET json = excluded.json");
    if (!st)
        return st.error();
    st->bind(1, entity).bind(2, entityId).bindText(3, json);
    return st->exec();
}

Result<bool> ConflictRepository::setBaseIfAbsent(const QString &entity, const QString &entityId,
                                                 const QByteArray &json)
{
    if (Status s = checkEntity(entity, entityId); !s)
        return s.error();
    if (QJsonDocument::fromJson(json).isNull())
        return Error::invalid(u"storage.invalid_payload"_s, u"A base version must be JSON."_s, u"json"_s);
    auto st = m_db.prepare("INSERT INTO record_base (entity, entity_id, json) VALUES (?1, ?2, ?3) "
                           "ON CONFLICT (entity, entity_id) DO NOTHING");
    if (!st)
        return st.error();
    st->bind(1, entity).bind(2, entityId).bindText(3, json);
    if (Status s = st->exec(); !s)
        return s.error();
    return m_db.changes() == 1;
}

Result<std::optional<QByteArray>> ConflictRepository::base(const QString &entity, const QString &entityId)
{
    auto st = m_db.prepare("SELECT json FROM record_base WHERE entity = ?1 AND entity_id = ?2");
    if (!st)
        return st.error();
    st->bind(1, entity).bind(2, entityId);
    auto row = st->step();
    if (!row)
        return row.error();
    if (!*row)
        return std::optional<QByteArray>();
    return std::optional<QByteArray>(st->textUtf8(0));
}

Status ConflictRepository::clearBase(const QString &entity, const QString &entityId)
{
    auto st = m_db.prepare("DELETE FROM record_base WHERE entity = ?1 AND entity_id = ?2");
    if (!st)
        return st.error();
    st->bind(1, entity).bind(2, entityId);
    return st->exec();
}

} // namespace outpost::storage
