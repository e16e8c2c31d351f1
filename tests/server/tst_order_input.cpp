// Bad order input over HTTP: every row edits a valid order; the answer names the code and the field,
// and nothing changes (tenant seq, orders, commands).
#include "tests/server/order_fixture.h"

#include <functional>

using namespace Qt::Literals::StringLiterals;
using namespace outpost::test;

class TestOrderInput : public QObject, public OrderFixture
{
    Q_OBJECT

private slots:
    void initTestCase() { setUpFixture(); }
    void cleanupTestCase() { tearDownFixture(); }
    void badInput_data();
    void badInput();
    void unEditedOrderIsAccepted();
};

// Bad input: each row edits a valid order; the answer names the code and field; nothing changes.
void TestOrderInput::badInput_data()
{
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("field");

    const qint64 ok = m_account.value(u"T-OK"_s);
    const qint64 std = m_product.value(u"T-STD"_s);
    const auto withOrder = [&](const std::function<void(QJsonObject &)> &edit) {
        QJsonObject body = orderBody(ok, {line(1, std, 1)});
        QJsonObject order = body[u"order"_s].toObject();
        edit(order);
        body[u"order"_s] = order;
        return body;
    };
    const auto withLine = [&](const std::function<void(QJsonObject &)> &edit) {
        return withOrder([&](QJsonObject &order) {
            QJsonObject l = line(1, std, 1);
            edit(l);
            order[u"lines"_s] = QJsonArray{l};
        });
    };
    const auto set = [](const QString &key, const QJsonValue &value) {
        return [key, value](QJsonObject &o) { o[key] = value; };
    };
    const auto remove = [](const QString &key) { return [key](QJsonObject &o) { o.remove(key); }; };

    QJsonObject noCommand = orderBody(ok, {line(1, std, 1)});
    noCommand.remove(u"commandId"_s);
    QJsonObject badCommand = orderBody(ok, {line(1, std, 1)});
    badCommand[u"commandId"_s] = u"not-a-uuid"_s;
    QJsonObject extraTop = orderBody(ok, {line(1, std, 1)});
    extraTop[u"priority"_s] = u"high"_s;
    QJsonArray tooMany;
    for (int i = 1; i <= 1001; ++i)
        tooMany.append(line(i, std, 1));

    QTest::newRow("missingCommandId") << noCommand << 400 << u"request.missing_field"_s << u"commandId"_s;
    QTest::newRow("badCommandId") << badCommand << 400 << u"command.invalid_id"_s << u"commandId"_s;
    QTest::newRow("unknownTopLevelField") << extraTop << 400 << u"request.unknown_field"_s << u"priority"_s;
    QTest::newRow("badOrderId") << withOrder(set(u"id"_s, u"1234"_s)) << 400 << u"order.invalid_id"_s
                                << u"order.id"_s;
    QTest::newRow("missingOrderId") << withOrder(remove(u"id"_s)) << 400 << u"request.missing_field"_s
                                    << u"order.id"_s;
    QTest::newRow("unknownAccount") << withOrder(set(u"accountId"_s, 99999999)) << 404
                                    << u"account.not_found"_s << u"order.accountId"_s;
    QTest::newRow("linesNotArray") << withOrder(set(u"lines"_s, u"T-STD x1"_s)) << 400
                                   << u"request.wrong_type"_s << u"order.lines"_s;
    QTest::newRow("emptyLines") << withOrder(set(u"lines"_s, QJsonArray())) << 422 << u"order.empty"_s
                                << u"order.lines"_s;
    QTest::newRow("tooManyLines") << withOrder(set(u"lines"_s, tooMany)) << 422 << u"order.too_many_lines"_s
                                  << u"order.lines"_s;
    QTest::newRow("duplicateLineNo") << withOrder(
                                            set(u"lines"_s, QJsonArray{line(1, std, 1), line(1, std, 2)}))
                                     << 422 << u"order.duplicate_line"_s << u"order.lines[1].lineNo"_s;
    QTest::newRow("zeroLineNo") << withLine(set(u"lineNo"_s, 0)) << 422 << u"order.invalid_line_no"_s
                                << u"order.lines[0].lineNo"_s;
    QTest::newRow("zeroQuantity") << withLine(set(u"quantity"_s, 0)) << 422 << u"quantity.not_positive"_s
                                  << u"order.lines[0].quantity"_s;
    QTest::newRow("negativeQuantity") << withLine(set(u"quantity"_s, -5)) << 422 << u"quantity.not_positive"_s
                                      << u"order.lines[0].quantity"_s;
    QTest::newRow("absurdQuantity") << withLine(set(u"quantity"_s, 1000001)) << 422 << u"quantity.too_large"_s
                                    << u"order.lines[0].quantity"_s;
    QTest::newRow("fractionalQuantity") << withLine(set(u"quantity"_s, 1.5)) << 400 << u"request.wrong_type"_s
                                        << u"order.lines[0].quantity"_s;
    QTest::newRow("quantityAsString") << withLine(set(u"quantity"_s, u"3"_s)) << 400
                                      << u"request.wrong_type"_s << u"order.lines[0].quantity"_s;
    QTest::newRow("missingQuantity") << withLine(remove(u"quantity"_s)) << 400 << u"request.missing_field"_s
                                     << u"order.lines[0].quantity"_s;
    QTest::newRow("negativeLineDiscount") << withLine(set(u"discountBp"_s, -1)) << 422
                                          << u"discount.invalid"_s << u"order.lines[0].discountBp"_s;
    QTest::newRow("lineDiscountAbove100Percent") << withLine(set(u"discountBp"_s, 10001)) << 422
                                                 << u"discount.invalid"_s << u"order.lines[0].discountBp"_s;
    QTest::newRow("orderDiscountAbove100Percent") << withOrder(set(u"orderDiscountBp"_s, 20000)) << 422
                                                  << u"discount.invalid"_s << u"order.orderDiscountBp"_s;
    QTest::newRow("negativeQuotedPrice") << withLine(set(u"quotedUnitPrice"_s, -1)) << 422
                                         << u"price.invalid"_s << u"order.lines[0].quotedUnitPrice"_s;
    QTest::newRow("unknownProductId") << withLine(set(u"productId"_s, 99999999)) << 422
                                      << u"product.unknown"_s << u"order.lines[0].productId"_s;
    QTest::newRow("otherTenantsProduct") << withLine(set(u"productId"_s, m_acmeProduct)) << 422
                                         << u"product.unknown"_s << u"order.lines[0].productId"_s;
    QTest::newRow("unknownSku") << withLine([](QJsonObject &l) {
        l.remove(u"productId"_s);
        l[u"sku"_s] = u"NO-SUCH-SKU"_s;
    }) << 422 << u"product.unknown"_s
                                << u"order.lines[0].sku"_s;
    QTest::newRow("productIdAndSku") << withLine(set(u"sku"_s, u"T-STD"_s)) << 400
                                     << u"request.conflicting_fields"_s << u"order.lines[0].sku"_s;
    QTest::newRow("unknownLineField") << withLine(set(u"colour"_s, u"red"_s)) << 400
                                      << u"request.unknown_field"_s << u"order.lines[0].colour"_s;
    QTest::newRow("badDeviceCreatedAt") << withOrder(set(u"deviceCreatedAt"_s, u"yesterday"_s)) << 400
                                        << u"request.bad_timestamp"_s << u"order.deviceCreatedAt"_s;
    QTest::newRow("noteTooLong") << withOrder(set(u"note"_s, QString(2001, u'x'))) << 400
                                 << u"request.too_long"_s << u"order.note"_s;
    QTest::newRow("unknownWarehouse") << withOrder(set(u"warehouseId"_s, 99999999)) << 422
                                      << u"warehouse.not_found"_s << u"order.warehouseId"_s;
}

void TestOrderInput::badInput()
{
    QFETCH(QJsonObject, body);
    QFETCH(int, status);
    QFETCH(QString, code);
    QFETCH(QString, field);

    const qint64 seq = tenantSeq();
    const qint64 orders = orderCount();
    const qint64 commands = commandCount();
    const HttpReply r = m_server.post(u"/v1/orders"_s, body, m_rep1Token);
    QCOMPARE(r.status, status);
    QCOMPARE(r.errorCode(), code);
    QCOMPARE(r.json.value(u"error"_s).toObject().value(u"field"_s).toString(), field);
    QCOMPARE(tenantSeq(), seq);
    QCOMPARE(orderCount(), orders);
    QCOMPARE(commandCount(), commands);
}

// The control: the order every row above edits is itself fine, so each error comes from its edit.
void TestOrderInput::unEditedOrderIsAccepted()
{
    const qint64 orders = orderCount();
    const HttpReply r = m_server.post(
        u"/v1/orders"_s, orderBody(m_account.value(u"T-OK"_s), {line(1, m_product.value(u"T-STD"_s), 1)}),
        m_rep1Token);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"outcome"_s).toString(), u"accepted"_s);
    QCOMPARE(orderCount(), orders + 1);
}

QTEST_GUILESS_MAIN(TestOrderInput)
#include "tst_order_input.moc"
