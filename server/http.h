// HTTP plumbing shared by every route: JSON bodies, errors, authentication, entitlements.
// Every 4xx/5xx body is {"error":{"code":"...","message":"...","field":"..."?}}.
#pragma once

#include "domain/result.h"
#include "server/context.h"

#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QString>
#include <QUrlQuery>

#include <initializer_list>
#include <optional>

namespace outpost::server {

enum class Role { Rep, Manager, Kiosk, Admin };
QString roleName(Role r);                  // "rep", "manager", "kiosk", "admin"
std::optional<Role> roleFromName(const QString &name);

// The authenticated caller of a request. Every query a handler makes is scoped by tenantId.
struct Caller
{
    qint64 tenantId = 0;
    QString tenantCode;
    QString currency;
    qint64 userId = 0;
    QString username;
    Role role = Role::Rep;
    qint64 deviceId = 0;
    qint64 sessionId = 0;
    qint64 maxLineDiscountBp = 0;
    qint64 maxOrderDiscountBp = 0;
};

QHttpServerResponse jsonResponse(const QJsonObject &body, int status = 200);
QHttpServerResponse jsonResponse(const QJsonArray &body, int status = 200);
QHttpServerResponse errorResponse(int status, const QString &code, const QString &message,
                                  const QString &field = {});
// Maps Error::kind to a status: Invalid 400 (or 422 when code starts "validation."/ is a rule),
// Unauthorized 401, Forbidden 403, NotFound 404, Conflict 409, Rejected 422, Transient 503,
// Internal/Corrupt 500 (message generic; detail only logged).
QHttpServerResponse errorResponse(const Error &error);

// Parses the request body as a JSON object: checks Content-Type, size (<= maxBytes, else
// "request.too_large" 413), UTF-8 validity ("request.bad_utf8"), syntax ("request.malformed_json"),
// top-level object ("request.not_object").
Result<QJsonObject> parseJsonObject(const QHttpServerRequest &request, qsizetype maxBytes);

// Strict reader for a JSON object: typed getters record the first error; finish() also reports
// unknown fields ("request.unknown_field"). Field paths are like "lines[2].quantity".
class JsonReader
{
public:
    JsonReader(const QJsonObject &object, QString path = {});
    QString string(const QString &key, bool required = true, qsizetype maxLength = 1000);
    qint64 integer(const QString &key, bool required = true, qint64 min = 0,
                   qint64 max = std::numeric_limits<qint32>::max(), qint64 fallback = 0);
    bool boolean(const QString &key, bool required = false, bool fallback = false);
    QJsonArray array(const QString &key, bool required = true, qsizetype maxItems = 10000);
    QJsonObject object(const QString &key, bool required = true);
    bool has(const QString &key) const { return m_object.contains(key); }
    QString fieldPath(const QString &key) const;
    // The first error, or unknown fields.
    Status finish();
    bool failed() const { return m_error.has_value(); }
    void fail(Error e);

private:
    // Marks the key seen; nullopt when absent (failing if required) or of another type (failing).
    std::optional<QJsonValue> take(const QString &key, bool required, QJsonValue::Type type,
                                   const QString &expected);

    QJsonObject m_object;
    QString m_path;
    QSet<QString> m_seen;
    std::optional<Error> m_error;
};

// Strict reader for the query string: "request.bad_parameter" for a value that is not what the
// endpoint takes, finish() also reports names it does not know ("request.unknown_parameter").
class QueryReader
{
public:
    explicit QueryReader(const QHttpServerRequest &request);
    qint64 integer(const QString &name, qint64 fallback, qint64 min = 0,
                   qint64 max = std::numeric_limits<qint64>::max());
    QString string(const QString &name, qsizetype maxLength = 200);
    bool has(const QString &name) const { return m_query.hasQueryItem(name); }
    Status finish();

private:
    QUrlQuery m_query;
    QSet<QString> m_seen;
    std::optional<Error> m_error;
};

// Reads "Authorization: Bearer <token>", checks the session (not expired, not revoked, user
// active) and returns the caller. Errors: "auth.missing_token", "auth.invalid_token",
// "auth.token_expired" (all 401).
Result<Caller> authenticate(ServerContext &ctx, const QHttpServerRequest &request);

// "auth.forbidden_role" (403) unless caller.role is one of roles.
Status requireRole(const Caller &caller, std::initializer_list<Role> roles);

// True when the caller may see the account: managers/admins any account of their tenant; reps
// only accounts in their territory (account_reps); kiosks none.
bool canSeeAccount(ServerContext &ctx, const Caller &caller, qint64 accountId);

// SQL condition restricting "<alias>.id" of accounts to the caller's entitlement, with its binds
// appended to `binds`: e.g. for a rep "a.id IN (SELECT account_id FROM account_reps WHERE
// tenant_id = ? AND user_id = ?)"; "1=1" for managers/admins; "1=0" for kiosks.
QString accountScopeSql(const Caller &caller, const QString &accountIdColumn, QVariantList &binds);

// Who made the current request, for the one-line request log of serve.cpp (requests are handled on
// one thread). authenticate() fills it; serve.cpp resets it before each request.
struct RequestLogInfo
{
    qint64 tenantId = 0;
    qint64 userId = 0;
};
RequestLogInfo &currentRequestLog();

} // namespace outpost::server
