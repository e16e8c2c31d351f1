// Order capture (OrderController) against a real server's data in a synced replica: the order pad,
// paste, steppers, totals equal to domain::priceOrder, findings blocking submit, submit into the
// outbox, and the draft surviving a restart.
#include "app/format.h"
#include "app/order_controller.h"
#include "app/order_models.h"
#include "domain/pricing.h"
#include "storage/account_repository.h"
#include "storage/catalog_repository.h"
#include "storage/database.h"
#include "storage/meta_repository.h"
#include "storage/order_repository.h"
#include "storage/outbox_repository.h"
#include "storage/pricing_repository.h"
#include "tests/app/app_fixture.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace outpost;

class TstAppOrder : public QObject
{
    Q_OBJECT

private:
    test::AppFixture m_fx;
    void watch() // the testers live as long as the models (an app restart makes new ones)
    {
        for (QAbstractItemModel *m : {order()->lines(), order()->findings()})
            new QAbstractItemModelTester(m, QAbstractItemModelTester::FailureReportingMode::Fatal, m);
    }
    qint64 m_accountId = 0;
    app::OrderController *order() { return m_fx.app().order(); }
    storage::Database &db() { return m_fx.app().db(); }

    // A product of the replica made predictable for the test (pack, MOQ, backorder allowed so
    // stock never blocks), as a sync would have delivered it.
    storage::ProductRow tune(const QString &sku, qint64 casePack, qint64 moq, bool discontinued = false)
    {
        storage::CatalogRepository catalog(db());
        auto p = catalog.productBySku(sku);
        if (!p)
            qFatal("no product %s", qPrintable(sku));
        p->casePack = casePack;
        p->moq = moq;
        p->discontinued = discontinued;
        p->backorderAllowed = true;
        if (Status s = catalog.upsertProducts({*p}); !s)
            qFatal("upsert: %s", qPrintable(s.error().code));
        return *p;
    }

    QHash<QString, qint64> quantities()
    {
        QHash<QString, qint64> out;
        auto o = storage::OrderRepository(db()).order(order()->orderId());
        if (o) {
            for (const auto &l : o->lines)
                out.insert(l.sku, l.quantity);
        }
        return out;
    }

    int lineIndexOf(const QString &sku)
    {
        QAbstractItemModel *m = order()->lines();
        for (int r = 0; r < m->rowCount(); ++r) {
            if (m->index(r, 0).data(app::OrderLineListModel::SkuRole).toString() == sku)
                return r;
        }
        return -1;
    }

    PricedOrder domainPrice()
    {
        auto o = storage::OrderRepository(db()).order(order()->orderId());
        QList<qint64> ids;
        OrderInput input;
        input.accountId = o->accountId;
        input.warehouseId = o->warehouseId;
        for (const auto &l : o->lines) {
            ids << l.productId;
            input.lines.push_back({l.lineNo, l.productId, l.quantity, l.discountBp});
        }
        // rep1's allowances as the server seeds them: 10.00% per line, 5.00% per order.
        auto ctx = storage::PricingRepository(db()).loadPricingContext(o->accountId, ids, m_fx.app().now(), 1000, 500);
        return priceOrder(*ctx, input);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_fx.setUp());
        auto accounts = storage::AccountRepository(db()).search({}, 50);
        QVERIFY(accounts && !accounts->isEmpty());
        for (const auto &a : *accounts) {
            if (a.defaultWarehouseId > 0 && !a.onHold) {
                m_accountId = a.id;
                break;
            }
        }
        QVERIFY(m_accountId > 0);
        tune(u"SKU-0000001"_s, 1, 1);
        tune(u"SKU-0000002"_s, 6, 12);
        tune(u"SKU-0000003"_s, 1, 1);
        tune(u"SKU-0000004"_s, 24, 1);
        watch();
    }

    void init()
    {
        QVERIFY(order()->openFor(m_accountId));
        if (order()->lineCount() > 0) {
            QVERIFY(order()->discard());
            QVERIFY(order()->openFor(m_accountId));
        }
        QCOMPARE(order()->lineCount(), 0);
    }

    // The rep's allowance (seeded: 10.00% per line) comes with the sign-in, so the device caps a line
    // discount exactly where the server will: within it no finding, above it "discount.capped".
    void lineDiscountIsCappedAtTheRepsAllowance_data()
    {
        QTest::addColumn<qint64>("requestedBp");
        QTest::addColumn<qint64>("appliedBp");
        QTest::addColumn<bool>("capped");
        QTest::newRow("within") << qint64(500) << qint64(500) << false;
        QTest::newRow("at the allowance") << qint64(1000) << qint64(1000) << false;
        QTest::newRow("above") << qint64(2500) << qint64(1000) << true;
    }
    void lineDiscountIsCappedAtTheRepsAllowance()
    {
        QFETCH(qint64, requestedBp);
        QFETCH(qint64, appliedBp);
        QFETCH(bool, capped);
        QCOMPARE(storage::MetaRepository(db()).valueOr(u"session.max_line_discount_bp"_s), u"1000"_s);
        QVERIFY(order()->addBySku(u"SKU-0000001"_s, u"5"_s));
        QVERIFY(order()->setLineDiscount(1, requestedBp));
        const PricedOrder priced = domainPrice();
        QCOMPARE(priced.lines.at(0).why.appliedDiscountBp, appliedBp);
        bool found = false;
        QAbstractItemModel *f = order()->findings();
        for (int r = 0; r < f->rowCount(); ++r)
            found |= f->index(r, 0).data(app::FindingListModel::CodeRole).toString() == u"discount.capped"_s;
        QCOMPARE(found, capped);
        QCOMPARE(order()->netText(), app::format::money(priced.totals.netMinor, priced.currency));
    }

    void padAddsBySkuWithTheDomainPrice()
    {
        QVERIFY(order()->addBySku(u"SKU-0000001"_s, u"5"_s));
        QCOMPARE(order()->lineCount(), 1);
        QCOMPARE(quantities().value(u"SKU-0000001"_s), 5);
        const PricedOrder priced = domainPrice();
        const QModelIndex row = order()->lines()->index(0, 0);
        QCOMPARE(row.data(app::OrderLineListModel::UnitPriceMinorRole).toLongLong(), priced.lines.at(0).unitPriceMinor);
        QCOMPARE(row.data(app::OrderLineListModel::PriceReasonRole).toString(), priced.lines.at(0).why.text());
        // The quote stored on the line is the price shown.
        auto o = storage::OrderRepository(db()).order(order()->orderId());
        QCOMPARE(o->lines.at(0).quotedUnitPriceMinor.value_or(-1), priced.lines.at(0).unitPriceMinor);
    }

    void padAddsByBarcodeAndEmptyQuantityIsTheSmallestValid()
    {
        const storage::ProductRow p = tune(u"SKU-0000002"_s, 6, 12);
        QVERIFY(!p.barcode.isEmpty());
        QVERIFY(order()->addBySku(p.barcode, {}));
        QCOMPARE(quantities().value(p.sku), 12);
    }

    void padAddingTheSameSkuRaisesTheLine()
    {
        QVERIFY(order()->addBySku(u"SKU-0000003"_s, u"2"_s));
        QVERIFY(order()->addBySku(u"sku-0000003"_s, u"3"_s));
        QCOMPARE(order()->lineCount(), 1);
        QCOMPARE(quantities().value(u"SKU-0000003"_s), 5);
    }

    void padRefusesBadInput_data()
    {
        QTest::addColumn<QString>("sku");
        QTest::addColumn<QString>("quantity");
        QTest::addColumn<QString>("code");
        QTest::newRow("unknown sku") << u"NOPE-1"_s << u"3"_s << u"order.unknown_sku"_s;
        QTest::newRow("empty sku") << u"  "_s << u"3"_s << u"order.unknown_sku"_s;
        QTest::newRow("letters") << u"SKU-0000001"_s << u"abc"_s << u"order.bad_quantity"_s;
        QTest::newRow("zero") << u"SKU-0000001"_s << u"0"_s << u"order.bad_quantity"_s;
        QTest::newRow("negative") << u"SKU-0000001"_s << u"-3"_s << u"order.bad_quantity"_s;
        QTest::newRow("decimal") << u"SKU-0000001"_s << u"1.5"_s << u"order.bad_quantity"_s;
        QTest::newRow("too large") << u"SKU-0000001"_s << u"2000000"_s << u"order.bad_quantity"_s;
    }

    void padRefusesBadInput()
    {
        QFETCH(QString, sku);
        QFETCH(QString, quantity);
        QFETCH(QString, code);
        QVERIFY(order()->addBySku(u"SKU-0000003"_s, u"1"_s));
        const auto before = quantities();
        QSignalSpy error(order(), &app::OrderController::errorChanged);
        QVERIFY(!order()->addBySku(sku, quantity));
        QCOMPARE(order()->errorCode(), code);
        QVERIFY(!order()->errorText().isEmpty());
        QVERIFY(error.count() >= 1);
        QCOMPARE(quantities(), before);
        QCOMPARE(order()->lineCount(), 1);
    }

    void paste_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("added");
        QTest::addColumn<int>("rejected");
        QTest::addColumn<QString>("expected"); // "SKU=qty,SKU=qty"
        QTest::newRow("tabs") << u"SKU-0000001\t4\nSKU-0000003\t7\n"_s << 2 << 0 << u"SKU-0000001=4,SKU-0000003=7"_s;
        QTest::newRow("commas") << u"SKU-0000001,4\r\nSKU-0000003, 7"_s << 2 << 0 << u"SKU-0000001=4,SKU-0000003=7"_s;
        QTest::newRow("semicolons") << u"SKU-0000001;4"_s << 1 << 0 << u"SKU-0000001=4"_s;
        QTest::newRow("header line") << u"SKU\tQty\nSKU-0000001\t4"_s << 1 << 0 << u"SKU-0000001=4"_s;
        QTest::newRow("blank lines") << u"\n\nSKU-0000001,4\n\n  \nSKU-0000003,1\n"_s << 2 << 0
                                     << u"SKU-0000001=4,SKU-0000003=1"_s;
        QTest::newRow("bad qty") << u"SKU-0000001,4\nSKU-0000003,x\nSKU-0000003,-1"_s << 1 << 2 << u"SKU-0000001=4"_s;
        QTest::newRow("no qty") << u"SKU-0000001,4\nSKU-0000003"_s << 1 << 1 << u"SKU-0000001=4"_s;
        QTest::newRow("unknown sku") << u"SKU-0000001,4\nNOPE,3"_s << 1 << 1 << u"SKU-0000001=4"_s;
        QTest::newRow("duplicate sku merges") << u"SKU-0000001,4\nSKU-0000001,6"_s << 2 << 0 << u"SKU-0000001=10"_s;
        QTest::newRow("only rejects") << u"NOPE,3\nSKU-0000001,0"_s << 0 << 2 << QString();
    }

    void paste()
    {
        QFETCH(QString, text);
        QFETCH(int, added);
        QFETCH(int, rejected);
        QFETCH(QString, expected);
        const QVariantMap summary = order()->paste(text);
        QCOMPARE(summary.value(u"added"_s).toInt(), added);
        const QVariantList rejects = summary.value(u"rejected"_s).toList();
        QCOMPARE(rejects.size(), rejected);
        for (const QVariant &r : rejects) {
            QVERIFY(r.toMap().value(u"line"_s).toInt() > 0);
            QVERIFY(!r.toMap().value(u"reason"_s).toString().isEmpty());
        }
        QHash<QString, qint64> want;
        for (const QString &pair : expected.split(u',', Qt::SkipEmptyParts))
            want.insert(pair.section(u'=', 0, 0), pair.section(u'=', 1).toLongLong());
        QCOMPARE(quantities(), want);
        QCOMPARE(order()->lineCount(), want.size());
        QVERIFY(order()->statusText().contains(QString::number(added)) || !order()->errorText().isEmpty());
    }

    void steppers_data()
    {
        QTest::addColumn<qint64>("casePack");
        QTest::addColumn<qint64>("moq");
        QTest::addColumn<qint64>("start");
        QTest::addColumn<bool>("up");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("pack 6 moq 12: up from the moq") << 6LL << 12LL << 12LL << true << 18LL;
        QTest::newRow("pack 6 moq 12: down to the moq") << 6LL << 12LL << 18LL << false << 12LL;
        QTest::newRow("pack 6 moq 12: down at the moq stays") << 6LL << 12LL << 12LL << false << 12LL;
        QTest::newRow("pack 6 moq 12: up from below the moq") << 6LL << 12LL << 5LL << true << 12LL;
        QTest::newRow("pack 6 moq 12: up from off-pack") << 6LL << 12LL << 20LL << true << 24LL;
        QTest::newRow("pack 6 moq 12: down from off-pack") << 6LL << 12LL << 20LL << false << 18LL;
        QTest::newRow("pack 1 moq 1: up") << 1LL << 1LL << 1LL << true << 2LL;
        QTest::newRow("pack 1 moq 1: down at 1 stays") << 1LL << 1LL << 1LL << false << 1LL;
        QTest::newRow("pack 24 moq 1: moq rounds to the pack") << 24LL << 1LL << 24LL << false << 24LL;
        QTest::newRow("pack 24 moq 1: up") << 24LL << 1LL << 24LL << true << 48LL;
        QTest::newRow("pack 6 moq 10: floor is 12") << 6LL << 10LL << 18LL << false << 12LL;
    }

    void steppers()
    {
        QFETCH(qint64, casePack);
        QFETCH(qint64, moq);
        QFETCH(qint64, start);
        QFETCH(bool, up);
        QFETCH(qint64, expected);
        tune(u"SKU-0000002"_s, casePack, moq);
        QVERIFY(order()->addBySku(u"SKU-0000002"_s, QString::number(start)));
        const int row = lineIndexOf(u"SKU-0000002"_s);
        QVERIFY(row >= 0);
        const int lineNo = order()->lines()->index(row, 0).data(app::OrderLineListModel::LineNoRole).toInt();
        QVERIFY(up ? order()->stepUp(lineNo) : order()->stepDown(lineNo));
        QCOMPARE(quantities().value(u"SKU-0000002"_s), expected);
        QCOMPARE(order()->lines()->index(row, 0).data(app::OrderLineListModel::QuantityRole).toLongLong(), expected);
        tune(u"SKU-0000002"_s, 6, 12);
    }

    void totalsEqualDomainPriceOrder()
    {
        QVERIFY(order()->addBySku(u"SKU-0000001"_s, u"3"_s));
        QVERIFY(order()->addBySku(u"SKU-0000002"_s, u"24"_s));
        QVERIFY(order()->addBySku(u"SKU-0000004"_s, u"48"_s));
        QSignalSpy totals(order(), &app::OrderController::totalsChanged);
        QVERIFY(order()->setQuantity(1, 7));
        QVERIFY(totals.count() >= 1);
        const PricedOrder priced = domainPrice();
        const QString cur = order()->currency();
        QCOMPARE(cur, priced.currency);
        QCOMPARE(order()->totalMinor(), priced.totals.totalMinor);
        QVERIFY(priced.totals.totalMinor > 0);
        QCOMPARE(order()->grossText(), app::format::money(priced.totals.grossMinor, cur));
        QCOMPARE(order()->taxText(), app::format::money(priced.totals.taxMinor, cur));
        QCOMPARE(order()->netText(), app::format::money(priced.totals.taxableMinor, cur));
        QCOMPARE(order()->totalText(), app::format::money(priced.totals.totalMinor, cur));
        QCOMPARE(order()->discountText(),
                 app::format::money(priced.totals.lineDiscountMinor + priced.totals.orderDiscountMinor, cur));
    }

    void errorFindingBlocksSubmit()
    {
        QVERIFY(order()->addBySku(u"SKU-0000003"_s, u"2"_s));
        QVERIFY(order()->canSubmit());
        tune(u"SKU-0000003"_s, 1, 1, true); // discontinued by a sync
        m_fx.app().notifyLocalChange();
        QVERIFY(order()->errorCount() >= 1);
        QVERIFY(!order()->canSubmit());
        QVERIFY(order()->lines()->index(0, 0).data(app::OrderLineListModel::HasErrorRole).toBool());
        bool found = false;
        QAbstractItemModel *f = order()->findings();
        for (int r = 0; r < f->rowCount(); ++r)
            found |= f->index(r, 0).data(app::FindingListModel::CodeRole).toString() == u"product.discontinued"_s;
        QVERIFY(found);
        const qint64 pending = *storage::OutboxRepository(db()).pendingCount();
        QVERIFY(!order()->submit());
        QCOMPARE(order()->errorCode(), u"order.has_errors"_s);
        QCOMPARE(*storage::OutboxRepository(db()).pendingCount(), pending);
        QVERIFY(order()->hasDraft());
        tune(u"SKU-0000003"_s, 1, 1, false);
        m_fx.app().notifyLocalChange();
        QVERIFY(order()->canSubmit());
    }

    void warningDoesNotBlockSubmit()
    {
        tune(u"SKU-0000002"_s, 6, 1);
        QVERIFY(order()->addBySku(u"SKU-0000002"_s, u"7"_s)); // not a case multiple: warning
        QVERIFY(order()->warningCount() >= 1);
        QCOMPARE(order()->errorCount(), 0);
        QVERIFY(order()->canSubmit());
        tune(u"SKU-0000002"_s, 6, 12);
    }

    void emptyDraftCannotSubmit()
    {
        QVERIFY(!order()->canSubmit());
        QVERIFY(!order()->submit());
        QVERIFY(order()->hasDraft());
    }

    void submitWritesOneOutboxRow()
    {
        QVERIFY(order()->addBySku(u"SKU-0000001"_s, u"2"_s));
        const QString id = order()->orderId();
        const qint64 pending = *storage::OutboxRepository(db()).pendingCount();
        QSignalSpy submitted(order(), &app::OrderController::submitted);
        QVERIFY(order()->submit());
        QCOMPARE(submitted.count(), 1);
        QCOMPARE(submitted.first().first().toString(), id);
        QCOMPARE(*storage::OutboxRepository(db()).pendingCount(), pending + 1);
        auto o = storage::OrderRepository(db()).order(id);
        QCOMPARE(o->status, u"queued"_s);
        QCOMPARE(o->totalMinor, domainPriceFor(*o));
        QVERIFY(!order()->hasDraft());
        QCOMPARE(order()->statusText(), u"Waiting to send"_s);
    }

    void reopenContinuesTheSameDraft()
    {
        QVERIFY(order()->addBySku(u"SKU-0000001"_s, u"9"_s));
        const QString id = order()->orderId();
        QVERIFY(order()->openFor(m_accountId));
        QCOMPARE(order()->orderId(), id);
        QVERIFY(m_fx.restartApp()); // a crash or restart: the draft is in the replica
        QVERIFY(!order()->hasDraft());
        QVERIFY(order()->openFor(m_accountId));
        QCOMPARE(order()->orderId(), id);
        QCOMPARE(order()->lineCount(), 1);
        QCOMPARE(quantities().value(u"SKU-0000001"_s), 9);
        watch();
    }

    void removeLineAndDiscard()
    {
        QVERIFY(order()->addBySku(u"SKU-0000001"_s, u"1"_s));
        QVERIFY(order()->addBySku(u"SKU-0000003"_s, u"1"_s));
        QVERIFY(order()->removeLine(1));
        QCOMPARE(quantities().keys(), QList<QString>{u"SKU-0000003"_s});
        QVERIFY(!order()->removeLine(99));
        QCOMPARE(order()->lineCount(), 1);
        const QString id = order()->orderId();
        QVERIFY(order()->discard());
        QVERIFY(!order()->hasDraft());
        QVERIFY(!storage::OrderRepository(db()).order(id));
    }

private:
    qint64 domainPriceFor(const storage::OrderRow &o)
    {
        QList<qint64> ids;
        OrderInput input;
        input.accountId = o.accountId;
        input.warehouseId = o.warehouseId;
        for (const auto &l : o.lines) {
            ids << l.productId;
            input.lines.push_back({l.lineNo, l.productId, l.quantity, l.discountBp});
        }
        auto ctx = storage::PricingRepository(db()).loadPricingContext(o.accountId, ids, m_fx.app().now(), 0, 0);
        return priceOrder(*ctx, input).totals.totalMinor;
    }
};

QTEST_MAIN(TstAppOrder)
#include "tst_app_order.moc"
