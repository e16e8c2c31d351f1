// Session: sign-in and sign-out, who is signed in, the sync status the whole UI shows, settings.
// QML: `Session` (singleton of Outpost.App).
//
// - signIn() needs the server the first time; it runs off the GUI thread and stores the session in
//   the replica. Afterwards the app opens offline with the stored session (restore() at start).
// - signOut() is refused ("session.pending_commands") while commands are pending or failed, unless
//   exportPending() wrote them to a file first (that file imports on another device with
//   importPending(); the server ignores duplicates by command id). Signing out removes the replica.
// - The sync status is the engine's, re-exposed as properties so QML binds to one object.
#pragma once

#include "app/app_context.h"
#include "app/row_diff_model.h"

#include <QAbstractListModel>
#include <QObject>
#include <QQmlEngine>
#include <QUrl>

namespace outpost::app {

class PartitionListModel;

class SessionController : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(Session)
    QML_SINGLETON
    OUTPOST_QML_SINGLETON(SessionController, session)

    Q_PROPERTY(bool signedIn READ signedIn NOTIFY sessionChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged) // sign-in in flight
    Q_PROPERTY(QString userName READ userName NOTIFY sessionChanged)
    Q_PROPERTY(QString displayName READ displayName NOTIFY sessionChanged)
    Q_PROPERTY(QString role READ role NOTIFY sessionChanged)     // rep | manager | kiosk | admin
    Q_PROPERTY(bool kioskMode READ kioskMode NOTIFY sessionChanged)
    Q_PROPERTY(QString tenant READ tenant NOTIFY sessionChanged)
    Q_PROPERTY(QString currency READ currency NOTIFY sessionChanged)
    Q_PROPERTY(QUrl serverUrl READ serverUrl NOTIFY sessionChanged)
    Q_PROPERTY(QUrl defaultServer READ defaultServer CONSTANT)
    Q_PROPERTY(QString defaultTenant READ defaultTenant CONSTANT)
    Q_PROPERTY(QString errorCode READ errorCode NOTIFY errorChanged)  // last sign-in/out error
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorChanged)

    // Sync status (from SyncEngine).
    Q_PROPERTY(bool online READ online NOTIFY syncStatusChanged)
    Q_PROPERTY(bool syncing READ syncing NOTIFY syncStatusChanged)
    Q_PROPERTY(QString syncState READ syncState NOTIFY syncStatusChanged) // idle|bootstrapping|pulling|pushing|offline|error
    Q_PROPERTY(double syncProgress READ syncProgress NOTIFY syncStatusChanged)
    Q_PROPERTY(QString syncProgressText READ syncProgressText NOTIFY syncStatusChanged)
    Q_PROPERTY(int pendingCount READ pendingCount NOTIFY syncStatusChanged)
    Q_PROPERTY(int failedCount READ failedCount NOTIFY syncStatusChanged)
    Q_PROPERTY(int conflictCount READ conflictCount NOTIFY syncStatusChanged)
    Q_PROPERTY(QDateTime lastSuccess READ lastSuccess NOTIFY syncStatusChanged)
    Q_PROPERTY(QString lastSuccessText READ lastSuccessText NOTIFY syncStatusChanged) // "never", "2 min ago"
    Q_PROPERTY(QString syncErrorCode READ syncErrorCode NOTIFY syncStatusChanged)
    Q_PROPERTY(QString syncErrorText READ syncErrorText NOTIFY syncStatusChanged)
    Q_PROPERTY(bool syncErrorTransient READ syncErrorTransient NOTIFY syncStatusChanged) // "will retry"
    Q_PROPERTY(bool hasData READ hasData NOTIFY syncStatusChanged) // first bootstrap done
    Q_PROPERTY(QAbstractItemModel *partitions READ partitions CONSTANT) // freshness per partition

public:
    explicit SessionController(AppContext &app, QObject *parent = nullptr);
    ~SessionController() override;

    // At start: loads the stored session (no network). True when one was found.
    bool restore();

    bool signedIn() const;
    bool busy() const { return m_busy; }
    QString userName() const;
    QString displayName() const;
    QString role() const;
    bool kioskMode() const { return role() == QStringLiteral("kiosk"); }
    QString tenant() const;
    QString currency() const;
    QUrl serverUrl() const;
    QUrl defaultServer() const;
    QString defaultTenant() const;
    QString errorCode() const { return m_errorCode; }
    QString errorText() const { return m_errorText; }

    bool online() const;
    bool syncing() const;
    QString syncState() const;
    double syncProgress() const;
    QString syncProgressText() const;
    int pendingCount() const;
    int failedCount() const;
    int conflictCount() const;
    QDateTime lastSuccess() const;
    QString lastSuccessText() const;
    QString syncErrorCode() const;
    QString syncErrorText() const;
    bool syncErrorTransient() const;
    bool hasData() const;
    QAbstractItemModel *partitions() const;

    // Blocking variant for the tour, the e2e test and --user/--password on the command line.
    Status signInBlocking(const QUrl &server, const QString &tenant, const QString &user, const QString &password);

public Q_SLOTS:
    // Asynchronous: busy while running; signedInChanged/errorChanged when done. On success the
    // first sync starts at once.
    void signIn(const QUrl &server, const QString &tenant, const QString &user, const QString &password);
    // False (and errorCode "session.pending_commands") while anything is pending or failed,
    // unless force is true *and* exportPending() succeeded since the last capture.
    bool signOut(bool afterExport = false);
    // Writes every pending and failed command to a file (JSON, the outpost-sync export format).
    bool exportPending(const QUrl &file);
    // Queues the commands of an export file (dupes by command id are skipped). Returns how many.
    int importPending(const QUrl &file);
    void syncNow();
    // Writes the app's recent log lines (ids and counts only) to a file for support.
    bool exportLogs(const QUrl &file);

Q_SIGNALS:
    void sessionChanged();
    void busyChanged();
    void errorChanged();
    void syncStatusChanged();
    void signedOut();

private:
    void setError(const QString &code, const QString &text);
    AppContext &m_app;
    PartitionListModel *m_partitions = nullptr;
    bool m_busy = false;
    bool m_exportedSinceChange = false;
    QString m_errorCode;
    QString m_errorText;
    struct State;
    std::unique_ptr<State> m_state;
};

// Freshness per partition: roles partition, lastSuccess (QDateTime), age (text), cursor.
class PartitionListModel : public RowDiffModel
{
    Q_OBJECT
public:
    enum Role { PartitionRole = Qt::UserRole + 1, LastSuccessRole, AgeTextRole, CursorRole };
    explicit PartitionListModel(AppContext &app, QObject *parent = nullptr);
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    void refresh();

private:
    AppContext &m_app;
    struct Row
    {
        QString partition;
        QDateTime lastSuccess;
        qint64 cursor = 0;
    };
    QList<Row> m_rows;
};

} // namespace outpost::app
