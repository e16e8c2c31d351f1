// /v1/auth/login, /v1/auth/refresh, /v1/auth/logout. Sessions hold SHA-256 hashes of opaque tokens.
// Refresh rotates: the old session row is revoked and a successor row names it (rotated_from), so a
// rotated refresh token presented again is recognised as reuse and ends the device's sessions.
// Reuse interval: the same refresh request can arrive twice without anyone stealing anything (a
// client resends on a keep-alive connection that died after the server answered; a proxy repeats
// it; the answer is lost in a dead zone). A rotated token presented again within
// refreshReuseInterval of its latest successor, while none of its successors has been rotated
// itself, gets another successor instead (at most kMaxRepeatedRefreshes); so does one presented
// any time later while no successor was ever used (sessions.used_at: the answer never reached the
// device). When one successor is rotated, its unused siblings are revoked. Otherwise — a successor
// was used and the interval has passed, or the chain has moved on — it is reuse.
#include "server/database.h"
#include "server/http.h"
#include "server/password.h"
#include "server/routes.h"

#include <QHttpServer>
#include <QLoggingCategory>

#include <optional>

using namespace Qt::Literals::StringLiterals;

namespace outpost::server {

namespace {

Q_LOGGING_CATEGORY(lcAuth, "outpost.server")

Error invalidCredentials()
{
    return Error::make(ErrorKind::Unauthorized, u"auth.invalid_credentials"_s,
                       u"Tenant, user name or password is wrong."_s);
}

Error invalidRefresh()
{
    return Error::make(ErrorKind::Unauthorized, u"auth.invalid_token"_s,
                       u"The session is not valid; sign in again."_s);
}

struct IssuedTokens
{
    QByteArray access;
    QByteArray refresh;
    qint64 sessionId = 0;
};

constexpr int kMaxRepeatedRefreshes = 12; // successors of one rotated token, all unused

// Inserts a session row for user/device with fresh tokens, created at `now`, rotated from
// `rotatedFrom` (0: a sign-in). Inside a transaction.
Result<IssuedTokens> createSession(ServerContext &ctx, qint64 tenantId, qint64 userId, qint64 deviceId,
                                   const QDateTime &now, qint64 rotatedFrom = 0)
{
    auto access = randomToken();
    auto refresh = randomToken();
    if (!access)
        return access.error();
    if (!refresh)
        return refresh.error();
    const auto accessTtl = ctx.config.accessTokenTtl.count();
    const auto refreshTtl = ctx.config.refreshTokenTtl.count();
    auto q = ctx.db->exec(
        u"INSERT INTO sessions (tenant_id, user_id, device_id, access_hash, access_expires_at,"
        " refresh_hash, refresh_expires_at, created_at, rotated_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " RETURNING id"_s,
        {tenantId, userId, deviceId, hashToken(*access), isoUtc(now.addSecs(accessTtl)), hashToken(*refresh),
         isoUtc(now.addSecs(refreshTtl)), isoUtc(now),
         rotatedFrom > 0 ? QVariant(rotatedFrom) : QVariant(QMetaType::fromType<qint64>())});
    if (!q)
        return q.error();
    if (!q->next())
        return Error::make(ErrorKind::Internal, u"db.error"_s, u"A database error occurred."_s,
                           u"session insert returned no id"_s);
    return IssuedTokens{*access, *refresh, q->value(0).toLongLong()};
}

// Finds or registers the device (tenant, device key) for the user; returns its id.
Result<qint64> registerDevice(ServerContext &ctx, qint64 tenantId, qint64 userId, const QString &deviceKey,
                              const QDateTime &now)
{
    auto found = ctx.db->exec(u"SELECT id FROM devices WHERE tenant_id = ? AND device_key = ?"_s,
                              {tenantId, deviceKey});
    if (!found)
        return found.error();
    if (found->next()) {
        const qint64 id = found->value(0).toLongLong();
        auto upd = ctx.db->exec(u"UPDATE devices SET user_id = ?, last_seen_at = ? WHERE id = ?"_s,
                                {userId, isoUtc(now), id});
        if (!upd)
            return upd.error();
        return id;
    }
    auto ins =
        ctx.db->exec(u"INSERT INTO devices (tenant_id, user_id, device_key, first_seen_at, last_seen_at)"
                     " VALUES (?, ?, ?, ?, ?) RETURNING id"_s,
                     {tenantId, userId, deviceKey, isoUtc(now), isoUtc(now)});
    if (!ins)
        return ins.error();
    if (!ins->next())
        return Error::make(ErrorKind::Internal, u"db.error"_s, u"A database error occurred."_s,
                           u"device insert returned no id"_s);
    return ins->value(0).toLongLong();
}

QJsonObject tokenBody(ServerContext &ctx, const IssuedTokens &t)
{
    return QJsonObject{{u"accessToken"_s, QString::fromLatin1(t.access)},
                       {u"refreshToken"_s, QString::fromLatin1(t.refresh)},
                       {u"expiresIn"_s, qint64(ctx.config.accessTokenTtl.count())}};
}

Result<QJsonObject> login(ServerContext &ctx, const QHttpServerRequest &request)
{
    auto body = parseJsonObject(request, ctx.config.maxJsonBodyBytes);
    if (!body)
        return body.error();
    JsonReader in(*body);
    const QString tenant = in.string(u"tenant"_s, true, 64);
    const QString user = in.string(u"user"_s, true, 128);
    const QString password = in.string(u"password"_s, true, 1024);
    const QString deviceKey = in.string(u"deviceId"_s, true, 200);
    if (auto s = in.finish(); !s)
        return s.error();

    auto q = ctx.db->exec(
        u"SELECT u.id, u.tenant_id, u.username, u.display_name, u.role, u.password_hash, u.active,"
        " t.code, t.name, t.currency, u.max_line_discount_bp, u.max_order_discount_bp"
        " FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE t.code = ? AND u.username = ?"_s,
        {tenant, user});
    if (!q)
        return q.error();
    if (!q->next() || q->value(6).toInt() != 1) {
        // Same work and same answer as a wrong password: no user enumeration by status or timing.
        verifyPassword(password, dummyPasswordHash());
        return invalidCredentials();
    }
    const qint64 userId = q->value(0).toLongLong();
    const qint64 tenantId = q->value(1).toLongLong();
    if (!verifyPassword(password, q->value(5).toString())) {
        qCInfo(lcAuth) << "login failed for user id" << userId;
        return invalidCredentials();
    }
    currentRequestLog() = RequestLogInfo{tenantId, userId};
    QJsonObject userJson{{u"id"_s, userId},
                         {u"username"_s, q->value(2).toString()},
                         {u"displayName"_s, q->value(3).toString()},
                         {u"role"_s, q->value(4).toString()},
                         {u"maxLineDiscountBp"_s, q->value(10).toLongLong()},
                         {u"maxOrderDiscountBp"_s, q->value(11).toLongLong()}};
    QJsonObject tenantJson{{u"code"_s, q->value(7).toString()},
                           {u"name"_s, q->value(8).toString()},
                           {u"currency"_s, q->value(9).toString()}};

    const QDateTime now = ctx.now();
    if (auto s = ctx.db->begin(); !s)
        return s.error();
    auto device = registerDevice(ctx, tenantId, userId, deviceKey, now);
    if (!device) {
        ctx.db->rollback();
        return device.error();
    }
    auto tokens = createSession(ctx, tenantId, userId, *device, now);
    if (!tokens) {
        ctx.db->rollback();
        return tokens.error();
    }
    if (auto s = ctx.db->commit(); !s)
        return s.error();
    qCInfo(lcAuth) << "login user id" << userId << "device id" << *device << "session id"
                   << tokens->sessionId;

    QJsonObject out = tokenBody(ctx, *tokens);
    out.insert(u"user"_s, userJson);
    out.insert(u"tenant"_s, tenantJson);
    return out;
}

struct RefreshSession
{
    qint64 id = 0;
    qint64 tenantId = 0;
    qint64 userId = 0;
    qint64 deviceId = 0;
    QString refreshExpiresAt;
    QString revokedAt;
    qint64 rotatedFrom = 0;
    bool userActive = false;
};

Result<std::optional<RefreshSession>> findByRefreshToken(ServerContext &ctx, const QByteArray &token)
{
    auto q = ctx.db->exec(
        u"SELECT s.id, s.tenant_id, s.user_id, s.device_id, s.refresh_expires_at, s.revoked_at, u.active,"
        " s.rotated_from FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.refresh_hash = ?"_s,
        {hashToken(token)});
    if (!q)
        return q.error();
    if (!q->next())
        return std::optional<RefreshSession>();
    return std::optional<RefreshSession>(RefreshSession{
        q->value(0).toLongLong(), q->value(1).toLongLong(), q->value(2).toLongLong(), q->value(3).toLongLong(),
        q->value(4).toString(), q->value(5).toString(), q->value(7).toLongLong(), q->value(6).toInt() == 1});
}

// The refresh token's own 30-day life.
Status refreshTokenLive(const RefreshSession &s, const QDateTime &now)
{
    const QDateTime expires = QDateTime::fromString(s.refreshExpiresAt, Qt::ISODateWithMs);
    if (!expires.isValid() || expires <= now)
        return Error::make(ErrorKind::Unauthorized, u"auth.token_expired"_s,
                           u"The session has expired; sign in again."_s);
    return {};
}

// Inside an open transaction: a new session rotated from `s`, then commit (rollback on failure).
Result<IssuedTokens> commitSuccessor(ServerContext &ctx, const RefreshSession &s, const QDateTime &now)
{
    auto tokens = createSession(ctx, s.tenantId, s.userId, s.deviceId, now, s.id);
    if (!tokens) {
        ctx.db->rollback();
        return tokens.error();
    }
    if (auto c = ctx.db->commit(); !c)
        return c.error();
    return tokens;
}

// Ends every session of the user on the device: a rotated refresh token came back after its
// chain moved on, so someone else may hold it.
Error revokeForReuse(ServerContext &ctx, const RefreshSession &s, const QDateTime &now)
{
    auto revoke = ctx.db->exec(u"UPDATE sessions SET revoked_at = ? WHERE tenant_id = ? AND user_id = ?"
                               " AND device_id = ? AND revoked_at IS NULL"_s,
                               {isoUtc(now), s.tenantId, s.userId, s.deviceId});
    if (!revoke)
        return revoke.error();
    qCWarning(lcAuth) << "refresh token reuse; sessions revoked for user id" << s.userId << "device id"
                      << s.deviceId << "session id" << s.id;
    return Error::make(ErrorKind::Unauthorized, u"auth.refresh_reused"_s,
                       u"This session was used from elsewhere and has been ended; sign in again."_s);
}

// A revoked session's refresh token presented again: another successor while the chain has not
// moved on and the repeat is within the reuse interval or no successor was ever used; otherwise
// reuse (or plainly invalid after a sign-out, or for a deactivated user).
Result<QJsonObject> refreshRotatedAgain(ServerContext &ctx, const RefreshSession &s, const QDateTime &now)
{
    auto children = ctx.db->exec(u"SELECT COUNT(*), COUNT(revoked_at), MAX(created_at), COUNT(used_at)"
                                 " FROM sessions WHERE rotated_from = ?"_s,
                                 {s.id});
    if (!children)
        return children.error();
    const bool any = children->next();
    const qint64 successors = any ? children->value(0).toLongLong() : 0;
    const qint64 movedOn = successors > 0 ? children->value(1).toLongLong() : 0;
    const QDateTime latest = successors > 0
                                 ? QDateTime::fromString(children->value(2).toString(), Qt::ISODateWithMs)
                                 : QDateTime();
    const qint64 used = successors > 0 ? children->value(3).toLongLong() : 0;
    children->finish();
    if (successors == 0 || !s.userActive)
        return invalidRefresh(); // signed out, ended by an earlier reuse, or the user deactivated
    // The interval runs from the latest successor: a device whose answers keep getting lost on a
    // bad link keeps asking, each time within the interval of the last answer it missed.
    const qint64 interval = ctx.config.refreshReuseInterval.count();
    const bool withinInterval =
        interval > 0 && latest.isValid() && latest.msecsTo(now) >= 0 && latest.msecsTo(now) <= interval * 1000;
    // Later than that, a successor nobody ever used means its answer never reached the device
    // (killed between the server's answer and storing it, then started again hours later): the
    // device still holds only this token. Once a successor was used, someone else has this one.
    const bool neverDelivered = used == 0;
    if ((!withinInterval && !neverDelivered) || movedOn > 0 || successors >= kMaxRepeatedRefreshes)
        return revokeForReuse(ctx, s, now);
    if (Status live = refreshTokenLive(s, now); !live)
        return live.error();

    if (auto b = ctx.db->begin(); !b)
        return b.error();
    auto tokens = commitSuccessor(ctx, s, now);
    if (!tokens)
        return tokens.error();
    qCInfo(lcAuth) << (withinInterval ? "refresh repeated within the reuse interval;" : "refresh of an undelivered rotation;")
                   << "user id" << s.userId << "session id" << s.id
                   << "-> another successor" << tokens->sessionId;
    return tokenBody(ctx, *tokens);
}

Result<QJsonObject> refresh(ServerContext &ctx, const QHttpServerRequest &request)
{
    auto body = parseJsonObject(request, ctx.config.maxJsonBodyBytes);
    if (!body)
        return body.error();
    JsonReader in(*body);
    const QByteArray token = in.string(u"refreshToken"_s, true, 200).toLatin1();
    if (auto s = in.finish(); !s)
        return s.error();

    auto found = findByRefreshToken(ctx, token);
    if (!found)
        return found.error();
    if (!found->has_value())
        return invalidRefresh();
    const RefreshSession s = **found;
    currentRequestLog() = RequestLogInfo{s.tenantId, s.userId};
    const QDateTime now = ctx.now();

    if (!s.revokedAt.isEmpty())
        return refreshRotatedAgain(ctx, s, now);
    if (!s.userActive)
        return invalidRefresh();
    if (Status live = refreshTokenLive(s, now); !live)
        return live.error();

    if (auto b = ctx.db->begin(); !b)
        return b.error();
    auto revoke = ctx.db->exec(u"UPDATE sessions SET revoked_at = ?, used_at = COALESCE(used_at, ?)"
                               " WHERE id = ? AND revoked_at IS NULL"_s,
                               {isoUtc(now), isoUtc(now), s.id});
    if (!revoke) {
        ctx.db->rollback();
        return revoke.error();
    }
    if (revoke->numRowsAffected() != 1) {
        // Another instance rotated it a moment ago: the same request twice.
        ctx.db->rollback();
        auto again = findByRefreshToken(ctx, token);
        if (!again)
            return again.error();
        if (!again->has_value() || (*again)->revokedAt.isEmpty())
            return invalidRefresh();
        return refreshRotatedAgain(ctx, **again, now);
    }
    // The successors of this session's parent that nobody used: the answers that were lost.
    if (s.rotatedFrom > 0) {
        auto siblings = ctx.db->exec(u"UPDATE sessions SET revoked_at = ? WHERE rotated_from = ? AND id <> ?"
                                     " AND revoked_at IS NULL"_s,
                                     {isoUtc(now), s.rotatedFrom, s.id});
        if (!siblings) {
            ctx.db->rollback();
            return siblings.error();
        }
    }
    auto tokens = commitSuccessor(ctx, s, now);
    if (!tokens)
        return tokens.error();
    qCInfo(lcAuth) << "refresh user id" << s.userId << "session id" << s.id << "->" << tokens->sessionId;
    return tokenBody(ctx, *tokens);
}

Result<QJsonObject> logout(ServerContext &ctx, const QHttpServerRequest &request)
{
    auto caller = authenticate(ctx, request);
    if (!caller)
        return caller.error();
    auto q = ctx.db->exec(u"UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"_s,
                          {isoUtc(ctx.now()), caller->sessionId});
    if (!q)
        return q.error();
    qCInfo(lcAuth) << "logout session id" << caller->sessionId;
    return QJsonObject{{u"status"_s, u"logged_out"_s}};
}

QHttpServerResponse respond(const Result<QJsonObject> &r)
{
    return r ? jsonResponse(*r) : errorResponse(r.error());
}

} // namespace

void registerAuthRoutes(QHttpServer &http, ServerContext &ctx)
{
    // Computed once at start-up so the first failed login is not slower than the others.
    (void)dummyPasswordHash();
    http.route(u"/v1/auth/login"_s, QHttpServerRequest::Method::Post,
               [&ctx](const QHttpServerRequest &request) { return respond(login(ctx, request)); });
    http.route(u"/v1/auth/refresh"_s, QHttpServerRequest::Method::Post,
               [&ctx](const QHttpServerRequest &request) { return respond(refresh(ctx, request)); });
    http.route(u"/v1/auth/logout"_s, QHttpServerRequest::Method::Post,
               [&ctx](const QHttpServerRequest &request) { return respond(logout(ctx, request)); });
}

} // namespace outpost::server
