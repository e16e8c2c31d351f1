// outpost-bench-upload: the attachment upload queue through a link that drops (issue D).
//
//   outpost-bench-upload [--photos 200] [--mb 3] [--drop-min-ms 2000] [--drop-max-ms 5000]
//                        [--chunk-kb 512] [--seed 7] [--max-seconds 900] [--work DIR]
//
// One run, two passes on the same machine and the same server:
//   clean    N photos of ~M MB each, uploaded straight to the server (loopback): the baseline.
//   dropping N other photos of the same size through a loopback proxy that drops every
//            connection at a random moment every drop-min..drop-max ms (a train going through
//            tunnels), the queue retrying until everything is delivered.
// Each photo is a real JPEG (noise, so it does not compress), made distinct by a comment
// segment, so the server's dedup does not help. The real outpost-server (seeded "tiny"), a real
// replica signed in as rep1, the app's BlobStore/AttachmentRepository and sync::runUploads.
// Afterwards the server is asked for every attachment (state complete) and a sample of the
// bytes is read back and hashed. Prints figures, then one JSON line. Nothing asserts on time.
#include "domain/content_hash.h"
#include "storage/attachment_repository.h"
#include "storage/blob_store.h"
#include "storage/database.h"
#include "storage/schema.h"
#include "sync/session.h"
#include "sync/sync_run.h"
#include "sync/uploads.h"
#include "tests/support/faultproxy.h"
#include "tests/support/testserver.h"

#include <QBuffer>
#include <QCommandLineParser>
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QImage>
#include <QImageWriter>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QUuid>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <thread>

using namespace outpost;
using namespace Qt::Literals::StringLiterals;

namespace {

void say(const QString &text)
{
    std::fprintf(stderr, "%s\n", qPrintable(text));
}

test::TestServer *g_server = nullptr; // stopped on the way out, also by die()

[[noreturn]] void die(const QString &what, const Error &e = {})
{
    say(u"outpost-bench-upload: %1 %2 %3 %4"_s.arg(what, e.code, e.userText, e.detail));
    if (g_server)
        g_server->stop();
    std::exit(1);
}

QByteArray noiseJpeg(int w, int h, QRandomGenerator &rng)
{
    QImage img(w, h, QImage::Format_RGB32);
    for (int y = 0; y < h; ++y) {
        auto *line = reinterpret_cast<quint32 *>(img.scanLine(y));
        for (int x = 0; x < w; ++x)
            line[x] = 0xff000000u | (rng.generate() & 0xffffffu);
    }
    QByteArray out;
    QBuffer buf(&out);
    buf.open(QIODevice::WriteOnly);
    QImageWriter writer(&buf, "jpeg");
    writer.setQuality(95);
    if (!writer.write(img))
        die(u"jpeg encode failed"_s);
    return out;
}

// One noise JPEG of about targetBytes (4:3); variants differ by a COM segment after SOI. A first
// small encode measures the bytes per pixel the encoder spends on noise.
QByteArray makeBaseJpeg(qint64 targetBytes, quint32 seed)
{
    QRandomGenerator rng(seed);
    const double bytesPerPixel = double(noiseJpeg(400, 300, rng).size()) / (400.0 * 300.0);
    const double pixels = double(targetBytes) / bytesPerPixel;
    const int w = int(std::sqrt(pixels * 4.0 / 3.0));
    return noiseJpeg(w, int(pixels / w), rng);
}

QByteArray variant(const QByteArray &jpeg, const QString &tag)
{
    const QByteArray text = tag.toUtf8();
    QByteArray com("\xFF\xFE", 2);
    const int len = int(text.size()) + 2;
    com.append(char((len >> 8) & 0xff)).append(char(len & 0xff)).append(text);
    return jpeg.left(2) + com + jpeg.mid(2);
}

struct Pass
{
    QString name;
    double seconds = 0;
    sync::UploadReport report;
    int passes = 0;
    qint64 drops = 0;
    qint64 proxyBytesUp = 0;
    int deliveredInReplica = 0;
    int completeOnServer = 0;
    int sampleVerified = 0;
};

QJsonObject passJson(const Pass &p, qint64 payloadBytes)
{
    return QJsonObject{{u"seconds"_s, p.seconds},
                       {u"upload_passes"_s, p.passes},
                       {u"delivered"_s, p.report.delivered},
                       {u"failed"_s, p.report.failed},
                       {u"remaining"_s, p.report.remaining},
                       {u"chunks"_s, p.report.chunks},
                       {u"retries"_s, p.report.retries},
                       {u"bytes_payload"_s, payloadBytes},
                       {u"bytes_sent"_s, p.report.bytesSent},
                       {u"bytes_sent_twice"_s, p.report.bytesResent},
                       {u"drops"_s, p.drops},
                       {u"proxy_bytes_up"_s, p.proxyBytesUp},
                       {u"mb_per_s"_s, p.seconds > 0 ? payloadBytes / 1e6 / p.seconds : 0.0},
                       {u"delivered_in_replica"_s, p.deliveredInReplica},
                       {u"complete_on_server"_s, p.completeOnServer},
                       {u"sample_bytes_verified"_s, p.sampleVerified}};
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    QCommandLineParser p;
    p.setApplicationDescription(u"Attachment uploads through a dropping link (issue D bench)."_s);
    p.addHelpOption();
    p.addOptions({{u"photos"_s, u"Photos per pass (200)."_s, u"N"_s, u"200"_s},
                  {u"mb"_s, u"Size of each photo in MB (3)."_s, u"MB"_s, u"3"_s},
                  {u"drop-min-ms"_s, u"Shortest time between drops (2000)."_s, u"MS"_s, u"2000"_s},
                  {u"drop-max-ms"_s, u"Longest time between drops (5000)."_s, u"MS"_s, u"5000"_s},
                  {u"chunk-kb"_s, u"Upload chunk size in KiB (512)."_s, u"KB"_s, u"512"_s},
                  {u"seed"_s, u"Random seed (7)."_s, u"N"_s, u"7"_s},
                  {u"max-seconds"_s, u"Give up a pass after this long (900)."_s, u"S"_s, u"900"_s}});
    p.process(app);
    const int photos = p.value(u"photos"_s).toInt();
    const qint64 targetBytes = qint64(p.value(u"mb"_s).toDouble() * 1024 * 1024);
    const int dropMin = p.value(u"drop-min-ms"_s).toInt();
    const int dropMax = std::max(dropMin, p.value(u"drop-max-ms"_s).toInt());
    const quint32 seed = p.value(u"seed"_s).toUInt();
    const qint64 chunk = p.value(u"chunk-kb"_s).toLongLong() * 1024;
    const int maxSeconds = p.value(u"max-seconds"_s).toInt();

    say(u"server: seeding and starting"_s);
    test::TestServer server;
    g_server = &server;
    if (!server.seed() || !server.start())
        die(u"server did not start"_s);

    QTemporaryDir work;
    const QString replicaPath = work.filePath(u"replica.db"_s);
    auto db = storage::Database::open(replicaPath);
    if (!db)
        die(u"replica"_s, db.error());
    if (Status s = storage::migrate(**db); !s)
        die(u"migrate"_s, s.error());
    sync::ApiSession api(**db);
    if (auto r = api.login(sync::LoginInput{server.url(), u"demo"_s, u"rep1"_s, u"demo"_s, {}}); !r)
        die(u"login"_s, r.error());
    sync::SyncContext ctx{**db, api, replicaPath, {}, {}, {}};
    if (auto r = sync::runSync(ctx, sync::SyncOptions{}); !r) // the tiny seed: a second
        die(u"sync"_s, r.error());
    // Two of rep1's accounts: the clean pass photographs one, the dropping pass the other, so
    // each pass's server check lists only its own attachments.
    QList<qint64> accounts;
    {
        auto st = (*db)->prepare("SELECT id FROM accounts ORDER BY id LIMIT 2");
        while (st && *st->step())
            accounts << st->int64(0);
        if (accounts.size() < 2)
            die(u"rep1 needs two accounts"_s);
    }

    storage::BlobStore blobs(storage::BlobStore::blobDirFor(replicaPath));
    storage::AttachmentRepository repo(**db);
    say(u"making %1 photos of %2 bytes for each pass"_s.arg(photos).arg(targetBytes));
    const QByteArray base = makeBaseJpeg(targetBytes, seed);

    auto addPhotos = [&](const QString &tag, qint64 accountId) -> qint64 {
        qint64 total = 0;
        for (int i = 0; i < photos; ++i) {
            const QByteArray bytes = variant(base, u"%1-%2"_s.arg(tag).arg(i));
            auto stored = blobs.put(bytes);
            if (!stored)
                die(u"blob put"_s, stored.error());
            storage::AttachmentRow row;
            row.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
            row.kind = u"photo"_s;
            row.ownerType = u"account"_s;
            row.ownerId = QString::number(accountId);
            row.accountId = accountId;
            row.sha256 = stored->sha256;
            row.size = stored->size;
            row.mime = u"image/jpeg"_s;
            row.fileName = u"shelf-%1-%2.jpg"_s.arg(tag).arg(i);
            row.width = 1;
            row.height = 1;
            row.deviceCreatedAt = QDateTime::currentDateTimeUtc();
            if (Status s = repo.add(row, 0, QDateTime::currentDateTimeUtc()); !s)
                die(u"attachment add"_s, s.error());
            total += stored->size;
        }
        return total;
    };

    auto runPass = [&](Pass &pass) {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < maxSeconds * 1000LL) {
            sync::UploadOptions uo;
            uo.chunkSize = chunk;
            uo.sendAll = true; // a dropped link is retried at once: the bench measures the link
            uo.maxDuration = std::chrono::seconds(std::max<qint64>(1, maxSeconds - t.elapsed() / 1000));
            auto r = sync::runUploads(ctx, blobs, uo);
            ++pass.passes;
            if (r) {
                pass.report.delivered += r->delivered;
                pass.report.failed += r->failed;
                pass.report.bytesSent += r->bytesSent;
                pass.report.bytesResent += r->bytesResent;
                pass.report.chunks += r->chunks;
                pass.report.retries += r->retries;
                pass.report.remaining = r->remaining;
                if (r->remaining == 0)
                    break;
            }
        }
        pass.seconds = t.elapsed() / 1000.0;
    };

    auto verify = [&](Pass &pass, qint64 accountId, int sample) {
        auto counts = repo.counts();
        if (counts)
            pass.deliveredInReplica = int(counts->delivered); // both passes so far
        const QByteArray token = server.login(u"demo"_s, u"rep1"_s);
        const auto list = server.get(u"/v1/attachments?accountId=%1"_s.arg(accountId), token);
        const QJsonArray items = list.json.value(u"attachments"_s).toArray();
        int checked = 0;
        for (const auto &v : items) {
            const QJsonObject a = v.toObject();
            if (a.value(u"state"_s).toString() != u"complete"_s)
                continue;
            ++pass.completeOnServer;
            if (checked < sample) {
                const auto content = server.get(u"/v1/attachments/%1/content"_s.arg(a.value(u"id"_s).toString()), token);
                if (domain::sha256Hex(content.body) == a.value(u"sha256"_s).toString())
                    ++pass.sampleVerified;
                ++checked;
            }
        }
    };

    // Clean pass: through a proxy that only counts bytes (the wire overhead of the requests
    // themselves, which the dropping pass is compared with).
    Pass clean;
    clean.name = u"clean"_s;
    test::FaultProxy counter(seed);
    if (!counter.start(server.url().port()))
        die(u"proxy"_s);
    const qint64 cleanBytes = addPhotos(u"clean"_s, accounts[0]);
    if (auto r = api.login(sync::LoginInput{counter.url(), u"demo"_s, u"rep1"_s, u"demo"_s, {}}); !r)
        die(u"login via proxy"_s, r.error());
    say(u"clean: uploading %1 MB"_s.arg(cleanBytes / 1e6, 0, 'f', 1));
    runPass(clean);
    clean.proxyBytesUp = counter.stats().bytesUpstream;
    verify(clean, accounts[0], 5);
    say(u"clean: %1 s, delivered %2"_s.arg(clean.seconds, 0, 'f', 2).arg(clean.report.delivered));

    // Dropping pass: through the proxy, every connection dropped every drop-min..drop-max ms.
    Pass dropping;
    dropping.name = u"dropping"_s;
    test::FaultProxy proxy(seed);
    if (!proxy.start(server.url().port()))
        die(u"proxy"_s);
    const qint64 dropBytes = addPhotos(u"dropping"_s, accounts[1]);
    if (auto r = api.login(sync::LoginInput{proxy.url(), u"demo"_s, u"rep1"_s, u"demo"_s, {}}); !r)
        die(u"login via proxy"_s, r.error());
    std::atomic<bool> stop{false};
    std::atomic<qint64> drops{0};
    std::thread dropper([&] {
        QRandomGenerator rng(seed + 1);
        while (!stop.load()) {
            const int wait = dropMin + int(rng.bounded(dropMax - dropMin + 1));
            for (int slept = 0; slept < wait && !stop.load(); slept += 50)
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            if (stop.load())
                break;
            proxy.dropAllConnections();
            ++drops;
        }
    });
    say(u"dropping: uploading %1 MB through a link dropped every %2-%3 ms"_s.arg(dropBytes / 1e6, 0, 'f', 1)
            .arg(dropMin).arg(dropMax));
    runPass(dropping);
    stop = true;
    dropper.join();
    dropping.drops = drops.load();
    dropping.proxyBytesUp = proxy.stats().bytesUpstream;
    verify(dropping, accounts[1], 5);
    say(u"dropping: %1 s, delivered %2, drops %3"_s.arg(dropping.seconds, 0, 'f', 2)
            .arg(dropping.report.delivered).arg(dropping.drops));

    const double slowdown = clean.seconds > 0 ? dropping.seconds / clean.seconds : 0;
    const double twicePct = dropBytes > 0 ? 100.0 * dropping.report.bytesResent / dropBytes : 0;
    // On the wire: what the dropping pass sent upstream beyond the clean pass (same number of
    // photos and requests; the payloads differ by a few bytes of comment): requests the proxy cut
    // and the client (or Qt's network stack, which silently resends a request whose keep-alive
    // connection died) sent again.
    const qint64 wireTwice = dropping.proxyBytesUp - clean.proxyBytesUp - (dropBytes - cleanBytes);
    const double wireTwicePct = dropBytes > 0 ? 100.0 * double(wireTwice) / double(dropBytes) : 0;
    std::printf("\n%-34s %14s %14s\n", "", "clean", "dropping");
    std::printf("%-34s %14.2f %14.2f\n", "time (s)", clean.seconds, dropping.seconds);
    std::printf("%-34s %14lld %14lld\n", "payload bytes", (long long)cleanBytes, (long long)dropBytes);
    std::printf("%-34s %14lld %14lld\n", "chunk bytes sent", (long long)clean.report.bytesSent,
                (long long)dropping.report.bytesSent);
    std::printf("%-34s %14lld %14lld\n", "bytes sent twice", (long long)clean.report.bytesResent,
                (long long)dropping.report.bytesResent);
    std::printf("%-34s %14lld %14lld\n", "bytes upstream on the wire", (long long)clean.proxyBytesUp,
                (long long)dropping.proxyBytesUp);
    std::printf("%-34s %14lld %14lld\n", "link drops", 0LL, (long long)dropping.drops);
    std::printf("%-34s %14d %14d\n", "delivered (report)", clean.report.delivered, dropping.report.delivered);
    std::printf("%-34s %14d %14d\n", "complete on the server", clean.completeOnServer, dropping.completeOnServer);
    std::printf("%-34s %14d %14d\n", "sample read back, hash equal", clean.sampleVerified, dropping.sampleVerified);
    std::printf("%-34s %14.1f %14.1f\n", "MB/s", clean.seconds > 0 ? cleanBytes / 1e6 / clean.seconds : 0,
                dropping.seconds > 0 ? dropBytes / 1e6 / dropping.seconds : 0);
    std::printf("bytes sent twice: client count %.2f%%, on the wire %lld bytes = %.2f%% of the payload "
                "(bound: one %lld KiB chunk per drop = %lld KiB)\n",
                twicePct, (long long)wireTwice, wireTwicePct, (long long)(chunk / 1024),
                (long long)(dropping.drops * chunk / 1024));
    const QJsonObject out{{u"photos"_s, photos},
                          {u"photo_bytes"_s, targetBytes},
                          {u"chunk_bytes"_s, chunk},
                          {u"clean"_s, passJson(clean, cleanBytes)},
                          {u"dropping"_s, passJson(dropping, dropBytes)},
                          {u"dropping_slowdown"_s, slowdown},
                          {u"bytes_sent_twice_pct"_s, twicePct},
                          {u"wire_bytes_sent_twice"_s, wireTwice},
                          {u"wire_bytes_sent_twice_pct"_s, wireTwicePct},
                          {u"all_delivered"_s, clean.completeOnServer >= photos && dropping.completeOnServer >= photos}};
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    g_server = nullptr;
    return 0;
}
