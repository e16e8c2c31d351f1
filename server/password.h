// Credentials: argon2id password hashes and opaque bearer tokens.
#pragma once

#include "domain/result.h"

#include <QByteArray>
#include <QString>

namespace outpost::server {

// argon2id, t=2, m=19 MiB, p=1 (OWASP), random 16-byte salt; the PHC encoded string
// ("$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>").
Result<QString> hashPassword(const QString &password);
// Constant-time check of password against an encoded hash; false for a malformed hash.
bool verifyPassword(const QString &password, const QString &encodedHash);
// A valid hash of a random password, verified when the user is missing so that timing does not
// reveal which usernames exist.
const QString &dummyPasswordHash();

// 32 random bytes (OpenSSL RAND_bytes), base64url without padding.
Result<QByteArray> randomToken();
// What the database stores for a token: SHA-256, lowercase hex.
QString hashToken(const QByteArray &token);

} // namespace outpost::server
