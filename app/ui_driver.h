// UiDriver: loads the real UI (Main.qml of Outpost.Ui, Material style) over an AppContext and
// drives it -- the one piece of code the executable, the self-test, the screenshot tour and the UI
// tests share. Items are found by objectName, clicked and typed into with real mouse and key
// events sent to the window; screens are reached through the Nav singleton, as the rail does.
//
// QmlMessageLog records every QML warning and error of the process (binding loops, TypeErrors,
// failed loads ...) so the self-test can fail on any of them.
//
// The executable and each test must Q_IMPORT_QML_PLUGIN(Outpost_AppPlugin) and
// Q_IMPORT_QML_PLUGIN(Outpost_UiPlugin) (static QML modules).
#pragma once

#include "app/app_context.h"

#include <QObject>
#include <QPointer>
#include <QQuickWindow>
#include <QStringList>
#include <QUrl>

#include <chrono>
#include <functional>
#include <memory>

class QImage;
class QQmlApplicationEngine;
class QQuickItem;
class QTextStream;

namespace outpost::app {

// Process-wide record of QML warnings/errors. install() chains to the previous handler, so
// messages still reach stderr.
class QmlMessageLog
{
public:
    static void install();
    static QStringList messages();
    static void clear();
    // True when a message of this category/text/file counts as a QML diagnostic.
    static bool isQmlMessage(const char *category, const QString &text, const char *file);
};

struct Credentials
{
    QUrl server;
    QString tenant;
    QString user;
    QString password;
    bool isSet() const { return !user.isEmpty(); }
};

class UiDriver : public QObject
{
    Q_OBJECT
public:
    explicit UiDriver(AppContext &app, QObject *parent = nullptr);
    ~UiDriver() override;

    // Sets the Material style (once per process), creates the engine and loads Main.qml. False
    // when the load failed (objectCreationFailed or no window). `injectWarning` makes Main.qml
    // emit one deliberate QML warning (proves the self-test can fail).
    bool load(bool injectWarning = false);

    QQmlApplicationEngine *engine() const { return m_engine.get(); }
    QQuickWindow *window() const { return m_window; }
    AppContext &app() const { return m_app; }

    // The Nav singleton of Outpost.Ui (null before load()).
    QObject *nav() const;
    // Nav.go(screen) / Nav.openAccount(id) ... : any Nav function with one argument.
    bool callNav(const char *function, const QVariant &argument);
    // The StackView's current page (null when the shell is not shown: signed out).
    QQuickItem *currentPage() const;
    QString currentPageName() const;

    // First visible item with this objectName under the window's content (or anywhere in it).
    QQuickItem *findItem(const QString &objectName) const;
    QQuickItem *waitForItem(const QString &objectName, std::chrono::milliseconds timeout = std::chrono::seconds(5));
    // Runs the event loop until pred() is true; false on timeout.
    static bool waitUntil(const std::function<bool()> &pred, std::chrono::milliseconds timeout);
    // Navigates (Nav.go or a Nav.open* function) and waits until the page with pageObjectName is
    // current and a frame of it has rendered.
    bool showPage(const char *navFunction, const QVariant &argument, const QString &pageObjectName,
                  std::chrono::milliseconds timeout = std::chrono::seconds(10));

    // Real input: a left click in the item's centre; keyboard focus + one key event per character;
    // one key press/release to the focused item.
    bool click(const QString &objectName);
    bool typeText(const QString &objectName, const QString &text);
    bool pressKey(const QString &objectName, int key, Qt::KeyboardModifiers modifiers = Qt::NoModifier);
    // One stroke with the left button: press at points[0], move through the rest, release at the
    // last (points in the item's coordinates; a signature drawn on the pad).
    bool drag(const QString &objectName, const QList<QPointF> &points);

    // Forces a frame and returns it (null image when the window cannot render).
    QImage grab() const;
    bool saveScreenshot(const QString &path) const;

private:
    void setupEngine();
    AppContext &m_app;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    QPointer<QQuickWindow> m_window;
    bool m_failed = false;
};

// Signs in (when not signed in yet and credentials are given) and runs one sync pass, waiting for
// it. Errors carry the sign-in or sync code.
Status signInAndSync(AppContext &app, const Credentials &credentials,
                     std::chrono::milliseconds timeout = std::chrono::minutes(5));
// One sync pass through the app's engine, waited for; false when it failed or timed out.
bool syncAndWait(AppContext &app, std::chrono::milliseconds timeout = std::chrono::minutes(5));

// `outpost --self-test`: loads Main.qml, signs in and syncs when credentials are given, visits
// every screen and pushed page, and returns 0, or 1 after printing every QML warning/error and
// every screen that did not show. A config without dataDir runs in a temporary folder.
int runSelfTest(const AppConfig &config, const Credentials &credentials, QTextStream &out);

// `outpost --screenshot-tour DIR`: signs in, syncs, submits an order and syncs its outcome,
// visits each main screen and saves 01-today.png ... 11-kiosk.png into dir. The kiosk screen comes
// from a second AppContext signed in as kiosk1 in <data>/kiosk (or directly when the user is a
// kiosk). Returns 0, or 1 with the reason printed.
int runScreenshotTour(const AppConfig &config, const Credentials &credentials, const QString &dir,
                      QTextStream &out);

} // namespace outpost::app
