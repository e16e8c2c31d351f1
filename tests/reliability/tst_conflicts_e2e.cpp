// The conflict matrix end to end: one server, rep1 on two devices (A and B), every edit made with
// `outpost-sync edit` (record.delete / record.create, which the CLI has no verb for, are queued on
// the device with `import-pending`), every exchange a real `outpost-sync sync`. Each case uses its
// own contact so the cases do not touch each other. After each case both replicas verify against
// the server (checksums equal, nothing pending or failed).
#include "tests/reliability/syncharness.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace outpost::test;

class TstConflictsE2e : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void differentFields();
    void sameField_data();
    void sameField();
    void editVersusDelete_data();
    void editVersusDelete();
    void deleteVersusDelete();
    void createVersusCreate();

private:
    qint64 nextContact();
    QJsonObject contactBase(qint64 id);
    bool syncOk(const SyncDevice &d, QByteArray *why);
    QList<DeviceConflict> openConflicts(const SyncDevice &d, const QString &entity, qint64 id);
    void expectConverged();

    QTemporaryDir m_dir;
    ServerSide m_server;
    std::unique_ptr<SyncDevice> m_a;
    std::unique_ptr<SyncDevice> m_b;
    QList<qint64> m_contacts;
    qsizetype m_used = 0;
};

void TstConflictsE2e::initTestCase()
{
    if (!QFile::exists(syncExecutable()))
        QSKIP("outpost-sync is not built");
    QVERIFY(m_dir.isValid());
    QVERIFY(m_server.seedAndStart());
    m_a = std::make_unique<SyncDevice>(m_dir.filePath(u"a.db"_s), u"A"_s);
    m_b = std::make_unique<SyncDevice>(m_dir.filePath(u"b.db"_s), u"B"_s);
    for (SyncDevice *d : {m_a.get(), m_b.get()}) {
        const CliRun login = d->login(m_server.server().url(), u"rep1"_s, u"conflicts-"_s + d->name());
        QVERIFY2(login.ok(), login.describe().constData());
        QByteArray why;
        QVERIFY2(syncOk(*d, &why), why.constData());
    }
    m_contacts = m_server.contactIdsOf(u"rep1"_s);
    QVERIFY(m_contacts.size() >= 8);
}

void TstConflictsE2e::cleanupTestCase()
{
    m_server.server().stop();
}

qint64 TstConflictsE2e::nextContact()
{
    return m_contacts.at(m_used++);
}

QJsonObject TstConflictsE2e::contactBase(qint64 id)
{
    QJsonObject base;
    for (const QString &f : {u"name"_s, u"role"_s, u"phone"_s, u"email"_s})
        base.insert(f, m_server.contactField(id, f));
    return base;
}

bool TstConflictsE2e::syncOk(const SyncDevice &d, QByteArray *why)
{
    const CliRun r = d.sync();
    if (!r.ok())
        *why = r.describe();
    return r.ok();
}

QList<DeviceConflict> TstConflictsE2e::openConflicts(const SyncDevice &d, const QString &entity, qint64 id)
{
    QList<DeviceConflict> mine;
    QByteArray why;
    const auto all = d.conflicts(&why);
    if (!all) {
        qWarning("conflicts --json failed: %s", why.constData());
        return mine;
    }
    for (const DeviceConflict &c : *all) {
        if (c.entity == entity && c.recordId == id)
            mine << c;
    }
    return mine;
}

void TstConflictsE2e::expectConverged()
{
    QByteArray why;
    // One more round each way, then both replicas must equal the server.
    QVERIFY2(syncOk(*m_a, &why), why.constData());
    QVERIFY2(syncOk(*m_b, &why), why.constData());
    for (SyncDevice *d : {m_a.get(), m_b.get()}) {
        const auto st = d->status(true, &why);
        QVERIFY2(st, why.constData());
        QVERIFY2(st->verified && st->checksumsMatch,
                 QJsonDocument(st->raw).toJson(QJsonDocument::Compact).constData());
        QCOMPARE(st->pending, 0);
        QCOMPARE(st->failed, 0);
    }
}

void TstConflictsE2e::differentFields()
{
    const qint64 c = nextContact();
    QVERIFY(m_a->edit(u"contact"_s, c, {{u"phone"_s, u"+44 7700 900001"_s}}).ok());
    QVERIFY(m_b->edit(u"contact"_s, c, {{u"role"_s, u"Head buyer"_s}}).ok());
    QByteArray why;
    QVERIFY2(syncOk(*m_a, &why), why.constData());
    QVERIFY2(syncOk(*m_b, &why), why.constData());
    // Both changes merged silently.
    QCOMPARE(m_server.contactField(c, u"phone"_s), u"+44 7700 900001"_s);
    QCOMPARE(m_server.contactField(c, u"role"_s), u"Head buyer"_s);
    QVERIFY(openConflicts(*m_a, u"contacts"_s, c).isEmpty());
    QVERIFY(openConflicts(*m_b, u"contacts"_s, c).isEmpty());
    expectConverged();
}

void TstConflictsE2e::sameField_data()
{
    QTest::addColumn<bool>("keepMine");
    QTest::newRow("keepMine") << true;
    QTest::newRow("keepTheirs") << false;
}

void TstConflictsE2e::sameField()
{
    QFETCH(bool, keepMine);
    const qint64 c = nextContact();
    const QString aPhone = u"+44 7700 9000%1"_s.arg(keepMine ? 10 : 20);
    const QString bPhone = u"+44 7700 9000%1"_s.arg(keepMine ? 11 : 21);
    QVERIFY(m_a->edit(u"contact"_s, c, {{u"phone"_s, aPhone}}).ok());
    QVERIFY(m_b->edit(u"contact"_s, c, {{u"phone"_s, bPhone}}).ok());
    QByteArray why;
    QVERIFY2(syncOk(*m_a, &why), why.constData());
    QVERIFY2(syncOk(*m_b, &why), why.constData());

    // The server kept the first value; the conflict shows on B, the device that lost, only.
    QCOMPARE(m_server.contactField(c, u"phone"_s), aPhone);
    QVERIFY(openConflicts(*m_a, u"contacts"_s, c).isEmpty());
    const QList<DeviceConflict> lost = openConflicts(*m_b, u"contacts"_s, c);
    QCOMPARE(lost.size(), 1);
    QCOMPARE(lost.first().field, u"phone"_s);
    QCOMPARE(lost.first().mine.toString(), bPhone);
    QCOMPARE(lost.first().theirs.toString(), aPhone);

    const CliRun resolved = m_b->resolve(lost.first().id, keepMine);
    QVERIFY2(resolved.ok(), resolved.describe().constData());
    QVERIFY2(syncOk(*m_b, &why), why.constData());
    QCOMPARE(m_server.contactField(c, u"phone"_s), keepMine ? bPhone : aPhone);
    QVERIFY(openConflicts(*m_b, u"contacts"_s, c).isEmpty());
    QVERIFY(openConflicts(*m_a, u"contacts"_s, c).isEmpty());
    expectConverged();
}

void TstConflictsE2e::editVersusDelete_data()
{
    QTest::addColumn<bool>("keepMine");
    QTest::newRow("keepTheirs") << false;
    QTest::newRow("keepMine") << true;
}

void TstConflictsE2e::editVersusDelete()
{
    QFETCH(bool, keepMine);
    const qint64 c = nextContact();
    const qint64 account = m_server.scalar(u"SELECT account_id FROM contacts WHERE id = ?"_s, {c}).toLongLong();
    const QString phone = u"+44 7700 9000%1"_s.arg(keepMine ? 31 : 30);
    const QJsonObject before = contactBase(c);
    // B deletes the contact (against the version both agreed on); A edits it.
    const QJsonObject del{{u"kind"_s, u"record.delete"_s},
                          {u"entityId"_s, u"contacts:%1"_s.arg(c)},
                          {u"payload"_s, QJsonObject{{u"entity"_s, u"contacts"_s}, {u"id"_s, c},
                                                     {u"base"_s, contactBase(c)}}}};
    const CliRun queued = m_b->queueCommands({del});
    QVERIFY2(queued.ok(), queued.describe().constData());
    QVERIFY(m_a->edit(u"contact"_s, c, {{u"phone"_s, phone}}).ok());
    QByteArray why;
    QVERIFY2(syncOk(*m_b, &why), why.constData());
    QVERIFY(!m_server.contactExists(c));
    QVERIFY2(syncOk(*m_a, &why), why.constData());

    // A's edit hit a deleted row: a conflict on A, nothing resurrected on its own.
    QVERIFY(!m_server.contactExists(c));
    const QList<DeviceConflict> lost = openConflicts(*m_a, u"contacts"_s, c);
    QCOMPARE(lost.size(), 1);
    QVERIFY2(lost.first().field.startsWith(u"_record:"_s), qPrintable(lost.first().field));
    QVERIFY(openConflicts(*m_b, u"contacts"_s, c).isEmpty());

    const CliRun resolved = m_a->resolve(lost.first().id, keepMine);
    QVERIFY2(resolved.ok(), resolved.describe().constData());
    QVERIFY2(syncOk(*m_a, &why), why.constData());
    const qint64 withPhone =
        m_server
            .scalar(u"SELECT COUNT(*) FROM contacts WHERE account_id = ? AND phone = ? AND name = ? AND role = ? "
                    "AND email = ?"_s,
                    {account, phone, before.value(u"name"_s).toString(), before.value(u"role"_s).toString(),
                     before.value(u"email"_s).toString()})
            .toLongLong();
    // Keep mine creates the contact again: the rest as it was, with my edit; keep theirs leaves it deleted.
    QCOMPARE(withPhone, keepMine ? 1 : 0);
    QVERIFY(openConflicts(*m_a, u"contacts"_s, c).isEmpty());
    expectConverged();
}

void TstConflictsE2e::deleteVersusDelete()
{
    const qint64 c = nextContact();
    const QJsonObject del{{u"kind"_s, u"record.delete"_s},
                          {u"entityId"_s, u"contacts:%1"_s.arg(c)},
                          {u"payload"_s, QJsonObject{{u"entity"_s, u"contacts"_s}, {u"id"_s, c},
                                                     {u"base"_s, contactBase(c)}}}};
    QVERIFY(m_a->queueCommands({del}).ok());
    QVERIFY(m_b->queueCommands({del}).ok()); // the same deletion, made on each device
    QByteArray why;
    QVERIFY2(syncOk(*m_a, &why), why.constData());
    QVERIFY2(syncOk(*m_b, &why), why.constData());
    // Both wanted it gone: it is gone, and neither device has anything to resolve.
    QVERIFY(!m_server.contactExists(c));
    QVERIFY(openConflicts(*m_a, u"contacts"_s, c).isEmpty());
    QVERIFY(openConflicts(*m_b, u"contacts"_s, c).isEmpty());
    expectConverged();
}

void TstConflictsE2e::createVersusCreate()
{
    const qint64 sample = nextContact();
    const qint64 account = m_server.scalar(u"SELECT account_id FROM contacts WHERE id = ?"_s, {sample}).toLongLong();
    const QString email = u"new.buyer@conflict.example"_s;
    const auto create = [&](const QString &name) {
        return QJsonObject{{u"kind"_s, u"record.create"_s},
                           {u"entityId"_s, u"contacts:new"_s},
                           {u"payload"_s, QJsonObject{{u"entity"_s, u"contacts"_s},
                                                      {u"tempId"_s, QUuid::createUuid().toString(QUuid::WithoutBraces)},
                                                      {u"values"_s, QJsonObject{{u"accountId"_s, account},
                                                                                {u"name"_s, name},
                                                                                {u"email"_s, email}}}}}};
    };
    QVERIFY(m_a->queueCommands({create(u"Jo Buyer"_s)}).ok());
    QVERIFY(m_b->queueCommands({create(u"Joanna Buyer"_s)}).ok());
    QByteArray why;
    QVERIFY2(syncOk(*m_a, &why), why.constData());
    QVERIFY2(syncOk(*m_b, &why), why.constData());

    // One contact with that natural key; it is A's; B holds a duplicate conflict to look at.
    QCOMPARE(m_server.scalar(u"SELECT COUNT(*) FROM contacts WHERE account_id = ? AND email = ?"_s, {account, email})
                 .toLongLong(),
             1);
    QCOMPARE(m_server.scalar(u"SELECT name FROM contacts WHERE account_id = ? AND email = ?"_s, {account, email})
                 .toString(),
             u"Jo Buyer"_s);
    QByteArray error;
    const auto onB = m_b->conflicts(&error);
    QVERIFY2(onB, error.constData());
    QList<DeviceConflict> duplicates;
    for (const DeviceConflict &c : *onB) {
        if (c.entity == u"contacts"_s && c.field.startsWith(u"_record:"_s))
            duplicates << c;
    }
    QCOMPARE(duplicates.size(), 1);
    QVERIFY2(duplicates.first().field.contains(u"duplicate"_s), qPrintable(duplicates.first().field));
    const auto onA = m_a->conflicts(&error);
    QVERIFY2(onA, error.constData());
    for (const DeviceConflict &c : *onA)
        QVERIFY2(!c.field.startsWith(u"_record:"_s), qPrintable(c.field));

    const CliRun resolved = m_b->resolve(duplicates.first().id, false);
    QVERIFY2(resolved.ok(), resolved.describe().constData());
    expectConverged();
}

QTEST_GUILESS_MAIN(TstConflictsE2e)
#include "tst_conflicts_e2e.moc"
