// The attachment upload queue against the real outpost-server on loopback: delivery with the
// server's receipt time, 512 KiB chunks of a 5 MB file, dedup, a permanent failure that does not
// block the next attachment, resume from the server's offset, remote list + fetch into a capped
// cache, and an offline start.
#include "attachment_fixture.h"

#include "domain/content_hash.h"
#include "storage/attachment_repository.h"
#include "storage/blob_store.h"
#include "storage/database.h"
#include "sync/session.h"
#include "sync/sync_engine.h"
#include "sync/sync_run.h"
#include "sync/uploads.h"
#include "tests/support/testserver.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Qt::Literals::StringLiterals;
using namespace outpost;
using namespace outpost::sync;
using outpost::test::makePng;
using outpost::test::TestServer;

#define VERIFY_OK(result)                                                                                    \
    QVERIFY2(bool(result), bool(result) ? "" : qPrintable((result).error().code + u": "_s + (result).error().detail))

namespace {

struct Device
{
    QString path;
    std::unique_ptr<storage::Database> db;
    std::unique_ptr<ApiSession> api;
    std::unique_ptr<storage::BlobStore> blobs;
    Clock clock;
    qint64 accountId = 0;

    static std::unique_ptr<Device> open(const QString &path)
    {
        auto d = std::make_unique<Device>();
        d->path = path;
        auto db = openReplica(path);
        if (!db)
            return nullptr;
        d->db = std::move(*db);
        d->api = std::make_unique<ApiSession>(*d->db);
        d->blobs = std::make_unique<storage::BlobStore>(storage::BlobStore::blobDirFor(path));
        return d;
    }
    bool signIn(const TestServer &server, const QString &device)
    {
        if (!api->login(LoginInput{server.url(), u"demo"_s, u"rep1"_s, u"demo"_s, device}))
            return false;
        SyncContext ctx{*db, *api, path, clock, {}, {}};
        SyncOptions options;
        options.verify = false;
        if (!runSync(ctx, options))
            return false;
        auto st = db->prepare("SELECT id FROM accounts ORDER BY id LIMIT 1");
        if (!st || !st->step().valueOr(false))
            return false;
        accountId = st->int64(0);
        return accountId > 0;
    }
    QString addPhoto(const QByteArray &bytes, const QString &fileName = u"shelf.png"_s)
    {
        auto stored = blobs->put(bytes);
        if (!stored)
            return {};
        storage::AttachmentRow r;
        r.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        r.kind = u"photo"_s;
        r.ownerType = u"account"_s;
        r.ownerId = QString::number(accountId);
        r.accountId = accountId;
        r.sha256 = stored->sha256;
        r.size = stored->size;
        r.mime = u"image/png"_s;
        r.fileName = fileName;
        r.caption = u"Shelf"_s;
        r.width = 1;
        r.height = 1;
        r.deviceCreatedAt = clock.now();
        return storage::AttachmentRepository(*db).add(r, 0, clock.now()) ? r.id : QString();
    }
    Result<UploadReport> upload(UploadOptions options = {})
    {
        SyncContext ctx{*db, *api, path, clock, {}, {}};
        return runUploads(ctx, *blobs, options);
    }
    storage::AttachmentRow row(const QString &id) { return storage::AttachmentRepository(*db).get(id).valueOr({}); }
};

} // namespace

class TestUploads : public QObject
{
    Q_OBJECT

    TestServer m_server;
    QTemporaryDir m_dir;
    QByteArray m_token;
    int m_devices = 0;

    std::unique_ptr<Device> newDevice()
    {
        const QString name = u"device-%1"_s.arg(++m_devices);
        auto d = Device::open(m_dir.filePath(name + u".sqlite"_s));
        if (!d || !d->signIn(m_server, name))
            qFatal("device sign-in failed");
        return d;
    }

    QByteArray serverContent(const QString &id)
    {
        auto r = test::httpRequest("GET", m_server.url(u"/v1/attachments/%1/content"_s.arg(id)), {}, m_token);
        return r.status == 200 ? r.body : QByteArray();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_server.seed());
        QVERIFY(m_server.start());
        m_token = m_server.login(u"demo"_s, u"rep1"_s);
        QVERIFY(!m_token.isEmpty());
    }

    void oneAttachmentIsDeliveredWithReceiptTime()
    {
        auto d = newDevice();
        const QByteArray bytes = makePng(40000, 1);
        const QString id = d->addPhoto(bytes);
        QVERIFY(!id.isEmpty());
        auto report = d->upload();
        VERIFY_OK(report);
        QCOMPARE(report->delivered, 1);
        QCOMPARE(report->failed, 0);
        QCOMPARE(report->remaining, 0);
        QCOMPARE(report->bytesSent, bytes.size());
        QCOMPARE(report->bytesResent, 0);
        const auto row = d->row(id);
        QCOMPARE(row.state, u"delivered"_s);
        QCOMPARE(row.uploadedBytes, bytes.size());
        QVERIFY(row.serverReceivedAt.isValid());
        QCOMPARE(serverContent(id), bytes);
        // Nothing left: a second pass sends nothing.
        auto again = d->upload();
        VERIFY_OK(again);
        QCOMPARE(again->delivered, 0);
        QCOMPARE(again->bytesSent, 0);
    }

    void fiveMegabytesGoInHalfMebibyteChunks()
    {
        auto d = newDevice();
        const QByteArray bytes = makePng(5 * 1024 * 1024, 2);
        const QString id = d->addPhoto(bytes);
        QList<qint64> progress;
        UploadOptions options;
        options.onProgress = [&](const QString &, qint64 received, qint64) { progress.append(received); };
        auto report = d->upload(options);
        VERIFY_OK(report);
        QCOMPARE(report->delivered, 1);
        QCOMPARE(report->chunks, 10);
        QCOMPARE(report->bytesSent, bytes.size());
        QCOMPARE(progress.first(), 512 * 1024);
        QCOMPARE(progress.last(), bytes.size());
        const QByteArray onServer = serverContent(id);
        QCOMPARE(domain::sha256Hex(onServer), domain::sha256Hex(bytes));
    }

    void sameBytesAgainSendNothing()
    {
        auto d = newDevice();
        const QByteArray bytes = makePng(300000, 3);
        const QString first = d->addPhoto(bytes);
        VERIFY_OK(d->upload());
        const QString second = d->addPhoto(bytes, u"again.png"_s);
        auto report = d->upload();
        VERIFY_OK(report);
        QCOMPARE(report->delivered, 1);
        QCOMPARE(report->deduplicated, 1);
        QCOMPARE(report->bytesSent, 0);
        QCOMPARE(d->row(second).state, u"delivered"_s);
        QCOMPARE(serverContent(second), bytes);
    }

    void permanentFailureDoesNotBlockTheNext()
    {
        auto d = newDevice();
        const QString bad = d->addPhoto(makePng(5000, 4));
        // A row the repository would refuse, forced in with raw SQL: the server must refuse it too.
        QVERIFY(d->db->exec(qPrintable(u"UPDATE attachments SET file_name = '../etc/passwd', "
                                       "device_created_at = '2000-01-01T00:00:00.000Z' WHERE id = '%1'"_s.arg(bad)))
                    .ok());
        const QByteArray goodBytes = makePng(6000, 5);
        const QString good = d->addPhoto(goodBytes);
        auto report = d->upload();
        VERIFY_OK(report);
        QCOMPARE(report->failed, 1);
        QCOMPARE(report->delivered, 1);
        QCOMPARE(d->row(bad).state, u"failed"_s);
        QCOMPARE(d->row(bad).errorCode, u"attachment.bad_file_name"_s);
        QCOMPARE(d->row(good).state, u"delivered"_s);
        QCOMPARE(serverContent(good), goodBytes);
        // Failed stays failed on the next pass until the rep retries it.
        auto next = d->upload();
        VERIFY_OK(next);
        QCOMPARE(next->failed, 0);
        QCOMPARE(d->row(bad).state, u"failed"_s);
    }

    void resumesFromTheServersOffset()
    {
        auto d = newDevice();
        const qint64 chunk = 512 * 1024;
        const QByteArray bytes = makePng(5 * chunk + 1234, 6);
        const QString id = d->addPhoto(bytes);
        const auto row = d->row(id);
        // Another run got two chunks to the server, but recorded only one before it died.
        QJsonObject announce{{u"id"_s, id}, {u"kind"_s, u"photo"_s}, {u"ownerType"_s, u"account"_s},
                             {u"ownerId"_s, row.ownerId}, {u"accountId"_s, row.accountId}, {u"sha256"_s, row.sha256},
                             {u"size"_s, row.size}, {u"mime"_s, u"image/png"_s}, {u"fileName"_s, row.fileName},
                             {u"deviceCreatedAt"_s, row.deviceCreatedAt.toString(Qt::ISODateWithMs)}};
        auto tokenOfDevice = m_server.login(u"demo"_s, u"rep1"_s, u"demo"_s, u"device-resume"_s);
        QVERIFY(m_server.post(u"/v1/attachments"_s, announce, tokenOfDevice).status / 100 == 2);
        for (qint64 offset : {qint64(0), chunk}) {
            const QByteArray part = bytes.mid(offset, chunk);
            HttpClient http;
            http.setBaseUrl(m_server.url());
            RequestOptions opts;
            opts.headers = {{"Content-Type", "application/octet-stream"},
                            {"X-Chunk-SHA256", domain::sha256Hex(part).toLatin1()}};
            VERIFY_OK(http.send("PUT", u"/v1/attachments/%1/content?offset=%2"_s.arg(id).arg(offset), part,
                                tokenOfDevice, opts));
        }
        storage::AttachmentRepository repo(*d->db);
        QVERIFY(repo.markUploading(id).ok());
        QVERIFY(repo.markProgress(id, chunk).ok());
        auto report = d->upload();
        VERIFY_OK(report);
        QCOMPARE(report->delivered, 1);
        QCOMPARE(report->bytesSent, bytes.size() - 2 * chunk);
        QCOMPARE(report->bytesResent, 0);
        QCOMPARE(serverContent(id), bytes);
    }

    void remoteAttachmentsAreListedAndFetchedIntoACappedCache()
    {
        auto maker = newDevice();
        const QByteArray a = makePng(200000, 7), b = makePng(200000, 8);
        const QString idA = maker->addPhoto(a);
        const QString idB = maker->addPhoto(b);
        VERIFY_OK(maker->upload());
        auto viewer = newDevice();
        SyncContext ctx{*viewer->db, *viewer->api, viewer->path, viewer->clock, {}, {}};
        auto listed = refreshRemoteAttachments(ctx, u"account"_s, QString::number(maker->accountId));
        VERIFY_OK(listed);
        QVERIFY(*listed >= 2);
        QCOMPARE(viewer->row(idA).origin, u"remote"_s);
        QCOMPARE(viewer->row(idA).sha256, domain::sha256Hex(a));
        QCOMPARE(viewer->row(idA).state, u"remote"_s);
        storage::BlobStore cache(storage::BlobStore::cacheDirFor(viewer->path), 300000); // room for one
        auto pathA = fetchAttachment(ctx, *viewer->blobs, cache, idA);
        VERIFY_OK(pathA);
        QFile fa(*pathA);
        QVERIFY(fa.open(QIODevice::ReadOnly));
        QCOMPARE(fa.readAll(), a);
        auto pathB = fetchAttachment(ctx, *viewer->blobs, cache, idB);
        VERIFY_OK(pathB);
        QVERIFY(cache.contains(domain::sha256Hex(b)));
        QVERIFY(!cache.contains(domain::sha256Hex(a))); // evicted: least recently used, over the cap
        QVERIFY(cache.totalBytes() <= cache.capBytes());
        // The maker's own copy needs no download.
        SyncContext makerCtx{*maker->db, *maker->api, maker->path, maker->clock, {}, {}};
        auto local = fetchAttachment(makerCtx, *maker->blobs, cache, idA);
        VERIFY_OK(local);
        QCOMPARE(*local, maker->blobs->pathFor(domain::sha256Hex(a)));
        QCOMPARE(fetchAttachment(ctx, *viewer->blobs, cache, QUuid::createUuid().toString(QUuid::WithoutBraces))
                     .error()
                     .code,
                 u"storage.attachment_not_found"_s);
    }

    void offlineAtTheStartIsAnError()
    {
        auto d = newDevice();
        const QString id = d->addPhoto(makePng(1000, 9));
        QVERIFY(d->db->exec("UPDATE replica_meta SET value = 'http://127.0.0.1:9' WHERE key = 'server.url'").ok());
        auto report = d->upload();
        QVERIFY(!report.ok());
        QCOMPARE(report.error().kind, ErrorKind::Offline);
        const auto row = d->row(id);
        QCOMPARE(row.state, u"waiting"_s);
        QVERIFY(row.nextAttemptAt > d->clock.now().addMSecs(-1000));
        QCOMPARE(row.errorCode, report.error().code);
    }
};

QTEST_GUILESS_MAIN(TestUploads)
#include "tst_uploads.moc"
