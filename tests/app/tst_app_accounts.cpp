// AccountsController and its models against a real server (seeded tiny) and a synced replica:
// search over name/code/city/contact, incremental fetching, refresh after a server-side change
// by keyed diff (no reset), the account page, and offline contact/notes edits through the outbox.
#include "app/account_models.h"
#include "app/accounts_controller.h"
#include "app/format.h"
#include "storage/account_repository.h"
#include "storage/database.h"
#include "storage/outbox_repository.h"
#include "tests/app/app_fixture.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace outpost;
using namespace outpost::app;

namespace {

using Tester = QAbstractItemModelTester;

QList<qint64> idsOf(const QAbstractItemModel &m)
{
    QList<qint64> ids;
    for (int r = 0; r < m.rowCount(); ++r)
        ids.append(m.index(r, 0).data(AccountListModel::AccountIdRole).toLongLong());
    return ids;
}

void fetchAll(QAbstractItemModel &m)
{
    while (m.canFetchMore({}))
        m.fetchMore({});
}

// Outbox items not yet delivered (the edits of this test; the fixture starts with none).
qint64 pending(AppContext &app)
{
    return storage::OutboxRepository(app.db()).pendingCount().valueOr(-1);
}

} // namespace

class TestAppAccounts : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void search_data();
    void search();
    void searchWithNoMatchIsEmpty();
    void incrementalFetchReachesEveryRowOnce();
    void refreshAfterServerChangeUpdatesOneRow();
    void accountPageShowsTheAccount();
    void unknownAccountShowsNothing();
    void editContactWritesOutbox();
    void badContactRefusedNothingWritten_data();
    void badContactRefusedNothingWritten();
    void saveNotesWritesOutboxAndMarksPending();

private:
    test::AppFixture m_fixture;
    storage::AccountDetails m_sample; // an account of rep1 with its contacts, from the replica
};

void TestAppAccounts::initTestCase()
{
    QVERIFY(m_fixture.setUp(u"rep1"_s));
    storage::AccountRepository repo(m_fixture.app().db());
    auto all = repo.search({}, 1000);
    QVERIFY(all);
    QVERIFY2(all->size() >= 3, "rep1 should see several accounts");
    auto d = repo.details(all->at(1).id);
    QVERIFY(d);
    QVERIFY(!d->contacts.isEmpty());
    QVERIFY(!d->account.city.isEmpty());
    m_sample = *d;
}

void TestAppAccounts::search_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("field");
    QTest::newRow("byNameWord") << m_sample.account.name.section(u' ', 0, 0) << u"name"_s;
    QTest::newRow("byNamePrefix") << m_sample.account.name.left(3) << u"name"_s;
    QTest::newRow("byCode") << m_sample.account.code << u"code"_s;
    QTest::newRow("byCity") << m_sample.account.city << u"city"_s;
    QTest::newRow("byContactName") << m_sample.contacts.first().name << u"contact"_s;
    QTest::newRow("byContactSurnameLowerCase") << m_sample.contacts.first().name.section(u' ', -1).toLower()
                                               << u"contact"_s;
}

void TestAppAccounts::search()
{
    QFETCH(QString, query);
    QFETCH(QString, field);
    AccountListModel &model = *m_fixture.app().accounts()->results();
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    model.setQuery(query);
    fetchAll(model);
    QVERIFY2(idsOf(model).contains(m_sample.account.id), qPrintable(field));

    // Same rows, same order as the replica's search; each one really matches.
    storage::AccountRepository repo(m_fixture.app().db());
    auto expected = repo.search(query, 1000);
    QVERIFY(expected);
    QList<qint64> expectedIds;
    for (const auto &a : std::as_const(*expected))
        expectedIds.append(a.id);
    QCOMPARE(idsOf(model), expectedIds);
    for (qint64 id : expectedIds) {
        auto d = repo.details(id);
        QVERIFY(d);
        QStringList haystack{d->account.name, d->account.code, d->account.city};
        for (const auto &c : std::as_const(d->contacts))
            haystack.append(c.name);
        const QString firstWord = query.section(u' ', 0, 0);
        QVERIFY2(haystack.join(u' ').contains(firstWord, Qt::CaseInsensitive), qPrintable(d->account.code));
    }
    QCOMPARE(model.property("count").toInt(), int(expectedIds.size()));
    model.setQuery({});
}

void TestAppAccounts::searchWithNoMatchIsEmpty()
{
    AccountListModel &model = *m_fixture.app().accounts()->results();
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    model.setQuery(u"zzqxv"_s);
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.canFetchMore({}));
    model.setQuery(u"\"*()"_s); // punctuation only: no FTS syntax error, lists everything
    QVERIFY(model.rowCount() > 0);
    model.setQuery({});
}

void TestAppAccounts::incrementalFetchReachesEveryRowOnce()
{
    AccountListModel model(m_fixture.app());
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    model.setPageSize(2);
    QCOMPARE(model.rowCount(), 2);
    QVERIFY(model.canFetchMore({}));
    int pages = 0;
    while (model.canFetchMore({})) {
        model.fetchMore({});
        ++pages;
    }
    auto all = storage::AccountRepository(m_fixture.app().db()).search({}, 1000);
    QVERIFY(all);
    QList<qint64> expected;
    for (const auto &a : std::as_const(*all))
        expected.append(a.id);
    const QList<qint64> ids = idsOf(model);
    QCOMPARE(ids, expected); // every row, once, in order
    QCOMPARE(QSet<qint64>(ids.cbegin(), ids.cend()).size(), ids.size());
    QVERIFY(pages >= int(expected.size() / 2) - 1);
    QCOMPARE(model.accountIdAt(0), expected.first());
    QCOMPARE(model.accountIdAt(-1), 0);
    QCOMPARE(model.accountIdAt(int(expected.size())), 0);
}

void TestAppAccounts::refreshAfterServerChangeUpdatesOneRow()
{
    AppContext &app = m_fixture.app();
    AccountListModel &model = *app.accounts()->results();
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    model.setQuery({});
    fetchAll(model);
    const QList<qint64> before = idsOf(model);
    const int row = int(before.indexOf(m_sample.account.id));
    QVERIFY(row >= 0);

    // The office changes the account's city: the accounts import replaces the whole row, so send
    // every column as the replica has it.
    storage::AccountRepository repo(app.db());
    auto lists = repo.priceLists();
    QVERIFY(lists);
    const storage::AccountRow &a = m_sample.account;
    const QString newCity = u"Harrogate"_s;
    QVERIFY(a.creditLimitMinor.has_value());
    const QString limit = u"%1.%2"_s.arg(*a.creditLimitMinor / 100).arg(*a.creditLimitMinor % 100, 2, 10, QChar(u'0'));
    QString line1;
    for (const auto &ad : std::as_const(m_sample.addresses))
        line1 = line1.isEmpty() ? ad.line1 : line1;
    const QByteArray csv =
        (u"account_no,name,line1,city,postcode,country,terms,credit_limit,price_group,tax_exempt,phone,email\n"_s
         + QStringList{a.code, u"\"%1\""_s.arg(a.name), u"\"%1\""_s.arg(line1), newCity, a.postcode, a.country,
                       a.terms, limit, lists->value(a.priceListId).code, a.taxExempt ? u"true"_s : u"false"_s,
                       a.phone, a.email}
               .join(u',')
         + u"\n"_s)
            .toUtf8();
    const auto reply =
        m_fixture.server().postRaw(u"/v1/admin/import/accounts"_s, csv, m_fixture.serverToken(), "text/csv");
    QVERIFY2(reply.status == 200, reply.body.constData());
    QCOMPARE(reply.json.value(u"updated"_s).toInt(), 1);

    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserts(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removes(&model, &QAbstractItemModel::rowsRemoved);
    QList<int> changedRows;
    QObject scope; // the connection (and its reference to changedRows) ends with this function
    connect(&model, &QAbstractItemModel::dataChanged, &scope,
            [&](const QModelIndex &tl, const QModelIndex &br) {
                for (int r = tl.row(); r <= br.row(); ++r)
                    changedRows.append(r);
            });
    QVERIFY(m_fixture.syncNow());
    QCOMPARE(resets.count(), 0);
    QCOMPARE(inserts.count(), 0);
    QCOMPARE(removes.count(), 0);
    QCOMPARE(changedRows, QList<int>{row});
    QCOMPARE(model.index(row, 0).data(AccountListModel::CityRole).toString(), newCity);
    QCOMPARE(idsOf(model), before);
    m_sample.account.city = newCity;
}

void TestAppAccounts::accountPageShowsTheAccount()
{
    AccountsController &c = *m_fixture.app().accounts();
    QSignalSpy changed(&c, &AccountsController::currentChanged);
    Tester contactsTester(c.contacts(), Tester::FailureReportingMode::Fatal);
    Tester addressesTester(c.addresses(), Tester::FailureReportingMode::Fatal);
    c.setCurrentId(m_sample.account.id);
    QCOMPARE(changed.count(), 1);
    const storage::AccountRow &a = m_sample.account;
    QCOMPARE(c.currentId(), a.id);
    QCOMPARE(c.name(), a.name);
    QCOMPARE(c.code(), a.code);
    QCOMPARE(c.terms(), a.terms);
    QCOMPARE(c.termsText(), format::terms(a.terms));
    QVERIFY(!c.currency().isEmpty());
    QCOMPARE(c.openBalanceText(), format::money(a.openBalanceMinor, c.currency()));
    QVERIFY(a.creditLimitMinor.has_value());
    QCOMPARE(c.creditLimitText(), format::money(*a.creditLimitMinor, c.currency()));
    QCOMPARE(c.availableCreditText(), format::money(*a.creditLimitMinor - a.openBalanceMinor, c.currency()));
    QCOMPARE(c.overLimit(), a.openBalanceMinor > *a.creditLimitMinor);
    QVERIFY(!c.priceListName().isEmpty());
    QCOMPARE(c.contacts()->rowCount(), int(m_sample.contacts.size()));
    QCOMPARE(c.addresses()->rowCount(), int(m_sample.addresses.size()));
    QCOMPARE(c.contactAt(0).value(u"contactId"_s).toLongLong(), m_sample.contacts.first().id);
    QVERIFY(c.contactAt(99).isEmpty());
    const QString line = c.addresses()->index(0, 0).data(AddressListModel::TextRole).toString();
    QVERIFY2(line.contains(m_sample.addresses.first().line1), qPrintable(line));
    c.setCurrentId(a.id); // same id: nothing to do
    QCOMPARE(changed.count(), 1);
}

void TestAppAccounts::unknownAccountShowsNothing()
{
    AccountsController &c = *m_fixture.app().accounts();
    c.setCurrentId(m_sample.account.id);
    c.setCurrentId(987654321);
    QCOMPARE(c.currentId(), 0);
    QVERIFY(c.name().isEmpty());
    QVERIFY(!c.errorText().isEmpty());
    QCOMPARE(c.contacts()->rowCount(), 0);
    c.setCurrentId(m_sample.account.id);
    QVERIFY(c.errorText().isEmpty());
}

void TestAppAccounts::editContactWritesOutbox()
{
    AppContext &app = m_fixture.app();
    AccountsController &c = *app.accounts();
    c.setCurrentId(m_sample.account.id);
    const storage::ContactRow contact = m_sample.contacts.first();
    const qint64 before = pending(app);
    QSignalSpy rowChanged(c.contacts(), &QAbstractItemModel::dataChanged);
    QSignalSpy resets(c.contacts(), &QAbstractItemModel::modelReset);
    const QString phone = u"+44 1632 960999"_s;
    QVERIFY2(c.editContact(contact.id, {{u"phone"_s, phone}, {u"role"_s, u"Head buyer"_s}}),
             qPrintable(c.errorText()));
    QVERIFY(c.errorText().isEmpty());
    QCOMPARE(pending(app), before + 1);
    auto stored = storage::AccountRepository(app.db()).contact(contact.id);
    QVERIFY(stored);
    QCOMPARE(stored->phone, phone);
    QCOMPARE(stored->role, u"Head buyer"_s);
    QCOMPARE(stored->name, contact.name);
    QCOMPARE(rowChanged.count(), 1);
    QCOMPARE(resets.count(), 0);
    QCOMPARE(c.contactAt(0).value(u"contactId"_s).toLongLong(), contact.id);
    QCOMPARE(c.contactAt(0).value(u"phone"_s).toString(), phone);
    // Saving the same values again writes nothing.
    QVERIFY(c.editContact(contact.id, {{u"phone"_s, phone}}));
    QCOMPARE(pending(app), before + 1);
}

void TestAppAccounts::badContactRefusedNothingWritten_data()
{
    QTest::addColumn<QVariantMap>("fields");
    QTest::addColumn<QString>("code");
    QTest::newRow("emailWithoutAt") << QVariantMap{{u"email"_s, u"buyer.example.com"_s}} << u"contact.invalid_email"_s;
    QTest::newRow("emailWithSpace") << QVariantMap{{u"email"_s, u"buy er@example.com"_s}} << u"contact.invalid_email"_s;
    QTest::newRow("emailNoDomainDot") << QVariantMap{{u"email"_s, u"buyer@example"_s}} << u"contact.invalid_email"_s;
    QTest::newRow("badEmailWithGoodPhone")
        << QVariantMap{{u"phone"_s, u"+44 1632 960111"_s}, {u"email"_s, u"nope"_s}} << u"contact.invalid_email"_s;
    QTest::newRow("emptyName") << QVariantMap{{u"name"_s, u"   "_s}} << u"contact.name_required"_s;
    QTest::newRow("phoneWithLetters") << QVariantMap{{u"phone"_s, u"call reception"_s}} << u"contact.invalid_phone"_s;
    QTest::newRow("tooLong") << QVariantMap{{u"role"_s, QString(201, u'x')}} << u"contact.too_long"_s;
    QTest::newRow("unknownField") << QVariantMap{{u"accountId"_s, 5}} << u"contact.unknown_field"_s;
    QTest::newRow("nothing") << QVariantMap{} << u"contact.nothing_to_save"_s;
}

void TestAppAccounts::badContactRefusedNothingWritten()
{
    QFETCH(QVariantMap, fields);
    QFETCH(QString, code);
    AppContext &app = m_fixture.app();
    AccountsController &c = *app.accounts();
    c.setCurrentId(m_sample.account.id);
    const qint64 contactId = m_sample.contacts.last().id;
    auto before = storage::AccountRepository(app.db()).contact(contactId);
    QVERIFY(before);
    const qint64 outbox = pending(app);
    QSignalSpy errors(&c, &AccountsController::errorChanged);
    QVERIFY(!c.editContact(contactId, fields));
    QCOMPARE(c.errorCode(), code);
    QVERIFY(!c.errorText().isEmpty());
    QVERIFY(errors.count() >= 1);
    QCOMPARE(pending(app), outbox);
    auto after = storage::AccountRepository(app.db()).contact(contactId);
    QVERIFY(after);
    QCOMPARE(after->email, before->email);
    QCOMPARE(after->phone, before->phone);
    QCOMPARE(after->name, before->name);
    QCOMPARE(after->role, before->role);
}

void TestAppAccounts::saveNotesWritesOutboxAndMarksPending()
{
    AppContext &app = m_fixture.app();
    AccountsController &c = *app.accounts();
    c.setCurrentId(m_sample.account.id);
    QVERIFY(!c.notesPending());
    const qint64 before = pending(app);
    QVERIFY2(c.saveNotes(u"Deliveries via the rear gate before 9."_s), qPrintable(c.errorText()));
    QCOMPARE(pending(app), before + 1);
    QCOMPARE(c.notes(), u"Deliveries via the rear gate before 9."_s);
    QVERIFY(c.notesPending());
    QVERIFY(!c.saveNotes(QString(10001, u'n')));
    QCOMPARE(c.errorCode(), u"account.notes_too_long"_s);
    QCOMPARE(pending(app), before + 1);
    c.setCurrentId(0);
    QVERIFY(!c.saveNotes(u"x"_s));
    QCOMPARE(c.errorCode(), u"account.none"_s);
}

QTEST_GUILESS_MAIN(TestAppAccounts)
#include "tst_app_accounts.moc"
