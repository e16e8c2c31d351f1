#include "server/http.h"

#include "server/database.h"
#include "server/password.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QLoggingCategory>
#include <QSqlQuery>
#include <QStringDecoder>

#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace outpost::server {

namespace {

Q_LOGGING_CATEGORY(lcHttp, "outpost.server")

QByteArray headerValue(const QHttpServerRequest &request, const QByteArray &name)
{
    const auto headers = request.headers();
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

QHttpServerResponder::StatusCode toStatus(int status)
{
    return static_cast<QHttpServerResponder::StatusCode>(status);
}

} // namespace

QString roleName(Role r)
{
    switch (r) {
    case Role::Rep:
        return u"rep"_s;
    case Role::Manager:
        return u"manager"_s;
    case Role::Kiosk:
        return u"kiosk"_s;
    case Role::Admin:
        return u"admin"_s;
    }
    return u"rep"_s;
}

std::optional<Role> roleFromName(const QString &name)
{
    if (name == u"rep"_s)
        return Role::Rep;
    if (name == u"manager"_s)
        return Role::Manager;
    if (name == u"kiosk"_s)
        return Role::Kiosk;
    if (name == u"admin"_s)
        return Role::Admin;
    return std::nullopt;
}

QHttpServerResponse jsonResponse(const QJsonObject &body, int status)
{
    return QHttpServerResponse(body, toStatus(status));
}

QHttpServerResponse jsonResponse(const QJsonArray &body, int status)
{
    return QHttpServerResponse(body, toStatus(status));
}

QHttpServerResponse errorResponse(int status, const QString &code, const QString &message,
                                  const QString &field)
{
    QJsonObject error{{u"code"_s, code}, {u"message"_s, message}};
    if (!field.isEmpty())
        error.insert(u"field"_s, field);
    return jsonResponse(QJsonObject{{u"error"_s, error}}, status);
}

QHttpServerResponse errorResponse(const Error &error)
{
    int status = 500;
    switch (error.kind) {
    case ErrorKind::Invalid:
        if (error.code == u"request.too_large"_s)
            status = 413;
        else if (error.code == u"request.unsupported_media_type"_s)
            status = 415;
        else if (error.code == u"request.method_not_allowed"_s)
            status = 405;
        else if (error.code.startsWith(u"validation."_s))
            status = 422;
        else
            status = 400;
        break;
    case ErrorKind::Unauthorized:
        status = 401;
        break;
    case ErrorKind::Forbidden:
        status = 403;
        break;
    case ErrorKind::NotFound:
        status = 404;
        break;
    case ErrorKind::Conflict:
        status = 409;
        break;
    case ErrorKind::Rejected:
        status = 422;
        break;
    case ErrorKind::Transient:
    case ErrorKind::Offline:
        status = 503;
        break;
    case ErrorKind::Corrupt:
    case ErrorKind::Internal:
        status = 500;
        break;
    }
    if (status >= 500) {
        // Driver text and such only go to the log; the client gets a generic message.
        qCWarning(lcHttp) << "internal error" << error.code << error.detail;
        const QString message =
            status == 503 ? u"The service is busy; try again later."_s : u"An internal error occurred."_s;
        QHttpServerResponse response =
            errorResponse(status, status == 503 ? error.code : u"internal.error"_s, message);
        if (status == 503)
            response.setHeader("Retry-After", "1");
        return response;
    }
    return errorResponse(status, error.code, error.userText, error.field);
}

Result<QJsonObject> parseJsonObject(const QHttpServerRequest &request, qsizetype maxBytes)
{
    const QByteArray contentLength = headerValue(request, "Content-Length").trimmed();
    if (!contentLength.isEmpty()) {
        bool ok = false;
        const qint64 declared = contentLength.toLongLong(&ok);
        if (!ok || declared < 0)
            return Error::invalid(u"request.bad_content_length"_s, u"Content-Length is not a number."_s);
        if (declared > maxBytes)
            return Error::invalid(u"request.too_large"_s,
                                  u"The request body exceeds %1 bytes."_s.arg(maxBytes));
    }
    const QByteArray body = request.body();
    if (body.size() > maxBytes)
        return Error::invalid(u"request.too_large"_s, u"The request body exceeds %1 bytes."_s.arg(maxBytes));

    const QByteArray contentType = headerValue(request, "Content-Type");
    const QByteArray mime = contentType.split(';').value(0).trimmed().toLower();
    if (mime != "application/json")
        return Error::invalid(u"request.unsupported_media_type"_s,
                              u"The request body must be application/json."_s);

    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = decoder.decode(body);
    if (decoder.hasError())
        return Error::invalid(u"request.bad_utf8"_s, u"The request body is not valid UTF-8."_s);
    Q_UNUSED(decoded);

    if (body.trimmed().isEmpty())
        return Error::invalid(u"request.malformed_json"_s, u"The request body is empty."_s);
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error::invalid(u"request.malformed_json"_s,
                              u"The request body is not valid JSON (offset %1)."_s.arg(parseError.offset));
    if (!doc.isObject())
        return Error::invalid(u"request.not_object"_s, u"The request body must be a JSON object."_s);
    return doc.object();
}

// ---- JsonReader ----

JsonReader::JsonReader(const QJsonObject &object, QString path) : m_object(object), m_path(std::move(path)) {}

QString JsonReader::fieldPath(const QString &key) const
{
    return m_path.isEmpty() ? key : m_path + u'.' + key;
}

void JsonReader::fail(Error e)
{
    if (!m_error)
        m_error = std::move(e);
}

namespace {

Error missingField(const QString &path)
{
    return Error::invalid(u"request.missing_field"_s, u"The field %1 is required."_s.arg(path), path);
}

Error wrongType(const QString &path, const QString &expected)
{
    return Error::invalid(u"request.wrong_type"_s, u"The field %1 must be %2."_s.arg(path, expected), path);
}

} // namespace

std::optional<QJsonValue> JsonReader::take(const QString &key, bool required, QJsonValue::Type type,
                                           const QString &expected)
{
    m_seen.insert(key);
    const QJsonValue v = m_object.value(key);
    if (v.isUndefined() || (v.isNull() && !required)) {
        if (required)
            fail(missingField(fieldPath(key)));
        return std::nullopt;
    }
    if (v.type() != type) {
        fail(wrongType(fieldPath(key), expected));
        return std::nullopt;
    }
    return v;
}

QString JsonReader::string(const QString &key, bool required, qsizetype maxLength)
{
    const std::optional<QJsonValue> found = take(key, required, QJsonValue::String, u"a string"_s);
    if (!found)
        return {};
    const QJsonValue &v = *found;
    const QString s = v.toString();
    if (s.size() > maxLength) {
        fail(
            Error::invalid(u"request.too_long"_s,
                           u"The field %1 is longer than %2 characters."_s.arg(fieldPath(key)).arg(maxLength),
                           fieldPath(key)));
        return {};
    }
    if (required && s.trimmed().isEmpty()) {
        fail(Error::invalid(u"request.empty_field"_s,
                            u"The field %1 must not be empty."_s.arg(fieldPath(key)), fieldPath(key)));
        return {};
    }
    return s;
}

qint64 JsonReader::integer(const QString &key, bool required, qint64 min, qint64 max, qint64 fallback)
{
    const std::optional<QJsonValue> found = take(key, required, QJsonValue::Double, u"an integer"_s);
    if (!found)
        return fallback;
    const QJsonValue &v = *found;
    const auto outOfRange = [&] {
        return Error::invalid(u"request.out_of_range"_s,
                              u"The field %1 must be between %2 and %3."_s.arg(fieldPath(key)).arg(min).arg(max),
                              fieldPath(key));
    };
    const double d = v.toDouble();
    if (!std::isfinite(d) || std::trunc(d) != d) {
        fail(wrongType(fieldPath(key), u"an integer"_s));
        return fallback;
    }
    if (d < static_cast<double>(min) || d > static_cast<double>(max)) {
        fail(outOfRange());
        return fallback;
    }
    const qint64 value = v.toInteger(static_cast<qint64>(d));
    if (value < min || value > max) {
        fail(outOfRange());
        return fallback;
    }
    return value;
}

bool JsonReader::boolean(const QString &key, bool required, bool fallback)
{
    const std::optional<QJsonValue> found = take(key, required, QJsonValue::Bool, u"true or false"_s);
    if (!found)
        return fallback;
    const QJsonValue &v = *found;
    return v.toBool();
}

QJsonArray JsonReader::array(const QString &key, bool required, qsizetype maxItems)
{
    const std::optional<QJsonValue> found = take(key, required, QJsonValue::Array, u"an array"_s);
    if (!found)
        return {};
    const QJsonValue &v = *found;
    const QJsonArray a = v.toArray();
    if (a.size() > maxItems) {
        fail(Error::invalid(u"request.too_many_items"_s,
                            u"The field %1 has more than %2 items."_s.arg(fieldPath(key)).arg(maxItems),
                            fieldPath(key)));
        return {};
    }
    return a;
}

QJsonObject JsonReader::object(const QString &key, bool required)
{
    const std::optional<QJsonValue> found = take(key, required, QJsonValue::Object, u"an object"_s);
    if (!found)
        return {};
    const QJsonValue &v = *found;
    return v.toObject();
}

Status JsonReader::finish()
{
    if (m_error)
        return *m_error;
    for (auto it = m_object.constBegin(); it != m_object.constEnd(); ++it) {
        if (!m_seen.contains(it.key())) {
            const QString path = fieldPath(it.key());
            return Error::invalid(u"request.unknown_field"_s, u"The field %1 is not known."_s.arg(path),
                                  path);
        }
    }
    return {};
}

// ---- QueryReader ----

QueryReader::QueryReader(const QHttpServerRequest &request) : m_query(request.query()) {}

qint64 QueryReader::integer(const QString &name, qint64 fallback, qint64 min, qint64 max)
{
    m_seen.insert(name);
    if (!m_query.hasQueryItem(name))
        return fallback;
    const QString text = m_query.queryItemValue(name, QUrl::FullyDecoded);
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    if (!ok || value < min || value > max) {
        if (!m_error)
            m_error = Error::invalid(
                u"request.bad_parameter"_s,
                u"The parameter %1 must be an integer between %2 and %3."_s.arg(name).arg(min).arg(max),
                name);
        return fallback;
    }
    return value;
}

QString QueryReader::string(const QString &name, qsizetype maxLength)
{
    m_seen.insert(name);
    const QString text = m_query.queryItemValue(name, QUrl::FullyDecoded);
    if (text.size() > maxLength) {
        if (!m_error)
            m_error = Error::invalid(
                u"request.bad_parameter"_s,
                u"The parameter %1 is longer than %2 characters."_s.arg(name).arg(maxLength), name);
        return {};
    }
    return text;
}

Status QueryReader::finish()
{
    if (m_error)
        return *m_error;
    const auto items = m_query.queryItems(QUrl::FullyDecoded);
    for (const auto &item : items) {
        if (!m_seen.contains(item.first))
            return Error::invalid(u"request.unknown_parameter"_s,
                                  u"The parameter %1 is not known here."_s.arg(item.first.left(64)),
                                  item.first.left(64));
    }
    return {};
}

// ---- authentication and entitlements ----

Result<Caller> authenticate(ServerContext &ctx, const QHttpServerRequest &request)
{
    const QByteArray header = headerValue(request, "Authorization").trimmed();
    if (header.isEmpty())
        return Error::make(ErrorKind::Unauthorized, u"auth.missing_token"_s, u"Sign in first."_s);
    if (!header.startsWith("Bearer ") || header.size() <= 7)
        return Error::make(ErrorKind::Unauthorized, u"auth.invalid_token"_s,
                           u"The session is not valid; sign in again."_s);
    const QByteArray token = header.mid(7).trimmed();
    if (token.size() > 200)
        return Error::make(ErrorKind::Unauthorized, u"auth.invalid_token"_s,
                           u"The session is not valid; sign in again."_s);

    auto q =
        ctx.db->exec(u"SELECT s.id, s.tenant_id, s.user_id, s.device_id, s.access_expires_at, s.revoked_at,"
                     " u.username, u.role, u.active, u.max_line_discount_bp, u.max_order_discount_bp,"
                     " t.code, t.currency, s.used_at IS NULL"
                     " FROM sessions s JOIN users u ON u.id = s.user_id JOIN tenants t ON t.id = s.tenant_id"
                     " WHERE s.access_hash = ? AND u.tenant_id = s.tenant_id"_s,
                     {hashToken(token)});
    if (!q)
        return q.error();
    if (!q->next() || !q->value(5).isNull() || q->value(8).toInt() != 1)
        return Error::make(ErrorKind::Unauthorized, u"auth.invalid_token"_s,
                           u"The session is not valid; sign in again."_s);
    const QDateTime expires = QDateTime::fromString(q->value(4).toString(), Qt::ISODateWithMs);
    if (!expires.isValid() || expires <= ctx.now())
        return Error::make(ErrorKind::Unauthorized, u"auth.token_expired"_s,
                           u"The session has expired; refresh it or sign in again."_s);
    const auto role = roleFromName(q->value(7).toString());
    if (!role)
        return Error::make(ErrorKind::Unauthorized, u"auth.invalid_token"_s,
                           u"The session is not valid; sign in again."_s);

    Caller c;
    c.sessionId = q->value(0).toLongLong();
    c.tenantId = q->value(1).toLongLong();
    c.userId = q->value(2).toLongLong();
    c.deviceId = q->value(3).toLongLong();
    c.username = q->value(6).toString();
    c.role = *role;
    c.maxLineDiscountBp = q->value(9).toLongLong();
    c.maxOrderDiscountBp = q->value(10).toLongLong();
    c.tenantCode = q->value(11).toString();
    c.currency = q->value(12).toString();
    currentRequestLog() = RequestLogInfo{c.tenantId, c.userId};
    if (q->value(13).toInt() == 1) {
        // First use: the tokens reached the device (a rotated parent presented later is reuse).
        q->finish();
        auto used = ctx.db->exec(u"UPDATE sessions SET used_at = ? WHERE id = ? AND used_at IS NULL"_s,
                                 {isoUtc(ctx.now()), c.sessionId});
        if (!used)
            return used.error();
    }
    return c;
}

Status requireRole(const Caller &caller, std::initializer_list<Role> roles)
{
    for (Role r : roles) {
        if (r == caller.role)
            return {};
    }
    return Error::make(ErrorKind::Forbidden, u"auth.forbidden_role"_s, u"Your role may not do this."_s);
}

bool canSeeAccount(ServerContext &ctx, const Caller &caller, qint64 accountId)
{
    switch (caller.role) {
    case Role::Kiosk:
        return false;
    case Role::Manager:
    case Role::Admin: {
        auto q = ctx.db->exec(u"SELECT 1 FROM accounts WHERE id = ? AND tenant_id = ?"_s,
                              {accountId, caller.tenantId});
        return q && q->next();
    }
    case Role::Rep: {
        auto q = ctx.db->exec(
            u"SELECT 1 FROM account_reps WHERE account_id = ? AND tenant_id = ? AND user_id = ?"_s,
            {accountId, caller.tenantId, caller.userId});
        return q && q->next();
    }
    }
    return false;
}

QString accountScopeSql(const Caller &caller, const QString &accountIdColumn, QVariantList &binds)
{
    switch (caller.role) {
    case Role::Manager:
    case Role::Admin:
        return u"1=1"_s;
    case Role::Kiosk:
        return u"1=0"_s;
    case Role::Rep:
        binds << caller.tenantId << caller.userId;
        return accountIdColumn +
               u" IN (SELECT account_id FROM account_reps WHERE tenant_id = ? AND user_id = ?)"_s;
    }
    return u"1=0"_s;
}

RequestLogInfo &currentRequestLog()
{
    static RequestLogInfo info;
    return info;
}

} // namespace outpost::server
