// The device sync engine against the real outpost-server on loopback: sign in, bootstrap the tiny
// seed and compare the replica with the server row by row (counts and checksums per table), pull
// an imported price change, a replica that drifted repaired partition by partition, push orders
// and see their outcomes, a failed command does not block
// the next, an expired access token is refreshed, and device clocks off by days change nothing.
#include "storage/database.h"
#include "storage/meta_repository.h"
#include "storage/order_repository.h"
#include "storage/outbox_repository.h"
#include "storage/replica_writer.h"
#include "storage/sync_state_repository.h"
#include "sync/session.h"
#include "sync/sync_engine.h"
#include "sync/sync_run.h"
#include "tests/support/testserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace outpost;
using namespace outpost::sync;
using outpost::test::TestServer;

namespace {

struct Device
{
    QString path;
    std::unique_ptr<storage::Database> db;
    std::unique_ptr<ApiSession> api;
    Clock clock;

    static std::unique_ptr<Device> open(const QString &path, std::chrono::seconds offset = {})
    {
        auto d = std::make_unique<Device>();
        d->path = path;
        auto db = openReplica(path);
        if (!db)
            return nullptr;
        d->db = std::move(*db);
        d->api = std::make_unique<ApiSession>(*d->db);
        d->clock.offset = offset;
        return d;
    }
    Result<QJsonObject> login(const TestServer &server, const QString &user = u"rep1"_s)
    {
        return api->login(LoginInput{server.url(), u"demo"_s, user, u"demo"_s, {}});
    }
    Result<SyncReport> sync(const SyncOptions &options = {})
    {
        SyncContext ctx{*db, *api, path, clock, {}, {}};
        return runSync(ctx, options);
    }
    // An order made on the device: draft, lines, submit (outbox row in the same transaction).
    QString order(qint64 accountId, const QList<std::pair<qint64, qint64>> &lines)
    {
        storage::OrderRepository orders(*db);
        auto id = orders.createDraft(accountId, 0, u"GBP"_s, clock.now());
        if (!id)
            return {};
        for (const auto &[product, qty] : lines) {
            if (!orders.addLine(*id, product, qty, 0, std::nullopt, clock.now()))
                return {};
        }
        return orders.submit(*id, clock.now()) ? *id : QString();
    }
};

// QVERIFY2 evaluates its message even on success: only ask a failed result for its error.
#define VERIFY_OK(result)                                                                                    \
    QVERIFY2(bool(result), bool(result) ? "" : qPrintable((result).error().code + u": "_s + (result).error().detail))

// Per table: count and checksum of what the server's change feed gives this user.
QHash<QString, storage::TableChecksum> serverState(const TestServer &server, const QByteArray &token, qint64 *upto)
{
    QHash<QString, storage::TableChecksum> out;
    qint64 since = 0;
    for (;;) {
        const auto r = server.get(u"/v1/changes?since=%1&limit=10000"_s.arg(since), token);
        if (r.status != 200)
            return {};
        const QJsonObject tables = r.json.value(u"tables"_s).toObject();
        for (auto it = tables.constBegin(); it != tables.constEnd(); ++it) {
            for (const QJsonValue &v : it.value().toArray()) {
                const QJsonObject row = v.toObject();
                qint64 k1 = row.value(u"id"_s).toInteger(), k2 = 0;
                if (it.key() == u"account_reps"_s) {
                    k1 = row.value(u"accountId"_s).toInteger();
                    k2 = row.value(u"userId"_s).toInteger();
                } else if (it.key() == u"orders"_s) {
                    k1 = 0;
                }
                storage::TableChecksum &c = out[it.key()];
                c.count += 1;
                c.sum += (k1 * 1000003 + k2 * 7919 + row.value(u"seq"_s).toInteger() * 104729) % 2147483647;
            }
        }
        since = r.json.value(u"upto"_s).toInteger();
        if (!r.json.value(u"more"_s).toBool())
            break;
    }
    *upto = since;
    return out;
}

bool serverHasCommands(const TestServer &server, const QByteArray &token)
{
    return server.post(u"/v1/commands"_s, QJsonObject{{u"commands"_s, QJsonArray()}}, token).status != 404;
}

} // namespace

class TstSyncEngine : public QObject
{
    Q_OBJECT

    TestServer m_server;
    QTemporaryDir m_dir;
    QByteArray m_token;

    void compareWithServer(Device &d)
    {
        qint64 upto = 0;
        const auto server = serverState(m_server, m_token, &upto);
        QVERIFY(!server.isEmpty());
        storage::ReplicaWriter writer(*d.db);
        for (const QString &p : storage::syncPartitions()) {
            for (const QString &t : storage::checksumTables(p)) {
                auto local = writer.checksum(t, upto);
                VERIFY_OK(local);
                const storage::TableChecksum expected = server.value(t);
                QVERIFY2(*local == expected, qPrintable(u"%1: local %2/%3, server %4/%5"_s.arg(t)
                                                            .arg(local->count)
                                                            .arg(local->sum)
                                                            .arg(expected.count)
                                                            .arg(expected.sum)));
            }
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_server.seed());
        QVERIFY(m_server.start());
        m_token = m_server.login(u"demo"_s, u"rep1"_s);
        QVERIFY(!m_token.isEmpty());
    }

    void loginStoresSessionNotPassword()
    {
        auto d = Device::open(m_dir.filePath(u"login.db"_s));
        QVERIFY(d);
        auto r = d->login(m_server);
        VERIFY_OK(r);
        QCOMPARE(d->api->role(), u"rep"_s);
        auto st = d->db->prepare("SELECT count(*) FROM replica_meta WHERE value LIKE '%demo%' AND key <> 'session.tenant'");
        QVERIFY(st && st->step().valueOr(false));
        QCOMPARE(st->int64(0), 0); // the password "demo" is nowhere but the tenant code
    }

    void wrongPasswordIsPermanentError()
    {
        auto d = Device::open(m_dir.filePath(u"badlogin.db"_s));
        auto r = d->api->login(LoginInput{m_server.url(), u"demo"_s, u"rep1"_s, u"wrong"_s, {}});
        QVERIFY(!r);
        QCOMPARE(r.error().code, u"auth.invalid_credentials"_s);
        QVERIFY(!r.error().isTransient());
    }

    void syncWithoutLoginSaysSo()
    {
        auto d = Device::open(m_dir.filePath(u"nologin.db"_s));
        auto r = d->sync();
        QVERIFY(!r);
        QCOMPARE(r.error().code, u"auth.not_signed_in"_s);
    }

    void bootstrapMatchesServer()
    {
        auto d = Device::open(m_dir.filePath(u"boot.db"_s));
        QVERIFY(d->login(m_server));
        auto r = d->sync();
        VERIFY_OK(r);
        QVERIFY(r->complete);
        QVERIFY(r->bootstrap.rows > 0);
        compareWithServer(*d);
        // A second sync has nothing to do.
        auto again = d->sync();
        QVERIFY(again);
        QCOMPARE(again->bootstrap.rows, 0);
        QCOMPARE(again->pull.rows, 0);
    }

    // A replica that drifted from the server (a row lost, a row from another version) is found by
    // the checksums of the next sync and only that partition is downloaded again.
    void divergedPartitionIsRepairedAlone_data()
    {
        QTest::addColumn<QByteArray>("damage");
        QTest::newRow("rowLost") << QByteArray("DELETE FROM price_list_entries WHERE id = (SELECT min(id) FROM "
                                               "price_list_entries)");
        QTest::newRow("rowFromAnotherVersion")
            << QByteArray("UPDATE price_list_entries SET seq = seq - 1 WHERE id = (SELECT max(id) FROM "
                          "price_list_entries)");
    }

    void divergedPartitionIsRepairedAlone()
    {
        QFETCH(QByteArray, damage);
        auto d = Device::open(m_dir.filePath(u"diverged-%1.db"_s.arg(QString::fromLatin1(QTest::currentDataTag()))));
        QVERIFY(d->login(m_server));
        auto first = d->sync();
        VERIFY_OK(first);
        QVERIFY(first->verify.comparable && first->verify.mismatched.isEmpty());
        auto count = [&](const char *table) {
            auto st = d->db->prepare((std::string("SELECT count(*) FROM ") + table).c_str());
            return st && st->step().valueOr(false) ? st->int64(0) : qint64(-1);
        };
        const qint64 prices = count("price_list_entries");
        QVERIFY(d->db->exec(damage.constData()));

        auto r = d->sync();
        VERIFY_OK(r);
        QCOMPARE(r->repaired, QStringList{u"prices"_s});
        QCOMPARE(r->verify.mismatched, QStringList());
        QVERIFY(r->bootstrap.rows > 0);
        QVERIFY(r->bootstrap.rows < first->bootstrap.rows); // prices only, not the whole replica
        QCOMPARE(count("price_list_entries"), prices);
        compareWithServer(*d);
    }

    void unreachableServerIsOffline()
    {
        auto d = Device::open(m_dir.filePath(u"offline.db"_s));
        QVERIFY(d->login(m_server));
        QVERIFY(storage::MetaRepository(*d->db).setValue(u"server.url"_s, u"http://127.0.0.1:1"_s));
        auto r = d->sync();
        QVERIFY(!r);
        QCOMPARE(int(r.error().kind), int(ErrorKind::Offline));
        QVERIFY(r.error().isTransient());
    }

    void incrementalPullsImportedPriceChange()
    {
        auto d = Device::open(m_dir.filePath(u"incr.db"_s));
        QVERIFY(d->login(m_server));
        QVERIFY(d->sync());
        const QString csv = m_dir.filePath(u"prices.csv"_s);
        QFile f(csv);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("price_list,sku,price,min_qty\nG01,SKU-0000001,81.23,1\nG01,SKU-0000002,12.34,1\n");
        f.close();
        QByteArray out;
        QCOMPARE(m_server.runCommand({u"import"_s, u"--tenant"_s, u"demo"_s, u"--kind"_s, u"prices"_s, csv}, &out), 0);
        auto r = d->sync();
        VERIFY_OK(r);
        QCOMPARE(r->bootstrap.rows, 0); // incremental, not a new snapshot
        QVERIFY(r->pull.rows >= 2);
        auto st = d->db->prepare("SELECT e.unit_price_minor FROM price_list_entries e JOIN products p ON p.id = "
                                 "e.product_id JOIN price_lists l ON l.id = e.price_list_id WHERE p.sku = "
                                 "'SKU-0000001' AND l.code = 'G01' AND e.min_qty = 1");
        QVERIFY(st && st->step().valueOr(false));
        QCOMPARE(st->int64(0), 8123);
        st->reset();
        compareWithServer(*d);
    }

    void pushedOrderGetsOutcome()
    {
        if (!serverHasCommands(m_server, m_token))
            QSKIP("server has no POST /v1/commands yet");
        auto d = Device::open(m_dir.filePath(u"push.db"_s));
        QVERIFY(d->login(m_server));
        QVERIFY(d->sync());
        const QString id = d->order(1, {{1, 2}, {2, 1}});
        QVERIFY(!id.isEmpty());
        auto r = d->sync();
        VERIFY_OK(r);
        QVERIFY(r->complete);
        QCOMPARE(r->push.done, 1);
        auto o = storage::OrderRepository(*d->db).order(id);
        QVERIFY(o);
        QVERIFY2(QStringList({u"accepted"_s, u"adjusted"_s, u"held"_s, u"rejected"_s}).contains(o->status),
                 qPrintable(o->status));
        QVERIFY(!o->orderNumber.isEmpty());
        QCOMPARE(*storage::OutboxRepository(*d->db).pendingCount(), 0);
        const auto server = m_server.get(u"/v1/orders/"_s + id, m_token);
        QCOMPARE(server.status, 200);
        compareWithServer(*d);
    }

    void failedCommandDoesNotBlockNext()
    {
        if (!serverHasCommands(m_server, m_token))
            QSKIP("server has no POST /v1/commands yet");
        auto d = Device::open(m_dir.filePath(u"failed.db"_s));
        QVERIFY(d->login(m_server));
        QVERIFY(d->sync());
        // An order for an account the server does not know, queued before a good one.
        storage::OutboxRepository outbox(*d->db);
        const QJsonObject bad{{u"orderId"_s, u"0b0b0b0b-0000-4000-8000-000000000001"_s},
                              {u"accountId"_s, 999999},
                              {u"lines"_s, QJsonArray{QJsonObject{{u"lineNo"_s, 1}, {u"productId"_s, 1},
                                                                  {u"quantity"_s, 1}, {u"discountBp"_s, 0}}}}};
        auto badItem = outbox.enqueue(u"order.submit"_s, u"0b0b0b0b-0000-4000-8000-000000000001"_s,
                                      QJsonDocument(bad).toJson(QJsonDocument::Compact), d->clock.now());
        QVERIFY(badItem);
        const QString good = d->order(1, {{3, 1}});
        QVERIFY(!good.isEmpty());
        auto r = d->sync();
        VERIFY_OK(r);
        QVERIFY(r->complete);
        QCOMPARE(r->push.failed, 1);
        QCOMPARE(r->push.done, 1);
        auto failed = outbox.failedItems();
        QVERIFY(failed);
        QCOMPARE(failed->size(), 1);
        QCOMPARE(failed->first().commandId, badItem->commandId);
        QVERIFY(!failed->first().lastErrorCode.isEmpty());
        QVERIFY(QStringList({u"accepted"_s, u"adjusted"_s, u"held"_s, u"rejected"_s})
                    .contains(storage::OrderRepository(*d->db).order(good)->status));
    }

    void expiredTokenIsRefreshed()
    {
        TestServer shortLived;
        QVERIFY(shortLived.seed());
        QVERIFY(shortLived.start({u"--access-ttl"_s, u"1"_s}));
        auto d = Device::open(m_dir.filePath(u"refresh.db"_s));
        QVERIFY(d->login(shortLived));
        QTest::qWait(1500); // the access token is past its 1 s life
        auto r = d->sync();
        VERIFY_OK(r);
        QVERIFY(r->complete);
        QVERIFY(d->api->refreshCount() >= 1);
    }

    // The sync engine and the attachment uploader each have an ApiSession on the same replica
    // (two connections). The server rotates refresh tokens and ends the device's sessions when a
    // rotated one is presented again, so the second session to find its access token expired must
    // take the tokens the first one stored instead of refreshing with its stale copy.
    void twoSessionsOnOneReplicaShareOneRefresh()
    {
        TestServer shortLived;
        QVERIFY(shortLived.seed());
        QVERIFY(shortLived.start({u"--access-ttl"_s, u"1"_s}));
        const QString path = m_dir.filePath(u"two-sessions.db"_s);
        auto d = Device::open(path);
        QVERIFY(d->login(shortLived));
        auto otherDb = storage::Database::open(path);
        QVERIFY(otherDb);
        ApiSession other(**otherDb);
        QVERIFY(other.load());
        QTest::qWait(1500); // both sessions hold the same expired access token
        auto first = d->api->call("GET", u"/v1/me"_s);
        VERIFY_OK(first);
        QCOMPARE(d->api->refreshCount(), 1);
        auto second = other.call("GET", u"/v1/me"_s);
        VERIFY_OK(second);
        QCOMPARE(other.refreshCount(), 0); // took the stored tokens: no second refresh
        auto again = d->api->call("GET", u"/v1/me"_s);
        VERIFY_OK(again); // the device is still signed in
    }

    // The server rotated the refresh token but its answer never reached the device (killed, or
    // the connection dropped): the device's access token now belongs to an ended session. The
    // next sync refreshes with the token it has and carries on; no sign-in.
    void lostRefreshAnswerDoesNotSignTheDeviceOut()
    {
        const QString path = m_dir.filePath(u"lost-refresh.db"_s);
        auto d = Device::open(path);
        QVERIFY(d->login(m_server));
        const QString refresh = storage::MetaRepository(*d->db).valueOr(storage::meta::kRefresh);
        QVERIFY(!refresh.isEmpty());
        const test::HttpReply lost = m_server.post(u"/v1/auth/refresh"_s, {{u"refreshToken"_s, refresh}});
        QCOMPARE(lost.status, 200); // rotated on the server; the device never hears of it
        auto r = d->sync();
        VERIFY_OK(r);
        QVERIFY(r->complete);
        QCOMPARE(d->api->refreshCount(), 1);
        QVERIFY(storage::MetaRepository(*d->db).valueOr(storage::meta::kRefresh) != refresh);
        // The lost pair nobody holds is revoked when the device's own pair is refreshed next.
        VERIFY_OK(d->api->refresh());
        const QByteArray lostAccess = lost.json.value(u"accessToken"_s).toString().toLatin1();
        QCOMPARE(m_server.get(u"/v1/me"_s, lostAccess).status, 401);
        VERIFY_OK(d->api->call("GET", u"/v1/me"_s));
    }

    void clockOffByDaysChangesNothing_data()
    {
        QTest::addColumn<qint64>("offsetDays");
        QTest::newRow("fiveDaysAhead") << qint64(5);
        QTest::newRow("fiveDaysBehind") << qint64(-5);
        QTest::newRow("yearBehind") << qint64(-365);
    }

    void clockOffByDaysChangesNothing()
    {
        QFETCH(qint64, offsetDays);
        auto d = Device::open(m_dir.filePath(u"clock%1.db"_s.arg(offsetDays)), std::chrono::seconds(offsetDays * 86400));
        QVERIFY(d->login(m_server));
        auto r = d->sync();
        VERIFY_OK(r);
        QVERIFY(r->complete);
        compareWithServer(*d);
        if (!serverHasCommands(m_server, m_token))
            return;
        const QString id = d->order(1, {{4, 1}});
        QVERIFY(!id.isEmpty());
        auto pushed = d->sync();
        VERIFY_OK(pushed);
        QVERIFY(pushed->complete);
        QCOMPARE(pushed->push.done, 1);
        QVERIFY(!storage::OrderRepository(*d->db).order(id)->orderNumber.isEmpty());
    }

    void engineObjectReportsState()
    {
        const QString path = m_dir.filePath(u"engine.db"_s);
        {
            auto d = Device::open(path);
            QVERIFY(d->login(m_server));
        }
        SyncEngine engine(path);
        QSignalSpy finished(&engine, &SyncEngine::finished);
        QSignalSpy states(&engine, &SyncEngine::stateChanged);
        QSignalSpy success(&engine, &SyncEngine::lastSuccessChanged);
        engine.syncNow();
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().first().toBool(), true);
        QCOMPARE(engine.state(), SyncEngine::State::Idle);
        QVERIFY(engine.online());
        QVERIFY(engine.lastError().isEmpty());
        QVERIFY(engine.lastSuccess().isValid());
        QVERIFY(states.size() >= 2); // busy, then idle
        QCOMPARE(success.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TstSyncEngine)
#include "tst_sync_engine.moc"
