#include "app/app_context.h"

#include "app/accounts_controller.h"
#include "app/attachments_controller.h"
#include "app/catalog_controller.h"
#include "app/conflicts_controller.h"
#include "app/kiosk_controller.h"
#include "app/order_controller.h"
#include "app/orders_controller.h"
#include "app/session_controller.h"
#include "platform/connectivity.h"
#include "storage/database.h"
#include "sync/sync_engine.h"
#include "sync/sync_scheduler.h"

#include <QDir>
#include <QLoggingCategory>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcApp, "outpost.app", QtInfoMsg)

namespace outpost::app {

namespace {
AppContext *g_current = nullptr;
}

Result<std::unique_ptr<AppContext>> AppContext::create(const AppConfig &config)
{
    if (config.dataDir.isEmpty() || !QDir().mkpath(config.dataDir))
        return Error::make(ErrorKind::Invalid, u"app.data_dir"_s,
                           u"The data folder %1 cannot be created."_s.arg(config.dataDir));
    auto db = sync::openReplica(QDir(config.dataDir).filePath(u"replica.db"_s));
    if (!db)
        return db.error();
    return std::unique_ptr<AppContext>(new AppContext(config, std::move(*db)));
}

AppContext::AppContext(const AppConfig &config, std::unique_ptr<storage::Database> db)
    : m_config(config), m_db(std::move(db))
{
    Q_ASSERT(!g_current);
    g_current = this;
    m_clock.offset = config.clockOffset;

    m_engine = new sync::SyncEngine(replicaPath(), this);
    m_engine->setClockOffset(config.clockOffset);
    m_scheduler = new sync::SyncScheduler(*m_engine, this);
    m_scheduler->setInterval(config.syncInterval);
    m_connectivity = new platform::Connectivity(this);
    connect(m_connectivity, &platform::Connectivity::onlineChanged, m_scheduler,
            &sync::SyncScheduler::connectivityChanged);

    m_session = new SessionController(*this, this);
    m_accounts = new AccountsController(*this, this);
    m_catalog = new CatalogController(*this, this);
    m_order = new OrderController(*this, this);
    m_orders = new OrdersController(*this, this);
    m_conflicts = new ConflictsController(*this, this);
    m_kiosk = new KioskController(*this, this);
    m_attachments = new AttachmentsController(*this, this); // after Order: it signs Order's drafts

    // Models re-read once when the pulled rows are committed (the push phase starts; a long push
    // does not hide them) and once when the pass ends -- not on every state change, which re-read
    // everything at the start of a pass and twice at its end.
    connect(m_engine, &sync::SyncEngine::stateChanged, this, [this](sync::SyncEngine::State s) {
        if (s == sync::SyncEngine::State::Pushing)
            Q_EMIT replicaChanged();
    });
    connect(m_engine, &sync::SyncEngine::finished, this, &AppContext::replicaChanged);
    connect(this, &AppContext::replicaChanged, this, [this] {
        m_accounts->refresh();
        m_catalog->refresh();
        m_order->refresh();
        m_orders->refresh();
        m_conflicts->refresh();
    });
    qCInfo(lcApp) << "replica open, schema ready";
}

AppContext::~AppContext()
{
    // Controllers and the engine are children; the engine's destructor waits for a running pass,
    // the attachments controller's for its uploader thread and downloads.
    delete m_attachments;
    m_attachments = nullptr;
    delete m_engine;
    m_engine = nullptr;
    g_current = nullptr;
}

AppContext *AppContext::current()
{
    return g_current;
}

QString AppContext::replicaPath() const
{
    return QDir(m_config.dataDir).filePath(u"replica.db"_s);
}

void AppContext::notifyLocalChange()
{
    m_engine->refreshCounts();
    Q_EMIT replicaChanged();
    if (m_config.autoSync)
        m_scheduler->localChange();
}

} // namespace outpost::app
