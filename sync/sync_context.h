// What every step of a sync pass shares: the replica connection (one per thread), the session,
// the device clock (shifted by --clock-offset in tests; nothing correct depends on it: cursors are
// server seqs), progress reporting and cancellation.
#pragma once

#include "domain/result.h"

#include <QDateTime>
#include <QString>

#include <chrono>
#include <functional>

namespace outpost::storage {
class Database;
}

namespace outpost::sync {

class ApiSession;

struct Clock
{
    std::chrono::seconds offset{0};
    QDateTime now() const { return QDateTime::currentDateTimeUtc().addSecs(offset.count()); }
};

struct Progress
{
    QString phase; // "bootstrap", "pull", "push", "verify"
    double fraction = 0; // 0..1 of the phase
    QString text;
    qint64 rows = 0;
    qint64 bytes = 0;
    qint64 totalBytes = 0;
    std::chrono::seconds eta{-1}; // -1 = unknown
};

struct SyncContext
{
    storage::Database &db;
    ApiSession &api;
    QString replicaPath;
    Clock clock;
    std::function<void(const Progress &)> progress;
    std::function<bool()> cancelled;

    void report(const Progress &p) const
    {
        if (progress)
            progress(p);
    }
    bool isCancelled() const { return cancelled && cancelled(); }
};

inline Error cancelledError()
{
    return Error::make(ErrorKind::Transient, QStringLiteral("sync.cancelled"), QStringLiteral("Sync was stopped."));
}

} // namespace outpost::sync
