#include "server/password.h"

#include <QCryptographicHash>

#include <argon2.h>
#include <openssl/rand.h>

#include <array>

using namespace Qt::Literals::StringLiterals;

namespace outpost::server {

namespace {

// OWASP minimums for argon2id.
constexpr uint32_t kTimeCost = 2;
constexpr uint32_t kMemoryKiB = 19 * 1024;
constexpr uint32_t kParallelism = 1;
constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;
constexpr int kTokenBytes = 32;

} // namespace

Result<QString> hashPassword(const QString &password)
{
    std::array<unsigned char, kSaltBytes> salt{};
    if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1)
        return Error::make(ErrorKind::Internal, u"crypto.random_failed"_s, u"An internal error occurred."_s);
    const QByteArray pwd = password.toUtf8();
    QByteArray encoded(static_cast<qsizetype>(argon2_encodedlen(kTimeCost, kMemoryKiB, kParallelism,
                                                                kSaltBytes, kHashBytes, Argon2_id)),
                       '\0');
    const int rc = argon2id_hash_encoded(kTimeCost, kMemoryKiB, kParallelism, pwd.constData(),
                                         static_cast<size_t>(pwd.size()), salt.data(), salt.size(),
                                         kHashBytes, encoded.data(), static_cast<size_t>(encoded.size()));
    if (rc != ARGON2_OK)
        return Error::make(ErrorKind::Internal, u"crypto.hash_failed"_s, u"An internal error occurred."_s,
                           QString::fromLatin1(argon2_error_message(rc)));
    return QString::fromLatin1(encoded.constData()); // stops at the terminating NUL
}

bool verifyPassword(const QString &password, const QString &encodedHash)
{
    if (!encodedHash.startsWith(u"$argon2id$"_s))
        return false;
    const QByteArray enc = encodedHash.toLatin1();
    const QByteArray pwd = password.toUtf8();
    // argon2id_verify recomputes the hash and compares in constant time.
    return argon2id_verify(enc.constData(), pwd.constData(), static_cast<size_t>(pwd.size())) == ARGON2_OK;
}

const QString &dummyPasswordHash()
{
    static const QString hash = [] {
        auto h = hashPassword(u"outpost-dummy-password"_s);
        return h ? *h : QString();
    }();
    return hash;
}

Result<QByteArray> randomToken()
{
    QByteArray bytes(kTokenBytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char *>(bytes.data()), kTokenBytes) != 1)
        return Error::make(ErrorKind::Internal, u"crypto.random_failed"_s, u"An internal error occurred."_s);
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QString hashToken(const QByteArray &token)
{
    return QString::fromLatin1(QCryptographicHash::hash(token, QCryptographicHash::Sha256).toHex());
}

} // namespace outpost::server
