// KioskController with a kiosk user's replica (catalog only): the wish list at list prices, each
// bad lead refused with its code and nothing queued, a good lead reaching the server exactly once
// over two syncs, and the admin PIN.
#include "app/format.h"
#include "app/kiosk_controller.h"
#include "app/session_controller.h"
#include "storage/catalog_repository.h"
#include "storage/database.h"
#include "storage/outbox_repository.h"
#include "tests/app/app_fixture.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace outpost;

class TstAppKiosk : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void wishListAddSetQuantityTotal();
    void badLeadChangesNothing_data();
    void badLeadChangesNothing();
    void goodLeadReachesServerExactlyOnce();
    void wrongPinIsRefused();

private:
    qint64 pending() { return *storage::OutboxRepository(m_fx.app().db()).pendingCount(); }
    test::AppFixture m_fx;
    QList<storage::ProductRow> m_products;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void TstAppKiosk::initTestCase()
{
    QVERIFY(m_fx.setUp(u"kiosk1"_s));
    QVERIFY(m_fx.app().session()->restore());
    QVERIFY(m_fx.app().session()->kioskMode());
    auto products = storage::CatalogRepository(m_fx.app().db()).searchProducts({}, 0, 2);
    QVERIFY(products && products->size() == 2);
    m_products = *products;
    m_tester = std::make_unique<QAbstractItemModelTester>(m_fx.app().kiosk()->wishList(),
                                                          QAbstractItemModelTester::FailureReportingMode::Fatal);
}

void TstAppKiosk::wishListAddSetQuantityTotal()
{
    app::KioskController *k = m_fx.app().kiosk();
    QAbstractItemModel *m = k->wishList();
    QSignalSpy changed(k, &app::KioskController::wishListChanged);
    const storage::ProductRow &a = m_products[0], &b = m_products[1];
    QVERIFY(k->add(a.id));
    QVERIFY(k->add(b.id, 2));
    QVERIFY(k->add(a.id, 2)); // same product: quantities add up, still one row
    QCOMPARE(m->rowCount(), 2);
    QCOMPARE(k->itemCount(), 5);
    QCOMPARE(changed.size(), 3);
    const QHash<int, QByteArray> roles = m->roleNames();
    QCOMPARE(m->data(m->index(0, 0), roles.key("quantity")).toLongLong(), 3);
    QCOMPARE(m->data(m->index(0, 0), roles.key("sku")).toString(), a.sku);
    QVERIFY(!m->data(m->index(0, 0), roles.key("priceText")).toString().isEmpty());

    QVERIFY(k->setQuantity(b.id, 4));
    QCOMPARE(k->itemCount(), 7);
    const QString currency = m_fx.app().session()->currency().isEmpty() ? u"GBP"_s : m_fx.app().session()->currency();
    QCOMPARE(k->totalText(), app::format::money(3 * a.listPriceMinor + 4 * b.listPriceMinor, currency));

    QVERIFY(!k->add(a.id, 0));
    QCOMPARE(k->errorCode(), u"kiosk.bad_quantity"_s);
    QVERIFY(!k->add(987654321));
    QCOMPARE(k->errorCode(), u"kiosk.unknown_product"_s);
    QVERIFY(!k->setQuantity(987654321, 1));
    QCOMPARE(k->errorCode(), u"kiosk.not_in_list"_s);
    QCOMPARE(k->itemCount(), 7);

    QVERIFY(k->setQuantity(b.id, 0)); // 0 removes
    QCOMPARE(m->rowCount(), 1);
    k->clear();
    QCOMPARE(m->rowCount(), 0);
    QCOMPARE(k->itemCount(), 0);
}

void TstAppKiosk::badLeadChangesNothing_data()
{
    QTest::addColumn<bool>("withItems");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("email");
    QTest::addColumn<QString>("phone");
    QTest::addColumn<QString>("code");
    QTest::newRow("emptyWishList") << false << u"Ann"_s << u"ann@example.com"_s << u""_s << u"lead.empty"_s;
    QTest::newRow("noName") << true << u"  "_s << u"ann@example.com"_s << u""_s << u"lead.name_required"_s;
    QTest::newRow("noContact") << true << u"Ann"_s << u""_s << u" "_s << u"lead.contact_required"_s;
    QTest::newRow("badEmail") << true << u"Ann"_s << u"ann@nowhere"_s << u""_s << u"lead.invalid_email"_s;
}

void TstAppKiosk::badLeadChangesNothing()
{
    QFETCH(bool, withItems);
    QFETCH(QString, name);
    QFETCH(QString, email);
    QFETCH(QString, phone);
    QFETCH(QString, code);
    app::KioskController *k = m_fx.app().kiosk();
    k->clear();
    if (withItems)
        QVERIFY(k->add(m_products[0].id, 2));
    const qint64 before = pending();
    const int items = k->itemCount();
    QSignalSpy submitted(k, &app::KioskController::leadSubmitted);
    QVERIFY(!k->submitLead(name, u"Co"_s, email, phone, u"note"_s));
    QCOMPARE(k->errorCode(), code);
    QVERIFY(!k->errorText().isEmpty());
    QCOMPARE(pending(), before);
    QCOMPARE(k->itemCount(), items);
    QCOMPARE(submitted.size(), 0);
}

void TstAppKiosk::goodLeadReachesServerExactlyOnce()
{
    app::KioskController *k = m_fx.app().kiosk();
    k->clear();
    QVERIFY(k->add(m_products[0].id, 2));
    QVERIFY(k->add(m_products[1].id, 1));
    const qint64 before = pending();
    QSignalSpy submitted(k, &app::KioskController::leadSubmitted);
    QVERIFY(k->submitLead(u"Visitor Exactly Once"_s, u"Corner Shop"_s, u"visitor@example.com"_s, {}, u"call me"_s));
    QCOMPARE(submitted.size(), 1);
    QCOMPARE(pending(), before + 1);
    QCOMPARE(k->itemCount(), 0);
    QVERIFY(k->errorCode().isEmpty());

    QVERIFY(m_fx.syncNow());
    QVERIFY(m_fx.syncNow());
    QCOMPARE(pending(), 0);
    QCOMPARE(m_fx.app().session()->failedCount(), 0);
    const test::HttpReply r = m_fx.server().get(u"/v1/admin/leads"_s, m_fx.serverToken());
    QCOMPARE(r.status, 200);
    int found = 0;
    for (const QJsonValue &v : r.json.value(u"leads"_s).toArray()) {
        const QJsonObject lead = v.toObject();
        if (lead.value(u"name"_s).toString() != u"Visitor Exactly Once"_s)
            continue;
        ++found;
        QCOMPARE(lead.value(u"items"_s).toArray().size(), 2);
        QCOMPARE(lead.value(u"email"_s).toString(), u"visitor@example.com"_s);
    }
    QCOMPARE(found, 1);
}

void TstAppKiosk::wrongPinIsRefused()
{
    app::KioskController *k = m_fx.app().kiosk();
    QSignalSpy unlocked(k, &app::KioskController::unlocked);
    QVERIFY(!k->unlock(u"0000"_s));
    QCOMPARE(k->errorCode(), u"kiosk.wrong_pin"_s);
    QVERIFY(!k->unlock({}));
    QCOMPARE(unlocked.size(), 0);
    QVERIFY(k->unlock(m_fx.app().config().kioskPin));
    QCOMPARE(unlocked.size(), 1);
    QVERIFY(k->errorCode().isEmpty());
}

QTEST_MAIN(TstAppKiosk)
#include "tst_app_kiosk.moc"
