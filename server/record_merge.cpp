#include "server/record_merge.h"

#include "server/database.h"

#include <QJsonArray>
#include <QLoggingCategory>
#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace outpost::server {

namespace {

Q_LOGGING_CATEGORY(lcMerge, "outpost.server")

constexpr qsizetype kMaxFieldLength = 1000;
constexpr qint64 kMaxId = std::numeric_limits<qint64>::max() / 2;

Error rejected(const QString &code, const QString &text, const QString &field)
{
    return Error{ErrorKind::Rejected, code, text, {}, field};
}

Error notFound(const QString &field)
{
    return Error{ErrorKind::NotFound, u"record.not_found"_s, u"This record does not exist."_s, {}, field};
}

QJsonObject errorObject(const QString &code, const QString &message)
{
    return QJsonObject{{u"code"_s, code}, {u"message"_s, message}};
}

// The row as in /v1/changes (camelCase, no tenant_id), or nullopt when it does not exist.
Result<std::optional<QJsonObject>> readRow(Database &db, qint64 tenantId, RecordEntity entity, qint64 id)
{
    auto q = db.exec(u"SELECT * FROM "_s + recordTable(entity) + u" WHERE tenant_id = ? AND id = ?"_s, {tenantId, id});
    if (!q)
        return q.error();
    if (!q->next())
        return std::optional<QJsonObject>();
    return std::optional<QJsonObject>(rowToJson(*q, {u"tenant_id"_s}));
}

qint64 accountOf(RecordEntity entity, const QJsonObject &row)
{
    return entity == RecordEntity::Account ? row.value(u"id"_s).toInteger() : row.value(u"accountId"_s).toInteger();
}

// The account a deleted row belonged to (from its tombstone), or nullopt when nothing was deleted.
Result<std::optional<qint64>> tombstoneAccount(Database &db, qint64 tenantId, RecordEntity entity, qint64 id)
{
    auto q = db.exec(u"SELECT account_id FROM tombstones WHERE tenant_id = ? AND entity = ? AND entity_id = ? "
                     "ORDER BY seq DESC LIMIT 1"_s,
                     {tenantId, recordTable(entity), QString::number(id)});
    if (!q)
        return q.error();
    if (!q->next())
        return std::optional<qint64>();
    return std::optional<qint64>(q->value(0).toLongLong());
}

Result<RecordEntity> readEntity(JsonReader &r)
{
    const QString name = r.string(u"entity"_s, true, 20);
    if (r.failed())
        return r.finish().error();
    const auto entity = recordEntityFromName(name);
    if (!entity)
        return Error::invalid(u"request.bad_value"_s, u"The entity must be accounts, contacts or addresses."_s,
                              u"payload.entity"_s);
    return *entity;
}

// Checks that every key of `fields` is editable and a string of sane length.
Status checkFields(RecordEntity entity, const QJsonObject &fields, const QString &path,
                   const QStringList &alsoAllowed = {})
{
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        const QString field = path + u'.' + it.key();
        if (alsoAllowed.contains(it.key()))
            continue;
        if (!editableFields(entity).contains(it.key()))
            return rejected(u"record.field_not_editable"_s, u"This field cannot be edited on a device."_s, field);
        if (!it.value().isString())
            return Error::invalid(u"request.wrong_type"_s, u"The value must be a string."_s, field);
        if (it.value().toString().size() > kMaxFieldLength)
            return Error::invalid(u"request.too_long"_s,
                                  u"The value is longer than %1 characters."_s.arg(kMaxFieldLength), field);
    }
    return {};
}

Status audit(ServerContext &ctx, const Caller &caller, const QString &action, RecordEntity entity, qint64 id,
             const QString &detail)
{
    auto q = ctx.db->exec(u"INSERT INTO audit_log (tenant_id, user_id, action, entity, entity_id, at, detail) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)"_s,
                     {caller.tenantId, caller.userId, action, recordTable(entity), QString::number(id),
                      isoUtc(ctx.now()), detail.isNull() ? u""_s : detail});
    if (!q)
        return q.error();
    return {};
}

} // namespace

std::optional<RecordEntity> recordEntityFromName(const QString &name)
{
    if (name == u"accounts"_s)
        return RecordEntity::Account;
    if (name == u"contacts"_s)
        return RecordEntity::Contact;
    if (name == u"addresses"_s)
        return RecordEntity::Address;
    return std::nullopt;
}

QString recordTable(RecordEntity entity)
{
    switch (entity) {
    case RecordEntity::Account:
        return u"accounts"_s;
    case RecordEntity::Contact:
        return u"contacts"_s;
    case RecordEntity::Address:
        return u"addresses"_s;
    }
    return {};
}

const QStringList &editableFields(RecordEntity entity)
{
    static const QStringList account{u"phone"_s, u"email"_s, u"notes"_s};
    static const QStringList contact{u"name"_s, u"role"_s, u"phone"_s, u"email"_s};
    static const QStringList address{u"line1"_s, u"line2"_s, u"city"_s, u"postcode"_s, u"country"_s};
    switch (entity) {
    case RecordEntity::Account:
        return account;
    case RecordEntity::Contact:
        return contact;
    case RecordEntity::Address:
        return address;
    }
    return account;
}

QJsonObject FieldConflict::toJson() const
{
    return QJsonObject{{u"field"_s, field}, {u"base"_s, base}, {u"mine"_s, mine}, {u"theirs"_s, theirs}};
}

FieldMerge mergeFields(const QJsonObject &server, const QJsonObject &base, const QJsonObject &changes)
{
    FieldMerge m;
    for (auto it = changes.begin(); it != changes.end(); ++it) {
        const QJsonValue theirs = server.value(it.key());
        const QJsonValue agreed = base.value(it.key());
        if (theirs == it.value())
            continue; // both sides made the same edit
        if (theirs == agreed)
            m.apply.insert(it.key(), it.value());
        else
            m.conflicts.push_back({it.key(), agreed, it.value(), theirs});
    }
    return m;
}

Result<RecordAnswer> applyRecordUpdate(ServerContext &ctx, const Caller &caller, const QJsonObject &payload,
                                       qint64 seq)
{
    Database &db = *ctx.db;
    JsonReader r(payload, u"payload"_s);
    auto entity = readEntity(r);
    if (!entity)
        return entity.error();
    const qint64 id = r.integer(u"id"_s, true, 1, kMaxId);
    const QJsonObject base = r.object(u"base"_s);
    const QJsonObject changes = r.object(u"changes"_s);
    if (auto s = r.finish(); !s)
        return s.error();
    if (changes.isEmpty())
        return Error::invalid(u"request.empty_changes"_s, u"Name at least one field to change."_s,
                              u"payload.changes"_s);
    if (auto s = checkFields(*entity, changes, u"payload.changes"_s); !s)
        return s.error();
    if (auto s = checkFields(*entity, base, u"payload.base"_s); !s)
        return s.error();
    for (auto it = changes.begin(); it != changes.end(); ++it) {
        if (!base.contains(it.key()))
            return Error::invalid(u"request.missing_field"_s, u"The base needs every changed field."_s,
                                  u"payload.base."_s + it.key());
    }

    auto row = readRow(db, caller.tenantId, *entity, id);
    if (!row)
        return row.error();
    if (!row->has_value()) {
        auto gone = tombstoneAccount(db, caller.tenantId, *entity, id);
        if (!gone)
            return gone.error();
        if (!gone->has_value() || (**gone != 0 && !canSeeAccount(ctx, caller, **gone)))
            return notFound(u"payload.id"_s);
        QJsonArray conflicts;
        for (auto it = changes.begin(); it != changes.end(); ++it)
            conflicts.append(FieldConflict{it.key(), base.value(it.key()), it.value(), QJsonValue::Null}.toJson());
        return RecordAnswer{409, QJsonObject{{u"error"_s, errorObject(u"record.deleted"_s,
                                                                       u"This record was deleted on the server."_s)},
                                             {u"entity"_s, recordTable(*entity)},
                                             {u"id"_s, id},
                                             {u"conflicts"_s, conflicts}}};
    }
    const QJsonObject &server = **row;
    if (!canSeeAccount(ctx, caller, accountOf(*entity, server)))
        return notFound(u"payload.id"_s);

    const FieldMerge merge = mergeFields(server, base, changes);
    QJsonObject record = server;
    if (!merge.apply.isEmpty()) {
        QStringList sets;
        QVariantList binds;
        for (auto it = merge.apply.begin(); it != merge.apply.end(); ++it) {
            sets << it.key() + u" = ?"_s; // editable wire names equal their column names
            binds << it.value().toString();
        }
        binds << seq << caller.tenantId << id;
        auto q = db.execList(u"UPDATE "_s + recordTable(*entity) + u" SET "_s + sets.join(u", "_s) +
                                 u", version = version + 1, seq = ? WHERE tenant_id = ? AND id = ?"_s,
                             binds);
        if (!q)
            return q.error();
        auto after = readRow(db, caller.tenantId, *entity, id);
        if (!after)
            return after.error();
        if (after->has_value())
            record = **after;
        if (auto s = audit(ctx, caller, u"record.update"_s, *entity, id,
                           u"fields=%1 conflicts=%2"_s.arg(merge.apply.keys().join(u','))
                               .arg(merge.conflicts.size()));
            !s)
            return s.error();
    }
    QJsonArray conflicts;
    for (const FieldConflict &c : merge.conflicts)
        conflicts.append(c.toJson());
    qCDebug(lcMerge) << "record update" << recordTable(*entity) << id << "applied" << merge.apply.size()
                     << "conflicts" << merge.conflicts.size();
    return RecordAnswer{200, QJsonObject{{u"entity"_s, recordTable(*entity)},
                                         {u"id"_s, id},
                                         {u"outcome"_s, merge.conflicts.empty() ? u"merged"_s : u"conflict"_s},
                                         {u"applied"_s, QJsonArray::fromStringList(merge.apply.keys())},
                                         {u"conflicts"_s, conflicts},
                                         {u"version"_s, record.value(u"version"_s)},
                                         {u"record"_s, record}}};
}

Result<RecordAnswer> applyRecordCreate(ServerContext &ctx, const Caller &caller, const QJsonObject &payload,
                                       qint64 seq)
{
    Database &db = *ctx.db;
    JsonReader r(payload, u"payload"_s);
    auto entity = readEntity(r);
    if (!entity)
        return entity.error();
    const QString tempId = r.string(u"tempId"_s, true, 100);
    const QJsonObject values = r.object(u"values"_s);
    if (auto s = r.finish(); !s)
        return s.error();
    if (*entity == RecordEntity::Account)
        return rejected(u"record.not_creatable"_s, u"Accounts are created in the back office."_s, u"payload.entity"_s);
    const QStringList structural = *entity == RecordEntity::Address ? QStringList{u"accountId"_s, u"kind"_s}
                                                                    : QStringList{u"accountId"_s};
    if (auto s = checkFields(*entity, values, u"payload.values"_s, structural); !s)
        return s.error();
    JsonReader v(values, u"payload.values"_s);
    const qint64 accountId = v.integer(u"accountId"_s, true, 1, kMaxId);
    QString kind = u"shipping"_s;
    if (*entity == RecordEntity::Address && values.contains(u"kind"_s)) {
        kind = v.string(u"kind"_s, true, 20);
        if (!v.failed() && kind != u"billing"_s && kind != u"shipping"_s)
            return Error::invalid(u"request.bad_value"_s, u"kind must be billing or shipping."_s,
                                  u"payload.values.kind"_s);
    }
    if (v.failed())
        return v.finish().error();
    if (*entity == RecordEntity::Contact && values.value(u"name"_s).toString().trimmed().isEmpty())
        return Error::invalid(u"request.missing_field"_s, u"A contact needs a name."_s, u"payload.values.name"_s);
    if (!canSeeAccount(ctx, caller, accountId))
        return Error{ErrorKind::NotFound, u"account.not_found"_s, u"This account does not exist."_s, {},
                     u"payload.values.accountId"_s};

    const QString email = values.value(u"email"_s).toString().trimmed();
    if (*entity == RecordEntity::Contact && !email.isEmpty()) {
        auto q = db.exec(u"SELECT * FROM contacts WHERE tenant_id = ? AND account_id = ? AND LOWER(email) = LOWER(?) "
                         "ORDER BY id LIMIT 1"_s,
                         {caller.tenantId, accountId, email});
        if (!q)
            return q.error();
        if (q->next())
            return RecordAnswer{409, QJsonObject{{u"error"_s, errorObject(u"record.duplicate"_s,
                                                                           u"This account already has a contact "
                                                                           "with this email."_s)},
                                                 {u"entity"_s, u"contacts"_s},
                                                 {u"tempId"_s, tempId},
                                                 {u"existing"_s, rowToJson(*q, {u"tenant_id"_s})}}};
    }

    QStringList columns{u"tenant_id"_s, u"account_id"_s};
    QVariantList binds{caller.tenantId, accountId};
    if (*entity == RecordEntity::Address) {
        columns << u"kind"_s;
        binds << kind;
    }
    for (const QString &f : editableFields(*entity)) {
        if (values.contains(f)) {
            columns << f;
            binds << values.value(f).toString();
        }
    }
    columns << u"version"_s << u"seq"_s;
    binds << 1 << seq;
    auto q = db.execList(u"INSERT INTO "_s + recordTable(*entity) + u" ("_s + columns.join(u", "_s) + u") VALUES ("_s +
                             QStringList(columns.size(), u"?"_s).join(u", "_s) + u") RETURNING id"_s,
                         binds);
    if (!q)
        return q.error();
    if (!q->next())
        return Error::make(ErrorKind::Internal, u"db.error"_s, u"A database error occurred."_s, u"no id returned"_s);
    const qint64 id = q->value(0).toLongLong();
    q->finish();
    auto row = readRow(db, caller.tenantId, *entity, id);
    if (!row)
        return row.error();
    if (auto s = audit(ctx, caller, u"record.create"_s, *entity, id, {}); !s)
        return s.error();
    return RecordAnswer{200, QJsonObject{{u"entity"_s, recordTable(*entity)},
                                         {u"outcome"_s, u"created"_s},
                                         {u"tempId"_s, tempId},
                                         {u"id"_s, id},
                                         {u"record"_s, row->value_or(QJsonObject())}}};
}

Result<RecordAnswer> applyRecordDelete(ServerContext &ctx, const Caller &caller, const QJsonObject &payload,
                                       qint64 seq)
{
    Database &db = *ctx.db;
    JsonReader r(payload, u"payload"_s);
    auto entity = readEntity(r);
    if (!entity)
        return entity.error();
    const qint64 id = r.integer(u"id"_s, true, 1, kMaxId);
    const QJsonObject base = r.object(u"base"_s);
    if (auto s = r.finish(); !s)
        return s.error();
    if (*entity == RecordEntity::Account)
        return rejected(u"record.not_deletable"_s, u"Accounts are closed in the back office."_s, u"payload.entity"_s);
    if (auto s = checkFields(*entity, base, u"payload.base"_s); !s)
        return s.error();

    auto row = readRow(db, caller.tenantId, *entity, id);
    if (!row)
        return row.error();
    if (!row->has_value()) {
        auto gone = tombstoneAccount(db, caller.tenantId, *entity, id);
        if (!gone)
            return gone.error();
        if (!gone->has_value() || (**gone != 0 && !canSeeAccount(ctx, caller, **gone)))
            return notFound(u"payload.id"_s);
        // Deleted on both sides: nothing left to do.
        return RecordAnswer{200, QJsonObject{{u"entity"_s, recordTable(*entity)},
                                             {u"id"_s, id},
                                             {u"outcome"_s, u"already_deleted"_s}}};
    }
    const QJsonObject &server = **row;
    const qint64 accountId = accountOf(*entity, server);
    if (!canSeeAccount(ctx, caller, accountId))
        return notFound(u"payload.id"_s);

    QJsonArray conflicts;
    for (const QString &f : editableFields(*entity)) {
        if (base.contains(f) && base.value(f) != server.value(f))
            conflicts.append(FieldConflict{f, base.value(f), QJsonValue::Null, server.value(f)}.toJson());
    }
    if (!conflicts.isEmpty())
        return RecordAnswer{409, QJsonObject{{u"error"_s, errorObject(u"record.edit_conflict"_s,
                                                                       u"This record was edited on the server "
                                                                       "since you last saw it."_s)},
                                             {u"entity"_s, recordTable(*entity)},
                                             {u"id"_s, id},
                                             {u"conflicts"_s, conflicts},
                                             {u"theirs"_s, server}}};

    auto del = db.exec(u"DELETE FROM "_s + recordTable(*entity) + u" WHERE tenant_id = ? AND id = ?"_s,
                       {caller.tenantId, id});
    if (!del)
        return del.error();
    auto tomb = db.exec(u"INSERT INTO tombstones (tenant_id, entity, entity_id, account_id, seq) VALUES (?, ?, ?, ?, ?)"_s,
                        {caller.tenantId, recordTable(*entity), QString::number(id), accountId, seq});
    if (!tomb)
        return tomb.error();
    if (auto s = audit(ctx, caller, u"record.delete"_s, *entity, id, {}); !s)
        return s.error();
    return RecordAnswer{200,
                        QJsonObject{{u"entity"_s, recordTable(*entity)}, {u"id"_s, id}, {u"outcome"_s, u"deleted"_s}}};
}

} // namespace outpost::server
