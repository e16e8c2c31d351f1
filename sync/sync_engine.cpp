#include "sync/sync_engine.h"

#include "storage/conflict_repository.h"
#include "storage/database.h"
#include "storage/meta_repository.h"
#include "storage/outbox_repository.h"
#include "storage/schema.h"
#include "sync/session.h"

#include <QThread>

using namespace Qt::Literals::StringLiterals;

namespace outpost::sync {

Result<std::unique_ptr<storage::Database>> openReplica(const QString &path)
{
    auto db = storage::Database::open(path);
    if (!db)
        return db.error();
    if (Status s = storage::migrate(**db); !s)
        return s.error();
    return std::move(*db);
}

SyncEngine::SyncEngine(const QString &replicaPath, QObject *parent) : QObject(parent), m_replicaPath(replicaPath)
{
    refreshCounts();
}

SyncEngine::~SyncEngine()
{
    if (m_thread) {
        m_cancel->store(true);
        m_thread->wait();
        delete m_thread;
    }
}

void SyncEngine::setState(State s)
{
    if (s == m_state)
        return;
    m_state = s;
    Q_EMIT stateChanged(s);
}

void SyncEngine::cancel()
{
    m_cancel->store(true);
}

void SyncEngine::refreshCounts()
{
    auto db = openReplica(m_replicaPath);
    if (!db)
        return;
    auto pending = storage::OutboxRepository(**db).pendingCount();
    auto failed = storage::OutboxRepository(**db).failedItems();
    auto conflicts = storage::ConflictRepository(**db).openCount();
    const QDateTime last = QDateTime::fromString(storage::MetaRepository(**db).valueOr(u"sync.last_success"_s),
                                                 Qt::ISODateWithMs);
    const qint64 p = pending ? *pending : m_pending;
    const qint64 f = failed ? failed->size() : m_failed;
    const qint64 c = conflicts ? *conflicts : m_conflicts;
    if (p != m_pending || f != m_failed || c != m_conflicts) {
        m_pending = p;
        m_failed = f;
        m_conflicts = c;
        Q_EMIT countsChanged();
    }
    if (last.isValid() && last != m_lastSuccess) {
        m_lastSuccess = last;
        Q_EMIT lastSuccessChanged(last);
    }
}

void SyncEngine::onProgress(const Progress &p)
{
    if (p.phase == u"bootstrap"_s)
        setState(State::Bootstrapping);
    else if (p.phase == u"pull"_s)
        setState(State::Pulling);
    else if (p.phase == u"push"_s)
        setState(State::Pushing);
    m_progress = std::clamp(p.fraction, 0.0, 1.0);
    m_progressText = p.text;
    Q_EMIT progressChanged(m_progress, m_progressText);
}

void SyncEngine::syncNow()
{
    if (m_thread) {
        m_again = true;
        return;
    }
    m_cancel->store(false);
    const QString path = m_replicaPath;
    const SyncOptions options = m_options;
    const Clock clock = m_clock;
    auto cancel = m_cancel;
    SyncEngine *self = this; // outlives the thread: the destructor waits for it
    m_thread = QThread::create([path, options, clock, cancel, self] {
        auto finish = [self](Result<SyncReport> r) {
            QMetaObject::invokeMethod(self, [self, r] { self->onPassDone(r); }, Qt::QueuedConnection);
        };
        auto db = openReplica(path);
        if (!db) {
            finish(db.error());
            return;
        }
        ApiSession api(**db);
        SyncContext ctx{**db, api, path, clock, {}, {}};
        ctx.cancelled = [cancel] { return cancel->load(); };
        ctx.progress = [self](const Progress &p) {
            QMetaObject::invokeMethod(self, [self, p] { self->onProgress(p); }, Qt::QueuedConnection);
        };
        finish(runSync(ctx, options));
    });
    setState(State::Pulling);
    m_thread->start();
}

void SyncEngine::onPassDone(const Result<SyncReport> &result)
{
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
        m_thread = nullptr;
    }
    bool ok = false;
    SyncError error;
    if (result) {
        m_lastReport = *result;
        ok = result->complete;
        if (result->push.transient)
            error = SyncError{result->push.transient->code, result->push.transient->userText, true};
    } else {
        m_lastReport.reset();
        error = SyncError{result.error().code, result.error().userText, result.error().isTransient()};
        qCWarning(lcSync) << "sync failed" << result.error().code << result.error().detail;
    }
    const bool offline = !error.isEmpty() && error.isTransient &&
                         (error.code == u"net.offline"_s || error.code.startsWith(u"net."_s));
    if (offline == m_online) {
        m_online = !offline;
        Q_EMIT onlineChanged(m_online);
    }
    if (!(error == m_lastError)) {
        m_lastError = error;
        Q_EMIT lastErrorChanged(error);
    }
    setState(error.isEmpty() ? State::Idle : offline ? State::Offline : State::Error);
    refreshCounts();
    Q_EMIT finished(ok && error.isEmpty());
    if (m_again) {
        m_again = false;
        syncNow();
    }
}

} // namespace outpost::sync
