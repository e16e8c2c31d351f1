// Qt Quick Test runner for tests/quick/tst_*.qml. The setup object builds one AppFixture (a real
// server seeded "tiny", a replica synced through the real sync code, an AppContext with autoSync
// off) before the first QML engine exists; the Outpost.App singletons resolve to its controllers.
// TestData (module Outpost.Test) gives the QML tests what they cannot reach through the UI: an
// account to order for, products tuned as a sync would deliver them, and the domain's own prices
// to compare the screens with, conflicts recorded as a sync would record them.
#include "app/format.h"
#include "app/order_controller.h"
#include "domain/pricing.h"
#include "storage/account_repository.h"
#include "storage/catalog_repository.h"
#include "storage/conflict_repository.h"
#include "storage/database.h"
#include "storage/order_repository.h"
#include "storage/outbox_repository.h"
#include "storage/pricing_repository.h"
#include "tests/app/app_fixture.h"

#include <QQmlEngine>
#include <QQuickStyle>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest>

#include <memory>

Q_IMPORT_QML_PLUGIN(Outpost_AppPlugin)
Q_IMPORT_QML_PLUGIN(Outpost_UiPlugin)

using namespace Qt::Literals::StringLiterals;
using namespace outpost;

class TestData : public QObject
{
    Q_OBJECT
    Q_PROPERTY(qint64 accountId READ accountId CONSTANT)
public:
    explicit TestData(test::AppFixture &fx) : m_fx(fx)
    {
        auto accounts = storage::AccountRepository(db()).search({}, 50);
        if (accounts) {
            for (const auto &a : *accounts) {
                if (a.defaultWarehouseId > 0 && !a.onHold) {
                    m_accountId = a.id;
                    break;
                }
            }
        }
    }
    qint64 accountId() const { return m_accountId; }

    // A fresh, empty draft for the test account.
    Q_INVOKABLE bool resetDraft()
    {
        app::OrderController *order = m_fx.app().order();
        if (!order->openFor(m_accountId))
            return false;
        if (order->lineCount() > 0 && (!order->discard() || !order->openFor(m_accountId)))
            return false;
        return order->lineCount() == 0;
    }

    // The product as a sync would deliver it: case pack, MOQ, discontinued; backorder allowed so
    // stock never decides the test.
    Q_INVOKABLE bool tune(const QString &sku, qint64 casePack, qint64 moq, bool discontinued)
    {
        storage::CatalogRepository catalog(db());
        auto p = catalog.productBySku(sku);
        if (!p)
            return false;
        p->casePack = casePack;
        p->moq = moq;
        p->discontinued = discontinued;
        p->backorderAllowed = true;
        if (!catalog.upsertProducts({*p}))
            return false;
        m_fx.app().notifyLocalChange();
        return true;
    }

    // The domain's unit price for the test account, as text.
    Q_INVOKABLE QString domainUnitPriceText(const QString &sku, qint64 quantity)
    {
        auto p = storage::CatalogRepository(db()).productBySku(sku);
        if (!p)
            return {};
        auto ctx = storage::PricingRepository(db()).loadPricingContext(m_accountId, {p->id}, m_fx.app().now(), 0, 0);
        if (!ctx)
            return {};
        return app::format::money(priceLine(*ctx, OrderLineInput{1, p->id, quantity, 0}).unitPriceMinor, ctx->currency);
    }

    // The domain's total of the open draft, as text.
    Q_INVOKABLE QString domainTotalText()
    {
        auto o = storage::OrderRepository(db()).order(m_fx.app().order()->orderId());
        if (!o)
            return {};
        QList<qint64> ids;
        OrderInput input;
        input.accountId = o->accountId;
        input.warehouseId = o->warehouseId;
        for (const auto &l : o->lines) {
            ids << l.productId;
            input.lines.push_back({l.lineNo, l.productId, l.quantity, l.discountBp});
        }
        auto ctx = storage::PricingRepository(db()).loadPricingContext(o->accountId, ids, m_fx.app().now(), 0, 0);
        if (!ctx)
            return {};
        return app::format::money(priceOrder(*ctx, input).totals.totalMinor, ctx->currency);
    }

    // (session engineer, for tst_conflicts.qml) An open conflict on a contact of the test account,
    // as a sync would record it; returns its id (0 on failure). Resolving it goes through the UI.
    Q_INVOKABLE qint64 recordConflict(const QString &field, const QString &base, const QString &mine,
                                      const QString &theirs)
    {
        auto details = storage::AccountRepository(db()).details(m_accountId);
        if (!details || details->contacts.isEmpty())
            return 0;
        storage::ConflictRow c;
        c.entity = u"contacts"_s;
        c.entityId = QString::number(details->contacts.first().id);
        c.field = field;
        c.base = base;
        c.mine = mine;
        c.theirs = theirs;
        c.createdAt = m_fx.app().now();
        auto id = storage::ConflictRepository(db()).record(c);
        if (!id)
            return 0;
        m_fx.app().notifyLocalChange();
        return *id;
    }
    Q_INVOKABLE int pendingCommands()
    {
        auto n = storage::OutboxRepository(db()).pendingCount();
        return n ? int(*n) : -1;
    }

private:
    storage::Database &db() { return m_fx.app().db(); }
    test::AppFixture &m_fx;
    qint64 m_accountId = 0;
};

class Setup : public QObject
{
    Q_OBJECT
public:
    Setup() { QQuickStyle::setStyle(u"Material"_s); }

public Q_SLOTS:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        Q_UNUSED(engine);
        if (!m_fx) {
            m_fx = std::make_unique<test::AppFixture>();
            if (!m_fx->setUp())
                qFatal("tst_quick: the app fixture did not start");
            m_data = std::make_unique<TestData>(*m_fx);
            qmlRegisterSingletonInstance("Outpost.Test", 1, 0, "TestData", m_data.get());
        }
    }
    void cleanupTestCase()
    {
        m_data.reset();
        m_fx.reset();
    }

private:
    std::unique_ptr<test::AppFixture> m_fx;
    std::unique_ptr<TestData> m_data;
};

QUICK_TEST_MAIN_WITH_SETUP(outpost_quick, Setup)

#include "tst_quick.moc"
