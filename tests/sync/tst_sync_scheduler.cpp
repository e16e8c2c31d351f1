// SyncScheduler decides when the engine syncs; these cases drive it with a real engine against the
// real server (and against a closed port for the failure cases). Nothing asserts on wall time:
// each case waits for the engine's `finished` signal and checks what the scheduler decided.
#include "storage/database.h"
#include "sync/session.h"
#include "sync/sync_engine.h"
#include "sync/sync_scheduler.h"
#include "tests/support/testserver.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace std::chrono_literals;
using namespace outpost;
using namespace outpost::sync;
using outpost::test::TestServer;

class TestSyncScheduler : public QObject
{
    Q_OBJECT

    TestServer m_server;
    QTemporaryDir m_dir;
    int m_replicas = 0;

    // A replica signed in against `server` (the live server, or a URL nobody answers).
    QString signedInReplica(const QUrl &server)
    {
        const QString path = m_dir.filePath(u"replica%1.db"_s.arg(++m_replicas));
        auto db = openReplica(path);
        if (!db)
            return {};
        ApiSession api(**db);
        if (!api.login(LoginInput{m_server.url(), u"demo"_s, u"rep1"_s, u"demo"_s, {}}))
            return {};
        if (server != m_server.url()) {
            // Same stored session, pointed at another address (the "server went away" case).
            auto s = (*db)->prepare("UPDATE replica_meta SET value = ? WHERE key = 'server.url'");
            if (!s || !s->bind(1, server.toString()).exec())
                return {};
        }
        return path;
    }

    static QUrl deadUrl()
    {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        const quint16 port = probe.serverPort();
        probe.close(); // nobody listens there now: connection refused -> net.offline (transient)
        return QUrl(u"http://127.0.0.1:%1"_s.arg(port));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(m_server.seed());
        QVERIFY(m_server.start());
    }

    void startSyncsAtOnce()
    {
        SyncEngine engine(signedInReplica(m_server.url()));
        SyncScheduler scheduler(engine);
        scheduler.setInterval(1h);
        QSignalSpy finished(&engine, &SyncEngine::finished);
        scheduler.start();
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().first().toBool(), true);
        QCOMPARE(scheduler.failures(), 0);
        QVERIFY(!scheduler.retryPending());
    }

    void localChangeSyncsSoon()
    {
        SyncEngine engine(signedInReplica(m_server.url()));
        SyncScheduler scheduler(engine);
        scheduler.setInterval(1h);
        scheduler.setDebounce(50ms);
        QSignalSpy finished(&engine, &SyncEngine::finished);
        scheduler.localChange();
        QVERIFY(scheduler.changePending());
        QVERIFY(finished.wait(60000)); // the debounced pass, not a periodic one (1 h away)
        QVERIFY(finished.first().first().toBool());
    }

    void localChangesCoalesce()
    {
        SyncEngine engine(signedInReplica(m_server.url()));
        SyncScheduler scheduler(engine);
        scheduler.setInterval(1h);
        scheduler.setDebounce(200ms);
        QSignalSpy finished(&engine, &SyncEngine::finished);
        for (int i = 0; i < 5; ++i)
            scheduler.localChange(); // five saves in a row restart one timer
        QVERIFY(finished.wait(60000));
        QTest::qWait(500); // a second debounced pass would have started by now
        QCOMPARE(finished.size(), 1);
    }

    void transientFailureSchedulesRetry()
    {
        SyncEngine engine(signedInReplica(deadUrl()));
        SyncScheduler scheduler(engine);
        scheduler.setInterval(1h);
        QSignalSpy finished(&engine, &SyncEngine::finished);
        scheduler.start();
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY(engine.lastError().isTransient);
        QCOMPARE(scheduler.failures(), 1);
        QVERIFY(scheduler.retryPending());
        // The retry runs by itself and fails again: the count grows (backoff doubles its ceiling).
        QVERIFY(finished.wait(60000));
        QCOMPARE(scheduler.failures(), 2);
        QVERIFY(scheduler.retryPending());
    }

    void permanentFailureDoesNotRetry()
    {
        // A revoked session is permanent: retrying cannot help, the UI asks the rep to sign in.
        const QString path = signedInReplica(m_server.url());
        {
            auto db = openReplica(path);
            QVERIFY(db);
            auto s = (*db)->prepare("UPDATE replica_meta SET value = 'not-a-token' WHERE key IN ('session.access', 'session.refresh')");
            QVERIFY(s);
            QVERIFY(s->exec());
        }
        SyncEngine engine(path);
        SyncScheduler scheduler(engine);
        scheduler.setInterval(1h);
        QSignalSpy finished(&engine, &SyncEngine::finished);
        scheduler.start();
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY2(!engine.lastError().isTransient, qPrintable(engine.lastError().code));
        QCOMPARE(scheduler.failures(), 0);
        QVERIFY(!scheduler.retryPending());
    }

    void offlineHoldsChangesAndReconnectSyncs()
    {
        SyncEngine engine(signedInReplica(m_server.url()));
        SyncScheduler scheduler(engine);
        scheduler.setInterval(1h);
        scheduler.setDebounce(50ms);
        QSignalSpy finished(&engine, &SyncEngine::finished);
        scheduler.connectivityChanged(false);
        scheduler.localChange(); // saved offline: nothing is scheduled
        QVERIFY(!scheduler.changePending());
        QVERIFY(!engine.isRunning());
        scheduler.connectivityChanged(true); // back: sync at once
        QVERIFY(engine.isRunning());
        QVERIFY(finished.wait(60000));
        QVERIFY(finished.first().first().toBool());
    }

    void reconnectClearsBackoff()
    {
        const QString path = signedInReplica(deadUrl());
        SyncEngine engine(path);
        SyncScheduler scheduler(engine);
        scheduler.setInterval(1h);
        QSignalSpy finished(&engine, &SyncEngine::finished);
        scheduler.start();
        QVERIFY(finished.wait(60000));
        QCOMPARE(scheduler.failures(), 1);
        // The server is reachable again (same replica, the right address) and the OS says online.
        {
            auto db = openReplica(path);
            QVERIFY(db);
            auto s = (*db)->prepare("UPDATE replica_meta SET value = ? WHERE key = 'server.url'");
            QVERIFY(s);
            QVERIFY(s->bind(1, m_server.url().toString()).exec());
        }
        scheduler.connectivityChanged(false);
        scheduler.connectivityChanged(true);
        QVERIFY(!scheduler.retryPending());
        QVERIFY(finished.wait(60000));
        QVERIFY(finished.last().first().toBool());
        QCOMPARE(scheduler.failures(), 0);
    }
};

QTEST_GUILESS_MAIN(TestSyncScheduler)
#include "tst_sync_scheduler.moc"
