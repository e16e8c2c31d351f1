// AppContext: the composition root's product. main.cpp (and the Quick tests, the end-to-end test,
// the screenshot tour) build one from an AppConfig; it owns the GUI thread's replica connection,
// the sync engine and scheduler, the connectivity monitor and the controllers QML sees. Nothing
// else wires objects together.
//
// Threads: the GUI connection reads (WAL: readers never wait on the sync writer) and makes the
// rep's small writes (drafts, edits: one short transaction each). The sync engine applies on its
// own thread and connection. After every sync pass and every local write, replicaChanged() tells
// the models to re-read what they show; they update row by row (RowDiffModel), never by reset.
//
// QML reaches C++ only through the controllers below, registered as singletons of the module
// Outpost.App whose create() returns this context's instance (OUTPOST_QML_SINGLETON).
#pragma once

#include "domain/result.h"
#include "sync/sync_context.h"

#include <QDateTime>
#include <QObject>
#include <QString>
#include <QUrl>

#include <memory>
#include <optional>

namespace outpost::storage {
class Database;
}
namespace outpost::sync {
class SyncEngine;
class SyncScheduler;
} // namespace outpost::sync

namespace outpost::platform {
class Connectivity;
}

namespace outpost::app {

class SessionController;
class AccountsController;
class CatalogController;
class OrderController;
class OrdersController;
class ConflictsController;
class KioskController;
class AttachmentsController;

struct AppConfig
{
    QString dataDir;     // the replica (replica.db) and logs live here; created if missing
    QUrl defaultServer;  // prefilled on the sign-in screen (--server)
    QString defaultTenant = QStringLiteral("demo");
    std::chrono::seconds clockOffset{0}; // tests: a device clock off by days changes nothing
    bool autoSync = true;                // scheduler on (tests drive syncNow() themselves)
    std::chrono::milliseconds syncInterval{std::chrono::minutes(5)};
    QString kioskPin = QStringLiteral("2468"); // admin PIN to leave kiosk mode (--kiosk-pin)
    QString nmeaFile;                    // --nmea FILE: positions replayed from an NMEA log
    std::optional<int> photoMaxEdge;     // --photo-max-edge N: sets the photo size setting
};

class AppContext : public QObject
{
    Q_OBJECT
public:
    // Opens (and migrates) the replica in config.dataDir; "app.data_dir" when the folder cannot be
    // made, storage errors otherwise.
    static Result<std::unique_ptr<AppContext>> create(const AppConfig &config);
    ~AppContext() override;

    // The one instance QML singletons resolve to (set by create(), cleared by the destructor).
    static AppContext *current();

    const AppConfig &config() const { return m_config; }
    QString replicaPath() const;
    storage::Database &db() { return *m_db; }
    sync::SyncEngine &engine() { return *m_engine; }
    sync::SyncScheduler &scheduler() { return *m_scheduler; }
    platform::Connectivity &connectivity() { return *m_connectivity; }
    sync::Clock clock() const { return m_clock; }
    QDateTime now() const { return m_clock.now(); }

    SessionController *session() const { return m_session; }
    AccountsController *accounts() const { return m_accounts; }
    CatalogController *catalog() const { return m_catalog; }
    OrderController *order() const { return m_order; }
    OrdersController *orders() const { return m_orders; }
    ConflictsController *conflicts() const { return m_conflicts; }
    KioskController *kiosk() const { return m_kiosk; }
    AttachmentsController *attachments() const { return m_attachments; }

    // Controllers call this after a local write: models re-read, the scheduler syncs soon.
    void notifyLocalChange();

Q_SIGNALS:
    // The replica changed (a sync pass ended or a phase of it committed, or a local write).
    void replicaChanged();

private:
    AppContext(const AppConfig &config, std::unique_ptr<storage::Database> db);
    AppConfig m_config;
    sync::Clock m_clock;
    std::unique_ptr<storage::Database> m_db;
    sync::SyncEngine *m_engine = nullptr;
    sync::SyncScheduler *m_scheduler = nullptr;
    platform::Connectivity *m_connectivity = nullptr;
    SessionController *m_session = nullptr;
    AccountsController *m_accounts = nullptr;
    CatalogController *m_catalog = nullptr;
    OrderController *m_order = nullptr;
    OrdersController *m_orders = nullptr;
    ConflictsController *m_conflicts = nullptr;
    KioskController *m_kiosk = nullptr;
    AttachmentsController *m_attachments = nullptr;
};

} // namespace outpost::app

// In a controller class body after Q_OBJECT: QML_NAMED_ELEMENT(Name) QML_SINGLETON and a create()
// that hands QML the AppContext's instance (C++ keeps ownership).
#define OUTPOST_QML_SINGLETON(Type, accessor)                                                       \
public:                                                                                              \
    static Type *create(QQmlEngine *, QJSEngine *engine)                                             \
    {                                                                                                \
        Type *instance = ::outpost::app::AppContext::current()->accessor();                         \
        QJSEngine::setObjectOwnership(instance, QJSEngine::CppOwnership);                            \
        Q_UNUSED(engine);                                                                            \
        return instance;                                                                             \
    }                                                                                                \
                                                                                                     \
private:
