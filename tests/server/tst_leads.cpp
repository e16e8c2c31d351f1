// Kiosk leads: "lead.create" through POST /v1/commands (validation codes, one row per command id
// however often it is sent), GET /v1/admin/leads for admins only, and the v1 -> v2 schema migration.
#include "tests/server/sync_http.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace outpost::test;
using namespace outpost::test::sync;

class TstLeads : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void badLeadIsRefusedAndStoresNothing_data();
    void badLeadIsRefusedAndStoresNothing();
    void kioskLeadIsStoredOnceAndListed();
    void everyRoleMaySendLeads();
    void kioskMaySendOnlyLeads();
    void adminListIsForAdminsOnly();
    void version1DatabaseGainsLeadsTable();

private:
    QJsonObject leadCommand(const QJsonObject &overrides, const QString &commandId = newUuid()) const;
    HttpReply send(const QJsonObject &command, const QByteArray &token) const;
    qint64 leadRows() const { return peek(m_server.dbPath(), u"SELECT COUNT(*) FROM leads"_s); }

    TestServer m_server;
    QByteArray m_kiosk;
    QByteArray m_admin;
    QList<qint64> m_products;
};

QJsonObject TstLeads::leadCommand(const QJsonObject &overrides, const QString &commandId) const
{
    QJsonObject payload{{u"id"_s, newUuid()},
                        {u"name"_s, u"Visitor One"_s},
                        {u"company"_s, u"Corner Shop"_s},
                        {u"email"_s, u"visitor@example.com"_s},
                        {u"phone"_s, u""_s},
                        {u"note"_s, u"call after 5"_s},
                        {u"items"_s, QJsonArray{QJsonObject{{u"productId"_s, m_products.value(0)}, {u"quantity"_s, 3}},
                                                QJsonObject{{u"productId"_s, m_products.value(1)}, {u"quantity"_s, 1}}}}};
    for (auto it = overrides.begin(); it != overrides.end(); ++it)
        payload.insert(it.key(), it.value());
    return QJsonObject{{u"commandId"_s, commandId}, {u"kind"_s, u"lead.create"_s}, {u"payload"_s, payload}};
}

HttpReply TstLeads::send(const QJsonObject &command, const QByteArray &token) const
{
    return m_server.post(u"/v1/commands"_s, QJsonObject{{u"commands"_s, QJsonArray{command}}}, token);
}

void TstLeads::initTestCase()
{
    QVERIFY(m_server.seed());
    QVERIFY(m_server.start());
    m_kiosk = m_server.login(u"demo"_s, u"kiosk1"_s);
    m_admin = m_server.login(u"demo"_s, u"admin"_s);
    QVERIFY(!m_kiosk.isEmpty() && !m_admin.isEmpty());
    m_products = peekColumn(m_server.dbPath(), u"SELECT p.id FROM products p JOIN tenants t ON t.id = p.tenant_id "
                                               "WHERE t.code = 'demo' ORDER BY p.id LIMIT 2"_s);
    QCOMPARE(m_products.size(), 2);
}

void TstLeads::cleanupTestCase()
{
    m_server.stop();
}

void TstLeads::badLeadIsRefusedAndStoresNothing_data()
{
    QTest::addColumn<QJsonObject>("overrides");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::newRow("noName") << QJsonObject{{u"name"_s, u"  "_s}} << 400 << u"lead.name_required"_s;
    QTest::newRow("noEmailNoPhone") << QJsonObject{{u"email"_s, u""_s}, {u"phone"_s, u""_s}} << 400
                                    << u"lead.contact_required"_s;
    QTest::newRow("badEmail") << QJsonObject{{u"email"_s, u"not-an-address"_s}} << 400 << u"lead.invalid_email"_s;
    QTest::newRow("noItems") << QJsonObject{{u"items"_s, QJsonArray()}} << 400 << u"lead.empty"_s;
    QTest::newRow("zeroQuantity")
        << QJsonObject{{u"items"_s, QJsonArray{QJsonObject{{u"productId"_s, 1}, {u"quantity"_s, 0}}}}} << 400
        << u"lead.bad_item"_s;
    QTest::newRow("unknownProduct")
        << QJsonObject{{u"items"_s, QJsonArray{QJsonObject{{u"productId"_s, 99999999}, {u"quantity"_s, 1}}}}} << 422
        << u"lead.unknown_product"_s;
    QTest::newRow("unknownField") << QJsonObject{{u"accountId"_s, 1}} << 400 << u"request.unknown_field"_s;
}

void TstLeads::badLeadIsRefusedAndStoresNothing()
{
    QFETCH(QJsonObject, overrides);
    QFETCH(int, status);
    QFETCH(QString, code);
    const qint64 before = leadRows();
    const HttpReply r = send(leadCommand(overrides), m_kiosk);
    QCOMPARE(r.status, 200);
    const QJsonObject result = r.json.value(u"results"_s).toArray().at(0).toObject();
    QCOMPARE(result.value(u"status"_s).toInt(), status);
    QCOMPARE(result.value(u"body"_s).toObject().value(u"error"_s).toObject().value(u"code"_s).toString(), code);
    QCOMPARE(leadRows(), before);
}

void TstLeads::kioskLeadIsStoredOnceAndListed()
{
    const qint64 before = leadRows();
    const QString commandId = newUuid();
    const QJsonObject command = leadCommand({{u"name"_s, u"Exactly Once"_s}}, commandId);
    const HttpReply first = send(command, m_kiosk);
    const HttpReply again = send(command, m_kiosk);
    QCOMPARE(first.status, 200);
    const QJsonObject a = first.json.value(u"results"_s).toArray().at(0).toObject();
    const QJsonObject b = again.json.value(u"results"_s).toArray().at(0).toObject();
    QCOMPARE(a.value(u"status"_s).toInt(), 201);
    QCOMPARE(a.value(u"body"_s).toObject().value(u"outcome"_s).toString(), u"accepted"_s);
    QCOMPARE(a.value(u"body"_s).toObject().value(u"items"_s).toInt(), 2);
    QCOMPARE(b, a); // the replay answers the stored outcome
    QCOMPARE(leadRows(), before + 1);

    const HttpReply list = m_server.get(u"/v1/admin/leads"_s, m_admin);
    QCOMPARE(list.status, 200);
    const QJsonObject newest = list.json.value(u"leads"_s).toArray().at(0).toObject();
    QCOMPARE(newest.value(u"name"_s).toString(), u"Exactly Once"_s);
    QCOMPARE(newest.value(u"id"_s).toInteger(), a.value(u"body"_s).toObject().value(u"leadId"_s).toInteger());
    QCOMPARE(newest.value(u"items"_s).toArray().size(), 2);
    QCOMPARE(newest.value(u"items"_s).toArray().at(0).toObject().value(u"quantity"_s).toInt(), 3);
    QVERIFY(!newest.value(u"items"_s).toArray().at(0).toObject().value(u"sku"_s).toString().isEmpty());
}

void TstLeads::everyRoleMaySendLeads()
{
    const QByteArray rep = m_server.login(u"demo"_s, u"rep1"_s);
    const HttpReply r = send(leadCommand({{u"email"_s, u""_s}, {u"phone"_s, u"+44 20 7946 0000"_s}}), rep);
    QCOMPARE(r.json.value(u"results"_s).toArray().at(0).toObject().value(u"status"_s).toInt(), 201);
}

void TstLeads::kioskMaySendOnlyLeads()
{
    const QJsonObject record{{u"commandId"_s, newUuid()},
                             {u"kind"_s, u"record.update"_s},
                             {u"payload"_s, QJsonObject{{u"entity"_s, u"contacts"_s}, {u"id"_s, 1},
                                                        {u"base"_s, QJsonObject()}, {u"changes"_s, QJsonObject()}}}};
    const HttpReply r = send(record, m_kiosk);
    QCOMPARE(r.status, 200);
    const QJsonObject result = r.json.value(u"results"_s).toArray().at(0).toObject();
    QCOMPARE(result.value(u"status"_s).toInt(), 403);
}

void TstLeads::adminListIsForAdminsOnly()
{
    QCOMPARE(m_server.get(u"/v1/admin/leads"_s, m_kiosk).status, 403);
    QCOMPARE(m_server.get(u"/v1/admin/leads"_s).status, 401);
    QCOMPARE(m_server.get(u"/v1/admin/leads?limit=0"_s, m_admin).status, 400);
    QCOMPARE(m_server.get(u"/v1/admin/leads?since=x"_s, m_admin).status, 400);
}

void TstLeads::version1DatabaseGainsLeadsTable()
{
    // A server database made before leads: drop the table, mark it version 1, start again.
    TestServer old;
    QVERIFY(old.seed());
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"tst_leads_v1"_s);
        db.setDatabaseName(old.dbPath());
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(u"DROP TABLE leads"_s));
        QVERIFY(q.exec(u"UPDATE schema_meta SET value = '1' WHERE key = 'version'"_s));
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(u"tst_leads_v1"_s);
    QVERIFY(old.start());
    const QByteArray admin = old.login(u"demo"_s, u"admin"_s);
    QCOMPARE(old.get(u"/v1/admin/leads"_s, admin).status, 200);
    QVERIFY(peek(old.dbPath(), u"SELECT value FROM schema_meta WHERE key = 'version'"_s) >= 2); // later versions migrate on
    old.stop();
}

QTEST_GUILESS_MAIN(TstLeads)
#include "tst_leads.moc"
