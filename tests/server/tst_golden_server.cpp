// The server-side golden run: each case of tests/golden/priced_orders.json is written into a fresh
// server database with plain SQL (tenant, tax classes, categories, warehouses, products, price list
// and its entries, account, user, contract prices, promotions, stock), then the intake's context
// loader reads it back and the domain decides. Every expectation of the case must hold: proof that
// the server, reading its own tables, prices like the golden file.
#include "server/database.h"
#include "server/order_intake.h"
#include "tests/support/golden.h"

#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::Literals::StringLiterals;
using outpost::test::GoldenCase;
namespace server = outpost::server;

namespace {

// Promotions without a bound in the file are stored with the widest bounds the column can hold.
const QString kFarPast = u"0001-01-01T00:00:00.000Z"_s;
const QString kFarFuture = u"9999-12-31T23:59:59.999Z"_s;

QVariant orNull(qint64 id)
{
    return id != 0 ? QVariant(id) : QVariant();
}

QVariant dateOrNull(const std::optional<QDate> &d)
{
    return d ? QVariant(d->toString(Qt::ISODate)) : QVariant();
}

struct Writer
{
    server::Database &db;
    QString failure;

    bool run(const QString &sql, std::initializer_list<QVariant> binds)
    {
        if (!failure.isEmpty())
            return false;
        auto r = db.exec(sql, binds);
        if (!r)
            failure = sql.left(60) + u": "_s + r.error().detail;
        return r.ok();
    }
};

constexpr qint64 kTenant = 1;
constexpr qint64 kSeq = 1;
const QString kAt = u"2024-01-01T00:00:00.000Z"_s;

// Writes the case's context; returns the id of the user the order is placed by.
QString writeCase(server::Database &db, const GoldenCase &c)
{
    const outpost::PricingContext &p = c.pricing;
    Writer w{db, {}};
    w.run(
        u"INSERT INTO tenants (id, code, name, currency, seq, created_at) VALUES (?, 'golden', 'Golden', ?, ?, ?)"_s,
        {kTenant, p.currency, kSeq, kAt});

    QHash<QString, qint64> taxIds;
    QSet<QString> taxCodes(p.taxRatesBp.keyBegin(), p.taxRatesBp.keyEnd());
    for (const outpost::Product &pr : p.products)
        if (!pr.taxClass.isEmpty())
            taxCodes.insert(pr.taxClass);
    for (const QString &code : std::as_const(taxCodes)) {
        const qint64 id = taxIds.size() + 1;
        taxIds.insert(code, id);
        // A class the case names without a rate is stored as 0 %, which is how pricing reads a missing rate.
        w.run(
            u"INSERT INTO tax_classes (id, tenant_id, code, name, rate_bp, seq) VALUES (?, ?, ?, ?, ?, ?)"_s,
            {id, kTenant, code, code, p.taxRatesBp.value(code, 0), kSeq});
    }

    QSet<qint64> categories;
    for (const outpost::Product &pr : p.products)
        if (pr.categoryId != 0)
            categories.insert(pr.categoryId);
    for (const outpost::Promotion &promo : p.promotions)
        if (promo.categoryId != 0)
            categories.insert(promo.categoryId);
    for (const qint64 id : std::as_const(categories))
        w.run(u"INSERT INTO categories (id, tenant_id, code, name, seq) VALUES (?, ?, ?, ?, ?)"_s,
              {id, kTenant, u"CAT%1"_s.arg(id), u"Category %1"_s.arg(id), kSeq});

    QSet<qint64> warehouses{c.order.warehouseId};
    for (const outpost::StockLevel &s : c.allStock)
        warehouses.insert(s.warehouseId);
    warehouses.remove(0);
    for (const qint64 id : std::as_const(warehouses))
        w.run(u"INSERT INTO warehouses (id, tenant_id, code, name, seq) VALUES (?, ?, ?, ?, ?)"_s,
              {id, kTenant, u"WH%1"_s.arg(id), u"Warehouse %1"_s.arg(id), kSeq});

    for (const outpost::Product &pr : p.products)
        w.run(
            u"INSERT INTO products (id, tenant_id, sku, name, category_id, uom, case_pack, moq, "
            u"tax_class_id, "
            "list_price_minor, discontinued, backorder_allowed, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
            {pr.id, kTenant, pr.sku, pr.name, orNull(pr.categoryId), pr.uom, pr.casePack, pr.moq,
             pr.taxClass.isEmpty() ? QVariant() : QVariant(taxIds.value(pr.taxClass)), pr.listPriceMinor,
             int(pr.discontinued), int(pr.backorderAllowed), kSeq});

    const outpost::Account &a = p.account;
    if (a.priceListId != 0) {
        w.run(
            u"INSERT INTO price_lists (id, tenant_id, code, name, currency, seq) VALUES (?, ?, ?, ?, ?, ?)"_s,
            {a.priceListId, kTenant, u"PL%1"_s.arg(a.priceListId), u"Price list"_s, p.currency, kSeq});
        for (auto it = p.priceListTiers.begin(); it != p.priceListTiers.end(); ++it)
            for (const outpost::VolumeTier &t : it.value())
                w.run(u"INSERT INTO price_list_entries (tenant_id, price_list_id, product_id, min_qty, "
                      "unit_price_minor, seq) VALUES (?, ?, ?, ?, ?, ?)"_s,
                      {kTenant, a.priceListId, it.key(), t.minQty, t.unitPriceMinor, kSeq});
    }
    w.run(
        u"INSERT INTO accounts (id, tenant_id, code, name, price_list_id, terms, credit_limit_minor, "
        "open_balance_minor, tax_exempt, on_hold, default_warehouse_id, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
        {a.id, kTenant, a.code.isEmpty() ? u"ACC"_s : a.code, a.name.isEmpty() ? u"Account"_s : a.name,
         orNull(a.priceListId), a.terms.isEmpty() ? u"NET30"_s : a.terms,
         a.hasCreditLimit ? QVariant(a.creditLimitMinor) : QVariant(), a.openBalanceMinor, int(a.taxExempt),
         int(a.onHold), orNull(c.order.warehouseId), kSeq});
    w.run(u"INSERT INTO users (id, tenant_id, username, display_name, role, password_hash, "
          u"max_line_discount_bp, "
          "max_order_discount_bp, created_at) VALUES (1, ?, 'rep', 'Rep', 'rep', 'x', ?, ?, ?)"_s,
          {kTenant, p.maxLineDiscountBp, p.maxOrderDiscountBp, kAt});
    w.run(u"INSERT INTO account_reps (tenant_id, account_id, user_id, seq) VALUES (?, ?, 1, ?)"_s,
          {kTenant, a.id, kSeq});

    for (const outpost::ContractPrice &cp : p.contractPrices)
        w.run(u"INSERT INTO contract_prices (tenant_id, account_id, product_id, unit_price_minor, "
              u"valid_from, valid_to, "
              "seq) VALUES (?, ?, ?, ?, ?, ?, ?)"_s,
              {kTenant, a.id, cp.productId, cp.unitPriceMinor, dateOrNull(cp.validFrom),
               dateOrNull(cp.validTo), kSeq});
    for (const outpost::Promotion &promo : p.promotions) {
        if (promo.productId != 0 && !p.products.contains(promo.productId))
            continue; // a promotion on a product the case does not sell cannot price anything
        w.run(u"INSERT INTO promotions (id, tenant_id, code, name, product_id, category_id, kind, value, "
              u"min_qty, "
              "starts_at, ends_at, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
              {promo.id, kTenant, promo.code, promo.name, orNull(promo.productId), orNull(promo.categoryId),
               promo.kind == outpost::Promotion::Kind::AmountOff ? u"amount"_s : u"percent"_s, promo.value,
               promo.minQty, promo.startsAt.isValid() ? server::isoUtc(promo.startsAt) : kFarPast,
               promo.endsAt.isValid() ? server::isoUtc(promo.endsAt) : kFarFuture, kSeq});
    }
    for (const outpost::StockLevel &s : c.allStock) {
        if (!p.products.contains(s.productId))
            continue;
        w.run(u"INSERT INTO stock_levels (tenant_id, warehouse_id, product_id, on_hand, allocated, "
              u"updated_at, seq) "
              "VALUES (?, ?, ?, ?, ?, ?, ?)"_s,
              {kTenant, s.warehouseId, s.productId, s.onHand, s.allocated,
               s.asOf.isValid() ? server::isoUtc(s.asOf) : kAt, kSeq});
    }
    return w.failure;
}

} // namespace

class TestGoldenServer : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void serverPricesLikeGolden_data();
    void serverPricesLikeGolden();

private:
    std::vector<GoldenCase> m_cases;
};

void TestGoldenServer::initTestCase()
{
    auto cases = outpost::test::loadGoldenCases(outpost::test::goldenPricedOrdersPath());
    QVERIFY2(cases.ok(), cases.ok() ? "" : qPrintable(cases.error().field + u": "_s + cases.error().detail));
    m_cases = std::move(*cases);
}

void TestGoldenServer::serverPricesLikeGolden_data()
{
    QTest::addColumn<int>("index");
    for (size_t i = 0; i < m_cases.size(); ++i)
        QTest::newRow(qPrintable(m_cases[i].name)) << int(i);
}

void TestGoldenServer::serverPricesLikeGolden()
{
    QFETCH(int, index);
    const GoldenCase &c = m_cases[size_t(index)];

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto opened = server::Database::open(dir.filePath(u"golden.db"_s), u"golden-%1"_s.arg(index));
    QVERIFY2(opened.ok(), opened.ok() ? "" : qPrintable(opened.error().detail));
    const std::unique_ptr<server::Database> db(*opened);
    const QString failure = writeCase(*db, c);
    QVERIFY2(failure.isEmpty(), qPrintable(failure));

    // What the HTTP layer does for a caller: allowances from the user row, receipt time = the case's now.
    auto user = db->exec(u"SELECT max_line_discount_bp, max_order_discount_bp FROM users WHERE id = 1"_s);
    QVERIFY(user.ok() && user->next());
    server::ContextRequest request;
    request.tenantId = kTenant;
    request.accountId = c.order.accountId;
    request.warehouseId = c.order.warehouseId;
    request.now = c.pricing.now;
    request.maxLineDiscountBp = user->value(0).toLongLong();
    request.maxOrderDiscountBp = user->value(1).toLongLong();
    for (const outpost::OrderLineInput &l : c.order.lines)
        request.productIds.push_back(l.productId);
    auto loaded = server::loadOrderContext(*db, request);
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : qPrintable(loaded.error().code));
    server::OrderContext &ctx = *loaded;
    QCOMPARE(ctx.pricing.currency, c.pricing.currency);
    QCOMPARE(ctx.warehouseId, c.order.warehouseId);
    ctx.validation.checkStock = c.validation.checkStock; // the device-side knob some cases turn off

    const outpost::PricedOrder priced = outpost::priceOrder(ctx.pricing, c.order);
    const std::vector<outpost::Finding> findings =
        outpost::validateOrder(ctx.pricing, ctx.validation, c.order, priced);
    const outpost::OrderDecision decision =
        outpost::decideOrder(ctx.pricing, ctx.validation, c.order.orderDiscountBp, c.submitted);
    const QStringList differences = outpost::test::compareWithExpected(c, priced, findings, decision);
    QVERIFY2(differences.isEmpty(), qPrintable(differences.join(u"\n  "_s)));
}

QTEST_GUILESS_MAIN(TestGoldenServer)
#include "tst_golden_server.moc"
