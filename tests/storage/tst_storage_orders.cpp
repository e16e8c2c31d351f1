// OrderRepository: drafts (one per account), line edits, submit with its outbox row in one
// transaction, delivery states, server outcomes, history.
#include "fixtures.h"

#include "storage/order_repository.h"
#include "storage/outbox_repository.h"
#include "storage/replica_writer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace outpost;
using namespace outpost::storage;
using namespace outpost::storage::testing;

class TestStorageOrders : public QObject
{
    Q_OBJECT

    std::unique_ptr<Database> m_db;
    const QDateTime m_now = utc(u"2026-11-23T10:00:00Z"_s);

    QString draftWithTwoLines()
    {
        OrderRepository orders(*m_db);
        auto id = orders.createDraft(10, 1, u"GBP"_s, m_now);
        if (!id)
            qFatal("createDraft failed");
        if (!orders.addLine(*id, 1, 2, 0, 2300, m_now) ||
            !orders.addLine(*id, 3, 12, 500, std::nullopt, m_now))
            qFatal("addLine failed");
        return *id;
    }

private slots:
    void init()
    {
        m_db = openMigrated();
        seedSample(*m_db);
    }

    void draftIsSavedWithItsLines()
    {
        const QString id = draftWithTwoLines();
        auto o = OrderRepository(*m_db).order(id);
        QVERIFY(o.ok());
        QCOMPARE(o->status, u"draft"_s);
        QCOMPARE(o->accountId, 10);
        QCOMPARE(o->warehouseId, 1);
        QCOMPARE(o->lines.size(), 2);
        QCOMPARE(o->lines[0].lineNo, 1);
        QCOMPARE(o->lines[0].sku, u"OIL-5L-001"_s);
        QCOMPARE(o->lines[0].quotedUnitPriceMinor, std::optional<qint64>(2300));
        QCOMPARE(o->lines[1].lineNo, 2);
        QCOMPARE(o->lines[1].discountBp, 500);
        QCOMPARE(o->lines[1].quotedUnitPriceMinor, std::nullopt);
        QCOMPARE(o->createdAt, m_now);
    }

    void oneOpenDraftPerAccount()
    {
        OrderRepository orders(*m_db);
        auto first = orders.createDraft(10, 1, u"GBP"_s, m_now);
        QVERIFY(first.ok());
        auto second = orders.createDraft(10, 1, u"GBP"_s, m_now);
        QVERIFY(!second.ok());
        QCOMPARE(second.error().code, u"storage.draft_exists"_s);
        QCOMPARE(second.error().kind, ErrorKind::Conflict);
        QCOMPARE(*orders.draftFor(10), *first);
        auto other = orders.createDraft(11, 1, u"GBP"_s, m_now); // another account: fine
        QVERIFY(other.ok());
        QCOMPARE(scalar(*m_db, "SELECT count(*) FROM orders"), 2);
        QVERIFY(orders.discardDraft(*first).ok());
        auto again = orders.createDraft(10, 0, u"GBP"_s, m_now); // 0: the account's default
        QCOMPARE(orders.order(*again)->warehouseId, 1);
    }

    void theUniqueIndexHoldsEvenForRawWriters()
    {
        QVERIFY(OrderRepository(*m_db).createDraft(10, 1, u"GBP"_s, m_now).ok());
        Status s = m_db->exec("INSERT INTO orders (id, account_id, status, currency, created_at, updated_at) "
                              "VALUES ('x', 10, 'draft', 'GBP', '', '')");
        QCOMPARE(s.error().code, u"storage.constraint"_s);
    }

    void afterSubmitANewDraftMayStart()
    {
        const QString id = draftWithTwoLines();
        OrderRepository orders(*m_db);
        QVERIFY(orders.submit(id, m_now).ok());
        QCOMPARE(*orders.draftFor(10), QString());
        QVERIFY(orders.createDraft(10, 1, u"GBP"_s, m_now).ok());
    }

    void draftForUnknownAccountIsRefused()
    {
        auto id = OrderRepository(*m_db).createDraft(999, 1, u"GBP"_s, m_now);
        QCOMPARE(id.error().code, u"storage.account_not_found"_s);
    }

    void lineEdits()
    {
        const QString id = draftWithTwoLines();
        OrderRepository orders(*m_db);
        const QDateTime later = m_now.addSecs(30);
        QVERIFY(orders.updateLine(id, 2, 24, 0, 180, later).ok());
        QVERIFY(orders.removeLine(id, 1, later).ok());
        auto third = orders.addLine(id, 2, 1, 0, std::nullopt, later);
        QCOMPARE(*third, 3); // line numbers are never reused
        auto o = orders.order(id);
        QCOMPARE(o->lines.size(), 2);
        QCOMPARE(o->lines[0].lineNo, 2);
        QCOMPARE(o->lines[0].quantity, 24);
        QCOMPARE(o->lines[0].quotedUnitPriceMinor, std::optional<qint64>(180));
        QCOMPARE(o->updatedAt, later);
        QCOMPARE(orders.removeLine(id, 1, later).error().code, u"storage.line_not_found"_s);
    }

    void badLineChangesNothing_data()
    {
        QTest::addColumn<qint64>("productId");
        QTest::addColumn<qint64>("quantity");
        QTest::addColumn<qint64>("discountBp");
        QTest::addColumn<QString>("code");
        QTest::newRow("zeroQuantity") << qint64(1) << qint64(0) << qint64(0) << u"storage.invalid_quantity"_s;
        QTest::newRow("hugeQuantity")
            << qint64(1) << kMaxQuantity + 1 << qint64(0) << u"storage.invalid_quantity"_s;
        QTest::newRow("negativeDiscount")
            << qint64(1) << qint64(1) << qint64(-1) << u"storage.invalid_discount"_s;
        QTest::newRow("discountOver100")
            << qint64(1) << qint64(1) << qint64(10001) << u"storage.invalid_discount"_s;
        QTest::newRow("unknownProduct")
            << qint64(999) << qint64(1) << qint64(0) << u"storage.product_not_found"_s;
    }

    void badLineChangesNothing()
    {
        QFETCH(qint64, productId);
        QFETCH(qint64, quantity);
        QFETCH(qint64, discountBp);
        QFETCH(QString, code);
        const QString id = draftWithTwoLines();
        OrderRepository orders(*m_db);
        auto added = orders.addLine(id, productId, quantity, discountBp, std::nullopt, m_now.addSecs(5));
        QVERIFY(!added.ok());
        QCOMPARE(added.error().code, code);
        QCOMPARE(orders.order(id)->lines.size(), 2);
        QCOMPARE(orders.order(id)->updatedAt, m_now);
    }

    void submitQueuesAndWritesOutboxTogether()
    {
        const QString id = draftWithTwoLines();
        OrderRepository orders(*m_db);
        QVERIFY(orders.updateHeader(id, {std::nullopt, 250, u"PO-77"_s, u"Back door"_s}, m_now).ok());
        auto item = orders.submit(id, m_now.addSecs(60));
        QVERIFY2(item.ok(), qPrintable(item.ok() ? QString() : item.error().code));
        QCOMPARE(item->kind, u"order.submit"_s);
        QCOMPARE(item->entityId, id);
        auto o = orders.order(id);
        QCOMPARE(o->status, u"queued"_s);
        QCOMPARE(o->commandId, item->commandId);
        QCOMPARE(o->submittedAt, m_now.addSecs(60));
        const QJsonObject payload = QJsonDocument::fromJson(item->payload).object();
        QCOMPARE(payload.value(u"orderId"_s).toString(), id);
        QCOMPARE(payload.value(u"orderDiscountBp"_s).toInteger(), 250);
        QCOMPARE(payload.value(u"customerRef"_s).toString(), u"PO-77"_s);
        const QJsonArray lines = payload.value(u"lines"_s).toArray();
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines[0].toObject().value(u"quotedUnitPriceMinor"_s).toInteger(), 2300);
        QVERIFY(!lines[1].toObject().contains(u"quotedUnitPriceMinor"_s));

        // Submitted: no more edits, no second submit.
        QCOMPARE(orders.addLine(id, 2, 1, 0, std::nullopt, m_now).error().code, u"storage.order_not_draft"_s);
        QCOMPARE(orders.submit(id, m_now).error().code, u"storage.order_not_draft"_s);
        QCOMPARE(*OutboxRepository(*m_db).pendingCount(), 1);
    }

    void submitCommandIdsAreFresh()
    {
        const QString a = draftWithTwoLines();
        auto first = OrderRepository(*m_db).submit(a, m_now);
        const QString b = draftWithTwoLines();
        auto second = OrderRepository(*m_db).submit(b, m_now);
        QVERIFY(first.ok() && second.ok());
        QVERIFY(first->commandId != second->commandId);
        QCOMPARE(first->commandId.size(), 36);
    }

    void failureAfterStatusChangeLeavesNeither()
    {
        const QString id = draftWithTwoLines();
        // The order row is updated after the outbox insert; fail that update instead.
        QVERIFY(m_db->exec("CREATE TEMP TRIGGER queued_fails BEFORE UPDATE OF status ON orders "
                           "WHEN new.status = 'queued' BEGIN SELECT RAISE(ABORT, 'simulated'); END")
                    .ok());
        auto item = OrderRepository(*m_db).submit(id, m_now);
        QVERIFY(!item.ok());
        QCOMPARE(OrderRepository(*m_db).order(id)->status, u"draft"_s);
        QCOMPARE(scalar(*m_db, "SELECT count(*) FROM outbox"), 0);
        QVERIFY(!m_db->inTransaction());
    }

    void failureOfOutboxLeavesDraft()
    {
        const QString id = draftWithTwoLines();
        QVERIFY(m_db->exec("CREATE TEMP TRIGGER outbox_fails BEFORE INSERT ON outbox "
                           "BEGIN SELECT RAISE(ABORT, 'simulated'); END")
                    .ok());
        QVERIFY(!OrderRepository(*m_db).submit(id, m_now).ok());
        auto o = OrderRepository(*m_db).order(id);
        QCOMPARE(o->status, u"draft"_s);
        QCOMPARE(o->commandId, QString());
    }

    void emptyDraftCannotBeSubmitted()
    {
        OrderRepository orders(*m_db);
        auto id = orders.createDraft(10, 1, u"GBP"_s, m_now);
        auto item = orders.submit(*id, m_now);
        QCOMPARE(item.error().code, u"storage.order_empty"_s);
        QCOMPARE(orders.order(*id)->status, u"draft"_s);
    }

    void deliveryStates()
    {
        const QString id = draftWithTwoLines();
        OrderRepository orders(*m_db);
        QCOMPARE(orders.markSent(id).error().code, u"storage.order_bad_state"_s); // still a draft
        QVERIFY(orders.submit(id, m_now).ok());
        QVERIFY(orders.markSent(id).ok());
        QVERIFY(
            orders.markFailed(id, Error::make(ErrorKind::Rejected, u"account.not_found"_s, u"Gone"_s)).ok());
        auto o = orders.order(id);
        QCOMPARE(o->status, u"failed"_s);
        QCOMPARE(o->errorCode, u"account.not_found"_s);
    }

    void applyOutcomePerLine()
    {
        const QString id = draftWithTwoLines();
        OrderRepository orders(*m_db);
        QVERIFY(orders.submit(id, m_now).ok());
        ServerOutcome outcome;
        outcome.status = u"adjusted"_s;
        outcome.orderNumber = u"SO-1001"_s;
        outcome.grossMinor = 6868;
        outcome.totalMinor = 7500;
        outcome.outcomeJson = R"({"outcome":"adjusted"})";
        outcome.decidedAt = m_now.addSecs(90);
        outcome.seq = 77;
        outcome.lines = {{1, u"accepted"_s, 2, 0, 2300, 4600, 920, 5520, u"tier"_s, {}},
                         {2, u"adjusted"_s, 12, 0, 189, 2268, 0, 2268, u"list"_s,
                          R"({"adjustments":["price.corrected"]})"}};
        QVERIFY(orders.applyOutcome(id, outcome).ok());
        auto o = orders.order(id);
        QCOMPARE(o->status, u"adjusted"_s);
        QCOMPARE(o->orderNumber, u"SO-1001"_s);
        QCOMPARE(o->seq, std::optional<qint64>(77));
        QCOMPARE(o->lines[0].outcome, u"accepted"_s);
        QCOMPARE(o->lines[0].totalMinor, std::optional<qint64>(5520));
        QCOMPARE(o->lines[1].outcome, u"adjusted"_s);
        QCOMPARE(o->lines[1].unitPriceMinor, std::optional<qint64>(189));
        QCOMPARE(o->lines[1].quantity, 12); // what was asked stays
        QVERIFY(o->lines[1].detailJson.contains("price.corrected"));
    }

    // After a push the change feed brings the device's own order back at the seq its answer named:
    // that row is not written again; a later version of the order (another seq) is.
    void feedRowOfAnAnsweredOrderAtTheSameSeqIsSkipped()
    {
        const QString id = draftWithTwoLines();
        OrderRepository orders(*m_db);
        QVERIFY(orders.submit(id, m_now).ok());
        ServerOutcome outcome;
        outcome.status = u"held"_s;
        outcome.orderNumber = u"SO-1002"_s;
        outcome.seq = 40;
        outcome.decidedAt = m_now;
        QVERIFY(orders.applyOutcome(id, outcome).ok());

        QJsonObject row{{u"id"_s, id},           {u"accountId"_s, 10}, {u"status"_s, u"accepted"_s},
                        {u"currency"_s, u"GBP"_s}, {u"orderNumber"_s, u"SO-1002"_s},
                        {u"receivedAt"_s, u"2026-11-23T10:00:00.000Z"_s}, {u"seq"_s, 40},
                        {u"lines"_s, QJsonArray{}}};
        ReplicaWriter writer(*m_db);
        QVERIFY(writer.upsertJson(u"orders"_s, row).ok());
        QCOMPARE(orders.order(id)->status, u"held"_s); // the same version: untouched
        row.insert(u"seq"_s, 41);                      // approved later by a manager
        QVERIFY(writer.upsertJson(u"orders"_s, row).ok());
        QCOMPARE(orders.order(id)->status, u"accepted"_s);
        QCOMPARE(orders.order(id)->seq, std::optional<qint64>(41));
    }

    void heldOutcomeKeepsReasons()
    {
        const QString id = draftWithTwoLines();
        OrderRepository orders(*m_db);
        QVERIFY(orders.submit(id, m_now).ok());
        ServerOutcome outcome;
        outcome.status = u"held"_s;
        outcome.holdReasons = {u"credit.limit_exceeded"_s, u"quantity.below_moq"_s};
        QVERIFY(orders.applyOutcome(id, outcome).ok());
        QCOMPARE(orders.order(id)->holdReasons, outcome.holdReasons);
    }

    void outcomeForUnknownLineChangesNothing()
    {
        const QString id = draftWithTwoLines();
        OrderRepository orders(*m_db);
        QVERIFY(orders.submit(id, m_now).ok());
        ServerOutcome outcome;
        outcome.status = u"accepted"_s;
        outcome.lines = {{1, u"accepted"_s, 2, 0, 2300, 4600, 920, 5520, u"tier"_s, {}},
                         {9, u"accepted"_s, 1, 0, 1, 1, 0, 1, u"list"_s, {}}};
        Status s = orders.applyOutcome(id, outcome);
        QCOMPARE(s.error().code, u"storage.outcome_unknown_line"_s);
        auto o = orders.order(id);
        QCOMPARE(o->status, u"queued"_s);
        QCOMPARE(o->lines[0].outcome, QString());
        QCOMPARE(orders.applyOutcome(id, ServerOutcome{u"maybe"_s}).error().code,
                 u"storage.invalid_outcome"_s);
    }

    void historyPerAccountNewestFirstWithoutDrafts()
    {
        OrderRepository orders(*m_db);
        const QString a = draftWithTwoLines();
        QVERIFY(orders.submit(a, m_now).ok());
        const QString b = draftWithTwoLines();
        QVERIFY(orders.submit(b, m_now.addSecs(3600)).ok());
        const QString open = draftWithTwoLines();
        auto history = orders.history(10, 10);
        QVERIFY(history.ok());
        QCOMPARE(history->size(), 2);
        QCOMPARE(history->at(0).id, b);
        QCOMPARE(history->at(1).id, a);
        QCOMPARE(orders.history(11, 10)->size(), 0);
        QVERIFY(orders.discardDraft(open).ok());
        QCOMPARE(scalar(*m_db, "SELECT count(*) FROM order_lines"), 4); // the draft's lines went too
        QCOMPARE(orders.discardDraft(a).error().code, u"storage.order_not_draft"_s);
    }

    // (issue C, orders) attention list, line counts, draft totals, retry of a failed order.
    void attentionListsRejectedAdjustedHeldFailed()
    {
        OrderRepository orders(*m_db);
        QStringList ids;
        for (int i = 0; i < 5; ++i) {
            ids << draftWithTwoLines();
            QVERIFY(orders.submit(ids.last(), m_now.addSecs(i)).ok());
        }
        QVERIFY(orders.applyOutcome(ids[0], ServerOutcome{u"accepted"_s}).ok());
        QVERIFY(orders.applyOutcome(ids[1], ServerOutcome{u"adjusted"_s}).ok());
        QVERIFY(orders.applyOutcome(ids[2], ServerOutcome{u"held"_s}).ok());
        QVERIFY(orders.markFailed(ids[3], Error::make(ErrorKind::Rejected, u"x.y"_s, u"No"_s)).ok());
        // ids[4] stays queued
        auto attention = orders.needingAttention(10);
        QVERIFY(attention.ok());
        QStringList got;
        for (const OrderRow &o : *attention)
            got << o.id;
        QCOMPARE(QSet<QString>(got.begin(), got.end()), (QSet<QString>{ids[1], ids[2], ids[3]}));
        QCOMPARE(*orders.countNeedingAttention(), 3);
        QCOMPARE(orders.needingAttention(0).error().code, u"storage.invalid_limit"_s);
    }

    void lineCountsPerOrder()
    {
        OrderRepository orders(*m_db);
        const QString a = draftWithTwoLines();
        auto counts = orders.lineCounts({a, u"nope"_s});
        QVERIFY(counts.ok());
        QCOMPARE(counts->value(a), 2);
        QVERIFY(!counts->contains(u"nope"_s));
    }

    void draftTotalsOnlyOnDrafts()
    {
        OrderRepository orders(*m_db);
        const QString id = draftWithTwoLines();
        QVERIFY(orders.setDraftTotals(id, 1000, 100, 180, 1080, m_now).ok());
        auto o = orders.order(id);
        QCOMPARE(o->grossMinor, 1000);
        QCOMPARE(o->discountMinor, 100);
        QCOMPARE(o->taxMinor, 180);
        QCOMPARE(o->totalMinor, 1080);
        QCOMPARE(orders.setDraftTotals(id, -1, 0, 0, 0, m_now).error().code, u"storage.invalid_price"_s);
        QVERIFY(orders.submit(id, m_now).ok());
        QCOMPARE(orders.setDraftTotals(id, 1, 1, 1, 1, m_now).error().code, u"storage.order_not_draft"_s);
        QCOMPARE(orders.order(id)->totalMinor, 1080);
    }

    void retryFailedRequeuesOrderAndOutboxItem()
    {
        OrderRepository orders(*m_db);
        OutboxRepository outbox(*m_db);
        const QString id = draftWithTwoLines();
        QCOMPARE(orders.retryFailed(id, m_now).error().code, u"storage.order_bad_state"_s); // a draft
        auto item = orders.submit(id, m_now);
        QVERIFY(item.ok());
        QCOMPARE(orders.retryFailed(id, m_now).error().code, u"storage.order_bad_state"_s); // queued
        const Error e = Error::make(ErrorKind::Rejected, u"account.closed"_s, u"Closed"_s);
        QVERIFY(outbox.markFailed(item->id, e, std::nullopt).ok());
        QVERIFY(orders.markFailed(id, e).ok());
        QVERIFY(orders.retryFailed(id, m_now.addSecs(60)).ok());
        auto o = orders.order(id);
        QCOMPARE(o->status, u"queued"_s);
        QCOMPARE(o->errorCode, QString());
        QCOMPARE(outbox.item(item->id)->state, OutboxItem::State::Pending);
        QCOMPARE(outbox.item(item->id)->commandId, item->commandId); // same idempotency key
        QCOMPARE(orders.retryFailed(u"nope"_s, m_now).error().code, u"storage.order_not_found"_s);
    }
};

QTEST_GUILESS_MAIN(TestStorageOrders)
#include "tst_storage_orders.moc"
