// The device's session with the server: base URL, tenant, user, device id and tokens, kept in the
// replica (replica_meta) so a restarted process continues; tokens are never logged. call() adds
// the access token and, when the server says "auth.token_expired" (or "auth.invalid_token" and no
// newer tokens are stored: a refresh answer that never arrived), refreshes once and retries.
#pragma once

#include "sync/transport.h"

#include <QString>

namespace outpost::storage {
class Database;
}

namespace outpost::sync {

struct LoginInput
{
    QUrl server;
    QString tenant;
    QString user;
    QString password; // used once, never stored
    QString deviceId; // empty = keep the replica's, or make a new UUID
};

class ApiSession
{
public:
    explicit ApiSession(storage::Database &db);

    // Signs in and stores the session. Returns the login answer (user, tenant).
    Result<QJsonObject> login(const LoginInput &input);
    // Loads the stored session; "auth.not_signed_in" (Unauthorized) when there is none.
    Status load();
    bool isSignedIn() const { return !m_refresh.isEmpty(); }

    Result<HttpResponse> call(const QByteArray &method, const QString &pathAndQuery, const QByteArray &body = {},
                              const RequestOptions &options = {});
    Status refresh();

    QString role() const { return m_role; }
    QUrl server() const { return m_http.baseUrl(); }
    int refreshCount() const { return m_refreshes; }

private:
    Status store();
    // Takes the replica's stored tokens when another session (another connection on this
    // replica) has replaced them; false when they are the ones this session holds.
    bool adoptStoredTokens();
    storage::Database &m_db;
    HttpClient m_http;
    QByteArray m_access;
    QByteArray m_refresh;
    QString m_role;
    int m_refreshes = 0;
};

} // namespace outpost::sync
