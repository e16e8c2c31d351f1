#include "app/attachment_models.h"

#include "app/attachments_controller.h"
#include "storage/attachment_repository.h"

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace outpost::app {

namespace {

QString timeText(const QDateTime &at)
{
    return at.isValid() ? at.toUTC().toString(u"yyyy-MM-dd HH:mm 'UTC'"_s) : QString();
}

// "51.507351, -0.127758 (±12 m)": micro-degrees printed with integer arithmetic.
QString degrees(qint64 e6)
{
    const QString sign = e6 < 0 ? u"-"_s : QString();
    const qint64 a = e6 < 0 ? -e6 : e6;
    return sign + QString::number(a / 1000000) + u'.' + u"%1"_s.arg(a % 1000000, 6, 10, QLatin1Char('0'));
}

QString locationText(const storage::AttachmentRow &r)
{
    if (!r.latE6 || !r.lonE6)
        return {};
    QString text = degrees(*r.latE6) + u", "_s + degrees(*r.lonE6);
    if (r.accuracyM)
        text += u" (±%1 m)"_s.arg(*r.accuracyM);
    return text;
}

} // namespace

AttachmentListModel::AttachmentListModel(QObject *parent)
    : AttachmentListModel(AppContext::current() ? AppContext::current()->attachments() : nullptr, parent)
{
}

AttachmentListModel::AttachmentListModel(AttachmentsController *controller, QObject *parent)
    : RowDiffModel(parent)
{
    attach(controller);
}

AttachmentListModel::~AttachmentListModel() = default;

void AttachmentListModel::attach(AttachmentsController *controller)
{
    m_controller = controller;
    if (!controller)
        return;
    connect(controller, &AttachmentsController::attachmentsChanged, this, &AttachmentListModel::reload);
    connect(controller, &AttachmentsController::attachmentChanged, this, [this](const QString &id) {
        if (indexOf(id) >= 0)
            reload();
    });
    connect(controller, &AttachmentsController::uploadProgress, this, &AttachmentListModel::progress);
    connect(controller, &AttachmentsController::remoteRefreshed, this,
            [this](const QString &type, const QString &id, int listed, const QString &code) {
                if (type != m_ownerType || id != m_ownerId)
                    return;
                if (m_refreshing) {
                    m_refreshing = false;
                    Q_EMIT refreshingChanged();
                }
                reload();
                // Thumbnails of what other devices made: fetched now, in the background.
                for (const Row &r : std::as_const(m_rows)) {
                    if (r.state == u"remote"_s && r.thumbnailUrl.isEmpty())
                        m_controller->prefetch(r.id);
                }
                Q_EMIT remoteRefreshed(listed, code);
            });
}

void AttachmentListModel::setOwnerType(const QString &type)
{
    if (type == m_ownerType)
        return;
    m_ownerType = type;
    ownerSet();
}

void AttachmentListModel::setOwnerId(const QString &id)
{
    if (id == m_ownerId)
        return;
    m_ownerId = id;
    ownerSet();
}

void AttachmentListModel::ownerSet()
{
    if (m_refreshing) { // a refresh of the previous owner may still run; its answer is ignored
        m_refreshing = false;
        Q_EMIT refreshingChanged();
    }
    Q_EMIT ownerChanged();
    reload();
    maybeRefreshRemote();
}

void AttachmentListModel::maybeRefreshRemote()
{
    if (!m_controller || m_ownerType.isEmpty() || m_ownerId.isEmpty())
        return;
    if (m_controller->refreshRemote(m_ownerType, m_ownerId) && !m_refreshing) {
        m_refreshing = true;
        Q_EMIT refreshingChanged();
    }
}

void AttachmentListModel::refreshRemote()
{
    if (!m_controller || m_ownerType.isEmpty() || m_ownerId.isEmpty())
        return;
    if (m_controller->refreshRemote(m_ownerType, m_ownerId, true) && !m_refreshing) {
        m_refreshing = true;
        Q_EMIT refreshingChanged();
    }
}

int AttachmentListModel::signatureCount() const
{
    return int(
        std::count_if(m_rows.begin(), m_rows.end(), [](const Row &r) { return r.kind == u"signature"_s; }));
}

int AttachmentListModel::photoCount() const
{
    return int(
        std::count_if(m_rows.begin(), m_rows.end(), [](const Row &r) { return r.kind == u"photo"_s; }));
}

void AttachmentListModel::reload()
{
    QList<Row> next;
    if (m_controller && !m_ownerType.isEmpty() && !m_ownerId.isEmpty()) {
        const QList<storage::AttachmentRow> stored = m_controller->attachmentsOf(m_ownerType, m_ownerId);
        next.reserve(stored.size());
        for (const storage::AttachmentRow &a : stored) {
            Row r;
            r.id = a.id;
            r.kind = a.kind;
            r.caption = a.caption;
            r.fileName = a.fileName;
            r.thumbnailUrl = m_controller->thumbnailUrl(a);
            r.state = a.state;
            r.errorCode = a.errorCode;
            r.errorText = a.errorText;
            r.size = a.size;
            r.uploadedBytes = a.state == u"delivered"_s ? a.size : a.uploadedBytes;
            r.signerName = a.signerName;
            r.signerRole = a.signerRole;
            r.signedAt = a.deviceCreatedAt;
            r.receivedAt = a.serverReceivedAt;
            r.changedSinceSigning = m_controller->orderChangedSince(a).value_or(false);
            r.locationText = locationText(a);
            r.width = a.width;
            r.height = a.height;
            next.append(r);
        }
    }
    const int signaturesBefore = signatureCount();
    replaceRows(
        m_rows, std::move(next), [](const Row &r) { return r.id; },
        [](const Row &a, const Row &b) { return a == b; });
    if (signaturesBefore != signatureCount())
        Q_EMIT countChanged(); // the kind counts changed with the same number of rows
}

// One chunk landed: only that row changes (no re-read of the replica).
void AttachmentListModel::progress(const QString &id, qint64 received, qint64 size)
{
    const int i = indexOf(id);
    if (i < 0)
        return;
    Row &r = m_rows[i];
    if (r.uploadedBytes == received && r.state == u"uploading"_s)
        return;
    r.uploadedBytes = received;
    if (size > 0)
        r.size = size;
    if (r.state == u"waiting"_s)
        r.state = u"uploading"_s;
    const QModelIndex at = index(i);
    Q_EMIT dataChanged(at, at, {StateRole, StateTextRole, ProgressRole, SizeTextRole});
}

int AttachmentListModel::indexOf(const QString &attachmentId) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].id == attachmentId)
            return int(i);
    }
    return -1;
}

QVariantMap AttachmentListModel::get(int row) const
{
    QVariantMap out;
    if (row < 0 || row >= m_rows.size())
        return out;
    const QHash<int, QByteArray> names = roleNames();
    for (auto it = names.cbegin(); it != names.cend(); ++it)
        out.insert(QString::fromUtf8(it.value()), data(index(row), it.key()));
    return out;
}

int AttachmentListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant AttachmentListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case CaptionRole:
        return r.caption;
    case AttachmentIdRole:
        return r.id;
    case KindRole:
        return r.kind;
    case FileNameRole:
        return r.fileName;
    case ThumbnailUrlRole:
        return r.thumbnailUrl;
    case StateRole:
        return r.state;
    case StateTextRole:
        return stateText(r.state, r.uploadedBytes, r.size, r.errorText.isEmpty() ? r.errorCode : r.errorText);
    case ProgressRole:
        return r.size > 0 ? std::clamp(double(r.uploadedBytes) / double(r.size), 0.0, 1.0) : 0.0;
    case ErrorCodeRole:
        return r.errorCode;
    case SignerNameRole:
        return r.signerName;
    case SignerRoleRole:
        return r.signerRole;
    case SignedAtTextRole:
        return timeText(r.signedAt);
    case ReceivedAtTextRole:
        return timeText(r.receivedAt);
    case ChangedSinceSigningRole:
        return r.changedSinceSigning;
    case LocationTextRole:
        return r.locationText;
    case SizeTextRole:
        return sizeText(r.size);
    case WidthRole:
        return r.width;
    case HeightRole:
        return r.height;
    default:
        return {};
    }
}

QHash<int, QByteArray> AttachmentListModel::roleNames() const
{
    return {{AttachmentIdRole, "attachmentId"},
            {KindRole, "kind"},
            {CaptionRole, "caption"},
            {FileNameRole, "fileName"},
            {ThumbnailUrlRole, "thumbnailUrl"},
            {StateRole, "state"},
            {StateTextRole, "stateText"},
            {ProgressRole, "progress"},
            {ErrorCodeRole, "errorCode"},
            {SignerNameRole, "signerName"},
            {SignerRoleRole, "signerRole"},
            {SignedAtTextRole, "signedAtText"},
            {ReceivedAtTextRole, "receivedAtText"},
            {ChangedSinceSigningRole, "changedSinceSigning"},
            {LocationTextRole, "locationText"},
            {SizeTextRole, "sizeText"},
            {WidthRole, "width"},
            {HeightRole, "height"}};
}

QString AttachmentListModel::stateText(const QString &state, qint64 uploaded, qint64 size,
                                       const QString &reason)
{
    if (state == u"waiting"_s)
        return tr("Waiting to send");
    if (state == u"uploading"_s) {
        const qint64 percent = size > 0 ? std::clamp<qint64>(uploaded * 100 / size, 0, 100) : 0;
        return tr("Uploading %1 %").arg(percent);
    }
    if (state == u"delivered"_s)
        return tr("Delivered");
    if (state == u"failed"_s)
        return tr("Failed: %1").arg(reason.isEmpty() ? tr("unknown reason") : reason);
    if (state == u"remote"_s)
        return tr("On the server");
    return state;
}

QString AttachmentListModel::sizeText(qint64 bytes)
{
    if (bytes < 1024)
        return tr("%1 B").arg(bytes);
    if (bytes < 1024 * 1024)
        return tr("%1 KB").arg((bytes + 512) / 1024);
    // One decimal, integer arithmetic: 3.1 MB
    const qint64 tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
    return tr("%1.%2 MB").arg(tenths / 10).arg(tenths % 10);
}

} // namespace outpost::app
