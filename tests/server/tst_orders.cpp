// Order intake over HTTP: outcomes, idempotency, entitlement, quote, reading orders back. The
// fixture (order_fixture.h) gives each case known prices, stock and territories.
#include "tests/server/order_fixture.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>

#include <functional>

using namespace Qt::Literals::StringLiterals;
using namespace outpost::test;

namespace {

struct RawReply
{
    int status = 0;
    QByteArray body;
    QByteArray replayed; // the Outpost-Replayed header
};

RawReply finish(QNetworkReply *reply)
{
    RawReply r{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll(),
               reply->rawHeader("Outpost-Replayed")};
    reply->deleteLater();
    return r;
}

QNetworkReply *postAsync(QNetworkAccessManager &nam, const QUrl &url, const QByteArray &body,
                         const QByteArray &token)
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setTransferTimeout(30000);
    request.setRawHeader("Content-Type", "application/json");
    request.setRawHeader("Authorization", "Bearer " + token);
    return nam.post(request, body);
}

// Waits for all replies (each is capped by the transfer timeout).
void waitAll(const QList<QNetworkReply *> &replies)
{
    for (QNetworkReply *reply : replies) {
        if (!reply->isFinished()) {
            QEventLoop loop;
            QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
            loop.exec();
        }
    }
}

} // namespace

class TestOrders : public QObject, public OrderFixture
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void outcome_data();
    void outcome();
    void acceptedOrderShapeAndEffects();
    void priceCorrectedOldToNew();

    void sameCommandTwiceStoresOneOrder();
    void reformattedSameCommandIsReplayed();
    void commandKeyReusedIsConflict();
    void duplicateOrderIdIsConflict();
    void concurrentDuplicateSendsStoreOneOrder();

    void kioskIsForbidden();
    void repCannotOrderForAnotherRepsAccount();
    void managerMayOrderForAnyAccount();
    void otherTenantCannotOrderForDemoAccount();

    void quoteStoresNothing();
    void getOrderReturnsStoredOutcome();
    void listOrdersScopedAndPaged();
};

void TestOrders::initTestCase()
{
    setUpFixture();
}

void TestOrders::cleanupTestCase()
{
    tearDownFixture();
}

// Each outcome: account, lines (sku, quantity), what the server decides, and the effects.
void TestOrders::outcome_data()
{
    QTest::addColumn<QString>("account");
    QTest::addColumn<QStringList>("skus");
    QTest::addColumn<QList<qint64>>("quantities");
    QTest::addColumn<QString>("outcome");
    QTest::addColumn<QStringList>("holdReasons");
    QTest::addColumn<QStringList>("lineOutcomes");
    QTest::addColumn<QString>("firstLineCode"); // adjustment or finding code on line 1 ("" = none)
    QTest::addColumn<qint64>("shipQuantity");   // line 1
    QTest::addColumn<qint64>("backordered");    // line 1

    const QStringList none;
    QTest::newRow("accepted") << u"T-OK"_s << QStringList{u"T-STD"_s} << QList<qint64>{3} << u"accepted"_s
                              << none << QStringList{u"accepted"_s} << QString() << qint64(3) << qint64(0);
    QTest::newRow("adjustedCasePackRounding")
        << u"T-OK"_s << QStringList{u"T-CASE"_s} << QList<qint64>{10} << u"adjusted"_s << none
        << QStringList{u"adjusted"_s} << u"quantity.rounded_to_case_pack"_s << qint64(12) << qint64(0);
    QTest::newRow("adjustedBackorder")
        << u"T-OK"_s << QStringList{u"T-BACK"_s} << QList<qint64>{8} << u"adjusted"_s << none
        << QStringList{u"adjusted"_s} << u"line.backordered"_s << qint64(5) << qint64(3);
    QTest::newRow("adjustedPartialFill")
        << u"T-OK"_s << QStringList{u"T-PART"_s} << QList<qint64>{8} << u"adjusted"_s << none
        << QStringList{u"adjusted"_s} << u"line.partial_fill"_s << qint64(5) << qint64(0);
    QTest::newRow("adjustedOneLineRejected")
        << u"T-OK"_s << QStringList{u"T-STD"_s, u"T-DISC"_s} << QList<qint64>{1, 1} << u"adjusted"_s << none
        << QStringList{u"accepted"_s, u"rejected"_s} << QString() << qint64(1) << qint64(0);
    QTest::newRow("heldCreditLimit") << u"T-CREDIT"_s << QStringList{u"T-STD"_s} << QList<qint64>{2}
                                     << u"held"_s << QStringList{u"credit.limit_exceeded"_s}
                                     << QStringList{u"accepted"_s} << QString() << qint64(2) << qint64(0);
    QTest::newRow("heldBelowMoq") << u"T-OK"_s << QStringList{u"T-MOQ"_s} << QList<qint64>{5} << u"held"_s
                                  << QStringList{u"quantity.below_moq"_s} << QStringList{u"accepted"_s}
                                  << u"quantity.below_moq"_s << qint64(5) << qint64(0);
    QTest::newRow("heldAccountOnHold") << u"T-HOLD"_s << QStringList{u"T-STD"_s} << QList<qint64>{1}
                                       << u"held"_s << QStringList{u"account.on_hold"_s}
                                       << QStringList{u"accepted"_s} << QString() << qint64(1) << qint64(0);
    QTest::newRow("rejectedDiscontinued")
        << u"T-OK"_s << QStringList{u"T-DISC"_s} << QList<qint64>{1} << u"rejected"_s << none
        << QStringList{u"rejected"_s} << u"product.discontinued"_s << qint64(0) << qint64(0);
    QTest::newRow("rejectedStockUnavailable")
        << u"T-OK"_s << QStringList{u"T-NONE"_s} << QList<qint64>{4} << u"rejected"_s << none
        << QStringList{u"rejected"_s} << u"stock.unavailable"_s << qint64(0) << qint64(0);
    QTest::newRow("rejectedAllLines")
        << u"T-OK"_s << QStringList{u"T-DISC"_s, u"T-NONE"_s} << QList<qint64>{1, 1} << u"rejected"_s << none
        << QStringList{u"rejected"_s, u"rejected"_s} << u"product.discontinued"_s << qint64(0) << qint64(0);
}

void TestOrders::outcome()
{
    QFETCH(QString, account);
    QFETCH(QStringList, skus);
    QFETCH(QList<qint64>, quantities);
    QFETCH(QString, outcome);
    QFETCH(QStringList, holdReasons);
    QFETCH(QStringList, lineOutcomes);
    QFETCH(QString, firstLineCode);
    QFETCH(qint64, shipQuantity);
    QFETCH(qint64, backordered);

    const qint64 accountId = m_account.value(account);
    const qint64 firstProduct = m_product.value(skus.first());
    QJsonArray lines;
    for (qsizetype i = 0; i < skus.size(); ++i)
        lines.append(line(int(i + 1), m_product.value(skus[i]), quantities[i]));
    const qint64 allocatedBefore = allocated(firstProduct);
    const qint64 balanceBefore = balance(accountId);

    const HttpReply r = m_server.post(u"/v1/orders"_s, orderBody(accountId, lines), m_rep1Token);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"outcome"_s).toString(), outcome);
    QStringList holds;
    for (const QJsonValue &h : r.json.value(u"holdReasons"_s).toArray())
        holds << h.toString();
    QCOMPARE(holds, holdReasons);
    const QJsonArray got = r.json.value(u"lines"_s).toArray();
    QCOMPARE(got.size(), lineOutcomes.size());
    for (qsizetype i = 0; i < got.size(); ++i)
        QCOMPARE(got[i].toObject().value(u"outcome"_s).toString(), lineOutcomes[i]);

    const QJsonObject first = got[0].toObject();
    if (!firstLineCode.isEmpty()) {
        QStringList codes;
        for (const char *kind : {"adjustments", "findings"})
            for (const QJsonValue &v : first.value(QLatin1StringView(kind)).toArray())
                codes << v.toObject().value(u"code"_s).toString();
        QVERIFY2(codes.contains(firstLineCode), qPrintable(codes.join(u' ')));
    }
    QCOMPARE(first.value(u"requestedQuantity"_s).toInteger(), quantities.first());
    if (outcome != u"rejected"_s) {
        QCOMPARE(first.value(u"quantity"_s).toInteger(), shipQuantity);
        QCOMPARE(first.value(u"backorderedQuantity"_s).toInteger(), backordered);
    }

    // Held and rejected orders take no stock and add nothing to the balance.
    const bool takes = outcome == u"accepted"_s || outcome == u"adjusted"_s;
    const qint64 total = r.json.value(u"totals"_s).toObject().value(u"total"_s).toInteger();
    QCOMPARE(allocated(firstProduct) - allocatedBefore, takes ? shipQuantity : 0);
    QCOMPARE(balance(accountId) - balanceBefore, takes ? total : 0);
    QCOMPARE(scalar(u"SELECT COUNT(*) FROM orders WHERE id = ? AND status = ?"_s,
                    {r.json.value(u"orderId"_s).toString(), outcome}),
             1);
}

void TestOrders::acceptedOrderShapeAndEffects()
{
    const qint64 account = m_account.value(u"T-OK"_s);
    const qint64 seqBefore = tenantSeq();
    const QJsonObject body = orderBody(account, {line(1, m_product.value(u"T-STD"_s), 2, 1000)});
    const HttpReply r = m_server.post(u"/v1/orders"_s, body, m_rep1Token);
    QCOMPARE(r.status, 200);
    const QJsonObject &j = r.json;
    QCOMPARE(j.value(u"outcome"_s).toString(), u"accepted"_s);
    QCOMPARE(j.value(u"orderId"_s).toString(), body[u"order"_s][u"id"_s].toString());
    QCOMPARE(j.value(u"commandId"_s).toString(), body[u"commandId"_s].toString());
    QVERIFY(j.value(u"orderNumber"_s).toString().startsWith(u"SO-"_s));
    QCOMPARE(j.value(u"currency"_s).toString(), u"GBP"_s);
    QVERIFY(QDateTime::fromString(j.value(u"receivedAt"_s).toString(), Qt::ISODateWithMs).isValid());
    const QJsonObject totals = j.value(u"totals"_s).toObject();
    QCOMPARE(totals.value(u"gross"_s).toInteger(), 2000);
    QCOMPARE(totals.value(u"net"_s).toInteger(), 2000);
    QCOMPARE(totals.value(u"tax"_s).toInteger(), 400);
    QCOMPARE(totals.value(u"total"_s).toInteger(), 2400);
    const QJsonObject l = j.value(u"lines"_s).toArray().at(0).toObject();
    QCOMPARE(l.value(u"sku"_s).toString(), u"T-STD"_s);
    QCOMPARE(l.value(u"unitPrice"_s).toInteger(), 1000);
    QCOMPARE(l.value(u"quotedUnitPrice"_s).toInteger(), 1000);
    QCOMPARE(l.value(u"priceSource"_s).toString(), u"list"_s);
    QVERIFY(!l.value(u"priceExplanation"_s).toString().isEmpty());
    QVERIFY(l.value(u"adjustments"_s).toArray().isEmpty());

    // One transaction: one seq for the order, its lines, the command, the stock and the account.
    const QString id = j.value(u"orderId"_s).toString();
    QCOMPARE(tenantSeq(), seqBefore + 1);
    QCOMPARE(scalar(u"SELECT seq FROM orders WHERE id = ?"_s, {id}), seqBefore + 1);
    QCOMPARE(scalar(u"SELECT COUNT(*) FROM order_lines WHERE order_id = ?"_s, {id}), 1);
    QCOMPARE(scalar(u"SELECT seq FROM stock_levels WHERE warehouse_id = ? AND product_id = ?"_s,
                    {m_wh1, m_product.value(u"T-STD"_s)}),
             seqBefore + 1);
    QCOMPARE(scalar(u"SELECT seq FROM accounts WHERE id = ?"_s, {account}), seqBefore + 1);
    QCOMPARE(scalar(u"SELECT COUNT(*) FROM audit_log WHERE entity = 'order' AND entity_id = ?"_s, {id}), 1);
    QSqlQuery stored = sql(u"SELECT outcome_json FROM orders WHERE id = ?"_s, {id});
    QVERIFY(stored.next());
    QCOMPARE(stored.value(0).toString().toUtf8(), r.body);
}

void TestOrders::priceCorrectedOldToNew()
{
    const HttpReply r = m_server.post(
        u"/v1/orders"_s,
        orderBody(m_account.value(u"T-OK"_s), {line(1, m_product.value(u"T-STD"_s), 1, 900)}), m_rep1Token);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"outcome"_s).toString(), u"adjusted"_s);
    const QJsonObject l = r.json.value(u"lines"_s).toArray().at(0).toObject();
    const QJsonArray adjustments = l.value(u"adjustments"_s).toArray();
    QCOMPARE(adjustments.size(), 1);
    const QJsonObject a = adjustments.at(0).toObject();
    QCOMPARE(a.value(u"code"_s).toString(), u"price.corrected"_s);
    QCOMPARE(a.value(u"old"_s).toInteger(), 900);
    QCOMPARE(a.value(u"new"_s).toInteger(), 1000);
    QCOMPARE(l.value(u"unitPrice"_s).toInteger(), 1000);
    QCOMPARE(l.value(u"quotedUnitPrice"_s).toInteger(), 900);
}

void TestOrders::sameCommandTwiceStoresOneOrder()
{
    const qint64 product = m_product.value(u"T-IDEM"_s);
    const qint64 allocatedBefore = allocated(product);
    const QJsonObject body = orderBody(m_account.value(u"T-OK"_s), {line(1, product, 7)});
    const QByteArray bytes = QJsonDocument(body).toJson(QJsonDocument::Compact);

    QNetworkAccessManager nam;
    QNetworkReply *firstReply = postAsync(nam, m_server.url(u"/v1/orders"_s), bytes, m_rep1Token);
    waitAll({firstReply});
    const RawReply first = finish(firstReply);
    QCOMPARE(first.status, 200);
    QVERIFY(first.replayed.isEmpty());
    const qint64 seqAfterFirst = tenantSeq();

    QNetworkReply *secondReply = postAsync(nam, m_server.url(u"/v1/orders"_s), bytes, m_rep1Token);
    waitAll({secondReply});
    const RawReply second = finish(secondReply);
    QCOMPARE(second.status, 200);
    QCOMPARE(second.replayed, QByteArray("true"));
    QCOMPARE(second.body, first.body); // byte for byte

    const QString id = body[u"order"_s][u"id"_s].toString();
    QCOMPARE(scalar(u"SELECT COUNT(*) FROM orders WHERE id = ?"_s, {id}), 1);
    QCOMPARE(
        scalar(u"SELECT COUNT(*) FROM commands WHERE command_id = ?"_s, {body[u"commandId"_s].toString()}),
        1);
    QCOMPARE(allocated(product) - allocatedBefore, 7);
    QCOMPARE(tenantSeq(), seqAfterFirst);
}

void TestOrders::reformattedSameCommandIsReplayed()
{
    const QJsonObject body = orderBody(m_account.value(u"T-OK"_s), {line(1, m_product.value(u"T-STD"_s), 1)});
    const HttpReply first = m_server.post(u"/v1/orders"_s, body, m_rep1Token);
    QCOMPARE(first.status, 200);
    // Same command, other whitespace and key order: still the same canonical request.
    const QByteArray reformatted =
        "{ \"order\" : {\"lines\":[{\"quantity\":1,\"productId\":" +
        QByteArray::number(m_product.value(u"T-STD"_s)) +
        ",\"lineNo\":1}],\"accountId\":" + QByteArray::number(m_account.value(u"T-OK"_s)) + ", \"id\":\"" +
        body[u"order"_s][u"id"_s].toString().toLatin1() + "\"},\n \"commandId\":\"" +
        body[u"commandId"_s].toString().toLatin1() + "\" }";
    const qint64 orders = orderCount();
    const HttpReply again = m_server.postRaw(u"/v1/orders"_s, reformatted, m_rep1Token);
    QCOMPARE(again.status, 200);
    QCOMPARE(again.body, first.body);
    QCOMPARE(orderCount(), orders);
}

void TestOrders::commandKeyReusedIsConflict()
{
    QJsonObject body = orderBody(m_account.value(u"T-OK"_s), {line(1, m_product.value(u"T-STD"_s), 1)});
    QCOMPARE(m_server.post(u"/v1/orders"_s, body, m_rep1Token).status, 200);
    const qint64 seq = tenantSeq();
    const qint64 orders = orderCount();

    QJsonObject order = body[u"order"_s].toObject();
    order[u"lines"_s] = QJsonArray{line(1, m_product.value(u"T-STD"_s), 2)};
    body[u"order"_s] = order;
    const HttpReply r = m_server.post(u"/v1/orders"_s, body, m_rep1Token);
    QCOMPARE(r.status, 409);
    QCOMPARE(r.errorCode(), u"command.key_reused"_s);
    QCOMPARE(tenantSeq(), seq);
    QCOMPARE(orderCount(), orders);
}

void TestOrders::duplicateOrderIdIsConflict()
{
    QJsonObject body = orderBody(m_account.value(u"T-OK"_s), {line(1, m_product.value(u"T-STD"_s), 1)});
    QCOMPARE(m_server.post(u"/v1/orders"_s, body, m_rep1Token).status, 200);
    const qint64 seq = tenantSeq();
    const qint64 orders = orderCount();

    body[u"commandId"_s] = newUuid();
    const HttpReply r = m_server.post(u"/v1/orders"_s, body, m_rep1Token);
    QCOMPARE(r.status, 409);
    QCOMPARE(r.errorCode(), u"order.duplicate_id"_s);
    QCOMPARE(tenantSeq(), seq);
    QCOMPARE(orderCount(), orders);
}

void TestOrders::concurrentDuplicateSendsStoreOneOrder()
{
    const QJsonObject body = orderBody(m_account.value(u"T-OK"_s), {line(1, m_product.value(u"T-STD"_s), 4)});
    const QByteArray bytes = QJsonDocument(body).toJson(QJsonDocument::Compact);
    const qint64 allocatedBefore = allocated(m_product.value(u"T-STD"_s));

    // Two clients (two connection pools), both requests in flight before either is answered.
    QNetworkAccessManager a;
    QNetworkAccessManager b;
    QNetworkReply *ra = postAsync(a, m_server.url(u"/v1/orders"_s), bytes, m_rep1Token);
    QNetworkReply *rb = postAsync(b, m_server.url(u"/v1/orders"_s), bytes, m_rep1Token);
    waitAll({ra, rb});
    const RawReply first = finish(ra);
    const RawReply second = finish(rb);
    QCOMPARE(first.status, 200);
    QCOMPARE(second.status, 200);
    QCOMPARE(first.body, second.body);
    QCOMPARE(int(first.replayed == "true") + int(second.replayed == "true"), 1);
    QCOMPARE(scalar(u"SELECT COUNT(*) FROM orders WHERE id = ?"_s, {body[u"order"_s][u"id"_s].toString()}),
             1);
    QCOMPARE(allocated(m_product.value(u"T-STD"_s)) - allocatedBefore, 4);
}

void TestOrders::kioskIsForbidden()
{
    const QByteArray kiosk = m_server.login(u"demo"_s, u"kiosk1"_s);
    QVERIFY(!kiosk.isEmpty());
    const qint64 orders = orderCount();
    const QJsonObject body = orderBody(m_account.value(u"T-OK"_s), {line(1, m_product.value(u"T-STD"_s), 1)});
    const HttpReply r = m_server.post(u"/v1/orders"_s, body, kiosk);
    QCOMPARE(r.status, 403);
    QCOMPARE(m_server.post(u"/v1/quote"_s, QJsonObject{{u"order"_s, body[u"order"_s]}}, kiosk).status, 403);
    QCOMPARE(m_server.get(u"/v1/orders"_s, kiosk).status, 403);
    QCOMPARE(orderCount(), orders);
}

void TestOrders::repCannotOrderForAnotherRepsAccount()
{
    const qint64 orders = orderCount();
    const HttpReply r = m_server.post(
        u"/v1/orders"_s, orderBody(m_account.value(u"T-REP2"_s), {line(1, m_product.value(u"T-STD"_s), 1)}),
        m_rep1Token);
    QCOMPARE(r.status, 404);
    QCOMPARE(r.errorCode(), u"account.not_found"_s);
    QCOMPARE(orderCount(), orders);
}

void TestOrders::managerMayOrderForAnyAccount()
{
    const HttpReply r = m_server.post(
        u"/v1/orders"_s, orderBody(m_account.value(u"T-REP2"_s), {line(1, m_product.value(u"T-STD"_s), 1)}),
        m_managerToken);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"outcome"_s).toString(), u"accepted"_s);
}

void TestOrders::otherTenantCannotOrderForDemoAccount()
{
    const QByteArray acme = m_server.login(u"acme"_s, u"manager1"_s);
    QVERIFY(!acme.isEmpty());
    const qint64 orders = orderCount();
    const HttpReply r =
        m_server.post(u"/v1/orders"_s,
                      orderBody(m_account.value(u"T-OK"_s), {line(1, m_product.value(u"T-STD"_s), 1)}), acme);
    QCOMPARE(r.status, 404);
    QCOMPARE(r.errorCode(), u"account.not_found"_s);
    QCOMPARE(orderCount(), orders);
}

void TestOrders::quoteStoresNothing()
{
    const qint64 seq = tenantSeq();
    const qint64 orders = orderCount();
    const qint64 product = m_product.value(u"T-STD"_s);
    const qint64 allocatedBefore = allocated(product);
    const QJsonObject order{
        {u"accountId"_s, m_account.value(u"T-OK"_s)},
        {u"lines"_s,
         QJsonArray{QJsonObject{
             {u"lineNo"_s, 1}, {u"sku"_s, u"T-STD"_s}, {u"quantity"_s, 5}, {u"quotedUnitPrice"_s, 950}}}}};
    const HttpReply r = m_server.post(u"/v1/quote"_s, QJsonObject{{u"order"_s, order}}, m_rep1Token);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"outcome"_s).toString(), u"adjusted"_s); // price corrected 950 -> 1000
    QCOMPARE(r.json.value(u"totals"_s).toObject().value(u"total"_s).toInteger(), 6000);
    QVERIFY(!r.json.contains(u"orderNumber"_s));
    QCOMPARE(tenantSeq(), seq);
    QCOMPARE(orderCount(), orders);
    QCOMPARE(allocated(product), allocatedBefore);
}

void TestOrders::getOrderReturnsStoredOutcome()
{
    const QJsonObject body = orderBody(m_account.value(u"T-OK"_s), {line(1, m_product.value(u"T-STD"_s), 1)});
    const HttpReply posted = m_server.post(u"/v1/orders"_s, body, m_rep1Token);
    QCOMPARE(posted.status, 200);
    const QString path = u"/v1/orders/"_s + body[u"order"_s][u"id"_s].toString();
    const HttpReply got = m_server.get(path, m_rep1Token);
    QCOMPARE(got.status, 200);
    QCOMPARE(got.body, posted.body);
    QCOMPARE(m_server.get(path, m_managerToken).status, 200);
    QCOMPARE(m_server.get(path, m_rep2Token).status, 404); // not rep2's order
    QCOMPARE(m_server.get(u"/v1/orders/"_s + newUuid(), m_rep1Token).errorCode(), u"order.not_found"_s);
}

void TestOrders::listOrdersScopedAndPaged()
{
    const qint64 account = m_account.value(u"T-REP2"_s);
    // rep2 places two orders on its account; rep1 sees neither, the manager sees both.
    for (int i = 0; i < 2; ++i)
        QCOMPARE(m_server
                     .post(u"/v1/orders"_s, orderBody(account, {line(1, m_product.value(u"T-STD"_s), 1)}),
                           m_rep2Token)
                     .status,
                 200);
    const QString query = u"/v1/orders?accountId=%1"_s.arg(account);
    const HttpReply mine = m_server.get(query, m_rep2Token);
    QCOMPARE(mine.status, 200);
    QCOMPARE(mine.json.value(u"orders"_s).toArray().size(), 2);
    QCOMPARE(m_server.get(query, m_rep1Token).json.value(u"orders"_s).toArray().size(), 0);
    const qint64 all = scalar(u"SELECT COUNT(*) FROM orders WHERE account_id = ?"_s, {account});
    QCOMPARE(m_server.get(query, m_managerToken).json.value(u"orders"_s).toArray().size(), all);

    // Paging: one per page, in order-number order, "next" is the cursor.
    const HttpReply page1 = m_server.get(query + u"&limit=1"_s, m_rep2Token);
    QCOMPARE(page1.json.value(u"orders"_s).toArray().size(), 1);
    const QString next = page1.json.value(u"next"_s).toString();
    QVERIFY(next.startsWith(u"SO-"_s));
    const HttpReply page2 = m_server.get(query + u"&limit=1&after="_s + next, m_rep2Token);
    const QJsonArray second = page2.json.value(u"orders"_s).toArray();
    QCOMPARE(second.size(), 1);
    QVERIFY(second.at(0).toObject().value(u"orderNumber"_s).toString() != next);
    QCOMPARE(m_server.get(query + u"&limit=0"_s, m_rep2Token).errorCode(), u"request.bad_query"_s);
    QCOMPARE(m_server.get(u"/v1/orders?after=42"_s, m_rep2Token).errorCode(), u"request.bad_query"_s);
}

QTEST_GUILESS_MAIN(TestOrders)
#include "tst_orders.moc"
