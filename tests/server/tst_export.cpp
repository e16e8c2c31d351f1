// Orders export: orders inserted here come back as CSV (read with the importer's own RFC 4180
// reader) and JSON, through the CLI and the admin endpoint, filtered by --since, per tenant.
#include "server/database.h"
#include "server/exporter.h"
#include "server/importer.h"
#include "tests/support/testserver.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace outpost::server;
using outpost::test::TestServer;

class TstExport : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void csvThroughTheCli();
    void jsonSinceThroughTheCli();
    void badArguments_data();
    void badArguments();
    void adminEndpoint();

private:
    qint64 id(const QString &sql);
    TestServer m_server;
    std::unique_ptr<Database> m_db;
};

qint64 TstExport::id(const QString &sql)
{
    auto q = m_db->exec(sql);
    return q && q->next() ? q->value(0).toLongLong() : 0;
}

void TstExport::initTestCase()
{
    QVERIFY(m_server.seed());
    QVERIFY(m_server.start());
    auto db = Database::open(m_server.dbPath(), u"tst_export"_s);
    QVERIFY(db.ok());
    m_db.reset(*db);
    const qint64 demo = id(u"SELECT id FROM tenants WHERE code = 'demo'"_s);
    const qint64 account =
        id(u"SELECT id FROM accounts WHERE code = 'ACC-000001' AND tenant_id = %1"_s.arg(demo));
    const qint64 rep = id(u"SELECT id FROM users WHERE username = 'rep1' AND tenant_id = %1"_s.arg(demo));
    const qint64 wh = id(u"SELECT id FROM warehouses WHERE code = 'WH1' AND tenant_id = %1"_s.arg(demo));
    const qint64 p1 = id(u"SELECT id FROM products WHERE sku = 'SKU-0000001' AND tenant_id = %1"_s.arg(demo));
    const qint64 p2 = id(u"SELECT id FROM products WHERE sku = 'SKU-0000002' AND tenant_id = %1"_s.arg(demo));
    QVERIFY(account && rep && wh && p1 && p2);
    auto seq = m_db->beginTenantWrite(demo);
    QVERIFY(seq.ok());
    auto order = [&](const QString &oid, const QString &number, const QString &status, const QString &holds,
                     const QString &ref, const QString &received, qint64 total) {
        return m_db
            ->exec(
                u"INSERT INTO orders (tenant_id, id, order_number, account_id, rep_user_id, warehouse_id, "
                "command_id, status, hold_reasons, currency, order_discount_bp, gross_minor, discount_minor, "
                "tax_minor, total_minor, customer_ref, note, received_at, outcome_json, seq) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, 'GBP', 0, ?, 0, 0, ?, ?, '', ?, '{}', ?)"_s,
                {demo, oid, number, account, rep, wh, oid + u"-cmd"_s, status, holds, total, total, ref,
                 received, *seq})
            .ok();
    };
    auto line = [&](const QString &oid, int no, qint64 product, const QString &sku, qint64 qty, qint64 unit) {
        return m_db
            ->exec(u"INSERT INTO order_lines (tenant_id, order_id, line_no, product_id, sku, outcome, "
                   "requested_qty, quantity, backordered_qty, quoted_unit_price_minor, unit_price_minor, "
                   "discount_bp, net_minor, tax_minor, total_minor, price_source, detail_json) VALUES "
                   "(?, ?, ?, ?, ?, 'accepted', ?, ?, 0, NULL, ?, 0, ?, 0, ?, 'list', '{}')"_s,
                   {demo, oid, no, product, sku, qty, qty, unit, qty * unit, qty * unit})
            .ok();
    };
    QVERIFY(order(u"a0000000-0000-4000-8000-000000000001"_s, u"SO-000001"_s, u"accepted"_s, u""_s,
                  u"PO 7, \"urgent\""_s, u"2026-03-01T09:00:00.000Z"_s, 3702));
    QVERIFY(line(u"a0000000-0000-4000-8000-000000000001"_s, 1, p1, u"SKU-0000001"_s, 2, 1234));
    QVERIFY(line(u"a0000000-0000-4000-8000-000000000001"_s, 2, p2, u"SKU-0000002"_s, 1, 1234));
    QVERIFY(order(u"b0000000-0000-4000-8000-000000000002"_s, u"SO-000002"_s, u"held"_s, u"credit_limit"_s,
                  u""_s, u"2026-03-02T09:00:00.000Z"_s, 500));
    QVERIFY(line(u"b0000000-0000-4000-8000-000000000002"_s, 1, p2, u"SKU-0000002"_s, 5, 100));
    QVERIFY(m_db->commit().ok());
}

void TstExport::csvThroughTheCli()
{
    QByteArray output;
    const QString out = m_server.dir() + u"/orders.csv"_s;
    QCOMPARE(m_server.runCommand(
                 {u"export"_s, u"--tenant"_s, u"demo"_s, u"--format"_s, u"csv"_s, u"--out"_s, out}, &output),
             0);
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    auto table = parseCsv(f.readAll());
    QVERIFY(table.ok());
    QCOMPARE(table->header, orderExportCsvColumns());
    QCOMPARE(table->rows.size(), size_t(3)); // one row per line
    const QStringList cols = orderExportCsvColumns();
    const QStringList &first = table->rows[0];
    QCOMPARE(first[cols.indexOf(u"order_number"_s)], u"SO-000001"_s);
    QCOMPARE(first[cols.indexOf(u"customer_ref"_s)], u"PO 7, \"urgent\""_s);
    QCOMPARE(first[cols.indexOf(u"account_no"_s)], u"ACC-000001"_s);
    QCOMPARE(first[cols.indexOf(u"rep"_s)], u"rep1"_s);
    QCOMPARE(first[cols.indexOf(u"unit_price"_s)], u"12.34"_s);
    QCOMPARE(first[cols.indexOf(u"total"_s)], u"24.68"_s);
    QCOMPARE(first[cols.indexOf(u"order_total"_s)], u"37.02"_s);
    QCOMPARE(table->rows[2][cols.indexOf(u"status"_s)], u"held"_s);
    QCOMPARE(table->rows[2][cols.indexOf(u"hold_reasons"_s)], u"credit_limit"_s);
}

void TstExport::jsonSinceThroughTheCli()
{
    QByteArray output;
    const QString out = m_server.dir() + u"/orders.json"_s;
    QCOMPARE(m_server.runCommand({u"export"_s, u"--tenant"_s, u"demo"_s, u"--format"_s, u"json"_s,
                                  u"--since"_s, u"2026-03-02T00:00:00Z"_s, u"--out"_s, out},
                                 &output),
             0);
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject doc = QJsonDocument::fromJson(f.readAll()).object();
    const QJsonArray orders = doc.value(u"orders"_s).toArray();
    QCOMPARE(orders.size(), 1);
    const QJsonObject o = orders.at(0).toObject();
    QCOMPARE(o.value(u"orderNumber"_s).toString(), u"SO-000002"_s);
    QCOMPARE(o.value(u"holdReasons"_s).toArray(), QJsonArray{u"credit_limit"_s});
    QCOMPARE(o.value(u"totalMinor"_s).toInteger(), 500);
    QCOMPARE(o.value(u"lines"_s).toArray().at(0).toObject().value(u"quantity"_s).toInteger(), 5);
    QCOMPARE(o.value(u"lines"_s).toArray().at(0).toObject().value(u"unitPrice"_s).toString(), u"1.00"_s);
}

void TstExport::badArguments_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::newRow("unknown format") << QStringList{u"--tenant"_s, u"demo"_s, u"--format"_s, u"xml"_s} << 2;
    QTest::newRow("since without zone") << QStringList{u"--tenant"_s, u"demo"_s,    u"--format"_s,
                                                       u"csv"_s,      u"--since"_s, u"2026-03-02T00:00:00"_s}
                                        << 2;
    QTest::newRow("unknown tenant") << QStringList{u"--tenant"_s, u"nobody"_s, u"--format"_s, u"csv"_s} << 1;
}

void TstExport::badArguments()
{
    QFETCH(QStringList, args);
    QByteArray output;
    QTEST(m_server.runCommand(QStringList{u"export"_s} + args, &output), "exitCode");
}

void TstExport::adminEndpoint()
{
    const QByteArray admin = m_server.login(u"demo"_s, u"admin"_s);
    const QByteArray rep = m_server.login(u"demo"_s, u"rep1"_s);
    const QByteArray acmeAdmin = m_server.login(u"acme"_s, u"admin"_s);
    QVERIFY(!admin.isEmpty() && !rep.isEmpty() && !acmeAdmin.isEmpty());

    auto r = m_server.get(u"/v1/admin/orders/export?format=csv"_s, admin);
    QCOMPARE(r.status, 200);
    QVERIFY(r.contentType.startsWith("text/csv"));
    auto table = parseCsv(r.body);
    QVERIFY(table.ok());
    QCOMPARE(table->rows.size(), size_t(3));

    r = m_server.get(u"/v1/admin/orders/export?format=json&since=2026-03-01T12:00:00.000Z"_s, admin);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"count"_s).toInt(), 1);

    QCOMPARE(m_server.get(u"/v1/admin/orders/export?format=csv"_s, rep).status, 403);
    r = m_server.get(u"/v1/admin/orders/export?format=json&since=yesterday"_s, admin);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.errorCode(), u"export.bad_since"_s);
    QCOMPARE(m_server.get(u"/v1/admin/orders/export?format=pdf"_s, admin).errorCode(),
             u"export.bad_format"_s);

    r = m_server.get(u"/v1/admin/orders/export?format=json"_s, acmeAdmin);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"count"_s).toInt(), 0); // another tenant's orders are not exported
}

QTEST_GUILESS_MAIN(TstExport)
#include "tst_export.moc"
