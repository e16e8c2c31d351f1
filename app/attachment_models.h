// The attachments (signatures and photos) of one order or account, for AttachmentsPanel.qml.
// QML makes one per panel (`AttachmentListModel { ownerType: "order"; ownerId: ... }`); it reads
// the replica (AttachmentRepository::forOwner) and re-reads by keyed diff when the replica or an
// attachment changes. Upload progress arrives as one dataChanged for that row, never a re-read of
// everything. When the owner is an order or an account it asks the server once per owner per
// session for attachments made on other devices (a worker thread; never the GUI thread).
//
// Roles: attachmentId, kind ("signature"|"photo"), caption, fileName, thumbnailUrl, state
// (waiting|uploading|delivered|failed|remote), stateText ("Waiting to send", "Uploading 42 %",
// "Delivered", "Failed: <reason>", "On the server"), progress (0..1), errorCode, signerName,
// signerRole, signedAtText (device time), receivedAtText (server time), changedSinceSigning,
// locationText, sizeText, width, height.
#pragma once

#include "app/row_diff_model.h"

#include <QDateTime>
#include <QPointer>
#include <QQmlEngine>
#include <QUrl>

namespace outpost::app {

class AttachmentsController;

class AttachmentListModel : public RowDiffModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString ownerType READ ownerType WRITE setOwnerType NOTIFY ownerChanged)
    Q_PROPERTY(QString ownerId READ ownerId WRITE setOwnerId NOTIFY ownerChanged)
    Q_PROPERTY(bool refreshing READ refreshing NOTIFY refreshingChanged) // asking the server
    Q_PROPERTY(int signatureCount READ signatureCount NOTIFY countChanged)
    Q_PROPERTY(int photoCount READ photoCount NOTIFY countChanged)

public:
    enum Role {
        AttachmentIdRole = Qt::UserRole + 1, KindRole, CaptionRole, FileNameRole, ThumbnailUrlRole, StateRole,
        StateTextRole, ProgressRole, ErrorCodeRole, SignerNameRole, SignerRoleRole, SignedAtTextRole,
        ReceivedAtTextRole, ChangedSinceSigningRole, LocationTextRole, SizeTextRole, WidthRole, HeightRole
    };
    struct Row
    {
        QString id;
        QString kind;
        QString caption;
        QString fileName;
        QUrl thumbnailUrl;
        QString state;
        QString errorCode;
        QString errorText;
        qint64 size = 0;
        qint64 uploadedBytes = 0;
        QString signerName;
        QString signerRole;
        QDateTime signedAt;
        QDateTime receivedAt;
        bool changedSinceSigning = false;
        QString locationText;
        int width = 0;
        int height = 0;
        friend bool operator==(const Row &, const Row &) = default;
    };

    // QML: the AppContext's controller. Tests: an explicit one.
    explicit AttachmentListModel(QObject *parent = nullptr);
    AttachmentListModel(AttachmentsController *controller, QObject *parent);
    ~AttachmentListModel() override;

    QString ownerType() const { return m_ownerType; }
    void setOwnerType(const QString &type);
    QString ownerId() const { return m_ownerId; }
    void setOwnerId(const QString &id);
    bool refreshing() const { return m_refreshing; }
    int signatureCount() const;
    int photoCount() const;
    const QList<Row> &rows() const { return m_rows; }

    // Re-reads the replica (keyed diff).
    Q_INVOKABLE void reload();
    // Asks the server for attachments made elsewhere now (again, even if it was asked before).
    Q_INVOKABLE void refreshRemote();
    Q_INVOKABLE int indexOf(const QString &attachmentId) const;
    Q_INVOKABLE QVariantMap get(int row) const; // every role of a row by name

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    // "Waiting to send", "Uploading 42 %", ... for a state, bytes sent of size, reason.
    static QString stateText(const QString &state, qint64 uploaded, qint64 size, const QString &reason);
    static QString sizeText(qint64 bytes); // "412 KB", "3.1 MB"

Q_SIGNALS:
    void ownerChanged();
    void refreshingChanged();
    void remoteRefreshed(int listed, const QString &errorCode); // after a server refresh

private:
    void attach(AttachmentsController *controller);
    void ownerSet();
    void progress(const QString &id, qint64 received, qint64 size);
    void maybeRefreshRemote();
    QPointer<AttachmentsController> m_controller;
    QString m_ownerType;
    QString m_ownerId;
    bool m_refreshing = false;
    QList<Row> m_rows;
};

} // namespace outpost::app
