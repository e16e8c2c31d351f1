#include "sync/sync_scheduler.h"

#include "sync/push.h"
#include "sync/sync_engine.h"

using namespace std::chrono_literals;

namespace outpost::sync {

SyncScheduler::SyncScheduler(SyncEngine &engine, QObject *parent) : QObject(parent), m_engine(engine)
{
    m_periodic.setInterval(15min);
    m_soon.setSingleShot(true);
    m_soon.setInterval(3s);
    m_retry.setSingleShot(true);
    connect(&m_periodic, &QTimer::timeout, &m_engine, &SyncEngine::syncNow);
    connect(&m_soon, &QTimer::timeout, &m_engine, &SyncEngine::syncNow);
    connect(&m_retry, &QTimer::timeout, &m_engine, &SyncEngine::syncNow);
    connect(&m_engine, &SyncEngine::finished, this, &SyncScheduler::onFinished);
}

void SyncScheduler::setInterval(std::chrono::milliseconds interval)
{
    m_periodic.setInterval(interval);
}

void SyncScheduler::setDebounce(std::chrono::milliseconds debounce)
{
    m_soon.setInterval(debounce);
}

void SyncScheduler::start()
{
    m_periodic.start();
    m_engine.syncNow();
}

void SyncScheduler::localChange()
{
    if (m_online)
        m_soon.start();
}

void SyncScheduler::connectivityChanged(bool online)
{
    const bool regained = online && !m_online;
    m_online = online;
    if (regained) {
        m_failures = 0;
        m_retry.stop();
        m_engine.syncNow();
    }
}

void SyncScheduler::onFinished(bool ok)
{
    if (ok || !m_engine.lastError().isTransient) {
        m_failures = 0;
        return;
    }
    ++m_failures;
    m_retry.start(std::max<std::chrono::milliseconds>(1s, backoffDelay(m_failures, *QRandomGenerator::global())));
}

} // namespace outpost::sync
