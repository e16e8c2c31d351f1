// Bad attachment input, one row per case (docs/attachments.md): each is refused with its status and
// code, and nothing is stored: no attachment or blob row, no blob file, no staged bytes beyond what
// was acknowledged, `received` unchanged (or back to 0 after a refused completion).
#include "tests/server/attachments_fixture.h"

using namespace Qt::Literals::StringLiterals;
using namespace outpost::test;
using namespace outpost::test::attachments;

namespace {

const QByteArray kPdf = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

QJsonArray strokes(const QJsonArray &firstPoint)
{
    return QJsonArray{QJsonArray{firstPoint, QJsonArray{5, 6, 16, 500}}};
}

} // namespace

class TstAttachmentsBadInput : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { f.setUp(); }
    void cleanupTestCase() { f.server.stop(); }
    void badAnnounceStoresNothing_data();
    void badAnnounceStoresNothing();
    void wrongContentTypeForAnnounce();
    void badChunkAppendsNothing_data();
    void badChunkAppendsNothing();
    void refusedCompletionKeepsNothing_data();
    void refusedCompletionKeepsNothing();

private:
    Fixture f;
    quint32 m_nextSeed = 1000;
};

void TstAttachmentsBadInput::badAnnounceStoresNothing_data()
{
    QTest::addColumn<QJsonObject>("overrides");
    QTest::addColumn<QStringList>("remove");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    const auto row = [](const char *name, const QJsonObject &overrides, int status, const QString &code,
                        const QStringList &remove = {}) {
        QTest::newRow(name) << overrides << remove << status << code;
    };
    const QJsonObject signatureKind{{u"kind"_s, u"signature"_s}};
    const auto signature = [](const QJsonValue &strokeList) {
        return QJsonObject{{u"kind"_s, u"signature"_s},
                           {u"signature"_s, QJsonObject{{u"signerName"_s, u"A. Buyer"_s}, {u"strokes"_s, strokeList}}}};
    };
    row("oversizedAnnounce", {{u"size"_s, qint64(257) * 1024 * 1024}}, 413, u"attachment.too_large"_s);
    row("zeroSize", {{u"size"_s, 0}}, 400, u"attachment.bad_size"_s);
    row("pathDotDot", {{u"fileName"_s, u"../x.jpg"_s}}, 400, u"attachment.bad_file_name"_s);
    row("pathSlash", {{u"fileName"_s, u"a/b.jpg"_s}}, 400, u"attachment.bad_file_name"_s);
    row("pathAbsolute", {{u"fileName"_s, u"/etc/passwd"_s}}, 400, u"attachment.bad_file_name"_s);
    row("pathDriveLetter", {{u"fileName"_s, u"C:\\x.jpg"_s}}, 400, u"attachment.bad_file_name"_s);
    row("pathDriveRelative", {{u"fileName"_s, u"C:x.jpg"_s}}, 400, u"attachment.bad_file_name"_s);
    row("controlCharacter", {{u"fileName"_s, u"x\u0001.jpg"_s}}, 400, u"attachment.bad_file_name"_s);
    row("emptyFileName", {{u"fileName"_s, u""_s}}, 400, u"attachment.bad_file_name"_s);
    row("fileNameTooLong", {{u"fileName"_s, QString(252, u'\u00e9') + u".jpg"_s}}, 400, u"attachment.bad_file_name"_s);
    row("captionTooLong", {{u"caption"_s, QString(501, u'c')}}, 400, u"attachment.bad_caption"_s);
    row("unsupportedMime", {{u"mime"_s, u"image/gif"_s}}, 415, u"attachment.bad_mime"_s);
    row("pdfMime", {{u"mime"_s, u"application/pdf"_s}}, 415, u"attachment.bad_mime"_s);
    row("badHashFormat", {{u"sha256"_s, u"abc123"_s}}, 400, u"attachment.bad_hash"_s);
    row("upperCaseHash", {{u"sha256"_s, QString(64, u'A')}}, 400, u"attachment.bad_hash"_s);
    row("badId", {{u"id"_s, u"not-a-uuid"_s}}, 400, u"attachment.bad_id"_s);
    row("bracedId", {{u"id"_s, u"{5b0c1d2e-0000-4000-8000-000000000001}"_s}}, 400, u"attachment.bad_id"_s);
    row("badKind", {{u"kind"_s, u"video"_s}}, 400, u"attachment.bad_kind"_s);
    row("badOwnerType", {{u"ownerType"_s, u"visit"_s}}, 400, u"attachment.bad_owner"_s);
    row("ownerIdNotTheAccount", {{u"ownerId"_s, u"999999"_s}}, 400, u"attachment.bad_owner"_s);
    row("orderOwnerNotUuid", {{u"ownerType"_s, u"order"_s}, {u"ownerId"_s, u"SO-1"_s}}, 400,
        u"attachment.bad_owner"_s);
    row("missingSignature", signatureKind, 400, u"attachment.signature_required"_s);
    row("signatureOnPhoto",
        {{u"signature"_s, QJsonObject{{u"signerName"_s, u"X"_s}, {u"strokes"_s, strokes({1, 2, 0, 10})}}}}, 400,
        u"attachment.signature_not_allowed"_s);
    row("strokesEmpty", signature(QJsonArray()), 400, u"attachment.bad_strokes"_s);
    row("strokesNotArray", signature(u"M 0 0 L 10 10"_s), 400, u"attachment.bad_strokes"_s);
    row("pointThreeValues", signature(strokes({1, 2, 3})), 400, u"attachment.bad_strokes"_s);
    row("pointNotInteger", signature(strokes({1.5, 2, 0, 10})), 400, u"attachment.bad_strokes"_s);
    row("pressureOutOfRange", signature(strokes({1, 2, 0, 1001})), 400, u"attachment.bad_strokes"_s);
    row("pointAsObject", signature(QJsonArray{QJsonArray{QJsonObject{{u"x"_s, 1}}}}), 400,
        u"attachment.bad_strokes"_s);
    row("unknownField", {{u"colour"_s, u"red"_s}}, 400, u"request.unknown_field"_s);
    row("unknownLocationField", {{u"location"_s, QJsonObject{{u"latE6"_s, 1}, {u"lonE6"_s, 2}, {u"alt"_s, 3}}}}, 400,
        u"request.unknown_field"_s);
    row("latitudeAsFloat", {{u"location"_s, QJsonObject{{u"latE6"_s, 51.5}, {u"lonE6"_s, 2}}}}, 400,
        u"request.wrong_type"_s);
    row("sizeAsText", {{u"size"_s, u"100"_s}}, 400, u"request.wrong_type"_s);
    row("missingHash", {}, 400, u"request.missing_field"_s, {u"sha256"_s});
    row("badDeviceTime", {{u"deviceCreatedAt"_s, u"yesterday"_s}}, 400, u"request.bad_timestamp"_s);
    row("otherRepsAccount", {{u"accountId"_s, -2}, {u"ownerId"_s, u"-2"_s}}, 403, u"attachment.account_forbidden"_s);
}

void TstAttachmentsBadInput::badAnnounceStoresNothing()
{
    QFETCH(QJsonObject, overrides);
    QFETCH(QStringList, remove);
    QFETCH(int, status);
    QFETCH(QString, code);
    const QByteArray bytes = paddedPng(3000, 7);
    const QString id = newUuid();
    QJsonObject body = f.announceBody(id, bytes, f.rep1Accounts[0]);
    if (overrides.value(u"accountId"_s).toInteger() == -2) { // placeholder: an account of rep2
        overrides.insert(u"accountId"_s, f.rep2Accounts[0]);
        overrides.insert(u"ownerId"_s, QString::number(f.rep2Accounts[0]));
    }
    for (auto it = overrides.begin(); it != overrides.end(); ++it)
        body.insert(it.key(), it.value());
    for (const QString &key : remove)
        body.remove(key);
    const qint64 attachmentsBefore = f.count(u"SELECT COUNT(*) FROM attachments"_s);
    const qint64 uploadsBefore = f.count(u"SELECT COUNT(*) FROM uploads"_s);
    const int filesBefore = f.blobFileCount();

    const HttpReply r = f.announce(body, f.rep1);
    QCOMPARE(r.errorCode(), code);
    QCOMPARE(r.status, status);
    QCOMPARE(f.count(u"SELECT COUNT(*) FROM attachments"_s), attachmentsBefore);
    QCOMPARE(f.count(u"SELECT COUNT(*) FROM uploads"_s), uploadsBefore);
    QCOMPARE(f.blobFileCount(), filesBefore);
    QCOMPARE(f.get(u"/v1/attachments/"_s + id, f.rep1).status, 404);
}

void TstAttachmentsBadInput::wrongContentTypeForAnnounce()
{
    const QByteArray bytes = paddedPng(3000, 8);
    const QString id = newUuid();
    const QByteArray json = QJsonDocument(f.announceBody(id, bytes, f.rep1Accounts[0])).toJson();
    const HttpReply r = f.server.postRaw(u"/v1/attachments"_s, json, f.rep1, "text/plain");
    QCOMPARE(r.status, 415);
    QCOMPARE(r.errorCode(), u"request.unsupported_media_type"_s);
    QCOMPARE(f.attachmentRows(id), 0);
}

void TstAttachmentsBadInput::badChunkAppendsNothing_data()
{
    // The attachment is 3,000 bytes with 1,000 acknowledged; the bad chunk is sent at `offset`.
    QTest::addColumn<qint64>("offset");
    QTest::addColumn<QString>("kind"); // how the chunk is spoiled
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::newRow("truncatedChunk") << qint64(1000) << u"truncated"_s << 400 << u"upload.chunk_hash_mismatch"_s;
    QTest::newRow("wrongChunkHash") << qint64(1000) << u"wrongHash"_s << 400 << u"upload.chunk_hash_mismatch"_s;
    QTest::newRow("missingChunkHash") << qint64(1000) << u"noHash"_s << 400 << u"upload.missing_chunk_hash"_s;
    QTest::newRow("malformedChunkHash") << qint64(1000) << u"shortHash"_s << 400 << u"upload.missing_chunk_hash"_s;
    QTest::newRow("oversizedChunk") << qint64(1000) << u"oversized"_s << 413 << u"upload.chunk_too_large"_s;
    QTest::newRow("pastEndChunk") << qint64(1000) << u"pastEnd"_s << 400 << u"upload.past_end"_s;
    QTest::newRow("emptyChunk") << qint64(1000) << u"empty"_s << 400 << u"upload.empty_chunk"_s;
    QTest::newRow("wrongContentType") << qint64(1000) << u"json"_s << 415 << u"request.unsupported_media_type"_s;
    QTest::newRow("missingOffset") << qint64(-1) << u"good"_s << 400 << u"request.missing_parameter"_s;
    QTest::newRow("offsetAhead") << qint64(2000) << u"good"_s << 409 << u"upload.offset_mismatch"_s;
    QTest::newRow("unknownAttachment") << qint64(1000) << u"unknownId"_s << 404 << u"attachment.not_found"_s;
    QTest::newRow("badAttachmentId") << qint64(1000) << u"badId"_s << 400 << u"attachment.bad_id"_s;
}

void TstAttachmentsBadInput::badChunkAppendsNothing()
{
    QFETCH(qint64, offset);
    QFETCH(QString, kind);
    QFETCH(int, status);
    QFETCH(QString, code);
    const QByteArray bytes = paddedPng(3000, m_nextSeed++); // new bytes per row: no dedup
    const QString id = newUuid();
    const HttpReply announced = f.announce(f.announceBody(id, bytes, f.rep1Accounts[0]), f.rep1);
    QCOMPARE(announced.status, 201);
    QCOMPARE(announced.json.value(u"state"_s).toString(), u"receiving"_s);
    QCOMPARE(f.putChunk(id, 0, bytes.left(1000), f.rep1).status, 200);

    const QByteArray good = bytes.mid(1000, 1000);
    QByteArray chunk = good;
    QString hash;                                   // "" = computed over the chunk sent
    QByteArray contentType = "application/octet-stream";
    QString target = id;
    if (kind == u"truncated"_s) {
        chunk = good.left(600); // the hash is over the whole chunk, the body was cut
        hash = sha256Hex(good);
    } else if (kind == u"wrongHash"_s) {
        hash = sha256Hex("other bytes");
    } else if (kind == u"noHash"_s) {
        hash = u"-"_s;
    } else if (kind == u"shortHash"_s) {
        hash = u"abc"_s;
    } else if (kind == u"oversized"_s) {
        chunk = randomBytes(4 * 1024 * 1024 + 1, 3);
    } else if (kind == u"pastEnd"_s) {
        chunk = bytes.mid(1000) + "extra";
    } else if (kind == u"empty"_s) {
        chunk.clear();
        hash = sha256Hex({});
    } else if (kind == u"json"_s) {
        contentType = "application/json";
    } else if (kind == u"unknownId"_s) {
        target = newUuid();
    } else if (kind == u"badId"_s) {
        target = u"Z0000000-not-a-uuid"_s;
    }
    const RawReply r = f.putChunk(target, offset, chunk, f.rep1, hash, contentType);
    QCOMPARE(r.errorCode(), code);
    QCOMPARE(r.status, status);
    QCOMPARE(f.received(id, f.rep1), 1000);
    QCOMPARE(f.stagedSize(id), 1000);
    QCOMPARE(f.blobRows(sha256Hex(bytes)), 0);
    QVERIFY(!QFileInfo::exists(f.blobPath(sha256Hex(bytes))));

    // The upload is still good: the rest goes through.
    QCOMPARE(f.uploadFrom(id, bytes, 1000, f.rep1).json.value(u"state"_s).toString(), u"complete"_s);
}

void TstAttachmentsBadInput::refusedCompletionKeepsNothing_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("announcedSha"); // "" = the bytes' own hash
    QTest::addColumn<QString>("mime");
    QTest::addColumn<QString>("code");
    const QByteArray png = paddedPng(5000, 13);
    const QByteArray jpeg = encodedImage("JPEG", 14, 200, 100);
    QTest::newRow("wrongWholeHash") << png << sha256Hex(paddedPng(5000, 15)) << u"image/png"_s
                                    << u"upload.hash_mismatch"_s;
    QTest::newRow("textAsJpeg") << QByteArray("just some text, not a photo\n").repeated(40) << QString()
                                << u"image/jpeg"_s << u"upload.not_an_image"_s;
    QTest::newRow("pdfAsJpeg") << kPdf << QString() << u"image/jpeg"_s << u"upload.not_an_image"_s;
    QTest::newRow("pngAsJpeg") << png << QString() << u"image/jpeg"_s << u"upload.not_an_image"_s;
    QTest::newRow("jpegAsPng") << jpeg << QString() << u"image/png"_s << u"upload.not_an_image"_s;
    QTest::newRow("jpegMagicThenNoise") << QByteArray("\xFF\xD8\xFF", 3) + randomBytes(4000, 16) << QString()
                                        << u"image/jpeg"_s << u"upload.not_an_image"_s;
    QTest::newRow("pngSignatureOnly") << png.left(8) + randomBytes(3000, 17) << QString() << u"image/png"_s
                                      << u"upload.not_an_image"_s;
}

void TstAttachmentsBadInput::refusedCompletionKeepsNothing()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, announcedSha);
    QFETCH(QString, mime);
    QFETCH(QString, code);
    const QString id = newUuid();
    QJsonObject body = f.announceBody(id, bytes, f.rep1Accounts[0], mime);
    body.insert(u"fileName"_s, u"scan.jpg"_s);
    const QString sha = announcedSha.isEmpty() ? sha256Hex(bytes) : announcedSha;
    body.insert(u"sha256"_s, sha);
    QCOMPARE(f.announce(body, f.rep1).status, 201);
    const int filesBefore = f.blobFileCount();

    const qint64 half = bytes.size() / 2;
    QCOMPARE(f.putChunk(id, 0, bytes.left(half), f.rep1).status, 200);
    const RawReply r = f.putChunk(id, half, bytes.mid(half), f.rep1);
    QCOMPARE(r.errorCode(), code);
    QCOMPARE(r.status, 422);
    QCOMPARE(f.received(id, f.rep1), 0);
    QCOMPARE(f.stagedSize(id), -1);
    QCOMPARE(f.blobRows(sha), 0);
    QCOMPARE(f.blobRows(sha256Hex(bytes)), 0);
    QCOMPARE(f.blobFileCount(), filesBefore);
    const HttpReply meta = f.get(u"/v1/attachments/"_s + id, f.rep1);
    QCOMPARE(meta.json.value(u"state"_s).toString(), u"receiving"_s);
    QCOMPARE(f.get(u"/v1/attachments/%1/content"_s.arg(id), f.rep1).errorCode(), u"attachment.incomplete"_s);
}

QTEST_GUILESS_MAIN(TstAttachmentsBadInput)
#include "tst_attachments_badinput.moc"
