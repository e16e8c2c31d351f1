#include "storage/attachment_repository.h"

#include "domain/content_hash.h"
#include "storage/database.h"
#include "storage/repo_util.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUuid>

using namespace Qt::Literals::StringLiterals;

namespace outpost::storage {

namespace {

constexpr int kMaxStrokes = 5000;
constexpr int kMaxPoints = 200000;
constexpr int kMaxCaption = 500;
constexpr int kMaxFileNameBytes = 255;

#define ATTACHMENT_COLUMNS                                                                                   \
    "id, kind, owner_type, owner_id, account_id, sha256, size, mime, file_name, caption, width, height, "    \
    "thumb_sha256, lat_e6, lon_e6, accuracy_m, signer_name, signer_role, strokes, order_content_hash, "      \
    "device_created_at, server_received_at, origin, state, uploaded_bytes, attempts, next_attempt_at, "       \
    "error_code, error_text, sent_bytes"

AttachmentRow readRow(const Statement &st)
{
    AttachmentRow r;
    r.id = st.text(0);
    r.kind = st.text(1);
    r.ownerType = st.text(2);
    r.ownerId = st.text(3);
    r.accountId = st.int64(4);
    r.sha256 = st.text(5);
    r.size = st.int64(6);
    r.mime = st.text(7);
    r.fileName = st.text(8);
    r.caption = st.text(9);
    r.width = qint32(st.int64(10));
    r.height = qint32(st.int64(11));
    r.thumbSha256 = st.text(12);
    r.latE6 = st.optInt64(13);
    r.lonE6 = st.optInt64(14);
    r.accuracyM = st.optInt64(15);
    r.signerName = st.text(16);
    r.signerRole = st.text(17);
    if (!st.isNull(18))
        r.strokes = strokesFromJson(st.textUtf8(18)).valueOr({});
    r.orderContentHash = st.text(19);
    r.deviceCreatedAt = st.dateTime(20);
    r.serverReceivedAt = st.dateTime(21);
    r.origin = st.text(22);
    r.state = st.text(23);
    r.uploadedBytes = st.int64(24);
    r.attempts = int(st.int64(25));
    r.nextAttemptAt = st.dateTime(26);
    r.errorCode = st.text(27);
    r.errorText = st.text(28);
    r.sentBytes = st.int64(29);
    return r;
}

Error invalid(const QString &code, const QString &text, const QString &field)
{
    return Error::invalid(code, text, field);
}

Error notFound(const QString &id)
{
    return detail::notFound(u"storage.attachment_not_found"_s, u"No such attachment on this device."_s, id);
}

Error badState(const QString &id, const QString &from, const char *to)
{
    return Error::make(ErrorKind::Conflict, u"storage.attachment_bad_state"_s,
                       u"The attachment is not in a state that allows this."_s,
                       u"%1: %2 -> %3"_s.arg(id, from, QString::fromLatin1(to)));
}

bool isUuid(const QString &id)
{
    if (id.size() != 36 || id != id.toLower())
        return false;
    return !QUuid::fromString(id).isNull();
}

bool isBareFileName(const QString &name)
{
    const QByteArray utf8 = name.toUtf8();
    if (name.isEmpty() || utf8.size() > kMaxFileNameBytes)
        return false;
    if (name.contains(u'/') || name.contains(u'\\') || name.contains(u".."_s) || name == u"."_s)
        return false;
    if (name.size() >= 2 && name.at(1) == u':' && name.at(0).isLetter())
        return false; // a drive letter
    for (QChar c : name) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return false;
    }
    return true;
}

Status validateStrokes(const QList<SignatureStroke> &strokes)
{
    if (strokes.isEmpty() || strokes.size() > kMaxStrokes)
        return invalid(u"attachment.bad_strokes"_s, u"A signature needs between 1 and 5000 strokes."_s, u"strokes"_s);
    qint64 points = 0;
    for (const SignatureStroke &s : strokes) {
        if (s.isEmpty())
            return invalid(u"attachment.bad_strokes"_s, u"A signature stroke has no points."_s, u"strokes"_s);
        points += s.size();
        for (const SignaturePoint &p : s) {
            if (p.pressure < 0 || p.pressure > 1000 || p.tMs < 0)
                return invalid(u"attachment.bad_strokes"_s, u"A signature point is malformed."_s, u"strokes"_s);
        }
    }
    if (points > kMaxPoints)
        return invalid(u"attachment.bad_strokes"_s, u"A signature has too many points."_s, u"strokes"_s);
    return {};
}

Status validate(const AttachmentRow &r, bool local)
{
    if (!isUuid(r.id))
        return invalid(u"attachment.bad_id"_s, u"An attachment id must be a lower-case UUID."_s, u"id"_s);
    if (r.kind != u"signature"_s && r.kind != u"photo"_s)
        return invalid(u"attachment.bad_kind"_s, u"An attachment is a signature or a photo."_s, u"kind"_s);
    const bool orderOwner = r.ownerType == u"order"_s;
    const bool accountOwner = r.ownerType == u"account"_s;
    if ((!orderOwner && !accountOwner) || r.ownerId.isEmpty() || r.accountId <= 0
        || (orderOwner && !isUuid(r.ownerId))
        || (accountOwner && r.ownerId != QString::number(r.accountId)))
        return invalid(u"attachment.bad_owner"_s, u"An attachment belongs to an order or an account."_s,
                       u"ownerId"_s);
    if (!domain::isSha256Hex(r.sha256))
        return invalid(u"attachment.bad_hash"_s, u"The file's fingerprint is not a SHA-256."_s, u"sha256"_s);
    if (local && !r.thumbSha256.isEmpty() && !domain::isSha256Hex(r.thumbSha256))
        return invalid(u"attachment.bad_hash"_s, u"The thumbnail's fingerprint is not a SHA-256."_s,
                       u"thumbSha256"_s);
    if (r.size < 1)
        return invalid(u"attachment.bad_size"_s, u"An attachment cannot be empty."_s, u"size"_s);
    if (r.mime != u"image/jpeg"_s && r.mime != u"image/png"_s)
        return invalid(u"attachment.bad_mime"_s, u"Only JPEG and PNG images can be attached."_s, u"mime"_s);
    if (!isBareFileName(r.fileName))
        return invalid(u"attachment.bad_file_name"_s, u"A file name cannot contain a path."_s, u"fileName"_s);
    if (r.caption.size() > kMaxCaption)
        return invalid(u"attachment.bad_caption"_s, u"A caption is at most 500 characters."_s, u"caption"_s);
    if (r.width < 0 || r.height < 0)
        return invalid(u"attachment.bad_size"_s, u"Image dimensions cannot be negative."_s, u"width"_s);
    if (r.latE6.has_value() != r.lonE6.has_value() || (r.latE6 && (*r.latE6 < -90000000 || *r.latE6 > 90000000))
        || (r.lonE6 && (*r.lonE6 < -180000000 || *r.lonE6 > 180000000)) || (r.accuracyM && *r.accuracyM < 0))
        return invalid(u"attachment.bad_location"_s, u"The position is not a valid coordinate."_s, u"location"_s);
    if (!r.deviceCreatedAt.isValid())
        return invalid(u"attachment.bad_time"_s, u"An attachment needs the time it was made."_s,
                       u"deviceCreatedAt"_s);
    const bool hasSignature = !r.signerName.isEmpty() || !r.signerRole.isEmpty() || !r.strokes.isEmpty()
                              || !r.orderContentHash.isEmpty();
    if (r.kind == u"photo"_s) {
        if (hasSignature)
            return invalid(u"attachment.signature_not_allowed"_s, u"A photo carries no signature."_s,
                           u"signature"_s);
        return {};
    }
    if (r.signerName.trimmed().isEmpty() || r.strokes.isEmpty())
        return invalid(u"attachment.signature_required"_s, u"A signature needs the signer's name and strokes."_s,
                       u"signature"_s);
    if (!r.orderContentHash.isEmpty() && !domain::isSha256Hex(r.orderContentHash))
        return invalid(u"attachment.bad_hash"_s, u"The order's content hash is not a SHA-256."_s,
                       u"orderContentHash"_s);
    if (orderOwner && r.orderContentHash.isEmpty())
        return invalid(u"attachment.signature_required"_s, u"A signature on an order keeps the order's hash."_s,
                       u"orderContentHash"_s);
    return validateStrokes(r.strokes);
}

Status insertBlobRow(Database &db, const QString &sha, qint64 size, const QString &mime, const QDateTime &now)
{
    auto st = db.prepare("INSERT OR IGNORE INTO blobs (sha256, size, mime, created_at) VALUES (?, ?, ?, ?)");
    if (!st)
        return st.error();
    st->bind(1, sha).bind(2, size).bind(3, mime).bind(4, now);
    return st->exec();
}

} // namespace

QByteArray strokesToJson(const QList<SignatureStroke> &strokes)
{
    QJsonArray all;
    for (const SignatureStroke &stroke : strokes) {
        QJsonArray points;
        for (const SignaturePoint &p : stroke)
            points.append(QJsonArray{p.x, p.y, p.tMs, p.pressure});
        all.append(points);
    }
    return QJsonDocument(all).toJson(QJsonDocument::Compact);
}

Result<QList<SignatureStroke>> strokesFromJson(const QByteArray &json)
{
    const auto bad = [](const QString &detail) {
        Error e = Error::invalid(u"attachment.bad_strokes"_s, u"The signature strokes are malformed."_s, u"strokes"_s);
        e.detail = detail;
        return e;
    };
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isArray())
        return bad(u"not a JSON array"_s);
    const auto isInt32 = [](const QJsonValue &v) {
        if (!v.isDouble())
            return false;
        const double d = v.toDouble();
        return d == double(qint64(d)) && d >= -2147483648.0 && d <= 2147483647.0;
    };
    QList<SignatureStroke> strokes;
    const QJsonArray all = doc.array();
    strokes.reserve(all.size());
    for (const QJsonValue &strokeValue : all) {
        if (!strokeValue.isArray())
            return bad(u"stroke is not an array"_s);
        SignatureStroke stroke;
        const QJsonArray points = strokeValue.toArray();
        stroke.reserve(points.size());
        for (const QJsonValue &pointValue : points) {
            const QJsonArray p = pointValue.toArray();
            if (!pointValue.isArray() || p.size() != 4)
                return bad(u"point is not [x,y,tMs,pressure]"_s);
            for (const QJsonValue &v : p) {
                if (!isInt32(v))
                    return bad(u"point member is not an integer"_s);
            }
            stroke.append(SignaturePoint{p[0].toInt(), p[1].toInt(), p[2].toInt(), p[3].toInt()});
        }
        strokes.append(stroke);
    }
    return strokes;
}

Status AttachmentRepository::add(const AttachmentRow &row, qint64 thumbSize, const QDateTime &now)
{
    if (Status s = validate(row, true); !s)
        return s;
    if (!now.isValid())
        return invalid(u"attachment.bad_time"_s, u"The current time is needed."_s, u"now"_s);
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.error();
    {
        auto exists = m_db.prepare("SELECT 1 FROM attachments WHERE id = ?");
        if (!exists)
            return exists.error();
        exists->bind(1, row.id);
        auto found = exists->step();
        if (!found)
            return found.error();
        if (*found)
            return Error::make(ErrorKind::Conflict, u"attachment.exists"_s,
                               u"An attachment with this id is already on this device."_s, row.id);
    }
    auto st = m_db.prepare("INSERT INTO attachments (" ATTACHMENT_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                           "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 'local', 'waiting', 0, 0, ?, '', '', 0)");
    if (!st)
        return st.error();
    st->bind(1, row.id).bind(2, row.kind).bind(3, row.ownerType).bind(4, row.ownerId).bind(5, row.accountId);
    st->bind(6, row.sha256).bind(7, row.size).bind(8, row.mime).bind(9, row.fileName).bind(10, row.caption);
    st->bind(11, row.width).bind(12, row.height).bind(13, row.thumbSha256);
    st->bind(14, row.latE6).bind(15, row.lonE6).bind(16, row.accuracyM);
    st->bind(17, row.signerName).bind(18, row.signerRole);
    if (row.kind == u"signature"_s)
        st->bindText(19, strokesToJson(row.strokes));
    else
        st->bind(19, nullptr);
    st->bind(20, row.orderContentHash).bind(21, row.deviceCreatedAt.toUTC()).bind(22, now.toUTC());
    if (Status s = st->exec(); !s)
        return s;
    if (Status s = insertBlobRow(m_db, row.sha256, row.size, row.mime, now.toUTC()); !s)
        return s;
    if (!row.thumbSha256.isEmpty()) {
        if (Status s = insertBlobRow(m_db, row.thumbSha256, thumbSize, u"image/jpeg"_s, now.toUTC()); !s)
            return s;
    }
    return tx->commit();
}

Result<AttachmentRow> AttachmentRepository::get(const QString &id)
{
    auto st = m_db.prepare("SELECT " ATTACHMENT_COLUMNS " FROM attachments WHERE id = ?");
    if (!st)
        return st.error();
    st->bind(1, id);
    if (Status s = detail::firstRow(*st, notFound(id)); !s)
        return s.error();
    return readRow(*st);
}

Result<QList<AttachmentRow>> AttachmentRepository::forOwner(const QString &ownerType, const QString &ownerId)
{
    auto st = m_db.prepare("SELECT " ATTACHMENT_COLUMNS " FROM attachments WHERE owner_type = ? AND owner_id = ? "
                           "ORDER BY device_created_at, id");
    if (!st)
        return st.error();
    st->bind(1, ownerType).bind(2, ownerId);
    return detail::collectRows(*st, readRow);
}

Result<QList<AttachmentRow>> AttachmentRepository::due(const QDateTime &now, int limit)
{
    if (Status s = detail::checkPage(limit, 0); !s)
        return s.error();
    auto st = m_db.prepare("SELECT " ATTACHMENT_COLUMNS " FROM attachments WHERE origin = 'local' AND "
                           "state = 'waiting' AND (next_attempt_at IS NULL OR next_attempt_at <= ?) "
                           "AND NOT (owner_type = 'order' AND EXISTS (SELECT 1 FROM orders o "
                           "WHERE o.id = attachments.owner_id AND o.status = 'draft')) "
                           "ORDER BY device_created_at, id LIMIT ?");
    if (!st)
        return st.error();
    st->bind(1, now.toUTC()).bind(2, limit);
    return detail::collectRows(*st, readRow);
}

Result<int> AttachmentRepository::recoverUploading()
{
    auto st = m_db.prepare("UPDATE attachments SET state = 'waiting' WHERE origin = 'local' AND state = 'uploading'");
    if (!st)
        return st.error();
    if (Status s = st->exec(); !s)
        return s.error();
    return m_db.changes();
}

namespace {

// Runs an UPDATE whose WHERE names the allowed states; when nothing changed, says why (unknown
// id or a wrong state).
template <typename Bind>
Status transition(Database &db, const char *sql, const QString &id, const char *to, Bind bind)
{
    auto tx = Transaction::begin(db);
    if (!tx)
        return tx.error();
    auto st = db.prepare(sql);
    if (!st)
        return st.error();
    bind(*st);
    if (Status s = st->exec(); !s)
        return s;
    if (db.changes() == 0) {
        auto q = db.prepare("SELECT state FROM attachments WHERE id = ?");
        if (!q)
            return q.error();
        q->bind(1, id);
        if (Status s = detail::firstRow(*q, notFound(id)); !s)
            return s;
        return badState(id, q->text(0), to);
    }
    return tx->commit();
}

} // namespace

Status AttachmentRepository::markUploading(const QString &id)
{
    return transition(m_db,
                      "UPDATE attachments SET state = 'uploading', attempts = attempts + 1 "
                      "WHERE id = ? AND origin = 'local' AND state = 'waiting'",
                      id, "uploading", [&](Statement &st) { st.bind(1, id); });
}

Status AttachmentRepository::markProgress(const QString &id, qint64 uploadedBytes)
{
    if (uploadedBytes < 0)
        return invalid(u"attachment.bad_size"_s, u"Uploaded bytes cannot be negative."_s, u"uploadedBytes"_s);
    return transition(m_db,
                      "UPDATE attachments SET uploaded_bytes = min(?, size) "
                      "WHERE id = ? AND origin = 'local' AND state = 'uploading'",
                      id, "uploading", [&](Statement &st) { st.bind(1, uploadedBytes).bind(2, id); });
}

Status AttachmentRepository::markSent(const QString &id, qint64 sentUpTo)
{
    if (sentUpTo < 0)
        return invalid(u"attachment.bad_size"_s, u"Sent bytes cannot be negative."_s, u"sentUpTo"_s);
    return transition(m_db,
                      "UPDATE attachments SET sent_bytes = max(sent_bytes, min(?, size)) "
                      "WHERE id = ? AND origin = 'local' AND state = 'uploading'",
                      id, "uploading", [&](Statement &st) { st.bind(1, sentUpTo).bind(2, id); });
}

Status AttachmentRepository::markReceivedAt(const QString &id, const QDateTime &serverReceivedAt)
{
    if (!serverReceivedAt.isValid())
        return invalid(u"attachment.bad_time"_s, u"The server's receipt time is missing."_s, u"receivedAt"_s);
    return transition(m_db,
                      "UPDATE attachments SET server_received_at = ? WHERE id = ? AND origin = 'local' "
                      "AND state IN ('waiting', 'uploading', 'delivered', 'failed')",
                      id, "received", [&](Statement &st) { st.bind(1, serverReceivedAt.toUTC()).bind(2, id); });
}

Status AttachmentRepository::markDelivered(const QString &id, const QDateTime &serverReceivedAt)
{
    return transition(m_db,
                      "UPDATE attachments SET state = 'delivered', uploaded_bytes = size, "
                      "server_received_at = coalesce(?, server_received_at), next_attempt_at = NULL, "
                      "error_code = '', error_text = '' WHERE id = ? AND origin = 'local' AND state = 'uploading'",
                      id, "delivered", [&](Statement &st) {
                          if (serverReceivedAt.isValid())
                              st.bind(1, serverReceivedAt.toUTC());
                          else
                              st.bind(1, nullptr);
                          st.bind(2, id);
                      });
}

Status AttachmentRepository::markFailed(const QString &id, const Error &error, std::optional<QDateTime> retryAt)
{
    if (retryAt && !retryAt->isValid())
        return invalid(u"attachment.bad_time"_s, u"The retry time is not valid."_s, u"retryAt"_s);
    return transition(m_db,
                      "UPDATE attachments SET state = ?, next_attempt_at = ?, error_code = ?, error_text = ? "
                      "WHERE id = ? AND origin = 'local' AND state = 'uploading'",
                      id, retryAt ? "waiting" : "failed", [&](Statement &st) {
                          st.bind(1, retryAt ? u"waiting"_s : u"failed"_s);
                          if (retryAt)
                              st.bind(2, retryAt->toUTC());
                          else
                              st.bind(2, nullptr);
                          st.bind(3, error.code).bind(4, error.userText).bind(5, id);
                      });
}

Status AttachmentRepository::retry(const QString &id, const QDateTime &now)
{
    return transition(m_db,
                      "UPDATE attachments SET state = 'waiting', next_attempt_at = ?, error_code = '', "
                      "error_text = '' WHERE id = ? AND origin = 'local' AND state = 'failed'",
                      id, "waiting", [&](Statement &st) { st.bind(1, now.toUTC()).bind(2, id); });
}

Result<int> AttachmentRepository::makeAllDue(const QDateTime &now)
{
    auto st = m_db.prepare("UPDATE attachments SET next_attempt_at = ? WHERE origin = 'local' AND state = 'waiting'");
    if (!st)
        return st.error();
    st->bind(1, now.toUTC());
    if (Status s = st->exec(); !s)
        return s.error();
    return m_db.changes();
}

Status AttachmentRepository::upsertRemote(const AttachmentRow &row)
{
    if (Status s = validate(row, false); !s)
        return s;
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.error();
    auto st = m_db.prepare(
        "INSERT INTO attachments (" ATTACHMENT_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, 'remote', 'remote', ?, 0, NULL, '', '', 0) "
        "ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, owner_type = excluded.owner_type, "
        "owner_id = excluded.owner_id, account_id = excluded.account_id, sha256 = excluded.sha256, "
        "size = excluded.size, mime = excluded.mime, file_name = excluded.file_name, caption = excluded.caption, "
        "width = excluded.width, height = excluded.height, lat_e6 = excluded.lat_e6, lon_e6 = excluded.lon_e6, "
        "accuracy_m = excluded.accuracy_m, signer_name = excluded.signer_name, signer_role = excluded.signer_role, "
        "strokes = excluded.strokes, order_content_hash = excluded.order_content_hash, "
        "device_created_at = excluded.device_created_at, server_received_at = excluded.server_received_at, "
        "uploaded_bytes = excluded.uploaded_bytes "
        "WHERE attachments.origin = 'remote'");
    if (!st)
        return st.error();
    st->bind(1, row.id).bind(2, row.kind).bind(3, row.ownerType).bind(4, row.ownerId).bind(5, row.accountId);
    st->bind(6, row.sha256).bind(7, row.size).bind(8, row.mime).bind(9, row.fileName).bind(10, row.caption);
    st->bind(11, row.width).bind(12, row.height);
    st->bind(13, row.latE6).bind(14, row.lonE6).bind(15, row.accuracyM);
    st->bind(16, row.signerName).bind(17, row.signerRole);
    if (row.kind == u"signature"_s)
        st->bindText(18, strokesToJson(row.strokes));
    else
        st->bind(18, nullptr);
    st->bind(19, row.orderContentHash).bind(20, row.deviceCreatedAt.toUTC());
    if (row.serverReceivedAt.isValid())
        st->bind(21, row.serverReceivedAt.toUTC());
    else
        st->bind(21, nullptr);
    st->bind(22, row.uploadedBytes);
    if (Status s = st->exec(); !s)
        return s;
    return tx->commit();
}

Status AttachmentRepository::setThumbnail(const QString &id, const QString &thumbSha256, qint64 thumbSize)
{
    if (!domain::isSha256Hex(thumbSha256))
        return invalid(u"attachment.bad_hash"_s, u"The thumbnail's fingerprint is not a SHA-256."_s,
                       u"thumbSha256"_s);
    if (thumbSize < 1)
        return invalid(u"attachment.bad_size"_s, u"A thumbnail cannot be empty."_s, u"thumbSize"_s);
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.error();
    auto st = m_db.prepare("UPDATE attachments SET thumb_sha256 = ? WHERE id = ?");
    if (!st)
        return st.error();
    st->bind(1, thumbSha256).bind(2, id);
    if (Status s = st->exec(); !s)
        return s;
    if (m_db.changes() == 0)
        return notFound(id);
    if (Status s = insertBlobRow(m_db, thumbSha256, thumbSize, u"image/jpeg"_s, QDateTime::currentDateTimeUtc()); !s)
        return s;
    return tx->commit();
}

Result<AttachmentCounts> AttachmentRepository::counts()
{
    auto st = m_db.prepare(
        "SELECT coalesce(sum(state IN ('waiting', 'uploading')), 0), coalesce(sum(state = 'failed'), 0), "
        "coalesce(sum(state = 'delivered'), 0), "
        "coalesce(sum(CASE WHEN state IN ('waiting', 'uploading', 'failed') THEN size - uploaded_bytes ELSE 0 END), 0) "
        "FROM attachments WHERE origin = 'local'");
    if (!st)
        return st.error();
    auto row = st->step();
    if (!row)
        return row.error();
    AttachmentCounts c;
    c.waiting = st->int64(0);
    c.failed = st->int64(1);
    c.delivered = st->int64(2);
    c.bytesWaiting = st->int64(3);
    return c;
}

Status AttachmentRepository::setCaption(const QString &id, const QString &caption)
{
    auto st = m_db.prepare("UPDATE attachments SET caption = ?2 WHERE id = ?1 AND origin = 'local' "
                           "AND ((state = 'waiting' AND attempts = 0) OR state = 'failed')");
    if (!st)
        return st.error();
    st->bind(1, id).bind(2, caption);
    if (Status s = st->exec(); !s)
        return s;
    if (m_db.changes() != 1)
        return Error::invalid(u"attachment.caption_locked"_s,
                              u"The caption cannot change once the attachment is being sent."_s);
    return {};
}

Result<int> AttachmentRepository::removeUnsentForOwner(const QString &ownerType, const QString &ownerId)
{
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.error();
    auto del = m_db.prepare("DELETE FROM attachments WHERE origin = 'local' AND owner_type = ? AND owner_id = ? "
                            "AND state IN ('waiting', 'failed') AND uploaded_bytes = 0");
    if (!del)
        return del.error();
    del->bind(1, ownerType).bind(2, ownerId);
    if (Status s = del->exec(); !s)
        return s.error();
    const int removed = m_db.changes();
    auto prune = m_db.prepare("DELETE FROM blobs WHERE sha256 NOT IN (SELECT sha256 FROM attachments) "
                              "AND sha256 NOT IN (SELECT thumb_sha256 FROM attachments WHERE thumb_sha256 IS NOT NULL)");
    if (!prune)
        return prune.error();
    if (Status s = prune->exec(); !s)
        return s.error();
    if (Status s = tx->commit(); !s)
        return s.error();
    return removed;
}

Result<QSet<QString>> AttachmentRepository::referencedBlobs()
{
    auto st = m_db.prepare("SELECT sha256 FROM blobs UNION SELECT sha256 FROM attachments WHERE origin = 'local' "
                           "UNION SELECT thumb_sha256 FROM attachments WHERE thumb_sha256 <> ''");
    if (!st)
        return st.error();
    QSet<QString> keep;
    if (Status s = detail::forEachRow(*st, [&](const Statement &row) { keep.insert(row.text(0)); }); !s)
        return s.error();
    return keep;
}

} // namespace outpost::storage
