// Migrations: a database built at EVERY earlier version, with the rows an app of that version
// wrote, migrates to the latest; the rows survive and the newer structures work on them.
#include "fixtures.h"

#include <QTemporaryDir>
#include <QTest>

using namespace outpost;
using namespace outpost::storage;
using namespace outpost::storage::testing;

namespace {

// What an app at `version` wrote, in that version's own SQL (not today's repositories).
void writeRowsOfVersion(Database &db, int version)
{
    if (version < 1)
        return; // an empty file: nothing to keep
    const char *v1Rows = R"SQL(
INSERT INTO categories (id, code, name, seq) VALUES (1, 'OILS', 'Oils', 1);
INSERT INTO tax_classes (id, code, name, rate_bp, seq) VALUES (1, 'STD', 'Standard', 2000, 1);
INSERT INTO warehouses (id, code, name, seq) VALUES (1, 'MAIN', 'Main', 1);
INSERT INTO products (id, sku, name, category_id, barcode, tax_class_id, list_price_minor, seq)
  VALUES (1, 'OIL-5L-001', 'Olive Oil Extra Virgin 5L', 1, '5012345678900', 1, 2599, 7);
INSERT INTO price_lists (id, code, name, currency, seq) VALUES (1, 'TRADE', 'Trade', 'GBP', 1);
INSERT INTO price_list_entries (id, price_list_id, product_id, min_qty, unit_price_minor, seq)
  VALUES (1, 1, 1, 1, 2300, 2);
INSERT INTO accounts (id, code, name, city, price_list_id, seq) VALUES (10, 'ACME-001', 'Acme Bistro', 'Leeds', 1, 3);
INSERT INTO contacts (id, account_id, name, seq) VALUES (100, 10, 'Maria Lopez', 3);
INSERT INTO stock_levels (id, warehouse_id, product_id, on_hand, allocated, updated_at, seq)
  VALUES (1, 1, 1, 40, 5, '2026-11-20T08:00:00.000Z', 4);
INSERT INTO orders (id, account_id, warehouse_id, status, currency, created_at, updated_at)
  VALUES ('7f0c2f7e-0000-4000-8000-000000000001', 10, 1, 'draft', 'GBP',
          '2026-11-20T09:00:00.000Z', '2026-11-20T09:00:00.000Z');
INSERT INTO order_lines (order_id, line_no, product_id, sku, quantity)
  VALUES ('7f0c2f7e-0000-4000-8000-000000000001', 1, 1, 'OIL-5L-001', 3);
INSERT INTO outbox (command_id, kind, entity_id, payload, created_at, next_attempt_at)
  VALUES ('c0ffee00-0000-4000-8000-000000000001', 'account.notes', '10', '{"accountId":10}',
          '2026-11-20T09:00:00.000Z', '2026-11-20T09:00:00.000Z');
INSERT INTO sync_state (partition, cursor_seq) VALUES ('catalog', 7);
)SQL";
    if (!db.exec(v1Rows).ok())
        qFatal("writing version-1 rows failed");
    // Version 2 added only indexes; its app wrote the same rows (the triggers index them).
}

} // namespace

class TestStorageMigrations : public QObject
{
    Q_OBJECT

private slots:
    void migrationsAreOrderedAndEndAtLatest()
    {
        const auto &list = migrations();
        QVERIFY(!list.empty());
        for (size_t i = 0; i < list.size(); ++i) {
            QCOMPARE(list[i].version, int(i) + 1);
            QVERIFY(list[i].apply != nullptr);
        }
        QCOMPARE(latestSchemaVersion(), list.back().version);
        QVERIFY(latestSchemaVersion() >= 2);
    }

    void fromEveryEarlierVersion_data()
    {
        QTest::addColumn<int>("startVersion");
        for (int v = 0; v < latestSchemaVersion(); ++v)
            QTest::newRow(qPrintable(u"fromVersion%1"_s.arg(v))) << v;
    }

    void fromEveryEarlierVersion()
    {
        QFETCH(int, startVersion);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"replica.sqlite"_s);
        {
            auto db = Database::open(path);
            QVERIFY(db.ok());
            QVERIFY(migrate(**db, startVersion).ok());
            QCOMPARE(*(*db)->userVersion(), startVersion);
            writeRowsOfVersion(**db, startVersion);
        }
        auto opened = Database::open(path); // as the next app start would
        QVERIFY(opened.ok());
        Database &db = **opened;
        Status migrated = migrate(db);
        QVERIFY2(migrated.ok(), qPrintable(migrated.ok() ? QString() : migrated.error().detail));
        QCOMPARE(*db.userVersion(), latestSchemaVersion());
        QCOMPARE(scalar(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);

        CatalogRepository catalog(db);
        AccountRepository accounts(db);
        if (startVersion >= 1) {
            // The rows survived, with their server seq.
            auto p = catalog.product(1);
            QVERIFY(p.ok());
            QCOMPARE(p->sku, u"OIL-5L-001"_s);
            QCOMPARE(p->listPriceMinor, 2599);
            QCOMPARE(p->seq, 7);
            QCOMPARE(scalar(db, "SELECT count(*) FROM order_lines"), 1);
            QCOMPARE(scalar(db, "SELECT count(*) FROM outbox WHERE state = 'pending'"), 1);
            QCOMPARE(scalar(db, "SELECT cursor_seq FROM sync_state WHERE partition = 'catalog'"), 7);
            // ... and the newer structures work on them: FTS finds pre-existing rows.
            auto found = catalog.searchProducts(u"oli oil"_s, 0, 10);
            QVERIFY(found.ok());
            QCOMPARE(found->size(), 1);
            QCOMPARE(found->first().id, 1);
            auto byContact = accounts.search(u"maria"_s, 10);
            QVERIFY(byContact.ok());
            QCOMPARE(byContact->size(), 1);
            QCOMPARE(byContact->first().id, 10);
        }
        // New rows written after the migration are indexed too.
        if (startVersion == 0) {
            QVERIFY(catalog.upsertCategories({{1, u"OILS"_s, u"Oils"_s, 0, 1}}).ok());
        }
        QVERIFY(catalog
                    .upsertProducts(
                        {product(2, u"OIL-1L-002"_s, u"Sunflower Oil 1L"_s, 1, u"5012345678917"_s, 349, 0)})
                    .ok());
        auto sunflower = catalog.searchProducts(u"sunfl"_s, 0, 10);
        QVERIFY(sunflower.ok());
        QCOMPARE(sunflower->size(), 1);
        QCOMPARE(sunflower->first().id, 2);
    }

    void migratingTwiceChangesNothing()
    {
        auto db = openMigrated();
        QVERIFY(migrate(*db).ok());
        QCOMPARE(*db->userVersion(), latestSchemaVersion());
    }

    void newerDatabaseIsRefusedAndLeftAlone()
    {
        auto db = Database::open(QString::fromLatin1(Database::kMemory));
        QVERIFY(db.ok());
        QVERIFY((*db)->setUserVersion(latestSchemaVersion() + 1).ok());
        Status s = migrate(**db);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, u"storage.schema_too_new"_s);
        QCOMPARE(*(*db)->userVersion(), latestSchemaVersion() + 1);
        QCOMPARE(scalar(**db, "SELECT count(*) FROM sqlite_schema"), 0);
    }
};

QTEST_GUILESS_MAIN(TestStorageMigrations)
#include "tst_storage_migrations.moc"
