// outpost: the field app. Thin: parse options, build the AppContext, hand over to the UI (or to the
// self-test / screenshot tour, which drive the same UI through UiDriver).
// Exit codes: 0 ok, 1 failure, 2 usage.
#include "app/app_context.h"
#include "app/session_controller.h"
#include "app/ui_driver.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QGuiApplication>
#include <QQmlEngineExtensionPlugin>
#include <QStandardPaths>
#include <QTextStream>

#include <cstring>

Q_IMPORT_QML_PLUGIN(Outpost_AppPlugin)
Q_IMPORT_QML_PLUGIN(Outpost_UiPlugin)

using namespace Qt::Literals::StringLiterals;

namespace {

// The self-test and the tour need no display: offscreen unless the caller chose a platform.
void preferOffscreenForHeadlessModes(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--self-test") == 0 || std::strcmp(argv[i], "--screenshot-tour") == 0) {
            if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
                qputenv("QT_QPA_PLATFORM", "offscreen");
            return;
        }
    }
}

} // namespace

int main(int argc, char *argv[])
{
    // Options are read before the GUI starts, so --help and usage errors work without a display.
    QCoreApplication::setOrganizationName(u"Outpost"_s);
    QCoreApplication::setApplicationName(u"outpost"_s);
    QCoreApplication::setApplicationVersion(u"0.1.0"_s);
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    QTextStream out(stdout);
    QTextStream err(stderr);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Outpost field app: orders, accounts and catalog, online or offline."_s);
    const QCommandLineOption dataOpt(u"data"_s, u"Folder of the device replica (default: %1)."_s.arg(
        QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)), u"DIR"_s);
    const QCommandLineOption serverOpt(u"server"_s, u"Server address (default http://127.0.0.1:8080)."_s, u"URL"_s,
                                       u"http://127.0.0.1:8080"_s);
    const QCommandLineOption tenantOpt(u"tenant"_s, u"Tenant (default demo)."_s, u"T"_s, u"demo"_s);
    const QCommandLineOption userOpt(u"user"_s, u"Sign in as this user at start when not signed in yet."_s, u"U"_s);
    const QCommandLineOption passwordOpt(u"password"_s, u"Password for --user."_s, u"P"_s);
    const QCommandLineOption pinOpt(u"kiosk-pin"_s, u"Admin PIN that leaves kiosk mode (default 2468)."_s, u"PIN"_s);
    const QCommandLineOption offsetOpt(u"clock-offset"_s, u"Pretend the device clock is off by SECONDS."_s,
                                       u"SECONDS"_s);
    const QCommandLineOption selfTestOpt(u"self-test"_s,
                                         u"Load every screen offscreen; exit 1 on any QML warning or error."_s);
    const QCommandLineOption tourOpt(u"screenshot-tour"_s,
                                     u"Sign in, sync, visit each screen and save one PNG per screen into DIR."_s,
                                     u"DIR"_s);
    const QCommandLineOption nmeaOpt(u"nmea"_s, u"Replay device positions from an NMEA log (no GPS needed)."_s,
                                     u"FILE"_s);
    const QCommandLineOption maxEdgeOpt(u"photo-max-edge"_s,
                                        u"Set the photo size: longest edge in pixels, 0 = original or 640..8192."_s,
                                        u"N"_s);
    const QCommandLineOption helpOpt({u"h"_s, u"help"_s}, u"Show this help."_s);
    parser.addOptions({dataOpt, serverOpt, tenantOpt, userOpt, passwordOpt, pinOpt, offsetOpt, nmeaOpt, maxEdgeOpt,
                       selfTestOpt, tourOpt, helpOpt});

    // No application object yet: name the program in the help text ourselves.
    const QString help = parser.helpText().replace(u"<executable_name>"_s, u"outpost"_s);
    if (!parser.parse(arguments)) {
        err << "outpost: " << parser.errorText() << "\n\n" << help;
        return 2;
    }
    if (parser.isSet(helpOpt)) {
        out << help;
        return 0;
    }
    if (!parser.positionalArguments().isEmpty()) {
        err << "outpost: unexpected argument " << parser.positionalArguments().constFirst() << "\n\n"
            << help;
        return 2;
    }
    if (parser.isSet(selfTestOpt) && parser.isSet(tourOpt)) {
        err << "outpost: --self-test and --screenshot-tour are separate runs\n";
        return 2;
    }

    outpost::app::AppConfig config;
    const QUrl server = QUrl::fromUserInput(parser.value(serverOpt));
    if (!server.isValid() || server.scheme().isEmpty() || server.host().isEmpty()) {
        err << "outpost: --server needs a URL such as http://127.0.0.1:8080\n";
        return 2;
    }
    config.defaultServer = server;
    config.defaultTenant = parser.value(tenantOpt);
    if (parser.isSet(pinOpt)) {
        if (parser.value(pinOpt).isEmpty()) {
            err << "outpost: --kiosk-pin must not be empty\n";
            return 2;
        }
        config.kioskPin = parser.value(pinOpt);
    }
    if (parser.isSet(offsetOpt)) {
        bool ok = false;
        const qint64 seconds = parser.value(offsetOpt).toLongLong(&ok);
        if (!ok) {
            err << "outpost: --clock-offset needs a whole number of seconds\n";
            return 2;
        }
        config.clockOffset = std::chrono::seconds(seconds);
    }
    if (parser.isSet(nmeaOpt)) {
        if (!QFileInfo(parser.value(nmeaOpt)).isReadable()) {
            err << "outpost: --nmea needs a readable NMEA log file\n";
            return 2;
        }
        config.nmeaFile = parser.value(nmeaOpt);
    }
    if (parser.isSet(maxEdgeOpt)) {
        bool ok = false;
        const int edge = parser.value(maxEdgeOpt).toInt(&ok);
        if (!ok || (edge != 0 && (edge < 640 || edge > 8192))) {
            err << "outpost: --photo-max-edge needs 0 (original) or 640 to 8192\n";
            return 2;
        }
        config.photoMaxEdge = edge;
    }
    if (parser.isSet(userOpt) != parser.isSet(passwordOpt)) {
        err << "outpost: --user and --password go together\n";
        return 2;
    }
    const outpost::app::Credentials credentials{server, config.defaultTenant, parser.value(userOpt),
                                                parser.value(passwordOpt)};

    if (parser.isSet(dataOpt))
        config.dataDir = parser.value(dataOpt);

    preferOffscreenForHeadlessModes(argc, argv);
    QGuiApplication application(argc, argv);

    // The self-test and the tour run in a temporary folder unless --data is given.
    if (parser.isSet(selfTestOpt)) {
        config.autoSync = false;
        return outpost::app::runSelfTest(config, credentials, out);
    }
    if (parser.isSet(tourOpt)) {
        if (!credentials.isSet()) {
            err << "outpost: --screenshot-tour needs --user and --password\n";
            return 2;
        }
        config.autoSync = false;
        return outpost::app::runScreenshotTour(config, credentials, parser.value(tourOpt), out);
    }

    if (config.dataDir.isEmpty())
        config.dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    // Signing out deletes the replica: the app then starts over with a fresh AppContext and UI
    // (the sign-in screen), in the same process.
    bool signInFromCommandLine = credentials.isSet();
    for (;;) {
        auto context = outpost::app::AppContext::create(config);
        if (!context) {
            err << "outpost: " << context.error().userText << "\n";
            return 1;
        }
        outpost::app::AppContext &app = **context;
        app.session()->restore();

        outpost::app::UiDriver ui(app);
        if (!ui.load()) {
            err << "outpost: the user interface failed to load\n";
            return 1;
        }
        // --user/--password: sign in once (asynchronously: the sign-in screen shows progress and errors).
        if (!app.session()->signedIn() && signInFromCommandLine)
            app.session()->signIn(credentials.server, credentials.tenant, credentials.user, credentials.password);
        signInFromCommandLine = false;
        application.setQuitOnLastWindowClosed(true);
        bool signedOut = false;
        QObject::connect(
            app.session(), &outpost::app::SessionController::signedOut, &application,
            [&signedOut] {
                signedOut = true;
                QGuiApplication::exit(0);
            },
            Qt::QueuedConnection);
        const int rc = QGuiApplication::exec();
        if (!signedOut)
            return rc;
        application.setQuitOnLastWindowClosed(false); // the old window goes away with `ui` next
    }
}
