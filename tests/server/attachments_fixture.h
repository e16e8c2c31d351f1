// Shared by tst_attachments and tst_attachments_badinput: the real server (seeded "tiny"), tokens
// for each role, image bytes made from fixed seeds, and the upload calls of docs/attachments.md.
// The blob folder is the server's default, "<db file>.blobs"; the tests look into it to prove
// what was (not) stored.
#pragma once

#include "tests/server/sync_http.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QImage>
#include <QPainter>
#include <QRandomGenerator>
#include <QTest>

namespace outpost::test::attachments {

using namespace Qt::Literals::StringLiterals;
using sync::newUuid;
using sync::peek;
using sync::RawReply;

inline QString sha256Hex(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

// Pseudo-random bytes from a fixed seed.
inline QByteArray randomBytes(qint64 size, quint32 seed)
{
    QByteArray out(size, Qt::Uninitialized);
    QRandomGenerator gen(seed);
    const qint64 words = size / 4;
    gen.fillRange(reinterpret_cast<quint32 *>(out.data()), words);
    for (qint64 i = words * 4; i < size; ++i)
        out[i] = char(gen.generate() & 0xff);
    return out;
}

// A real image (a gradient from the seed) encoded as "PNG" or "JPEG".
inline QByteArray encodedImage(const char *format, quint32 seed, int width = 64, int height = 48)
{
    QImage image(width, height, QImage::Format_RGB32);
    QRandomGenerator gen(seed);
    const QRgb base = gen.generate();
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            image.setPixel(x, y, qRgb((qRed(base) + x * 3) & 0xff, (qGreen(base) + y * 5) & 0xff, qBlue(base)));
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, format);
    return bytes;
}

// A PNG of `size` bytes: a real small PNG followed by pseudo-random bytes (the server reads the
// header, never the pixels, so this stands for a large photo).
inline QByteArray paddedPng(qint64 size, quint32 seed)
{
    QByteArray bytes = encodedImage("PNG", seed);
    if (size > bytes.size())
        bytes += randomBytes(size - bytes.size(), seed + 1);
    return bytes;
}

class Fixture
{
public:
    // Seeds and starts the server; signs in every role; finds rep1's accounts and others'.
    void setUp()
    {
        QVERIFY(server.seed());
        QVERIFY(server.start());
        rep1 = server.login(u"demo"_s, u"rep1"_s);
        rep2 = server.login(u"demo"_s, u"rep2"_s);
        manager = server.login(u"demo"_s, u"manager1"_s);
        kiosk = server.login(u"demo"_s, u"kiosk1"_s);
        admin = server.login(u"demo"_s, u"admin"_s);
        acmeRep = server.login(u"acme"_s, u"rep1"_s);
        QVERIFY(!rep1.isEmpty() && !rep2.isEmpty() && !manager.isEmpty() && !kiosk.isEmpty() && !admin.isEmpty() &&
                !acmeRep.isEmpty());
        const QString territory = u"SELECT ar.account_id FROM account_reps ar JOIN users u ON u.id = ar.user_id "
                                  "JOIN tenants t ON t.id = ar.tenant_id WHERE t.code = '%1' AND u.username = '%2' "
                                  "ORDER BY ar.account_id"_s;
        rep1Accounts = sync::peekColumn(server.dbPath(), territory.arg(u"demo"_s, u"rep1"_s));
        rep2Accounts = sync::peekColumn(server.dbPath(), territory.arg(u"demo"_s, u"rep2"_s));
        acmeAccounts = sync::peekColumn(server.dbPath(), territory.arg(u"acme"_s, u"rep1"_s));
        QVERIFY(rep1Accounts.size() >= 2 && !rep2Accounts.isEmpty() && !acmeAccounts.isEmpty());
    }

    QString blobDir() const { return server.dbPath() + u".blobs"_s; }
    QString blobPath(const QString &sha) const
    {
        return blobDir() + u'/' + sha.left(2) + u'/' + sha.mid(2, 2) + u'/' + sha;
    }
    qint64 tenantId(const QString &code) const
    {
        return peek(server.dbPath(), u"SELECT id FROM tenants WHERE code = '%1'"_s.arg(code));
    }
    QString stagingPath(const QString &id, const QString &tenant = u"demo"_s) const
    {
        return blobDir() + u"/.staging/"_s + QString::number(tenantId(tenant)) + u'-' + id;
    }
    // -1 when nothing is staged.
    qint64 stagedSize(const QString &id) const
    {
        const QFileInfo info(stagingPath(id));
        return info.exists() ? info.size() : -1;
    }
    // Every file stored under the blob folder (not staged).
    int blobFileCount() const
    {
        int n = 0;
        QDirIterator it(blobDir(), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            if (!it.next().contains(u"/.staging/"_s))
                ++n;
        }
        return n;
    }
    qint64 count(const QString &sql) const { return peek(server.dbPath(), sql); }
    qint64 blobRows(const QString &sha) const
    {
        return count(u"SELECT COUNT(*) FROM blobs WHERE sha256 = '%1'"_s.arg(sha));
    }
    qint64 attachmentRows(const QString &id) const
    {
        return count(u"SELECT COUNT(*) FROM attachments WHERE id = '%1'"_s.arg(id));
    }

    QJsonObject announceBody(const QString &id, const QByteArray &bytes, qint64 accountId,
                             const QString &mime = u"image/png"_s) const
    {
        return QJsonObject{{u"id"_s, id},
                           {u"kind"_s, u"photo"_s},
                           {u"ownerType"_s, u"account"_s},
                           {u"ownerId"_s, QString::number(accountId)},
                           {u"accountId"_s, accountId},
                           {u"sha256"_s, sha256Hex(bytes)},
                           {u"size"_s, qint64(bytes.size())},
                           {u"mime"_s, mime},
                           {u"fileName"_s, mime == u"image/png"_s ? u"shelf.png"_s : u"shelf.jpg"_s},
                           {u"caption"_s, u"Shelf after restock"_s},
                           {u"deviceCreatedAt"_s, u"2026-11-23T10:15:00.000Z"_s}};
    }

    HttpReply announce(const QJsonObject &body, const QByteArray &token) const
    {
        return server.post(u"/v1/attachments"_s, body, token);
    }

    // PUT one chunk; hashHex overrides X-Chunk-SHA256 ("" = computed over `chunk`, "-" = none).
    RawReply putChunk(const QString &id, qint64 offset, const QByteArray &chunk, const QByteArray &token,
                      QString hashHex = {}, const QByteArray &contentType = "application/octet-stream") const
    {
        QList<std::pair<QByteArray, QByteArray>> headers{{"Content-Type", contentType}};
        if (hashHex.isEmpty())
            hashHex = sha256Hex(chunk);
        if (hashHex != u"-"_s)
            headers.append({"X-Chunk-SHA256", hashHex.toLatin1()});
        const QString path = offset < 0 ? u"/v1/attachments/%1/content"_s.arg(id)
                                        : u"/v1/attachments/%1/content?offset=%2"_s.arg(id).arg(offset);
        return sync::rawRequest("PUT", server.url(path), token, headers, chunk);
    }

    // Chunks from `from` to the end; the last reply.
    RawReply uploadFrom(const QString &id, const QByteArray &bytes, qint64 from, const QByteArray &token,
                        qint64 chunkSize = 512 * 1024) const
    {
        RawReply last;
        for (qint64 offset = from; offset < bytes.size(); offset += chunkSize) {
            last = putChunk(id, offset, bytes.mid(offset, chunkSize), token);
            if (last.status != 200)
                return last;
        }
        return last;
    }

    HttpReply get(const QString &path, const QByteArray &token) const { return server.get(path, token); }
    qint64 received(const QString &id, const QByteArray &token) const
    {
        const HttpReply r = get(u"/v1/attachments/"_s + id, token);
        return r.status == 200 ? r.json.value(u"received"_s).toInteger(-1) : -1;
    }

    TestServer server;
    QByteArray rep1, rep2, manager, kiosk, admin, acmeRep;
    QList<qint64> rep1Accounts, rep2Accounts, acmeAccounts;
};

} // namespace outpost::test::attachments
