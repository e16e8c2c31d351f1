#include "app/session_controller.h"

#include "app/attachments_controller.h"
#include "app/format.h"
#include "platform/connectivity.h"
#include "storage/attachment_repository.h"
#include "storage/blob_store.h"
#include "storage/database.h"
#include "storage/meta_repository.h"
#include "storage/outbox_repository.h"
#include "storage/sync_state_repository.h"
#include "sync/local_ops.h"
#include "sync/session.h"
#include "sync/sync_engine.h"
#include "sync/sync_scheduler.h"
#include "sync/uploads.h"

#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMutex>
#include <QSaveFile>
#include <QSet>
#include <QThread>

using namespace Qt::Literals::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcApp)

namespace outpost::app {

namespace {

// The process's recent log lines for "export logs". Installed once; chains to the previous
// handler. Every category logs ids and counts only, so the lines are safe to hand to support.
class LogRing
{
public:
    static LogRing &instance()
    {
        static LogRing ring;
        return ring;
    }
    void install()
    {
        QMutexLocker lock(&m_mutex);
        if (m_installed)
            return;
        m_installed = true;
        m_previous = qInstallMessageHandler(&LogRing::handler);
    }
    QStringList lines() const
    {
        QMutexLocker lock(&m_mutex);
        return m_lines;
    }

private:
    static void handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
    {
        LogRing &ring = instance();
        static const char *const kinds[] = {"debug", "warning", "critical", "fatal", "info"};
        const QString line = u"%1 %2 %3: %4"_s.arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs),
                                                   QString::fromLatin1(kinds[qBound(0, int(type), 4)]),
                                                   QString::fromLatin1(context.category ? context.category : "default"),
                                                   message);
        QtMessageHandler previous = nullptr;
        {
            QMutexLocker lock(&ring.m_mutex);
            ring.m_lines.append(line);
            if (ring.m_lines.size() > kMaxLines)
                ring.m_lines.remove(0, ring.m_lines.size() - kMaxLines);
            previous = ring.m_previous;
        }
        if (previous)
            previous(type, context, message);
    }
    static constexpr qsizetype kMaxLines = 2000;
    mutable QMutex m_mutex;
    QStringList m_lines;
    QtMessageHandler m_previous = nullptr;
    bool m_installed = false;
};

using namespace storage::meta; // the session keys in replica_meta

// The sign-in itself, on whichever thread calls it, with its own replica connection.
Result<QJsonObject> login(const QString &replicaPath, const sync::LoginInput &input)
{
    auto db = sync::openReplica(replicaPath);
    if (!db)
        return db.error();
    sync::ApiSession api(**db);
    auto answer = api.login(input);
    if (!answer)
        return answer.error();
    const QString displayName = answer->value(u"user"_s).toObject().value(u"displayName"_s).toString();
    if (Status s = storage::MetaRepository(**db).setValue(kDisplayName, displayName); !s)
        return s.error();
    return answer;
}

QString localPath(const QUrl &url)
{
    return url.isLocalFile() ? url.toLocalFile() : url.toString();
}

} // namespace

struct SessionController::State
{
    QString server, tenant, user, displayName, role, currency;
    bool signedIn = false;
    bool hasData = false;
    QSet<QString> exported; // command ids in the last successful export
    QThread *signInThread = nullptr;
};

SessionController::SessionController(AppContext &app, QObject *parent)
    : QObject(parent), m_app(app), m_state(std::make_unique<State>())
{
    LogRing::instance().install();
    m_partitions = new PartitionListModel(app, this);
    sync::SyncEngine *engine = &app.engine();
    connect(engine, &sync::SyncEngine::countsChanged, this, &SessionController::syncStatusChanged);
    connect(engine, &sync::SyncEngine::stateChanged, this, &SessionController::syncStatusChanged);
    connect(engine, &sync::SyncEngine::onlineChanged, this, &SessionController::syncStatusChanged);
    connect(engine, &sync::SyncEngine::progressChanged, this, &SessionController::syncStatusChanged);
    connect(engine, &sync::SyncEngine::lastSuccessChanged, this, &SessionController::syncStatusChanged);
    connect(engine, &sync::SyncEngine::lastErrorChanged, this, &SessionController::syncStatusChanged);
    connect(&app.connectivity(), &platform::Connectivity::reachabilityChanged, this,
            &SessionController::syncStatusChanged);
    connect(&app, &AppContext::replicaChanged, this, [this] {
        m_partitions->refresh();
        const bool had = m_state->hasData;
        m_state->hasData = m_partitions->rowCount() > 0 || m_app.engine().lastSuccess().isValid();
        if (had != m_state->hasData)
            Q_EMIT syncStatusChanged();
    });
    m_partitions->refresh();
    m_state->hasData = m_partitions->rowCount() > 0 || engine->lastSuccess().isValid();
    // The stored session is read at once (no network); restore() also starts the scheduler.
    sync::ApiSession api(app.db());
    if (api.load()) {
        storage::MetaRepository meta(app.db());
        m_state->signedIn = true;
        m_state->server = meta.valueOr(kServer);
        m_state->tenant = meta.valueOr(kTenant);
        m_state->user = meta.valueOr(kUser);
        m_state->role = meta.valueOr(kRole);
        m_state->currency = meta.valueOr(kCurrency);
        m_state->displayName = meta.valueOr(kDisplayName, m_state->user);
    }
}

SessionController::~SessionController()
{
    if (m_state->signInThread) {
        m_state->signInThread->wait();
        delete m_state->signInThread;
    }
}

bool SessionController::restore()
{
    sync::ApiSession api(m_app.db());
    if (!api.load())
        return false;
    storage::MetaRepository meta(m_app.db());
    m_state->signedIn = true;
    m_state->server = meta.valueOr(kServer);
    m_state->tenant = meta.valueOr(kTenant);
    m_state->user = meta.valueOr(kUser);
    m_state->role = meta.valueOr(kRole);
    m_state->currency = meta.valueOr(kCurrency);
    m_state->displayName = meta.valueOr(kDisplayName, m_state->user);
    qCInfo(lcApp) << "session restored";
    Q_EMIT sessionChanged();
    if (m_app.config().autoSync)
        m_app.scheduler().start();
    return true;
}

bool SessionController::signedIn() const { return m_state->signedIn; }
QString SessionController::userName() const { return m_state->user; }
QString SessionController::displayName() const { return m_state->displayName; }
QString SessionController::role() const { return m_state->role; }
QString SessionController::tenant() const { return m_state->tenant; }
QString SessionController::currency() const { return m_state->currency; }
QUrl SessionController::serverUrl() const { return QUrl(m_state->server); }
QUrl SessionController::defaultServer() const { return m_app.config().defaultServer; }
QString SessionController::defaultTenant() const { return m_app.config().defaultTenant; }

bool SessionController::online() const
{
    return m_app.engine().online() &&
           m_app.connectivity().reachability() != platform::Connectivity::Reachability::Offline;
}

bool SessionController::syncing() const
{
    return m_app.engine().isRunning();
}

QString SessionController::syncState() const
{
    if (m_app.connectivity().reachability() == platform::Connectivity::Reachability::Offline)
        return u"offline"_s;
    switch (m_app.engine().state()) {
    case sync::SyncEngine::State::Idle: return u"idle"_s;
    case sync::SyncEngine::State::Bootstrapping: return u"bootstrapping"_s;
    case sync::SyncEngine::State::Pulling: return u"pulling"_s;
    case sync::SyncEngine::State::Pushing: return u"pushing"_s;
    case sync::SyncEngine::State::Offline: return u"offline"_s;
    case sync::SyncEngine::State::Error: return u"error"_s;
    }
    return u"idle"_s;
}

double SessionController::syncProgress() const { return m_app.engine().progress(); }
QString SessionController::syncProgressText() const { return m_app.engine().progressText(); }
int SessionController::pendingCount() const { return int(m_app.engine().pendingCount()); }
int SessionController::failedCount() const { return int(m_app.engine().failedCount()); }
int SessionController::conflictCount() const { return int(m_app.engine().conflictCount()); }
QDateTime SessionController::lastSuccess() const { return m_app.engine().lastSuccess(); }

QString SessionController::lastSuccessText() const
{
    const QDateTime at = lastSuccess();
    return at.isValid() ? format::age(at, m_app.now()) : tr("never");
}

QString SessionController::syncErrorCode() const { return m_app.engine().lastError().code; }

QString SessionController::syncErrorText() const
{
    const sync::SyncError e = m_app.engine().lastError();
    if (e.code == u"net.offline"_s)
        return tr("Cannot reach the server; will retry");
    if (e.code == u"auth.invalid_token"_s || e.code == u"auth.not_signed_in"_s)
        return tr("The session has ended; sign in again");
    return e.text;
}

bool SessionController::syncErrorTransient() const { return m_app.engine().lastError().isTransient; }
bool SessionController::hasData() const { return m_state->hasData; }
QAbstractItemModel *SessionController::partitions() const { return m_partitions; }

void SessionController::setError(const QString &code, const QString &text)
{
    if (code == m_errorCode && text == m_errorText)
        return;
    m_errorCode = code;
    m_errorText = text;
    Q_EMIT errorChanged();
}

namespace {
QString signInErrorText(const Error &e)
{
    const QString code = e.code;
    if (code == u"auth.invalid_credentials"_s)
        return SessionController::tr("Wrong user name or password");
    if (code == u"net.offline"_s || code == u"net.no_answer"_s || code == u"net.reset"_s)
        return SessionController::tr("Cannot reach the server");
    if (code == u"sync.bad_server"_s)
        return SessionController::tr("Give the server address as http(s)://host:port");
    if (code == u"sync.missing_credentials"_s)
        return SessionController::tr("Enter the company, user name and password");
    if (code == u"sync.replica_other_user"_s)
        return SessionController::tr("This device holds another user's data; sign that user out first");
    if (code == u"auth.user_inactive"_s)
        return SessionController::tr("This user is disabled");
    return e.userText.isEmpty() ? SessionController::tr("Sign-in failed") : e.userText;
}
} // namespace

Status SessionController::signInBlocking(const QUrl &server, const QString &tenant, const QString &user,
                                         const QString &password)
{
    if (m_busy)
        return Error::make(ErrorKind::Conflict, u"session.busy"_s, tr("A sign-in is already running"));
    auto r = login(m_app.replicaPath(), sync::LoginInput{server, tenant, user, password, {}});
    if (!r) {
        setError(r.error().code, signInErrorText(r.error()));
        return r.error();
    }
    restore();
    setError({}, {});
    if (!m_app.config().autoSync)
        m_app.engine().syncNow();
    return {};
}

void SessionController::signIn(const QUrl &server, const QString &tenant, const QString &user, const QString &password)
{
    if (m_busy)
        return;
    m_busy = true;
    Q_EMIT busyChanged();
    setError({}, {});
    const QString path = m_app.replicaPath();
    const sync::LoginInput input{server, tenant, user, password, {}};
    auto result = std::make_shared<std::optional<Result<QJsonObject>>>();
    QThread *thread = QThread::create([path, input, result] { result->emplace(login(path, input)); });
    m_state->signInThread = thread;
    connect(thread, &QThread::finished, this, [this, thread, result] {
        thread->deleteLater();
        m_state->signInThread = nullptr;
        m_busy = false;
        if (result->has_value() && **result) {
            restore();
            if (!m_app.config().autoSync)
                m_app.engine().syncNow();
            qCInfo(lcApp) << "signed in";
        } else {
            const Error e = result->has_value() ? (*result)->error()
                                                : Error::make(ErrorKind::Internal, u"session.sign_in_failed"_s, {});
            qCInfo(lcApp) << "sign-in failed" << e.code;
            setError(e.code, signInErrorText(e));
        }
        Q_EMIT busyChanged();
    });
    thread->start();
}

namespace {
constexpr int kMaxExport = 10000; // as sync/local_ops.cpp
Result<QSet<QString>> undeliveredCommandIds(storage::Database &db)
{
    storage::OutboxRepository outbox(db);
    auto pending = outbox.due(QDateTime(QDate(9999, 12, 31), QTime(0, 0), Qt::UTC), kMaxExport);
    if (!pending)
        return pending.error();
    auto failed = outbox.failedItems();
    if (!failed)
        return failed.error();
    QSet<QString> ids;
    for (const QList<storage::OutboxItem> *list : {&*pending, &*failed}) {
        for (const storage::OutboxItem &i : *list)
            ids.insert(i.commandId);
    }
    // Inflight items are not "due": count them through the pending count.
    auto count = outbox.pendingCount();
    if (count && *count + failed->size() > ids.size())
        ids.insert(u"_inflight"_s);
    return ids;
}
} // namespace

bool SessionController::signOut(bool afterExport)
{
    if (m_app.engine().isRunning()) {
        m_app.engine().cancel();
        setError(u"session.sync_running"_s, tr("A sync is running; try again in a moment"));
        return false;
    }
    auto ids = undeliveredCommandIds(m_app.db());
    if (!ids) {
        setError(ids.error().code, ids.error().userText);
        return false;
    }
    const bool covered = afterExport && m_exportedSinceChange && m_state->exported.contains(*ids);
    if (!ids->isEmpty() && !covered) {
        setError(u"session.pending_commands"_s,
                 tr("%n change(s) have not reached the server yet; export them to a file first", nullptr,
                    int(ids->size())));
        return false;
    }
    // Signatures and photos are not in the export: they must reach the server before the device's
    // copy goes.
    if (auto attachments = storage::AttachmentRepository(m_app.db()).counts();
        attachments && attachments->waiting + attachments->failed > 0) {
        setError(u"session.pending_attachments"_s,
                 tr("%n signature(s) or photo(s) have not reached the server yet; send them first", nullptr,
                    int(attachments->waiting + attachments->failed)));
        return false;
    }
    // Forget the session first: even if a file cannot be removed, the app no longer opens signed in.
    {
        storage::MetaRepository meta(m_app.db());
        auto tx = storage::Transaction::begin(m_app.db());
        if (!tx) {
            setError(tx.error().code, tx.error().userText);
            return false;
        }
        for (const QString &key : {kAccess, kRefresh, kUser, kTenant, kRole, kDisplayName}) {
            if (Status s = meta.remove(key); !s) {
                setError(s.error().code, s.error().userText);
                return false;
            }
        }
        if (Status s = tx->commit(); !s) {
            setError(s.error().code, s.error().userText);
            return false;
        }
    }
    const QString path = m_app.replicaPath();
    for (const QString &file : {path, path + u"-wal"_s, path + u"-shm"_s, path + u"-journal"_s})
        QFile::remove(file);
    if (m_app.attachments())
        m_app.attachments()->uploader().cancel();
    for (const QString &dir : {storage::BlobStore::blobDirFor(path), storage::BlobStore::cacheDirFor(path)})
        QDir(dir).removeRecursively(); // the photos and signatures go with the replica
    qCInfo(lcApp) << "signed out; exported commands" << m_state->exported.size();
    *m_state = State{};
    m_exportedSinceChange = false;
    setError({}, {});
    Q_EMIT sessionChanged();
    Q_EMIT signedOut();
    return true;
}

bool SessionController::exportPending(const QUrl &file)
{
    auto ids = undeliveredCommandIds(m_app.db());
    auto exported = sync::exportPendingCommands(m_app.db());
    if (!ids || !exported) {
        const Error e = !ids ? ids.error() : exported.error();
        setError(e.code, e.userText);
        return false;
    }
    QSaveFile out(localPath(file));
    if (!out.open(QIODevice::WriteOnly) || out.write(exported->json) < 0 || !out.commit()) {
        setError(u"session.export_failed"_s, tr("The file cannot be written"));
        return false;
    }
    ids->remove(u"_inflight"_s); // recovered to pending by the export itself
    m_state->exported = *ids;
    auto after = undeliveredCommandIds(m_app.db());
    if (after)
        m_state->exported.unite(*after);
    m_exportedSinceChange = true;
    qCInfo(lcApp) << "exported commands" << exported->count;
    setError({}, {});
    return true;
}

int SessionController::importPending(const QUrl &file)
{
    QFile in(localPath(file));
    if (!in.open(QIODevice::ReadOnly)) {
        setError(u"session.import_unreadable"_s, tr("The file cannot be read"));
        return -1;
    }
    auto counts = sync::importPending(m_app.db(), in.readAll(), m_app.now());
    if (!counts) {
        setError(counts.error().code, counts.error().code == u"sync.bad_export_file"_s
                                          ? tr("This is not a file of exported changes")
                                          : counts.error().userText);
        return -1;
    }
    qCInfo(lcApp) << "imported commands" << counts->added << "skipped" << counts->skipped;
    setError({}, {});
    if (counts->added > 0)
        m_app.notifyLocalChange();
    return counts->added;
}

void SessionController::syncNow()
{
    m_app.engine().syncNow();
}

bool SessionController::exportLogs(const QUrl &file)
{
    QSaveFile out(localPath(file));
    const QStringList lines = LogRing::instance().lines();
    if (!out.open(QIODevice::WriteOnly) || out.write(lines.join(u'\n').toUtf8() + '\n') < 0 || !out.commit()) {
        setError(u"session.export_failed"_s, tr("The file cannot be written"));
        return false;
    }
    qCInfo(lcApp) << "exported log lines" << lines.size();
    return true;
}

} // namespace outpost::app
