// SyncStateRepository (cursors per partition) and ConflictRepository (conflicts, record_base).
#include "fixtures.h"

#include "storage/conflict_repository.h"
#include "storage/sync_state_repository.h"

#include <QTest>

using namespace outpost;
using namespace outpost::storage;
using namespace outpost::storage::testing;

class TestStorageSyncState : public QObject
{
    Q_OBJECT

    std::unique_ptr<Database> m_db;
    const QDateTime m_now = utc(u"2026-11-23T10:00:00Z"_s);

private slots:
    void init() { m_db = openMigrated(); }

    void neverSyncedPartitionStartsAtZero()
    {
        auto s = SyncStateRepository(*m_db).state(u"catalog"_s);
        QVERIFY(s.ok());
        QCOMPARE(s->cursorSeq, 0);
        QVERIFY(!s->lastSuccessAt.isValid());
    }

    void cursorMovesForwardOnly()
    {
        SyncStateRepository sync(*m_db);
        QVERIFY(sync.save({u"catalog"_s, 120, m_now, u"abc"_s}).ok());
        QVERIFY(sync.save({u"stock"_s, 7, m_now, QString()}).ok());
        auto s = sync.state(u"catalog"_s);
        QCOMPARE(s->cursorSeq, 120);
        QCOMPARE(s->lastSuccessAt, m_now);
        QCOMPARE(s->checksum, u"abc"_s);
        Status back = sync.save({u"catalog"_s, 119, m_now, QString()});
        QCOMPARE(back.error().code, u"storage.cursor_backwards"_s);
        QCOMPARE(sync.state(u"catalog"_s)->cursorSeq, 120);
        QCOMPARE(sync.all()->size(), 2);
        QVERIFY(sync.reset(u"catalog"_s).ok());
        QCOMPARE(sync.state(u"catalog"_s)->cursorSeq, 0);
        QCOMPARE(sync.save({QString(), 1, m_now, QString()}).error().code, u"storage.missing_field"_s);
    }

    void cursorRollsBackWithTheApplyItCovers()
    {
        SyncStateRepository sync(*m_db);
        {
            auto tx = Transaction::begin(*m_db);
            QVERIFY(sync.save({u"catalog"_s, 50, m_now, QString()}).ok());
        } // the page failed: neither rows nor cursor
        QCOMPARE(sync.state(u"catalog"_s)->cursorSeq, 0);
    }

    void conflictsAreKeptUntilResolved()
    {
        ConflictRepository conflicts(*m_db);
        ConflictRow c;
        c.entity = u"contacts"_s;
        c.entityId = u"100"_s;
        c.field = u"phone"_s;
        c.base = u"1"_s;
        c.mine = u"2"_s;
        c.theirs = u"3"_s;
        c.createdAt = m_now;
        auto id = conflicts.record(c);
        QVERIFY(id.ok());
        QCOMPARE(*conflicts.openCount(), 1);
        auto open = conflicts.openConflicts();
        QCOMPARE(open->first().mine, u"2"_s);
        QCOMPARE(open->first().theirs, u"3"_s);
        QCOMPARE(conflicts.resolve(*id, u"whatever"_s, m_now).error().code, u"storage.invalid_resolution"_s);
        QVERIFY(conflicts.resolve(*id, u"theirs"_s, m_now.addSecs(5)).ok());
        QCOMPARE(*conflicts.openCount(), 0);
        QCOMPARE(conflicts.resolve(*id, u"mine"_s, m_now).error().code, u"storage.conflict_resolved"_s);
        QCOMPARE(conflicts.resolve(999, u"mine"_s, m_now).error().code, u"storage.conflict_not_found"_s);
        auto all = conflicts.conflictsFor(u"contacts"_s, u"100"_s);
        QCOMPARE(all->first().resolution, u"theirs"_s);
        QCOMPARE(all->first().resolvedAt, m_now.addSecs(5));
        c.field.clear();
        QCOMPARE(conflicts.record(c).error().code, u"storage.missing_field"_s);
    }

    void recordBase()
    {
        ConflictRepository conflicts(*m_db);
        QCOMPARE(conflicts.base(u"accounts"_s, u"10"_s)->has_value(), false);
        QVERIFY(*conflicts.setBaseIfAbsent(u"accounts"_s, u"10"_s, R"({"v":1})"));
        QVERIFY(!*conflicts.setBaseIfAbsent(u"accounts"_s, u"10"_s, R"({"v":2})"));
        QCOMPARE(**conflicts.base(u"accounts"_s, u"10"_s), QByteArray(R"({"v":1})"));
        QVERIFY(conflicts.setBase(u"accounts"_s, u"10"_s, R"({"v":3})").ok());
        QCOMPARE(**conflicts.base(u"accounts"_s, u"10"_s), QByteArray(R"({"v":3})"));
        QCOMPARE(conflicts.setBase(u"accounts"_s, u"10"_s, "not json").error().code,
                 u"storage.invalid_payload"_s);
        QVERIFY(conflicts.clearBase(u"accounts"_s, u"10"_s).ok());
        QCOMPARE(conflicts.base(u"accounts"_s, u"10"_s)->has_value(), false);
    }
};

QTEST_GUILESS_MAIN(TestStorageSyncState)
#include "tst_storage_syncstate.moc"
