// Records both sides edit (accounts, contacts, addresses): the field-level three-way merge and the
// record.update / record.create / record.delete commands of POST /v1/commands.
//
// Merge rule per changed field, against `base` (the value both sides last agreed on):
//   server == base    -> the change is applied
//   server == change  -> nothing to do (both made the same edit)
//   otherwise         -> the server keeps its value; the field is reported as a conflict
//                        {"field","base","mine","theirs"} for the rep to resolve
// Every applied edit bumps the row's version and stamps it with the batch's seq, so it flows down
// the change feed. Editable fields: accounts phone, email, notes; contacts name, role, phone,
// email; addresses line1, line2, city, postcode, country. Anything else: record.field_not_editable.
#pragma once

#include "domain/result.h"
#include "server/http.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace outpost::server {

class Database;

enum class RecordEntity { Account, Contact, Address };

std::optional<RecordEntity> recordEntityFromName(const QString &name); // "accounts", "contacts", "addresses"
QString recordTable(RecordEntity entity);
// Wire names (camelCase, as in /v1/changes rows) of the fields a device may edit.
const QStringList &editableFields(RecordEntity entity);

struct FieldConflict
{
    QString field;
    QJsonValue base;
    QJsonValue mine;
    QJsonValue theirs;
    QJsonObject toJson() const;
};

struct FieldMerge
{
    QJsonObject apply;                    // field -> new value to write
    std::vector<FieldConflict> conflicts; // fields the server keeps
};

// The pure three-way merge of `changes` into `server` against `base` (all keyed by wire name).
FieldMerge mergeFields(const QJsonObject &server, const QJsonObject &base, const QJsonObject &changes);

// What a record command answers: the HTTP status it would have alone and its body. 4xx business
// outcomes (record.deleted, record.edit_conflict, record.duplicate) are answers, not errors: they
// are stored with the command and replayed.
struct RecordAnswer
{
    int status = 200;
    QJsonObject body;
};

// Run inside the batch's tenant write transaction (seq). Errors: request.* (Invalid, 400) for a
// malformed payload, record.field_not_editable / record.not_creatable / record.not_deletable
// (Rejected, 422), record.not_found (NotFound, 404; also for rows outside the caller's territory),
// db.* otherwise.
Result<RecordAnswer> applyRecordUpdate(ServerContext &ctx, const Caller &caller, const QJsonObject &payload,
                                       qint64 seq);
Result<RecordAnswer> applyRecordCreate(ServerContext &ctx, const Caller &caller, const QJsonObject &payload,
                                       qint64 seq);
Result<RecordAnswer> applyRecordDelete(ServerContext &ctx, const Caller &caller, const QJsonObject &payload,
                                       qint64 seq);

} // namespace outpost::server
