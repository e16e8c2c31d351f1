#include "sync/local_ops.h"

#include "storage/conflict_repository.h"
#include "storage/database.h"
#include "storage/outbox_repository.h"
#include "storage/record_edit_repository.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace outpost::sync {

namespace {
constexpr int kMaxExport = 10000; // the outbox hands out at most this many at once
}

bool canKeepMine(const QString &entity, const QString &field)
{
    return !field.startsWith(u"_record:"_s) || (field == u"_record:deleted"_s && entity != u"accounts"_s);
}

Status resolveConflict(storage::Database &db, qint64 id, const QString &resolution, const QDateTime &now)
{
    if (resolution != u"mine"_s && resolution != u"theirs"_s)
        return Error::invalid(u"conflict.bad_resolution"_s, u"Keep either mine or theirs."_s, u"resolution"_s);
    auto open = storage::ConflictRepository(db).openConflicts();
    if (!open)
        return open.error();
    std::optional<storage::ConflictRow> conflict;
    for (const storage::ConflictRow &c : std::as_const(*open)) {
        if (c.id == id)
            conflict = c;
    }
    if (!conflict)
        return Error::make(ErrorKind::NotFound, u"conflict.not_found"_s, u"No open conflict with this id."_s);
    if (resolution == u"mine"_s && !canKeepMine(conflict->entity, conflict->field))
        return Error::invalid(u"conflict.keep_theirs_only"_s,
                              u"This conflict can only be closed by keeping the server's version."_s);
    auto tx = storage::Transaction::begin(db);
    if (!tx)
        return tx.error();
    // Several unsent edits of a record the server deleted each met the delete: keeping mine
    // creates the record once, with all of them (oldest first), and closes them together.
    QList<qint64> closes{id};
    if (resolution == u"mine"_s) {
        if (conflict->field == u"_record:deleted"_s) {
            // The row was deleted on the server: create it again with the agreed values plus mine.
            // Only what a create takes: the owning account and the editable fields.
            const QStringList fields = storage::RecordEditRepository::editableFields(conflict->entity);
            QJsonObject merged = QJsonDocument::fromJson(conflict->base.toUtf8()).object();
            QList<storage::ConflictRow> same;
            for (const storage::ConflictRow &c : std::as_const(*open)) {
                if (c.entity == conflict->entity && c.entityId == conflict->entityId && c.field == conflict->field)
                    same << c;
            }
            std::sort(same.begin(), same.end(), [](const auto &a, const auto &b) { return a.id < b.id; });
            closes.clear();
            for (const storage::ConflictRow &c : std::as_const(same)) {
                const QJsonObject mine = QJsonDocument::fromJson(c.mine.toUtf8()).object();
                for (auto it = mine.constBegin(); it != mine.constEnd(); ++it)
                    merged.insert(it.key(), it.value());
                closes << c.id;
            }
            QJsonObject values;
            for (auto it = merged.constBegin(); it != merged.constEnd(); ++it) {
                if (it.key() == u"accountId"_s || fields.contains(it.key()))
                    values.insert(it.key(), it.value());
            }
            if (!values.contains(u"accountId"_s))
                return Error::invalid(u"conflict.keep_theirs_only"_s,
                                      u"This record was deleted on the server and cannot be created again from "
                                      "this device; keep the server's version."_s);
            const QJsonObject payload{{u"entity"_s, conflict->entity},
                                      {u"tempId"_s, QUuid::createUuid().toString(QUuid::WithoutBraces)},
                                      {u"values"_s, values}};
            auto item = storage::OutboxRepository(db).enqueue(u"record.create"_s, conflict->entity + u":new"_s,
                                                              QJsonDocument(payload).toJson(QJsonDocument::Compact), now);
            if (!item)
                return item.error();
        } else {
            auto item = storage::RecordEditRepository(db).edit(conflict->entity, conflict->entityId.toLongLong(),
                                                               QJsonObject{{conflict->field, conflict->mine}}, now);
            if (!item && item.error().code != u"storage.nothing_changed"_s)
                return item.error();
        }
    }
    for (qint64 c : std::as_const(closes)) {
        if (Status s = storage::ConflictRepository(db).resolve(c, resolution, now); !s)
            return s;
    }
    return tx->commit();
}

Result<ExportResult> exportPendingCommands(storage::Database &db)
{
    storage::OutboxRepository outbox(db);
    auto tx = storage::Transaction::begin(db);
    if (!tx)
        return tx.error();
    if (auto r = outbox.recoverInflight(); !r)
        return r.error();
    // Every pending item whatever its retry time: the far future is "due".
    auto pending = outbox.due(QDateTime(QDate(9999, 12, 31), QTime(0, 0), Qt::UTC), kMaxExport);
    if (!pending)
        return pending.error();
    if (pending->size() >= kMaxExport)
        return Error::make(ErrorKind::Invalid, u"sync.export_too_large"_s,
                           u"More than %1 changes wait to be sent; sync before exporting."_s.arg(kMaxExport));
    auto failed = outbox.failedItems();
    if (!failed)
        return failed.error();
    if (Status s = tx->commit(); !s)
        return s.error();
    QJsonArray items;
    for (const QList<storage::OutboxItem> *list : {&*pending, &*failed}) {
        for (const storage::OutboxItem &i : *list)
            items.append(QJsonObject{{u"commandId"_s, i.commandId},
                                     {u"kind"_s, i.kind},
                                     {u"entityId"_s, i.entityId},
                                     {u"payload"_s, QJsonDocument::fromJson(i.payload).object()},
                                     {u"createdAt"_s, i.createdAt.toString(Qt::ISODateWithMs)},
                                     {u"state"_s, storage::OutboxItem::stateName(i.state)}});
    }
    return ExportResult{QJsonDocument(QJsonObject{{u"commands"_s, items}}).toJson(), int(items.size())};
}

Result<QByteArray> exportPending(storage::Database &db)
{
    auto r = exportPendingCommands(db);
    if (!r)
        return r.error();
    return r->json;
}

Result<ImportCounts> importPending(storage::Database &db, const QByteArray &json, const QDateTime &now)
{
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.object().value(u"commands"_s).isArray())
        return Error::invalid(u"sync.bad_export_file"_s, u"This is not an export-pending file."_s);
    const QJsonArray commands = doc.object().value(u"commands"_s).toArray();
    for (const QJsonValue &v : commands) {
        const QJsonObject c = v.toObject();
        if (c.value(u"commandId"_s).toString().isEmpty() || c.value(u"kind"_s).toString().isEmpty() ||
            !c.value(u"payload"_s).isObject())
            return Error::invalid(u"sync.bad_export_file"_s, u"A command lacks its id, kind or payload."_s);
    }
    storage::OutboxRepository outbox(db);
    auto tx = storage::Transaction::begin(db);
    if (!tx)
        return tx.error();
    ImportCounts counts;
    for (const QJsonValue &v : commands) {
        const QJsonObject c = v.toObject();
        const QString commandId = c.value(u"commandId"_s).toString();
        if (outbox.itemByCommandId(commandId)) {
            ++counts.skipped;
            continue;
        }
        auto item = outbox.enqueue(c.value(u"kind"_s).toString(), c.value(u"entityId"_s).toString(),
                                   QJsonDocument(c.value(u"payload"_s).toObject()).toJson(QJsonDocument::Compact), now,
                                   commandId);
        if (!item)
            return item.error();
        ++counts.added;
    }
    if (Status s = tx->commit(); !s)
        return s.error();
    return counts;
}

} // namespace outpost::sync
