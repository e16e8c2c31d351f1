// The self-test and the screenshot tour (declared in ui_driver.h): one walk over every screen of
// the real UI, driven through Nav and the controllers as a rep would reach them.
#include "app/accounts_controller.h"
#include "app/attachments_controller.h"
#include "app/catalog_controller.h"
#include "app/kiosk_controller.h"
#include "app/order_controller.h"
#include "app/orders_controller.h"
#include "app/session_controller.h"
#include "app/ui_driver.h"
#include "sync/sync_engine.h"
#include "sync/transport.h"
#include "sync/uploads.h"

#include <QAbstractItemModel>
#include <QDir>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPainter>
#include <QQuickItem>
#include <QRandomGenerator>
#include <QUuid>
#include <QTemporaryDir>
#include <QTextStream>

using namespace Qt::Literals::StringLiterals;

namespace outpost::app {

namespace {

QVariant modelValue(QAbstractItemModel *model, int row, const QByteArray &roleName)
{
    if (!model)
        return {};
    if (model->rowCount() <= row && model->canFetchMore({}))
        model->fetchMore({});
    const int role = model->roleNames().key(roleName, -1);
    if (role < 0 || row >= model->rowCount())
        return {};
    return model->data(model->index(row, 0), role);
}

// Lets bindings, list delegates and images settle after a page change (no assertion on time).
void settle()
{
    UiDriver::waitUntil([] { return false; }, std::chrono::milliseconds(300));
}

struct Walk
{
    UiDriver &ui;
    QTextStream &out;
    QString shotDir; // empty: self-test, no files
    QStringList failures;
    int shot = 0;

    void step(const char *navFunction, const QVariant &arg, const QString &page, const QString &file,
              const QString &note = {})
    {
        ++shot;
        if (!ui.showPage(navFunction, arg, page)) {
            failures << u"%1: page \"%2\" did not show (current: \"%3\")"_s.arg(file, page, ui.currentPageName());
            return;
        }
        settle();
        if (shotDir.isEmpty()) {
            out << "  ok  " << page << '\n';
            return;
        }
        const QString name = u"%1-%2.png"_s.arg(shot, 2, 10, QLatin1Char('0')).arg(file);
        if (!ui.saveScreenshot(shotDir + u'/' + name))
            failures << u"%1: the screenshot could not be saved"_s.arg(name);
        else
            out << "  " << name << "  " << note << '\n';
    }

    // A screenshot of what shows now (a dialog over the current page), numbered after the last
    // step with a letter: "06b-signature".
    void capture(const QString &suffixAndFile, const QString &note)
    {
        settle();
        if (shotDir.isEmpty()) {
            out << "  ok  " << suffixAndFile << '\n';
            if (ui.grab().isNull())
                failures << u"%1: no frame"_s.arg(suffixAndFile);
            return;
        }
        const QString name = u"%1%2.png"_s.arg(shot, 2, 10, QLatin1Char('0')).arg(suffixAndFile);
        if (!ui.saveScreenshot(shotDir + u'/' + name))
            failures << u"%1: the screenshot could not be saved"_s.arg(name);
        else
            out << "  " << name << "  " << note << '\n';
    }
};

// A signature as strokes in the pad's coordinates: a looped first name, a surname, a flourish.
QList<QList<QPointF>> demoSignature(qreal width, qreal height)
{
    QList<QList<QPointF>> strokes;
    const qreal base = height * 0.62, h = height * 0.28;
    QList<QPointF> first, second, flourish;
    for (int i = 0; i <= 60; ++i) {
        const qreal t = i / 60.0;
        first << QPointF(width * (0.08 + 0.30 * t) + 14 * std::cos(t * 18), base - h * std::abs(std::sin(t * 9)));
    }
    for (int i = 0; i <= 70; ++i) {
        const qreal t = i / 70.0;
        second << QPointF(width * (0.44 + 0.40 * t) + 10 * std::cos(t * 22),
                          base - h * 0.8 * std::abs(std::sin(t * 11 + 0.6)));
    }
    for (int i = 0; i <= 30; ++i) {
        const qreal t = i / 30.0;
        flourish << QPointF(width * (0.12 + 0.76 * t), base + 18 + 10 * std::sin(t * 3.1));
    }
    strokes << first << second << flourish;
    return strokes;
}

// A shelf photo for the tour (2400 x 1800 JPEG): shelves with products in fixed colours.
QString makeDemoPhoto(const QString &dir)
{
    QImage image(2400, 1800, QImage::Format_RGB32);
    image.fill(QColor(0xEE, 0xE6, 0xD8));
    QPainter p(&image);
    QRandomGenerator rng(42);
    const QColor colours[] = {QColor(0xC6, 0x28, 0x28), QColor(0x1F, 0x5F, 0x8B), QColor(0xE0, 0x7A, 0x1F),
                              QColor(0x2E, 0x7D, 0x32), QColor(0x6A, 0x1B, 0x9A), QColor(0xF9, 0xA8, 0x25)};
    for (int shelf = 0; shelf < 4; ++shelf) {
        const int y = 380 + shelf * 420;
        p.fillRect(80, y, 2240, 40, QColor(0x8D, 0x6E, 0x63));
        for (int x = 110; x < 2260;) {
            const int w = 90 + int(rng.bounded(80)), h = 160 + int(rng.bounded(160));
            p.fillRect(x, y - h, w, h, colours[rng.bounded(6)]);
            p.fillRect(x + 12, y - h + 30, w - 24, 36, Qt::white);
            x += w + 14;
        }
    }
    p.end();
    const QString path = QDir(dir).filePath(u"tour-shelf.jpg"_s);
    return image.save(path, "JPEG", 90) ? path : QString();
}

// The signature dialog with a signature drawn on its pad (real mouse events), the photo dialog,
// and (tour) the order page's panel with the signature and a photo waiting to be sent.
void attachmentScreens(Walk &w, AppContext &app)
{
    const bool tour = !w.shotDir.isEmpty();
    if (!w.ui.click(u"signatureButton"_s) || !w.ui.waitForItem(u"signaturePad"_s)) {
        w.failures << u"signature: the dialog did not open"_s;
        return;
    }
    settle();
    QQuickItem *pad = w.ui.findItem(u"signaturePad"_s);
    for (const QList<QPointF> &stroke : demoSignature(pad->width(), pad->height()))
        w.ui.drag(u"signaturePad"_s, stroke);
    w.ui.typeText(u"signerNameField"_s, u"Aisha Evans"_s);
    w.ui.typeText(u"signerRoleField"_s, u"Buyer"_s);
    w.capture(u"b-signature"_s, u"Signature dialog: signer, order total, strokes on the pad"_s);
    // The tour keeps it; the self-test leaves the rep's data alone.
    if (!w.ui.click(tour ? u"signatureAcceptButton"_s : u"signatureCancelButton"_s)
        || !UiDriver::waitUntil([&] { return !w.ui.findItem(u"signaturePad"_s); }, std::chrono::seconds(5)))
        w.failures << u"signature: %1"_s.arg(app.attachments()->errorText());

    if (!w.ui.click(u"photoButton"_s) || !w.ui.waitForItem(u"photoCaptionField"_s)) {
        w.failures << u"photo: the dialog did not open"_s;
        return;
    }
    settle();
    w.ui.click(u"photoCancelButton"_s);
    UiDriver::waitUntil([&] { return !w.ui.findItem(u"photoCaptionField"_s); }, std::chrono::seconds(5));
    if (!tour)
        return;
    const QString photo = makeDemoPhoto(app.config().dataDir);
    const QString photoId = app.attachments()->addPhotoFromFile(
        QUrl::fromLocalFile(photo), u"order"_s, app.order()->orderId(), app.order()->accountId(),
        u"Shelf after restock"_s);
    if (photoId.isEmpty()) {
        w.failures << u"photo: %1"_s.arg(app.attachments()->errorCode());
        return;
    }
    w.capture(u"c-attachments"_s, u"Order page: signature and photo waiting to be sent"_s);
    // The viewer: the whole photo, caption, times.
    if (!w.ui.waitForItem(u"attachment_"_s + photoId) || !w.ui.click(u"attachment_"_s + photoId)
        || !w.ui.waitForItem(u"attachmentImage"_s)) {
        w.failures << u"photo viewer: did not open"_s;
        return;
    }
    w.capture(u"d-photo"_s, u"Photo viewer: the stored image, caption, when it was taken, state"_s);
    if (QObject *viewer = w.ui.window()->findChild<QObject *>(u"attachmentViewer"_s))
        QMetaObject::invokeMethod(viewer, "close");
    UiDriver::waitUntil([&] { return !w.ui.findItem(u"attachmentImage"_s); }, std::chrono::seconds(5));
}

// Every rep screen and pushed page. The order page shows the account's open draft.
void walkRepScreens(Walk &w, AppContext &app, qint64 accountId, qint64 productId)
{
    w.step("go", u"today"_s, u"todayPage"_s, u"today"_s,
           u"Today: pending %1, conflicts %2, last sync %3"_s.arg(app.session()->pendingCount())
               .arg(app.session()->conflictCount())
               .arg(app.session()->lastSuccessText()));
    w.step("go", u"accounts"_s, u"accountsPage"_s, u"accounts"_s, u"Accounts: the rep's accounts, search field"_s);
    w.step("openAccount", accountId, u"accountPage"_s, u"account"_s,
           u"Account page of account %1: terms, credit, contacts, history"_s.arg(accountId));
    w.step("go", u"catalog"_s, u"catalogPage"_s, u"catalog"_s,
           u"Catalog priced for account %1 (price and reason per product)"_s.arg(accountId));
    w.step("openProduct", productId, u"productPage"_s, u"product"_s,
           u"Product %1: price, tiers, stock per warehouse"_s.arg(productId));
    w.step("openOrder", accountId, u"orderPage"_s, u"order"_s,
           u"Order capture: %1 lines, %2 errors, %3 approvals, %4 warnings, total %5"_s
               .arg(app.order()->lineCount())
               .arg(app.order()->errorCount())
               .arg(app.order()->approvalCount())
               .arg(app.order()->warningCount())
               .arg(app.order()->totalText()));
    attachmentScreens(w, app);
    w.step("go", u"orders"_s, u"ordersPage"_s, u"orders"_s, u"Order history with the server's outcome"_s);
    QString orderId = modelValue(app.orders()->recent(), 0, "orderId").toString();
    if (orderId.isEmpty())
        orderId = app.order()->orderId();
    w.step("openOrderDetail", orderId, u"orderDetailPage"_s, u"order-detail"_s,
           u"Order detail: status \"%1\""_s.arg(modelValue(app.orders()->recent(), 0, "statusText").toString()));
    w.step("go", u"conflicts"_s, u"conflictsPage"_s, u"conflicts"_s,
           u"Conflicts: %1 open"_s.arg(app.session()->conflictCount()));
    w.step("go", u"settings"_s, u"settingsPage"_s, u"settings"_s,
           u"Settings: server, user, freshness per partition"_s);
}

bool waitForKiosk(Walk &w, const QString &file)
{
    ++w.shot;
    w.shot = std::max(w.shot, 11);
    if (!w.ui.waitForItem(u"kioskPage"_s, std::chrono::seconds(10))) {
        w.failures << u"kiosk: page \"kioskPage\" did not show"_s;
        return false;
    }
    settle();
    if (w.shotDir.isEmpty()) {
        w.out << "  ok  kioskPage\n";
        return !w.ui.grab().isNull();
    }
    const QString name = u"%1-%2.png"_s.arg(w.shot, 2, 10, QLatin1Char('0')).arg(file);
    if (!w.ui.saveScreenshot(w.shotDir + u'/' + name)) {
        w.failures << u"%1: the screenshot could not be saved"_s.arg(name);
        return false;
    }
    w.out << "  " << name << "  Kiosk: full-screen catalog, list prices, wish list\n";
    return true;
}

int report(QTextStream &out, const QStringList &failures, const char *what)
{
    const QStringList qml = QmlMessageLog::messages();
    for (const QString &f : failures)
        out << "FAIL: " << f << '\n';
    for (const QString &m : qml)
        out << "QML: " << m << '\n';
    const bool ok = failures.isEmpty() && qml.isEmpty();
    out << what << (ok ? ": ok" : ": FAILED") << " (" << failures.size() << " failures, " << qml.size()
        << " QML warnings/errors)\n";
    out.flush();
    return ok ? 0 : 1;
}

} // namespace

int runSelfTest(const AppConfig &base, const Credentials &credentials, QTextStream &out)
{
    QmlMessageLog::install();
    QmlMessageLog::clear();
    AppConfig config = base;
    QTemporaryDir tmp;
    if (config.dataDir.isEmpty())
        config.dataDir = tmp.path();
    QStringList failures;
    {
        auto context = AppContext::create(config);
        if (!context) {
            out << "FAIL: " << context.error().userText << '\n';
            return 1;
        }
        AppContext &app = **context;
        app.session()->restore();
        if (credentials.isSet() || app.session()->signedIn()) {
            if (auto r = signInAndSync(app, credentials); !r)
                failures << u"sign-in and sync: %1"_s.arg(r.error().code);
        }
        UiDriver ui(app);
        Walk walk{ui, out, {}, {}, 0};
        if (!ui.load(qEnvironmentVariableIntValue("OUTPOST_SELFTEST_INJECT_WARNING") == 1)) {
            failures << u"Main.qml failed to load"_s;
        } else if (!app.session()->signedIn()) {
            if (!ui.waitForItem(u"signInPage"_s) || ui.grab().isNull())
                failures << u"the sign-in page did not show"_s;
        } else if (app.session()->kioskMode()) {
            waitForKiosk(walk, u"kiosk"_s);
        } else {
            const qint64 accountId = modelValue(app.accounts()->results(), 0, "accountId").toLongLong();
            const qint64 productId = modelValue(app.catalog()->products(), 0, "productId").toLongLong();
            // An order page with a line: a draft the self-test makes is discarded again.
            bool ownDraft = false;
            if (accountId > 0 && app.order()->openFor(accountId) && app.order()->lineCount() == 0) {
                ownDraft = true;
                if (productId > 0)
                    app.order()->addProduct(productId);
            }
            walkRepScreens(walk, app, accountId, productId);
            if (ownDraft)
                app.order()->discard();
        }
        failures << walk.failures;
    }
    return report(out, failures, "self-test");
}

namespace {

// The first loaded product whose case pack is above 1 (a quantity off the pack makes a finding).
int productWithCasePack(QAbstractItemModel *products)
{
    for (int row = 0; row < std::min(products->rowCount(), 200); ++row) {
        if (modelValue(products, row, "casePack").toLongLong() > 1
            && !modelValue(products, row, "discontinued").toBool())
            return row;
    }
    return -1;
}

// Lines for a draft: the first product at its smallest valid quantity, and (when the catalog has
// one) a case-packed product at one more than its pack, typed as on the order pad: a finding.
bool fillDraft(AppContext &app, qint64 accountId, QTextStream &out)
{
    OrderController *order = app.order();
    QAbstractItemModel *products = app.catalog()->products();
    if (!order->openFor(accountId))
        return false;
    const qint64 first = modelValue(products, 0, "productId").toLongLong();
    if (first <= 0 || !order->addProduct(first))
        return false;
    if (const int row = productWithCasePack(products); row >= 0) {
        const QString sku = modelValue(products, row, "sku").toString();
        const qint64 pack = modelValue(products, row, "casePack").toLongLong();
        if (!order->addBySku(sku, QString::number(pack + 1)))
            out << "  note: " << sku << " x " << (pack + 1) << " was not added: " << order->errorText() << '\n';
    }
    return true;
}

// A real conflict for the Conflicts screen, made the way one happens in the field: this device
// changes a contact's phone while the same rep, signed in on another device ("the office PC"),
// changes the same field; the next sync keeps the server's value and records the conflict.
bool makeDemoConflict(AppContext &app, const Credentials &credentials, qint64 accountId, QTextStream &out)
{
    AccountsController *accounts = app.accounts();
    accounts->setCurrentId(accountId);
    const QVariantMap contact = accounts->contactAt(0);
    const qint64 contactId = contact.value(u"contactId"_s).toLongLong();
    if (contactId <= 0) {
        out << "  note: account " << accountId << " has no contact; no conflict to show\n";
        return false;
    }
    const QString before = contact.value(u"phone"_s).toString();
    // Fresh numbers each run, so a second tour against the same server makes a conflict again.
    const quint32 n = QRandomGenerator::global()->bounded(100000u, 999999u);
    const QString mine = u"+44 1632 %1"_s.arg(n), theirs = u"+44 1632 %1"_s.arg(n + 1);
    if (!accounts->editContact(contactId, {{u"phone"_s, mine}}))
        return false;
    sync::HttpClient http;
    http.setBaseUrl(credentials.server);
    const QJsonObject login{{u"tenant"_s, credentials.tenant}, {u"user"_s, credentials.user},
                            {u"password"_s, credentials.password}, {u"deviceId"_s, u"tour-office-pc"_s}};
    auto signedIn = http.send("POST", u"/v1/auth/login"_s, QJsonDocument(login).toJson(QJsonDocument::Compact));
    if (!signedIn)
        return false;
    const QByteArray token = signedIn->json().value(u"accessToken"_s).toString().toLatin1();
    const QJsonObject command{
        {u"commandId"_s, QUuid::createUuid().toString(QUuid::WithoutBraces)},
        {u"kind"_s, u"record.update"_s},
        {u"payload"_s, QJsonObject{{u"entity"_s, u"contacts"_s},
                                   {u"id"_s, contactId},
                                   {u"base"_s, QJsonObject{{u"phone"_s, before}}},
                                   {u"changes"_s, QJsonObject{{u"phone"_s, theirs}}}}}};
    const QJsonObject batch{{u"commands"_s, QJsonArray{command}}};
    if (!http.send("POST", u"/v1/commands"_s, QJsonDocument(batch).toJson(QJsonDocument::Compact), token))
        return false;
    return syncAndWait(app) && app.session()->conflictCount() > 0;
}

// A signature and a photo on the draft about to be submitted: the order detail shows them delivered.
bool attachToDraft(AppContext &app, QTextStream &out)
{
    QVariantList strokes;
    int t = 0;
    for (const QList<QPointF> &stroke : demoSignature(600, 200)) {
        QVariantList points;
        for (const QPointF &p : stroke) {
            points.append(QVariant(QVariantList{qRound(p.x()), qRound(p.y()), t, 1000}));
            t += 12;
        }
        strokes.append(QVariant(points));
    }
    AttachmentsController *a = app.attachments();
    const QString orderId = app.order()->orderId();
    const QString photo = makeDemoPhoto(app.config().dataDir);
    if (a->addSignature(orderId, strokes, u"Aisha Evans"_s, u"Buyer"_s, 600, 200).isEmpty()
        || a->addPhotoFromFile(QUrl::fromLocalFile(photo), u"order"_s, orderId, app.order()->accountId(),
                               u"Display at the entrance"_s)
               .isEmpty()) {
        out << "  note: attachments not added: " << a->errorCode() << '\n';
        return false;
    }
    return true;
}

// Sends every waiting attachment now and waits for the pass.
bool uploadAndWait(AppContext &app)
{
    AttachmentsController *a = app.attachments();
    bool done = false;
    const QMetaObject::Connection c =
        QObject::connect(&a->uploader(), &sync::AttachmentUploader::passFinished, [&done] { done = true; });
    a->sendNow();
    UiDriver::waitUntil([&] { return done; }, std::chrono::minutes(2));
    QObject::disconnect(c);
    return done && a->waitingCount() == 0 && a->failedCount() == 0;
}

} // namespace

int runScreenshotTour(const AppConfig &base, const Credentials &credentials, const QString &dir, QTextStream &out)
{
    QmlMessageLog::install();
    QmlMessageLog::clear();
    if (!QDir().mkpath(dir)) {
        out << "FAIL: cannot create " << dir << '\n';
        return 1;
    }
    const QString shotDir = QDir(dir).absolutePath();
    AppConfig config = base;
    QTemporaryDir tmp;
    if (config.dataDir.isEmpty())
        config.dataDir = tmp.path();
    QStringList failures;
    int shot = 0;
    bool tourUserIsKiosk = false;
    out << "Screenshot tour into " << shotDir << ":\n";
    {
        auto context = AppContext::create(config);
        if (!context) {
            out << "FAIL: " << context.error().userText << '\n';
            return 1;
        }
        AppContext &app = **context;
        app.session()->restore();
        if (auto r = signInAndSync(app, credentials); !r) {
            out << "FAIL: sign-in and sync: " << r.error().code << " " << r.error().userText << '\n';
            return 1;
        }
        tourUserIsKiosk = app.session()->kioskMode();
        UiDriver ui(app);
        Walk walk{ui, out, shotDir, {}, 0};
        if (!ui.load()) {
            failures << u"Main.qml failed to load"_s;
        } else if (tourUserIsKiosk) {
            waitForKiosk(walk, u"kiosk"_s);
        } else {
            const qint64 accountId = modelValue(app.accounts()->results(), 0, "accountId").toLongLong();
            app.catalog()->setAccountId(accountId); // the account's prices on every product
            // An order with an outcome: captured, submitted, synced.
            if (accountId <= 0 || !fillDraft(app, accountId, out) || !attachToDraft(app, out)
                || !app.order()->submit()) {
                failures << u"could not capture and submit an order (account %1): %2"_s.arg(accountId).arg(
                    app.order()->errorText());
            } else if (!syncAndWait(app)) {
                failures << u"the sync after submitting failed: %1"_s.arg(app.engine().lastError().code);
            } else if (!uploadAndWait(app)) {
                failures << u"the attachments were not delivered (%1 waiting, %2 failed)"_s
                                .arg(app.attachments()->waitingCount())
                                .arg(app.attachments()->failedCount());
            }
            if (accountId > 0 && !makeDemoConflict(app, credentials, accountId, out))
                failures << u"could not make the demo conflict: %1"_s.arg(app.accounts()->errorText());
            // A second draft, left open for the order capture screen: lines and a finding.
            if (accountId > 0 && !fillDraft(app, accountId, out))
                failures << u"could not fill the draft: %1"_s.arg(app.order()->errorText());
            const qint64 productId = modelValue(app.catalog()->products(), 0, "productId").toLongLong();
            walkRepScreens(walk, app, accountId, productId);
        }
        failures << walk.failures;
        shot = walk.shot;
    }
    // The kiosk: a second app signed in as kiosk1 in a subfolder of the data folder.
    if (!tourUserIsKiosk) {
        AppConfig kioskConfig = config;
        kioskConfig.dataDir = QDir(config.dataDir).filePath(u"kiosk"_s);
        auto context = AppContext::create(kioskConfig);
        if (!context) {
            failures << u"kiosk: %1"_s.arg(context.error().userText);
        } else {
            AppContext &kiosk = **context;
            kiosk.session()->restore();
            Credentials kioskUser = credentials;
            kioskUser.user = u"kiosk1"_s;
            if (auto r = signInAndSync(kiosk, kioskUser); !r) {
                failures << u"kiosk: sign-in and sync as kiosk1: %1"_s.arg(r.error().code);
            } else {
                const qint64 productId = modelValue(kiosk.catalog()->products(), 0, "productId").toLongLong();
                if (productId > 0)
                    kiosk.kiosk()->add(productId, 2); // a visitor's wish list
                UiDriver ui(kiosk);
                Walk walk{ui, out, shotDir, {}, shot};
                if (!ui.load())
                    failures << u"kiosk: Main.qml failed to load"_s;
                else
                    waitForKiosk(walk, u"kiosk"_s);
                failures << walk.failures;
            }
        }
    }
    return report(out, failures, "screenshot tour");
}

} // namespace outpost::app
