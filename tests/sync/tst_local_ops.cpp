// sync/local_ops: resolving conflicts on the device (no server involved). Keep mine against a
// record the server deleted queues a record.create with what a create takes (the owning account
// and the editable fields), or says it cannot.
#include "storage/conflict_repository.h"
#include "storage/database.h"
#include "storage/outbox_repository.h"
#include "storage/schema.h"
#include "sync/local_ops.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace outpost;

class TstLocalOps : public QObject
{
    Q_OBJECT

    std::unique_ptr<storage::Database> m_db;
    const QDateTime m_now = QDateTime::fromString(u"2026-12-06T10:00:00Z"_s, Qt::ISODate);

    qint64 conflict(const QString &entity, const QString &field, const QJsonObject &base, const QJsonObject &mine)
    {
        storage::ConflictRow c;
        c.entity = entity;
        c.entityId = u"7"_s;
        c.field = field;
        c.base = QString::fromUtf8(QJsonDocument(base).toJson(QJsonDocument::Compact));
        c.mine = QString::fromUtf8(QJsonDocument(mine).toJson(QJsonDocument::Compact));
        c.theirs = u"null"_s;
        c.createdAt = m_now;
        auto id = storage::ConflictRepository(*m_db).record(c);
        return id ? *id : -1;
    }
    QList<storage::OutboxItem> queued()
    {
        return storage::OutboxRepository(*m_db).due(m_now.addYears(1), 100).value();
    }

private slots:
    void init()
    {
        m_db = std::move(storage::Database::open(QString::fromLatin1(storage::Database::kMemory)).value());
        QVERIFY(storage::migrate(*m_db));
    }

    void keepMineRecreatesADeletedContact()
    {
        const qint64 id = conflict(u"contacts"_s, u"_record:deleted"_s,
                                   QJsonObject{{u"accountId"_s, 12}, {u"name"_s, u"Ann Lee"_s}, {u"role"_s, u"Buyer"_s},
                                               {u"phone"_s, u"111"_s}, {u"email"_s, u"ann@example.com"_s},
                                               {u"seq"_s, 40}, {u"version"_s, 3}},
                                   QJsonObject{{u"phone"_s, u"222"_s}});
        QVERIFY(sync::resolveConflict(*m_db, id, u"mine"_s, m_now));
        const auto items = queued();
        QCOMPARE(items.size(), 1);
        QCOMPARE(items.first().kind, u"record.create"_s);
        const QJsonObject values = QJsonDocument::fromJson(items.first().payload).object().value(u"values"_s).toObject();
        QCOMPARE(values, (QJsonObject{{u"accountId"_s, 12}, {u"name"_s, u"Ann Lee"_s}, {u"role"_s, u"Buyer"_s},
                                      {u"phone"_s, u"222"_s}, {u"email"_s, u"ann@example.com"_s}}));
        QVERIFY(storage::ConflictRepository(*m_db).openConflicts()->isEmpty());
    }

    // Two unsent edits of the contact both met the server's delete: one create with both edits
    // (the later one wins a field both touched), both conflicts closed.
    void keepMineCreatesADeletedRecordOnceWithEveryEdit()
    {
        const QJsonObject base{{u"accountId"_s, 12}, {u"name"_s, u"Ann Lee"_s}, {u"role"_s, u"Buyer"_s},
                               {u"phone"_s, u"111"_s}, {u"email"_s, u"ann@example.com"_s}};
        const qint64 first = conflict(u"contacts"_s, u"_record:deleted"_s, base,
                                      QJsonObject{{u"phone"_s, u"222"_s}, {u"role"_s, u"Owner"_s}});
        const qint64 second = conflict(u"contacts"_s, u"_record:deleted"_s, base, QJsonObject{{u"phone"_s, u"333"_s}});
        QVERIFY(first > 0 && second > first);
        QVERIFY(sync::resolveConflict(*m_db, second, u"mine"_s, m_now));
        const auto items = queued();
        QCOMPARE(items.size(), 1);
        const QJsonObject values = QJsonDocument::fromJson(items.first().payload).object().value(u"values"_s).toObject();
        QCOMPARE(values.value(u"phone"_s).toString(), u"333"_s);
        QCOMPARE(values.value(u"role"_s).toString(), u"Owner"_s);
        QCOMPARE(values.value(u"name"_s).toString(), u"Ann Lee"_s);
        QVERIFY(storage::ConflictRepository(*m_db).openConflicts()->isEmpty());
    }

    void keepMineThatCannotBeCreatedChangesNothing_data()
    {
        QTest::addColumn<QString>("entity");
        QTest::addColumn<QJsonObject>("base");
        QTest::newRow("account") << u"accounts"_s << QJsonObject{{u"notes"_s, u"old"_s}, {u"phone"_s, u"1"_s}};
        QTest::newRow("contactWithoutItsAccount") << u"contacts"_s << QJsonObject{{u"phone"_s, u"111"_s}};
    }

    void keepMineThatCannotBeCreatedChangesNothing()
    {
        QFETCH(QString, entity);
        QFETCH(QJsonObject, base);
        const qint64 id = conflict(entity, u"_record:deleted"_s, base, QJsonObject{{u"phone"_s, u"222"_s}});
        const Status s = sync::resolveConflict(*m_db, id, u"mine"_s, m_now);
        QVERIFY(!s);
        QCOMPARE(s.error().code, u"conflict.keep_theirs_only"_s);
        QVERIFY(queued().isEmpty());
        QCOMPARE(storage::ConflictRepository(*m_db).openConflicts()->size(), 1);
        QVERIFY(sync::resolveConflict(*m_db, id, u"theirs"_s, m_now)); // the way out stays open
        QVERIFY(storage::ConflictRepository(*m_db).openConflicts()->isEmpty());
        QVERIFY(queued().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TstLocalOps)
#include "tst_local_ops.moc"
