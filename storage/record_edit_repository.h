// Local edits of the records both sides edit (accounts, contacts, addresses), generic by field:
// the row changes, the last agreed version of each edited field is kept in record_base (the base
// of the server's three-way merge) and a "record.update" outbox item {entity, id, accountId,
// changes} is written, all in ONE transaction. When the server has answered, agree() records the
// new agreed values (and the server's value of a conflicted field on the row); the base goes when
// nothing about the record is left to send.
#pragma once

#include "domain/result.h"
#include "storage/records.h"

#include <QDateTime>
#include <QJsonObject>
#include <QStringList>

namespace outpost::storage {

class Database;

class RecordEditRepository
{
public:
    explicit RecordEditRepository(Database &db) : m_db(db) {}

    // accounts: notes, phone, email; contacts: name, role, phone, email; addresses: kind, line1,
    // line2, city, postcode, country. Empty for an unknown entity.
    static QStringList editableFields(const QString &entity);

    // Errors: "storage.unknown_entity", "storage.field_not_editable" (field = the key),
    // "storage.invalid_value", "storage.record_not_found", "storage.nothing_changed".
    Result<OutboxItem> edit(const QString &entity, qint64 id, const QJsonObject &changes, const QDateTime &now);
    // The editable fields plus id, accountId (contacts, addresses; accounts: id) and version.
    Result<QJsonObject> row(const QString &entity, qint64 id);
    // The stored base (empty object when none).
    Result<QJsonObject> base(const QString &entity, qint64 id);
    // The server agreed on these field values: they become the base; with setLocal they are also
    // written onto the row (the server kept its value). The base is cleared when no outbox item of
    // the record is pending or inflight any more.
    Status agree(const QString &entity, qint64 id, const QJsonObject &agreed, bool setLocal);
    // Before the server's delete of a record with edits still unsent removes the row: keep the
    // row's last agreed version (accountId, editable fields; agreed values for the edited ones) in
    // the base under kDeletedRowKey, so "keep mine" can create the record again. No-op when the
    // record has no base (nothing unsent) or no row.
    Status keepRowBeforeDelete(const QString &entity, qint64 id);
    static constexpr const char *kDeletedRowKey = "_row";
    Result<qint64> undelivered(const QString &entity, qint64 id);

private:
    Database &m_db;
};

} // namespace outpost::storage
