// AccountRepository: upserts, details, FTS search, local edits written atomically with the outbox.
#include "fixtures.h"

#include "storage/conflict_repository.h"
#include "storage/outbox_repository.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace outpost;
using namespace outpost::storage;
using namespace outpost::storage::testing;

using IdList = QList<qint64>;

class TestStorageAccounts : public QObject
{
    Q_OBJECT

    std::unique_ptr<Database> m_db;
    const QDateTime m_now = utc(u"2026-11-23T10:00:00Z"_s);

    // Makes the next outbox insert fail: "a failure after the change".
    void breakOutbox()
    {
        QVERIFY(m_db->exec("CREATE TEMP TRIGGER outbox_fails BEFORE INSERT ON outbox "
                           "BEGIN SELECT RAISE(ABORT, 'simulated failure'); END")
                    .ok());
    }

private slots:
    void init()
    {
        m_db = openMigrated();
        seedSample(*m_db);
    }

    void detailsWithAddressesAndContacts()
    {
        auto d = AccountRepository(*m_db).details(10);
        QVERIFY(d.ok());
        QCOMPARE(d->account.code, u"ACME-001"_s);
        QCOMPARE(d->account.priceListId, 1);
        QCOMPARE(d->account.creditLimitMinor, std::optional<qint64>(500000));
        QCOMPARE(d->addresses.size(), 1);
        QCOMPARE(d->addresses.first().postcode, u"LS1 1AA"_s);
        QCOMPARE(d->contacts.size(), 1);
        QCOMPARE(d->contacts.first().name, u"Maria Lopez"_s);
        auto blue = AccountRepository(*m_db).account(11);
        QCOMPARE(blue->creditLimitMinor, std::nullopt); // no limit
        auto missing = AccountRepository(*m_db).details(999);
        QCOMPARE(missing.error().code, u"storage.account_not_found"_s);
    }

    void search_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<IdList>("expected");
        QTest::newRow("namePrefix") << u"acm"_s << IdList{10};
        QTest::newRow("twoWords") << u"blue harb"_s << IdList{11};
        QTest::newRow("code") << u"BLUE-002"_s << IdList{11};
        QTest::newRow("city") << u"leeds"_s << IdList{10};
        QTest::newRow("contactName") << u"smith"_s << IdList{11};
        QTest::newRow("contactFirstName") << u"mari"_s << IdList{10};
        QTest::newRow("nothing") << u"zebra"_s << IdList{};
        QTest::newRow("emptyListsByName") << u""_s << IdList{10, 11};
    }

    void search()
    {
        QFETCH(QString, text);
        QFETCH(IdList, expected);
        auto found = AccountRepository(*m_db).search(text, 10);
        QVERIFY(found.ok());
        IdList ids;
        for (const AccountRow &a : *found)
            ids.append(a.id);
        QCOMPARE(ids, expected);
    }

    void contactChangesReachSearch()
    {
        AccountRepository accounts(*m_db);
        QVERIFY(accounts.upsertContacts({{102, 10, u"Yusuf Khan"_s, QString(), QString(), QString(), 1, 8}})
                    .ok());
        QCOMPARE(accounts.search(u"yusuf"_s, 10)->size(), 1);
        QVERIFY(accounts.deleteContacts({102}).ok());
        QCOMPARE(accounts.search(u"yusuf"_s, 10)->size(), 0);
        QCOMPARE(accounts.search(u"maria"_s, 10)->size(), 1);
    }

    void deleteAccountCascades()
    {
        AccountRepository accounts(*m_db);
        QVERIFY(accounts.deleteAccounts({10}).ok());
        QCOMPARE(scalar(*m_db, "SELECT count(*) FROM contacts WHERE account_id = 10"), 0);
        QCOMPARE(scalar(*m_db, "SELECT count(*) FROM addresses WHERE account_id = 10"), 0);
        QCOMPARE(accounts.search(u"acme"_s, 10)->size(), 0);
    }

    void syncApplyNeverWritesOutbox()
    {
        AccountRow a = *AccountRepository(*m_db).account(10);
        a.notes = u"from the office"_s;
        QVERIFY(AccountRepository(*m_db).upsertAccounts({a}).ok());
        QCOMPARE(*OutboxRepository(*m_db).pendingCount(), 0);
    }

    void editContactWritesRowBaseAndOutboxTogether()
    {
        AccountRepository accounts(*m_db);
        ContactEdit edit;
        edit.phone = u"0113 999"_s;
        edit.name = u"Maria Lopez"_s; // unchanged: not in the payload
        auto item = accounts.editContact(100, edit, m_now);
        QVERIFY2(item.ok(), qPrintable(item.ok() ? QString() : item.error().code));
        QCOMPARE(item->kind, u"contact.update"_s);
        QCOMPARE(item->entityId, u"100"_s);
        QVERIFY(!item->commandId.isEmpty());
        const QJsonObject payload = QJsonDocument::fromJson(item->payload).object();
        QCOMPARE(payload.value(u"baseVersion"_s).toInteger(), 1);
        QCOMPARE(payload.value(u"changes"_s).toObject(), (QJsonObject{{u"phone"_s, u"0113 999"_s}}));
        QCOMPARE(accounts.contact(100)->phone, u"0113 999"_s);
        auto base = ConflictRepository(*m_db).base(u"contacts"_s, u"100"_s);
        QVERIFY(base.ok() && base->has_value());
        QCOMPARE(QJsonDocument::fromJson(**base).object().value(u"phone"_s).toString(), u"0113 000"_s);

        // A second edit keeps the first base (the version both sides last agreed on).
        ContactEdit again;
        again.phone = u"0113 111"_s;
        QVERIFY(accounts.editContact(100, again, m_now.addSecs(60)).ok());
        auto stillBase = ConflictRepository(*m_db).base(u"contacts"_s, u"100"_s);
        QCOMPARE(QJsonDocument::fromJson(**stillBase).object().value(u"phone"_s).toString(), u"0113 000"_s);
        QCOMPARE(*OutboxRepository(*m_db).pendingCount(), 2);
    }

    void failureAfterContactChangeLeavesNeither()
    {
        breakOutbox();
        AccountRepository accounts(*m_db);
        ContactEdit edit;
        edit.email = u"new@acme.test"_s;
        auto item = accounts.editContact(100, edit, m_now);
        QVERIFY(!item.ok());
        QCOMPARE(accounts.contact(100)->email, u"maria@acme.test"_s);
        QCOMPARE(scalar(*m_db, "SELECT count(*) FROM outbox"), 0);
        QCOMPARE(scalar(*m_db, "SELECT count(*) FROM record_base"), 0);
        QVERIFY(!m_db->inTransaction());
    }

    void failureAfterNotesChangeLeavesNeither()
    {
        breakOutbox();
        AccountRepository accounts(*m_db);
        auto item = accounts.editNotes(10, u"Deliver before 9"_s, m_now);
        QVERIFY(!item.ok());
        QCOMPARE(accounts.account(10)->notes, QString());
        QCOMPARE(scalar(*m_db, "SELECT count(*) FROM outbox"), 0);
    }

    void editNotesWritesOutbox()
    {
        AccountRepository accounts(*m_db);
        auto item = accounts.editNotes(10, u"Deliver before 9"_s, m_now);
        QVERIFY(item.ok());
        QCOMPARE(item->kind, u"account.notes"_s);
        QCOMPARE(accounts.account(10)->notes, u"Deliver before 9"_s);
        auto same = accounts.editNotes(10, u"Deliver before 9"_s, m_now);
        QCOMPARE(same.error().code, u"storage.nothing_changed"_s);
        QCOMPARE(*OutboxRepository(*m_db).pendingCount(), 1);
    }

    void badContactEditChangesNothing_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("code");
        QTest::newRow("emptyName") << u"name"_s << u"  "_s << u"storage.invalid_contact"_s;
        QTest::newRow("emailWithoutAt") << u"email"_s << u"maria.acme.test"_s << u"storage.invalid_contact"_s;
        QTest::newRow("emailWithSpace")
            << u"email"_s << u"maria @acme.test"_s << u"storage.invalid_contact"_s;
        QTest::newRow("tooLong") << u"role"_s << QString(1001, u'x') << u"storage.invalid_contact"_s;
        QTest::newRow("sameValue") << u"role"_s << u"Chef"_s << u"storage.nothing_changed"_s;
    }

    void badContactEditChangesNothing()
    {
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(QString, code);
        ContactEdit edit;
        if (field == u"name"_s)
            edit.name = value;
        else if (field == u"email"_s)
            edit.email = value;
        else
            edit.role = value;
        const ContactRow before = *AccountRepository(*m_db).contact(100);
        auto item = AccountRepository(*m_db).editContact(100, edit, m_now);
        QVERIFY(!item.ok());
        QCOMPARE(item.error().code, code);
        QCOMPARE(item.error().kind, ErrorKind::Invalid);
        const ContactRow after = *AccountRepository(*m_db).contact(100);
        QCOMPARE(after.name, before.name);
        QCOMPARE(after.email, before.email);
        QCOMPARE(after.role, before.role);
        QCOMPARE(scalar(*m_db, "SELECT count(*) FROM outbox"), 0);
    }

    void editUnknownContactIsNotFound()
    {
        ContactEdit edit;
        edit.phone = u"1"_s;
        auto item = AccountRepository(*m_db).editContact(999, edit, m_now);
        QCOMPARE(item.error().kind, ErrorKind::NotFound);
        QCOMPARE(item.error().code, u"storage.contact_not_found"_s);
    }
};

QTEST_GUILESS_MAIN(TestStorageAccounts)
#include "tst_storage_accounts.moc"
