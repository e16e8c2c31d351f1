#include "app/ui_driver.h"

#include "app/session_controller.h"
#include "sync/sync_engine.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QImage>
#include <QKeyEvent>
#include <QLoggingCategory>
#include <QMetaObject>
#include <QMouseEvent>
#include <QMutex>
#include <QQmlApplicationEngine>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QTextStream>
#include <QTimer>

using namespace Qt::Literals::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcApp)

namespace outpost::app {

// ---------------------------------------------------------------------------------------------
// QmlMessageLog

namespace {

QMutex g_logMutex;
QStringList g_messages;
QtMessageHandler g_previous = nullptr;
bool g_installed = false;

void recordMessage(QtMsgType type, const QMessageLogContext &context, const QString &text)
{
    if (type == QtWarningMsg || type == QtCriticalMsg || type == QtFatalMsg) {
        if (QmlMessageLog::isQmlMessage(context.category, text, context.file)) {
            QMutexLocker lock(&g_logMutex);
            g_messages.append(text);
        }
    }
    if (g_previous)
        g_previous(type, context, text);
}

} // namespace

void QmlMessageLog::install()
{
    QMutexLocker lock(&g_logMutex);
    if (g_installed)
        return;
    g_installed = true;
    g_previous = qInstallMessageHandler(recordMessage);
}

QStringList QmlMessageLog::messages()
{
    QMutexLocker lock(&g_logMutex);
    return g_messages;
}

void QmlMessageLog::clear()
{
    QMutexLocker lock(&g_logMutex);
    g_messages.clear();
}

bool QmlMessageLog::isQmlMessage(const char *category, const QString &text, const char *file)
{
    const QByteArray cat(category ? category : "default");
    // The engine's own categories, console.* from QML, and anything unqualified that points at a
    // .qml file (binding loops, TypeErrors, failed component loads). Platform noise (qt.qpa.*)
    // and our layers' logs (outpost.*) are not QML diagnostics.
    if (cat == "qml" || cat == "js" || cat.startsWith("qt.qml") || cat.startsWith("qt.quick"))
        return true;
    if (QByteArray(file ? file : "").endsWith(".qml"))
        return true;
    if (cat == "default")
        return text.contains(u".qml"_s) || text.contains(u"QML "_s) || text.contains(u"qrc:"_s);
    return false;
}

// ---------------------------------------------------------------------------------------------
// UiDriver

UiDriver::UiDriver(AppContext &app, QObject *parent) : QObject(parent), m_app(app)
{
    QmlMessageLog::install();
}

UiDriver::~UiDriver()
{
    // Pages go before the controllers they bind to.
    m_engine.reset();
}

void UiDriver::setupEngine()
{
    static bool styled = false;
    if (!styled) {
        QQuickStyle::setStyle(u"Material"_s);
        styled = true;
    }
    m_engine = std::make_unique<QQmlApplicationEngine>();
    connect(m_engine.get(), &QQmlApplicationEngine::objectCreationFailed, this, [this](const QUrl &url) {
        qCWarning(lcApp) << "QML load failed:" << url.toString();
        m_failed = true;
    });
}

bool UiDriver::load(bool injectWarning)
{
    setupEngine();
    m_engine->setInitialProperties({{u"injectWarning"_s, injectWarning}});
    m_engine->load(QUrl(u"qrc:/qt-project.org/imports/Outpost/Ui/Main.qml"_s));
    if (m_failed || m_engine->rootObjects().isEmpty())
        return false;
    m_window = qobject_cast<QQuickWindow *>(m_engine->rootObjects().constFirst());
    if (!m_window)
        return false;
    m_window->requestActivate();
    return true;
}

QObject *UiDriver::nav() const
{
    if (!m_window)
        return nullptr;
    return m_window->property("nav").value<QObject *>();
}

bool UiDriver::callNav(const char *function, const QVariant &argument)
{
    QObject *n = nav();
    if (!n)
        return false;
    return QMetaObject::invokeMethod(n, function, Q_ARG(QVariant, argument));
}

QQuickItem *UiDriver::currentPage() const
{
    QObject *n = nav();
    QObject *stack = n ? n->property("stack").value<QObject *>() : nullptr;
    return stack ? stack->property("currentItem").value<QQuickItem *>() : nullptr;
}

QString UiDriver::currentPageName() const
{
    QQuickItem *page = currentPage();
    return page ? page->objectName() : QString();
}

namespace {

QQuickItem *findVisible(QQuickItem *item, const QString &name)
{
    if (!item || !item->isVisible())
        return nullptr;
    if (item->objectName() == name)
        return item;
    const auto children = item->childItems();
    for (QQuickItem *child : children) {
        if (QQuickItem *hit = findVisible(child, name))
            return hit;
    }
    return nullptr;
}

} // namespace

QQuickItem *UiDriver::findItem(const QString &objectName) const
{
    if (!m_window)
        return nullptr;
    // Visible items first (a page below the current one in the stack is hidden), then overlays.
    if (QQuickItem *hit = findVisible(m_window->contentItem(), objectName))
        return hit;
    return findVisible(m_window->contentItem()->parentItem(), objectName);
}

QQuickItem *UiDriver::waitForItem(const QString &objectName, std::chrono::milliseconds timeout)
{
    QQuickItem *found = nullptr;
    waitUntil([&] { return (found = findItem(objectName)) != nullptr; }, timeout);
    return found;
}

bool UiDriver::waitUntil(const std::function<bool()> &pred, std::chrono::milliseconds timeout)
{
    const QDeadlineTimer deadline(timeout);
    while (!pred()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QEventLoop loop;
        QTimer::singleShot(10, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return true;
}

bool UiDriver::showPage(const char *navFunction, const QVariant &argument, const QString &pageObjectName,
                        std::chrono::milliseconds timeout)
{
    if (!callNav(navFunction, argument))
        return false;
    QObject *n = nav();
    const bool shown = waitUntil(
        [&] {
            QObject *stack = n ? n->property("stack").value<QObject *>() : nullptr;
            return stack && !stack->property("busy").toBool() && currentPageName() == pageObjectName;
        },
        timeout);
    return shown && !grab().isNull();
}

bool UiDriver::click(const QString &objectName)
{
    QQuickItem *item = findItem(objectName);
    if (!item || !item->isEnabled() || !m_window)
        return false;
    // Like a finger: move there, press, release -- each event with a later timestamp, as the
    // platform would send them (equal timestamps read as one synthetic burst and are dropped).
    static QElapsedTimer clock;
    if (!clock.isValid())
        clock.start();
    const QPointF pos = item->mapToScene(QPointF(item->width() / 2, item->height() / 2));
    const QPointF global = m_window->mapToGlobal(pos);
    auto send = [&](QEvent::Type type, Qt::MouseButton button, Qt::MouseButtons buttons) {
        QMouseEvent event(type, pos, pos, global, button, buttons, Qt::NoModifier);
        event.setTimestamp(quint64(clock.elapsed()) + 1000);
        QCoreApplication::sendEvent(m_window, &event);
        QCoreApplication::processEvents();
    };
    send(QEvent::MouseMove, Qt::NoButton, Qt::NoButton);
    send(QEvent::MouseButtonPress, Qt::LeftButton, Qt::LeftButton);
    UiDriver::waitUntil([] { return false; }, std::chrono::milliseconds(20));
    send(QEvent::MouseButtonRelease, Qt::LeftButton, Qt::NoButton);
    return true;
}

bool UiDriver::drag(const QString &objectName, const QList<QPointF> &points)
{
    QQuickItem *item = findItem(objectName);
    if (!item || !item->isEnabled() || !m_window || points.isEmpty())
        return false;
    static QElapsedTimer clock;
    if (!clock.isValid())
        clock.start();
    auto send = [&](QEvent::Type type, const QPointF &local, Qt::MouseButton button, Qt::MouseButtons buttons) {
        const QPointF pos = item->mapToScene(local);
        QMouseEvent event(type, pos, pos, m_window->mapToGlobal(pos), button, buttons, Qt::NoModifier);
        event.setTimestamp(quint64(clock.elapsed()) + 1000);
        QCoreApplication::sendEvent(m_window, &event);
        QCoreApplication::processEvents();
    };
    send(QEvent::MouseButtonPress, points.constFirst(), Qt::LeftButton, Qt::LeftButton);
    for (qsizetype i = 1; i < points.size(); ++i) {
        UiDriver::waitUntil([] { return false; }, std::chrono::milliseconds(8));
        send(QEvent::MouseMove, points[i], Qt::NoButton, Qt::LeftButton);
    }
    send(QEvent::MouseButtonRelease, points.constLast(), Qt::LeftButton, Qt::NoButton);
    return true;
}

bool UiDriver::typeText(const QString &objectName, const QString &text)
{
    QQuickItem *item = findItem(objectName);
    if (!item || !m_window)
        return false;
    item->forceActiveFocus(Qt::OtherFocusReason);
    if (!waitUntil([&] { return item->hasActiveFocus(); }, std::chrono::seconds(2)))
        return false;
    for (const QChar c : text) {
        QKeyEvent press(QEvent::KeyPress, 0, Qt::NoModifier, QString(c));
        QKeyEvent release(QEvent::KeyRelease, 0, Qt::NoModifier, QString(c));
        QCoreApplication::sendEvent(m_window, &press);
        QCoreApplication::sendEvent(m_window, &release);
    }
    QCoreApplication::processEvents();
    return true;
}

bool UiDriver::pressKey(const QString &objectName, int key, Qt::KeyboardModifiers modifiers)
{
    QQuickItem *item = findItem(objectName);
    if (!item || !m_window)
        return false;
    if (!item->hasActiveFocus()) {
        item->forceActiveFocus(Qt::OtherFocusReason);
        if (!waitUntil([&] { return item->hasActiveFocus(); }, std::chrono::seconds(2)))
            return false;
    }
    QString text;
    if (key == Qt::Key_Return || key == Qt::Key_Enter)
        text = u"\r"_s;
    else if (key == Qt::Key_Tab)
        text = u"\t"_s;
    QKeyEvent press(QEvent::KeyPress, key, modifiers, text);
    QKeyEvent release(QEvent::KeyRelease, key, modifiers, text);
    QCoreApplication::sendEvent(m_window, &press);
    QCoreApplication::sendEvent(m_window, &release);
    QCoreApplication::processEvents();
    return true;
}

QImage UiDriver::grab() const
{
    if (!m_window)
        return {};
    return m_window->grabWindow();
}

bool UiDriver::saveScreenshot(const QString &path) const
{
    const QImage image = grab();
    return !image.isNull() && image.save(path, "PNG");
}

// ---------------------------------------------------------------------------------------------
// Sign-in and sync, waited for

namespace {

// Waits for the engine's next finished(ok); nullopt on timeout.
std::optional<bool> waitFinished(sync::SyncEngine &engine, const QDeadlineTimer &deadline,
                                 const std::function<void()> &start = {})
{
    std::optional<bool> result;
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    const auto c = QObject::connect(&engine, &sync::SyncEngine::finished, &loop, [&](bool ok) {
        result = ok;
        loop.quit();
    });
    if (start)
        start();
    if (!result) {
        timer.start(int(std::max<qint64>(1, deadline.remainingTime())));
        loop.exec();
    }
    QObject::disconnect(c);
    return result;
}

} // namespace

bool syncAndWait(AppContext &app, std::chrono::milliseconds timeout)
{
    sync::SyncEngine &engine = app.engine();
    const QDeadlineTimer deadline(timeout);
    if (engine.isRunning() && !waitFinished(engine, deadline))
        return false;
    const std::optional<bool> ok = waitFinished(engine, deadline, [&] { engine.syncNow(); });
    return ok.value_or(false);
}

Status signInAndSync(AppContext &app, const Credentials &credentials, std::chrono::milliseconds timeout)
{
    SessionController *session = app.session();
    if (!session->signedIn()) {
        if (!credentials.isSet())
            return Error::make(ErrorKind::Invalid, u"session.not_signed_in"_s,
                               u"Not signed in and no --user/--password given."_s);
        const QUrl server = credentials.server.isValid() ? credentials.server : app.config().defaultServer;
        const QString tenant = credentials.tenant.isEmpty() ? app.config().defaultTenant : credentials.tenant;
        if (auto r = session->signInBlocking(server, tenant, credentials.user, credentials.password); !r)
            return r.error();
    }
    if (!syncAndWait(app, timeout)) {
        const sync::SyncError e = app.engine().lastError();
        return Error::make(ErrorKind::Offline, e.code.isEmpty() ? u"sync.timeout"_s : e.code,
                           e.text.isEmpty() ? u"The sync did not finish."_s : e.text);
    }
    return {};
}

} // namespace outpost::app
