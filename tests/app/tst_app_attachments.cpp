// Signatures and photos in the app (AttachmentsController, AttachmentListModel) against the real
// server: a photo from a file is stored upright and scaled with a thumbnail and waits; an order is
// submitted and answered while its photo still waits, then the uploader delivers the photo; a
// signature keeps its strokes, PNG, signer and the order's content hash, and a later change to
// the draft shows; bad input is refused with its code and stores nothing; an attachment another
// device made is listed from the server and its image downloaded into the cache.
#include "app/accounts_controller.h"
#include "app/attachment_models.h"
#include "app/attachments_controller.h"
#include "app/catalog_controller.h"
#include "app/media/photo_import.h"
#include "app/order_controller.h"
#include "app/session_controller.h"
#include "domain/content_hash.h"
#include "storage/attachment_repository.h"
#include "storage/blob_store.h"
#include "storage/database.h"
#include "storage/order_repository.h"
#include "sync/session.h"
#include "sync/sync_engine.h"
#include "sync/uploads.h"
#include "tests/app/app_fixture.h"

#include <QAbstractItemModelTester>
#include <QBuffer>
#include <QDirIterator>
#include <QImage>
#include <QPainter>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Qt::Literals::StringLiterals;
using namespace outpost;

namespace {

QVariant modelValue(QAbstractItemModel *model, int row, const QByteArray &roleName)
{
    const int role = model->roleNames().key(roleName, -1);
    if (role < 0 || row >= model->rowCount())
        return {};
    return model->data(model->index(row, 0), role);
}

// A landscape JPEG whose top half is red and bottom half blue, so orientation is checkable.
QByteArray twoToneJpeg(int width, int height)
{
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(Qt::blue);
    QPainter(&image).fillRect(0, 0, width, height / 2, Qt::red);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "JPEG", 90);
    return bytes;
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

int fileCount(const QString &root)
{
    int n = 0;
    QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        ++n;
    }
    return n;
}

// Strokes as the SignaturePad records them: [[[x,y,tMs,pressure],...],...].
QVariantList zigzag(int strokes, int points)
{
    QVariantList out;
    int t = 0;
    for (int s = 0; s < strokes; ++s) {
        QVariantList stroke;
        for (int p = 0; p < points; ++p) {
            stroke.append(
                QVariant(QVariantList{40 + p * 20 + s * 10, p % 2 == 0 ? 60 : 140, t, 700 + 30 * p}));
            t += 16;
        }
        out.append(QVariant(stroke));
    }
    return out;
}

} // namespace

class TstAppAttachments : public QObject
{
    Q_OBJECT

private:
    test::AppFixture m_fx;
    QTemporaryDir m_files;
    qint64 m_accountId = 0;
    qint64 m_productId = 0;
    qint64 m_otherProductId = 0;

    app::AttachmentsController *attachments() { return m_fx.app().attachments(); }
    app::OrderController *order() { return m_fx.app().order(); }
    storage::Database &db() { return m_fx.app().db(); }
    QString openDraft()
    {
        if (!order()->hasDraft() || order()->accountId() != m_accountId)
            order()->openFor(m_accountId);
        if (order()->lineCount() == 0)
            order()->addProduct(m_productId);
        return order()->orderId();
    }
    // Runs one upload pass of the app's uploader and waits for it.
    bool uploadNow()
    {
        QSignalSpy done(&attachments()->uploader(), &sync::AttachmentUploader::passFinished);
        attachments()->sendNow();
        return done.wait(60000) && done.constFirst().at(0).toBool();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_fx.setUp());
        QVERIFY(m_files.isValid());
        QAbstractItemModel *accounts = m_fx.app().accounts()->results();
        m_accountId = modelValue(accounts, 0, "accountId").toLongLong();
        QAbstractItemModel *products = m_fx.app().catalog()->products();
        m_productId = modelValue(products, 0, "productId").toLongLong();
        m_otherProductId = modelValue(products, 1, "productId").toLongLong();
        QVERIFY(m_accountId > 0 && m_productId > 0 && m_otherProductId > 0);
    }

    void photoFromFileStoredUprightScaledAndWaiting()
    {
        attachments()->setPhotoMaxEdge(640);
        QCOMPARE(attachments()->photoMaxEdge(), 640);
        // Pixels stored landscape, EXIF orientation 6: shown rotated 90 degrees clockwise.
        const QString path = writeFile(m_files, u"shelf.jpg"_s, media::withExif(twoToneJpeg(1600, 1200), 6, media::GeoPosition{51507351, -127758, {}}));
        const QString account = QString::number(m_accountId);
        app::AttachmentListModel model(attachments(), nullptr);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.setOwnerType(u"account"_s);
        model.setOwnerId(account);
        const int before = model.rowCount();

        const QString id = attachments()->addPhotoFromFile(QUrl::fromLocalFile(path), u"account"_s, account,
                                                           m_accountId, u"Shelf after restock"_s);
        QVERIFY2(!id.isEmpty(), qPrintable(attachments()->errorCode()));
        auto row = storage::AttachmentRepository(db()).get(id);
        QVERIFY(row);
        QCOMPARE(row->state, u"waiting"_s);
        QCOMPARE(row->mime, u"image/jpeg"_s);
        QCOMPARE(row->width, 480);
        QCOMPARE(row->height, 640);
        QVERIFY(!row->thumbSha256.isEmpty());
        QVERIFY(attachments()->blobs().contains(row->thumbSha256));
        auto bytes = attachments()->blobs().read(row->sha256, true);
        QVERIFY(bytes);
        const QImage stored = QImage::fromData(*bytes);
        QCOMPARE(stored.size(), QSize(480, 640));
        // Upright: the red (top) half of the landscape source is now on the right.
        const QColor left = stored.pixelColor(60, 320), right = stored.pixelColor(420, 320);
        QVERIFY2(right.red() > 200 && right.blue() < 80, qPrintable(right.name()));
        QVERIFY2(left.blue() > 200 && left.red() < 80, qPrintable(left.name()));
        // The model shows it waiting, with its thumbnail.
        QCOMPARE(model.rowCount(), before + 1);
        const int i = model.indexOf(id);
        QVERIFY(i >= 0);
        QCOMPARE(modelValue(&model, i, "stateText").toString(), u"Waiting to send"_s);
        QCOMPARE(modelValue(&model, i, "caption").toString(), u"Shelf after restock"_s);
        QVERIFY(modelValue(&model, i, "thumbnailUrl").toUrl().isLocalFile());
        QVERIFY(attachments()->waitingCount() >= 1);
        // No position source on this machine: the photo's own EXIF GPS position is kept.
        QCOMPARE(row->latE6, std::optional<qint64>(51507351));
        QCOMPARE(row->lonE6, std::optional<qint64>(-127758));
        QVERIFY2(modelValue(&model, i, "locationText").toString().startsWith(u"51.507351, -0.127758"_s),
                 qPrintable(modelValue(&model, i, "locationText").toString()));
    }

    void orderAnsweredWhilePhotoWaitsThenPhotoDelivered()
    {
        const QString orderId = openDraft();
        QVERIFY(!orderId.isEmpty());
        const QString path = writeFile(m_files, u"display.jpg"_s, twoToneJpeg(800, 600));
        const QString id = attachments()->addPhotoFromFile(QUrl::fromLocalFile(path), u"order"_s, orderId,
                                                           m_accountId, u"Display"_s);
        QVERIFY2(!id.isEmpty(), qPrintable(attachments()->errorCode()));
        QVERIFY(order()->submit());
        // The sync pass sends the order; the uploader has not run (autoSync is off in tests).
        QVERIFY(m_fx.syncNow());
        auto answered = storage::OrderRepository(db()).order(orderId);
        QVERIFY(answered);
        QVERIFY2(answered->decidedAt.isValid(), qPrintable(answered->status));
        QCOMPARE(storage::AttachmentRepository(db()).get(id)->state, u"waiting"_s);

        app::AttachmentListModel model(attachments(), nullptr);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.setOwnerType(u"order"_s);
        model.setOwnerId(orderId);
        QVERIFY(uploadNow());
        auto row = storage::AttachmentRepository(db()).get(id);
        QVERIFY(row);
        QCOMPARE(row->state, u"delivered"_s);
        QVERIFY(row->serverReceivedAt.isValid());
        QTRY_COMPARE(modelValue(&model, model.indexOf(id), "stateText").toString(), u"Delivered"_s);
        QVERIFY(!modelValue(&model, model.indexOf(id), "receivedAtText").toString().isEmpty());
        // The server holds exactly the stored bytes.
        const test::HttpReply content =
            m_fx.server().get(u"/v1/attachments/%1/content"_s.arg(id), m_fx.serverToken(u"rep1"_s));
        QCOMPARE(content.status, 200);
        QCOMPARE(content.body, *attachments()->blobs().read(row->sha256));
    }

    // Each chunk that lands changes that one row (progress, "Uploading n %"): no re-read, no
    // rows removed or inserted.
    void uploadProgressChangesOnlyThatRow()
    {
        attachments()->setPhotoMaxEdge(0); // the original bytes: a large file, several chunks
        QImage noise(1400, 1000, QImage::Format_RGB32);
        QRandomGenerator rng(7);
        for (int y = 0; y < noise.height(); ++y)
            for (int x = 0; x < noise.width(); ++x)
                noise.setPixel(x, y, rng.generate() | 0xff000000u);
        QByteArray jpeg;
        QBuffer buffer(&jpeg);
        buffer.open(QIODevice::WriteOnly);
        noise.save(&buffer, "JPEG", 95);
        const QString path = writeFile(m_files, u"noise.jpg"_s, jpeg);
        const QString account = QString::number(m_accountId);
        app::AttachmentListModel model(attachments(), nullptr);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.setOwnerType(u"account"_s);
        model.setOwnerId(account);
        const QString id = attachments()->addPhotoFromFile(QUrl::fromLocalFile(path), u"account"_s, account,
                                                           m_accountId, u"Noise"_s);
        QVERIFY2(!id.isEmpty(), qPrintable(attachments()->errorCode()));
        const qint64 size = storage::AttachmentRepository(db()).get(id)->size;
        QVERIFY2(size > 4 * 128 * 1024, qPrintable(QString::number(size)));

        sync::UploadOptions options;
        options.chunkSize = 128 * 1024;
        attachments()->uploader().setOptions(options);
        QSignalSpy progress(attachments(), &app::AttachmentsController::uploadProgress);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QVERIFY(uploadNow());
        attachments()->uploader().setOptions({});
        attachments()->setPhotoMaxEdge(2048);
        QVERIFY(progress.size() >= 4);
        int progressRowChanges = 0;
        for (const QList<QVariant> &args : std::as_const(changed)) {
            const QModelIndex from = args.at(0).toModelIndex(), to = args.at(1).toModelIndex();
            QCOMPARE(from.row(), to.row()); // one row at a time
            if (args.at(2).value<QList<int>>().contains(app::AttachmentListModel::ProgressRole)) {
                QCOMPARE(model.data(from, app::AttachmentListModel::AttachmentIdRole).toString(), id);
                ++progressRowChanges;
            }
        }
        QVERIFY(progressRowChanges >= 3);
        QCOMPARE(removed.size(), 0);
        QCOMPARE(inserted.size(), 0);
        QCOMPARE(modelValue(&model, model.indexOf(id), "stateText").toString(), u"Delivered"_s);
    }

    void signatureKeepsStrokesSignerAndOrderHash()
    {
        const QString orderId = openDraft();
        QVERIFY(!orderId.isEmpty());
        const QVariantList strokes = zigzag(2, 6);
        const QString id =
            attachments()->addSignature(orderId, strokes, u"  Aisha Evans "_s, u"Buyer"_s, 600, 200);
        QVERIFY2(!id.isEmpty(), qPrintable(attachments()->errorCode()));
        auto row = storage::AttachmentRepository(db()).get(id);
        QVERIFY(row);
        QCOMPARE(row->kind, u"signature"_s);
        QCOMPARE(row->mime, u"image/png"_s);
        QCOMPARE(row->signerName, u"Aisha Evans"_s);
        QCOMPARE(row->signerRole, u"Buyer"_s);
        QCOMPARE(row->strokes.size(), 2);
        QCOMPARE(row->strokes[0].size(), 6);
        QCOMPARE(row->strokes[0][1], (storage::SignaturePoint{60, 140, 16, 730}));
        auto content = order()->signedContent(orderId);
        QVERIFY(content);
        QCOMPARE(row->orderContentHash, domain::orderContentHash(*content));
        QCOMPARE(content->totalMinor, order()->totalMinor());
        auto png = attachments()->blobs().read(row->sha256, true);
        QVERIFY(png);
        QVERIFY(!QImage::fromData(*png, "PNG").isNull());
        QVERIFY(!attachments()->changedSinceSigning(id));

        app::AttachmentListModel model(attachments(), nullptr);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.setOwnerType(u"order"_s);
        model.setOwnerId(orderId);
        const int i = model.indexOf(id);
        QVERIFY(i >= 0);
        QCOMPARE(modelValue(&model, i, "signerName").toString(), u"Aisha Evans"_s);
        QCOMPARE(modelValue(&model, i, "changedSinceSigning").toBool(), false);

        // The draft changes after signing: the signature says so.
        QVERIFY(order()->addProduct(m_otherProductId));
        QVERIFY(attachments()->changedSinceSigning(id));
        QTRY_COMPARE(modelValue(&model, model.indexOf(id), "changedSinceSigning").toBool(), true);
    }

    // The hash of a decided order comes from the server's lines and totals: an order the server
    // takes as signed (a backorder ships the same lines later) still matches.
    void signedOrderComparedWithTheServersDecision()
    {
        const QString orderId = openDraft();
        const QString id =
            attachments()->addSignature(orderId, zigzag(1, 5), u"Aisha Evans"_s, u"Buyer"_s, 600, 200);
        QVERIFY2(!id.isEmpty(), qPrintable(attachments()->errorCode()));
        const qint64 submittedTotal = order()->totalMinor();
        QVERIFY(order()->submit());
        QVERIFY(!attachments()->changedSinceSigning(id)); // queued: priced as it was signed
        QVERIFY(m_fx.syncNow());
        auto decided = storage::OrderRepository(db()).order(orderId);
        QVERIFY(decided && decided->decidedAt.isValid());
        // Taken as signed (in the tiny seed the line is backordered: same quantity, price, totals).
        QVERIFY2(decided->status == u"accepted"_s || decided->status == u"adjusted"_s,
                 qPrintable(decided->status));
        QCOMPARE(decided->totalMinor, submittedTotal);
        QVERIFY(!attachments()->changedSinceSigning(id));
    }

    void badInputStoresNothing_data()
    {
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("code");
        QTest::newRow("notAnImage") << u"notAnImage"_s << u"photo.not_an_image"_s;
        QTest::newRow("captionTooLong") << u"captionTooLong"_s << u"attachment.bad_caption"_s;
        QTest::newRow("unknownOwnerType") << u"unknownOwnerType"_s << u"attachment.bad_owner"_s;
        QTest::newRow("orderOfAnotherAccount")
            << u"orderOfAnotherAccount"_s << u"attachment.owner_mismatch"_s;
        QTest::newRow("signatureWithoutSigner")
            << u"signatureWithoutSigner"_s << u"signature.signer_required"_s;
        QTest::newRow("signatureWithoutStrokes") << u"signatureWithoutStrokes"_s << u"signature.empty"_s;
        QTest::newRow("signatureMalformedPoint")
            << u"signatureMalformedPoint"_s << u"attachment.bad_strokes"_s;
    }

    void badInputStoresNothing()
    {
        QFETCH(QString, what);
        QFETCH(QString, code);
        const QString orderId = openDraft();
        const QString account = QString::number(m_accountId);
        const int blobsBefore = fileCount(attachments()->blobs().root());
        const qsizetype orderRows = storage::AttachmentRepository(db()).forOwner(u"order"_s, orderId)->size();
        const qsizetype accountRows =
            storage::AttachmentRepository(db()).forOwner(u"account"_s, account)->size();
        const QUrl photo = QUrl::fromLocalFile(writeFile(m_files, u"ok.jpg"_s, twoToneJpeg(700, 500)));
        QString id;
        if (what == u"notAnImage"_s) {
            const QString path =
                writeFile(m_files, u"notes.jpg"_s, "These are not the pixels you are looking for.\n");
            id = attachments()->addPhotoFromFile(QUrl::fromLocalFile(path), u"order"_s, orderId, m_accountId,
                                                 {});
        } else if (what == u"captionTooLong"_s) {
            id = attachments()->addPhotoFromFile(photo, u"order"_s, orderId, m_accountId, QString(501, u'x'));
        } else if (what == u"unknownOwnerType"_s) {
            id = attachments()->addPhotoFromFile(photo, u"visit"_s, orderId, m_accountId, {});
        } else if (what == u"orderOfAnotherAccount"_s) {
            id = attachments()->addPhotoFromFile(photo, u"order"_s, orderId, m_accountId + 1000, {});
        } else if (what == u"signatureWithoutSigner"_s) {
            id = attachments()->addSignature(orderId, zigzag(1, 4), u"   "_s, {}, 600, 200);
        } else if (what == u"signatureWithoutStrokes"_s) {
            id = attachments()->addSignature(orderId, {}, u"Aisha Evans"_s, {}, 600, 200);
        } else if (what == u"signatureMalformedPoint"_s) {
            const QVariantList bad{QVariant(QVariantList{QVariant(QVariantList{1, u"x"_s, 0, 1000})})};
            id = attachments()->addSignature(orderId, bad, u"Aisha Evans"_s, {}, 600, 200);
        }
        QVERIFY(id.isEmpty());
        QCOMPARE(attachments()->errorCode(), code);
        QVERIFY(!attachments()->errorText().isEmpty());
        QCOMPARE(fileCount(attachments()->blobs().root()), blobsBefore);
        QCOMPARE(storage::AttachmentRepository(db()).forOwner(u"order"_s, orderId)->size(), orderRows);
        QCOMPARE(storage::AttachmentRepository(db()).forOwner(u"account"_s, account)->size(), accountRows);
    }

    // A caption can change until the server has seen the attachment.
    void captionEditableUntilSent()
    {
        const QString account = QString::number(m_accountId);
        const QString path = writeFile(m_files, u"caption.jpg"_s, twoToneJpeg(700, 500));
        const QString id = attachments()->addPhotoFromFile(QUrl::fromLocalFile(path), u"account"_s, account,
                                                           m_accountId, u"Frist"_s);
        QVERIFY(!id.isEmpty());
        QVERIFY(attachments()->setCaption(id, u"First aisle"_s));
        QCOMPARE(storage::AttachmentRepository(db()).get(id)->caption, u"First aisle"_s);
        QVERIFY(!attachments()->setCaption(id, QString(501, u'x')));
        QCOMPARE(attachments()->errorCode(), u"attachment.bad_caption"_s);
        QVERIFY(uploadNow());
        QVERIFY(!attachments()->setCaption(id, u"Too late"_s));
        QCOMPARE(attachments()->errorCode(), u"attachment.caption_locked"_s);
        QCOMPARE(storage::AttachmentRepository(db()).get(id)->caption, u"First aisle"_s);
    }

    void settingsOutOfRangeRefused_data()
    {
        QTest::addColumn<int>("edge");
        QTest::addColumn<int>("quality");
        QTest::newRow("edgeTooSmall") << 320 << 80;
        QTest::newRow("edgeTooLarge") << 10000 << 80;
        QTest::newRow("qualityTooLow") << 2048 << 10;
        QTest::newRow("qualityTooHigh") << 2048 << 101;
    }

    void settingsOutOfRangeRefused()
    {
        QFETCH(int, edge);
        QFETCH(int, quality);
        attachments()->setPhotoMaxEdge(2048);
        attachments()->setPhotoQuality(80);
        attachments()->setPhotoMaxEdge(edge);
        attachments()->setPhotoQuality(quality);
        QCOMPARE(attachments()->errorCode(), u"attachment.bad_setting"_s);
        QCOMPARE(attachments()->photoMaxEdge(), 2048);
        QCOMPARE(attachments()->photoQuality(), 80);
        // Kept in the replica: a restarted app has the same settings.
        attachments()->setPhotoMaxEdge(1024);
        QVERIFY(m_fx.restartApp());
        QCOMPARE(attachments()->photoMaxEdge(), 1024);
    }

    void remoteAttachmentListedAndDownloaded()
    {
        // Another device of the same rep photographs the account and uploads it.
        QTemporaryDir otherDir;
        const QString otherPath = otherDir.filePath(u"other.db"_s);
        auto other = sync::openReplica(otherPath);
        QVERIFY(other);
        sync::ApiSession api(**other);
        QVERIFY(
            api.login(sync::LoginInput{m_fx.server().url(), u"demo"_s, u"rep1"_s, u"demo"_s, u"tablet-2"_s}));
        storage::BlobStore otherBlobs(storage::BlobStore::blobDirFor(otherPath));
        auto prepared = media::preparePhotoBytes(twoToneJpeg(900, 700), u"backroom.jpg"_s);
        QVERIFY(prepared);
        auto image = otherBlobs.put(prepared->bytes);
        auto thumb = otherBlobs.put(prepared->thumbnail);
        QVERIFY(image && thumb);
        storage::AttachmentRow row;
        row.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        row.kind = u"photo"_s;
        row.ownerType = u"account"_s;
        row.ownerId = QString::number(m_accountId);
        row.accountId = m_accountId;
        row.sha256 = image->sha256;
        row.size = image->size;
        row.mime = prepared->mime;
        row.fileName = prepared->fileName;
        row.caption = u"Back room"_s;
        row.width = prepared->width;
        row.height = prepared->height;
        row.thumbSha256 = thumb->sha256;
        row.deviceCreatedAt = QDateTime::currentDateTimeUtc();
        QVERIFY(
            storage::AttachmentRepository(**other).add(row, thumb->size, QDateTime::currentDateTimeUtc()));
        sync::SyncContext sc{**other, api, otherPath, {}, {}, {}};
        auto report = sync::runUploads(sc, otherBlobs, {});
        QVERIFY(report);
        QCOMPARE(report->delivered, 1);

        // This device lists the account's attachments from the server and downloads the image.
        app::AttachmentListModel model(attachments(), nullptr);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QSignalSpy refreshed(&model, &app::AttachmentListModel::remoteRefreshed);
        model.setOwnerType(u"account"_s);
        model.setOwnerId(QString::number(m_accountId));
        if (!model.refreshing())
            model.refreshRemote(); // this session asked before the other device uploaded
        QVERIFY(refreshed.wait(30000));
        QCOMPARE(refreshed.constFirst().at(1).toString(), QString());
        const int i = model.indexOf(row.id);
        QVERIFY(i >= 0);
        QCOMPARE(modelValue(&model, i, "state").toString(), u"remote"_s);
        QCOMPARE(modelValue(&model, i, "stateText").toString(), u"On the server"_s);
        QCOMPARE(modelValue(&model, i, "caption").toString(), u"Back room"_s);

        QSignalSpy changed(attachments(), &app::AttachmentsController::attachmentChanged);
        QUrl url = attachments()->imageUrl(row.id);
        if (url.isEmpty()) {
            QTRY_VERIFY_WITH_TIMEOUT(!changed.isEmpty(), 30000);
            url = attachments()->imageUrl(row.id);
        }
        QVERIFY2(url.isLocalFile(), qPrintable(attachments()->errorCode()));
        QVERIFY(url.toLocalFile().startsWith(attachments()->cache().root()));
        QFile file(url.toLocalFile());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), prepared->bytes);
        // The list gets a thumbnail made from the download.
        QTRY_VERIFY_WITH_TIMEOUT(
            modelValue(&model, model.indexOf(row.id), "thumbnailUrl").toUrl().isLocalFile(), 30000);
    }

    // A draft's photo waits for the submit (the order travels first); discarding the draft takes
    // its unsent photo along, and nothing keeps its bytes referenced.
    void draftPhotoWaitsForSubmitAndGoesWithADiscard()
    {
        const QString orderId = openDraft();
        QVERIFY(!orderId.isEmpty());
        const QString path = writeFile(m_files, u"draft.jpg"_s, twoToneJpeg(713, 509)); // bytes no other test makes
        const QString id = attachments()->addPhotoFromFile(QUrl::fromLocalFile(path), u"order"_s, orderId,
                                                           m_accountId, u"Damaged case"_s);
        QVERIFY2(!id.isEmpty(), qPrintable(attachments()->errorCode()));
        QVERIFY(uploadNow());
        auto row = storage::AttachmentRepository(db()).get(id);
        QVERIFY(row);
        QCOMPARE(row->state, u"waiting"_s); // held while the order is a draft
        QVERIFY(order()->discard());
        QVERIFY(!storage::AttachmentRepository(db()).get(id));
        auto keep = storage::AttachmentRepository(db()).referencedBlobs();
        QVERIFY(keep);
        QVERIFY(!keep->contains(row->sha256));
        QVERIFY(!keep->contains(row->thumbSha256));
    }

    // Last: signing out deletes the replica. Refused while a signature or photo has not reached
    // the server (they are not in the export); afterwards the images go with the replica.
    void signOutWaitsForAttachmentsThenRemovesThem()
    {
        const QString account = QString::number(m_accountId);
        const QString path = writeFile(m_files, u"last.jpg"_s, twoToneJpeg(900, 600));
        QVERIFY(!attachments()
                     ->addPhotoFromFile(QUrl::fromLocalFile(path), u"account"_s, account, m_accountId, {})
                     .isEmpty());
        app::SessionController *session = m_fx.app().session();
        if (order()->hasDraft())
            QVERIFY(order()->discard());
        QVERIFY(m_fx.syncNow()); // nothing else pending
        QVERIFY(!session->signOut());
        QCOMPARE(session->errorCode(), u"session.pending_attachments"_s);
        const QString blobDir = attachments()->blobs().root();
        QVERIFY(fileCount(blobDir) > 0);
        QVERIFY(uploadNow());
        QVERIFY2(session->signOut(), qPrintable(session->errorCode()));
        QVERIFY(!QFileInfo::exists(blobDir));
        QVERIFY(!QFileInfo::exists(storage::BlobStore::cacheDirFor(m_fx.app().replicaPath())));
    }
};

QTEST_MAIN(TstAppAttachments)
#include "tst_app_attachments.moc"
