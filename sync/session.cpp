#include "sync/session.h"

#include "storage/database.h"
#include "storage/meta_repository.h"

#include <QJsonDocument>
#include <QUuid>

using namespace Qt::Literals::StringLiterals;

namespace outpost::sync {

namespace {

using namespace storage::meta; // the session keys in replica_meta

} // namespace

ApiSession::ApiSession(storage::Database &db) : m_db(db) {}

Result<QJsonObject> ApiSession::login(const LoginInput &in)
{
    if (!in.server.isValid() || in.server.scheme().isEmpty() || in.server.host().isEmpty())
        return Error::invalid(u"sync.bad_server"_s, u"Give the server as http(s)://host:port."_s, u"server"_s);
    if (in.tenant.isEmpty() || in.user.isEmpty() || in.password.isEmpty())
        return Error::invalid(u"sync.missing_credentials"_s, u"Tenant, user and password are required."_s);
    storage::MetaRepository meta(m_db);
    QString device = in.deviceId;
    if (device.isEmpty())
        device = meta.valueOr(kDevice);
    if (device.isEmpty())
        device = QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_http.setBaseUrl(in.server);
    const QJsonObject body{{u"tenant"_s, in.tenant}, {u"user"_s, in.user}, {u"password"_s, in.password},
                           {u"deviceId"_s, device}};
    auto r = m_http.send("POST", u"/v1/auth/login"_s, QJsonDocument(body).toJson(QJsonDocument::Compact));
    if (!r)
        return r.error();
    const QJsonObject answer = r->json();
    m_access = answer.value(u"accessToken"_s).toString().toLatin1();
    m_refresh = answer.value(u"refreshToken"_s).toString().toLatin1();
    if (m_access.isEmpty() || m_refresh.isEmpty())
        return Error::make(ErrorKind::Internal, u"sync.bad_login_answer"_s, u"The server's answer was not understood."_s);
    const QJsonObject user = answer.value(u"user"_s).toObject();
    m_role = user.value(u"role"_s).toString();
    auto tx = storage::Transaction::begin(m_db);
    if (!tx)
        return tx.error();
    // A replica belongs to one tenant and user: signing in as someone else is refused.
    const QString oldTenant = meta.valueOr(kTenant), oldUser = meta.valueOr(kUser);
    if ((!oldTenant.isEmpty() && oldTenant != in.tenant) || (!oldUser.isEmpty() && oldUser != in.user))
        return Error::make(ErrorKind::Conflict, u"sync.replica_other_user"_s,
                           u"This replica belongs to another user; use a new replica file."_s);
    for (const auto &[k, v] : {std::pair{kServer, in.server.toString()}, std::pair{kTenant, in.tenant},
                               std::pair{kUser, in.user}, std::pair{kDevice, device},
                               std::pair{kUserId, QString::number(user.value(u"id"_s).toInteger())},
                               std::pair{kRole, m_role},
                               // The rep's discount allowances: the device caps discounts as the server will.
                               std::pair{kMaxLineDiscountBp,
                                         QString::number(user.value(u"maxLineDiscountBp"_s).toInteger())},
                               std::pair{kMaxOrderDiscountBp,
                                         QString::number(user.value(u"maxOrderDiscountBp"_s).toInteger())},
                               std::pair{kCurrency, answer.value(u"tenant"_s).toObject().value(u"currency"_s).toString()}}) {
        if (Status s = meta.setValue(k, v); !s)
            return s.error();
    }
    if (Status s = store(); !s)
        return s.error();
    if (Status s = tx->commit(); !s)
        return s.error();
    qCInfo(lcSync) << "signed in user id" << user.value(u"id"_s).toInteger();
    return answer;
}

Status ApiSession::load()
{
    storage::MetaRepository meta(m_db);
    const QString server = meta.valueOr(kServer);
    m_access = meta.valueOr(kAccess).toLatin1();
    m_refresh = meta.valueOr(kRefresh).toLatin1();
    m_role = meta.valueOr(kRole);
    if (server.isEmpty() || m_refresh.isEmpty())
        return Error::make(ErrorKind::Unauthorized, u"auth.not_signed_in"_s,
                           u"Sign in first: outpost-sync --replica FILE login ..."_s);
    m_http.setBaseUrl(QUrl(server));
    return {};
}

Status ApiSession::store()
{
    storage::MetaRepository meta(m_db);
    if (Status s = meta.setValue(kAccess, QString::fromLatin1(m_access)); !s)
        return s;
    return meta.setValue(kRefresh, QString::fromLatin1(m_refresh));
}

// The server rotates the refresh token, and presenting a rotated one ends the device's sessions.
// Two sessions share this replica's tokens (the sync engine's and the attachment uploader's, each
// on its own connection), so a refresh runs inside a write transaction (BEGIN IMMEDIATE: one
// refresher per replica at a time) and first re-reads the stored token: when another session
// rotated it already, this one takes the stored tokens instead of refreshing again.
Status ApiSession::refresh()
{
    auto tx = storage::Transaction::begin(m_db);
    if (!tx)
        return tx.error();
    storage::MetaRepository meta(m_db);
    const QByteArray stored = meta.valueOr(kRefresh).toLatin1();
    if (!stored.isEmpty() && stored != m_refresh) {
        m_refresh = stored;
        m_access = meta.valueOr(kAccess).toLatin1();
        qCInfo(lcSync) << "session refreshed by another connection";
        return tx->commit();
    }
    const QJsonObject body{{u"refreshToken"_s, QString::fromLatin1(m_refresh)}};
    RequestOptions options;
    options.idleTimeout = std::chrono::seconds(10); // others wait on the replica meanwhile
    auto r = m_http.send("POST", u"/v1/auth/refresh"_s, QJsonDocument(body).toJson(QJsonDocument::Compact), {},
                         options);
    if (!r)
        return r.error();
    const QJsonObject answer = r->json();
    const QByteArray access = answer.value(u"accessToken"_s).toString().toLatin1();
    const QByteArray refreshToken = answer.value(u"refreshToken"_s).toString().toLatin1();
    if (access.isEmpty() || refreshToken.isEmpty())
        return Error::make(ErrorKind::Internal, u"sync.bad_refresh_answer"_s, u"The server's answer was not understood."_s);
    m_access = access;
    m_refresh = refreshToken;
    ++m_refreshes;
    qCInfo(lcSync) << "session refreshed";
    if (Status st = store(); !st)
        return st;
    return tx->commit();
}

Result<HttpResponse> ApiSession::call(const QByteArray &method, const QString &pathAndQuery, const QByteArray &body,
                                      const RequestOptions &options)
{
    auto r = m_http.send(method, pathAndQuery, body, m_access, options);
    if (r)
        return r;
    if (isTokenExpired(r.error())) {
        if (Status s = refresh(); !s)
            return s.error();
        return m_http.send(method, pathAndQuery, body, m_access, options);
    }
    if (r.error().code != u"auth.invalid_token"_s)
        return r;
    // A refresh by the other session on this replica ended the session our access token belongs
    // to: the stored tokens are the current ones.
    if (adoptStoredTokens())
        return m_http.send(method, pathAndQuery, body, m_access, options);
    // Our session was ended and nobody here knows its successor: most often a refresh whose answer
    // never arrived (the process was killed, or the connection dropped, after the server rotated).
    // Within the server's reuse interval the same refresh token still gets a pair; otherwise the
    // refresh answers why the rep must sign in again.
    if (m_refresh.isEmpty())
        return r;
    if (Status s = refresh(); !s)
        return s.error();
    return m_http.send(method, pathAndQuery, body, m_access, options);
}

bool ApiSession::adoptStoredTokens()
{
    storage::MetaRepository meta(m_db);
    const QByteArray access = meta.valueOr(kAccess).toLatin1();
    const QByteArray refreshToken = meta.valueOr(kRefresh).toLatin1();
    if (access.isEmpty() || access == m_access)
        return false;
    m_access = access;
    m_refresh = refreshToken;
    qCInfo(lcSync) << "session tokens taken from the replica";
    return true;
}

} // namespace outpost::sync
