// A signed-in, synced app for controller and model tests: the real server (seeded tiny) on
// loopback, a replica bootstrapped through the real sync code (ApiSession + runSync, synchronously),
// then an AppContext over that replica with the scheduler off. syncNow() runs another pass through
// the AppContext's SyncEngine and waits for it.
#pragma once

#include "app/app_context.h"
#include "tests/support/testserver.h"

#include <QTemporaryDir>

#include <memory>

namespace outpost::test {

class AppFixture
{
public:
    AppFixture();
    ~AppFixture();

    // Seeds and starts the server, signs `user` in and syncs everything into a fresh replica, then
    // opens the AppContext. False (with a QWARN line saying why) on any failure.
    bool setUp(const QString &user = QStringLiteral("rep1"), const QString &size = QStringLiteral("tiny"));
    // Another pass through the app's engine; true when it finished ok (waits up to 60 s).
    bool syncNow();
    // Closes the AppContext and opens a new one on the same replica (an app restart).
    bool restartApp();

    TestServer &server() { return m_server; }
    app::AppContext &app() { return *m_app; }
    QString dataDir() const { return m_dir.path(); }
    QByteArray serverToken(const QString &user = QStringLiteral("admin")) const; // for direct API calls

private:
    TestServer m_server;
    QTemporaryDir m_dir;
    std::unique_ptr<app::AppContext> m_app;
};

} // namespace outpost::test
