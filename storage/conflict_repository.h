// Conflicts the sync engine found (one row per entity field: base, mine, theirs), kept until the
// user resolves them, and record_base: per entity, the JSON of the last version both sides agreed
// on, the base of a three-way merge. Nothing is dropped or overwritten silently.
#pragma once

#include "domain/result.h"
#include "storage/records.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>

#include <optional>

namespace outpost::storage {

class Database;

class ConflictRepository
{
public:
    explicit ConflictRepository(Database &db) : m_db(db) {}

    // Stores an open conflict; returns its id. entity, entityId and field are required.
    Result<qint64> record(const ConflictRow &conflict);
    Result<QList<ConflictRow>> openConflicts();
    Result<QList<ConflictRow>> conflictsFor(const QString &entity, const QString &entityId);
    Result<qint64> openCount();
    // resolution: "mine", "theirs" or "merged". Resolving twice is "storage.conflict_resolved".
    Status resolve(qint64 id, const QString &resolution, const QDateTime &now);

    Status setBase(const QString &entity, const QString &entityId, const QByteArray &json);
    // Keeps an existing base (the agreed version before the first unsynced local edit).
    Result<bool> setBaseIfAbsent(const QString &entity, const QString &entityId, const QByteArray &json);
    Result<std::optional<QByteArray>> base(const QString &entity, const QString &entityId);
    Status clearBase(const QString &entity, const QString &entityId);

private:
    Database &m_db;
};

} // namespace outpost::storage
