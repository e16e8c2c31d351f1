// Migrations 1 and 2. The replicated tables mirror server/sql/schema.sql (minus tenant_id: a
// replica holds one tenant) and keep the server's integer ids and the `seq` each row came with.
//
// Differences from the server, on purpose:
//  - Foreign keys between replicated rows are DEFERRABLE INITIALLY DEFERRED and act ON DELETE
//    (CASCADE for dependants, SET NULL for optional references): a sync page applies rows and
//    tombstones in server order inside one transaction and is checked at commit.
//  - Natural keys (sku, codes, price-list breaks) are indexed, not UNIQUE: the server guarantees
//    uniqueness, and a rename that swaps two codes must not fail half-way through an apply.
//  - orders/order_lines hold device drafts and submitted orders (UUID id made on the device) with
//    the server's outcome; order lines keep the sku and have no FK to products, so history
//    survives a product leaving the catalog.
#include "storage/database.h"
#include "storage/schema.h"

namespace outpost::storage {

namespace {

constexpr const char *kBaseTables = R"SQL(
CREATE TABLE replica_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE categories (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  parent_id INTEGER REFERENCES categories(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
  seq INTEGER NOT NULL
);
CREATE INDEX categories_code ON categories (code);

CREATE TABLE tax_classes (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  rate_bp INTEGER NOT NULL,
  seq INTEGER NOT NULL
);

CREATE TABLE warehouses (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  seq INTEGER NOT NULL
);

CREATE TABLE products (
  id INTEGER PRIMARY KEY,
  sku TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  category_id INTEGER REFERENCES categories(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
  barcode TEXT,
  uom TEXT NOT NULL DEFAULT 'EA',
  pack_label TEXT NOT NULL DEFAULT '',
  case_pack INTEGER NOT NULL DEFAULT 1 CHECK (case_pack >= 1),
  moq INTEGER NOT NULL DEFAULT 1 CHECK (moq >= 1),
  tax_class_id INTEGER REFERENCES tax_classes(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
  list_price_minor INTEGER NOT NULL CHECK (list_price_minor >= 0),
  discontinued INTEGER NOT NULL DEFAULT 0,
  backorder_allowed INTEGER NOT NULL DEFAULT 0,
  seq INTEGER NOT NULL
);
CREATE INDEX products_sku ON products (sku);
CREATE INDEX products_barcode ON products (barcode);
CREATE INDEX products_category ON products (category_id, name);

CREATE TABLE price_lists (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  currency TEXT NOT NULL,
  seq INTEGER NOT NULL
);

CREATE TABLE price_list_entries (
  id INTEGER PRIMARY KEY,
  price_list_id INTEGER NOT NULL REFERENCES price_lists(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  min_qty INTEGER NOT NULL DEFAULT 1 CHECK (min_qty >= 1),
  unit_price_minor INTEGER NOT NULL CHECK (unit_price_minor >= 0),
  valid_from TEXT,
  seq INTEGER NOT NULL
);
-- One index serves the pricing lookup (product_id IN ... AND price_list_id = ?) and the
-- product delete cascade; a second one would halve bulk-apply speed for little gain.
CREATE INDEX price_list_entries_lookup ON price_list_entries (product_id, price_list_id, min_qty);

CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  city TEXT NOT NULL DEFAULT '',
  postcode TEXT NOT NULL DEFAULT '',
  country TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  price_list_id INTEGER REFERENCES price_lists(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
  terms TEXT NOT NULL DEFAULT 'NET30',
  credit_limit_minor INTEGER,
  open_balance_minor INTEGER NOT NULL DEFAULT 0,
  tax_exempt INTEGER NOT NULL DEFAULT 0,
  on_hold INTEGER NOT NULL DEFAULT 0,
  default_warehouse_id INTEGER REFERENCES warehouses(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
  notes TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  seq INTEGER NOT NULL
);
CREATE INDEX accounts_code ON accounts (code);

CREATE TABLE addresses (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  kind TEXT NOT NULL DEFAULT 'shipping' CHECK (kind IN ('billing', 'shipping')),
  line1 TEXT NOT NULL DEFAULT '',
  line2 TEXT NOT NULL DEFAULT '',
  city TEXT NOT NULL DEFAULT '',
  postcode TEXT NOT NULL DEFAULT '',
  country TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  seq INTEGER NOT NULL
);
CREATE INDEX addresses_account ON addresses (account_id);

CREATE TABLE contacts (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  name TEXT NOT NULL,
  role TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  seq INTEGER NOT NULL
);
CREATE INDEX contacts_account ON contacts (account_id);

CREATE TABLE contract_prices (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  unit_price_minor INTEGER NOT NULL CHECK (unit_price_minor >= 0),
  valid_from TEXT,
  valid_to TEXT,
  seq INTEGER NOT NULL
);
CREATE INDEX contract_prices_lookup ON contract_prices (account_id, product_id);
CREATE INDEX contract_prices_product ON contract_prices (product_id);

CREATE TABLE promotions (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  product_id INTEGER REFERENCES products(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  category_id INTEGER REFERENCES categories(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  kind TEXT NOT NULL CHECK (kind IN ('percent', 'amount')),
  value INTEGER NOT NULL CHECK (value >= 0),
  min_qty INTEGER NOT NULL DEFAULT 1,
  starts_at TEXT NOT NULL,
  ends_at TEXT NOT NULL,
  seq INTEGER NOT NULL
);
CREATE INDEX promotions_window ON promotions (starts_at, ends_at);
CREATE INDEX promotions_product ON promotions (product_id);
CREATE INDEX promotions_category ON promotions (category_id);

CREATE TABLE stock_levels (
  id INTEGER PRIMARY KEY,
  warehouse_id INTEGER NOT NULL REFERENCES warehouses(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  on_hand INTEGER NOT NULL DEFAULT 0,
  allocated INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL,
  seq INTEGER NOT NULL
);
CREATE INDEX stock_levels_product ON stock_levels (product_id, warehouse_id);
CREATE INDEX stock_levels_warehouse ON stock_levels (warehouse_id, product_id);

CREATE TABLE orders (
  id TEXT PRIMARY KEY,
  account_id INTEGER NOT NULL,
  warehouse_id INTEGER,
  status TEXT NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft', 'queued', 'sent', 'accepted', 'adjusted', 'held', 'rejected', 'failed')),
  currency TEXT NOT NULL,
  order_discount_bp INTEGER NOT NULL DEFAULT 0,
  customer_ref TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  submitted_at TEXT,
  command_id TEXT,
  order_number TEXT,
  hold_reasons TEXT NOT NULL DEFAULT '',
  gross_minor INTEGER NOT NULL DEFAULT 0,
  discount_minor INTEGER NOT NULL DEFAULT 0,
  tax_minor INTEGER NOT NULL DEFAULT 0,
  total_minor INTEGER NOT NULL DEFAULT 0,
  outcome_json TEXT,
  decided_at TEXT,
  error_code TEXT,
  error_text TEXT,
  seq INTEGER
);
CREATE UNIQUE INDEX orders_one_draft_per_account ON orders (account_id) WHERE status = 'draft';
CREATE INDEX orders_account ON orders (account_id, created_at);

CREATE TABLE order_lines (
  order_id TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  line_no INTEGER NOT NULL CHECK (line_no >= 1),
  product_id INTEGER NOT NULL,
  sku TEXT NOT NULL,
  quantity INTEGER NOT NULL,
  discount_bp INTEGER NOT NULL DEFAULT 0,
  quoted_unit_price_minor INTEGER,
  outcome TEXT CHECK (outcome IS NULL OR outcome IN ('accepted', 'adjusted', 'rejected')),
  accepted_qty INTEGER,
  backordered_qty INTEGER,
  unit_price_minor INTEGER,
  net_minor INTEGER,
  tax_minor INTEGER,
  total_minor INTEGER,
  price_source TEXT,
  detail_json TEXT,
  PRIMARY KEY (order_id, line_no)
);

CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  command_id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_at TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  last_error_code TEXT,
  last_error_text TEXT,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'inflight', 'failed', 'done'))
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at, id);

CREATE TABLE sync_state (
  partition TEXT PRIMARY KEY,
  cursor_seq INTEGER NOT NULL DEFAULT 0,
  last_success_at TEXT,
  checksum TEXT
);

CREATE TABLE conflicts (
  id INTEGER PRIMARY KEY,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  field TEXT NOT NULL,
  base TEXT,
  mine TEXT,
  theirs TEXT,
  created_at TEXT NOT NULL,
  resolved_at TEXT,
  resolution TEXT CHECK (resolution IS NULL OR resolution IN ('mine', 'theirs', 'merged'))
);
CREATE INDEX conflicts_open ON conflicts (resolved_at, entity, entity_id);

CREATE TABLE record_base (
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  json TEXT NOT NULL,
  PRIMARY KEY (entity, entity_id)
);

CREATE TABLE attachments (
  sha256 TEXT PRIMARY KEY,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  path TEXT NOT NULL,
  size INTEGER NOT NULL CHECK (size >= 0),
  mime TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'uploading', 'uploaded', 'failed')),
  created_at TEXT NOT NULL
);
CREATE INDEX attachments_record ON attachments (entity, entity_id);
)SQL";

// products_fts rowid = products.id, accounts_fts rowid = accounts.id. sku_compact is the SKU
// without separators, so "OIL5L" finds "OIL-5L-001". Triggers keep both indexes right whoever
// writes (repositories, sync applies, cascades from deletes).
constexpr const char *kFullText = R"SQL(
CREATE VIRTUAL TABLE products_fts USING fts5(
  sku, sku_compact, name, description, barcode, category,
  tokenize = "unicode61 remove_diacritics 2", prefix = '2 3');

CREATE VIRTUAL TABLE accounts_fts USING fts5(
  name, code, city, contacts,
  tokenize = "unicode61 remove_diacritics 2", prefix = '2 3');

CREATE TRIGGER products_fts_ai AFTER INSERT ON products BEGIN
  INSERT INTO products_fts (rowid, sku, sku_compact, name, description, barcode, category)
  VALUES (new.id, new.sku,
          replace(replace(replace(replace(replace(new.sku, '-', ''), ' ', ''), '/', ''), '.', ''), '_', ''),
          new.name, new.description, coalesce(new.barcode, ''),
          coalesce((SELECT name FROM categories WHERE id = new.category_id), ''));
END;
CREATE TRIGGER products_fts_au AFTER UPDATE ON products BEGIN
  DELETE FROM products_fts WHERE rowid = old.id;
  INSERT INTO products_fts (rowid, sku, sku_compact, name, description, barcode, category)
  VALUES (new.id, new.sku,
          replace(replace(replace(replace(replace(new.sku, '-', ''), ' ', ''), '/', ''), '.', ''), '_', ''),
          new.name, new.description, coalesce(new.barcode, ''),
          coalesce((SELECT name FROM categories WHERE id = new.category_id), ''));
END;
CREATE TRIGGER products_fts_ad AFTER DELETE ON products BEGIN
  DELETE FROM products_fts WHERE rowid = old.id;
END;
CREATE TRIGGER categories_fts_ai AFTER INSERT ON categories BEGIN
  UPDATE products_fts SET category = new.name
  WHERE rowid IN (SELECT id FROM products WHERE category_id = new.id);
END;
CREATE TRIGGER categories_fts_au AFTER UPDATE OF name ON categories BEGIN
  UPDATE products_fts SET category = new.name
  WHERE rowid IN (SELECT id FROM products WHERE category_id = new.id);
END;

CREATE TRIGGER accounts_fts_ai AFTER INSERT ON accounts BEGIN
  INSERT INTO accounts_fts (rowid, name, code, city, contacts)
  VALUES (new.id, new.name, new.code, new.city,
          coalesce((SELECT group_concat(name, ' ') FROM contacts WHERE account_id = new.id), ''));
END;
CREATE TRIGGER accounts_fts_au AFTER UPDATE OF name, code, city ON accounts BEGIN
  DELETE FROM accounts_fts WHERE rowid = old.id;
  INSERT INTO accounts_fts (rowid, name, code, city, contacts)
  VALUES (new.id, new.name, new.code, new.city,
          coalesce((SELECT group_concat(name, ' ') FROM contacts WHERE account_id = new.id), ''));
END;
CREATE TRIGGER accounts_fts_ad AFTER DELETE ON accounts BEGIN
  DELETE FROM accounts_fts WHERE rowid = old.id;
END;
CREATE TRIGGER contacts_fts_ai AFTER INSERT ON contacts BEGIN
  UPDATE accounts_fts
  SET contacts = coalesce((SELECT group_concat(name, ' ') FROM contacts WHERE account_id = new.account_id), '')
  WHERE rowid = new.account_id;
END;
CREATE TRIGGER contacts_fts_au AFTER UPDATE OF name, account_id ON contacts BEGIN
  UPDATE accounts_fts
  SET contacts = coalesce((SELECT group_concat(name, ' ') FROM contacts WHERE account_id = old.account_id), '')
  WHERE rowid = old.account_id;
  UPDATE accounts_fts
  SET contacts = coalesce((SELECT group_concat(name, ' ') FROM contacts WHERE account_id = new.account_id), '')
  WHERE rowid = new.account_id;
END;
CREATE TRIGGER contacts_fts_ad AFTER DELETE ON contacts BEGIN
  UPDATE accounts_fts
  SET contacts = coalesce((SELECT group_concat(name, ' ') FROM contacts WHERE account_id = old.account_id), '')
  WHERE rowid = old.account_id;
END;

)SQL";

// Every row of a table indexed in one statement: what migration 2 runs over existing rows and what a
// bulk load runs instead of the per-row insert trigger (fullTextFill below).
constexpr const char *kProductsFtsFill = R"SQL(
INSERT INTO products_fts (rowid, sku, sku_compact, name, description, barcode, category)
SELECT p.id, p.sku,
       replace(replace(replace(replace(replace(p.sku, '-', ''), ' ', ''), '/', ''), '.', ''), '_', ''),
       p.name, p.description, coalesce(p.barcode, ''), coalesce(c.name, '')
FROM products p LEFT JOIN categories c ON c.id = p.category_id;
)SQL";
constexpr const char *kAccountsFtsFill = R"SQL(
INSERT INTO accounts_fts (rowid, name, code, city, contacts)
SELECT a.id, a.name, a.code, a.city,
       coalesce((SELECT group_concat(name, ' ') FROM contacts WHERE account_id = a.id), '')
FROM accounts a;
)SQL";

} // namespace

Status migrateTo1BaseTables(Database &db)
{
    return db.exec(kBaseTables);
}

Status migrateTo2FullText(Database &db)
{
    for (const char *sql : {kFullText, kProductsFtsFill, kAccountsFtsFill}) {
        if (Status s = db.exec(sql); !s)
            return s;
    }
    return {};
}

Result<QByteArray> dropFullTextTrigger(Database &db, const FullTextFill &fill)
{
    auto st = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?1");
    if (!st)
        return st.error();
    st->bind(1, QString::fromLatin1(fill.insertTrigger));
    auto r = st->step();
    if (!r)
        return r.error();
    if (!*r)
        return QByteArray();
    const QByteArray sql = st->textUtf8(0);
    st->reset();
    if (Status s = db.exec(("DROP TRIGGER " + QByteArray(fill.insertTrigger)).constData()); !s)
        return s.error();
    return sql;
}

Status fillFullText(Database &db, const FullTextFill &fill, const QByteArray &triggerSql)
{
    // The table was empty when the load began, so its index was too; start it from nothing.
    if (Status s = db.exec(("DELETE FROM " + QByteArray(fill.ftsTable)).constData()); !s)
        return s;
    if (Status s = db.exec(fill.fillSql); !s)
        return s;
    return db.exec(triggerSql.constData());
}

const FullTextFill *fullTextFill(QStringView table)
{
    static const FullTextFill products{"products_fts", "products_fts_ai", kProductsFtsFill};
    static const FullTextFill accounts{"accounts_fts", "accounts_fts_ai", kAccountsFtsFill};
    if (table == u"products")
        return &products;
    if (table == u"accounts")
        return &accounts;
    return nullptr;
}

} // namespace outpost::storage
