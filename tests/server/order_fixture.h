// Shared by the order intake tests: the real server seeded "tiny" plus a small fixture of products
// and accounts written with plain SQL before the server starts, so every outcome has a case whose
// numbers are known (list prices, tax class STD 20 %, stock in WH1, territories of rep1/rep2).
#pragma once

#include "tests/support/testserver.h"

#include <QHash>
#include <QJsonArray>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QUuid>

#include <optional>

namespace outpost::test {

using namespace Qt::Literals::StringLiterals;

inline QString newUuid()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

inline QJsonObject line(int lineNo, qint64 productId, qint64 quantity, std::optional<qint64> quoted = {})
{
    QJsonObject l{{u"lineNo"_s, lineNo}, {u"productId"_s, productId}, {u"quantity"_s, quantity}};
    if (quoted)
        l.insert(u"quotedUnitPrice"_s, *quoted);
    return l;
}

inline QJsonObject orderBody(qint64 accountId, const QJsonArray &lines, const QString &orderId = newUuid())
{
    return QJsonObject{
        {u"commandId"_s, newUuid()},
        {u"order"_s, QJsonObject{{u"id"_s, orderId}, {u"accountId"_s, accountId}, {u"lines"_s, lines}}}};
}

class OrderFixture
{
public:
    // Seeds, writes the fixture, starts the server, signs in rep1, rep2 and manager1.
    void setUpFixture();
    void tearDownFixture()
    {
        m_server.stop();
        m_db.close();
    }

    QSqlQuery sql(const QString &text, const QVariantList &binds = {});
    qint64 scalar(const QString &text, const QVariantList &binds = {});
    qint64 tenantSeq() { return scalar(u"SELECT seq FROM tenants WHERE id = ?"_s, {m_tenant}); }
    qint64 orderCount() { return scalar(u"SELECT COUNT(*) FROM orders"_s); }
    qint64 commandCount() { return scalar(u"SELECT COUNT(*) FROM commands"_s); }
    qint64 allocated(qint64 productId)
    {
        return scalar(u"SELECT allocated FROM stock_levels WHERE warehouse_id = ? AND product_id = ?"_s,
                      {m_wh1, productId});
    }
    qint64 balance(qint64 accountId)
    {
        return scalar(u"SELECT open_balance_minor FROM accounts WHERE id = ?"_s, {accountId});
    }
    qint64 addProduct(const QString &sku, qint64 listPrice, qint64 onHand, qint64 casePack = 1,
                      qint64 moq = 1, bool discontinued = false, bool backorder = false);
    qint64 addAccount(const QString &code, qint64 repId, std::optional<qint64> creditLimit,
                      bool onHold = false);

    TestServer m_server;
    QSqlDatabase m_db;
    qint64 m_tenant = 0;
    qint64 m_seq = 0;
    qint64 m_wh1 = 0;
    qint64 m_std = 0; // tax class STD (20 %)
    qint64 m_rep1 = 0;
    qint64 m_rep2 = 0;
    qint64 m_acmeProduct = 0;
    QHash<QString, qint64> m_product;
    QHash<QString, qint64> m_account;
    QByteArray m_rep1Token;
    QByteArray m_rep2Token;
    QByteArray m_managerToken;
};

inline QSqlQuery OrderFixture::sql(const QString &text, const QVariantList &binds)
{
    QSqlQuery q(m_db);
    q.prepare(text);
    for (const QVariant &b : binds)
        q.addBindValue(b);
    if (!q.exec())
        qFatal("fixture SQL failed: %s", qPrintable(q.lastError().text()));
    return q;
}

inline qint64 OrderFixture::scalar(const QString &text, const QVariantList &binds)
{
    QSqlQuery q = sql(text, binds);
    return q.next() ? q.value(0).toLongLong() : -1;
}

inline qint64 OrderFixture::addProduct(const QString &sku, qint64 listPrice, qint64 onHand, qint64 casePack,
                                       qint64 moq, bool discontinued, bool backorder)
{
    QSqlQuery q = sql(
        u"INSERT INTO products (tenant_id, sku, name, uom, case_pack, moq, tax_class_id, "
        "list_price_minor, discontinued, backorder_allowed, seq) VALUES (?, ?, ?, 'EA', ?, ?, ?, ?, ?, ?, ?)"_s,
        {m_tenant, sku, u"Fixture "_s + sku, casePack, moq, m_std, listPrice, int(discontinued),
         int(backorder), m_seq});
    const qint64 id = q.lastInsertId().toLongLong();
    sql(u"INSERT INTO stock_levels (tenant_id, warehouse_id, product_id, on_hand, allocated, updated_at, "
        u"seq) "
        "VALUES (?, ?, ?, ?, 0, '2026-11-23T08:00:00.000Z', ?)"_s,
        {m_tenant, m_wh1, id, onHand, m_seq});
    m_product.insert(sku, id);
    return id;
}

inline qint64 OrderFixture::addAccount(const QString &code, qint64 repId, std::optional<qint64> creditLimit,
                                       bool onHold)
{
    QSqlQuery q =
        sql(u"INSERT INTO accounts (tenant_id, code, name, terms, credit_limit_minor, open_balance_minor, "
            "on_hold, default_warehouse_id, seq) VALUES (?, ?, ?, 'NET30', ?, 0, ?, ?, ?)"_s,
            {m_tenant, code, u"Fixture "_s + code, creditLimit ? QVariant(*creditLimit) : QVariant(),
             int(onHold), m_wh1, m_seq});
    const qint64 id = q.lastInsertId().toLongLong();
    sql(u"INSERT INTO account_reps (tenant_id, account_id, user_id, seq) VALUES (?, ?, ?, ?)"_s,
        {m_tenant, id, repId, m_seq});
    m_account.insert(code, id);
    return id;
}

inline void OrderFixture::setUpFixture()
{
    QVERIFY(m_server.seed());
    m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"order_fixture"_s);
    m_db.setDatabaseName(m_server.dbPath());
    m_db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=10000"_s);
    QVERIFY(m_db.open());

    m_tenant = scalar(u"SELECT id FROM tenants WHERE code = 'demo'"_s);
    const qint64 acme = scalar(u"SELECT id FROM tenants WHERE code = 'acme'"_s);
    QVERIFY(m_tenant > 0 && acme > 0);
    m_wh1 = scalar(u"SELECT id FROM warehouses WHERE tenant_id = ? AND code = 'WH1'"_s, {m_tenant});
    m_std = scalar(u"SELECT id FROM tax_classes WHERE tenant_id = ? AND code = 'STD'"_s, {m_tenant});
    m_rep1 = scalar(u"SELECT id FROM users WHERE tenant_id = ? AND username = 'rep1'"_s, {m_tenant});
    m_rep2 = scalar(u"SELECT id FROM users WHERE tenant_id = ? AND username = 'rep2'"_s, {m_tenant});
    m_acmeProduct = scalar(u"SELECT MIN(id) FROM products WHERE tenant_id = ?"_s, {acme});
    QVERIFY(m_wh1 > 0 && m_std > 0 && m_rep1 > 0 && m_rep2 > 0 && m_acmeProduct > 0);
    QCOMPARE(scalar(u"SELECT rate_bp FROM tax_classes WHERE id = ?"_s, {m_std}), 2000);

    QVERIFY(m_db.transaction());
    sql(u"UPDATE tenants SET seq = seq + 1 WHERE id = ?"_s, {m_tenant});
    m_seq = tenantSeq();
    addProduct(u"T-STD"_s, 1000, 100000);
    addProduct(u"T-IDEM"_s, 1000, 1000);
    addProduct(u"T-CASE"_s, 500, 1000, 12);
    addProduct(u"T-MOQ"_s, 300, 1000, 1, 10);
    addProduct(u"T-DISC"_s, 700, 100, 1, 1, true);
    addProduct(u"T-NONE"_s, 800, 0);
    addProduct(u"T-BACK"_s, 200, 5, 1, 1, false, true);
    addProduct(u"T-PART"_s, 250, 5);
    addAccount(u"T-OK"_s, m_rep1, std::nullopt);
    addAccount(u"T-CREDIT"_s, m_rep1, 1000);
    addAccount(u"T-HOLD"_s, m_rep1, std::nullopt, true);
    addAccount(u"T-REP2"_s, m_rep2, std::nullopt);
    QVERIFY(m_db.commit());

    QVERIFY(m_server.start());
    m_rep1Token = m_server.login(u"demo"_s, u"rep1"_s);
    m_rep2Token = m_server.login(u"demo"_s, u"rep2"_s);
    m_managerToken = m_server.login(u"demo"_s, u"manager1"_s);
    QVERIFY(!m_rep1Token.isEmpty() && !m_rep2Token.isEmpty() && !m_managerToken.isEmpty());
}

} // namespace outpost::test
