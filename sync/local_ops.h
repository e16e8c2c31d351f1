// Replica-only operations shared by `outpost-sync` and the app: resolving a conflict (keeping
// mine writes the edit and its outbox row; "_record:*" conflicts have their own rules), and moving
// undelivered commands between devices (export-pending / import-pending). Each write is one
// transaction; bad input changes nothing.
#pragma once

#include "domain/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace outpost::storage {
class Database;
}

namespace outpost::sync {

// resolution: "mine" or "theirs". Errors: "conflict.bad_resolution", "conflict.not_found",
// "conflict.keep_theirs_only" (a "_record:*" conflict other than "_record:deleted" kept as mine, or
// a deleted record this device cannot create again: an account, or no owning account known).
Status resolveConflict(storage::Database &db, qint64 id, const QString &resolution, const QDateTime &now);

// Whether keeping mine is possible for a conflict: plain fields, and "_record:deleted" of a record
// the device may create again (contacts, addresses; not accounts).
bool canKeepMine(const QString &entity, const QString &field);

// Every pending (and inflight, after a crash) and failed command as the export-pending JSON:
// {"commands":[{commandId, kind, entityId, payload, createdAt, state}]}.
struct ExportResult
{
    QByteArray json;
    int count = 0;
};
Result<ExportResult> exportPendingCommands(storage::Database &db);
Result<QByteArray> exportPending(storage::Database &db);

struct ImportCounts
{
    int added = 0;
    int skipped = 0; // already here (same command id)
};
// Queues the commands of an export file with their command ids. "sync.bad_export_file" when the
// document is not one (nothing is queued then).
Result<ImportCounts> importPending(storage::Database &db, const QByteArray &json, const QDateTime &now);

} // namespace outpost::sync
