// The whole UI: the `outpost` executable's self-test (passes on the real screens, fails on a QML
// warning), the screenshot tour, and the end-to-end offline order: sign in and sync, lose the
// server, capture an order through the order pad, restart the app, bring the server back on the
// same port and see the server's outcome on the order.
#include "app/app_context.h"
#include "app/accounts_controller.h"
#include "app/catalog_controller.h"
#include "app/order_controller.h"
#include "app/orders_controller.h"
#include "app/session_controller.h"
#include "app/ui_driver.h"
#include "tests/support/testserver.h"

#include <QAbstractItemModel>
#include <QDir>
#include <QImage>
#include <QProcess>
#include <QQmlEngineExtensionPlugin>
#include <QQuickItem>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

Q_IMPORT_QML_PLUGIN(Outpost_AppPlugin)
Q_IMPORT_QML_PLUGIN(Outpost_UiPlugin)

using namespace Qt::Literals::StringLiterals;
using namespace outpost;

namespace {

QVariant modelValue(QAbstractItemModel *model, int row, const QByteArray &roleName)
{
    const int role = model->roleNames().key(roleName, -1);
    if (role < 0 || row >= model->rowCount())
        return {};
    return model->data(model->index(row, 0), role);
}

// Runs the built `outpost` with args; returns the exit code (-1: crashed or timed out).
int runApp(const QStringList &args, QByteArray *output, const QHash<QString, QString> &env = {})
{
    QProcess p;
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    e.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    for (auto it = env.cbegin(); it != env.cend(); ++it)
        e.insert(it.key(), it.value());
    p.setProcessEnvironment(e);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral(OUTPOST_APP_EXE), args);
    if (!p.waitForStarted() || !p.waitForFinished(400000)) {
        p.kill();
        p.waitForFinished();
        *output = p.readAll() + "\n(timed out)";
        return -1;
    }
    *output = p.readAll();
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

bool anyItemShowsText(QQuickItem *item, const QString &text)
{
    if (!item || !item->isVisible())
        return false;
    if (item->property("text").toString() == text)
        return true;
    const auto children = item->childItems();
    return std::any_of(children.cbegin(), children.cend(), [&](QQuickItem *c) { return anyItemShowsText(c, text); });
}

} // namespace

class TestAppUi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void selfTestPasses();
    void selfTestFailsOnWarning();
    void tourWritesEveryScreen();
    void endToEndOfflineOrder();

private:
    QStringList credentials() const
    {
        return {u"--server"_s, m_server.url().toString(), u"--user"_s, u"rep1"_s, u"--password"_s, u"demo"_s};
    }
    test::TestServer m_server;
};

void TestAppUi::initTestCase()
{
    QVERIFY(m_server.seed(u"tiny"_s));
    QVERIFY(m_server.start());
}

void TestAppUi::selfTestPasses()
{
    QByteArray output;
    const int rc = runApp(QStringList{u"--self-test"_s} << credentials(), &output);
    if (rc != 0)
        qWarning("%s", output.constData());
    QCOMPARE(rc, 0);
    QVERIFY2(output.contains("self-test: ok"), output.constData());
    QVERIFY2(output.contains("ok  orderDetailPage"), output.constData()); // it visited the pushed pages
}

void TestAppUi::selfTestFailsOnWarning()
{
    QByteArray output;
    const int rc = runApp({u"--self-test"_s}, &output, {{u"OUTPOST_SELFTEST_INJECT_WARNING"_s, u"1"_s}});
    QCOMPARE(rc, 1);
    QVERIFY2(output.contains("QML: ") && output.contains("deliberateWarning"), output.constData());
    // The same run without the injected warning (signed out: the sign-in page) passes.
    QCOMPARE(runApp({u"--self-test"_s}, &output), 0);
}

void TestAppUi::tourWritesEveryScreen()
{
    QTemporaryDir dir;
    QByteArray output;
    const int rc = runApp(QStringList{u"--screenshot-tour"_s, dir.path()} << credentials(), &output);
    if (rc != 0)
        qWarning("%s", output.constData());
    QCOMPARE(rc, 0);
    const QStringList expected{u"01-today"_s, u"02-accounts"_s, u"03-account"_s, u"04-catalog"_s,
                               u"05-product"_s, u"06-order"_s, u"06b-signature"_s, u"06c-attachments"_s, u"06d-photo"_s,
                               u"07-orders"_s, u"08-order-detail"_s,
                               u"09-conflicts"_s, u"10-settings"_s, u"11-kiosk"_s};
    for (const QString &name : expected) {
        const QString path = dir.filePath(name + u".png"_s);
        QVERIFY2(QFileInfo::exists(path), qPrintable(path));
        QVERIFY2(QFileInfo(path).size() > 4000, qPrintable(name + u": too small"_s));
        const QImage image(path);
        QCOMPARE(image.size(), QSize(1280, 800));
        QSet<QRgb> colours;
        for (int y = 0; y < image.height() && colours.size() < 16; y += 7)
            for (int x = 0; x < image.width() && colours.size() < 16; x += 7)
                colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() >= 16, qPrintable(name + u": nearly one colour"_s));
    }
    QCOMPARE(QDir(dir.path()).entryList({u"*.png"_s}).size(), expected.size());
}

void TestAppUi::endToEndOfflineOrder()
{
    test::TestServer server;
    QVERIFY(server.seed(u"tiny"_s));
    QVERIFY(server.start());
    const int port = server.url().port();
    QTemporaryDir data;
    app::AppConfig config;
    config.dataDir = data.path();
    config.defaultServer = server.url();
    config.autoSync = false;
    const app::Credentials rep{server.url(), u"demo"_s, u"rep1"_s, u"demo"_s};
    QString orderId;
    {
        auto context = app::AppContext::create(config);
        QVERIFY(context);
        app::AppContext &app = **context;
        QVERIFY(!app.session()->restore());
        const Status signedIn = app::signInAndSync(app, rep);
        QVERIFY2(signedIn, signedIn ? "" : qPrintable(signedIn.error().code));
        app::UiDriver ui(app);
        QVERIFY(ui.load());
        QVERIFY(ui.waitForItem(u"todayPage"_s));

        server.stop(); // the rep walks into a basement storeroom
        QVERIFY(!app::syncAndWait(app));

        const qint64 accountId = modelValue(app.accounts()->results(), 0, "accountId").toLongLong();
        QAbstractItemModel *products = app.catalog()->products();
        const QString sku = modelValue(products, 0, "sku").toString();
        const qint64 pack = std::max<qint64>(1, modelValue(products, 0, "casePack").toLongLong());
        const qint64 moq = std::max<qint64>(1, modelValue(products, 0, "moq").toLongLong());
        const qint64 quantity = (moq + pack - 1) / pack * pack;
        QVERIFY(accountId > 0);
        QVERIFY(!sku.isEmpty());

        QVERIFY(ui.showPage("openOrder", accountId, u"orderPage"_s));
        QVERIFY(ui.typeText(u"orderPadSku"_s, sku));
        QVERIFY(ui.pressKey(u"orderPadSku"_s, Qt::Key_Tab));
        QTRY_VERIFY(ui.findItem(u"orderPadQty"_s)->hasActiveFocus()); // Tab moves SKU -> quantity
        QVERIFY(ui.typeText(u"orderPadQty"_s, QString::number(quantity)));
        QVERIFY(ui.pressKey(u"orderPadQty"_s, Qt::Key_Return));
        QTRY_COMPARE(app.order()->lineCount(), 1);
        QCOMPARE(app.order()->errorCount(), 0);
        orderId = app.order()->orderId();
        QVERIFY(app.order()->canSubmit());
        QVERIFY(ui.click(u"submitOrderButton"_s));
        QTRY_COMPARE(app.session()->pendingCount(), 1);
        QCOMPARE(modelValue(app.orders()->recent(), 0, "orderId").toString(), orderId);
        QCOMPARE(modelValue(app.orders()->recent(), 0, "statusText").toString(), u"Waiting to send"_s);
        QVERIFY(ui.showPage("go", u"today"_s, u"todayPage"_s));
        QVERIFY(ui.waitForItem(u"recentOrder_"_s + orderId));
    } // the app is closed (a restart)

    QVERIFY(server.start({u"--listen"_s, u"127.0.0.1:%1"_s.arg(port)}));
    QCOMPARE(server.url().port(), port);
    {
        auto context = app::AppContext::create(config);
        QVERIFY(context);
        app::AppContext &app = **context;
        QVERIFY(app.session()->restore()); // opens with the stored session, no sign-in
        app::UiDriver ui(app);
        QVERIFY(ui.load());
        QVERIFY(ui.waitForItem(u"todayPage"_s));
        QCOMPARE(app.session()->pendingCount(), 1); // the order survived the restart
        const QStringList decided{u"accepted"_s, u"adjusted"_s, u"held"_s, u"rejected"_s};
        for (int pass = 0; pass < 3 && !decided.contains(modelValue(app.orders()->recent(), 0, "status").toString());
             ++pass)
            QVERIFY(app::syncAndWait(app));
        QCOMPARE(modelValue(app.orders()->recent(), 0, "orderId").toString(), orderId);
        const QString status = modelValue(app.orders()->recent(), 0, "status").toString();
        QVERIFY2(decided.contains(status), qPrintable(status));
        QCOMPARE(app.session()->pendingCount(), 0);

        QVERIFY(ui.showPage("openOrderDetail", orderId, u"orderDetailPage"_s));
        QCOMPARE(app.orders()->status(), status);
        QVERIFY(!app.orders()->statusText().isEmpty());
        QVERIFY2(anyItemShowsText(ui.currentPage(), app.orders()->statusText()),
                 qPrintable(app.orders()->statusText()));
    }
    QVERIFY2(app::QmlMessageLog::messages().isEmpty(), qPrintable(app::QmlMessageLog::messages().join(u'\n')));
}

QTEST_MAIN(TestAppUi)
#include "tst_app_ui.moc"
