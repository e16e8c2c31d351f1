// Attachments on the real server (docs/attachments.md): announce + chunks + completion, resume
// from `received`, replays, dedup, idempotent announce, a server killed between chunks, who may
// see what, a 100 MB attachment, lists, and the schema migrations (to version 3 and
// later: the tables appear, a session's rotation chain survives).
#include "tests/server/attachments_fixture.h"

#include <QSqlDatabase>
#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;
using namespace outpost::test;
using namespace outpost::test::attachments;

class TstAttachments : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { f.setUp(); }
    void cleanupTestCase() { f.server.stop(); }
    void announceChunksAndComplete();
    void signatureKeepsStrokesAndSigner();
    void newClientResumesFromReceived();
    void duplicateChunkReplayIsHarmless();
    void offsetMismatchIsConflict();
    void sameBytesAreStoredOnce();
    void announceIsIdempotent();
    void idAnnouncedWithOtherContentConflicts();
    void orderOfAnotherAccountIsRefused();
    void serverKilledBetweenChunksContinues();
    void otherRepsAccountIsForbidden();
    void kioskAndAdminMayNotUseAttachments();
    void otherTenantSeesNothing();
    void hundredMegabyteAttachmentRoundTrips();
    void listByOwnerAndAccount();
    void listNeedsOwnerOrAccount_data();
    void listNeedsOwnerOrAccount();
    void blobDirAndSizeLimitFlags();
    void olderDatabasesMigrateToLatest_data();
    void olderDatabasesMigrateToLatest();

private:
    Fixture f;
};

void TstAttachments::announceChunksAndComplete()
{
    const QByteArray bytes = paddedPng(1300 * 1000, 11);
    const QString id = newUuid();
    const HttpReply a = f.announce(f.announceBody(id, bytes, f.rep1Accounts[0]), f.rep1);
    QCOMPARE(a.status, 201);
    QCOMPARE(a.json.value(u"state"_s).toString(), u"receiving"_s);
    QCOMPARE(a.json.value(u"received"_s).toInteger(), 0);
    QCOMPARE(a.json.value(u"size"_s).toInteger(), bytes.size());
    QCOMPARE(a.json.value(u"chunkSize"_s).toInteger(), 512 * 1024);
    const QString receivedAt = a.json.value(u"receivedAt"_s).toString();
    QVERIFY(QDateTime::fromString(receivedAt, Qt::ISODateWithMs).isValid());

    const qint64 chunk = 512 * 1024;
    const RawReply first = f.putChunk(id, 0, bytes.left(chunk), f.rep1);
    QCOMPARE(first.status, 200);
    QCOMPARE(first.json.value(u"received"_s).toInteger(), chunk);
    QCOMPARE(first.json.value(u"state"_s).toString(), u"receiving"_s);
    QCOMPARE(f.received(id, f.rep1), chunk);
    QCOMPARE(f.stagedSize(id), chunk);

    const RawReply last = f.uploadFrom(id, bytes, chunk, f.rep1);
    QCOMPARE(last.status, 200);
    QCOMPARE(last.json.value(u"state"_s).toString(), u"complete"_s);
    QCOMPARE(last.json.value(u"received"_s).toInteger(), bytes.size());

    const HttpReply meta = f.get(u"/v1/attachments/"_s + id, f.rep1);
    QCOMPARE(meta.status, 200);
    QCOMPARE(meta.json.value(u"state"_s).toString(), u"complete"_s);
    QCOMPARE(meta.json.value(u"receivedAt"_s).toString(), receivedAt);
    QVERIFY(!meta.json.value(u"completedAt"_s).toString().isEmpty());
    QCOMPARE(meta.json.value(u"caption"_s).toString(), u"Shelf after restock"_s);
    QCOMPARE(meta.json.value(u"deviceCreatedAt"_s).toString(), u"2026-11-23T10:15:00.000Z"_s);
    QVERIFY(meta.json.value(u"userId"_s).toInteger() > 0);

    const RawReply body = sync::rawRequest("GET", f.server.url(u"/v1/attachments/%1/content"_s.arg(id)), f.rep1);
    QCOMPARE(body.status, 200);
    QCOMPARE(body.header("Content-Type"), QByteArray("image/png"));
    QCOMPARE(body.header("ETag"), '"' + sha256Hex(bytes).toLatin1() + '"');
    QCOMPARE(sha256Hex(body.body), sha256Hex(bytes));
    const RawReply cached = sync::rawRequest("GET", f.server.url(u"/v1/attachments/%1/content"_s.arg(id)), f.rep1,
                                             {{"If-None-Match", body.header("ETag")}});
    QCOMPARE(cached.status, 304);

    // Stored once, outside the database; nothing left staged or pending.
    QVERIFY(QFileInfo(f.blobPath(sha256Hex(bytes))).isFile());
    QCOMPARE(f.blobRows(sha256Hex(bytes)), 1);
    QCOMPARE(f.stagedSize(id), -1);
    QCOMPARE(f.count(u"SELECT COUNT(*) FROM uploads WHERE attachment_id = '%1'"_s.arg(id)), 0);

    // A chunk sent to a complete attachment: 200 complete, nothing changes.
    const RawReply late = f.putChunk(id, 0, bytes.left(100), f.rep1);
    QCOMPARE(late.status, 200);
    QCOMPARE(late.json.value(u"state"_s).toString(), u"complete"_s);
}

void TstAttachments::signatureKeepsStrokesAndSigner()
{
    const QByteArray png = encodedImage("PNG", 21, 600, 200);
    const QString id = newUuid();
    const QString orderId = newUuid();
    const QJsonArray strokes{QJsonArray{QJsonArray{10, 20, 0, 500}, QJsonArray{12, 24, 16, 620}},
                             QJsonArray{QJsonArray{40, 40, 300, 1000}}};
    const QString contentHash = sha256Hex("order as signed");
    QJsonObject body = f.announceBody(id, png, f.rep1Accounts[0]);
    body.insert(u"kind"_s, u"signature"_s);
    body.insert(u"ownerType"_s, u"order"_s);
    body.insert(u"ownerId"_s, orderId);
    body.insert(u"location"_s, QJsonObject{{u"latE6"_s, 51507351}, {u"lonE6"_s, -127758}, {u"accuracyM"_s, 12}});
    body.insert(u"signature"_s, QJsonObject{{u"signerName"_s, u"Aisha Evans"_s}, {u"signerRole"_s, u"Buyer"_s},
                                            {u"strokes"_s, strokes}, {u"orderContentHash"_s, contentHash}});
    QCOMPARE(f.announce(body, f.rep1).status, 201);
    QCOMPARE(f.uploadFrom(id, png, 0, f.rep1).json.value(u"state"_s).toString(), u"complete"_s);

    const HttpReply meta = f.get(u"/v1/attachments/"_s + id, f.rep1);
    QCOMPARE(meta.status, 200);
    const QJsonObject sig = meta.json.value(u"signature"_s).toObject();
    QCOMPARE(sig.value(u"signerName"_s).toString(), u"Aisha Evans"_s);
    QCOMPARE(sig.value(u"signerRole"_s).toString(), u"Buyer"_s);
    QCOMPARE(sig.value(u"strokes"_s).toArray(), strokes);
    QCOMPARE(sig.value(u"orderContentHash"_s).toString(), contentHash);
    QCOMPARE(meta.json.value(u"location"_s).toObject().value(u"latE6"_s).toInteger(), 51507351);
    QCOMPARE(meta.json.value(u"ownerId"_s).toString(), orderId);
}

void TstAttachments::newClientResumesFromReceived()
{
    const QByteArray bytes = paddedPng(2 * 1024 * 1024 + 123, 31);
    const QString id = newUuid();
    QCOMPARE(f.announce(f.announceBody(id, bytes, f.rep1Accounts[0]), f.rep1).status, 201);
    const qint64 chunk = 512 * 1024;
    QCOMPARE(f.putChunk(id, 0, bytes.left(chunk), f.rep1).status, 200);
    QCOMPARE(f.putChunk(id, chunk, bytes.mid(chunk, chunk), f.rep1).status, 200);

    // Another session (the app restarted): asks, then continues from what the server holds.
    const QByteArray again = f.server.login(u"demo"_s, u"rep1"_s, u"demo"_s, u"second-device"_s);
    const HttpReply repeat = f.announce(f.announceBody(id, bytes, f.rep1Accounts[0]), again);
    QCOMPARE(repeat.status, 200);
    const qint64 from = repeat.json.value(u"received"_s).toInteger();
    QCOMPARE(from, 2 * chunk);
    const RawReply last = f.uploadFrom(id, bytes, from, again);
    QCOMPARE(last.json.value(u"state"_s).toString(), u"complete"_s);
    const RawReply body = sync::rawRequest("GET", f.server.url(u"/v1/attachments/%1/content"_s.arg(id)), again);
    QCOMPARE(sha256Hex(body.body), sha256Hex(bytes));
}

void TstAttachments::duplicateChunkReplayIsHarmless()
{
    const QByteArray bytes = paddedPng(3000, 41);
    const QString id = newUuid();
    QCOMPARE(f.announce(f.announceBody(id, bytes, f.rep1Accounts[0]), f.rep1).status, 201);
    QCOMPARE(f.putChunk(id, 0, bytes.left(1000), f.rep1).status, 200);
    for (int i = 0; i < 2; ++i) { // the same request again (a retry whose answer was lost)
        const RawReply replay = f.putChunk(id, 0, bytes.left(1000), f.rep1);
        QCOMPARE(replay.status, 200);
        QCOMPARE(replay.json.value(u"received"_s).toInteger(), 1000);
    }
    QCOMPARE(f.putChunk(id, 1000, bytes.mid(1000, 1000), f.rep1).status, 200);
    QCOMPARE(f.putChunk(id, 500, bytes.mid(500, 500), f.rep1).json.value(u"received"_s).toInteger(), 2000);
    QCOMPARE(f.stagedSize(id), 2000);
    QCOMPARE(f.putChunk(id, 2000, bytes.mid(2000), f.rep1).json.value(u"state"_s).toString(), u"complete"_s);
    const RawReply body = sync::rawRequest("GET", f.server.url(u"/v1/attachments/%1/content"_s.arg(id)), f.rep1);
    QCOMPARE(body.body, bytes);
}

void TstAttachments::offsetMismatchIsConflict()
{
    const QByteArray bytes = paddedPng(3000, 51);
    const QString id = newUuid();
    QCOMPARE(f.announce(f.announceBody(id, bytes, f.rep1Accounts[0]), f.rep1).status, 201);
    QCOMPARE(f.putChunk(id, 0, bytes.left(1000), f.rep1).status, 200);
    const RawReply ahead = f.putChunk(id, 1500, bytes.mid(1500, 500), f.rep1);
    QCOMPARE(ahead.status, 409);
    QCOMPARE(ahead.errorCode(), u"upload.offset_mismatch"_s);
    const RawReply overlap = f.putChunk(id, 800, bytes.mid(800, 500), f.rep1); // past what is held
    QCOMPARE(overlap.status, 409);
    QCOMPARE(f.received(id, f.rep1), 1000);
    QCOMPARE(f.stagedSize(id), 1000);
}

void TstAttachments::sameBytesAreStoredOnce()
{
    const QByteArray bytes = encodedImage("JPEG", 61, 320, 240);
    const QString first = newUuid();
    QCOMPARE(f.announce(f.announceBody(first, bytes, f.rep1Accounts[0], u"image/jpeg"_s), f.rep1).status, 201);
    QCOMPARE(f.uploadFrom(first, bytes, 0, f.rep1).json.value(u"state"_s).toString(), u"complete"_s);
    const int filesBefore = f.blobFileCount();

    // Another attachment (another account, another rep's session) with the same bytes.
    const QString second = newUuid();
    const HttpReply a = f.announce(f.announceBody(second, bytes, f.rep1Accounts[1], u"image/jpeg"_s), f.manager);
    QCOMPARE(a.status, 201);
    QCOMPARE(a.json.value(u"state"_s).toString(), u"complete"_s);
    QCOMPARE(a.json.value(u"received"_s).toInteger(), bytes.size());
    QCOMPARE(f.blobFileCount(), filesBefore);
    QCOMPARE(f.blobRows(sha256Hex(bytes)), 1);
    QCOMPARE(f.stagedSize(second), -1);
    const RawReply body = sync::rawRequest("GET", f.server.url(u"/v1/attachments/%1/content"_s.arg(second)), f.rep1);
    QCOMPARE(body.status, 200);
    QCOMPARE(body.body, bytes);
}

void TstAttachments::announceIsIdempotent()
{
    const QByteArray bytes = paddedPng(5000, 71);
    const QString id = newUuid();
    const QJsonObject body = f.announceBody(id, bytes, f.rep1Accounts[0]);
    const HttpReply first = f.announce(body, f.rep1);
    const HttpReply second = f.announce(body, f.rep1);
    QCOMPARE(first.status, 201);
    QCOMPARE(second.status, 200);
    QCOMPARE(second.json, first.json);
    QCOMPARE(f.attachmentRows(id), 1);
}

void TstAttachments::idAnnouncedWithOtherContentConflicts()
{
    const QByteArray bytes = paddedPng(5000, 81);
    const QString id = newUuid();
    QCOMPARE(f.announce(f.announceBody(id, bytes, f.rep1Accounts[0]), f.rep1).status, 201);
    const HttpReply other = f.announce(f.announceBody(id, paddedPng(5000, 82), f.rep1Accounts[0]), f.rep1);
    QCOMPARE(other.status, 409);
    QCOMPARE(other.errorCode(), u"attachment.id_conflict"_s);
    QCOMPARE(f.count(u"SELECT COUNT(*) FROM attachments WHERE id = '%1' AND sha256 = '%2'"_s.arg(id, sha256Hex(bytes))),
             1);
}

void TstAttachments::orderOfAnotherAccountIsRefused()
{
    // An order stored for rep1's first account; a photo claiming it for the second account.
    const QString orderId = newUuid();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"tst_attachments_order"_s);
        db.setDatabaseName(f.server.dbPath());
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.prepare(u"INSERT INTO orders (tenant_id, id, order_number, account_id, rep_user_id, command_id, "
                          "status, currency, received_at, outcome_json, seq) SELECT t.id, ?, 'SO-990001', ?, u.id, ?, "
                          "'accepted', 'GBP', '2026-11-23T10:00:00.000Z', '{}', 0 FROM tenants t JOIN users u ON "
                          "u.tenant_id = t.id WHERE t.code = 'demo' AND u.username = 'rep1'"_s));
        q.addBindValue(orderId);
        q.addBindValue(f.rep1Accounts[0]);
        q.addBindValue(newUuid());
        QVERIFY(q.exec());
        db.close();
    }
    QSqlDatabase::removeDatabase(u"tst_attachments_order"_s);
    const QByteArray bytes = paddedPng(4000, 91);
    QJsonObject body = f.announceBody(newUuid(), bytes, f.rep1Accounts[1]);
    body.insert(u"ownerType"_s, u"order"_s);
    body.insert(u"ownerId"_s, orderId);
    const HttpReply r = f.announce(body, f.rep1);
    QCOMPARE(r.status, 422);
    QCOMPARE(r.errorCode(), u"attachment.owner_mismatch"_s);
    body.insert(u"accountId"_s, f.rep1Accounts[0]);
    QCOMPARE(f.announce(body, f.rep1).status, 201);
}

void TstAttachments::serverKilledBetweenChunksContinues()
{
    const QByteArray bytes = paddedPng(3 * 512 * 1024 + 77, 101);
    const QString id = newUuid();
    const qint64 chunk = 512 * 1024;
    QCOMPARE(f.announce(f.announceBody(id, bytes, f.rep1Accounts[0]), f.rep1).status, 201);
    QCOMPARE(f.putChunk(id, 0, bytes.left(chunk), f.rep1).status, 200);

    f.server.kill(); // SIGKILL between chunks
    // As if it died after writing the next chunk's bytes but before recording them.
    {
        QFile staged(f.stagingPath(id));
        QVERIFY(staged.open(QIODevice::Append));
        QVERIFY(staged.write(bytes.mid(chunk, 1000)) == 1000);
    }
    QVERIFY(f.server.start());
    QCOMPARE(f.received(id, f.rep1), chunk);
    QCOMPARE(f.putChunk(id, chunk, bytes.mid(chunk, chunk), f.rep1).json.value(u"received"_s).toInteger(), 2 * chunk);
    QCOMPARE(f.stagedSize(id), 2 * chunk);

    f.server.kill();
    QVERIFY(f.server.start());
    const qint64 from = f.received(id, f.rep1);
    QCOMPARE(from, 2 * chunk);
    const RawReply last = f.uploadFrom(id, bytes, from, f.rep1);
    QCOMPARE(last.json.value(u"state"_s).toString(), u"complete"_s);
    const RawReply body = sync::rawRequest("GET", f.server.url(u"/v1/attachments/%1/content"_s.arg(id)), f.rep1);
    QCOMPARE(sha256Hex(body.body), sha256Hex(bytes));
}

void TstAttachments::otherRepsAccountIsForbidden()
{
    const QByteArray bytes = paddedPng(4000, 111);
    const HttpReply r = f.announce(f.announceBody(newUuid(), bytes, f.rep2Accounts[0]), f.rep1);
    QCOMPARE(r.status, 403);
    QCOMPARE(r.errorCode(), u"attachment.account_forbidden"_s);

    // rep1's attachment: invisible to rep2, visible to the manager.
    const QString id = newUuid();
    QCOMPARE(f.announce(f.announceBody(id, bytes, f.rep1Accounts[0]), f.rep1).status, 201);
    QCOMPARE(f.get(u"/v1/attachments/"_s + id, f.rep2).errorCode(), u"attachment.not_found"_s);
    QCOMPARE(f.get(u"/v1/attachments/%1/content"_s.arg(id), f.rep2).status, 404);
    QCOMPARE(f.putChunk(id, 0, bytes.left(100), f.rep2).status, 404);
    QCOMPARE(f.stagedSize(id), -1);
    QCOMPARE(f.get(u"/v1/attachments/"_s + id, f.manager).status, 200);
    const HttpReply list = f.get(u"/v1/attachments?accountId=%1"_s.arg(f.rep1Accounts[0]), f.rep2);
    QCOMPARE(list.status, 200);
    QVERIFY(list.json.value(u"attachments"_s).toArray().isEmpty());
}

void TstAttachments::kioskAndAdminMayNotUseAttachments()
{
    const QByteArray bytes = paddedPng(4000, 121);
    for (const QByteArray &token : {f.kiosk, f.admin}) {
        const HttpReply r = f.announce(f.announceBody(newUuid(), bytes, f.rep1Accounts[0]), token);
        QCOMPARE(r.status, 403);
        QCOMPARE(r.errorCode(), u"auth.forbidden_role"_s);
        QCOMPARE(f.get(u"/v1/attachments?accountId=%1"_s.arg(f.rep1Accounts[0]), token).errorCode(),
                 u"auth.forbidden_role"_s);
    }
    QCOMPARE(f.get(u"/v1/attachments?accountId=1"_s, {}).status, 401);
}

void TstAttachments::otherTenantSeesNothing()
{
    const QByteArray bytes = paddedPng(6000, 131);
    const QString id = newUuid();
    QCOMPARE(f.announce(f.announceBody(id, bytes, f.rep1Accounts[0]), f.rep1).status, 201);
    QCOMPARE(f.uploadFrom(id, bytes, 0, f.rep1).status, 200);
    QCOMPARE(f.get(u"/v1/attachments/"_s + id, f.acmeRep).status, 404);
    QCOMPARE(f.get(u"/v1/attachments/%1/content"_s.arg(id), f.acmeRep).status, 404);
    // A demo account id is not an acme account.
    QCOMPARE(f.announce(f.announceBody(newUuid(), bytes, f.rep1Accounts[0]), f.acmeRep).status, 403);
    // The same bytes in the other tenant: no dedup across tenants (nothing learned), bytes needed.
    const QString theirs = newUuid();
    const HttpReply a = f.announce(f.announceBody(theirs, bytes, f.acmeAccounts[0]), f.acmeRep);
    QCOMPARE(a.status, 201);
    QCOMPARE(a.json.value(u"state"_s).toString(), u"receiving"_s);
    // The same id in the other tenant is another attachment.
    QCOMPARE(f.announce(f.announceBody(id, bytes, f.acmeAccounts[0]), f.acmeRep).status, 201);
    QCOMPARE(f.uploadFrom(theirs, bytes, 0, f.acmeRep).json.value(u"state"_s).toString(), u"complete"_s);
    QCOMPARE(f.blobRows(sha256Hex(bytes)), 2);
    QCOMPARE(f.get(u"/v1/attachments/"_s + id, f.rep1).json.value(u"accountId"_s).toInteger(), f.rep1Accounts[0]);
}

void TstAttachments::hundredMegabyteAttachmentRoundTrips()
{
    const qint64 size = 100 * 1024 * 1024;
    const QByteArray bytes = paddedPng(size, 20261123);
    const QString id = newUuid();
    QCOMPARE(f.announce(f.announceBody(id, bytes, f.rep1Accounts[0]), f.rep1).status, 201);
    const RawReply last = f.uploadFrom(id, bytes, 0, f.rep1, 512 * 1024);
    QCOMPARE(last.status, 200);
    QCOMPARE(last.json.value(u"state"_s).toString(), u"complete"_s);
    const RawReply body = sync::rawRequest("GET", f.server.url(u"/v1/attachments/%1/content"_s.arg(id)), f.rep1);
    QCOMPARE(body.status, 200);
    QCOMPARE(body.body.size(), size);
    QCOMPARE(sha256Hex(body.body), sha256Hex(bytes));
}

void TstAttachments::listByOwnerAndAccount()
{
    const QString orderId = newUuid();
    const qint64 account = f.rep1Accounts[1];
    QStringList ids;
    for (int i = 0; i < 3; ++i) {
        const QString id = newUuid();
        QJsonObject body = f.announceBody(id, paddedPng(2000 + i, 141 + i), account);
        if (i < 2) {
            body.insert(u"ownerType"_s, u"order"_s);
            body.insert(u"ownerId"_s, orderId);
        }
        QCOMPARE(f.announce(body, f.rep1).status, 201);
        ids << id;
    }
    const HttpReply byOrder = f.get(u"/v1/attachments?ownerType=order&ownerId="_s + orderId, f.rep1);
    QCOMPARE(byOrder.status, 200);
    const QJsonArray listed = byOrder.json.value(u"attachments"_s).toArray();
    QCOMPARE(listed.size(), 2);
    QCOMPARE(listed.at(0).toObject().value(u"id"_s).toString(), ids[0]); // oldest first
    QCOMPARE(listed.at(1).toObject().value(u"id"_s).toString(), ids[1]);
    QCOMPARE(listed.at(0).toObject().value(u"state"_s).toString(), u"receiving"_s);

    const HttpReply byAccount = f.get(u"/v1/attachments?accountId=%1"_s.arg(account), f.manager);
    QSet<QString> seen;
    for (const QJsonValue &v : byAccount.json.value(u"attachments"_s).toArray())
        seen.insert(v.toObject().value(u"id"_s).toString());
    for (const QString &id : ids)
        QVERIFY(seen.contains(id));
    QCOMPARE(f.get(u"/v1/attachments?ownerType=order&ownerId="_s + orderId, f.rep2)
                 .json.value(u"attachments"_s)
                 .toArray()
                 .size(),
             0);

    // Pages of one: each names the next, together they are the whole list in the same order.
    QStringList whole;
    for (const QJsonValue &v : byAccount.json.value(u"attachments"_s).toArray())
        whole << v.toObject().value(u"id"_s).toString();
    QVERIFY(!byAccount.json.contains(u"next"_s));
    QStringList paged;
    QString after;
    for (int n = 0; n <= whole.size(); ++n) {
        QString path = u"/v1/attachments?accountId=%1&limit=1"_s.arg(account);
        if (!after.isEmpty())
            path += u"&after="_s + after;
        const HttpReply page = f.get(path, f.manager);
        QCOMPARE(page.status, 200);
        for (const QJsonValue &v : page.json.value(u"attachments"_s).toArray())
            paged << v.toObject().value(u"id"_s).toString();
        after = page.json.value(u"next"_s).toString();
        if (after.isEmpty())
            break;
    }
    QCOMPARE(paged, whole);
    const HttpReply unknownCursor =
        f.get(u"/v1/attachments?accountId=%1&after=%2"_s.arg(account).arg(newUuid()), f.manager);
    QCOMPARE(unknownCursor.status, 400);
    QCOMPARE(unknownCursor.errorCode(), u"request.bad_parameter"_s);
}

void TstAttachments::listNeedsOwnerOrAccount_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("code");
    QTest::newRow("nothing") << u""_s << u"request.missing_parameter"_s;
    QTest::newRow("both") << u"?ownerType=account&ownerId=1&accountId=1"_s << u"request.missing_parameter"_s;
    QTest::newRow("badOwnerType") << u"?ownerType=visit&ownerId=1"_s << u"request.bad_parameter"_s;
    QTest::newRow("ownerIdMissing") << u"?ownerType=order"_s << u"request.bad_parameter"_s;
    QTest::newRow("badAccountId") << u"?accountId=x"_s << u"request.bad_parameter"_s;
    QTest::newRow("unknownParameter") << u"?accountId=1&sort=new"_s << u"request.unknown_parameter"_s;
}

void TstAttachments::listNeedsOwnerOrAccount()
{
    QFETCH(QString, query);
    QFETCH(QString, code);
    const HttpReply r = f.get(u"/v1/attachments"_s + query, f.rep1);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.errorCode(), code);
}

void TstAttachments::blobDirAndSizeLimitFlags()
{
    TestServer other;
    QVERIFY(other.seed());
    const QString blobDir = other.dir() + u"/elsewhere/blobs"_s;
    QVERIFY(other.start({u"--blob-dir"_s, blobDir, u"--max-attachment-mb"_s, u"1"_s}));
    const QByteArray rep = other.login(u"demo"_s, u"rep1"_s);
    const QByteArray big = paddedPng(1024 * 1024 + 1, 151);
    const HttpReply refused = other.post(u"/v1/attachments"_s, f.announceBody(newUuid(), big, f.rep1Accounts[0]), rep);
    QCOMPARE(refused.status, 413);
    QCOMPARE(refused.errorCode(), u"attachment.too_large"_s);

    const QByteArray small = paddedPng(1024 * 1024, 152);
    const QString id = newUuid();
    QCOMPARE(other.post(u"/v1/attachments"_s, f.announceBody(id, small, f.rep1Accounts[0]), rep).status, 201);
    const QString path = u"/v1/attachments/%1/content?offset=0"_s.arg(id);
    const RawReply done = sync::rawRequest(
        "PUT", other.url(path), rep,
        {{"Content-Type", "application/octet-stream"}, {"X-Chunk-SHA256", sha256Hex(small).toLatin1()}}, small);
    QCOMPARE(done.json.value(u"state"_s).toString(), u"complete"_s);
    const QString sha = sha256Hex(small);
    QVERIFY(QFileInfo(blobDir + u'/' + sha.left(2) + u'/' + sha.mid(2, 2) + u'/' + sha).isFile());
    QVERIFY(!QFileInfo::exists(other.dbPath() + u".blobs"_s));
    other.stop();
}

void TstAttachments::olderDatabasesMigrateToLatest_data()
{
    QTest::addColumn<int>("version");
    QTest::newRow("fromVersion1") << 1;
    QTest::newRow("fromVersion2") << 2;
    QTest::newRow("fromVersion3") << 3;
}

void TstAttachments::olderDatabasesMigrateToLatest()
{
    QFETCH(int, version);
    TestServer old;
    QVERIFY(old.seed());
    // A device signed in and refreshed once before the upgrade.
    QVERIFY(old.start());
    const HttpReply signIn = old.signIn(u"demo"_s, u"rep1"_s, u"dev-upgrade"_s);
    QCOMPARE(signIn.status, 200);
    const QString refresh1 = signIn.json.value(u"refreshToken"_s).toString();
    const HttpReply rotated = old.post(u"/v1/auth/refresh"_s, {{u"refreshToken"_s, refresh1}});
    QCOMPARE(rotated.status, 200);
    old.stop();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"tst_attachments_old"_s);
        db.setDatabaseName(old.dbPath());
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(u"DROP INDEX sessions_rotated_from"_s));
        QVERIFY(q.exec(u"ALTER TABLE sessions DROP COLUMN rotated_from"_s));
        QVERIFY(q.exec(u"ALTER TABLE sessions DROP COLUMN used_at"_s));
        QStringList drops;
        if (version < 3)
            drops << u"uploads"_s << u"blobs"_s << u"attachments"_s;
        if (version < 2)
            drops << u"leads"_s;
        for (const QString &table : std::as_const(drops))
            QVERIFY(q.exec(u"DROP TABLE "_s + table));
        QVERIFY(q.exec(u"UPDATE schema_meta SET value = '%1' WHERE key = 'version'"_s.arg(version)));
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(u"tst_attachments_old"_s);
    QVERIFY(old.start());
    QCOMPARE(peek(old.dbPath(), u"SELECT value FROM schema_meta WHERE key = 'version'"_s), 4);
    for (const QString &table : {u"attachments"_s, u"blobs"_s, u"uploads"_s, u"leads"_s})
        QCOMPARE(peek(old.dbPath(), u"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '%1'"_s.arg(table)),
                 1);
    QCOMPARE(peek(old.dbPath(), u"SELECT COUNT(*) FROM sqlite_master WHERE name = 'attachments_owner'"_s), 1);
    QCOMPARE(peek(old.dbPath(), u"SELECT COUNT(*) FROM sqlite_master WHERE name = 'sessions_rotated_from'"_s), 1);
    // The rotation made before the upgrade is linked: its successor refreshes, and the first
    // token after that is reuse.
    QCOMPARE(peek(old.dbPath(), u"SELECT COUNT(*) FROM sessions WHERE rotated_from IS NOT NULL"_s), 1);
    QCOMPARE(peek(old.dbPath(), u"SELECT COUNT(*) FROM sessions WHERE used_at IS NULL"_s), 0); // old ones count as used
    const HttpReply next = old.post(u"/v1/auth/refresh"_s, {{u"refreshToken"_s, rotated.json.value(u"refreshToken"_s)}});
    QCOMPARE(next.status, 200);
    const HttpReply reused = old.post(u"/v1/auth/refresh"_s, {{u"refreshToken"_s, refresh1}});
    QCOMPARE(reused.errorCode(), u"auth.refresh_reused"_s);

    const QByteArray rep = old.login(u"demo"_s, u"rep1"_s);
    const HttpReply list = old.get(u"/v1/attachments?accountId=1"_s, rep);
    QCOMPARE(list.status, 200);
    old.stop();
}

QTEST_GUILESS_MAIN(TstAttachments)
#include "tst_attachments.moc"
