// SessionController against the real server: restore offline, sign-in error codes, sign-out refused
// while commands are pending and allowed after export, import on a fresh replica delivered once;
// the partitions model under QAbstractItemModelTester.
#include "app/session_controller.h"
#include "storage/account_repository.h"
#include "storage/catalog_repository.h"
#include "storage/database.h"
#include "storage/meta_repository.h"
#include "storage/order_repository.h"
#include "sync/sync_engine.h"
#include "tests/app/app_fixture.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace outpost;

class TstAppSession : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void restoreWorksWithTheServerStopped();
    void signInErrorsByCode_data();
    void signInErrorsByCode();
    void partitionsShowFreshness();
    void signOutRefusedWithPendingThenAllowedAfterExport();
    void importOnSecondReplicaDeliversEachOnce();
    void badImportFileChangesNothing();
    void exportLogsWritesLines();

private:
    QString submitOrder(int productOffset);
    int serverOrderCount();
    test::AppFixture m_fx;
    QTemporaryDir m_files;
};

void TstAppSession::initTestCase()
{
    QVERIFY(m_fx.setUp());
}

QString TstAppSession::submitOrder(int productOffset)
{
    storage::Database &db = m_fx.app().db();
    auto accounts = storage::AccountRepository(db).search({}, 1);
    auto products = storage::CatalogRepository(db).searchProducts({}, 0, 1, productOffset);
    if (!accounts || accounts->isEmpty() || !products || products->isEmpty())
        return {};
    storage::OrderRepository orders(db);
    const QDateTime now = m_fx.app().now();
    auto existing = orders.draftFor(accounts->first().id);
    if (existing && !existing->isEmpty())
        (void)orders.discardDraft(*existing);
    auto id = orders.createDraft(accounts->first().id, 0, u"GBP"_s, now);
    if (!id || !orders.addLine(*id, products->first().id, products->first().moq, 0, std::nullopt, now))
        return {};
    if (!orders.submit(*id, now))
        return {};
    m_fx.app().notifyLocalChange();
    return *id;
}

int TstAppSession::serverOrderCount()
{
    const test::HttpReply r = m_fx.server().get(u"/v1/orders?limit=500"_s, m_fx.serverToken());
    return r.status == 200 ? int(r.json.value(u"orders"_s).toArray().size()) : -1;
}

void TstAppSession::restoreWorksWithTheServerStopped()
{
    const QString listen = u"127.0.0.1:%1"_s.arg(m_fx.server().url().port());
    m_fx.server().stop();
    QVERIFY(m_fx.restartApp());
    app::SessionController *s = m_fx.app().session();
    QSignalSpy changed(s, &app::SessionController::sessionChanged);
    QVERIFY(s->restore());
    QVERIFY(s->signedIn());
    QCOMPARE(s->userName(), u"rep1"_s);
    QCOMPARE(s->role(), u"rep"_s);
    QVERIFY(!s->kioskMode());
    QVERIFY(s->hasData());
    QCOMPARE(changed.size(), 1);
    // A sync now fails as offline, and the session stays.
    QVERIFY(!m_fx.syncNow());
    QCOMPARE(s->syncErrorCode(), u"net.offline"_s);
    QVERIFY(s->syncErrorTransient());
    QVERIFY(s->signedIn());
    QVERIFY(m_fx.server().start({u"--listen"_s, listen})); // back on the address the replica knows
    QVERIFY(m_fx.syncNow());
    QVERIFY(s->syncErrorCode().isEmpty());
}

void TstAppSession::signInErrorsByCode_data()
{
    QTest::addColumn<bool>("reachable");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("text");
    QTest::newRow("wrongPassword") << true << u"wrong"_s << u"auth.invalid_credentials"_s
                                   << u"Wrong user name or password"_s;
    QTest::newRow("serverUnreachable") << false << u"demo"_s << u"net.offline"_s << u"Cannot reach the server"_s;
    QTest::newRow("emptyPassword") << true << u""_s << u"sync.missing_credentials"_s
                                   << u"Enter the company, user name and password"_s;
}

void TstAppSession::signInErrorsByCode()
{
    QFETCH(bool, reachable);
    QFETCH(QString, password);
    QFETCH(QString, code);
    QFETCH(QString, text);
    app::SessionController *s = m_fx.app().session();
    QUrl server = m_fx.server().url();
    if (!reachable)
        server.setPort(1); // nothing listens there
    QSignalSpy busy(s, &app::SessionController::busyChanged);
    s->signIn(server, u"demo"_s, u"rep1"_s, password);
    QVERIFY(s->busy());
    QVERIFY(busy.wait(30000) || !s->busy());
    QVERIFY(!s->busy());
    QCOMPARE(s->errorCode(), code);
    QCOMPARE(s->errorText(), text);
    QVERIFY(s->signedIn()); // the stored session is untouched
}

void TstAppSession::partitionsShowFreshness()
{
    app::SessionController *s = m_fx.app().session();
    QAbstractItemModelTester tester(s->partitions(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    QVERIFY(m_fx.syncNow());
    QAbstractItemModel *m = s->partitions();
    QVERIFY(m->rowCount() >= 3);
    const QHash<int, QByteArray> roles = m->roleNames();
    QStringList names;
    for (int i = 0; i < m->rowCount(); ++i) {
        names << m->data(m->index(i, 0), roles.key("partition")).toString();
        QVERIFY(m->data(m->index(i, 0), roles.key("lastSuccess")).toDateTime().isValid());
        QCOMPARE(m->data(m->index(i, 0), roles.key("age")).toString(), u"just now"_s);
    }
    QVERIFY(names.contains(u"catalog"_s));
    QVERIFY(!s->lastSuccessText().isEmpty());
    QCOMPARE(s->syncState(), u"idle"_s);
}

void TstAppSession::signOutRefusedWithPendingThenAllowedAfterExport()
{
    app::SessionController *s = m_fx.app().session();
    QVERIFY(!submitOrder(0).isEmpty());
    QVERIFY(!submitOrder(1).isEmpty());
    QCOMPARE(s->pendingCount(), 2);
    QSignalSpy out(s, &app::SessionController::signedOut);
    QVERIFY(!s->signOut());
    QCOMPARE(s->errorCode(), u"session.pending_commands"_s);
    QVERIFY(!s->signOut(true)); // "after export" without an export
    QCOMPARE(s->errorCode(), u"session.pending_commands"_s);

    const QString file = m_files.filePath(u"pending.json"_s);
    QVERIFY(s->exportPending(QUrl::fromLocalFile(file)));
    QVERIFY(QFile::exists(file));
    // A capture after the export is not in the file: refused again until exported again.
    QVERIFY(!submitOrder(2).isEmpty());
    QVERIFY(!s->signOut(true));
    QVERIFY(s->exportPending(QUrl::fromLocalFile(file)));
    QVERIFY(s->signOut(true));
    QCOMPARE(out.size(), 1);
    QVERIFY(!s->signedIn());
    QVERIFY(!QFile::exists(m_fx.app().replicaPath()));
}

void TstAppSession::importOnSecondReplicaDeliversEachOnce()
{
    // The rep's next device: a fresh replica, signed in, then the export imported.
    QVERIFY(m_fx.restartApp());
    app::SessionController *s = m_fx.app().session();
    QVERIFY(!s->restore());
    QVERIFY(!s->signedIn());
    const int before = serverOrderCount();
    QVERIFY(before >= 0);
    QVERIFY(s->signInBlocking(m_fx.server().url(), u"demo"_s, u"rep1"_s, u"demo"_s));
    QVERIFY(s->signedIn());
    QVERIFY(m_fx.syncNow());
    QVERIFY(s->hasData());
    const QUrl file = QUrl::fromLocalFile(m_files.filePath(u"pending.json"_s));
    QCOMPARE(s->importPending(file), 3);
    QCOMPARE(s->pendingCount(), 3);
    QCOMPARE(s->importPending(file), 0); // same command ids: skipped
    QVERIFY(m_fx.syncNow());
    QCOMPARE(s->pendingCount(), 0);
    QCOMPARE(serverOrderCount(), before + 3);
    // Another pass sends nothing again: still three more orders on the server.
    QVERIFY(m_fx.syncNow());
    QCOMPARE(serverOrderCount(), before + 3);
}

void TstAppSession::badImportFileChangesNothing()
{
    app::SessionController *s = m_fx.app().session();
    const QString file = m_files.filePath(u"bad.json"_s);
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"commands":[{"commandId":"x","kind":"order.submit","payload":{}},{"kind":"order.submit"}]})");
    f.close();
    const int pending = s->pendingCount();
    QCOMPARE(s->importPending(QUrl::fromLocalFile(file)), -1);
    QCOMPARE(s->errorCode(), u"sync.bad_export_file"_s);
    QCOMPARE(s->importPending(QUrl::fromLocalFile(m_files.filePath(u"missing.json"_s))), -1);
    QCOMPARE(s->errorCode(), u"session.import_unreadable"_s);
    m_fx.app().engine().refreshCounts();
    QCOMPARE(s->pendingCount(), pending);
}

void TstAppSession::exportLogsWritesLines()
{
    app::SessionController *s = m_fx.app().session();
    const QString file = m_files.filePath(u"logs.txt"_s);
    QVERIFY(s->exportLogs(QUrl::fromLocalFile(file)));
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray text = f.readAll();
    QVERIFY(text.contains("outpost.app"));
    QVERIFY(!text.contains("\"demo\"")); // no password
}

QTEST_MAIN(TstAppSession)
#include "tst_app_session.moc"
