// POST /v1/attachments: reading and checking the announce body (docs/attachments.md).
#include "server/attachments.h"

#include "server/context.h"
#include "server/http.h"
#include "server/image_check.h"

#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace outpost::server {

namespace {

constexpr qint64 kMaxJsonInteger = qint64(1) << 53; // exact in a JSON number
constexpr qint64 kMaxImageEdge = 100000;
constexpr qint64 kMaxCoordinate = 1000000;       // signature pad coordinates
constexpr qint64 kMaxStrokeTimeMs = 24LL * 3600 * 1000;
constexpr qsizetype kMaxSignerChars = 200;

Error bad(const QString &code, const QString &text, const QString &field)
{
    return Error::invalid(code, text, field);
}

// A string field that may be empty (the checks are ours), missing only when optional.
QString text(JsonReader &reader, const QString &key, bool required, qsizetype maxLength = 100000)
{
    if (required && !reader.has(key)) {
        reader.fail(Error::invalid(u"request.missing_field"_s, u"The field %1 is required."_s.arg(key), key));
        return {};
    }
    return reader.string(key, false, maxLength);
}

std::optional<qint64> optionalInteger(JsonReader &reader, const QString &key, qint64 min, qint64 max)
{
    const bool present = reader.has(key);
    const qint64 v = reader.integer(key, false, min, max);
    if (!present || reader.failed())
        return std::nullopt;
    return v;
}

// [[[x,y,tMs,pressure],...],...]: at least one stroke, at most kMaxStrokes strokes and
// kMaxStrokePoints points, every point four integers in range.
Status checkStrokes(const QJsonValue &value)
{
    const QString field = u"signature.strokes"_s;
    if (!value.isArray())
        return bad(u"attachment.bad_strokes"_s, u"The strokes must be an array of strokes."_s, field);
    const QJsonArray strokes = value.toArray();
    if (strokes.isEmpty())
        return bad(u"attachment.bad_strokes"_s, u"A signature needs at least one stroke."_s, field);
    if (strokes.size() > kMaxStrokes)
        return bad(u"attachment.bad_strokes"_s, u"A signature has at most %1 strokes."_s.arg(kMaxStrokes), field);
    qsizetype points = 0;
    for (qsizetype s = 0; s < strokes.size(); ++s) {
        const QString strokeField = u"%1[%2]"_s.arg(field).arg(s);
        if (!strokes.at(s).isArray() || strokes.at(s).toArray().isEmpty())
            return bad(u"attachment.bad_strokes"_s, u"Each stroke is a non-empty array of points."_s, strokeField);
        const QJsonArray stroke = strokes.at(s).toArray();
        points += stroke.size();
        if (points > kMaxStrokePoints)
            return bad(u"attachment.bad_strokes"_s,
                       u"A signature has at most %1 points."_s.arg(kMaxStrokePoints), field);
        for (qsizetype p = 0; p < stroke.size(); ++p) {
            const QJsonArray point = stroke.at(p).toArray();
            const QString pointField = u"%1[%2]"_s.arg(strokeField).arg(p);
            if (!stroke.at(p).isArray() || point.size() != 4)
                return bad(u"attachment.bad_strokes"_s, u"Each point is [x, y, tMs, pressure]."_s, pointField);
            static const qint64 mins[4] = {-kMaxCoordinate, -kMaxCoordinate, 0, 0};
            static const qint64 maxs[4] = {kMaxCoordinate, kMaxCoordinate, kMaxStrokeTimeMs, 1000};
            for (int i = 0; i < 4; ++i) {
                const QJsonValue v = point.at(i);
                const double d = v.toDouble(-1e300);
                if (!v.isDouble() || d != double(qint64(d)) || qint64(d) < mins[i] || qint64(d) > maxs[i])
                    return bad(u"attachment.bad_strokes"_s,
                               u"Point values are integers: x and y within %1, tMs >= 0, pressure 0..1000."_s.arg(
                                   kMaxCoordinate),
                               pointField);
            }
        }
    }
    return {};
}

Result<AttachmentSignature> readSignature(const QJsonObject &object)
{
    QJsonObject rest = object;
    const QJsonValue strokes = rest.take(u"strokes"_s);
    JsonReader reader(rest, u"signature"_s);
    AttachmentSignature sig;
    sig.signerName = reader.string(u"signerName"_s, true, kMaxSignerChars).trimmed();
    sig.signerRole = reader.string(u"signerRole"_s, false, kMaxSignerChars).trimmed();
    sig.orderContentHash = reader.string(u"orderContentHash"_s, false, 200);
    if (Status s = reader.finish(); !s)
        return s.error();
    if (!sig.orderContentHash.isEmpty() && !isSha256Hex(sig.orderContentHash))
        return bad(u"attachment.bad_hash"_s, u"The order content hash must be 64 lower-case hex characters."_s,
                   u"signature.orderContentHash"_s);
    if (Status s = checkStrokes(strokes); !s)
        return s.error();
    sig.strokes = strokes.toArray();
    return sig;
}

} // namespace

bool isAttachmentId(const QString &id)
{
    static const QRegularExpression uuid(u"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"_s);
    return uuid.match(id).hasMatch();
}

bool isSha256Hex(const QString &text)
{
    static const QRegularExpression hex(u"^[0-9a-f]{64}$"_s);
    return hex.match(text).hasMatch();
}

bool isSafeFileName(const QString &name)
{
    if (name.isEmpty() || name.toUtf8().size() > kMaxFileNameBytes)
        return false;
    if (name.contains(u'/') || name.contains(u'\\') || name.contains(u".."_s))
        return false;
    if (name == u"."_s || name.trimmed().isEmpty())
        return false;
    static const QRegularExpression driveLetter(u"^[A-Za-z]:"_s);
    if (driveLetter.match(name).hasMatch())
        return false;
    for (const QChar c : name) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f || c.category() == QChar::Other_Control ||
            c.category() == QChar::Other_Format || c.category() == QChar::Separator_Line ||
            c.category() == QChar::Separator_Paragraph)
            return false;
    }
    return true;
}

int attachmentErrorStatus(const Error &error)
{
    if (error.code == u"attachment.too_large"_s || error.code == u"upload.chunk_too_large"_s ||
        error.code == u"request.too_large"_s)
        return 413;
    if (error.code == u"attachment.bad_mime"_s || error.code == u"request.unsupported_media_type"_s)
        return 415;
    switch (error.kind) {
    case ErrorKind::Invalid:
        return 400;
    case ErrorKind::Unauthorized:
        return 401;
    case ErrorKind::Forbidden:
        return 403;
    case ErrorKind::NotFound:
        return 404;
    case ErrorKind::Conflict:
        return 409;
    case ErrorKind::Rejected:
        return 422;
    case ErrorKind::Transient:
    case ErrorKind::Offline:
        return 503;
    case ErrorKind::Corrupt:
    case ErrorKind::Internal:
        return 500;
    }
    return 500;
}

Result<AttachmentAnnounce> parseAnnounce(const QJsonObject &body, const ServerConfig &config)
{
    JsonReader reader(body);
    AttachmentAnnounce a;
    a.id = text(reader, u"id"_s, true, 200);
    a.kind = text(reader, u"kind"_s, true, 200);
    a.ownerType = text(reader, u"ownerType"_s, true, 200);
    a.ownerId = text(reader, u"ownerId"_s, true, 200);
    a.accountId = reader.integer(u"accountId"_s, true, 1, std::numeric_limits<qint64>::max() / 2);
    a.sha256 = text(reader, u"sha256"_s, true, 200);
    a.size = reader.integer(u"size"_s, true, -kMaxJsonInteger, kMaxJsonInteger);
    a.mime = text(reader, u"mime"_s, true, 200);
    a.fileName = text(reader, u"fileName"_s, false, 4096);
    const bool hasFileName = reader.has(u"fileName"_s) && !body.value(u"fileName"_s).isNull();
    a.caption = text(reader, u"caption"_s, false);
    a.width = optionalInteger(reader, u"width"_s, 1, kMaxImageEdge);
    a.height = optionalInteger(reader, u"height"_s, 1, kMaxImageEdge);
    const QString deviceCreatedAt = text(reader, u"deviceCreatedAt"_s, false, 64);
    const bool hasLocation = reader.has(u"location"_s) && !body.value(u"location"_s).isNull();
    const QJsonObject location = reader.object(u"location"_s, false);
    const bool hasSignature = reader.has(u"signature"_s) && !body.value(u"signature"_s).isNull();
    const QJsonObject signature = reader.object(u"signature"_s, false);
    if (Status s = reader.finish(); !s)
        return s.error();

    if (!deviceCreatedAt.isEmpty()) {
        const QDateTime t = QDateTime::fromString(deviceCreatedAt, Qt::ISODateWithMs);
        if (!t.isValid())
            return bad(u"request.bad_timestamp"_s, u"deviceCreatedAt is an ISO-8601 time."_s, u"deviceCreatedAt"_s);
        a.deviceCreatedAt = t.toUTC().toString(Qt::ISODateWithMs);
    }
    if (hasLocation) {
        JsonReader loc(location, u"location"_s);
        AttachmentLocation l;
        l.latE6 = loc.integer(u"latE6"_s, true, -90000000, 90000000);
        l.lonE6 = loc.integer(u"lonE6"_s, true, -180000000, 180000000);
        l.accuracyM = optionalInteger(loc, u"accuracyM"_s, 0, 100000000);
        if (Status s = loc.finish(); !s)
            return s.error();
        a.location = l;
    }

    if (!isAttachmentId(a.id))
        return bad(u"attachment.bad_id"_s, u"The attachment id must be a lower-case UUID."_s, u"id"_s);
    if (a.kind != u"photo"_s && a.kind != u"signature"_s)
        return bad(u"attachment.bad_kind"_s, u"The kind is photo or signature."_s, u"kind"_s);
    if (a.ownerType == u"order"_s) {
        if (!isAttachmentId(a.ownerId))
            return bad(u"attachment.bad_owner"_s, u"An order owner is the order's UUID."_s, u"ownerId"_s);
    } else if (a.ownerType == u"account"_s) {
        if (a.ownerId != QString::number(a.accountId))
            return bad(u"attachment.bad_owner"_s, u"An account owner is the account id as text."_s, u"ownerId"_s);
    } else {
        return bad(u"attachment.bad_owner"_s, u"The owner type is order or account."_s, u"ownerType"_s);
    }
    if (!isSha256Hex(a.sha256))
        return bad(u"attachment.bad_hash"_s, u"sha256 must be 64 lower-case hex characters."_s, u"sha256"_s);
    if (a.size < 1)
        return bad(u"attachment.bad_size"_s, u"The size must be at least one byte."_s, u"size"_s);
    if (a.size > config.maxAttachmentBytes)
        return bad(u"attachment.too_large"_s,
                   u"An attachment is at most %1 MB."_s.arg(config.maxAttachmentBytes / (1024 * 1024)), u"size"_s);
    if (!isSupportedImageMime(a.mime))
        return bad(u"attachment.bad_mime"_s, u"Attachments are image/jpeg or image/png."_s, u"mime"_s);
    if (a.kind == u"signature"_s && a.mime != u"image/png"_s)
        return bad(u"attachment.bad_mime"_s, u"A signature is stored as image/png."_s, u"mime"_s);
    if (hasFileName && !isSafeFileName(a.fileName))
        return bad(u"attachment.bad_file_name"_s,
                   u"The file name must be a bare name (no path, no control characters, at most 255 bytes)."_s,
                   u"fileName"_s);
    if (a.caption.toUcs4().size() > kMaxCaptionChars)
        return bad(u"attachment.bad_caption"_s, u"A caption has at most %1 characters."_s.arg(kMaxCaptionChars),
                   u"caption"_s);
    if (a.kind == u"signature"_s && !hasSignature)
        return bad(u"attachment.signature_required"_s, u"A signature attachment carries the signature record."_s,
                   u"signature"_s);
    if (a.kind == u"photo"_s && hasSignature)
        return bad(u"attachment.signature_not_allowed"_s, u"A photo carries no signature record."_s,
                   u"signature"_s);
    if (hasSignature) {
        auto sig = readSignature(signature);
        if (!sig)
            return sig.error();
        a.signature = std::move(*sig);
    }
    return a;
}

} // namespace outpost::server
