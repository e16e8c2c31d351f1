// Attachment rows in the replica: migration from v3, add (alone and inside a caller's
// transaction), validation codes, every upload state transition, the queue, remote rows, counts.
#include "fixtures.h"

#include "domain/content_hash.h"
#include "storage/attachment_repository.h"

#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace outpost;
using namespace outpost::storage;
using namespace outpost::storage::testing;

namespace {

const QString kOrder = u"7f0c2f7e-0000-4000-8000-000000000001"_s;
const QDateTime kNow = QDateTime(QDate(2026, 11, 23), QTime(10, 0), Qt::UTC);

QString uuid(int n)
{
    return u"00000000-0000-4000-8000-%1"_s.arg(n, 12, 10, QLatin1Char('0'));
}

AttachmentRow photo(int n, const QDateTime &created = kNow)
{
    AttachmentRow r;
    r.id = uuid(n);
    r.kind = u"photo"_s;
    r.ownerType = u"account"_s;
    r.ownerId = u"10"_s;
    r.accountId = 10;
    r.sha256 = domain::sha256Hex(QByteArray::number(n));
    r.size = 1000 + n;
    r.mime = u"image/jpeg"_s;
    r.fileName = u"IMG_%1.jpg"_s.arg(n);
    r.caption = u"Shelf after restock"_s;
    r.width = 2048;
    r.height = 1536;
    r.thumbSha256 = domain::sha256Hex("thumb" + QByteArray::number(n));
    r.latE6 = 51507351;
    r.lonE6 = -127758;
    r.accuracyM = 12;
    r.deviceCreatedAt = created;
    return r;
}

AttachmentRow signature(int n)
{
    AttachmentRow r = photo(n);
    r.kind = u"signature"_s;
    r.mime = u"image/png"_s;
    r.fileName = u"signature.png"_s;
    r.ownerType = u"order"_s;
    r.ownerId = kOrder;
    r.caption.clear();
    r.latE6.reset();
    r.lonE6.reset();
    r.accuracyM.reset();
    r.signerName = u"Aisha Evans"_s;
    r.signerRole = u"Buyer"_s;
    r.strokes = {{{10, 20, 0, 500}, {12, 22, 16, 650}}, {{30, 40, 400, 1000}}};
    r.orderContentHash = domain::sha256Hex("order");
    return r;
}

using Mutate = std::function<void(AttachmentRow &)>;
using Step = std::function<Status(AttachmentRepository &, const QString &)>;

QString stateOf(AttachmentRepository &repo, const QString &id)
{
    auto row = repo.get(id);
    return row ? row->state : QString();
}

} // namespace

Q_DECLARE_METATYPE(Mutate)
Q_DECLARE_METATYPE(Step)

class TestStorageAttachments : public QObject
{
    Q_OBJECT

private slots:
    void migratesFromVersion3()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"replica.sqlite"_s);
        {
            auto db = Database::open(path);
            QVERIFY(db.ok());
            QVERIFY(migrate(**db, 3).ok());
            QCOMPARE(*(*db)->userVersion(), 3);
            // The v1 table that no release wrote to (its old shape).
            QVERIFY((*db)->exec("INSERT INTO attachments (sha256, entity, entity_id, path, size, mime, created_at) "
                                "VALUES ('x', 'order', 'o', 'p', 1, 'image/jpeg', '2026-01-01T00:00:00.000Z');")
                        .ok());
            QVERIFY((*db)->exec("INSERT INTO sync_state (partition, cursor_seq) VALUES ('catalog', 7);").ok());
        }
        auto db = Database::open(path);
        QVERIFY(db.ok());
        QVERIFY(migrate(**db).ok());
        QCOMPARE(*(*db)->userVersion(), 4);
        QCOMPARE(scalar(**db, "SELECT count(*) FROM attachments"), 0);
        QCOMPARE(scalar(**db, "SELECT count(*) FROM blobs"), 0);
        QCOMPARE(scalar(**db, "SELECT cursor_seq FROM sync_state WHERE partition = 'catalog'"), 7);
        QCOMPARE(scalar(**db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN "
                              "('attachments_owner', 'attachments_queue', 'attachments_sha')"),
                 3);
        AttachmentRepository repo(**db);
        QVERIFY(repo.add(signature(1), 200, kNow).ok());
        auto back = repo.get(uuid(1));
        QVERIFY(back.ok());
        QCOMPARE(back->strokes, signature(1).strokes);
    }

    void addAndGetRoundTrip()
    {
        auto db = openMigrated();
        AttachmentRepository repo(*db);
        const AttachmentRow in = photo(1);
        QVERIFY(repo.add(in, 4321, kNow).ok());
        auto out = repo.get(in.id);
        QVERIFY(out.ok());
        QCOMPARE(out->kind, in.kind);
        QCOMPARE(out->ownerId, in.ownerId);
        QCOMPARE(out->sha256, in.sha256);
        QCOMPARE(out->size, in.size);
        QCOMPARE(out->fileName, in.fileName);
        QCOMPARE(out->caption, in.caption);
        QCOMPARE(out->width, 2048);
        QCOMPARE(out->latE6, in.latE6);
        QCOMPARE(out->lonE6, in.lonE6);
        QCOMPARE(out->accuracyM, in.accuracyM);
        QCOMPARE(out->thumbSha256, in.thumbSha256);
        QCOMPARE(out->deviceCreatedAt, in.deviceCreatedAt);
        QVERIFY(!out->serverReceivedAt.isValid());
        QCOMPARE(out->origin, u"local"_s);
        QCOMPARE(out->state, u"waiting"_s);
        QCOMPARE(out->nextAttemptAt, kNow);
        QCOMPARE(scalar(*db, "SELECT size FROM blobs WHERE mime = 'image/jpeg' AND size = 4321"), 4321);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM blobs"), 2);
        QCOMPARE(repo.get(uuid(99)).error().code, u"storage.attachment_not_found"_s);
    }

    void sameBytesTwiceAreOneBlobRow()
    {
        auto db = openMigrated();
        AttachmentRepository repo(*db);
        AttachmentRow a = photo(1);
        AttachmentRow b = photo(2);
        b.sha256 = a.sha256;
        b.size = a.size;
        b.thumbSha256 = a.thumbSha256;
        QVERIFY(repo.add(a, 10, kNow).ok());
        QVERIFY(repo.add(b, 10, kNow).ok());
        QCOMPARE(scalar(*db, "SELECT count(*) FROM blobs"), 2);
        QCOMPARE(repo.referencedBlobs()->size(), 2);
    }

    void addInsideCallersTransactionRollsBackWithIt()
    {
        auto db = openMigrated();
        AttachmentRepository repo(*db);
        {
            auto tx = Transaction::begin(*db);
            QVERIFY(tx.ok());
            QVERIFY(repo.add(signature(1), 10, kNow).ok());
            QCOMPARE(scalar(*db, "SELECT count(*) FROM attachments"), 1);
            tx->rollback();
        }
        QCOMPARE(scalar(*db, "SELECT count(*) FROM attachments"), 0);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM blobs"), 0);
        {
            auto tx = Transaction::begin(*db);
            QVERIFY(repo.add(signature(1), 10, kNow).ok());
            QVERIFY(tx->commit().ok());
        }
        QCOMPARE(scalar(*db, "SELECT count(*) FROM attachments"), 1);
    }

    void badInputIsRejectedAndChangesNothing_data()
    {
        QTest::addColumn<Mutate>("mutate");
        QTest::addColumn<QString>("code");
        const auto row = [](const char *name, Mutate m, const char *code) {
            QTest::newRow(name) << m << QString::fromLatin1(code);
        };
        row("idNotUuid", [](AttachmentRow &r) { r.id = u"IMG-1"_s; }, "attachment.bad_id");
        row("idUpperCase", [](AttachmentRow &r) { r.id = r.id.toUpper().replace(u"-4000-"_s, u"-4ABC-"_s); },
            "attachment.bad_id");
        row("kindVideo", [](AttachmentRow &r) { r.kind = u"video"_s; }, "attachment.bad_kind");
        row("ownerTypeUnknown", [](AttachmentRow &r) { r.ownerType = u"invoice"_s; }, "attachment.bad_owner");
        row("ownerAccountMismatch", [](AttachmentRow &r) { r.ownerId = u"11"_s; }, "attachment.bad_owner");
        row("orderOwnerNotUuid", [](AttachmentRow &r) { r.ownerType = u"order"_s; r.ownerId = u"42"_s; },
            "attachment.bad_owner");
        row("accountZero", [](AttachmentRow &r) { r.accountId = 0; r.ownerId = u"0"_s; }, "attachment.bad_owner");
        row("hashShort", [](AttachmentRow &r) { r.sha256 = u"abc"_s; }, "attachment.bad_hash");
        row("hashUpper", [](AttachmentRow &r) { r.sha256 = r.sha256.toUpper(); }, "attachment.bad_hash");
        row("thumbHashBad", [](AttachmentRow &r) { r.thumbSha256 = u"zz"_s; }, "attachment.bad_hash");
        row("sizeZero", [](AttachmentRow &r) { r.size = 0; }, "attachment.bad_size");
        row("mimeGif", [](AttachmentRow &r) { r.mime = u"image/gif"_s; }, "attachment.bad_mime");
        row("fileNameSlash", [](AttachmentRow &r) { r.fileName = u"dcim/IMG.jpg"_s; }, "attachment.bad_file_name");
        row("fileNameBackslash", [](AttachmentRow &r) { r.fileName = u"dcim\\IMG.jpg"_s; },
            "attachment.bad_file_name");
        row("fileNameDotDot", [](AttachmentRow &r) { r.fileName = u"..IMG.jpg"_s; }, "attachment.bad_file_name");
        row("fileNameDrive", [](AttachmentRow &r) { r.fileName = u"C:IMG.jpg"_s; }, "attachment.bad_file_name");
        row("fileNameControl", [](AttachmentRow &r) { r.fileName = u"IMG\n.jpg"_s; }, "attachment.bad_file_name");
        row("fileNameEmpty", [](AttachmentRow &r) { r.fileName.clear(); }, "attachment.bad_file_name");
        row("fileNameTooLong", [](AttachmentRow &r) { r.fileName = QString(252, u'a') + u".jpg"_s; },
            "attachment.bad_file_name");
        row("captionTooLong", [](AttachmentRow &r) { r.caption = QString(501, u'c'); }, "attachment.bad_caption");
        row("latitudeOutOfRange", [](AttachmentRow &r) { r.latE6 = 90000001; }, "attachment.bad_location");
        row("longitudeWithoutLatitude", [](AttachmentRow &r) { r.latE6.reset(); }, "attachment.bad_location");
        row("noDeviceTime", [](AttachmentRow &r) { r.deviceCreatedAt = {}; }, "attachment.bad_time");
        row("photoWithSignature", [](AttachmentRow &r) { r.signerName = u"X"_s; },
            "attachment.signature_not_allowed");
        row("signatureWithoutSigner", [](AttachmentRow &r) { r = signature(1); r.signerName.clear(); },
            "attachment.signature_required");
        row("signatureWithoutStrokes", [](AttachmentRow &r) { r = signature(1); r.strokes.clear(); },
            "attachment.signature_required");
        row("signatureOnOrderWithoutHash", [](AttachmentRow &r) { r = signature(1); r.orderContentHash.clear(); },
            "attachment.signature_required");
        row("signatureBadOrderHash", [](AttachmentRow &r) { r = signature(1); r.orderContentHash = u"x"_s; },
            "attachment.bad_hash");
        row("strokeEmpty", [](AttachmentRow &r) { r = signature(1); r.strokes.append(SignatureStroke{}); }, "attachment.bad_strokes");
        row("pressureAbove1000", [](AttachmentRow &r) { r = signature(1); r.strokes[0][0].pressure = 1001; },
            "attachment.bad_strokes");
        row("tooManyStrokes", [](AttachmentRow &r) {
            r = signature(1);
            r.strokes = QList<SignatureStroke>(5001, SignatureStroke{{1, 1, 0, 1000}});
        }, "attachment.bad_strokes");
        row("tooManyPoints", [](AttachmentRow &r) {
            r = signature(1);
            r.strokes = QList<SignatureStroke>(2, SignatureStroke(100001, SignaturePoint{1, 1, 0, 1000}));
        }, "attachment.bad_strokes");
    }

    void badInputIsRejectedAndChangesNothing()
    {
        QFETCH(Mutate, mutate);
        QFETCH(QString, code);
        auto db = openMigrated();
        AttachmentRepository repo(*db);
        AttachmentRow r = photo(1);
        mutate(r);
        Status s = repo.add(r, 10, kNow);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, code);
        QCOMPARE(s.error().kind, ErrorKind::Invalid);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM attachments"), 0);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM blobs"), 0);
    }

    void knownIdIsAConflict()
    {
        auto db = openMigrated();
        AttachmentRepository repo(*db);
        QVERIFY(repo.add(photo(1), 10, kNow).ok());
        AttachmentRow again = photo(1);
        again.caption = u"other"_s;
        Status s = repo.add(again, 10, kNow);
        QCOMPARE(s.error().code, u"attachment.exists"_s);
        QCOMPARE(s.error().kind, ErrorKind::Conflict);
        QCOMPARE(repo.get(uuid(1))->caption, photo(1).caption);
    }

    void strokesJson()
    {
        const QList<SignatureStroke> strokes = signature(1).strokes;
        const QByteArray json = strokesToJson(strokes);
        QCOMPARE(json, QByteArray("[[[10,20,0,500],[12,22,16,650]],[[30,40,400,1000]]]"));
        QCOMPARE(*strokesFromJson(json), strokes);
        for (const QByteArray &bad : {QByteArray("{}"), QByteArray("[[1,2]]"), QByteArray("[[[1,2,3]]]"),
                                     QByteArray("[[[1,2,3,4.5]]]"), QByteArray("[[[1,\"2\",3,4]]]"),
                                     QByteArray("[[[1,2,3,4]]"), QByteArray("[[[1,2,3,99999999999]]]")})
            QCOMPARE(strokesFromJson(bad).error().code, u"attachment.bad_strokes"_s);
    }

    void stateTransitions_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<Step>("step");
        QTest::addColumn<QString>("to");   // expected state afterwards
        QTest::addColumn<QString>("code"); // empty = allowed
        const Step uploading = [](AttachmentRepository &r, const QString &id) { return r.markUploading(id); };
        const Step progress = [](AttachmentRepository &r, const QString &id) { return r.markProgress(id, 512); };
        const Step delivered = [](AttachmentRepository &r, const QString &id) {
            return r.markDelivered(id, kNow.addSecs(5));
        };
        const Step transient = [](AttachmentRepository &r, const QString &id) {
            return r.markFailed(id, Error::make(ErrorKind::Transient, u"net.offline"_s, u"Offline."_s),
                                kNow.addSecs(30));
        };
        const Step permanent = [](AttachmentRepository &r, const QString &id) {
            return r.markFailed(id, Error::invalid(u"attachment.bad_file_name"_s, u"Bad name."_s), std::nullopt);
        };
        const Step retry = [](AttachmentRepository &r, const QString &id) { return r.retry(id, kNow); };
        const Step received = [](AttachmentRepository &r, const QString &id) {
            return r.markReceivedAt(id, kNow.addSecs(1));
        };
        const QString bad = u"storage.attachment_bad_state"_s;
        QTest::newRow("waitingToUploading") << u"waiting"_s << uploading << u"uploading"_s << QString();
        QTest::newRow("uploadingProgress") << u"uploading"_s << progress << u"uploading"_s << QString();
        QTest::newRow("uploadingDelivered") << u"uploading"_s << delivered << u"delivered"_s << QString();
        QTest::newRow("uploadingTransient") << u"uploading"_s << transient << u"waiting"_s << QString();
        QTest::newRow("uploadingPermanent") << u"uploading"_s << permanent << u"failed"_s << QString();
        QTest::newRow("failedRetry") << u"failed"_s << retry << u"waiting"_s << QString();
        QTest::newRow("waitingReceivedAt") << u"waiting"_s << received << u"waiting"_s << QString();
        QTest::newRow("uploadingAgain") << u"uploading"_s << uploading << u"uploading"_s << bad;
        QTest::newRow("waitingProgress") << u"waiting"_s << progress << u"waiting"_s << bad;
        QTest::newRow("waitingSent") << u"waiting"_s
                                     << Step([](AttachmentRepository &r, const QString &id) { return r.markSent(id, 1); })
                                     << u"waiting"_s << bad;
        QTest::newRow("waitingDelivered") << u"waiting"_s << delivered << u"waiting"_s << bad;
        QTest::newRow("waitingFailed") << u"waiting"_s << permanent << u"waiting"_s << bad;
        QTest::newRow("waitingRetry") << u"waiting"_s << retry << u"waiting"_s << bad;
        QTest::newRow("deliveredUploading") << u"delivered"_s << uploading << u"delivered"_s << bad;
        QTest::newRow("deliveredFailed") << u"delivered"_s << transient << u"delivered"_s << bad;
        QTest::newRow("deliveredRetry") << u"delivered"_s << retry << u"delivered"_s << bad;
        QTest::newRow("failedUploading") << u"failed"_s << uploading << u"failed"_s << bad;
        QTest::newRow("failedDelivered") << u"failed"_s << delivered << u"failed"_s << bad;
        QTest::newRow("remoteUploading") << u"remote"_s << uploading << u"remote"_s << bad;
        QTest::newRow("remoteReceivedAt") << u"remote"_s << received << u"remote"_s << bad;
        QTest::newRow("unknownId") << QString() << uploading << QString() << u"storage.attachment_not_found"_s;
    }

    void stateTransitions()
    {
        QFETCH(QString, from);
        QFETCH(Step, step);
        QFETCH(QString, to);
        QFETCH(QString, code);
        auto db = openMigrated();
        AttachmentRepository repo(*db);
        const QString id = uuid(1);
        if (from == u"remote"_s) {
            QVERIFY(repo.upsertRemote(photo(1)).ok());
        } else if (!from.isEmpty()) {
            QVERIFY(repo.add(photo(1), 10, kNow).ok());
            if (from != u"waiting"_s)
                QVERIFY(repo.markUploading(id).ok());
            if (from == u"delivered"_s)
                QVERIFY(repo.markDelivered(id, kNow).ok());
            if (from == u"failed"_s)
                QVERIFY(repo.markFailed(id, Error::invalid(u"x.y"_s, u"X."_s), std::nullopt).ok());
        }
        QCOMPARE(stateOf(repo, id), from);
        Status s = step(repo, id);
        QCOMPARE(s.ok() ? QString() : s.error().code, code);
        if (!code.isEmpty() && code == u"storage.attachment_bad_state"_s)
            QCOMPARE(s.error().kind, ErrorKind::Conflict);
        QCOMPARE(stateOf(repo, id), to);
    }

    void failuresKeepCodeAndRetryTime()
    {
        auto db = openMigrated();
        AttachmentRepository repo(*db);
        const QString id = uuid(1);
        QVERIFY(repo.add(photo(1), 10, kNow).ok());
        QVERIFY(repo.markUploading(id).ok());
        QVERIFY(repo.markSent(id, 700).ok());
        QVERIFY(repo.markSent(id, 300).ok()); // the highest offset stays
        QCOMPARE(repo.get(id)->sentBytes, 700);
        QVERIFY(repo.markProgress(id, 524288 * 10).ok()); // clamped to the size
        QCOMPARE(repo.get(id)->uploadedBytes, photo(1).size);
        QVERIFY(repo.markFailed(id, Error::make(ErrorKind::Transient, u"http.503"_s, u"Busy."_s), kNow.addSecs(60)).ok());
        auto row = repo.get(id);
        QCOMPARE(row->state, u"waiting"_s);
        QCOMPARE(row->attempts, 1);
        QCOMPARE(row->errorCode, u"http.503"_s);
        QCOMPARE(row->nextAttemptAt, kNow.addSecs(60));
        QVERIFY(repo.due(kNow, 10)->isEmpty());
        QCOMPARE(repo.due(kNow.addSecs(60), 10)->size(), 1);
        QCOMPARE(*repo.makeAllDue(kNow), 1);
        QCOMPARE(repo.due(kNow, 10)->size(), 1);
        QVERIFY(repo.markUploading(id).ok());
        QVERIFY(repo.markFailed(id, Error::invalid(u"upload.hash_mismatch"_s, u"Bad."_s), std::nullopt).ok());
        QCOMPARE(repo.get(id)->errorCode, u"upload.hash_mismatch"_s);
        QCOMPARE(repo.get(id)->attempts, 2);
        QVERIFY(repo.due(kNow.addDays(1), 10)->isEmpty());
        QCOMPARE(*repo.makeAllDue(kNow), 0); // "send now" leaves a refused item to retry()
        QCOMPARE(repo.get(id)->state, u"failed"_s);
        QVERIFY(repo.retry(id, kNow).ok());
        QCOMPARE(repo.get(id)->errorCode, QString());
        QVERIFY(repo.markUploading(id).ok());
        QVERIFY(repo.markDelivered(id, kNow.addSecs(3)).ok());
        QCOMPARE(repo.get(id)->serverReceivedAt, kNow.addSecs(3));
        QCOMPARE(repo.get(id)->uploadedBytes, photo(1).size);
    }

    void dueIsOldestFirstAndRecoversUploading()
    {
        auto db = openMigrated();
        AttachmentRepository repo(*db);
        QVERIFY(repo.add(photo(3, kNow.addSecs(-10)), 10, kNow).ok());
        QVERIFY(repo.add(photo(1, kNow.addSecs(-5)), 10, kNow).ok());
        QVERIFY(repo.add(photo(2, kNow.addSecs(-30)), 10, kNow).ok());
        QVERIFY(repo.upsertRemote(photo(4, kNow.addSecs(-60))).ok());
        auto due = repo.due(kNow, 10);
        QVERIFY(due.ok());
        QStringList ids;
        for (const auto &r : *due)
            ids.append(r.id);
        QCOMPARE(ids, (QStringList{uuid(2), uuid(3), uuid(1)}));
        QCOMPARE(repo.due(kNow, 2)->size(), 2);
        QCOMPARE(repo.due(kNow, 0).error().code, u"storage.invalid_limit"_s);
        QVERIFY(repo.markUploading(uuid(2)).ok());
        QCOMPARE(repo.due(kNow, 10)->size(), 2);
        QCOMPARE(*repo.recoverUploading(), 1);
        QCOMPARE(stateOf(repo, uuid(2)), u"waiting"_s);
        QCOMPARE(repo.due(kNow, 10)->size(), 3);
    }

    // A draft's signature and photos wait for its submit; discarding the draft removes the unsent
    // ones (and their blob rows unless other attachments share the bytes).
    void draftAttachmentsWaitForSubmitAndGoWithADiscard()
    {
        auto db = openMigrated();
        AttachmentRepository repo(*db);
        QVERIFY(db->exec("INSERT INTO orders (id, account_id, status, currency, created_at, updated_at) VALUES "
                         "('00000000-0000-4000-8000-0000000000aa', 10, 'draft', 'GBP', '2026-11-23T10:00:00.000Z', "
                         "'2026-11-23T10:00:00.000Z')").ok());
        AttachmentRow sig = signature(1);
        sig.ownerId = u"00000000-0000-4000-8000-0000000000aa"_s;
        AttachmentRow shelf = photo(2);
        shelf.ownerType = u"order"_s;
        shelf.ownerId = sig.ownerId;
        AttachmentRow shared = photo(3);
        shared.sha256 = shelf.sha256; // the same bytes, on the account
        QVERIFY(repo.add(sig, 10, kNow).ok());
        QVERIFY(repo.add(shelf, 10, kNow).ok());
        QVERIFY(repo.add(shared, 10, kNow).ok());
        auto due = repo.due(kNow, 10);
        QVERIFY(due.ok());
        QCOMPARE(due->size(), 1); // only the account's photo: the draft's wait
        QCOMPARE(due->first().id, uuid(3));

        QVERIFY(db->exec("UPDATE orders SET status = 'queued' WHERE id = '00000000-0000-4000-8000-0000000000aa'").ok());
        QCOMPARE(repo.due(kNow, 10)->size(), 3); // submitted: they go

        QVERIFY(db->exec("UPDATE orders SET status = 'draft' WHERE id = '00000000-0000-4000-8000-0000000000aa'").ok());
        auto removed = repo.removeUnsentForOwner(u"order"_s, sig.ownerId);
        QVERIFY(removed.ok());
        QCOMPARE(*removed, 2);
        QVERIFY(!repo.get(sig.id).ok());
        QVERIFY(repo.get(shared.id).ok());
        auto keep = repo.referencedBlobs();
        QVERIFY(keep.ok());
        QVERIFY(keep->contains(shelf.sha256)); // still used by the account's photo
        QVERIFY(!keep->contains(sig.sha256));
        QVERIFY(!keep->contains(sig.thumbSha256));
    }

    void remoteRowsNeverTouchLocalOnes()
    {
        auto db = openMigrated();
        AttachmentRepository repo(*db);
        QVERIFY(repo.add(photo(1), 10, kNow).ok());
        AttachmentRow remote = photo(1);
        remote.caption = u"from elsewhere"_s;
        QVERIFY(repo.upsertRemote(remote).ok());
        QCOMPARE(repo.get(uuid(1))->caption, photo(1).caption);
        QCOMPARE(repo.get(uuid(1))->origin, u"local"_s);
        AttachmentRow other = signature(2);
        other.thumbSha256.clear();
        other.serverReceivedAt = kNow.addSecs(9);
        QVERIFY(repo.upsertRemote(other).ok());
        other.caption = u"updated"_s;
        QVERIFY(repo.upsertRemote(other).ok());
        auto back = repo.get(uuid(2));
        QCOMPARE(back->origin, u"remote"_s);
        QCOMPARE(back->state, u"remote"_s);
        QCOMPARE(back->caption, u"updated"_s);
        QCOMPARE(back->strokes, other.strokes);
        QCOMPARE(back->serverReceivedAt, kNow.addSecs(9));
        QVERIFY(repo.setThumbnail(uuid(2), domain::sha256Hex("t"), 99).ok());
        QCOMPARE(repo.get(uuid(2))->thumbSha256, domain::sha256Hex("t"));
        QCOMPARE(repo.setThumbnail(uuid(9), domain::sha256Hex("t"), 99).error().code,
                 u"storage.attachment_not_found"_s);
        QCOMPARE(repo.setThumbnail(uuid(2), u"nope"_s, 99).error().code, u"attachment.bad_hash"_s);
        QCOMPARE(repo.forOwner(u"order"_s, kOrder)->size(), 1);
        QCOMPARE(repo.forOwner(u"account"_s, u"10"_s)->size(), 1);
        // Remote rows are not the device's queue.
        QCOMPARE(repo.counts()->waiting, 1);
    }

    void countsAndReferencedBlobs()
    {
        auto db = openMigrated();
        AttachmentRepository repo(*db);
        for (int n = 1; n <= 4; ++n)
            QVERIFY(repo.add(photo(n), 10, kNow).ok());
        QVERIFY(repo.markUploading(uuid(1)).ok());
        QVERIFY(repo.markProgress(uuid(1), 600).ok());
        QVERIFY(repo.markUploading(uuid(2)).ok());
        QVERIFY(repo.markDelivered(uuid(2), kNow).ok());
        QVERIFY(repo.markUploading(uuid(3)).ok());
        QVERIFY(repo.markFailed(uuid(3), Error::invalid(u"x.y"_s, u"X."_s), std::nullopt).ok());
        AttachmentRow remote = photo(5);
        remote.thumbSha256.clear();
        QVERIFY(repo.upsertRemote(remote).ok());
        auto c = repo.counts();
        QVERIFY(c.ok());
        QCOMPARE(c->waiting, 2);
        QCOMPARE(c->failed, 1);
        QCOMPARE(c->delivered, 1);
        QCOMPARE(c->bytesWaiting, (photo(1).size - 600) + photo(3).size + photo(4).size);
        auto refs = repo.referencedBlobs();
        QVERIFY(refs.ok());
        QSet<QString> expected;
        for (int n = 1; n <= 4; ++n)
            expected << photo(n).sha256 << photo(n).thumbSha256;
        QCOMPARE(*refs, expected); // the remote image lives in the cache, not the blob store
    }
};

QTEST_GUILESS_MAIN(TestStorageAttachments)
#include "tst_storage_attachments.moc"
