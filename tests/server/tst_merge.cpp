// The conflict matrix of records both sides edit, server side: a manager's edit stands for "the
// server changed it", rep1's device sends record.* commands against the base it last saw.
#include "server/record_merge.h"
#include "tests/server/sync_http.h"

#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace outpost::test;
using namespace outpost::test::sync;
using outpost::server::mergeFields;

namespace {

QJsonObject command(const QString &kind, const QJsonObject &payload)
{
    return QJsonObject{{u"commandId"_s, newUuid()}, {u"kind"_s, kind}, {u"payload"_s, payload}};
}

QJsonObject update(const QString &entity, qint64 id, const QJsonObject &base, const QJsonObject &changes)
{
    return command(u"record.update"_s, QJsonObject{{u"entity"_s, entity}, {u"id"_s, id}, {u"base"_s, base},
                                                   {u"changes"_s, changes}});
}

QJsonObject remove(const QString &entity, qint64 id, const QJsonObject &base)
{
    return command(u"record.delete"_s, QJsonObject{{u"entity"_s, entity}, {u"id"_s, id}, {u"base"_s, base}});
}

QJsonObject create(const QString &entity, const QJsonObject &values)
{
    return command(u"record.create"_s,
                   QJsonObject{{u"entity"_s, entity}, {u"tempId"_s, u"tmp-"_s + newUuid()}, {u"values"_s, values}});
}

QString code(const QJsonObject &result)
{
    return result.value(u"body"_s).toObject().value(u"error"_s).toObject().value(u"code"_s).toString();
}

} // namespace

class TstMerge : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void mergeFieldsRule_data();
    void mergeFieldsRule();
    void differentFieldsMergeSilently();
    void sameFieldKeepsServerAndReportsConflict();
    void sameFieldSameValueIsNoConflict();
    void editVersusDelete();
    void deleteVersusEdit();
    void deleteVersusDelete();
    void createVersusCreateSameNaturalKey();
    void resolutionSyncsLikeAnyEdit();
    void appliedEditFlowsDownTheChangeFeed();
    void replayAnswersTheFirstOutcome();
    void fieldNotEditable_data();
    void fieldNotEditable();
    void otherTerritoryIsNotFound();

private:
    QJsonObject run(const QByteArray &token, const QJsonObject &cmd);
    // A fresh contact of rep1's account, made by the manager; returns its row (snake_case columns).
    QJsonObject freshContact();
    QJsonObject row(const QString &table, qint64 id)
    {
        return peekRow(m_server.dbPath(), u"SELECT * FROM %1 WHERE id = %2"_s.arg(table).arg(id));
    }

    TestServer m_server;
    QByteArray m_rep1;
    QByteArray m_manager;
    qint64 m_account = 0;
    qint64 m_otherAccount = 0;
    int m_made = 0;
};

QJsonObject TstMerge::run(const QByteArray &token, const QJsonObject &cmd)
{
    const HttpReply r = m_server.post(u"/v1/commands"_s, QJsonObject{{u"commands"_s, QJsonArray{cmd}}}, token);
    if (r.status != 200)
        return QJsonObject{{u"status"_s, -r.status}};
    return r.json.value(u"results"_s).toArray().at(0).toObject();
}

QJsonObject TstMerge::freshContact()
{
    ++m_made;
    const QJsonObject made = run(m_manager, create(u"contacts"_s, QJsonObject{{u"accountId"_s, m_account},
                                                                               {u"name"_s, u"Contact %1"_s.arg(m_made)},
                                                                               {u"phone"_s, u"+44 100 %1"_s.arg(m_made)},
                                                                               {u"email"_s, u"c%1@example.test"_s.arg(m_made)}}));
    if (made.value(u"status"_s).toInt() != 200)
        return {};
    return row(u"contacts"_s, made.value(u"body"_s).toObject().value(u"id"_s).toInteger());
}

void TstMerge::initTestCase()
{
    QVERIFY(m_server.seed());
    QVERIFY(m_server.start());
    m_rep1 = m_server.login(u"demo"_s, u"rep1"_s);
    m_manager = m_server.login(u"demo"_s, u"manager1"_s);
    QVERIFY(!m_rep1.isEmpty() && !m_manager.isEmpty());
    m_account = peek(m_server.dbPath(), u"SELECT MIN(ar.account_id) FROM account_reps ar JOIN users u ON u.id = "
                                        "ar.user_id JOIN tenants t ON t.id = u.tenant_id WHERE t.code = 'demo' AND "
                                        "u.username = 'rep1'"_s);
    m_otherAccount = peek(m_server.dbPath(), u"SELECT MIN(ar.account_id) FROM account_reps ar JOIN users u ON u.id = "
                                             "ar.user_id JOIN tenants t ON t.id = u.tenant_id WHERE t.code = 'demo' "
                                             "AND u.username = 'rep2'"_s);
    QVERIFY(m_account > 0 && m_otherAccount > 0);
}

void TstMerge::cleanupTestCase()
{
    m_server.stop();
}

void TstMerge::mergeFieldsRule_data()
{
    QTest::addColumn<QJsonObject>("server");
    QTest::addColumn<QJsonObject>("base");
    QTest::addColumn<QJsonObject>("changes");
    QTest::addColumn<QJsonObject>("applied");
    QTest::addColumn<QStringList>("conflicts");
    const QJsonObject base{{u"phone"_s, u"1"_s}, {u"email"_s, u"a@x"_s}};
    QTest::addRow("unchanged-server-takes-change")
        << base << base << QJsonObject{{u"phone"_s, u"2"_s}} << QJsonObject{{u"phone"_s, u"2"_s}} << QStringList();
    QTest::addRow("other-field-changed-on-server")
        << QJsonObject{{u"phone"_s, u"1"_s}, {u"email"_s, u"b@x"_s}} << base << QJsonObject{{u"phone"_s, u"2"_s}}
        << QJsonObject{{u"phone"_s, u"2"_s}} << QStringList();
    QTest::addRow("same-field-both-changed")
        << QJsonObject{{u"phone"_s, u"3"_s}, {u"email"_s, u"a@x"_s}} << base << QJsonObject{{u"phone"_s, u"2"_s}}
        << QJsonObject() << QStringList{u"phone"_s};
    QTest::addRow("same-field-same-value")
        << QJsonObject{{u"phone"_s, u"2"_s}, {u"email"_s, u"a@x"_s}} << base << QJsonObject{{u"phone"_s, u"2"_s}}
        << QJsonObject() << QStringList();
    QTest::addRow("one-merges-one-conflicts")
        << QJsonObject{{u"phone"_s, u"3"_s}, {u"email"_s, u"a@x"_s}} << base
        << QJsonObject{{u"phone"_s, u"2"_s}, {u"email"_s, u"c@x"_s}} << QJsonObject{{u"email"_s, u"c@x"_s}}
        << QStringList{u"phone"_s};
}

void TstMerge::mergeFieldsRule()
{
    QFETCH(QJsonObject, server);
    QFETCH(QJsonObject, base);
    QFETCH(QJsonObject, changes);
    QFETCH(QJsonObject, applied);
    QFETCH(QStringList, conflicts);
    const auto m = mergeFields(server, base, changes);
    QCOMPARE(m.apply, applied);
    QStringList fields;
    for (const auto &c : m.conflicts) {
        fields << c.field;
        QCOMPARE(c.theirs, server.value(c.field));
        QCOMPARE(c.mine, changes.value(c.field));
        QCOMPARE(c.base, base.value(c.field));
    }
    QCOMPARE(fields, conflicts);
}

void TstMerge::differentFieldsMergeSilently()
{
    const QJsonObject c = freshContact();
    const qint64 id = c.value(u"id"_s).toInteger();
    const QJsonObject base{{u"phone"_s, c.value(u"phone"_s)}, {u"email"_s, c.value(u"email"_s)}};
    QCOMPARE(run(m_manager, update(u"contacts"_s, id, base, {{u"phone"_s, u"+44 999"_s}})).value(u"status"_s).toInt(), 200);
    const QJsonObject r = run(m_rep1, update(u"contacts"_s, id, base, {{u"email"_s, u"new@example.test"_s}}));
    QCOMPARE(r.value(u"status"_s).toInt(), 200);
    const QJsonObject body = r.value(u"body"_s).toObject();
    QCOMPARE(body.value(u"outcome"_s).toString(), u"merged"_s);
    QCOMPARE(body.value(u"applied"_s).toArray(), QJsonArray{u"email"_s});
    QVERIFY(body.value(u"conflicts"_s).toArray().isEmpty());
    const QJsonObject after = row(u"contacts"_s, id);
    QCOMPARE(after.value(u"phone"_s).toString(), u"+44 999"_s);
    QCOMPARE(after.value(u"email"_s).toString(), u"new@example.test"_s);
    QCOMPARE(after.value(u"version"_s).toInteger(), c.value(u"version"_s).toInteger() + 2);
    QCOMPARE(body.value(u"record"_s).toObject().value(u"email"_s).toString(), u"new@example.test"_s);
}

void TstMerge::sameFieldKeepsServerAndReportsConflict()
{
    const QJsonObject c = freshContact();
    const qint64 id = c.value(u"id"_s).toInteger();
    const QJsonObject base{{u"phone"_s, c.value(u"phone"_s)}};
    QCOMPARE(run(m_manager, update(u"contacts"_s, id, base, {{u"phone"_s, u"+44 server"_s}})).value(u"status"_s).toInt(), 200);
    const qint64 version = row(u"contacts"_s, id).value(u"version"_s).toInteger();
    const QJsonObject r = run(m_rep1, update(u"contacts"_s, id, base, {{u"phone"_s, u"+44 device"_s}}));
    QCOMPARE(r.value(u"status"_s).toInt(), 200);
    const QJsonObject body = r.value(u"body"_s).toObject();
    QCOMPARE(body.value(u"outcome"_s).toString(), u"conflict"_s);
    const QJsonArray conflicts = body.value(u"conflicts"_s).toArray();
    QCOMPARE(conflicts.size(), 1);
    QCOMPARE(conflicts.at(0).toObject(), (QJsonObject{{u"field"_s, u"phone"_s},
                                                      {u"base"_s, c.value(u"phone"_s)},
                                                      {u"mine"_s, u"+44 device"_s},
                                                      {u"theirs"_s, u"+44 server"_s}}));
    QCOMPARE(row(u"contacts"_s, id).value(u"phone"_s).toString(), u"+44 server"_s);
    QCOMPARE(row(u"contacts"_s, id).value(u"version"_s).toInteger(), version);
}

void TstMerge::sameFieldSameValueIsNoConflict()
{
    const QJsonObject c = freshContact();
    const qint64 id = c.value(u"id"_s).toInteger();
    const QJsonObject base{{u"role"_s, c.value(u"role"_s)}};
    QCOMPARE(run(m_manager, update(u"contacts"_s, id, base, {{u"role"_s, u"Buyer"_s}})).value(u"status"_s).toInt(), 200);
    const qint64 version = row(u"contacts"_s, id).value(u"version"_s).toInteger();
    const QJsonObject r = run(m_rep1, update(u"contacts"_s, id, base, {{u"role"_s, u"Buyer"_s}}));
    QCOMPARE(r.value(u"status"_s).toInt(), 200);
    QCOMPARE(r.value(u"body"_s).toObject().value(u"outcome"_s).toString(), u"merged"_s);
    QVERIFY(r.value(u"body"_s).toObject().value(u"conflicts"_s).toArray().isEmpty());
    QCOMPARE(row(u"contacts"_s, id).value(u"version"_s).toInteger(), version); // nothing to write
}

void TstMerge::editVersusDelete()
{
    const QJsonObject c = freshContact();
    const qint64 id = c.value(u"id"_s).toInteger();
    QCOMPARE(run(m_manager, remove(u"contacts"_s, id, {{u"phone"_s, c.value(u"phone"_s)}})).value(u"status"_s).toInt(), 200);
    const QJsonObject r = run(m_rep1, update(u"contacts"_s, id, {{u"phone"_s, c.value(u"phone"_s)}},
                                             {{u"phone"_s, u"+44 edited"_s}}));
    QCOMPARE(r.value(u"status"_s).toInt(), 409);
    QCOMPARE(code(r), u"record.deleted"_s);
    const QJsonObject conflict = r.value(u"body"_s).toObject().value(u"conflicts"_s).toArray().at(0).toObject();
    QCOMPARE(conflict.value(u"field"_s).toString(), u"phone"_s);
    QCOMPARE(conflict.value(u"mine"_s).toString(), u"+44 edited"_s);
    QVERIFY(conflict.value(u"theirs"_s).isNull());
    QVERIFY(row(u"contacts"_s, id).isEmpty()); // not resurrected
}

void TstMerge::deleteVersusEdit()
{
    const QJsonObject c = freshContact();
    const qint64 id = c.value(u"id"_s).toInteger();
    const QJsonObject base{{u"phone"_s, c.value(u"phone"_s)}, {u"name"_s, c.value(u"name"_s)}};
    QCOMPARE(run(m_manager, update(u"contacts"_s, id, base, {{u"phone"_s, u"+44 kept"_s}})).value(u"status"_s).toInt(), 200);
    const QJsonObject r = run(m_rep1, remove(u"contacts"_s, id, base));
    QCOMPARE(r.value(u"status"_s).toInt(), 409);
    QCOMPARE(code(r), u"record.edit_conflict"_s);
    QCOMPARE(r.value(u"body"_s).toObject().value(u"theirs"_s).toObject().value(u"phone"_s).toString(), u"+44 kept"_s);
    QCOMPARE(row(u"contacts"_s, id).value(u"phone"_s).toString(), u"+44 kept"_s);
}

void TstMerge::deleteVersusDelete()
{
    const QJsonObject c = freshContact();
    const qint64 id = c.value(u"id"_s).toInteger();
    const QJsonObject base{{u"phone"_s, c.value(u"phone"_s)}};
    QCOMPARE(run(m_manager, remove(u"contacts"_s, id, base)).value(u"body"_s).toObject().value(u"outcome"_s).toString(),
             u"deleted"_s);
    const QJsonObject r = run(m_rep1, remove(u"contacts"_s, id, base));
    QCOMPARE(r.value(u"status"_s).toInt(), 200);
    QCOMPARE(r.value(u"body"_s).toObject().value(u"outcome"_s).toString(), u"already_deleted"_s);
    QCOMPARE(peek(m_server.dbPath(),
                  u"SELECT COUNT(*) FROM tombstones WHERE entity = 'contacts' AND entity_id = '%1'"_s.arg(id)),
             1);
}

void TstMerge::createVersusCreateSameNaturalKey()
{
    const QJsonObject first = run(m_manager, create(u"contacts"_s, QJsonObject{{u"accountId"_s, m_account},
                                                                                {u"name"_s, u"Dana"_s},
                                                                                {u"email"_s, u"dana@example.test"_s}}));
    QCOMPARE(first.value(u"status"_s).toInt(), 200);
    const qint64 count = peek(m_server.dbPath(), u"SELECT COUNT(*) FROM contacts"_s);
    const QJsonObject second = run(m_rep1, create(u"contacts"_s, QJsonObject{{u"accountId"_s, m_account},
                                                                              {u"name"_s, u"Dana B."_s},
                                                                              {u"email"_s, u"Dana@Example.test"_s}}));
    QCOMPARE(second.value(u"status"_s).toInt(), 409);
    QCOMPARE(code(second), u"record.duplicate"_s);
    QCOMPARE(second.value(u"body"_s).toObject().value(u"existing"_s).toObject().value(u"id"_s).toInteger(),
             first.value(u"body"_s).toObject().value(u"id"_s).toInteger());
    QCOMPARE(peek(m_server.dbPath(), u"SELECT COUNT(*) FROM contacts"_s), count);
}

void TstMerge::resolutionSyncsLikeAnyEdit()
{
    const QJsonObject c = freshContact();
    const qint64 id = c.value(u"id"_s).toInteger();
    const QJsonObject base{{u"email"_s, c.value(u"email"_s)}};
    run(m_manager, update(u"contacts"_s, id, base, {{u"email"_s, u"theirs@example.test"_s}}));
    const QJsonObject conflict = run(m_rep1, update(u"contacts"_s, id, base, {{u"email"_s, u"mine@example.test"_s}}));
    QCOMPARE(conflict.value(u"body"_s).toObject().value(u"outcome"_s).toString(), u"conflict"_s);
    // "Keep mine": the device edits again against what the server has now.
    const QJsonObject resolved = run(m_rep1, update(u"contacts"_s, id, {{u"email"_s, u"theirs@example.test"_s}},
                                                    {{u"email"_s, u"mine@example.test"_s}}));
    QCOMPARE(resolved.value(u"body"_s).toObject().value(u"outcome"_s).toString(), u"merged"_s);
    QCOMPARE(row(u"contacts"_s, id).value(u"email"_s).toString(), u"mine@example.test"_s);
}

void TstMerge::appliedEditFlowsDownTheChangeFeed()
{
    const QJsonObject c = freshContact();
    const qint64 id = c.value(u"id"_s).toInteger();
    const qint64 since = peek(m_server.dbPath(), u"SELECT seq FROM tenants WHERE code = 'demo'"_s);
    const QJsonObject r = run(m_rep1, update(u"accounts"_s, m_account, {{u"notes"_s, row(u"accounts"_s, m_account).value(u"notes"_s)}},
                                             {{u"notes"_s, u"Deliveries before 9"_s}}));
    QCOMPARE(r.value(u"status"_s).toInt(), 200);
    const Feed feed = readFeed(m_server, m_rep1, since, u"accounts"_s);
    QVERIFY(feed.ok);
    const QJsonArray accounts = feed.tables.value(u"accounts"_s);
    QCOMPARE(accounts.size(), 1);
    QCOMPARE(accounts.at(0).toObject().value(u"notes"_s).toString(), u"Deliveries before 9"_s);
    QCOMPARE(accounts.at(0).toObject().value(u"version"_s), r.value(u"body"_s).toObject().value(u"version"_s));
    QVERIFY(id > 0);
}

void TstMerge::replayAnswersTheFirstOutcome()
{
    const QJsonObject c = freshContact();
    const qint64 id = c.value(u"id"_s).toInteger();
    const QJsonObject cmd = update(u"contacts"_s, id, {{u"name"_s, c.value(u"name"_s)}}, {{u"name"_s, u"Renamed"_s}});
    const QJsonObject first = run(m_rep1, cmd);
    QCOMPARE(first.value(u"status"_s).toInt(), 200);
    run(m_manager, update(u"contacts"_s, id, {{u"name"_s, u"Renamed"_s}}, {{u"name"_s, u"Renamed again"_s}}));
    const qint64 version = row(u"contacts"_s, id).value(u"version"_s).toInteger();
    QCOMPARE(run(m_rep1, cmd), first); // not a conflict now: the stored answer
    QCOMPARE(row(u"contacts"_s, id).value(u"version"_s).toInteger(), version);
}

void TstMerge::fieldNotEditable_data()
{
    QTest::addColumn<QString>("entity");
    QTest::addColumn<QString>("field");
    QTest::addRow("account-name") << u"accounts"_s << u"name"_s;
    QTest::addRow("account-credit-limit") << u"accounts"_s << u"creditLimitMinor"_s;
    QTest::addRow("contact-account") << u"contacts"_s << u"accountId"_s;
    QTest::addRow("address-kind") << u"addresses"_s << u"kind"_s;
    QTest::addRow("contact-version") << u"contacts"_s << u"version"_s;
}

void TstMerge::fieldNotEditable()
{
    QFETCH(QString, entity);
    QFETCH(QString, field);
    const qint64 id = entity == u"accounts"_s
                          ? m_account
                          : peek(m_server.dbPath(), u"SELECT MIN(id) FROM %1 WHERE account_id = %2"_s.arg(entity).arg(m_account));
    const QJsonObject before = row(entity, id);
    const QJsonObject r = run(m_rep1, update(entity, id, {{field, u"x"_s}}, {{field, u"y"_s}}));
    QCOMPARE(r.value(u"status"_s).toInt(), 422);
    QCOMPARE(code(r), u"record.field_not_editable"_s);
    QCOMPARE(r.value(u"body"_s).toObject().value(u"error"_s).toObject().value(u"field"_s).toString(),
             u"payload.changes."_s + field);
    QCOMPARE(row(entity, id), before);
}

void TstMerge::otherTerritoryIsNotFound()
{
    const QJsonObject before = row(u"accounts"_s, m_otherAccount);
    const QJsonObject r = run(m_rep1, update(u"accounts"_s, m_otherAccount, {{u"phone"_s, before.value(u"phone"_s)}},
                                             {{u"phone"_s, u"+44 0"_s}}));
    QCOMPARE(r.value(u"status"_s).toInt(), 404);
    QCOMPARE(code(r), u"record.not_found"_s);
    QCOMPARE(row(u"accounts"_s, m_otherAccount), before);
}

QTEST_GUILESS_MAIN(TstMerge)
#include "tst_merge.moc"
