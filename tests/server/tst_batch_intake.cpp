// POST /v1/commands decides a batch of orders exactly as POST /v1/orders decides the same orders one
// by one: two servers seeded alike, one fed the orders one request at a time, the other in one batch;
// every answer (status and body, but the receipt time) and every stored row afterwards (orders, lines,
// commands, stock allocation, open balances) must be the same. The orders compete for scarce stock
// and a tight credit limit, so each one depends on the running totals left by the ones before it.
#include "server/order_intake.h"
#include "tests/server/sync_http.h"

#include <QSqlError>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace outpost::test;
using namespace outpost::test::sync;

namespace {

// Every row of a query, columns joined by '|', JSON columns with "receivedAt" dropped.
// When and at which tenant seq the server stored an order differ between one batch (one seq) and
// orders sent one by one; the rest of the decision must not.
QJsonObject withoutServerPosition(QJsonObject body)
{
    body.remove(u"receivedAt"_s);
    body.remove(u"seq"_s);
    return body;
}

QStringList dump(const QString &dbPath, const QString &sql, const QList<int> &jsonColumns = {})
{
    const QString name = u"dump-"_s + QUuid::createUuid().toString(QUuid::Id128);
    QStringList rows;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(dbPath);
        if (!db.open())
            qFatal("cannot open %s", qPrintable(dbPath));
        QSqlQuery q(db);
        if (!q.exec(sql))
            qFatal("dump failed: %s", qPrintable(q.lastError().text()));
        while (q.next()) {
            QStringList cols;
            for (int i = 0; i < q.record().count(); ++i) {
                QString v = q.isNull(i) ? u"NULL"_s : q.value(i).toString();
                if (jsonColumns.contains(i)) {
                    const QJsonObject o = withoutServerPosition(QJsonDocument::fromJson(v.toUtf8()).object());
                    v = QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
                }
                cols << v;
            }
            rows << cols.join(u'|');
        }
    }
    QSqlDatabase::removeDatabase(name);
    return rows;
}

void writeFixture(const QString &dbPath)
{
    const QString name = u"fixture-"_s + QUuid::createUuid().toString(QUuid::Id128);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(dbPath);
        QVERIFY(db.open());
        QSqlQuery q(db);
        // Scarce stock of products 1..8 in both warehouses; account 13 a few pounds under its limit.
        QVERIFY2(q.exec(u"UPDATE stock_levels SET on_hand = 3 + product_id % 4, allocated = 0 WHERE product_id <= 8"_s),
                 qPrintable(q.lastError().text()));
        QVERIFY(q.exec(u"UPDATE accounts SET credit_limit_minor = open_balance_minor + 20000 WHERE id = 13"_s));
    }
    QSqlDatabase::removeDatabase(name);
}


} // namespace

class TstBatchIntake : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void batchDecidesLikeOneByOne();
    void storedLineDetailIsTheBodysLine();
    void decisionBodyIsQtsCompactJson_data();
    void decisionBodyIsQtsCompactJson();
    void feedLeavesOutTheDevicesOwnAnsweredOrders();

private:
    TestServer m_single; // POST /v1/orders, one request per order
    TestServer m_batch;  // POST /v1/commands, one request for all
    QByteArray m_singleToken;
    QByteArray m_batchToken;
};

void TstBatchIntake::initTestCase()
{
    for (TestServer *server : {&m_single, &m_batch}) {
        QVERIFY(server->seed());
        writeFixture(server->dbPath());
        QVERIFY(server->start());
    }
    m_singleToken = m_single.login(u"demo"_s, u"rep1"_s);
    m_batchToken = m_batch.login(u"demo"_s, u"rep1"_s);
    QVERIFY(!m_singleToken.isEmpty() && !m_batchToken.isEmpty());
}

void TstBatchIntake::cleanupTestCase()
{
    m_single.stop();
    m_batch.stop();
}

void TstBatchIntake::batchDecidesLikeOneByOne()
{
    // rep1's accounts 1, 4, 7, 10, 13 (WH1/WH2, one over its limit, one nearly); account 2 is rep2's.
    const QList<qint64> accounts{1, 4, 7, 10, 13};
    QJsonArray commands;
    for (int n = 0; n < 48; ++n) {
        QJsonArray lines;
        for (int k = 0; k < 4; ++k) {
            QJsonObject line{{u"lineNo"_s, k + 1}, {u"quantity"_s, 1 + (n + k) % 3}};
            const qint64 product = 1 + (n * 3 + k * 2) % 8;
            if (k == 3 && n % 5 == 0)
                line.insert(u"sku"_s, peekRow(m_batch.dbPath(), u"SELECT sku FROM products WHERE id = %1"_s.arg(product))
                                          .value(u"sku"_s));
            else
                line.insert(u"productId"_s, product);
            lines.append(line);
        }
        QJsonObject payload{{u"id"_s, newUuid()}, {u"accountId"_s, accounts.at(n % accounts.size())},
                            {u"lines"_s, lines}};
        if (n % 7 == 3)
            payload.insert(u"warehouseId"_s, 2);
        commands.append(QJsonObject{{u"commandId"_s, newUuid()}, {u"kind"_s, u"order.submit"_s},
                                    {u"payload"_s, payload}});
    }
    // The special cases, between the others: a replay, an unknown product, another rep's account, an
    // order id used again under a new command id.
    commands.insert(6, commands.at(2));
    QJsonObject unknown = commands.at(9).toObject();
    QJsonObject unknownPayload = unknown.value(u"payload"_s).toObject();
    QJsonArray unknownLines = unknownPayload.value(u"lines"_s).toArray();
    unknownLines.replace(1, QJsonObject{{u"lineNo"_s, 2}, {u"productId"_s, 999999999}, {u"quantity"_s, 1}});
    unknownPayload.insert(u"lines"_s, unknownLines);
    unknown.insert(u"payload"_s, unknownPayload);
    commands.replace(9, unknown);
    QJsonObject foreign = commands.at(14).toObject();
    QJsonObject foreignPayload = foreign.value(u"payload"_s).toObject();
    foreignPayload.insert(u"accountId"_s, 2);
    foreign.insert(u"payload"_s, foreignPayload);
    commands.replace(14, foreign);
    QJsonObject again = commands.at(20).toObject();
    again.insert(u"commandId"_s, newUuid());
    QJsonObject againPayload = again.value(u"payload"_s).toObject();
    againPayload.insert(u"note"_s, u"same order id, new command"_s);
    again.insert(u"payload"_s, againPayload);
    commands.insert(24, again);

    QList<HttpReply> singles;
    for (const QJsonValue &c : commands) {
        const QJsonObject command = c.toObject();
        singles << m_single.post(u"/v1/orders"_s,
                                 QJsonObject{{u"commandId"_s, command.value(u"commandId"_s)},
                                             {u"order"_s, command.value(u"payload"_s)}},
                                 m_singleToken);
    }
    const HttpReply batch = m_batch.post(u"/v1/commands"_s, QJsonObject{{u"commands"_s, commands}}, m_batchToken);
    QCOMPARE(batch.status, 200);
    const QJsonArray results = batch.json.value(u"results"_s).toArray();
    QCOMPARE(results.size(), commands.size());

    QHash<QString, int> outcomes;
    for (qsizetype i = 0; i < commands.size(); ++i) {
        const QJsonObject result = results.at(i).toObject();
        const QString where = u"command %1"_s.arg(i);
        QVERIFY2(result.value(u"status"_s).toInt() == singles.at(i).status, qPrintable(where));
        QCOMPARE(result.value(u"commandId"_s).toString(), commands.at(i).toObject().value(u"commandId"_s).toString());
        if (result.value(u"status"_s).toInt() < 300) { // a stored order says at which seq
            QVERIFY2(result.value(u"body"_s).toObject().value(u"seq"_s).toInteger() > 0, qPrintable(where));
            QVERIFY2(singles.at(i).json.value(u"seq"_s).toInteger() > 0, qPrintable(where));
        }
        const QJsonObject body = withoutServerPosition(result.value(u"body"_s).toObject());
        const QJsonObject single = withoutServerPosition(singles.at(i).json);
        if (body != single)
            qWarning().noquote() << where << "\nbatch: " << QJsonDocument(body).toJson(QJsonDocument::Compact)
                                 << "\nsingle:" << QJsonDocument(single).toJson(QJsonDocument::Compact);
        QVERIFY2(body == single, qPrintable(where));
        outcomes[body.contains(u"error"_s) ? body.value(u"error"_s).toObject().value(u"code"_s).toString()
                                           : body.value(u"outcome"_s).toString()]++;
    }
    // The case mix this test is about really happened: stock ran out, credit ran out, errors answered.
    QCOMPARE(outcomes.value(u"product.unknown"_s), 1);
    QCOMPARE(outcomes.value(u"account.not_found"_s), 1);
    QCOMPARE(outcomes.value(u"order.duplicate_id"_s), 1);
    QVERIFY2(outcomes.value(u"held"_s) > 0 && outcomes.value(u"adjusted"_s) > 0 && outcomes.value(u"accepted"_s) > 0,
             qPrintable(QStringList(outcomes.keys()).join(u',')));
    QVERIFY(peek(m_batch.dbPath(), u"SELECT COUNT(*) FROM order_lines WHERE backordered_qty > 0"_s) > 0);

    // The stored state is the same row for row.
    const struct
    {
        const char *what;
        QString sql;
        QList<int> json;
    } tables[] = {
        {"stock", u"SELECT warehouse_id, product_id, on_hand, allocated FROM stock_levels ORDER BY 1, 2"_s, {}},
        {"balances", u"SELECT id, open_balance_minor FROM accounts ORDER BY id"_s, {}},
        {"orders",
         u"SELECT id, order_number, account_id, rep_user_id, device_id, warehouse_id, command_id, status, hold_reasons, "
         "currency, order_discount_bp, gross_minor, discount_minor, tax_minor, total_minor, customer_ref, note, "
         "outcome_json FROM orders ORDER BY id"_s,
         {17}},
        {"lines", u"SELECT * FROM order_lines ORDER BY order_id, line_no"_s, {}},
        {"commands", u"SELECT command_id, kind, request_hash, response_status, response_body FROM commands "
                     "ORDER BY command_id"_s,
         {4}},
    };
    for (const auto &t : tables) {
        const QStringList single = dump(m_single.dbPath(), t.sql, t.json);
        const QStringList batched = dump(m_batch.dbPath(), t.sql, t.json);
        QVERIFY2(!single.isEmpty(), t.what);
        for (qsizetype i = 0; i < std::min(single.size(), batched.size()); ++i)
            QVERIFY2(single.at(i) == batched.at(i),
                     qPrintable(u"%1 row %2:\n  single %3\n  batch  %4"_s.arg(QString::fromLatin1(t.what)).arg(i).arg(
                         single.at(i), batched.at(i))));
        QCOMPARE(batched.size(), single.size());
    }
}

void TstBatchIntake::storedLineDetailIsTheBodysLine()
{
    // detail_json is sliced out of the stored body: each must be that body's line, whole.
    const QStringList rows = dump(m_batch.dbPath(), u"SELECT o.outcome_json, l.line_no, l.detail_json FROM order_lines l "
                                                    "JOIN orders o ON o.tenant_id = l.tenant_id AND o.id = l.order_id "
                                                    "ORDER BY l.order_id, l.line_no"_s);
    QVERIFY(rows.size() > 100);
    for (const QString &row : rows) {
        const qsizetype detailAt = row.lastIndexOf(u"|{"_s);
        const qsizetype lineNoAt = row.lastIndexOf(u'|', detailAt - 1);
        const QJsonObject body = QJsonDocument::fromJson(row.left(lineNoAt).toUtf8()).object();
        const int lineNo = row.mid(lineNoAt + 1, detailAt - lineNoAt - 1).toInt();
        const QJsonObject detail = QJsonDocument::fromJson(row.mid(detailAt + 1).toUtf8()).object();
        QJsonObject expected;
        for (const QJsonValue &line : body.value(u"lines"_s).toArray())
            if (line.toObject().value(u"lineNo"_s).toInt() == lineNo)
                expected = line.toObject();
        QVERIFY(!expected.isEmpty());
        QCOMPARE(detail, expected);
    }
}

void TstBatchIntake::decisionBodyIsQtsCompactJson_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("plain") << u"Line 1 (SKU A-1): 3 reduced to 2."_s;
    QTest::newRow("quotes and backslashes") << u"say \"hi\" \\ C:\\path /slash"_s;
    QTest::newRow("control characters") << QString::fromUtf16(u"tab\tnl\ncr\rbs\bff\f\x01\x1f\x7f end");
    QTest::newRow("non-ascii") << QString::fromUtf16(u"caf\u00e9 \u20ac5 \u4e2d\u6587 \U0001F600");
    QTest::newRow("lone surrogates") << QString::fromUtf16(u"a\xd800" u"b\xdc00" u"c");
    QTest::newRow("empty") << QString();
}

void TstBatchIntake::decisionBodyIsQtsCompactJson()
{
    QFETCH(QString, text);
    using namespace outpost;
    using namespace outpost::server;
    OrderRequest request;
    request.id = u"6f1c1a52-4d1e-4f5b-9a55-3c2d6b1e0a01"_s;
    request.accountId = 42;
    EvaluatedOrder ev;
    ev.receivedAt = QDateTime(QDate(2026, 11, 23), QTime(10, 0), Qt::UTC);
    ev.context.warehouseId = 7;
    Product product;
    product.id = 5;
    product.sku = text;
    ev.context.pricing.products.insert(5, product);
    OrderDecision &d = ev.decision;
    d.outcome = OrderOutcome::Held;
    d.currency = u"GBP"_s;
    d.holdReasons = {u"credit.limit_exceeded"_s, text};
    d.orderFindings = {Finding{u"credit.limit_exceeded"_s, Severity::Approval, 0, 0, text}};
    d.totals.grossMinor = 1234567890123;
    d.totals.totalMinor = -5;
    for (int n = 1; n <= 2; ++n) {
        LineDecision l;
        l.lineNo = n;
        l.productId = 5;
        l.outcome = n == 1 ? LineOutcome::Adjusted : LineOutcome::Rejected;
        l.requestedQuantity = 3;
        l.quantity = 2;
        if (n == 1)
            l.quotedUnitPriceMinor = 0;
        l.adjustments = {Adjustment{u"line.partial_fill"_s, u"quantity"_s, 3, 2, text}};
        l.findings = {Finding{u"stock.partial"_s, Severity::Warning, n, 5, text},
                      Finding{u"x"_s, Severity::Error, n, 5, {}}};
        l.priced.unitPriceMinor = 999;
        l.priced.netMinor = 1998;
        d.lines.push_back(l);
    }
    for (const QString &number : {u"SO-000042"_s, QString()}) {
        const QString command = number.isEmpty() ? QString() : u"cmd-1"_s;
        const qint64 seq = number.isEmpty() ? 0 : 4711;
        const QByteArray expected =
            QJsonDocument(decisionJson(request, ev, number, command, seq)).toJson(QJsonDocument::Compact);
        QCOMPARE(decisionBody(request, ev, number, command, seq), expected);
        QCOMPARE(expected.contains("\"seq\":4711"), seq > 0);
    }
}

// After a push the device pulls with own=<the seqs its answers named>: its own orders at those seqs
// are not sent back (it holds them already); another device of the same rep still gets them.
void TstBatchIntake::feedLeavesOutTheDevicesOwnAnsweredOrders()
{
    const qint64 orders = peek(m_batch.dbPath(), u"SELECT COUNT(*) FROM orders"_s);
    QVERIFY(orders > 0);
    QCOMPARE(peek(m_batch.dbPath(), u"SELECT COUNT(DISTINCT seq) FROM orders"_s), 1); // one batch, one seq
    const QString seq = QString::number(peek(m_batch.dbPath(), u"SELECT MAX(seq) FROM orders"_s));
    auto ordersIn = [&](const QByteArray &token, const QString &own) {
        QString path = u"/v1/changes?since=0&limit=10000&partitions=orders"_s;
        if (!own.isEmpty())
            path += u"&own="_s + own;
        const HttpReply r = m_batch.get(path, token);
        return r.status == 200 ? r.json.value(u"tables"_s).toObject().value(u"orders"_s).toArray().size() : -1;
    };
    QCOMPARE(ordersIn(m_batchToken, {}), orders);
    QCOMPARE(ordersIn(m_batchToken, seq), 0);
    QCOMPARE(ordersIn(m_batchToken, u"1,"_s + seq + u",99999"_s), 0);
    QCOMPARE(ordersIn(m_batchToken, QString::number(seq.toLongLong() + 1)), orders); // another seq
    const QByteArray otherDevice = m_batch.login(u"demo"_s, u"rep1"_s, u"demo"_s, u"rep1-second-device"_s);
    QVERIFY(!otherDevice.isEmpty());
    QCOMPARE(ordersIn(otherDevice, seq), orders);
}

QTEST_GUILESS_MAIN(TstBatchIntake)
#include "tst_batch_intake.moc"
