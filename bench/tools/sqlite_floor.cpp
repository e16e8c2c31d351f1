// outpost-bench-floor: the SQLite floor of an initial sync. Loads the PouchDB peer's rows (its
// export.js CSVs: products, accounts, prices) into memory, resolves every id and value first, then
// writes them into a fresh replica file -- the device replica's own schema, pragmas, indexes and
// full-text triggers (storage::migrate) -- with the SQLite C API: one transaction, one prepared
// statement per table, no network, no decoding. Products and accounts get their full-text index the
// way the sync's bulk apply gives it (storage::fullTextFill: insert trigger dropped for the load,
// every row indexed in one statement, trigger restored). The timed part is BEGIN .. COMMIT; nothing
// an initial sync does can be cheaper than that on the same file.
//
// The rows are the ones `outpost-server import` makes of the same CSVs plus the bench fixture
// (bench/tools/init_server.cpp): categories (one per name), price lists (one per price group), one
// warehouse and tax class, products, price-list entries (min_qty 1), accounts (default warehouse
// set) and their billing addresses.
//
//   outpost-bench-floor --csv-dir DIR --out FILE.sqlite
// Prints one JSON line: {"sqlite_limit_s", "schema_s", "rows", "price_entries", "file_bytes", ...}.
// Not a test: it asserts nothing about speed.
#include "bench/tools/csv.h"

#include "storage/database.h"
#include "storage/schema.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <sqlite3.h>

#include <map>
#include <vector>

using namespace outpost;
using namespace outpost::bench;
using namespace Qt::Literals::StringLiterals;

namespace {

// "Oils & Vinegars" -> "OILS-VINEGARS", as server/seed_data.h categoryCode().
QByteArray categoryCode(const QByteArray &name)
{
    QByteArray code;
    bool dash = false;
    for (const char c : name) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (dash && !code.isEmpty())
                code.append('-');
            dash = false;
            code.append(char(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c));
        } else {
            dash = true;
        }
    }
    return code;
}

// One prepared INSERT on the raw handle; binds positionally, text as static UTF-8.
class Insert
{
public:
    Insert(sqlite3 *db, const char *sql) : m_db(db)
    {
        m_rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr);
    }
    ~Insert() { sqlite3_finalize(m_stmt); }
    Insert(const Insert &) = delete;
    Insert &operator=(const Insert &) = delete;

    Insert &i(qint64 v)
    {
        sqlite3_bind_int64(m_stmt, ++m_k, v);
        return *this;
    }
    Insert &t(const QByteArray &v)
    {
        sqlite3_bind_text(m_stmt, ++m_k, v.constData(), int(v.size()), SQLITE_STATIC);
        return *this;
    }
    Insert &null()
    {
        sqlite3_bind_null(m_stmt, ++m_k);
        return *this;
    }
    bool run()
    {
        m_k = 0;
        if (m_rc != SQLITE_OK)
            return false;
        m_rc = sqlite3_step(m_stmt);
        sqlite3_reset(m_stmt);
        if (m_rc != SQLITE_DONE)
            return false;
        m_rc = SQLITE_OK;
        ++m_rows;
        return true;
    }
    QString error() const { return QString::fromUtf8(sqlite3_errmsg(m_db)); }
    qint64 rows() const { return m_rows; }

private:
    sqlite3 *m_db;
    sqlite3_stmt *m_stmt = nullptr;
    int m_rc = SQLITE_OK;
    int m_k = 0;
    qint64 m_rows = 0;
};

// storage::fullTextFill, as ReplicaWriter applies it to a snapshot into an empty table.
class BulkFill
{
public:
    BulkFill(outpost::storage::Database &db, const char *table)
        : m_db(db), m_fill(outpost::storage::fullTextFill(QString::fromLatin1(table)))
    {
        if (!m_fill)
            return;
        auto trigger = outpost::storage::dropFullTextTrigger(db, *m_fill);
        if (trigger && !trigger->isEmpty())
            m_trigger = *trigger;
        else
            m_error = trigger ? u"no full-text trigger"_s : trigger.error().detail;
    }
    bool finish()
    {
        if (m_trigger.isEmpty())
            return false;
        const outpost::Status s = outpost::storage::fillFullText(m_db, *m_fill, m_trigger);
        if (!s)
            m_error = s.error().detail;
        return bool(s);
    }
    QString error() const { return m_error; }

private:
    outpost::storage::Database &m_db;
    const outpost::storage::FullTextFill *m_fill;
    QByteArray m_trigger;
    QString m_error;
};

struct Product
{
    QByteArray sku, name, description, uom, packLabel;
    qint64 categoryId = 0;
    qint64 listPriceMinor = 0;
    bool discontinued = false;
};
struct Account
{
    QByteArray code, name, line1, city, postcode, country, terms;
    qint64 priceListId = 0;
    qint64 creditLimitMinor = 0;
};
struct PriceEntry
{
    qint64 listId = 0, productId = 0, priceMinor = 0;
    QByteArray validFrom;
};

struct Dataset
{
    std::vector<QByteArray> categories; // id = index + 1
    std::vector<QByteArray> priceLists; // id = index + 1
    std::vector<Product> products;      // id = index + 1
    std::vector<Account> accounts;      // id = index + 1 (and its billing address)
    std::vector<PriceEntry> prices;     // id = index + 1
};

bool need(const CsvTable &t, std::initializer_list<const char *> names, const QString &file, QString *error)
{
    for (const char *n : names) {
        if (t.column(n) < 0) {
            *error = u"%1: missing column %2"_s.arg(file, QString::fromUtf8(n));
            return false;
        }
    }
    return true;
}

bool loadDataset(const QString &dir, Dataset *d, QString *error)
{
    CsvTable products, accounts, prices;
    if (!readCsvFile(dir + u"/products.csv"_s, &products, error) ||
        !readCsvFile(dir + u"/accounts.csv"_s, &accounts, error) ||
        !readCsvFile(dir + u"/prices.csv"_s, &prices, error))
        return false;
    if (!need(products, {"sku", "name", "description", "category", "unit", "pack_size", "list_price", "active"},
              u"products.csv"_s, error) ||
        !need(accounts, {"account_no", "name", "line1", "city", "postcode", "country", "terms", "credit_limit",
                         "price_group"},
              u"accounts.csv"_s, error) ||
        !need(prices, {"price_group", "sku", "price", "valid_from"}, u"prices.csv"_s, error))
        return false;

    std::map<QByteArray, qint64> categoryIds, listIds, productIds;
    const auto listId = [&](const QByteArray &code) {
        auto [it, fresh] = listIds.try_emplace(code, 0);
        if (fresh) {
            d->priceLists.push_back(code);
            it->second = qint64(d->priceLists.size());
        }
        return it->second;
    };
    const auto col = [](const CsvTable &t, const char *name) { return t.column(name); };
    for (const auto &r : products.rows) {
        Product p;
        const auto f = [&](const char *name) { return r.at(std::size_t(col(products, name))); };
        p.sku = f("sku");
        p.name = f("name");
        p.description = f("description");
        p.uom = f("unit").toUpper();
        p.packLabel = f("pack_size");
        p.discontinued = f("active") == "0";
        if (!parseMinor(f("list_price"), &p.listPriceMinor)) {
            *error = u"products.csv: bad list_price for %1"_s.arg(QString::fromUtf8(p.sku));
            return false;
        }
        const QByteArray category = f("category");
        auto [it, fresh] = categoryIds.try_emplace(categoryCode(category), 0);
        if (fresh) {
            d->categories.push_back(category);
            it->second = qint64(d->categories.size());
        }
        p.categoryId = it->second;
        d->products.push_back(std::move(p));
        productIds.emplace(d->products.back().sku, qint64(d->products.size()));
    }
    for (const auto &r : prices.rows) { // lists in order of first appearance (G01, G02, ...)
        listId(r.at(std::size_t(col(prices, "price_group"))));
    }
    for (const auto &r : accounts.rows) {
        Account a;
        const auto f = [&](const char *name) { return r.at(std::size_t(col(accounts, name))); };
        a.code = f("account_no");
        a.name = f("name");
        a.line1 = f("line1");
        a.city = f("city");
        a.postcode = f("postcode");
        a.country = f("country");
        a.terms = f("terms");
        a.priceListId = listId(f("price_group"));
        if (!parseMinor(f("credit_limit"), &a.creditLimitMinor)) {
            *error = u"accounts.csv: bad credit_limit for %1"_s.arg(QString::fromUtf8(a.code));
            return false;
        }
        d->accounts.push_back(std::move(a));
    }
    d->prices.reserve(prices.rows.size());
    for (const auto &r : prices.rows) {
        PriceEntry e;
        e.listId = listId(r.at(std::size_t(col(prices, "price_group"))));
        const auto it = productIds.find(r.at(std::size_t(col(prices, "sku"))));
        if (it == productIds.end()) {
            *error = u"prices.csv: unknown sku"_s;
            return false;
        }
        e.productId = it->second;
        e.validFrom = r.at(std::size_t(col(prices, "valid_from")));
        if (!parseMinor(r.at(std::size_t(col(prices, "price"))), &e.priceMinor)) {
            *error = u"prices.csv: bad price"_s;
            return false;
        }
        d->prices.push_back(std::move(e));
    }
    return true;
}

// Writes every row in one transaction; returns the row count or -1 (*error set).
qint64 writeDataset(outpost::storage::Database &database, const Dataset &d, QJsonObject *tableSeconds, QString *error)
{
    sqlite3 *db = database.handle();
    QElapsedTimer lap;
    lap.start();
    const auto mark = [&](const char *table) {
        tableSeconds->insert(QString::fromLatin1(table), double(lap.nsecsElapsed()) / 1e9);
        lap.restart();
    };
    constexpr qint64 seq = 1;
    const QByteArray gbp = "GBP";
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
        *error = QString::fromUtf8(sqlite3_errmsg(db));
        return -1;
    }
    qint64 rows = 0;
    bool ok = true;
    const auto fail = [&](const Insert &ins, const char *table) {
        *error = u"insert into %1: %2"_s.arg(QString::fromUtf8(table), ins.error());
        ok = false;
    };
    {
        Insert wh(db, "INSERT INTO warehouses (id, code, name, seq) VALUES (?, ?, ?, ?)");
        if (!wh.i(1).t("WH1").t("Main warehouse").i(seq).run())
            fail(wh, "warehouses");
        Insert tax(db, "INSERT INTO tax_classes (id, code, name, rate_bp, seq) VALUES (?, ?, ?, ?, ?)");
        if (ok && !tax.i(1).t("STD").t("Standard").i(2000).i(seq).run())
            fail(tax, "tax_classes");
        rows += wh.rows() + tax.rows();
        mark("warehouses+tax_classes");
    }
    if (ok) {
        Insert ins(db, "INSERT INTO categories (id, code, name, parent_id, seq) VALUES (?, ?, ?, NULL, ?)");
        for (std::size_t k = 0; ok && k < d.categories.size(); ++k) {
            if (!ins.i(qint64(k) + 1).t(categoryCode(d.categories[k])).t(d.categories[k]).i(seq).run())
                fail(ins, "categories");
        }
        rows += ins.rows();
        mark("categories");
    }
    if (ok) {
        Insert ins(db, "INSERT INTO price_lists (id, code, name, currency, seq) VALUES (?, ?, ?, ?, ?)");
        for (std::size_t k = 0; ok && k < d.priceLists.size(); ++k) {
            const QByteArray name = "Price group " + d.priceLists[k];
            if (!ins.i(qint64(k) + 1).t(d.priceLists[k]).t(name).t(gbp).i(seq).run())
                fail(ins, "price_lists");
        }
        rows += ins.rows();
        mark("price_lists");
    }
    if (ok) {
        BulkFill fts(database, "products");
        Insert ins(db, "INSERT INTO products (id, sku, name, description, category_id, barcode, uom, pack_label, "
                       "case_pack, moq, tax_class_id, list_price_minor, discontinued, backorder_allowed, seq) "
                       "VALUES (?, ?, ?, ?, ?, NULL, ?, ?, 1, 1, NULL, ?, ?, 0, ?)");
        for (std::size_t k = 0; ok && k < d.products.size(); ++k) {
            const Product &p = d.products[k];
            if (!ins.i(qint64(k) + 1).t(p.sku).t(p.name).t(p.description).i(p.categoryId).t(p.uom)
                     .t(p.packLabel).i(p.listPriceMinor).i(p.discontinued ? 1 : 0).i(seq).run())
                fail(ins, "products");
        }
        if (ok && !fts.finish()) {
            *error = u"products full-text index: "_s + fts.error();
            ok = false;
        }
        rows += ins.rows();
        mark("products");
    }
    if (ok) {
        Insert ins(db, "INSERT INTO price_list_entries (id, price_list_id, product_id, min_qty, unit_price_minor, "
                       "valid_from, seq) VALUES (?, ?, ?, 1, ?, ?, ?)");
        for (std::size_t k = 0; ok && k < d.prices.size(); ++k) {
            const PriceEntry &e = d.prices[k];
            if (!ins.i(qint64(k) + 1).i(e.listId).i(e.productId).i(e.priceMinor).t(e.validFrom).i(seq).run())
                fail(ins, "price_list_entries");
        }
        rows += ins.rows();
        mark("price_list_entries");
    }
    if (ok) {
        BulkFill fts(database, "accounts");
        Insert acc(db, "INSERT INTO accounts (id, code, name, city, postcode, country, phone, email, price_list_id, "
                       "terms, credit_limit_minor, open_balance_minor, tax_exempt, on_hold, default_warehouse_id, "
                       "notes, version, seq) VALUES (?, ?, ?, ?, ?, ?, '', '', ?, ?, ?, 0, 0, 0, 1, '', 1, ?)");
        Insert adr(db, "INSERT INTO addresses (id, account_id, kind, line1, line2, city, postcode, country, "
                       "version, seq) VALUES (?, ?, 'billing', ?, '', ?, ?, ?, 1, ?)");
        for (std::size_t k = 0; ok && k < d.accounts.size(); ++k) {
            const Account &a = d.accounts[k];
            const qint64 id = qint64(k) + 1;
            if (!acc.i(id).t(a.code).t(a.name).t(a.city).t(a.postcode).t(a.country).i(a.priceListId).t(a.terms)
                     .i(a.creditLimitMinor).i(seq).run())
                fail(acc, "accounts");
            else if (!adr.i(id).i(id).t(a.line1).t(a.city).t(a.postcode).t(a.country).i(seq).run())
                fail(adr, "addresses");
        }
        if (ok && !fts.finish()) {
            *error = u"accounts full-text index: "_s + fts.error();
            ok = false;
        }
        rows += acc.rows() + adr.rows();
        mark("accounts+addresses");
    }
    if (!ok) {
        sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        return -1;
    }
    if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
        *error = u"commit: "_s + QString::fromUtf8(sqlite3_errmsg(db));
        return -1;
    }
    mark("commit");
    return rows;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"The SQLite floor of an initial sync: the peer's rows bulk-loaded into "
                                     "a fresh replica file with the C API."_s);
    parser.addHelpOption();
    parser.addOption({u"csv-dir"_s, u"Directory with the peer's products.csv, accounts.csv, prices.csv."_s, u"DIR"_s});
    parser.addOption({u"out"_s, u"The replica file to create (must not exist)."_s, u"FILE"_s});
    parser.process(app);
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (!parser.isSet(u"csv-dir"_s) || !parser.isSet(u"out"_s)) {
        err << "outpost-bench-floor: --csv-dir and --out are required\n";
        return 2;
    }
    const QString path = parser.value(u"out"_s);
    if (QFileInfo::exists(path)) {
        err << "outpost-bench-floor: " << path << " exists; the floor is measured on a fresh file\n";
        return 2;
    }

    QElapsedTimer timer;
    timer.start();
    Dataset data;
    QString error;
    if (!loadDataset(parser.value(u"csv-dir"_s), &data, &error)) {
        err << "outpost-bench-floor: " << error << '\n';
        return 1;
    }
    const double parseS = double(timer.nsecsElapsed()) / 1e9;

    timer.restart();
    auto db = storage::Database::open(path);
    if (!db) {
        err << "outpost-bench-floor: open: " << db.error().code << '\n';
        return 1;
    }
    if (Status s = storage::migrate(**db); !s) {
        err << "outpost-bench-floor: migrate: " << s.error().code << ' ' << s.error().detail << '\n';
        return 1;
    }
    const double schemaS = double(timer.nsecsElapsed()) / 1e9;

    timer.restart();
    QJsonObject tableSeconds;
    const qint64 rows = writeDataset(**db, data, &tableSeconds, &error);
    const double loadS = double(timer.nsecsElapsed()) / 1e9;
    if (rows < 0) {
        err << "outpost-bench-floor: " << error << '\n';
        return 1;
    }
    timer.restart();
    db->reset(); // closes: the last connection checkpoints the WAL into the file
    const double closeS = double(timer.nsecsElapsed()) / 1e9;
    const qint64 fileBytes = QFileInfo(path).size() + QFileInfo(path + u"-wal"_s).size();

    QJsonObject result{
        {u"sqlite_limit_s"_s, loadS},
        {u"schema_s"_s, schemaS},
        {u"close_checkpoint_s"_s, closeS},
        {u"csv_parse_s"_s, parseS},
        {u"table_s"_s, tableSeconds},
        {u"rows"_s, rows},
        {u"products"_s, qint64(data.products.size())},
        {u"accounts"_s, qint64(data.accounts.size())},
        {u"price_entries"_s, qint64(data.prices.size())},
        {u"file_bytes"_s, fileBytes},
        {u"bytes_per_price"_s, data.prices.empty() ? 0.0 : double(fileBytes) / double(data.prices.size())},
    };
    out << QJsonDocument(result).toJson(QJsonDocument::Compact) << '\n';
    return 0;
}
