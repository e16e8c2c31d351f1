#include "tests/app/app_fixture.h"

#include "storage/database.h"
#include "sync/session.h"
#include "sync/sync_engine.h"
#include "sync/sync_run.h"

#include <QDir>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace outpost::test {

AppFixture::AppFixture() = default;
AppFixture::~AppFixture() = default;

bool AppFixture::setUp(const QString &user, const QString &size)
{
    if (!m_server.seed(size) || !m_server.start()) {
        qWarning("AppFixture: server did not start");
        return false;
    }
    {
        auto db = sync::openReplica(QDir(m_dir.path()).filePath(u"replica.db"_s));
        if (!db) {
            qWarning("AppFixture: replica: %s", qPrintable(db.error().code));
            return false;
        }
        sync::ApiSession api(**db);
        if (auto r = api.login(sync::LoginInput{m_server.url(), u"demo"_s, user, u"demo"_s, {}}); !r) {
            qWarning("AppFixture: login: %s", qPrintable(r.error().code));
            return false;
        }
        sync::SyncContext ctx{**db, api, (*db)->path(), {}, {}, {}};
        if (auto r = sync::runSync(ctx, {}); !r) {
            qWarning("AppFixture: sync: %s", qPrintable(r.error().code));
            return false;
        }
    }
    return restartApp();
}

bool AppFixture::restartApp()
{
    m_app.reset();
    app::AppConfig config;
    config.dataDir = m_dir.path();
    config.defaultServer = m_server.url();
    config.autoSync = false;
    auto app = app::AppContext::create(config);
    if (!app) {
        qWarning("AppFixture: app: %s", qPrintable(app.error().code));
        return false;
    }
    m_app = std::move(*app);
    return true;
}

bool AppFixture::syncNow()
{
    QSignalSpy done(&m_app->engine(), &sync::SyncEngine::finished);
    m_app->engine().syncNow();
    if (!done.wait(60000)) {
        qWarning("AppFixture: sync did not finish in 60 s");
        return false;
    }
    const bool ok = done.first().first().toBool();
    if (!ok) {
        const sync::SyncError e = m_app->engine().lastError();
        qWarning("AppFixture: sync failed: %s: %s", qPrintable(e.code), qPrintable(e.text));
    }
    return ok;
}

QByteArray AppFixture::serverToken(const QString &user) const
{
    return m_server.login(u"demo"_s, user);
}

} // namespace outpost::test
