// POST /v1/commands: per-command outcomes in one batch, replay by commandId, a 1,000-order batch.
#include "tests/server/sync_http.h"

#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace outpost::test;
using namespace outpost::test::sync;

namespace {

QJsonObject orderCommand(qint64 account, const QList<qint64> &products, const QString &commandId = newUuid(),
                         const QString &orderId = newUuid())
{
    QJsonArray lines;
    int n = 0;
    for (qint64 p : products) {
        ++n;
        lines.append(QJsonObject{{u"lineNo"_s, n}, {u"productId"_s, p}, {u"quantity"_s, 1 + n % 3}});
    }
    return QJsonObject{{u"commandId"_s, commandId},
                       {u"kind"_s, u"order.submit"_s},
                       {u"payload"_s, QJsonObject{{u"id"_s, orderId}, {u"accountId"_s, account}, {u"lines"_s, lines}}}};
}

} // namespace

class TstCommands : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void mixedBatchAnswersEachCommand();
    void replayAnswersTheStoredBodies();
    void replayAcrossOrdersEndpoint();
    void reusedKeyIsConflict();
    void thousandOrderBatch();
    void batchShapeErrors_data();
    void batchShapeErrors();
    void kioskIsForbidden();

private:
    HttpReply send(const QJsonArray &commands, const QByteArray &token = {});
    qint64 count(const QString &sql) { return peek(m_server.dbPath(), sql); }

    TestServer m_server;
    QByteArray m_rep1;
    qint64 m_account = 0;      // rep1's
    qint64 m_otherAccount = 0; // not rep1's
    QList<qint64> m_products;
    QJsonArray m_mixed;
    QJsonArray m_mixedResults;
};

HttpReply TstCommands::send(const QJsonArray &commands, const QByteArray &token)
{
    return m_server.post(u"/v1/commands"_s, QJsonObject{{u"commands"_s, commands}}, token.isEmpty() ? m_rep1 : token);
}

void TstCommands::initTestCase()
{
    QVERIFY(m_server.seed());
    QVERIFY(m_server.start());
    m_rep1 = m_server.login(u"demo"_s, u"rep1"_s);
    QVERIFY(!m_rep1.isEmpty());
    m_account = count(u"SELECT MIN(ar.account_id) FROM account_reps ar JOIN users u ON u.id = ar.user_id "
                      "WHERE u.username = 'rep1'"_s);
    m_otherAccount = count(u"SELECT MIN(ar.account_id) FROM account_reps ar JOIN users u ON u.id = ar.user_id "
                           "WHERE u.username = 'rep2'"_s);
    m_products = peekColumn(m_server.dbPath(), u"SELECT p.id FROM products p JOIN tenants t ON t.id = p.tenant_id "
                                               "WHERE t.code = 'demo' AND p.discontinued = 0 ORDER BY p.id LIMIT 10"_s);
    QVERIFY(m_account > 0 && m_otherAccount > 0);
    QCOMPARE(m_products.size(), 10);
}

void TstCommands::cleanupTestCase()
{
    m_server.stop();
}

void TstCommands::mixedBatchAnswersEachCommand()
{
    const qint64 ordersBefore = count(u"SELECT COUNT(*) FROM orders"_s);
    const qint64 contact = count(u"SELECT MIN(id) FROM contacts WHERE account_id = %1"_s.arg(m_account));
    QJsonObject badProduct = orderCommand(m_account, {m_products[0], 999999999});
    QJsonObject badUuid = orderCommand(m_account, {m_products[0]});
    badUuid.insert(u"commandId"_s, u"not-a-uuid"_s);
    QJsonObject unknownKind = orderCommand(m_account, {m_products[0]});
    unknownKind.insert(u"kind"_s, u"order.cancel"_s);
    const QJsonObject update{{u"commandId"_s, newUuid()},
                             {u"kind"_s, u"record.update"_s},
                             {u"payload"_s, QJsonObject{{u"entity"_s, u"contacts"_s},
                                                        {u"id"_s, contact},
                                                        {u"base"_s, QJsonObject{{u"role"_s, u"x-unlikely"_s}}},
                                                        {u"changes"_s, QJsonObject{{u"phone"_s, u"+44 1"_s}}}}}};
    m_mixed = QJsonArray{orderCommand(m_account, m_products.mid(0, 3)),
                         badProduct,
                         badUuid,
                         unknownKind,
                         orderCommand(m_otherAccount, {m_products[1]}),
                         update,
                         orderCommand(m_account, m_products.mid(3, 2))};
    const HttpReply r = send(m_mixed);
    QCOMPARE(r.status, 200);
    m_mixedResults = r.json.value(u"results"_s).toArray();
    QCOMPARE(m_mixedResults.size(), m_mixed.size());
    const QList<int> expected{200, 422, 400, 400, 404, 400, 200};
    const QStringList codes{{}, u"product.unknown"_s, u"command.invalid_id"_s, u"command.unknown_kind"_s,
                            u"account.not_found"_s, u"request.missing_field"_s, {}};
    for (qsizetype i = 0; i < m_mixed.size(); ++i) {
        const QJsonObject result = m_mixedResults.at(i).toObject();
        QCOMPARE(result.value(u"status"_s).toInt(), expected.at(i));
        QCOMPARE(result.value(u"body"_s).toObject().value(u"error"_s).toObject().value(u"code"_s).toString(), codes.at(i));
        if (i != 2)
            QCOMPARE(result.value(u"commandId"_s).toString(), m_mixed.at(i).toObject().value(u"commandId"_s).toString());
    }
    // The update's base lacks nothing but names a field it does not change: the missing base field is phone.
    QCOMPARE(m_mixedResults.at(5).toObject().value(u"body"_s).toObject().value(u"error"_s).toObject().value(u"field"_s).toString(),
             u"payload.base.phone"_s);
    QCOMPARE(count(u"SELECT COUNT(*) FROM orders"_s), ordersBefore + 2);
    const QJsonObject first = m_mixedResults.at(0).toObject().value(u"body"_s).toObject();
    QVERIFY(first.value(u"orderNumber"_s).toString().startsWith(u"SO-"_s));
    QCOMPARE(first.value(u"lines"_s).toArray().size(), 3);
    // Both orders of the batch share one seq (one write transaction).
    QCOMPARE(count(u"SELECT COUNT(DISTINCT seq) FROM orders WHERE id IN ('%1', '%2')"_s
                       .arg(m_mixed.at(0).toObject().value(u"payload"_s).toObject().value(u"id"_s).toString(),
                            m_mixed.at(6).toObject().value(u"payload"_s).toObject().value(u"id"_s).toString())),
             1);
}

void TstCommands::replayAnswersTheStoredBodies()
{
    QVERIFY(!m_mixedResults.isEmpty());
    const qint64 ordersBefore = count(u"SELECT COUNT(*) FROM orders"_s);
    const qint64 commandsBefore = count(u"SELECT COUNT(*) FROM commands"_s);
    const HttpReply r = send(m_mixed);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"results"_s).toArray(), m_mixedResults);
    QCOMPARE(count(u"SELECT COUNT(*) FROM orders"_s), ordersBefore);
    QCOMPARE(count(u"SELECT COUNT(*) FROM commands"_s), commandsBefore);
    // The same command twice in one batch: stored once, answered twice alike.
    const QJsonObject once = orderCommand(m_account, {m_products[5]});
    const HttpReply twice = send(QJsonArray{once, once});
    QCOMPARE(twice.status, 200);
    const QJsonArray results = twice.json.value(u"results"_s).toArray();
    QCOMPARE(results.at(0).toObject().value(u"status"_s).toInt(), 200);
    QCOMPARE(results.at(0), results.at(1));
    QCOMPARE(count(u"SELECT COUNT(*) FROM orders"_s), ordersBefore + 1);
}

void TstCommands::replayAcrossOrdersEndpoint()
{
    const QJsonObject command = orderCommand(m_account, {m_products[6], m_products[7]});
    const HttpReply direct = m_server.post(
        u"/v1/orders"_s,
        QJsonObject{{u"commandId"_s, command.value(u"commandId"_s)}, {u"order"_s, command.value(u"payload"_s)}}, m_rep1);
    QCOMPARE(direct.status, 200);
    const HttpReply batch = send(QJsonArray{command});
    QCOMPARE(batch.status, 200);
    const QJsonObject result = batch.json.value(u"results"_s).toArray().at(0).toObject();
    QCOMPARE(result.value(u"status"_s).toInt(), 200);
    QCOMPARE(result.value(u"body"_s).toObject(), direct.json);
}

void TstCommands::reusedKeyIsConflict()
{
    const QJsonObject first = orderCommand(m_account, {m_products[8]});
    QCOMPARE(send(QJsonArray{first}).status, 200);
    QJsonObject other = orderCommand(m_account, {m_products[9]}, first.value(u"commandId"_s).toString());
    const HttpReply r = send(QJsonArray{other});
    const QJsonObject result = r.json.value(u"results"_s).toArray().at(0).toObject();
    QCOMPARE(result.value(u"status"_s).toInt(), 409);
    QCOMPARE(result.value(u"body"_s).toObject().value(u"error"_s).toObject().value(u"code"_s).toString(),
             u"command.key_reused"_s);
}

void TstCommands::thousandOrderBatch()
{
    const qint64 ordersBefore = count(u"SELECT COUNT(*) FROM orders"_s);
    const qint64 linesBefore = count(u"SELECT COUNT(*) FROM order_lines"_s);
    const qint64 seqBefore = count(u"SELECT seq FROM tenants WHERE code = 'demo'"_s);
    QJsonArray commands;
    for (int i = 0; i < 1000; ++i)
        commands.append(orderCommand(m_account, m_products));
    const HttpReply r = send(commands);
    QCOMPARE(r.status, 200);
    const QJsonArray results = r.json.value(u"results"_s).toArray();
    QCOMPARE(results.size(), 1000);
    for (qsizetype i = 0; i < results.size(); ++i) {
        const QJsonObject result = results.at(i).toObject();
        QCOMPARE(result.value(u"status"_s).toInt(), 200);
        QCOMPARE(result.value(u"commandId"_s).toString(), commands.at(i).toObject().value(u"commandId"_s).toString());
        QCOMPARE(result.value(u"body"_s).toObject().value(u"lines"_s).toArray().size(), 10);
    }
    QCOMPARE(count(u"SELECT COUNT(*) FROM orders"_s), ordersBefore + 1000);
    QCOMPARE(count(u"SELECT COUNT(*) FROM order_lines"_s), linesBefore + 10000);
    QCOMPARE(count(u"SELECT seq FROM tenants WHERE code = 'demo'"_s), seqBefore + 1);
}

void TstCommands::batchShapeErrors_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::addRow("no-commands") << QByteArray("{}") << 400 << u"request.missing_field"_s;
    QTest::addRow("commands-not-array") << QByteArray(R"({"commands":{}})") << 400 << u"request.wrong_type"_s;
    QTest::addRow("unknown-field") << QByteArray(R"({"commands":[],"x":1})") << 400 << u"request.unknown_field"_s;
    QTest::addRow("not-json") << QByteArray("{") << 400 << u"request.malformed_json"_s;
    QByteArray many = "{\"commands\":[";
    for (int i = 0; i < 1001; ++i)
        many += i ? ",{}" : "{}";
    many += "]}";
    QTest::addRow("too-many") << many << 400 << u"commands.too_many"_s;
}

void TstCommands::batchShapeErrors()
{
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, code);
    const qint64 seqBefore = count(u"SELECT seq FROM tenants WHERE code = 'demo'"_s);
    const HttpReply r = m_server.postRaw(u"/v1/commands"_s, body, m_rep1);
    QCOMPARE(r.status, status);
    QCOMPARE(r.errorCode(), code);
    QCOMPARE(count(u"SELECT seq FROM tenants WHERE code = 'demo'"_s), seqBefore);
}

void TstCommands::kioskIsForbidden()
{
    const QByteArray kiosk = m_server.login(u"demo"_s, u"kiosk1"_s);
    // A kiosk may send leads only (tst_leads): any other command is refused on its own.
    const HttpReply r = send(QJsonArray{orderCommand(m_account, {m_products[0]})}, kiosk);
    QCOMPARE(r.status, 200);
    const QJsonObject result = r.json.value(u"results"_s).toArray().at(0).toObject();
    QCOMPARE(result.value(u"status"_s).toInt(), 403);
    QCOMPARE(result.value(u"body"_s).toObject().value(u"error"_s).toObject().value(u"code"_s).toString(),
             u"auth.forbidden_role"_s);
    QCOMPARE(m_server.post(u"/v1/commands"_s, QJsonObject{{u"commands"_s, QJsonArray()}}).status, 401);
}

QTEST_GUILESS_MAIN(TstCommands)
#include "tst_commands.moc"
