// The device blob store: atomic content-addressed writes, streaming a 100 MB file, verification,
// orphan collection after a rolled-back transaction, and the download cache's LRU eviction.
#include "fixtures.h"

#include "domain/content_hash.h"
#include "storage/attachment_repository.h"
#include "storage/blob_store.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace outpost;
using namespace outpost::storage;
using namespace outpost::storage::testing;

namespace {

QStringList filesUnder(const QString &root)
{
    QStringList files;
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext())
        files.append(QDir(root).relativeFilePath(it.next()));
    files.sort();
    return files;
}

QByteArray bytesOf(int size, quint32 seed)
{
    QRandomGenerator random(seed);
    QByteArray bytes(size, Qt::Uninitialized);
    for (char &c : bytes)
        c = char(random.bounded(256));
    return bytes;
}

// Resident set size of this process in KiB (Linux).
qint64 rssKiB()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

void setUsed(const BlobStore &store, const QString &sha, const QDateTime &when)
{
    QFile file(store.pathFor(sha));
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.setFileTime(when, QFileDevice::FileModificationTime));
}

AttachmentRow photoRow(const QString &id, const QString &sha, qint64 size)
{
    AttachmentRow r;
    r.id = id;
    r.kind = u"photo"_s;
    r.ownerType = u"account"_s;
    r.ownerId = u"10"_s;
    r.accountId = 10;
    r.sha256 = sha;
    r.size = size;
    r.mime = u"image/jpeg"_s;
    r.fileName = u"shelf.jpg"_s;
    r.deviceCreatedAt = utc(u"2026-11-23T10:00:00.000Z"_s);
    return r;
}

} // namespace

class TestStorageBlobs : public QObject
{
    Q_OBJECT

private slots:
    void folderNamesBesideTheReplica()
    {
        QCOMPARE(BlobStore::blobDirFor(u"/data/replica.sqlite"_s), u"/data/replica.sqlite.blobs"_s);
        QCOMPARE(BlobStore::cacheDirFor(u"/data/replica.sqlite"_s), u"/data/replica.sqlite.cache"_s);
    }

    void putIsContentAddressedAndLeavesNoTempFile()
    {
        QTemporaryDir dir;
        BlobStore store(dir.filePath(u"blobs"_s));
        const QByteArray bytes = bytesOf(1000, 1);
        auto stored = store.put(bytes);
        QVERIFY(stored.ok());
        QCOMPARE(stored->sha256, domain::sha256Hex(bytes));
        QCOMPARE(stored->size, 1000);
        QVERIFY(!stored->existed);
        QCOMPARE(store.pathFor(stored->sha256),
                 dir.filePath(u"blobs/"_s) + stored->sha256.left(2) + u'/' + stored->sha256);
        QVERIFY(store.contains(stored->sha256));
        QCOMPARE(store.sizeOf(stored->sha256), 1000);
        QCOMPARE(filesUnder(store.root()), QStringList{stored->sha256.left(2) + u'/' + stored->sha256});
        auto back = store.read(stored->sha256, true);
        QVERIFY(back.ok());
        QCOMPARE(*back, bytes);
    }

    void putOfExistingBytesWritesNothing()
    {
        QTemporaryDir dir;
        BlobStore store(dir.filePath(u"blobs"_s));
        const QByteArray bytes = bytesOf(500, 2);
        auto first = store.put(bytes);
        QVERIFY(first.ok());
        const QDateTime old = utc(u"2020-01-01T00:00:00.000Z"_s);
        setUsed(store, first->sha256, old);
        auto second = store.put(bytes);
        QVERIFY(second.ok());
        QVERIFY(second->existed);
        QCOMPARE(second->sha256, first->sha256);
        QCOMPARE(QFileInfo(store.pathFor(first->sha256)).lastModified().toUTC(), old);
        QTemporaryDir src;
        const QString source = src.filePath(u"copy.bin"_s);
        QFile f(source);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
        f.close();
        auto third = store.putFile(source);
        QVERIFY(third.ok());
        QVERIFY(third->existed);
        QCOMPARE(QFileInfo(store.pathFor(first->sha256)).lastModified().toUTC(), old);
        QCOMPARE(filesUnder(store.root()).size(), 1);
    }

    void putFileStreamsAHundredMegabytes()
    {
        QTemporaryDir dir;
        const QString source = dir.filePath(u"big.bin"_s);
        QCryptographicHash expected(QCryptographicHash::Sha256);
        constexpr qint64 kChunk = 1024 * 1024;
        constexpr int kChunks = 100;
        {
            QFile f(source);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QRandomGenerator random(42);
            QByteArray chunk(kChunk, Qt::Uninitialized);
            for (int i = 0; i < kChunks; ++i) {
                random.fillRange(reinterpret_cast<quint32 *>(chunk.data()), kChunk / 4);
                expected.addData(chunk);
                QCOMPARE(f.write(chunk), kChunk);
            }
        }
        BlobStore store(dir.filePath(u"blobs"_s));
        const qint64 before = rssKiB();
        auto stored = store.putFile(source);
        const qint64 after = rssKiB();
        QVERIFY(stored.ok());
        QCOMPARE(stored->sha256, QString::fromLatin1(expected.result().toHex()));
        QCOMPARE(stored->size, kChunk * kChunks);
        QCOMPARE(store.sizeOf(stored->sha256), kChunk * kChunks);
        // Streaming: the process did not grow by anything near the file's size.
        QVERIFY2(after - before < 32 * 1024, qPrintable(u"RSS grew by %1 KiB"_s.arg(after - before)));
        auto chunk = store.readRange(stored->sha256, kChunk * kChunks - 10, 512 * 1024);
        QVERIFY(chunk.ok());
        QCOMPARE(chunk->size(), 10);
        QCOMPARE(filesUnder(store.root()).size(), 1);
    }

    void putVerifiedRefusesOtherBytes()
    {
        QTemporaryDir dir;
        BlobStore store(dir.filePath(u"cache"_s), 1000);
        const QByteArray bytes = bytesOf(100, 3);
        auto wrong = store.putVerified(bytes, domain::sha256Hex("other"));
        QVERIFY(!wrong.ok());
        QCOMPARE(wrong.error().code, u"blob.hash_mismatch"_s);
        QVERIFY(filesUnder(store.root()).isEmpty());
        auto right = store.putVerified(bytes, domain::sha256Hex(bytes));
        QVERIFY(right.ok());
    }

    void readReportsMissingAndCorrupt()
    {
        QTemporaryDir dir;
        BlobStore store(dir.filePath(u"blobs"_s));
        auto absent = store.read(domain::sha256Hex("absent"));
        QCOMPARE(absent.error().code, u"blob.missing"_s);
        QCOMPARE(store.read(u"../../etc/passwd"_s).error().code, u"blob.missing"_s);
        QCOMPARE(store.sizeOf(u"nothex"_s), -1);
        auto stored = store.put(bytesOf(64, 4));
        QVERIFY(stored.ok());
        QFile f(store.pathFor(stored->sha256));
        QVERIFY(f.open(QIODevice::ReadWrite));
        f.write("X");
        f.close();
        QVERIFY(store.read(stored->sha256, false).ok());
        QCOMPARE(store.read(stored->sha256, true).error().code, u"blob.corrupt"_s);
        QCOMPARE(store.readRange(stored->sha256, 65, 1).error().code, u"blob.bad_range"_s);
        QCOMPARE(store.putFile(dir.filePath(u"no-such-file"_s)).error().code, u"blob.source_unreadable"_s);
    }

    void orphanCollectedAfterRolledBackTransaction()
    {
        QTemporaryDir dir;
        auto db = openMigrated(dir.filePath(u"replica.sqlite"_s));
        BlobStore store(BlobStore::blobDirFor(dir.filePath(u"replica.sqlite"_s)));
        AttachmentRepository repo(*db);
        const QDateTime now = utc(u"2026-11-23T10:00:00.000Z"_s);
        auto kept = store.put(bytesOf(300, 5));
        QVERIFY(kept.ok());
        QVERIFY(repo.add(photoRow(u"00000000-0000-4000-8000-000000000001"_s, kept->sha256, kept->size), 0, now).ok());
        auto lost = store.put(bytesOf(300, 6));
        QVERIFY(lost.ok());
        {
            auto tx = Transaction::begin(*db);
            QVERIFY(tx.ok());
            QVERIFY(repo.add(photoRow(u"00000000-0000-4000-8000-000000000002"_s, lost->sha256, lost->size), 0, now).ok());
            tx->rollback();
        }
        // A temporary file a crash left behind.
        QDir().mkpath(store.root() + u"/.tmp"_s);
        QFile stray(store.root() + u"/.tmp/.tmp-crashed"_s);
        QVERIFY(stray.open(QIODevice::WriteOnly));
        stray.write("partial");
        stray.close();
        auto keep = repo.referencedBlobs();
        QVERIFY(keep.ok());
        QCOMPARE(*keep, QSet<QString>{kept->sha256});
        auto removed = store.collectOrphans(*keep);
        QVERIFY(removed.ok());
        QCOMPARE(*removed, 2);
        QVERIFY(store.contains(kept->sha256));
        QVERIFY(!store.contains(lost->sha256));
        QVERIFY(!QFile::exists(stray.fileName()));
        QCOMPARE(*store.collectOrphans(*keep), 0);
    }

    void cacheEvictsLeastRecentlyUsedFirst_data()
    {
        QTest::addColumn<QList<int>>("pinned");    // indexes of blobs pinned
        QTest::addColumn<int>("touched");          // index touched (used now), -1 none
        QTest::addColumn<QList<int>>("survivors"); // indexes left after eviction
        QTest::newRow("oldestGoesFirst") << QList<int>{} << -1 << QList<int>{2, 3};
        QTest::newRow("pinnedOldestStays") << QList<int>{0} << -1 << QList<int>{0, 3};
        QTest::newRow("touchedOldestStays") << QList<int>{} << 0 << QList<int>{0, 3};
        QTest::newRow("everythingPinned") << QList<int>{0, 1, 2, 3} << -1 << QList<int>{0, 1, 2, 3};
    }

    void cacheEvictsLeastRecentlyUsedFirst()
    {
        QFETCH(QList<int>, pinned);
        QFETCH(int, touched);
        QFETCH(QList<int>, survivors);
        QTemporaryDir dir;
        BlobStore cache(dir.filePath(u"cache"_s), 250);
        QCOMPARE(cache.capBytes(), 250);
        QStringList shas;
        for (int i = 0; i < 4; ++i) {
            auto stored = cache.put(bytesOf(100, 10 + i));
            QVERIFY(stored.ok());
            shas.append(stored->sha256);
            setUsed(cache, stored->sha256, utc(u"2026-01-01T00:00:00.000Z"_s).addSecs(60 * i));
        }
        QCOMPARE(cache.totalBytes(), 400);
        if (touched >= 0)
            cache.touch(shas[touched]);
        QSet<QString> pin;
        for (int i : pinned)
            pin.insert(shas[i]);
        auto freed = cache.evict(pin);
        QVERIFY(freed.ok());
        QCOMPARE(*freed, 400 - 100 * survivors.size());
        for (int i = 0; i < 4; ++i)
            QCOMPARE(cache.contains(shas[i]), survivors.contains(i));
    }

    void storeWithoutCapNeverEvicts()
    {
        QTemporaryDir dir;
        BlobStore store(dir.filePath(u"blobs"_s));
        QVERIFY(store.put(bytesOf(1000, 20)).ok());
        QCOMPARE(*store.evict(), 0);
        QCOMPARE(store.totalBytes(), 1000);
    }
};

QTEST_GUILESS_MAIN(TestStorageBlobs)
#include "tst_storage_blobs.moc"
