// Order history (OrdersController, OrderListModel, OutcomeLineListModel): a submitted order reaches
// the real server through a sync and its outcome appears in the lists and the detail as a row
// change (no reset); attention list, retry of a failed order, reorder, paging.
#include "app/order_controller.h"
#include "app/order_models.h"
#include "app/orders_controller.h"
#include "storage/account_repository.h"
#include "storage/catalog_repository.h"
#include "storage/database.h"
#include "storage/order_repository.h"
#include "storage/outbox_repository.h"
#include "tests/app/app_fixture.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace outpost;

class TstAppOrders : public QObject
{
    Q_OBJECT

    test::AppFixture m_fx;
    qint64 m_accountId = 0;
    app::OrdersController *orders() { return m_fx.app().orders(); }
    app::OrderController *order() { return m_fx.app().order(); }
    storage::Database &db() { return m_fx.app().db(); }

    int rowOf(QAbstractItemModel *m, const QString &orderId)
    {
        for (int r = 0; r < m->rowCount(); ++r) {
            if (m->index(r, 0).data(app::OrderListModel::OrderIdRole).toString() == orderId)
                return r;
        }
        return -1;
    }

    QString submitOrder(const QStringList &lines)
    {
        if (!order()->openFor(m_accountId))
            return {};
        for (const QString &l : lines) {
            if (!order()->addBySku(l.section(u'=', 0, 0), l.section(u'=', 1)))
                return {};
        }
        const QString id = order()->orderId();
        return order()->submit() ? id : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_fx.setUp());
        auto accounts = storage::AccountRepository(db()).search({}, 50);
        QVERIFY(accounts);
        for (const auto &a : *accounts) {
            if (a.defaultWarehouseId > 0 && !a.onHold && !a.creditLimitMinor) {
                m_accountId = a.id;
                break;
            }
        }
        if (m_accountId == 0) {
            for (const auto &a : *accounts) {
                if (a.defaultWarehouseId > 0 && !a.onHold)
                    m_accountId = a.id;
            }
        }
        QVERIFY(m_accountId > 0);
        for (QAbstractItemModel *m : {static_cast<QAbstractItemModel *>(orders()->recent()),
                                      static_cast<QAbstractItemModel *>(orders()->attention()),
                                      static_cast<QAbstractItemModel *>(orders()->accountHistory()), orders()->lines()})
            new QAbstractItemModelTester(m, QAbstractItemModelTester::FailureReportingMode::Fatal, m);
    }

    void submitThenSyncShowsTheOutcomeAsARowChange()
    {
        const QString id = submitOrder({u"SKU-0000005=3"_s, u"SKU-0000006=4"_s});
        QVERIFY(!id.isEmpty());
        QAbstractItemModel *recent = orders()->recent();
        const int row = rowOf(recent, id);
        QCOMPARE(row, 0);
        QCOMPARE(recent->index(row, 0).data(app::OrderListModel::StatusRole).toString(), u"queued"_s);
        QCOMPARE(recent->index(row, 0).data(app::OrderListModel::StatusTextRole).toString(), u"Waiting to send"_s);
        QCOMPARE(recent->index(row, 0).data(app::OrderListModel::LineCountRole).toInt(), 2);

        orders()->setCurrentId(id);
        QCOMPARE(orders()->status(), u"queued"_s);
        QCOMPARE(orders()->lines()->rowCount(), 2);

        QSignalSpy reset(recent, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(recent, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(recent, &QAbstractItemModel::rowsRemoved);
        QSignalSpy changed(recent, &QAbstractItemModel::dataChanged);
        QSignalSpy lineReset(orders()->lines(), &QAbstractItemModel::modelReset);
        QSignalSpy current(orders(), &app::OrdersController::currentChanged);
        QVERIFY(m_fx.syncNow());

        QCOMPARE(reset.count(), 0);
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(removed.count(), 0);
        QVERIFY(changed.count() >= 1);
        for (const auto &args : changed)
            QCOMPARE(args.at(0).toModelIndex().row(), row); // only the submitted order repainted
        const QString status = recent->index(row, 0).data(app::OrderListModel::StatusRole).toString();
        QVERIFY2(QStringList({u"accepted"_s, u"adjusted"_s, u"held"_s, u"rejected"_s}).contains(status),
                 qPrintable(status));
        QVERIFY(!recent->index(row, 0).data(app::OrderListModel::OrderNumberRole).toString().isEmpty());

        QVERIFY(current.count() >= 1);
        QCOMPARE(orders()->status(), status);
        QVERIFY(!orders()->orderNumber().isEmpty());
        QVERIFY(!orders()->decidedText().isEmpty());
        QCOMPARE(lineReset.count(), 0);
        QAbstractItemModel *lines = orders()->lines();
        QCOMPARE(lines->rowCount(), 2);
        for (int r = 0; r < lines->rowCount(); ++r) {
            const QString outcome = lines->index(r, 0).data(app::OutcomeLineListModel::OutcomeRole).toString();
            QVERIFY2(!outcome.isEmpty(), "every line has the server's decision");
            if (outcome == u"rejected"_s)
                QVERIFY(!lines->index(r, 0).data(app::OutcomeLineListModel::ReasonRole).toString().isEmpty());
            if (outcome == u"adjusted"_s)
                QVERIFY(!lines->index(r, 0).data(app::OutcomeLineListModel::ChangesRole).toStringList().isEmpty());
        }
    }

    void adjustedLineShowsOldAndNew()
    {
        // The device thinks SKU-0000010 comes in ones; the server knows its real case pack.
        storage::CatalogRepository catalog(db());
        auto p = catalog.productBySku(u"SKU-0000010"_s);
        QVERIFY(p);
        const qint64 realPack = p->casePack;
        if (realPack <= 1)
            QSKIP("the seed's SKU-0000010 has no case pack");
        p->casePack = 1;
        p->moq = 1;
        QVERIFY(catalog.upsertProducts({*p}));
        const QString id = submitOrder({u"SKU-0000010=1"_s});
        QVERIFY(!id.isEmpty());
        QVERIFY(m_fx.syncNow());
        orders()->setCurrentId(id);
        QAbstractItemModel *lines = orders()->lines();
        QCOMPARE(lines->rowCount(), 1);
        const QModelIndex line = lines->index(0, 0);
        if (line.data(app::OutcomeLineListModel::OutcomeRole).toString() == u"rejected"_s)
            QSKIP("the server rejected the line (stock)");
        QCOMPARE(line.data(app::OutcomeLineListModel::OutcomeRole).toString(), u"adjusted"_s);
        const QStringList changes = line.data(app::OutcomeLineListModel::ChangesRole).toStringList();
        QVERIFY2(changes.contains(u"Quantity 1 -> %1 (rounded up to the case pack)"_s.arg(realPack)), qPrintable(changes.join(u'|')));
        QCOMPARE(line.data(app::OutcomeLineListModel::AcceptedQuantityRole).toLongLong()
                     + line.data(app::OutcomeLineListModel::BackorderedQuantityRole).toLongLong(),
                 realPack);
        QVERIFY(rowOf(orders()->attention(), id) >= 0);
        QVERIFY(orders()->attentionCount() >= 1);
    }

    void failedOrderRetries()
    {
        const QString id = submitOrder({u"SKU-0000005=1"_s});
        QVERIFY(!id.isEmpty());
        storage::OrderRepository repo(db());
        auto o = repo.order(id);
        auto item = storage::OutboxRepository(db()).itemByCommandId(o->commandId);
        QVERIFY(item);
        const Error e = Error::make(ErrorKind::Rejected, u"order.account_closed"_s, u"Account closed."_s);
        QVERIFY(storage::OutboxRepository(db()).markFailed(item->id, e, std::nullopt));
        QVERIFY(repo.markFailed(id, e));
        m_fx.app().notifyLocalChange();
        QAbstractItemModel *attention = orders()->attention();
        const int row = rowOf(attention, id);
        QVERIFY(row >= 0);
        QCOMPARE(attention->index(row, 0).data(app::OrderListModel::StatusTextRole).toString(),
                 u"Failed: Account closed."_s);
        QVERIFY(attention->index(row, 0).data(app::OrderListModel::NeedsAttentionRole).toBool());

        QVERIFY(orders()->retry(id));
        QCOMPARE(repo.order(id)->status, u"queued"_s);
        QCOMPARE(storage::OutboxRepository(db()).item(item->id)->state, storage::OutboxItem::State::Pending);
        QCOMPARE(rowOf(orders()->attention(), id), -1);
        QVERIFY(!orders()->retry(id)); // not failed any more: refused, nothing changes
        QCOMPARE(repo.order(id)->status, u"queued"_s);
    }

    void reorderFromCopiesLines()
    {
        const QString past = submitOrder({u"SKU-0000005=3"_s, u"SKU-0000006=4"_s});
        QVERIFY(!past.isEmpty());
        QVERIFY(!order()->hasDraft());
        QVERIFY(order()->reorderFrom(past));
        QVERIFY(order()->hasDraft());
        QVERIFY(order()->orderId() != past);
        auto draft = storage::OrderRepository(db()).order(order()->orderId());
        QCOMPARE(draft->lines.size(), 2);
        QCOMPARE(draft->lines.at(0).sku, u"SKU-0000005"_s);
        QCOMPARE(draft->lines.at(0).quantity, 3);
        QCOMPARE(draft->lines.at(1).quantity, 4);
        QVERIFY(!order()->reorderFrom(u"no-such-order"_s));
        QCOMPARE(storage::OrderRepository(db()).order(order()->orderId())->lines.size(), 2);
        QVERIFY(order()->discard());
    }

    void accountHistoryAndPaging()
    {
        // 60 more orders: more than one page of 50.
        for (int i = 0; i < 60; ++i)
            QVERIFY(!submitOrder({u"SKU-0000005=1"_s}).isEmpty());
        orders()->setHistoryAccount(m_accountId);
        app::OrderListModel *history = orders()->accountHistory();
        QCOMPARE(history->rowCount(), 50);
        QVERIFY(history->canFetchMore({}));
        while (history->canFetchMore({}))
            history->fetchMore({});
        auto all = storage::OrderRepository(db()).history(m_accountId, 1000);
        QCOMPARE(history->rowCount(), int(all->size()));
        for (int r = 0; r < history->rowCount(); ++r)
            QCOMPARE(history->index(r, 0).data(app::OrderListModel::AccountIdRole).toLongLong(), m_accountId);
        const int loaded = history->rowCount();
        history->refresh(); // keeps the loaded range
        QCOMPARE(history->rowCount(), loaded);
        orders()->setHistoryAccount(0);
        QCOMPARE(history->rowCount(), 0);
    }
};

QTEST_MAIN(TstAppOrders)
#include "tst_app_orders.moc"
