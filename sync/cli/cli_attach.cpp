// attach, uploads: attachments from the command line (the bytes as they are: no re-encoding).
#include "sync/cli/cli.h"

#include "domain/content_hash.h"
#include "storage/attachment_repository.h"
#include "storage/blob_store.h"
#include "storage/database.h"
#include "storage/order_repository.h"
#include "sync/session.h"
#include "sync/sync_engine.h"
#include "sync/uploads.h"

#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtEndian>
#include <QUuid>

using namespace Qt::Literals::StringLiterals;

namespace outpost::sync::cli {

namespace {

struct Sniffed
{
    QString mime;
    qint32 width = 0;
    qint32 height = 0;
};

// The mime from the magic bytes (JPEG or PNG only); PNG dimensions from its IHDR chunk.
std::optional<Sniffed> sniffImage(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QByteArray head = f.read(32);
    if (head.startsWith("\xFF\xD8\xFF"))
        return Sniffed{u"image/jpeg"_s, 0, 0};
    if (head.startsWith("\x89PNG\r\n\x1A\n") && head.size() >= 24 && head.mid(12, 4) == "IHDR") {
        const auto *p = reinterpret_cast<const uchar *>(head.constData());
        return Sniffed{u"image/png"_s, qint32(qFromBigEndian<quint32>(p + 16)), qint32(qFromBigEndian<quint32>(p + 20))};
    }
    return std::nullopt;
}

// The order as signed, from the replica: the server's prices once decided, else the rep's quote.
domain::SignedOrder signedOrderFrom(const storage::OrderRow &o)
{
    domain::SignedOrder s;
    s.orderId = o.id;
    s.accountId = o.accountId;
    s.currency = o.currency;
    s.orderDiscountBp = o.orderDiscountBp;
    for (const storage::OrderLineRow &l : o.lines)
        s.lines.append(domain::SignedLine{l.lineNo, l.sku, l.quantity, l.discountBp,
                                          l.unitPriceMinor.value_or(l.quotedUnitPriceMinor.value_or(0)),
                                          l.netMinor.value_or(0)});
    s.grossMinor = o.grossMinor;
    s.discountMinor = o.discountMinor;
    s.taxMinor = o.taxMinor;
    s.totalMinor = o.totalMinor;
    return s;
}

} // namespace

int runAttach(const Global &g, const QStringList &args)
{
    QCommandLineParser p;
    p.addOptions({{u"order"_s, u"Attach to this order (UUID)."_s, u"ID"_s},
                  {u"account"_s, u"Attach to this account (id)."_s, u"ID"_s},
                  {u"file"_s, u"The image file (JPEG or PNG), stored as it is."_s, u"PATH"_s},
                  {u"kind"_s, u"photo (default) or signature."_s, u"KIND"_s, u"photo"_s},
                  {u"caption"_s, u"A caption (at most 500 characters)."_s, u"T"_s},
                  {u"signer"_s, u"Signature: who signed."_s, u"NAME"_s},
                  {u"role"_s, u"Signature: the signer's role."_s, u"ROLE"_s},
                  {u"strokes"_s, u"Signature: a JSON file [[[x,y,tMs,pressure],...],...]."_s, u"FILE"_s}});
    if (auto code = parseOrExit(p, args,
                                u"Stores an image beside the replica and queues it for upload (see `uploads`)."_s))
        return *code;
    if (p.isSet(u"order"_s) == p.isSet(u"account"_s) || !p.isSet(u"file"_s)) {
        printErr(u"error: give --file and one of --order or --account"_s);
        return kUsage;
    }
    const QString kind = p.value(u"kind"_s);
    if (kind != u"photo"_s && kind != u"signature"_s) {
        printErr(u"error: --kind is photo or signature"_s);
        return kUsage;
    }
    const QString file = p.value(u"file"_s);
    if (!QFileInfo(file).isFile())
        return fail(Error::make(ErrorKind::NotFound, u"photo.unreadable"_s, u"The file could not be read."_s));
    const auto image = sniffImage(file);
    if (!image)
        return fail(Error::invalid(u"photo.not_an_image"_s, u"Only JPEG and PNG images can be attached."_s,
                                   u"file"_s));
    auto db = openReplica(g.replica);
    if (!db)
        return fail(db.error());
    const Clock clock{g.clockOffset};
    storage::AttachmentRow row;
    row.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    row.kind = kind;
    row.mime = image->mime;
    row.width = image->width;
    row.height = image->height;
    row.fileName = QFileInfo(file).fileName();
    row.caption = p.value(u"caption"_s);
    row.deviceCreatedAt = clock.now();
    std::optional<storage::OrderRow> order;
    if (p.isSet(u"order"_s)) {
        auto o = storage::OrderRepository(**db).order(p.value(u"order"_s));
        if (!o)
            return fail(o.error());
        order = *o;
        row.ownerType = u"order"_s;
        row.ownerId = o->id;
        row.accountId = o->accountId;
    } else {
        bool ok = false;
        row.accountId = p.value(u"account"_s).toLongLong(&ok);
        if (!ok) {
            printErr(u"error: --account takes the account id"_s);
            return kUsage;
        }
        row.ownerType = u"account"_s;
        row.ownerId = QString::number(row.accountId);
    }
    if (kind == u"signature"_s) {
        row.signerName = p.value(u"signer"_s);
        row.signerRole = p.value(u"role"_s);
        QFile strokesFile(p.value(u"strokes"_s));
        if (!p.isSet(u"strokes"_s) || !strokesFile.open(QIODevice::ReadOnly)) {
            printErr(u"error: a signature needs --signer and --strokes FILE"_s);
            return kUsage;
        }
        auto strokes = storage::strokesFromJson(strokesFile.readAll());
        if (!strokes)
            return fail(strokes.error());
        row.strokes = *strokes;
        if (order)
            row.orderContentHash = domain::orderContentHash(signedOrderFrom(*order));
    }
    storage::BlobStore blobs(storage::BlobStore::blobDirFor(g.replica));
    auto stored = blobs.putFile(file);
    if (!stored)
        return fail(stored.error());
    row.sha256 = stored->sha256;
    row.size = stored->size;
    storage::AttachmentRepository repo(**db);
    if (Status s = repo.add(row, 0, clock.now()); !s) {
        if (!stored->existed)
            (void)blobs.remove(stored->sha256); // nothing half-stored
        return fail(s.error());
    }
    printOut(QJsonDocument(QJsonObject{{u"id"_s, row.id},
                                       {u"sha256"_s, row.sha256},
                                       {u"size"_s, row.size},
                                       {u"mime"_s, row.mime},
                                       {u"alreadyStored"_s, stored->existed}})
                 .toJson(QJsonDocument::Compact)
             + '\n');
    return kOk;
}

int runUploads(const Global &g, const QStringList &args)
{
    QCommandLineParser p;
    p.addOptions({{u"max-seconds"_s, u"Keep retrying transient failures for up to N seconds (default 0: one pass)."_s,
                   u"N"_s},
                  {u"chunk-kib"_s, u"Chunk size in KiB (default 512)."_s, u"N"_s}});
    if (auto code = parseOrExit(p, args,
                                u"Sends every waiting attachment now (backoff or not). Prints one line per "
                                "attachment and a JSON summary. Exit 0 when nothing is left, 3 when some wait for "
                                "the server, 1 on other errors."_s))
        return *code;
    UploadOptions options;
    options.sendAll = true; // the user asked
    if (p.isSet(u"max-seconds"_s)) {
        bool ok = false;
        options.maxDuration = std::chrono::seconds(p.value(u"max-seconds"_s).toLongLong(&ok));
        if (!ok || options.maxDuration.count() < 0) {
            printErr(u"error: --max-seconds takes a whole number >= 0"_s);
            return kUsage;
        }
    }
    if (p.isSet(u"chunk-kib"_s)) {
        bool ok = false;
        options.chunkSize = p.value(u"chunk-kib"_s).toLongLong(&ok) * 1024;
        if (!ok || options.chunkSize < 1024 || options.chunkSize > 4096 * 1024) {
            printErr(u"error: --chunk-kib takes 1..4096"_s);
            return kUsage;
        }
    }
    if (g.verbose) {
        options.onProgress = [](const QString &id, qint64 received, qint64 size) {
            printErr(u"[%1%] %2"_s.arg(size > 0 ? received * 100 / size : 0).arg(id));
        };
    }
    auto db = openReplica(g.replica);
    if (!db)
        return fail(db.error());
    ApiSession api(**db);
    SyncContext ctx{**db, api, g.replica, Clock{g.clockOffset}, {}, {}};
    storage::BlobStore blobs(storage::BlobStore::blobDirFor(g.replica));
    auto report = sync::runUploads(ctx, blobs, options);
    if (!report)
        return fail(report.error());
    // One line per local attachment: id, state, bytes the server confirmed, error code.
    auto all = (*db)->prepare("SELECT id FROM attachments WHERE origin = 'local' ORDER BY device_created_at, id");
    if (!all)
        return fail(all.error());
    storage::AttachmentRepository repo(**db);
    QByteArray lines;
    for (;;) {
        auto more = all->step();
        if (!more)
            return fail(more.error());
        if (!*more)
            break;
        auto row = repo.get(all->text(0));
        if (!row)
            return fail(row.error());
        lines += row->id.toUtf8() + ' ' + row->state.toUtf8() + ' ' + QByteArray::number(row->uploadedBytes) + '/'
                 + QByteArray::number(row->size) + (row->errorCode.isEmpty() ? QByteArray() : ' ' + row->errorCode.toUtf8())
                 + '\n';
    }
    const QJsonObject summary{{u"delivered"_s, report->delivered},   {u"deduplicated"_s, report->deduplicated},
                              {u"failed"_s, report->failed},         {u"remaining"_s, report->remaining},
                              {u"bytesSent"_s, report->bytesSent},   {u"bytesResent"_s, report->bytesResent},
                              {u"chunks"_s, report->chunks},         {u"retries"_s, report->retries}};
    printOut(lines + QJsonDocument(summary).toJson(QJsonDocument::Compact) + '\n');
    return report->remaining > 0 ? kTransient : kOk;
}

} // namespace outpost::sync::cli
