// SyncScheduler decides when the engine syncs: once on start, when connectivity comes back, every
// `interval`, a short `debounce` after a local change, and after a transient failure with
// exponential backoff and full jitter (capped at 5 minutes). It never decides anything about data.
#pragma once

#include <QObject>
#include <QTimer>

#include <chrono>

namespace outpost::sync {

class SyncEngine;

class SyncScheduler : public QObject
{
    Q_OBJECT
public:
    explicit SyncScheduler(SyncEngine &engine, QObject *parent = nullptr);

    void setInterval(std::chrono::milliseconds interval);
    void setDebounce(std::chrono::milliseconds debounce);
    void start(); // syncs now and then on schedule

    // For the UI ("will retry") and tests.
    int failures() const { return m_failures; }
    bool retryPending() const { return m_retry.isActive(); }
    bool changePending() const { return m_soon.isActive(); }
    bool isOnline() const { return m_online; }

public Q_SLOTS:
    void localChange();                     // a rep saved something: sync soon
    void connectivityChanged(bool online);  // from the platform layer

private:
    void onFinished(bool ok);
    SyncEngine &m_engine;
    QTimer m_periodic;
    QTimer m_soon;
    QTimer m_retry;
    int m_failures = 0;
    bool m_online = true;
};

} // namespace outpost::sync
