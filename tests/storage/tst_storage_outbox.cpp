// OutboxRepository: due order, state changes, backoff, permanent failures never block the queue.
#include "fixtures.h"

#include "storage/outbox_repository.h"

#include <QTest>

using namespace outpost;
using namespace outpost::storage;
using namespace outpost::storage::testing;

class TestStorageOutbox : public QObject
{
    Q_OBJECT

    std::unique_ptr<Database> m_db;
    const QDateTime m_now = utc(u"2026-11-23T10:00:00Z"_s);

    qint64 add(const QString &entity, const QDateTime &at)
    {
        auto item = OutboxRepository(*m_db).enqueue(u"account.notes"_s, entity, R"({"n":1})", at);
        if (!item)
            qFatal("enqueue failed");
        return item->id;
    }

    QList<qint64> dueIds(const QDateTime &at)
    {
        QList<qint64> ids;
        auto due = OutboxRepository(*m_db).due(at, 100); // keep the Result alive while iterating
        if (!due)
            qFatal("due failed");
        for (const OutboxItem &i : *due)
            ids.append(i.id);
        return ids;
    }

private slots:
    void init() { m_db = openMigrated(); }

    void dueInOrderOfCreation()
    {
        const qint64 a = add(u"1"_s, m_now);
        const qint64 b = add(u"2"_s, m_now);
        const qint64 c = add(u"3"_s, m_now.addSecs(10));
        QCOMPARE(dueIds(m_now), (QList<qint64>{a, b}));
        QCOMPARE(dueIds(m_now.addSecs(10)), (QList<qint64>{a, b, c}));
        QCOMPARE(*OutboxRepository(*m_db).pendingCount(), 3);
    }

    void enqueueKeepsEverything()
    {
        auto item = OutboxRepository(*m_db).enqueue(u"order.submit"_s, u"abc"_s, R"({"x":[1,2]})", m_now);
        QVERIFY(item.ok());
        auto read = OutboxRepository(*m_db).item(item->id);
        QCOMPARE(read->commandId, item->commandId);
        QCOMPARE(read->payload, QByteArray(R"({"x":[1,2]})"));
        QCOMPARE(read->createdAt, m_now);
        QCOMPARE(read->nextAttemptAt, m_now);
        QCOMPARE(read->state, OutboxItem::State::Pending);
        QCOMPARE(OutboxRepository(*m_db).itemByCommandId(item->commandId)->id, item->id);
    }

    void badEnqueueWritesNothing_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QString>("code");
        QTest::newRow("noKind") << u""_s << QByteArray("{}") << u"storage.missing_field"_s;
        QTest::newRow("notJson") << u"k"_s << QByteArray("{oops") << u"storage.invalid_payload"_s;
        QTest::newRow("jsonArray") << u"k"_s << QByteArray("[1]") << u"storage.invalid_payload"_s;
    }

    void badEnqueueWritesNothing()
    {
        QFETCH(QString, kind);
        QFETCH(QByteArray, payload);
        QFETCH(QString, code);
        auto item = OutboxRepository(*m_db).enqueue(kind, u"1"_s, payload, m_now);
        QCOMPARE(item.error().code, code);
        QCOMPARE(scalar(*m_db, "SELECT count(*) FROM outbox"), 0);
    }

    void duplicateCommandIdIsRefused()
    {
        OutboxRepository outbox(*m_db);
        QVERIFY(outbox.enqueue(u"k"_s, u"1"_s, "{}", m_now, u"same-id"_s).ok());
        auto again = outbox.enqueue(u"k"_s, u"1"_s, "{}", m_now, u"same-id"_s);
        QCOMPARE(again.error().code, u"storage.constraint"_s);
    }

    void inflightThenDone()
    {
        OutboxRepository outbox(*m_db);
        const qint64 a = add(u"1"_s, m_now);
        QVERIFY(outbox.markInflight(a).ok());
        QCOMPARE(outbox.item(a)->attempts, 1);
        QCOMPARE(dueIds(m_now), QList<qint64>{}); // not handed out twice
        QCOMPARE(*outbox.pendingCount(), 1);      // still on its way
        QVERIFY(outbox.markDone(a).ok());
        QCOMPARE(*outbox.pendingCount(), 0);
        QCOMPARE(outbox.markInflight(a).error().code, u"storage.outbox_bad_state"_s);
        QCOMPARE(outbox.markInflight(999).error().code, u"storage.outbox_item_not_found"_s);
    }

    void transientFailureBacksOffWithoutBlocking()
    {
        OutboxRepository outbox(*m_db);
        const qint64 a = add(u"1"_s, m_now);
        const qint64 b = add(u"2"_s, m_now);
        QVERIFY(outbox.markInflight(a).ok());
        const Error offline = Error::make(ErrorKind::Transient, u"net.timeout"_s, u"Timed out"_s);
        QVERIFY(outbox.markFailed(a, offline, m_now.addSecs(30)).ok());
        QCOMPARE(dueIds(m_now.addSecs(1)), QList<qint64>{b}); // b is not stuck behind a
        QCOMPARE(dueIds(m_now.addSecs(30)), (QList<qint64>{a, b}));
        auto item = outbox.item(a);
        QCOMPARE(item->state, OutboxItem::State::Pending);
        QCOMPARE(item->lastErrorCode, u"net.timeout"_s);
        QCOMPARE(item->nextAttemptAt, m_now.addSecs(30));
    }

    void permanentFailureStaysFailedUntilRetried()
    {
        OutboxRepository outbox(*m_db);
        const qint64 a = add(u"1"_s, m_now);
        const qint64 b = add(u"2"_s, m_now);
        QVERIFY(outbox.markInflight(a).ok());
        QVERIFY(
            outbox.markFailed(a, Error::invalid(u"request.unknown_field"_s, u"Bad"_s), std::nullopt).ok());
        QCOMPARE(dueIds(m_now.addDays(1)), QList<qint64>{b});
        QCOMPARE(outbox.failedItems()->size(), 1);
        QCOMPARE(*outbox.pendingCount(), 1);
        QVERIFY(outbox.retry(a, m_now.addSecs(5)).ok());
        QCOMPARE(dueIds(m_now.addSecs(5)), (QList<qint64>{a, b}));
        QCOMPARE(outbox.retry(a, m_now).error().code, u"storage.outbox_bad_state"_s);
    }

    void crashWhileInflightIsRecovered()
    {
        OutboxRepository outbox(*m_db);
        const qint64 a = add(u"1"_s, m_now);
        QVERIFY(outbox.markInflight(a).ok());
        QCOMPARE(*outbox.recoverInflight(), 1);
        QCOMPARE(dueIds(m_now), QList<qint64>{a});
    }

    void purgeDoneKeepsTheRest()
    {
        OutboxRepository outbox(*m_db);
        const qint64 a = add(u"1"_s, m_now);
        const qint64 b = add(u"2"_s, m_now);
        QVERIFY(outbox.markDone(a).ok());
        QCOMPARE(*outbox.purgeDone(m_now.addSecs(1)), 1);
        QVERIFY(!outbox.item(a).ok());
        QVERIFY(outbox.item(b).ok());
    }
};

QTEST_GUILESS_MAIN(TestStorageOutbox)
#include "tst_storage_outbox.moc"
