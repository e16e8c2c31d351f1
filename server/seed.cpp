// `outpost-server seed`: writes the demo dataset (seed_data.h) into a database. One write
// transaction per table (each gets its own tenant seq), prepared statements reused per row.
#include "server/commands.h"
#include "server/database.h"
#include "server/password.h"
#include "server/seed_data.h"

#include "domain/money.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QHash>
#include <QLoggingCategory>
#include <QSqlError>
#include <QTextStream>

#include <functional>
#include <memory>
#include <vector>

using namespace Qt::Literals::StringLiterals;

namespace outpost::server {

namespace {

Q_LOGGING_CATEGORY(lcSeed, "outpost.server")

using namespace seed;

// One tenant's plan: how many rows and from where in the generator.
struct TenantPlan
{
    QString code;
    QString name;
    QString currency;
    int products = 0;
    int accounts = 0;
    int prices = 0;
    int reps = 0;
    int indexOffset = 0; // generator index of row 0 (acme reads other rows of the peer)
    QString barcodePrefix;
    QList<qint64> taxRatesBp; // STD, RED, ZERO
    QStringList warehouseCodes;
    QStringList warehouseNames;
    bool kiosk = true;
    int groups() const { return std::max(1, static_cast<int>(jsRound(double(prices) / products))); }
};

Error dbFailure(const QSqlQuery &q, const QString &what)
{
    return Error::make(ErrorKind::Internal, u"db.error"_s, u"A database error occurred."_s,
                       what + u": "_s + q.lastError().text());
}

// A prepared INSERT bound positionally for every row.
class Inserter
{
public:
    Inserter(Database &db, const QString &table, const QStringList &columns)
        : m_table(table),
          m_query(db.prepare(u"INSERT INTO %1 (%2) VALUES (%3)"_s.arg(
              table, columns.join(u", "_s), QStringList(columns.size(), u"?"_s).join(u", "_s))))
    {
    }
    Status row(std::initializer_list<QVariant> values)
    {
        int k = 0;
        for (const QVariant &v : values)
            m_query.bindValue(k++, v);
        if (!m_query.exec())
            return dbFailure(m_query, u"insert into "_s + m_table);
        ++m_rows;
        return {};
    }
    qint64 rows() const { return m_rows; }

private:
    QString m_table;
    QSqlQuery m_query;
    qint64 m_rows = 0;
};

class Seeder
{
public:
    Seeder(Database &db, QTextStream &out, QString stockAsOf)
        : m_db(db), m_out(out), m_stockAsOf(std::move(stockAsOf))
    {
    }
    Status seedTenant(const TenantPlan &plan);

private:
    // Runs fill(seq, inserter) in one tenant write transaction and prints rows/s.
    Status table(const QString &name, const QStringList &columns,
                 const std::function<Status(qint64 seq, Inserter &)> &fill, bool withSeq = true);
    Status accountTables(const TenantPlan &plan, const std::vector<PeerProduct> &products,
                         const QHash<QString, qint64> &productIds, const QHash<QString, qint64> &warehouseIds,
                         const QHash<QString, qint64> &listIds);
    Status stockAndPromotions(const TenantPlan &plan, const QHash<QString, qint64> &productIds,
                              const QHash<QString, qint64> &warehouseIds,
                              const QHash<QString, qint64> &categoryIds);
    Result<QHash<QString, qint64>> ids(const QString &table, const QString &keyColumn);

    Database &m_db;
    QTextStream &m_out;
    QString m_stockAsOf; // ISO-8601 UTC: when the stock levels were "counted"
    qint64 m_tenant = 0;
    QString m_tenantCode;
};

Status Seeder::table(const QString &name, const QStringList &columns,
                     const std::function<Status(qint64, Inserter &)> &fill, bool withSeq)
{
    QElapsedTimer timer;
    timer.start();
    auto seq = m_db.beginTenantWrite(m_tenant);
    if (!seq)
        return seq.error();
    Inserter ins(m_db, name,
                 QStringList{u"tenant_id"_s} + columns + (withSeq ? QStringList{u"seq"_s} : QStringList{}));
    if (Status s = fill(*seq, ins); !s) {
        m_db.rollback();
        return s;
    }
    if (Status s = m_db.commit(); !s)
        return s;
    const qint64 ms = std::max<qint64>(1, timer.elapsed());
    m_out << u"  %1 %2: %3 rows in %4 ms (%5 rows/s)\n"_s.arg(m_tenantCode, name)
                 .arg(ins.rows())
                 .arg(ms)
                 .arg(ins.rows() * 1000 / ms);
    m_out.flush();
    qCDebug(lcSeed) << "seeded" << name << ins.rows() << "rows";
    return {};
}

Result<QHash<QString, qint64>> Seeder::ids(const QString &table, const QString &keyColumn)
{
    auto q = m_db.exec(u"SELECT %1, id FROM %2 WHERE tenant_id = ?"_s.arg(keyColumn, table), {m_tenant});
    if (!q)
        return q.error();
    QHash<QString, qint64> map;
    while (q->next())
        map.insert(q->value(0).toString(), q->value(1).toLongLong());
    return map;
}

// Binds: tenant id first, then the row, then seq. The lambdas below use this shape.
#define TRY(expr)                                                                                            \
    do {                                                                                                     \
        if (Status s_ = (expr); !s_)                                                                         \
            return s_;                                                                                       \
    } while (false)
// The same inside the fill lambdas (a different name: they sit inside TRY's initializer).
#define TRY_ROW(expr)                                                                                        \
    do {                                                                                                     \
        if (Status r_ = (expr); !r_)                                                                         \
            return r_;                                                                                       \
    } while (false)

Status Seeder::seedTenant(const TenantPlan &plan)
{
    const QString ts = QString::fromLatin1(kSeedTimestamp);
    const QString validFrom = QString::fromLatin1(kPriceValidFrom);
    m_tenantCode = plan.code;
    TRY(m_db.begin());
    {
        auto ins =
            m_db.exec(u"INSERT INTO tenants (code, name, currency, seq, created_at) VALUES (?, ?, ?, 0, ?)"_s,
                      {plan.code, plan.name, plan.currency, ts});
        if (!ins) {
            m_db.rollback();
            return ins.error();
        }
        auto sel = m_db.exec(u"SELECT id FROM tenants WHERE code = ?"_s, {plan.code});
        if (!sel || !sel->next()) {
            m_db.rollback();
            return sel ? Error::make(ErrorKind::Internal, u"db.error"_s, u"Tenant not created."_s)
                       : sel.error();
        }
        m_tenant = sel->value(0).toLongLong();
    }
    TRY(m_db.commit());
    const QVariant tenant = m_tenant;

    // Generate the products once: their list prices drive prices, contracts and tiers.
    std::vector<PeerProduct> products;
    products.reserve(static_cast<std::size_t>(plan.products));
    for (int i = 0; i < plan.products; ++i) {
        PeerProduct p = peerProduct(i + plan.indexOffset);
        p.sku = skuOf(i);
        products.push_back(std::move(p));
    }

    const QStringList taxCodes = {u"STD"_s, u"RED"_s, u"ZERO"_s};
    const QStringList taxNames = {u"Standard rate"_s, u"Reduced rate"_s, u"Zero rate"_s};
    TRY(table(u"tax_classes"_s, {u"code"_s, u"name"_s, u"rate_bp"_s}, [&](qint64 seq, Inserter &ins) {
        for (int k = 0; k < 3; ++k)
            TRY_ROW(ins.row({tenant, taxCodes[k], taxNames[k], plan.taxRatesBp.value(k), seq}));
        return Status{};
    }));
    TRY(table(u"categories"_s, {u"code"_s, u"name"_s}, [&](qint64 seq, Inserter &ins) {
        for (const QString &name : categoryNames())
            TRY_ROW(ins.row({tenant, categoryCode(name), name, seq}));
        return Status{};
    }));
    TRY(table(u"warehouses"_s, {u"code"_s, u"name"_s}, [&](qint64 seq, Inserter &ins) {
        for (int w = 0; w < plan.warehouseCodes.size(); ++w)
            TRY_ROW(ins.row({tenant, plan.warehouseCodes[w], plan.warehouseNames[w], seq}));
        return Status{};
    }));
    const int groups = plan.groups();
    TRY(table(u"price_lists"_s, {u"code"_s, u"name"_s, u"currency"_s}, [&](qint64 seq, Inserter &ins) {
        for (int g = 0; g < groups; ++g)
            TRY_ROW(ins.row({tenant, groupOf(g), u"Price group "_s + groupOf(g), plan.currency, seq}));
        return Status{};
    }));
    auto taxIds = ids(u"tax_classes"_s, u"code"_s);
    auto categoryIds = ids(u"categories"_s, u"name"_s);
    auto warehouseIds = ids(u"warehouses"_s, u"code"_s);
    auto listIds = ids(u"price_lists"_s, u"code"_s);
    for (const auto *r : {&taxIds, &categoryIds, &warehouseIds, &listIds}) {
        if (!*r)
            return r->error();
    }

    TRY(table(u"products"_s,
              {u"sku"_s, u"name"_s, u"description"_s, u"category_id"_s, u"barcode"_s, u"uom"_s,
               u"pack_label"_s, u"case_pack"_s, u"moq"_s, u"tax_class_id"_s, u"list_price_minor"_s,
               u"discontinued"_s, u"backorder_allowed"_s},
              [&](qint64 seq, Inserter &ins) {
                  for (int i = 0; i < plan.products; ++i) {
                      const PeerProduct &p = products[static_cast<std::size_t>(i)];
                      const ProductExtras e = productExtras(i, p.unit);
                      TRY_ROW(ins.row({tenant, p.sku, p.name, p.description, categoryIds->value(p.category),
                                       ean13(plan.barcodePrefix, i + 1), p.unit, QString::number(p.packSize),
                                       e.casePack, e.moq, taxIds->value(taxClassForCategory(p.category)),
                                       p.listPriceMinor, int(e.discontinued), int(e.backorderAllowed), seq}));
                  }
                  return Status{};
              }));
    auto productIds = ids(u"products"_s, u"sku"_s);
    if (!productIds)
        return productIds.error();
    auto productId = [&](int i) { return productIds->value(skuOf(i)); };

    TRY(table(u"price_list_entries"_s,
              {u"price_list_id"_s, u"product_id"_s, u"min_qty"_s, u"unit_price_minor"_s, u"valid_from"_s},
              [&](qint64 seq, Inserter &ins) {
                  for (int g = 0; g < groups; ++g) {
                      const qint64 list = listIds->value(groupOf(g));
                      for (int i = 0; i < plan.products && g * plan.products + i < plan.prices; ++i) {
                          const PeerProduct &p = products[static_cast<std::size_t>(i)];
                          const qint64 price = peerPriceMinor(g, i + plan.indexOffset, p.listPrice);
                          const qint64 pid = productId(i);
                          TRY_ROW(ins.row({tenant, list, pid, 1, price, validFrom, seq}));
                          if ((g * plan.products + i) % 20 == 7) {
                              TRY_ROW(ins.row(
                                  {tenant, list, pid, 10, applyBasisPoints(price, 9500), validFrom, seq}));
                              TRY_ROW(ins.row(
                                  {tenant, list, pid, 50, applyBasisPoints(price, 9000), validFrom, seq}));
                          }
                      }
                  }
                  return Status{};
              }));

    // Users: one argon2 hash per user.
    struct UserRow
    {
        QString username, display, role;
        qint64 lineBp, orderBp;
    };
    std::vector<UserRow> users;
    for (int k = 1; k <= plan.reps; ++k)
        users.push_back({u"rep%1"_s.arg(k), u"Rep %1"_s.arg(k), u"rep"_s, 1000, 500});
    users.push_back({u"manager1"_s, u"Manager 1"_s, u"manager"_s, 3000, 2000});
    if (plan.kiosk)
        users.push_back({u"kiosk1"_s, u"Showroom kiosk"_s, u"kiosk"_s, 0, 0});
    users.push_back({u"admin"_s, u"Administrator"_s, u"admin"_s, 0, 0});
    TRY(table(
        u"users"_s,
        {u"username"_s, u"display_name"_s, u"role"_s, u"password_hash"_s, u"max_line_discount_bp"_s,
         u"max_order_discount_bp"_s, u"active"_s, u"created_at"_s},
        [&](qint64, Inserter &ins) {
            for (const UserRow &u : users) {
                auto hash = hashPassword(u"demo"_s);
                if (!hash)
                    return Status(hash.error());
                TRY_ROW(ins.row({tenant, u.username, u.display, u.role, *hash, u.lineBp, u.orderBp, 1, ts}));
            }
            return Status{};
        },
        false));
    TRY(accountTables(plan, products, *productIds, *warehouseIds, *listIds));
    return stockAndPromotions(plan, *productIds, *warehouseIds, *categoryIds);
}

Status Seeder::accountTables(const TenantPlan &plan, const std::vector<PeerProduct> &products,
                             const QHash<QString, qint64> &productIds,
                             const QHash<QString, qint64> &warehouseIds,
                             const QHash<QString, qint64> &listIds)
{
    const QVariant tenant = m_tenant;
    const int groups = plan.groups();
    std::vector<PeerAccount> accounts;
    for (int i = 0; i < plan.accounts; ++i) {
        PeerAccount a = peerAccount(i + plan.indexOffset, groups);
        if (plan.indexOffset != 0) { // acme: codes and names numbered from 1 like demo's
            a.accountNo = accountNoOf(i);
            a.name = a.name.section(u' ', 0, -2) + u' ' + QString::number(i + 1);
        }
        accounts.push_back(std::move(a));
    }
    TRY(table(
        u"accounts"_s,
        {u"code"_s, u"name"_s, u"city"_s, u"postcode"_s, u"country"_s, u"phone"_s, u"email"_s,
         u"price_list_id"_s, u"terms"_s, u"credit_limit_minor"_s, u"open_balance_minor"_s, u"tax_exempt"_s,
         u"on_hold"_s, u"default_warehouse_id"_s, u"notes"_s, u"version"_s},
        [&](qint64 seq, Inserter &ins) {
            for (int i = 0; i < plan.accounts; ++i) {
                const PeerAccount &a = accounts[static_cast<std::size_t>(i)];
                const qint64 limit = a.creditLimit * 100;
                const AccountExtras e = accountExtras(i, limit);
                const QString wh = plan.warehouseCodes.value(e.warehouseIndex % plan.warehouseCodes.size());
                TRY_ROW(ins.row({tenant, a.accountNo, a.name, a.city, a.postcode, a.country,
                                 u"+44 113 496 %1"_s.arg(i % 10000, 4, 10, QChar(u'0')),
                                 u"office@"_s + a.accountNo.toLower() + u".example"_s,
                                 listIds.value(a.priceGroup), a.terms, limit, e.openBalanceMinor,
                                 int(e.taxExempt), int(e.onHold), warehouseIds.value(wh), u""_s, 1, seq}));
            }
            return Status{};
        }));
    auto accountIds = ids(u"accounts"_s, u"code"_s);
    auto userIds = ids(u"users"_s, u"username"_s);
    if (!accountIds)
        return accountIds.error();
    if (!userIds)
        return userIds.error();
    auto accountId = [&](int i) {
        return accountIds->value(accounts[static_cast<std::size_t>(i)].accountNo);
    };

    TRY(table(u"account_reps"_s, {u"account_id"_s, u"user_id"_s}, [&](qint64 seq, Inserter &ins) {
        for (int i = 0; i < plan.accounts; ++i)
            TRY_ROW(ins.row({tenant, accountId(i), userIds->value(u"rep%1"_s.arg(i % plan.reps + 1)), seq}));
        return Status{};
    }));
    TRY(table(u"addresses"_s,
              {u"account_id"_s, u"kind"_s, u"line1"_s, u"line2"_s, u"city"_s, u"postcode"_s, u"country"_s,
               u"version"_s},
              [&](qint64 seq, Inserter &ins) {
                  for (int i = 0; i < plan.accounts; ++i) {
                      const PeerAccount &a = accounts[static_cast<std::size_t>(i)];
                      TRY_ROW(ins.row({tenant, accountId(i), u"billing"_s, a.line1, u""_s, a.city, a.postcode,
                                       a.country, 1, seq}));
                      TRY_ROW(ins.row({tenant, accountId(i), u"shipping"_s, u"Goods In, "_s + a.line1, u""_s,
                                       a.city, a.postcode, a.country, 1, seq}));
                  }
                  return Status{};
              }));
    TRY(table(u"contacts"_s, {u"account_id"_s, u"name"_s, u"role"_s, u"phone"_s, u"email"_s, u"version"_s},
              [&](qint64 seq, Inserter &ins) {
                  for (int i = 0; i < plan.accounts; ++i) {
                      for (int k = 0; k < 2; ++k) {
                          const ContactValues c =
                              contactFor(i, k, accounts[static_cast<std::size_t>(i)].accountNo);
                          TRY_ROW(ins.row({tenant, accountId(i), c.name, c.role, c.phone, c.email, 1, seq}));
                      }
                  }
                  return Status{};
              }));
    TRY(table(u"contract_prices"_s,
              {u"account_id"_s, u"product_id"_s, u"unit_price_minor"_s, u"valid_from"_s, u"valid_to"_s},
              [&](qint64 seq, Inserter &ins) {
                  for (int i = 4; i < plan.accounts; i += 10) {
                      for (int k = 0; k < 3; ++k) {
                          const int pi = (i * 7 + k * 13) % plan.products;
                          const qint64 price =
                              applyBasisPoints(products[static_cast<std::size_t>(pi)].listPriceMinor, 8500);
                          QVariant from = QString::fromLatin1(kPriceValidFrom);
                          QVariant to = QVariant(QMetaType::fromType<QString>());
                          if (k == 1 && i % 20 == 4) {
                              from = u"2025-01-01"_s;
                              to = u"2025-12-31"_s;
                          } else if (k == 2 && i % 20 == 14) {
                              from = u"2030-01-01"_s;
                          }
                          TRY_ROW(ins.row(
                              {tenant, accountId(i), productIds.value(skuOf(pi)), price, from, to, seq}));
                      }
                  }
                  return Status{};
              }));
    return {};
}

Status Seeder::stockAndPromotions(const TenantPlan &plan, const QHash<QString, qint64> &productIds,
                                  const QHash<QString, qint64> &warehouseIds,
                                  const QHash<QString, qint64> &categoryIds)
{
    const QVariant tenant = m_tenant;
    const QVariant none = QVariant(QMetaType::fromType<qlonglong>());
    struct Promo
    {
        QString code, name;
        int product;
        QString category;
        QString kind;
        qint64 value, minQty;
        QString starts, ends;
    };
    const QString from = u"2026-01-01T00:00:00.000Z"_s;
    const QString to = u"2028-01-01T00:00:00.000Z"_s;
    const std::vector<Promo> promos = {
        {u"PCT10-SKU1"_s, u"10% off"_s, 0, {}, u"percent"_s, 1000, 1, from, to},
        {u"PCT15-SKU2-12"_s, u"15% off 12 or more"_s, 1, {}, u"percent"_s, 1500, 12, from, to},
        {u"AMT050-SKU3"_s, u"0.50 off each"_s, 2, {}, u"amount"_s, 50, 1, from, to},
        {u"AMT100-SKU4-24"_s, u"1.00 off each for 24 or more"_s, 3, {}, u"amount"_s, 100, 24, from, to},
        {u"CAT-BEVERAGES-5"_s, u"5% off beverages"_s, -1, u"Beverages"_s, u"percent"_s, 500, 1, from, to},
        {u"EXPIRED-20"_s,
         u"Last year's 20% off"_s,
         4,
         {},
         u"percent"_s,
         2000,
         1,
         u"2025-01-01T00:00:00.000Z"_s,
         u"2025-07-01T00:00:00.000Z"_s},
        {u"FUTURE-25"_s,
         u"Next season's 25% off"_s,
         5,
         {},
         u"percent"_s,
         2500,
         1,
         u"2030-01-01T00:00:00.000Z"_s,
         u"2030-04-01T00:00:00.000Z"_s},
    };
    TRY(table(u"promotions"_s,
              {u"code"_s, u"name"_s, u"product_id"_s, u"category_id"_s, u"kind"_s, u"value"_s, u"min_qty"_s,
               u"starts_at"_s, u"ends_at"_s},
              [&](qint64 seq, Inserter &ins) {
                  for (const Promo &p : promos) {
                      const QVariant product =
                          p.product >= 0 ? QVariant(productIds.value(skuOf(p.product))) : none;
                      const QVariant category =
                          p.category.isEmpty() ? none : QVariant(categoryIds.value(p.category));
                      TRY_ROW(ins.row({tenant, p.code, p.name, product, category, p.kind, p.value, p.minQty,
                                       p.starts, p.ends, seq}));
                  }
                  return Status{};
              }));
    const QString ts = m_stockAsOf;
    TRY(table(u"stock_levels"_s,
              {u"warehouse_id"_s, u"product_id"_s, u"on_hand"_s, u"allocated"_s, u"updated_at"_s},
              [&](qint64 seq, Inserter &ins) {
                  for (int w = 0; w < plan.warehouseCodes.size(); ++w) {
                      const qint64 wid = warehouseIds.value(plan.warehouseCodes[w]);
                      for (int i = 0; i < plan.products; ++i) {
                          const StockValues v = stockFor(w, i + plan.indexOffset);
                          TRY_ROW(ins.row(
                              {tenant, wid, productIds.value(skuOf(i)), v.onHand, v.allocated, ts, seq}));
                      }
                  }
                  return Status{};
              }));
    return {};
}

// Removes every row of the given tenants (seed --force), children first.
Status deleteTenants(Database &db, const QStringList &codes)
{
    static const QStringList tables = {
        u"audit_log"_s,    u"tombstones"_s,  u"commands"_s,           u"order_lines"_s, u"orders"_s,
        u"stock_levels"_s, u"promotions"_s,  u"contract_prices"_s,    u"contacts"_s,    u"addresses"_s,
        u"account_reps"_s, u"accounts"_s,    u"price_list_entries"_s, u"price_lists"_s, u"products"_s,
        u"warehouses"_s,   u"tax_classes"_s, u"categories"_s,         u"sessions"_s,    u"devices"_s,
        u"users"_s};
    TRY(db.begin());
    const QString scope =
        u"tenant_id IN (SELECT id FROM tenants WHERE code IN ('%1'))"_s.arg(codes.join(u"', '"_s));
    for (const QString &t : tables) {
        if (auto r = db.exec(u"DELETE FROM %1 WHERE %2"_s.arg(t, scope)); !r) {
            db.rollback();
            return r.error();
        }
    }
    if (auto r = db.exec(u"DELETE FROM tenants WHERE code IN ('%1')"_s.arg(codes.join(u"', '"_s))); !r) {
        db.rollback();
        return r.error();
    }
    return db.commit();
}

#undef TRY
#undef TRY_ROW

} // namespace

Status seedDatabase(Database &db, const QString &size, bool force, QTextStream &out, const QDateTime &stockAsOf)
{
    const QString stockTime = stockAsOf.isValid() ? stockAsOf.toUTC().toString(Qt::ISODateWithMs)
                                                  : QString::fromLatin1(kSeedTimestamp);
    const std::optional<SizeSpec> spec = sizeSpec(size);
    if (!spec)
        return Error::invalid(u"seed.unknown_size"_s, u"Unknown size; use tiny, small, medium or large."_s,
                              u"size"_s);
    auto existing = db.exec(u"SELECT COUNT(*) FROM tenants WHERE code IN ('demo', 'acme')"_s);
    if (!existing)
        return existing.error();
    if (existing->next() && existing->value(0).toLongLong() > 0) {
        if (!force)
            return Error::make(
                ErrorKind::Conflict, u"seed.already_seeded"_s,
                u"The database is already seeded (tenant demo or acme exists); use --force to replace them."_s);
        if (Status s = deleteTenants(db, {u"demo"_s, u"acme"_s}); !s)
            return s;
        out << "removed the existing demo and acme tenants (--force)\n";
    }
    QElapsedTimer timer;
    timer.start();
    TenantPlan demo{u"demo"_s,
                    u"Demo Wholesale Ltd"_s,
                    u"GBP"_s,
                    spec->products,
                    spec->accounts,
                    spec->prices,
                    spec->reps,
                    0,
                    u"50"_s,
                    {2000, 500, 0},
                    {u"WH1"_s, u"WH2"_s},
                    {u"Leeds DC"_s, u"Bristol DC"_s},
                    true};
    TenantPlan acme{
        u"acme"_s,   u"Acme Distribution GmbH"_s, u"EUR"_s, 50, 10, 100, 1, 900000, u"40"_s, {1900, 700, 0},
        {u"MAIN"_s}, {u"Main warehouse"_s},       false};
    out << "seeding size " << spec->name << ": tenant demo (" << spec->products << " products, "
        << spec->accounts << " accounts, " << spec->prices << " price entries) and tenant acme\n";
    out.flush();
    for (const TenantPlan &plan : {demo, acme}) {
        Seeder seeder(db, out, stockTime);
        if (Status s = seeder.seedTenant(plan); !s)
            return s;
    }
    out << u"done in %1 ms\n"_s.arg(timer.elapsed());
    return {};
}

int runSeed(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Loads the deterministic demo dataset (tenants demo and acme)."_s);
    parser.addHelpOption();
    parser.addOption({u"db"_s, u"Database file (SQLite) or postgresql:// URL."_s, u"FILE"_s});
    parser.addOption({u"size"_s, u"tiny, small, medium or large (default small)."_s, u"SIZE"_s, u"small"_s});
    parser.addOption({u"force"_s, u"Replace the demo and acme tenants when they exist."_s});
    parser.addOption({u"stock-as-of"_s,
                      u"When the seeded stock levels were counted: \"now\" or an ISO-8601 UTC time (default the "
                      "fixed seed time, so two seeds are identical)."_s,
                      u"TIME"_s});
    if (!parser.parse(args)) {
        err << parser.errorText() << "\n\n" << parser.helpText().section(u'\n', 1);
        return 2;
    }
    if (parser.isSet(u"help"_s)) {
        out << u"Usage: outpost-server seed --db FILE --size tiny|small|medium|large [--force]\n\n"_s
            << parser.helpText().section(u'\n', 1);
        return 0;
    }
    if (!parser.isSet(u"db"_s) || !parser.positionalArguments().isEmpty()) {
        err << "seed: --db is required and no positional arguments are accepted\n\n"
            << parser.helpText().section(u'\n', 1);
        return 2;
    }
    if (!sizeSpec(parser.value(u"size"_s))) {
        err << "seed: unknown --size '" << parser.value(u"size"_s) << "' (tiny, small, medium, large)\n";
        return 2;
    }
    QDateTime stockAsOf;
    if (parser.isSet(u"stock-as-of"_s)) {
        const QString v = parser.value(u"stock-as-of"_s);
        stockAsOf = v == u"now"_s ? QDateTime::currentDateTimeUtc() : QDateTime::fromString(v, Qt::ISODateWithMs);
        if (!stockAsOf.isValid() || (v != u"now"_s && stockAsOf.timeSpec() != Qt::UTC)) {
            err << "seed: --stock-as-of needs \"now\" or an ISO-8601 UTC time such as 2026-11-23T08:00:00Z\n";
            return 2;
        }
    }
    auto db = Database::open(parser.value(u"db"_s));
    if (!db) {
        err << "seed: " << db.error().userText << ' ' << db.error().detail << '\n';
        return 1;
    }
    std::unique_ptr<Database> owner(*db);
    if (Status s = seedDatabase(*owner, parser.value(u"size"_s), parser.isSet(u"force"_s), out, stockAsOf); !s) {
        err << "seed: " << s.error().userText;
        if (!s.error().detail.isEmpty())
            err << " (" << s.error().detail << ')';
        err << '\n';
        return 1;
    }
    return 0;
}

} // namespace outpost::server
