// ConflictsController against the real server: a contact edited on the device and, differently,
// by another device of the same rep through the API; the sync records a conflict row per field;
// keep mine sends mine again (the server ends with it), keep theirs closes the row.
#include "app/conflicts_controller.h"
#include "storage/account_repository.h"
#include "storage/database.h"
#include "storage/outbox_repository.h"
#include "tests/app/app_fixture.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>

using namespace Qt::Literals::StringLiterals;
using namespace outpost;

class TstAppConflicts : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void conflictAppearsAsRowsFieldByField();
    void keepMineSendsMineAndServerEndsWithIt();
    void keepTheirsClosesTheConflict();
    void resolvingUnknownOrClosedConflictChangesNothing();

private:
    // Edits `field` of the contact on the device (mine) and through the API (theirs), then syncs.
    bool makeConflict(const QString &field, const QString &mine, const QString &theirs);
    QJsonObject serverContact();
    int rowOf(const QString &field);

    test::AppFixture m_fx;
    qint64 m_accountId = 0;
    qint64 m_contactId = 0;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void TstAppConflicts::initTestCase()
{
    QVERIFY(m_fx.setUp());
    storage::AccountRepository accounts(m_fx.app().db());
    auto list = accounts.search({}, 50);
    QVERIFY(list);
    for (const storage::AccountRow &a : std::as_const(*list)) {
        auto details = accounts.details(a.id);
        if (details && !details->contacts.isEmpty()) {
            m_accountId = a.id;
            m_contactId = details->contacts.first().id;
            break;
        }
    }
    QVERIFY(m_contactId > 0);
    m_tester = std::make_unique<QAbstractItemModelTester>(m_fx.app().conflicts()->model(),
                                                          QAbstractItemModelTester::FailureReportingMode::Fatal);
}

QJsonObject TstAppConflicts::serverContact()
{
    const test::HttpReply r =
        m_fx.server().get(u"/v1/accounts/%1"_s.arg(m_accountId), m_fx.serverToken(u"rep1"_s));
    for (const QJsonValue &v : r.json.value(u"contacts"_s).toArray()) {
        if (v.toObject().value(u"id"_s).toInteger() == m_contactId)
            return v.toObject();
    }
    return {};
}

bool TstAppConflicts::makeConflict(const QString &field, const QString &mine, const QString &theirs)
{
    const QJsonObject before = serverContact();
    if (before.isEmpty())
        return false;
    storage::ContactEdit edit;
    if (field == u"phone"_s)
        edit.phone = mine;
    else
        edit.email = mine;
    if (!storage::AccountRepository(m_fx.app().db()).editContact(m_contactId, edit, m_fx.app().now()))
        return false;
    m_fx.app().notifyLocalChange();
    const QJsonObject command{
        {u"commandId"_s, QUuid::createUuid().toString(QUuid::WithoutBraces)},
        {u"kind"_s, u"record.update"_s},
        {u"payload"_s, QJsonObject{{u"entity"_s, u"contacts"_s},
                                   {u"id"_s, m_contactId},
                                   {u"base"_s, QJsonObject{{field, before.value(field)}}},
                                   {u"changes"_s, QJsonObject{{field, theirs}}}}}};
    const test::HttpReply r = m_fx.server().post(u"/v1/commands"_s, QJsonObject{{u"commands"_s, QJsonArray{command}}},
                                                 m_fx.serverToken(u"rep1"_s));
    if (r.json.value(u"results"_s).toArray().at(0).toObject().value(u"status"_s).toInt() != 200)
        return false;
    return m_fx.syncNow();
}

int TstAppConflicts::rowOf(const QString &field)
{
    const app::ConflictListModel *m = m_fx.app().conflicts()->model();
    for (int i = 0; i < m->rowCount(); ++i) {
        if (m->data(m->index(i), app::ConflictListModel::FieldRole).toString() == field)
            return i;
    }
    return -1;
}

void TstAppConflicts::conflictAppearsAsRowsFieldByField()
{
    app::ConflictListModel *m = m_fx.app().conflicts()->model();
    QCOMPARE(m->count(), 0);
    QSignalSpy count(m, &app::ConflictListModel::countChanged);
    QVERIFY(makeConflict(u"phone"_s, u"+44 1111 111111"_s, u"+44 2222 222222"_s));
    const int row = rowOf(u"phone"_s);
    QVERIFY(row >= 0);
    QVERIFY(count.size() >= 1);
    const QModelIndex i = m->index(row);
    QCOMPARE(m->data(i, app::ConflictListModel::EntityRole).toString(), u"contacts"_s);
    QVERIFY(m->data(i, app::ConflictListModel::EntityLabelRole).toString().startsWith(u"Contact: "_s));
    QCOMPARE(m->data(i, app::ConflictListModel::FieldLabelRole).toString(), u"Phone"_s);
    QCOMPARE(m->data(i, app::ConflictListModel::MineRole).toString(), u"+44 1111 111111"_s);
    QCOMPARE(m->data(i, app::ConflictListModel::TheirsRole).toString(), u"+44 2222 222222"_s);
    QVERIFY(m->data(i, app::ConflictListModel::CanKeepMineRole).toBool());
    QVERIFY(!m->data(i, app::ConflictListModel::CreatedTextRole).toString().isEmpty());
    QCOMPARE(m->roleNames().value(app::ConflictListModel::ConflictIdRole), QByteArray("conflictId"));
    // A refresh without changes keeps the rows.
    m_fx.app().conflicts()->refresh();
    QCOMPARE(rowOf(u"phone"_s), row);
}

void TstAppConflicts::keepMineSendsMineAndServerEndsWithIt()
{
    app::ConflictListModel *m = m_fx.app().conflicts()->model();
    const int row = rowOf(u"phone"_s);
    QVERIFY(row >= 0);
    const qint64 id = m->data(m->index(row), app::ConflictListModel::ConflictIdRole).toLongLong();
    auto pendingBefore = storage::OutboxRepository(m_fx.app().db()).pendingCount();
    QVERIFY(pendingBefore);
    QVERIFY(m_fx.app().conflicts()->keepMine(id));
    QCOMPARE(rowOf(u"phone"_s), -1);
    auto pendingAfter = storage::OutboxRepository(m_fx.app().db()).pendingCount();
    QCOMPARE(*pendingAfter, *pendingBefore + 1);
    QVERIFY(m_fx.syncNow());
    QCOMPARE(serverContact().value(u"phone"_s).toString(), u"+44 1111 111111"_s);
    QCOMPARE(rowOf(u"phone"_s), -1); // no new conflict
}

void TstAppConflicts::keepTheirsClosesTheConflict()
{
    QVERIFY(makeConflict(u"email"_s, u"mine@example.com"_s, u"theirs@example.com"_s));
    app::ConflictListModel *m = m_fx.app().conflicts()->model();
    const int row = rowOf(u"email"_s);
    QVERIFY(row >= 0);
    const qint64 id = m->data(m->index(row), app::ConflictListModel::ConflictIdRole).toLongLong();
    auto pendingBefore = storage::OutboxRepository(m_fx.app().db()).pendingCount();
    QVERIFY(m_fx.app().conflicts()->keepTheirs(id));
    QCOMPARE(rowOf(u"email"_s), -1);
    QCOMPARE(*storage::OutboxRepository(m_fx.app().db()).pendingCount(), *pendingBefore); // nothing to send
    QVERIFY(m_fx.syncNow());
    QCOMPARE(serverContact().value(u"email"_s).toString(), u"theirs@example.com"_s);
    QCOMPARE(storage::AccountRepository(m_fx.app().db()).contact(m_contactId)->email, u"theirs@example.com"_s);
}

void TstAppConflicts::resolvingUnknownOrClosedConflictChangesNothing()
{
    app::ConflictsController *c = m_fx.app().conflicts();
    const int rows = c->model()->rowCount();
    QSignalSpy error(c, &app::ConflictsController::errorChanged);
    QVERIFY(!c->keepMine(987654));
    QCOMPARE(error.size(), 1);
    QCOMPARE(c->errorText(), u"This conflict is already resolved"_s);
    QVERIFY(!c->keepTheirs(987654));
    QCOMPARE(c->model()->rowCount(), rows);
}

QTEST_MAIN(TstAppConflicts)
#include "tst_app_conflicts.moc"
