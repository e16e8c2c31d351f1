// Territory changes through PUT /v1/admin/territories: the change feed tells the rep who lost an
// account that it "left", and brings the account in full to the rep who gained it ("joined").
#include "tests/server/sync_http.h"

#include <QSet>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace outpost::test;
using namespace outpost::test::sync;

class TstEntitlement : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void movingAnAccountShowsLeftAndJoined();
    void territoryRequestErrors_data();
    void territoryRequestErrors();
    void nonAdminsCannotMoveAccounts();

private:
    RawReply putTerritory(const QJsonObject &body, const QByteArray &token = {});
    QStringList codesOf(const QByteArray &token);

    TestServer m_server;
    QByteArray m_rep1;
    QByteArray m_rep2;
    QByteArray m_admin;
};

RawReply TstEntitlement::putTerritory(const QJsonObject &body, const QByteArray &token)
{
    return rawRequest("PUT", m_server.url(u"/v1/admin/territories"_s), token.isEmpty() ? m_admin : token, {},
                      QJsonDocument(body).toJson(QJsonDocument::Compact));
}

QStringList TstEntitlement::codesOf(const QByteArray &token)
{
    const Feed feed = readFeed(m_server, token, 0, u"accounts"_s);
    QStringList codes;
    for (const QJsonValue &a : feed.tables.value(u"accounts"_s))
        codes << a.toObject().value(u"code"_s).toString();
    codes.sort();
    return codes;
}

void TstEntitlement::initTestCase()
{
    QVERIFY(m_server.seed());
    QVERIFY(m_server.start());
    m_rep1 = m_server.login(u"demo"_s, u"rep1"_s);
    m_rep2 = m_server.login(u"demo"_s, u"rep2"_s);
    m_admin = m_server.login(u"demo"_s, u"admin"_s);
    QVERIFY(!m_rep1.isEmpty() && !m_rep2.isEmpty() && !m_admin.isEmpty());
}

void TstEntitlement::cleanupTestCase()
{
    m_server.stop();
}

void TstEntitlement::movingAnAccountShowsLeftAndJoined()
{
    // Both devices are up to date.
    const Feed start1 = readFeed(m_server, m_rep1, 0, {});
    const Feed start2 = readFeed(m_server, m_rep2, 0, {});
    QVERIFY(start1.ok && start2.ok);
    const QJsonObject moved = start1.tables.value(u"accounts"_s).at(0).toObject();
    const qint64 accountId = moved.value(u"id"_s).toInteger();
    const QString code = moved.value(u"code"_s).toString();
    QVERIFY(accountId > 0);
    QStringList rep1Codes = codesOf(m_rep1);
    QStringList rep2Codes = codesOf(m_rep2);
    QVERIFY(!rep2Codes.contains(code));
    rep1Codes.removeAll(code);
    rep2Codes << code;

    // Will rep2 need a price list it did not have?
    const qint64 list = moved.value(u"priceListId"_s).toInteger();
    QSet<qint64> rep2Lists;
    for (const QJsonValue &a : start2.tables.value(u"accounts"_s))
        rep2Lists.insert(a.toObject().value(u"priceListId"_s).toInteger());
    const bool newList = !rep2Lists.contains(list);

    RawReply r = putTerritory(QJsonObject{{u"user"_s, u"rep1"_s}, {u"accounts"_s, QJsonArray::fromStringList(rep1Codes)}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"removed"_s).toInt(), 1);
    QCOMPARE(r.json.value(u"added"_s).toInt(), 0);
    r = putTerritory(QJsonObject{{u"user"_s, u"rep2"_s}, {u"accounts"_s, QJsonArray::fromStringList(rep2Codes)}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"added"_s).toInt(), 1);
    QCOMPARE(r.json.value(u"removed"_s).toInt(), 0);

    // rep1: the account left; its rows do not come any more.
    const Feed after1 = readFeed(m_server, m_rep1, start1.upto, {});
    QVERIFY(after1.ok);
    QJsonArray left;
    QJsonArray joined1;
    for (const QJsonObject &page : after1.pages) {
        for (const QJsonValue &v : page.value(u"left"_s).toObject().value(u"accounts"_s).toArray())
            left.append(v);
        for (const QJsonValue &v : page.value(u"joined"_s).toObject().value(u"accounts"_s).toArray())
            joined1.append(v);
    }
    QCOMPARE(left, QJsonArray{accountId});
    QVERIFY(joined1.isEmpty());
    QVERIFY(after1.tables.value(u"accounts"_s).isEmpty());

    // rep2: the account joined, with its rows whatever their seq.
    const Feed after2 = readFeed(m_server, m_rep2, start2.upto, {});
    QVERIFY(after2.ok);
    QJsonArray joined;
    QJsonArray resnapshot;
    for (const QJsonObject &page : after2.pages) {
        for (const QJsonValue &v : page.value(u"joined"_s).toObject().value(u"accounts"_s).toArray())
            joined.append(v);
        for (const QJsonValue &v : page.value(u"resnapshot"_s).toArray())
            resnapshot.append(v);
        QVERIFY(page.value(u"left"_s).toObject().value(u"accounts"_s).toArray().isEmpty());
    }
    QCOMPARE(joined, QJsonArray{accountId});
    QCOMPARE(after2.tables.value(u"accounts"_s).size(), 1);
    QCOMPARE(after2.tables.value(u"accounts"_s).at(0).toObject(), moved);
    for (const QString &table : {u"addresses"_s, u"contacts"_s, u"contract_prices"_s}) {
        const qint64 expected = peek(m_server.dbPath(), u"SELECT COUNT(*) FROM %1 WHERE account_id = %2"_s.arg(table).arg(accountId));
        qsizetype got = 0;
        for (const QJsonValue &v : after2.tables.value(table))
            got += v.toObject().value(u"accountId"_s).toInteger() == accountId ? 1 : 0;
        QCOMPARE(got, expected);
    }
    QCOMPARE(after2.tables.value(u"addresses"_s).isEmpty(), false);
    QCOMPARE(resnapshot, newList ? QJsonArray{u"prices"_s} : QJsonArray());

    // What the devices may do now follows: rep1 cannot order for it, rep2 can.
    const QJsonObject order{{u"commandId"_s, newUuid()},
                            {u"order"_s, QJsonObject{{u"id"_s, newUuid()},
                                                     {u"accountId"_s, accountId},
                                                     {u"lines"_s, QJsonArray{QJsonObject{{u"lineNo"_s, 1},
                                                                                         {u"sku"_s, u"SKU-0000001"_s},
                                                                                         {u"quantity"_s, 1}}}}}}};
    QCOMPARE(m_server.post(u"/v1/orders"_s, order, m_rep1).errorCode(), u"account.not_found"_s);
    QCOMPARE(m_server.post(u"/v1/orders"_s, order, m_rep2).status, 200);

    // Snapshots and checksums follow the territory too.
    const DecodedSnapshot snap2 =
        decodeSnapshot(rawRequest("GET", m_server.url(u"/v1/sync/snapshot?partition=accounts"_s), m_rep2).body);
    QVERIFY(snap2.ok);
    bool found = false;
    for (const QJsonValue &a : snap2.tables.value(u"accounts"_s))
        found = found || a.toObject().value(u"id"_s).toInteger() == accountId;
    QVERIFY(found);
    const HttpReply sums1 = m_server.get(u"/v1/sync/checksums?partitions=accounts"_s, m_rep1);
    QCOMPARE(sums1.status, 200);
    QCOMPARE(sums1.json.value(u"partitions"_s).toObject().value(u"accounts"_s).toObject().value(u"accounts"_s).toObject()
                 .value(u"count"_s).toInteger(),
             rep1Codes.size());
}

void TstEntitlement::territoryRequestErrors_data()
{
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::addRow("unknown-user") << QJsonObject{{u"user"_s, u"nobody"_s}, {u"accounts"_s, QJsonArray()}} << 404
                                  << u"user.not_found"_s;
    QTest::addRow("not-a-rep") << QJsonObject{{u"user"_s, u"manager1"_s}, {u"accounts"_s, QJsonArray()}} << 422
                               << u"user.not_rep"_s;
    QTest::addRow("unknown-account") << QJsonObject{{u"user"_s, u"rep3"_s}, {u"accounts"_s, QJsonArray{u"NOPE-1"_s}}}
                                     << 422 << u"account.unknown"_s;
    QTest::addRow("account-not-text") << QJsonObject{{u"user"_s, u"rep3"_s}, {u"accounts"_s, QJsonArray{7}}} << 400
                                      << u"request.wrong_type"_s;
    QTest::addRow("missing-accounts") << QJsonObject{{u"user"_s, u"rep3"_s}} << 400 << u"request.missing_field"_s;
    QTest::addRow("unknown-field") << QJsonObject{{u"user"_s, u"rep3"_s}, {u"accounts"_s, QJsonArray()}, {u"x"_s, 1}}
                                   << 400 << u"request.unknown_field"_s;
}

void TstEntitlement::territoryRequestErrors()
{
    QFETCH(QJsonObject, body);
    QFETCH(int, status);
    QFETCH(QString, code);
    const qint64 seq = peek(m_server.dbPath(), u"SELECT seq FROM tenants WHERE code = 'demo'"_s);
    const qint64 rows = peek(m_server.dbPath(), u"SELECT COUNT(*) FROM account_reps"_s);
    const RawReply r = putTerritory(body);
    QCOMPARE(r.status, status);
    QCOMPARE(r.errorCode(), code);
    QCOMPARE(peek(m_server.dbPath(), u"SELECT seq FROM tenants WHERE code = 'demo'"_s), seq);
    QCOMPARE(peek(m_server.dbPath(), u"SELECT COUNT(*) FROM account_reps"_s), rows);
}

void TstEntitlement::nonAdminsCannotMoveAccounts()
{
    const QJsonObject body{{u"user"_s, u"rep1"_s}, {u"accounts"_s, QJsonArray()}};
    QCOMPARE(putTerritory(body, m_rep1).status, 403);
    QCOMPARE(putTerritory(body, m_server.login(u"demo"_s, u"manager1"_s)).status, 403);
}

QTEST_GUILESS_MAIN(TstEntitlement)
#include "tst_entitlement.moc"
