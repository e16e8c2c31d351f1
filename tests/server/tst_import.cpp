// CSV import: the RFC 4180 reader, header and row errors, all-or-nothing files, --skip-bad-rows,
// re-imports that change nothing, the PouchDB peer's CSVs, and the admin endpoint.
#include "server/database.h"
#include "server/importer.h"
#include "tests/support/testserver.h"

#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTest>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using namespace outpost::server;
using outpost::test::TestServer;

using Rows = QList<QStringList>;

class TstImport : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void parser_data();
    void parser();
    void headerErrors_data();
    void headerErrors();
    void rowErrors_data();
    void rowErrors();
    void cliBadFileChangesNothing();
    void cliSkipBadRowsImportsTheRest();
    void reimportOfTheSameFileIsNotAChange();
    void accountsAndContractPrices();
    void newCategoryIsCreatedOnce();
    void adminEndpoint();
    void peerCsvsImportUnchanged();

private:
    qint64 scalar(const QString &sql);
    qint64 demoSeq() { return scalar(u"SELECT seq FROM tenants WHERE code = 'demo'"_s); }
    QString writeFile(const QString &name, const QByteArray &content);
    int cli(const QStringList &args, QByteArray *output);

    TestServer m_server;
    std::unique_ptr<Database> m_db;
    qint64 m_demo = 0;
};

void TstImport::initTestCase()
{
    QVERIFY(m_server.seed());
    QVERIFY(m_server.start());
    auto db = Database::open(m_server.dbPath(), u"tst_import"_s);
    QVERIFY2(db.ok(), qPrintable(db.ok() ? QString() : db.error().detail));
    m_db.reset(*db);
    auto demo = tenantIdByCode(*m_db, u"demo"_s);
    QVERIFY(demo.ok());
    m_demo = *demo;
}

qint64 TstImport::scalar(const QString &sql)
{
    auto q = m_db->exec(sql);
    if (!q || !q->next())
        return -1;
    return q->value(0).toLongLong();
}

QString TstImport::writeFile(const QString &name, const QByteArray &content)
{
    const QString path = m_server.dir() + u"/"_s + name;
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(content) != content.size())
        return {};
    return path;
}

int TstImport::cli(const QStringList &args, QByteArray *output)
{
    return m_server.runCommand(QStringList{u"import"_s, u"--tenant"_s, u"demo"_s} + args, output);
}

void TstImport::parser_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QStringList>("header");
    QTest::addColumn<Rows>("rows");
    QTest::addColumn<QList<qint64>>("lines");
    QTest::addColumn<QString>("error");

    const QStringList ab = {u"a"_s, u"b"_s};
    QTest::newRow("lf") << QByteArray("a,b\n1,2\n3,4\n") << ab << Rows{{u"1"_s, u"2"_s}, {u"3"_s, u"4"_s}}
                        << QList<qint64>{2, 3} << QString();
    QTest::newRow("crlf without final newline")
        << QByteArray("a,b\r\n1,2\r\n3,4") << ab << Rows{{u"1"_s, u"2"_s}, {u"3"_s, u"4"_s}}
        << QList<qint64>{2, 3} << QString();
    QTest::newRow("utf8 bom") << QByteArray("\xEF\xBB\xBF"
                                            "a,b\n\xC3\xA9,2\n")
                              << ab << Rows{{u"\u00e9"_s, u"2"_s}} << QList<qint64>{2} << QString();
    QTest::newRow("semicolons") << QByteArray("a;b\n1,5;2\n") << ab << Rows{{u"1,5"_s, u"2"_s}}
                                << QList<qint64>{2} << QString();
    QTest::newRow("quoted with doubled quotes")
        << QByteArray("a,b\n\"say \"\"hi\"\", ok\",2\n") << ab << Rows{{u"say \"hi\", ok"_s, u"2"_s}}
        << QList<qint64>{2} << QString();
    QTest::newRow("embedded newline keeps line numbers")
        << QByteArray("a,b\n\"x\ny\",1\n3,4\n") << ab << Rows{{u"x\ny"_s, u"1"_s}, {u"3"_s, u"4"_s}}
        << QList<qint64>{2, 4} << QString();
    QTest::newRow("empty lines skipped, empty fields kept")
        << QByteArray("a,b\n\n,\n\n5,\n") << ab << Rows{{QString(), QString()}, {u"5"_s, QString()}}
        << QList<qint64>{3, 5} << QString();
    QTest::newRow("bad utf8") << QByteArray("a,b\n1,2\n\xC3\x28,2\n") << ab << Rows{} << QList<qint64>{}
                              << u"import.bad_utf8"_s;
    QTest::newRow("unterminated quote")
        << QByteArray("a,b\n\"1,2\n") << ab << Rows{} << QList<qint64>{} << u"import.unterminated_quote"_s;
    QTest::newRow("text after closing quote")
        << QByteArray("a,b\n\"1\"x,2\n") << ab << Rows{} << QList<qint64>{} << u"import.bad_quote"_s;
    QTest::newRow("empty file") << QByteArray("\xEF\xBB\xBF") << QStringList() << Rows{} << QList<qint64>{}
                                << u"import.empty_file"_s;
}

void TstImport::parser()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, error);
    auto table = parseCsv(input);
    if (!error.isEmpty()) {
        QVERIFY(!table.ok());
        QCOMPARE(table.error().code, error);
        return;
    }
    QVERIFY2(table.ok(), qPrintable(table.ok() ? QString() : table.error().userText));
    QTEST(table->header, "header");
    Rows rows(table->rows.begin(), table->rows.end());
    QTEST(rows, "rows");
    QList<qint64> lines(table->lines.begin(), table->lines.end());
    QTEST(lines, "lines");
}

void TstImport::headerErrors_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("unknown column") << u"products"_s
                                    << QByteArray("sku,name,list_price,colour\nX,Y,1.00,red\n")
                                    << u"import.unknown_column"_s << u"colour"_s;
    QTest::newRow("missing required column") << u"prices"_s << QByteArray("price_group,price\nG01,1.00\n")
                                             << u"import.missing_column"_s << u"sku"_s;
    QTest::newRow("alternative names twice")
        << u"products"_s << QByteArray("sku,name,list_price,unit,uom\nX,Y,1.00,EA,EA\n")
        << u"import.duplicate_column"_s << u"uom"_s;
    QTest::newRow("bad utf8 in a row")
        << u"stock"_s << QByteArray("warehouse,sku,on_hand\nWH1,SKU-0000001,\xFF\n") << u"import.bad_utf8"_s
        << u"line 2"_s;
}

void TstImport::headerErrors()
{
    QFETCH(QString, kind);
    QFETCH(QByteArray, csv);
    QFETCH(QString, mentions);
    const qint64 seq = demoSeq();
    auto report = importCsv(*m_db, m_demo, csv, {*importKindFromName(kind), u"f.csv"_s, false, {}});
    QVERIFY(!report.ok());
    QTEST(report.error().code, "code");
    QVERIFY2(report.error().userText.contains(mentions) || report.error().field == mentions,
             qPrintable(report.error().userText));
    QCOMPARE(demoSeq(), seq);
}

void TstImport::rowErrors_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<qint64>("line");
    QTest::addColumn<QString>("column");
    QTest::addColumn<QString>("code");
    QTest::newRow("price for an unknown sku")
        << u"prices"_s << QByteArray("price_list,sku,price\nG01,SKU-0000001,1.00\nG01,NOPE,2.00\n")
        << qint64(3) << u"sku"_s << u"import.unknown_sku"_s;
    QTest::newRow("unknown price list")
        << u"prices"_s << QByteArray("price_group,sku,price\nZZZ,SKU-0000001,1.00\n") << qint64(2)
        << u"price_group"_s << u"import.unknown_price_list"_s;
    QTest::newRow("money with a comma")
        << u"products"_s << QByteArray("sku,name,list_price\nN-1,New,\"12,50\"\n") << qint64(2)
        << u"list_price"_s << u"import.bad_money"_s;
    QTest::newRow("too many decimals")
        << u"prices"_s << QByteArray("price_group,sku,price\nG01,SKU-0000001,1.005\n") << qint64(2)
        << u"price"_s << u"import.bad_money"_s;
    QTest::newRow("currency of another tenant")
        << u"prices"_s << QByteArray("price_group,sku,price,currency\nG01,SKU-0000001,1.00,EUR\n")
        << qint64(2) << u"currency"_s << u"import.currency_mismatch"_s;
    QTest::newRow("unknown warehouse")
        << u"stock"_s << QByteArray("warehouse,sku,on_hand\nWH9,SKU-0000001,5\n") << qint64(2)
        << u"warehouse"_s << u"import.unknown_warehouse"_s;
    QTest::newRow("negative stock") << u"stock"_s << QByteArray("warehouse,sku,on_hand\nWH1,SKU-0000001,-5\n")
                                    << qint64(2) << u"on_hand"_s << u"import.bad_number"_s;
    QTest::newRow("too few fields") << u"stock"_s << QByteArray("warehouse,sku,on_hand\nWH1,SKU-0000001\n")
                                    << qint64(2) << QString() << u"import.field_count"_s;
    QTest::newRow("same key twice") << u"stock"_s
                                    << QByteArray(
                                           "warehouse,sku,on_hand\nWH1,SKU-0000001,5\nWH1,SKU-0000001,6\n")
                                    << qint64(3) << u"sku"_s << u"import.duplicate_key"_s;
    QTest::newRow("bad check digit") << u"products"_s
                                     << QByteArray(
                                            "sku,name,list_price,barcode\nN-2,New,1.00,4006381333932\n")
                                     << qint64(2) << u"barcode"_s << u"import.bad_barcode"_s;
    QTest::newRow("unknown account") << u"contract-prices"_s
                                     << QByteArray("account,sku,price\nACC-999999,SKU-0000001,1.00\n")
                                     << qint64(2) << u"account"_s << u"import.unknown_account"_s;
    QTest::newRow("contract ends before it starts")
        << u"contract-prices"_s
        << QByteArray("account_no,sku,price,valid_from,valid_to\nACC-000001,SKU-0000001,1.00,2026-05-01,2026-"
                      "04-01\n")
        << qint64(2) << u"valid_to"_s << u"import.bad_date_range"_s;
    QTest::newRow("bad terms") << u"accounts"_s
                               << QByteArray("account_no,name,terms\nACC-000001,X,SOMETIME\n") << qint64(2)
                               << u"terms"_s << u"import.bad_terms"_s;
    QTest::newRow("unknown rep") << u"accounts"_s << QByteArray("account_no,name,rep\nACC-000001,X,rep99\n")
                                 << qint64(2) << u"rep"_s << u"import.unknown_rep"_s;
}

void TstImport::rowErrors()
{
    QFETCH(QString, kind);
    QFETCH(QByteArray, csv);
    const qint64 seq = demoSeq();
    const qint64 products = scalar(u"SELECT COUNT(*) FROM products"_s);
    auto report = importCsv(*m_db, m_demo, csv, {*importKindFromName(kind), u"f.csv"_s, false, {}});
    QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error().userText));
    QVERIFY(!report->committed);
    QCOMPARE(report->badRows, 1);
    QCOMPARE(report->errors.size(), size_t(1));
    const ImportRowError &e = report->errors.front();
    QCOMPARE(e.file, u"f.csv"_s);
    QTEST(e.line, "line");
    QTEST(e.column, "column");
    QTEST(e.code, "code");
    QVERIFY(!e.reason.isEmpty());
    QCOMPARE(report->inserted + report->updated, 0);
    QCOMPARE(demoSeq(), seq);
    QCOMPARE(scalar(u"SELECT COUNT(*) FROM products"_s), products);
}

namespace {
const QByteArray kMixedProducts = "sku;name;list_price;tax_class;unit\r\n"
                                  "NEW-0001;Good One;4.20;STD;EA\r\n"
                                  "NEW-0002;Bad Price;4,20;STD;EA\r\n"
                                  "NEW-0003;Bad Tax;1.00;LUXURY;EA\r\n"
                                  "NEW-0004;\"Good; Two\";0.99;ZERO;cs\r\n";
}

void TstImport::cliBadFileChangesNothing()
{
    const QString path = writeFile(u"products.csv"_s, kMixedProducts);
    const qint64 seq = demoSeq();
    const qint64 products = scalar(u"SELECT COUNT(*) FROM products"_s);
    QByteArray output;
    QCOMPARE(cli({u"--kind"_s, u"products"_s, path}, &output), 1);
    QVERIFY2(output.contains("products.csv:3: column list_price: import.bad_money"), output.constData());
    QVERIFY2(output.contains("products.csv:4: column tax_class: import.unknown_tax_class"),
             output.constData());
    QVERIFY2(output.contains("nothing imported"), output.constData());
    QCOMPARE(demoSeq(), seq);
    QCOMPARE(scalar(u"SELECT COUNT(*) FROM products"_s), products);
    QCOMPARE(scalar(u"SELECT COUNT(*) FROM products WHERE sku LIKE 'NEW-%'"_s), 0);
}

void TstImport::cliSkipBadRowsImportsTheRest()
{
    const QString path = writeFile(u"products.csv"_s, kMixedProducts);
    const qint64 seq = demoSeq();
    QByteArray output;
    QCOMPARE(cli({u"--kind"_s, u"products"_s, u"--skip-bad-rows"_s, path}, &output), 1);
    QVERIFY2(output.contains("4 rows read, 2 inserted, 0 updated, 0 unchanged, 2 bad, 2 skipped"),
             output.constData());
    QVERIFY2(output.contains("products.csv:3: column list_price"), output.constData());
    QCOMPARE(demoSeq(), seq + 1);
    QCOMPARE(scalar(u"SELECT COUNT(*) FROM products WHERE sku IN ('NEW-0001', 'NEW-0004') AND seq = %1"_s.arg(
                 seq + 1)),
             2);
    QCOMPARE(scalar(u"SELECT list_price_minor FROM products WHERE sku = 'NEW-0004'"_s), 99);
    QCOMPARE(
        scalar(
            u"SELECT COUNT(*) FROM products WHERE sku = 'NEW-0004' AND name = 'Good; Two' AND uom = 'CS'"_s),
        1);
}

void TstImport::reimportOfTheSameFileIsNotAChange()
{
    const QString path =
        writeFile(u"stock.csv"_s, "warehouse,sku,on_hand,allocated\n"
                                  "WH1,SKU-0000001,777,7\nWH2,SKU-0000002,0,0\nWH1,SKU-0000003,12\n");
    // The last row lacks a field: fix it, then import twice.
    const QString fixed =
        writeFile(u"stock.csv"_s, "warehouse,sku,on_hand,allocated\n"
                                  "WH1,SKU-0000001,777,7\nWH2,SKU-0000002,0,0\nWH1,SKU-0000003,12,0\n");
    QCOMPARE(path, fixed);
    QByteArray output;
    QCOMPARE(cli({u"--kind"_s, u"stock"_s, path}, &output), 0);
    QVERIFY2(output.contains("3 rows read"), output.constData());
    QVERIFY2(output.contains("committed"), output.constData());
    const qint64 seq = demoSeq();
    QCOMPARE(
        scalar(
            u"SELECT on_hand FROM stock_levels s JOIN products p ON p.id = s.product_id JOIN warehouses w ON "
            "w.id = s.warehouse_id WHERE p.sku = 'SKU-0000001' AND w.code = 'WH1' AND s.seq = %1"_s.arg(seq)),
        777);
    QCOMPARE(cli({u"--kind"_s, u"stock"_s, path}, &output), 0);
    QVERIFY2(output.contains("0 inserted, 0 updated, 3 unchanged"), output.constData());
    QVERIFY2(output.contains("no changes"), output.constData());
    QCOMPARE(demoSeq(), seq);
    QCOMPARE(scalar(u"SELECT COUNT(*) FROM stock_levels WHERE seq > %1"_s.arg(seq)), 0);
}

void TstImport::accountsAndContractPrices()
{
    const QByteArray accounts =
        "account_no,name,line1,city,postcode,country,terms,credit_limit,price_group,rep,tax_exempt,email\n"
        "ACC-000001,Harbour Deli 1,1 New Street,Leeds,LS1 1AA,GB,NET60,5000.00,G02,rep2,1,buyer@example.com\n"
        "ACC-NEW-01,New Customer,2 Mill Road,York,YO1 2BB,GB,COD,,G01,rep1,0,\n";
    auto report = importCsv(*m_db, m_demo, accounts, {ImportKind::Accounts, u"a.csv"_s, false, {}});
    QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error().userText));
    QVERIFY2(report->committed, qPrintable(report->toText()));
    QCOMPARE(report->inserted, 1);
    QCOMPARE(report->updated, 1);
    QCOMPARE(
        scalar(u"SELECT credit_limit_minor FROM accounts WHERE code = 'ACC-000001' AND tenant_id = %1"_s.arg(
            m_demo)),
        500000);
    QCOMPARE(
        scalar(u"SELECT version FROM accounts WHERE code = 'ACC-000001' AND tenant_id = %1"_s.arg(m_demo)),
        2);
    QCOMPARE(
        scalar(
            u"SELECT COUNT(*) FROM accounts WHERE code = 'ACC-NEW-01' AND credit_limit_minor IS NULL AND terms = 'COD'"_s),
        1);
    QCOMPARE(scalar(u"SELECT COUNT(*) FROM addresses d JOIN accounts a ON a.id = d.account_id WHERE a.code = "
                    u"'ACC-000001' "
                    "AND d.kind = 'billing' AND d.line1 = '1 New Street' AND d.postcode = 'LS1 1AA'"_s),
             1);
    QCOMPARE(
        scalar(u"SELECT COUNT(*) FROM account_reps r JOIN users u ON u.id = r.user_id JOIN accounts a ON "
               "a.id = r.account_id WHERE a.code = 'ACC-NEW-01' AND u.username = 'rep1'"_s),
        1);
    // Again: nothing changes.
    auto again = importCsv(*m_db, m_demo, accounts, {ImportKind::Accounts, u"a.csv"_s, false, {}});
    QVERIFY(again.ok());
    QCOMPARE(again->unchanged, 2);
    QVERIFY(!again->committed);

    const QByteArray contracts = "account_no,sku,price,valid_from,valid_to\n"
                                 "ACC-NEW-01,SKU-0000001,80.00,2026-01-01,\n"
                                 "ACC-NEW-01,SKU-0000002,1.50,,2026-12-31\n";
    auto c = importCsv(*m_db, m_demo, contracts, {ImportKind::ContractPrices, u"c.csv"_s, false, {}});
    QVERIFY(c.ok());
    QCOMPARE(c->inserted, 2);
    QCOMPARE(scalar(u"SELECT COUNT(*) FROM contract_prices cp JOIN accounts a ON a.id = cp.account_id WHERE "
                    "a.code = 'ACC-NEW-01' AND cp.unit_price_minor = 8000 AND cp.valid_to IS NULL"_s),
             1);
}

void TstImport::newCategoryIsCreatedOnce()
{
    const QByteArray csv = "sku,name,list_price,category,active\nCAT-1,A,1.00,Frozen Desserts,1\n"
                           "CAT-2,B,2.00,Frozen Desserts,0\nCAT-3,C,3.00,Beverages,yes\n";
    auto report = importCsv(*m_db, m_demo, csv, {ImportKind::Products, u"p.csv"_s, false, {}});
    QVERIFY(report.ok());
    QCOMPARE(report->inserted, 3);
    QCOMPARE(report->categoriesCreated, 1);
    QCOMPARE(
        scalar(u"SELECT COUNT(*) FROM categories WHERE code = 'FROZEN-DESSERTS' AND name = 'Frozen Desserts' "
               "AND tenant_id = %1"_s.arg(m_demo)),
        1);
    QCOMPARE(scalar(u"SELECT discontinued FROM products WHERE sku = 'CAT-2'"_s), 1);
    auto again = importCsv(*m_db, m_demo, csv, {ImportKind::Products, u"p.csv"_s, false, {}});
    QVERIFY(again.ok());
    QCOMPARE(again->unchanged, 3);
    QCOMPARE(again->categoriesCreated, 0);
    QVERIFY(!again->committed);
}

void TstImport::adminEndpoint()
{
    const QByteArray admin = m_server.login(u"demo"_s, u"admin"_s);
    const QByteArray rep = m_server.login(u"demo"_s, u"rep1"_s);
    QVERIFY(!admin.isEmpty());
    QVERIFY(!rep.isEmpty());
    const QByteArray good = "warehouse,sku,on_hand\nWH2,SKU-0000010,41\n";
    const QByteArray bad = "warehouse,sku,on_hand\nWH2,SKU-0000010,42\nWH2,NOPE,1\n";

    auto r = m_server.postRaw(u"/v1/admin/import/stock"_s, good, rep, "text/csv");
    QCOMPARE(r.status, 403);

    const qint64 seq = demoSeq();
    r = m_server.postRaw(u"/v1/admin/import/stock"_s, bad, admin, "text/csv");
    QCOMPARE(r.status, 422);
    QCOMPARE(r.errorCode(), u"import.bad_rows"_s);
    const QJsonObject report = r.json.value(u"report"_s).toObject();
    QCOMPARE(report.value(u"badRows"_s).toInt(), 1);
    QCOMPARE(report.value(u"errors"_s).toArray().at(0).toObject().value(u"line"_s).toInt(), 3);
    QCOMPARE(report.value(u"errors"_s).toArray().at(0).toObject().value(u"code"_s).toString(),
             u"import.unknown_sku"_s);
    QCOMPARE(demoSeq(), seq);

    r = m_server.postRaw(u"/v1/admin/import/stock?skipBadRows=true"_s, bad, admin, "text/csv; charset=utf-8");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"skipped"_s).toInt(), 1);
    QCOMPARE(r.json.value(u"committed"_s).toBool(), true);
    QCOMPARE(r.json.value(u"seq"_s).toInteger(), seq + 1);
    QCOMPARE(demoSeq(), seq + 1);

    r = m_server.postRaw(u"/v1/admin/import/stock"_s, good, admin, "text/csv");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"updated"_s).toInt(), 1);

    QCOMPARE(m_server.postRaw(u"/v1/admin/import/widgets"_s, good, admin, "text/csv").errorCode(),
             u"import.unknown_kind"_s);
    QCOMPARE(m_server.postRaw(u"/v1/admin/import/stock"_s, good, admin, "application/json").status, 415);
    const auto header = m_server.postRaw(u"/v1/admin/import/stock"_s, "warehouse,sku\n", admin, "text/csv");
    QCOMPARE(header.status, 400);
    QCOMPARE(header.errorCode(), u"import.missing_column"_s);
}

void TstImport::peerCsvsImportUnchanged()
{
    const QString exportJs = QStringLiteral(OUTPOST_SOURCE_DIR "/../shared/bench/pouchdb/export.js");
    const QString node = QStandardPaths::findExecutable(u"node"_s);
    if (node.isEmpty() || !QFile::exists(exportJs))
        QSKIP("node or the PouchDB peer's export.js is not available");
    const QString dir = m_server.dir() + u"/peer"_s;
    QProcess p;
    p.start(node, {exportJs, u"--size"_s, u"tiny"_s, u"--dir"_s, dir});
    QVERIFY(p.waitForFinished(60000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());

    const QString demo = u"tenant_id = %1"_s.arg(m_demo);
    const qint64 productsBefore = scalar(u"SELECT COUNT(*) FROM products WHERE "_s + demo);
    QByteArray output;
    QCOMPARE(cli({u"--kind"_s, u"products"_s, dir + u"/products.csv"_s}, &output), 0);
    // The peer's tiny size is 1000 products; the seed's first 200 are the same rows.
    // Two of the seed's first 200 are discontinued (i % 97 == 13); the peer says active.
    QVERIFY2(output.contains("1000 rows read, 800 inserted, 2 updated, 198 unchanged"), output.constData());
    QCOMPARE(scalar(u"SELECT COUNT(*) FROM products WHERE "_s + demo), productsBefore + 800);
    QCOMPARE(cli({u"--kind"_s, u"accounts"_s, dir + u"/accounts.csv"_s}, &output), 0);
    // ACC-000001 was edited by accountsAndContractPrices(); the other 19 are the peer's rows.
    QVERIFY2(output.contains("100 rows read, 80 inserted, 1 updated, 19 unchanged"), output.constData());
    QCOMPARE(cli({u"--kind"_s, u"prices"_s, dir + u"/prices.csv"_s}, &output), 0);
    QVERIFY2(output.contains("10000 rows read, 8000 inserted, 0 updated, 2000 unchanged"),
             output.constData());
    QCOMPARE(scalar(u"SELECT COUNT(*) FROM price_list_entries WHERE min_qty = 1 AND "_s + demo), 10000);

    const qint64 seq = demoSeq();
    QCOMPARE(cli({u"--kind"_s, u"prices"_s, dir + u"/prices.csv"_s}, &output), 0);
    QVERIFY2(output.contains("0 inserted, 0 updated, 10000 unchanged"), output.constData());
    QCOMPARE(demoSeq(), seq);
    QCOMPARE(cli({u"--kind"_s, u"prices"_s, dir + u"/changed_prices.csv"_s}, &output), 0);
    QVERIFY2(output.contains("100 rows read, 0 inserted, 100 updated"), output.constData());
    QCOMPARE(demoSeq(), seq + 1);
}

QTEST_GUILESS_MAIN(TstImport)
#include "tst_import.moc"
