// The demo seed: the port of the PouchDB peer's generator gives the peer's exact values (constants
// computed once with `node -e` from shared/bench/pouchdb/lib/dataset.js), the seeded database holds
// them, two seeds are identical row for row, and a second seed needs --force.
#include "server/password.h"
#include "server/seed_data.h"
#include "tests/support/testserver.h"

#include <QCryptographicHash>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace outpost::server::seed;
using outpost::test::TestServer;

namespace {

// A read-only connection to a seeded file; closed when it goes out of scope.
class Db
{
public:
    explicit Db(const QString &path) : m_name(u"tst_seed_%1"_s.arg(++s_counter))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_name);
        db.setDatabaseName(path);
        db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
        m_ok = db.open();
    }
    ~Db() { QSqlDatabase::removeDatabase(m_name); }
    bool ok() const { return m_ok; }
    QVariant value(const QString &sql)
    {
        QSqlQuery q(QSqlDatabase::database(m_name));
        if (!q.exec(sql) || !q.next())
            return QVariant(u"<query failed: %1>"_s.arg(q.lastError().text()));
        return q.value(0);
    }
    qint64 count(const QString &tableAndWhere)
    {
        return value(u"SELECT COUNT(*) FROM "_s + tableAndWhere).toLongLong();
    }
    // SHA-256 over every row of every table (ordered), without random salts (users.password_hash).
    QByteArray hashAll()
    {
        QCryptographicHash h(QCryptographicHash::Sha256);
        QSqlDatabase db = QSqlDatabase::database(m_name);
        const QStringList tables = db.tables();
        for (const QString &t : tables) {
            QSqlQuery q(db);
            q.exec(u"SELECT * FROM %1 ORDER BY rowid"_s.arg(t));
            while (q.next()) {
                const QSqlRecord r = q.record();
                for (int c = 0; c < r.count(); ++c) {
                    if (r.fieldName(c) == u"password_hash"_s)
                        continue;
                    h.addData(r.value(c).toString().toUtf8());
                    h.addData(QByteArrayView("\x1f"));
                }
                h.addData(QByteArrayView("\n"));
            }
        }
        return h.result().toHex();
    }

private:
    static inline int s_counter = 0;
    QString m_name;
    bool m_ok = false;
};

} // namespace

class TstSeed : public QObject
{
    Q_OBJECT

private slots:
    void mulberry32MatchesThePeer();
    void peerProducts_data();
    void peerProducts();
    void peerAccounts_data();
    void peerAccounts();
    void peerPrices_data();
    void peerPrices();
    void ean13CheckDigits_data();
    void ean13CheckDigits();
    void tinySeedHoldsThePeerRows();
    void tinySeedHasTheWholesaleExtras();
    void twoSeedsAreIdentical();
    void secondSeedNeedsForce();
    void stockAsOfSetsTheCountTime();

private:
    TestServer m_server; // its database: the tiny seed
};

void TstSeed::mulberry32MatchesThePeer()
{
    // node: const r = rng(1000003); r(), r()
    Mulberry32 r(1000003);
    QVERIFY(r() == 0.926348441047594);
    QVERIFY(r() == 0.7100826795212924);
}

void TstSeed::peerProducts_data()
{
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("sku");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("description");
    QTest::addColumn<QString>("category");
    QTest::addColumn<QString>("unit");
    QTest::addColumn<int>("packSize");
    QTest::addColumn<qint64>("listPriceMinor");
    QTest::newRow("product 0")
        << 0 << u"SKU-0000001"_s << u"Farmhouse Sea Salt 6 x 750ml"_s
        << u"Store in a cool dry place; allergen information on label. Farmhouse Sea Salt 6 x"_s << u"Beer"_s
        << u"KG"_s << 45 << qint64(10113);
    QTest::newRow("product 17")
        << 17 << u"SKU-0000018"_s << u"Imported Basmati Rice 6 x 1L"_s
        << u"Sourced from certified growers; ideal for restaurants, cafes and hotels. Importe"_s
        << u"Pasta & Rice"_s << u"CS"_s << 30 << qint64(19415);
    QTest::newRow("product 199")
        << 199 << u"SKU-0000200"_s << u"Value Crisps 1 x 20L"_s
        << u"Suitable for vegetarians; best before 18 months from packing. Value Crisps 1 x 2"_s
        << u"Hardware"_s << u"EA"_s << 13 << qint64(4067);
    QTest::newRow("product 9999")
        << 9999 << u"SKU-0010000"_s << u"Extra Fine Crisps 1 x 5kg"_s
        << u"Packed for catering and retail; best before 18 months from packing. Extra Fine C"_s
        << u"Canned Goods"_s << u"CS"_s << 6 << qint64(19287);
}

void TstSeed::peerProducts()
{
    QFETCH(int, index);
    const PeerProduct p = peerProduct(index);
    QTEST(p.sku, "sku");
    QTEST(p.name, "name");
    QTEST(p.description, "description");
    QTEST(p.category, "category");
    QTEST(p.unit, "unit");
    QTEST(p.packSize, "packSize");
    QTEST(p.listPriceMinor, "listPriceMinor");
}

void TstSeed::peerAccounts_data()
{
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("accountNo");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("line1");
    QTest::addColumn<QString>("city");
    QTest::addColumn<QString>("postcode");
    QTest::addColumn<QString>("terms");
    QTest::addColumn<qint64>("creditLimit");
    QTest::addColumn<QString>("priceGroup");
    QTest::newRow("account 0") << 0 << u"ACC-000001"_s << u"Harbour Deli 1"_s << u"69 Industrial Estate"_s
                               << u"Manchester"_s << u"M2 6NB"_s << u"NET30"_s << qint64(23000) << u"G01"_s;
    QTest::newRow("account 19") << 19 << u"ACC-000020"_s << u"Corner Inn 20"_s << u"105 Park Avenue"_s
                                << u"York"_s << u"YO8 4YF"_s << u"NET30"_s << qint64(21000) << u"G10"_s;
}

void TstSeed::peerAccounts()
{
    QFETCH(int, index);
    const PeerAccount a = peerAccount(index, 10);
    QTEST(a.accountNo, "accountNo");
    QTEST(a.name, "name");
    QTEST(a.line1, "line1");
    QTEST(a.city, "city");
    QTEST(a.postcode, "postcode");
    QCOMPARE(a.country, u"GB"_s);
    QTEST(a.terms, "terms");
    QTEST(a.creditLimit, "creditLimit");
    QTEST(a.priceGroup, "priceGroup");
}

void TstSeed::peerPrices_data()
{
    QTest::addColumn<int>("group");
    QTest::addColumn<int>("index");
    QTest::addColumn<qint64>("priceMinor");
    QTest::newRow("G03 product 17") << 2 << 17 << qint64(15157);
    QTest::newRow("G10 product 199") << 9 << 199 << qint64(4017);
}

void TstSeed::peerPrices()
{
    QFETCH(int, group);
    QFETCH(int, index);
    QTEST(peerPriceMinor(group, index, peerProduct(index).listPrice), "priceMinor");
}

void TstSeed::ean13CheckDigits_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<bool>("valid");
    QTest::newRow("known good") << u"4006381333931"_s << true;
    QTest::newRow("wrong check digit") << u"4006381333932"_s << false;
    QTest::newRow("seed product 1") << ean13(u"50"_s, 1) << true;
    QTest::newRow("letters") << u"400638133393X"_s << false;
    QTest::newRow("12 digits") << u"400638133393"_s << false;
}

void TstSeed::ean13CheckDigits()
{
    QFETCH(QString, code);
    QTEST(isValidEan13(code), "valid");
}

void TstSeed::tinySeedHoldsThePeerRows()
{
    QVERIFY(m_server.seed());
    Db db(m_server.dbPath());
    QVERIFY(db.ok());
    const QString demo = u"tenant_id = (SELECT id FROM tenants WHERE code = 'demo')"_s;
    QCOMPARE(db.value(u"SELECT currency FROM tenants WHERE code = 'demo'"_s).toString(), u"GBP"_s);
    QCOMPARE(db.count(u"products WHERE "_s + demo), 200);
    QCOMPARE(db.count(u"accounts WHERE "_s + demo), 20);
    QCOMPARE(db.count(u"price_list_entries WHERE min_qty = 1 AND "_s + demo), 2000);
    QCOMPARE(db.count(u"price_lists WHERE "_s + demo), 10);
    QCOMPARE(db.value(u"SELECT name || '|' || description || '|' || uom || '|' || pack_label || '|' || "
                      "list_price_minor FROM products WHERE sku = 'SKU-0000001' AND "_s +
                      demo)
                 .toString(),
             u"Farmhouse Sea Salt 6 x 750ml|Store in a cool dry place; allergen information on label. "
             "Farmhouse Sea Salt 6 x|KG|45|10113"_s);
    QCOMPARE(db.value(u"SELECT c.name FROM products p JOIN categories c ON c.id = p.category_id "
                      "WHERE p.sku = 'SKU-0000001' AND p."_s +
                      demo)
                 .toString(),
             u"Beer"_s);
    QCOMPARE(db.value(u"SELECT e.unit_price_minor FROM price_list_entries e JOIN price_lists l ON l.id = "
                      "e.price_list_id JOIN products p ON p.id = e.product_id WHERE l.code = 'G03' AND "
                      "p.sku = 'SKU-0000018' AND e.min_qty = 1 AND e."_s +
                      demo)
                 .toLongLong(),
             15157);
    QCOMPARE(db.value(u"SELECT a.name || '|' || a.city || '|' || a.postcode || '|' || a.terms || '|' || "
                      "a.credit_limit_minor || '|' || l.code FROM accounts a JOIN price_lists l ON l.id = "
                      "a.price_list_id WHERE a.code = 'ACC-000001' AND a."_s +
                      demo)
                 .toString(),
             u"Harbour Deli 1|Manchester|M2 6NB|NET30|2300000|G01"_s);
    QCOMPARE(db.value(u"SELECT line1 FROM addresses WHERE kind = 'billing' AND account_id = (SELECT id FROM "
                      "accounts WHERE code = 'ACC-000001' AND "_s +
                      demo + u")"_s)
                 .toString(),
             u"69 Industrial Estate"_s);
}

void TstSeed::tinySeedHasTheWholesaleExtras()
{
    QVERIFY(m_server.seed());
    Db db(m_server.dbPath());
    QVERIFY(db.ok());
    const QString demo = u"tenant_id = (SELECT id FROM tenants WHERE code = 'demo')"_s;
    const QString acme = u"tenant_id = (SELECT id FROM tenants WHERE code = 'acme')"_s;
    QCOMPARE(db.count(u"stock_levels WHERE "_s + demo), 400);
    QVERIFY(db.count(u"stock_levels WHERE on_hand = 0 AND "_s + demo) > 0);
    QVERIFY(db.count(u"stock_levels WHERE on_hand > 0 AND on_hand <= 5 AND "_s + demo) > 0);
    QVERIFY(db.count(u"price_list_entries WHERE min_qty = 10 AND "_s + demo) > 0);
    QCOMPARE(db.count(u"price_list_entries WHERE min_qty = 10 AND "_s + demo),
             db.count(u"price_list_entries WHERE min_qty = 50 AND "_s + demo));
    QCOMPARE(db.count(u"contract_prices WHERE "_s + demo), 6); // accounts 5 and 15
    QCOMPARE(db.count(u"contract_prices WHERE valid_to < '2026-01-01' AND "_s + demo), 1);
    QCOMPARE(db.count(u"contract_prices WHERE valid_from >= '2030-01-01' AND "_s + demo), 1);
    QCOMPARE(db.count(u"promotions WHERE "_s + demo), 7);
    QCOMPARE(db.count(u"accounts WHERE on_hold = 1 AND "_s + demo), 1);
    QVERIFY(db.count(u"accounts WHERE open_balance_minor > credit_limit_minor AND "_s + demo) > 0);
    QCOMPARE(db.count(u"contacts WHERE "_s + demo), 40);
    QCOMPARE(db.count(u"addresses WHERE "_s + demo), 40);
    QCOMPARE(db.count(u"account_reps WHERE "_s + demo), 20);
    QCOMPARE(db.value(u"SELECT group_concat(username, ',') FROM (SELECT username FROM users WHERE "_s + demo +
                      u" ORDER BY id)"_s)
                 .toString(),
             u"rep1,rep2,rep3,manager1,kiosk1,admin"_s);
    QCOMPARE(db.value(u"SELECT max_line_discount_bp || '/' || max_order_discount_bp FROM users WHERE "
                      "username = 'rep1' AND "_s +
                      demo)
                 .toString(),
             u"1000/500"_s);
    QCOMPARE(db.value(u"SELECT t.code FROM products p JOIN tax_classes t ON t.id = p.tax_class_id WHERE "
                      "p.sku = 'SKU-0000001' AND p."_s +
                      demo)
                 .toString(),
             u"STD"_s); // Beer
    const QString hash =
        db.value(u"SELECT password_hash FROM users WHERE username = 'admin' AND "_s + demo).toString();
    QVERIFY(outpost::server::verifyPassword(u"demo"_s, hash));
    QVERIFY(!outpost::server::verifyPassword(u"Demo"_s, hash));
    // Every barcode is a valid EAN-13; case packs only on EA items.
    QCOMPARE(db.count(u"products WHERE case_pack > 1 AND uom <> 'EA'"_s), 0);
    QVERIFY(db.count(u"products WHERE case_pack > 1 AND "_s + demo) > 0);
    QVERIFY(isValidEan13(
        db.value(u"SELECT barcode FROM products WHERE sku = 'SKU-0000200' AND "_s + demo).toString()));
    // The isolation tenant.
    QCOMPARE(db.value(u"SELECT currency FROM tenants WHERE code = 'acme'"_s).toString(), u"EUR"_s);
    QCOMPARE(db.count(u"products WHERE "_s + acme), 50);
    QCOMPARE(db.count(u"accounts WHERE "_s + acme), 10);
    QCOMPARE(db.value(u"SELECT group_concat(username, ',') FROM (SELECT username FROM users WHERE "_s + acme +
                      u" ORDER BY id)"_s)
                 .toString(),
             u"rep1,manager1,admin"_s);
}

void TstSeed::twoSeedsAreIdentical()
{
    QVERIFY(m_server.seed());
    TestServer other;
    QVERIFY(other.seed());
    Db a(m_server.dbPath());
    Db b(other.dbPath());
    QVERIFY(a.ok() && b.ok());
    QCOMPARE(a.hashAll(), b.hashAll());
}

void TstSeed::secondSeedNeedsForce()
{
    QVERIFY(m_server.seed());
    QByteArray output;
    QCOMPARE(m_server.runCommand({u"seed"_s, u"--size"_s, u"tiny"_s}, &output), 1);
    QVERIFY2(output.contains("--force"), output.constData());
    QByteArray before;
    {
        Db db(m_server.dbPath());
        before = db.hashAll();
    }
    QCOMPARE(m_server.runCommand({u"seed"_s, u"--size"_s, u"tiny"_s, u"--force"_s}, &output), 0);
    Db db(m_server.dbPath());
    QCOMPARE(db.count(u"products"_s), 250);
    QCOMPARE(db.count(u"tenants"_s), 2);
    QCOMPARE(db.value(u"SELECT COUNT(*) FROM users"_s).toLongLong(), 9);
    QCOMPARE(db.hashAll(), before); // ids restart: the replacement is the same dataset
    QCOMPARE(m_server.runCommand({u"seed"_s, u"--size"_s, u"huge"_s}, &output), 2);
}

void TstSeed::stockAsOfSetsTheCountTime()
{
    TestServer other;
    QByteArray output;
    QCOMPARE(other.runCommand({u"seed"_s, u"--size"_s, u"tiny"_s, u"--stock-as-of"_s, u"yesterday"_s}, &output), 2);
    QVERIFY2(output.contains("--stock-as-of"), output.constData());
    QCOMPARE(other.runCommand({u"seed"_s, u"--size"_s, u"tiny"_s, u"--stock-as-of"_s, u"2026-11-01T08:00:00"_s}, &output),
             2); // no zone: refused, not guessed
    QCOMPARE(other.runCommand({u"seed"_s, u"--size"_s, u"tiny"_s, u"--stock-as-of"_s, u"2026-11-01T08:00:00Z"_s},
                              &output),
             0);
    Db db(other.dbPath());
    QCOMPARE(db.value(u"SELECT COUNT(DISTINCT updated_at) FROM stock_levels"_s).toLongLong(), 1);
    QCOMPARE(db.value(u"SELECT MIN(updated_at) FROM stock_levels"_s).toString(), u"2026-11-01T08:00:00.000Z"_s);
}

QTEST_GUILESS_MAIN(TstSeed)
#include "tst_seed.moc"
