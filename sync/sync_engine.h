// SyncEngine: the sync engine as a QObject for the CLI and the Qt Quick app (issue C). syncNow()
// runs one sync pass (sync_run.h) on a worker thread with its own replica connection and network
// access; state, progress and counts are properties with change signals, updated on the thread
// the engine lives on. No QtGui here.
#pragma once

#include "sync/sync_run.h"

#include <QDateTime>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

class QThread;

namespace outpost::sync {

// The last error as the UI shows it: a stable code, a sentence, and whether it will be retried.
class SyncError
{
    Q_GADGET
    Q_PROPERTY(QString code MEMBER code)
    Q_PROPERTY(QString text MEMBER text)
    Q_PROPERTY(bool isTransient MEMBER isTransient)
public:
    QString code;
    QString text;
    bool isTransient = false;
    bool isEmpty() const { return code.isEmpty(); }
    friend bool operator==(const SyncError &, const SyncError &) = default;
};

class SyncEngine : public QObject
{
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(bool online READ online NOTIFY onlineChanged)
    Q_PROPERTY(double progress READ progress NOTIFY progressChanged)
    Q_PROPERTY(QString progressText READ progressText NOTIFY progressChanged)
    Q_PROPERTY(qint64 pendingCount READ pendingCount NOTIFY countsChanged)
    Q_PROPERTY(qint64 failedCount READ failedCount NOTIFY countsChanged)
    Q_PROPERTY(qint64 conflictCount READ conflictCount NOTIFY countsChanged)
    Q_PROPERTY(QDateTime lastSuccess READ lastSuccess NOTIFY lastSuccessChanged)
    Q_PROPERTY(outpost::sync::SyncError lastError READ lastError NOTIFY lastErrorChanged)

public:
    enum class State { Idle, Bootstrapping, Pulling, Pushing, Offline, Error };
    Q_ENUM(State)

    explicit SyncEngine(const QString &replicaPath, QObject *parent = nullptr);
    ~SyncEngine() override;

    void setOptions(const SyncOptions &options) { m_options = options; }
    void setClockOffset(std::chrono::seconds offset) { m_clock.offset = offset; }
    Clock clock() const { return m_clock; }

    State state() const { return m_state; }
    bool online() const { return m_online; }
    double progress() const { return m_progress; }
    QString progressText() const { return m_progressText; }
    qint64 pendingCount() const { return m_pending; }
    qint64 failedCount() const { return m_failed; }
    qint64 conflictCount() const { return m_conflicts; }
    QDateTime lastSuccess() const { return m_lastSuccess; }
    SyncError lastError() const { return m_lastError; }
    bool isRunning() const { return m_thread != nullptr; }

    // The outcome of the last finished pass (for the CLI): the report, or the error.
    const std::optional<SyncReport> &lastReport() const { return m_lastReport; }

public Q_SLOTS:
    void syncNow();        // no-op while a pass runs (one more pass follows it)
    void cancel();         // stops the running pass at the next safe point
    void refreshCounts();  // re-reads pending/failed/conflict counts and last success

Q_SIGNALS:
    void stateChanged(outpost::sync::SyncEngine::State state);
    void onlineChanged(bool online);
    void progressChanged(double progress, const QString &text);
    void countsChanged();
    void lastSuccessChanged(const QDateTime &at);
    void lastErrorChanged(const outpost::sync::SyncError &error);
    void finished(bool ok);

private:
    void setState(State s);
    void onProgress(const Progress &p);
    void onPassDone(const Result<SyncReport> &result);

    QString m_replicaPath;
    SyncOptions m_options;
    Clock m_clock;
    State m_state = State::Idle;
    bool m_online = true;
    double m_progress = 0;
    QString m_progressText;
    qint64 m_pending = 0;
    qint64 m_failed = 0;
    qint64 m_conflicts = 0;
    QDateTime m_lastSuccess;
    SyncError m_lastError;
    std::optional<SyncReport> m_lastReport;
    QThread *m_thread = nullptr;
    bool m_again = false;
    std::shared_ptr<std::atomic_bool> m_cancel = std::make_shared<std::atomic_bool>(false);
};

// Opens (and migrates) a replica file for this thread.
Result<std::unique_ptr<storage::Database>> openReplica(const QString &path);

} // namespace outpost::sync
