// Commands that work on the replica alone: order create, orders, conflicts, resolve, edit,
// export-pending, import-pending. Every write goes through the storage repositories, in one
// transaction with its outbox row.
#include "sync/cli/cli.h"

#include "domain/pricing.h"
#include "storage/account_repository.h"
#include "storage/catalog_repository.h"
#include "storage/conflict_repository.h"
#include "storage/database.h"
#include "storage/order_repository.h"
#include "storage/outbox_repository.h"
#include "storage/pricing_repository.h"
#include "storage/record_edit_repository.h"
#include "sync/local_ops.h"
#include "sync/sync_engine.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QUuid>

using namespace Qt::Literals::StringLiterals;

namespace outpost::sync::cli {

namespace {

Result<qint64> accountByCode(storage::Database &db, const QString &code)
{
    auto found = storage::AccountRepository(db).search(code, 50);
    if (!found)
        return found.error();
    for (const storage::AccountRow &a : std::as_const(*found)) {
        if (a.code.compare(code, Qt::CaseInsensitive) == 0)
            return a.id;
    }
    return Error::make(ErrorKind::NotFound, u"account.not_found"_s, u"No account with this code on the device."_s,
                       u"account"_s);
}

QString entityTable(const QString &word)
{
    if (word == u"contact"_s || word == u"contacts"_s)
        return u"contacts"_s;
    if (word == u"account"_s || word == u"accounts"_s)
        return u"accounts"_s;
    if (word == u"address"_s || word == u"addresses"_s)
        return u"addresses"_s;
    return {};
}

QJsonObject orderJson(const storage::OrderRow &o)
{
    return QJsonObject{{u"id"_s, o.id},
                       {u"accountId"_s, o.accountId},
                       {u"status"_s, o.status},
                       {u"orderNumber"_s, o.orderNumber},
                       {u"holdReasons"_s, QJsonArray::fromStringList(o.holdReasons)},
                       {u"currency"_s, o.currency},
                       {u"totalMinor"_s, o.totalMinor},
                       {u"createdAt"_s, o.createdAt.toString(Qt::ISODateWithMs)},
                       {u"errorCode"_s, o.errorCode},
                       {u"seq"_s, o.seq ? QJsonValue(*o.seq) : QJsonValue(QJsonValue::Null)}};
}

QJsonObject conflictJson(const storage::ConflictRow &c)
{
    return QJsonObject{{u"id"_s, c.id},         {u"entity"_s, c.entity}, {u"entityId"_s, c.entityId},
                       {u"field"_s, c.field},   {u"base"_s, c.base},     {u"mine"_s, c.mine},
                       {u"theirs"_s, c.theirs}, {u"createdAt"_s, c.createdAt.toString(Qt::ISODateWithMs)}};
}

} // namespace

int runOrderCreate(const Global &g, const QStringList &args)
{
    QCommandLineParser p;
    p.addOptions({{u"account"_s, u"Account code."_s, u"CODE"_s},
                  {u"line"_s, u"A line: SKU:QTY (repeat for more lines)."_s, u"SKU:QTY"_s},
                  {u"note"_s, u"A note for the order."_s, u"T"_s}});
    if (auto code = parseOrExit(p, args, u"Creates an order priced on the device and queues it; prints its id."_s))
        return *code;
    if (!p.isSet(u"account"_s) || p.values(u"line"_s).isEmpty()) {
        printErr(u"error: --account and at least one --line are required"_s);
        return kUsage;
    }
    struct Line
    {
        QString sku;
        qint64 quantity = 0;
        qint64 productId = 0;
    };
    QList<Line> lines;
    for (const QString &l : p.values(u"line"_s)) {
        const qsizetype colon = l.lastIndexOf(u':');
        bool ok = false;
        const qint64 qty = colon > 0 ? l.mid(colon + 1).toLongLong(&ok) : 0;
        if (!ok || qty <= 0) {
            printErr(u"error: a line is SKU:QTY with a quantity >= 1 (got `%1`)"_s.arg(l));
            return kUsage;
        }
        lines.append(Line{l.left(colon), qty, 0});
    }
    auto db = openReplica(g.replica);
    if (!db)
        return fail(db.error());
    storage::Database &d = **db;
    const QDateTime now = Clock{g.clockOffset}.now();
    auto accountId = accountByCode(d, p.value(u"account"_s));
    if (!accountId)
        return fail(accountId.error());
    QList<qint64> productIds;
    OrderInput input;
    input.accountId = *accountId;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        auto product = storage::CatalogRepository(d).productBySku(lines[i].sku);
        if (!product)
            return fail(Error::make(ErrorKind::NotFound, u"product.unknown"_s,
                                    u"No product with SKU %1 on the device."_s.arg(lines[i].sku), u"line"_s));
        lines[i].productId = product->id;
        productIds << product->id;
        input.lines.push_back(OrderLineInput{int(i + 1), product->id, lines[i].quantity, 0});
    }
    auto pricing = storage::PricingRepository(d).loadPricingContext(*accountId, productIds, now, 0, 0);
    if (!pricing)
        return fail(pricing.error());
    const PricedOrder priced = priceOrder(*pricing, input);
    QHash<qint64, qint64> quoted;
    for (const PricedLine &l : priced.lines)
        quoted.insert(l.productId, l.unitPriceMinor);

    // Draft, lines and submit in one transaction: a crash leaves no half-made order.
    auto tx = storage::Transaction::begin(d);
    if (!tx)
        return fail(tx.error());
    storage::OrderRepository orders(d);
    auto id = orders.createDraft(*accountId, 0, pricing->currency, now);
    if (!id)
        return fail(id.error());
    for (const Line &l : std::as_const(lines)) {
        std::optional<qint64> price;
        if (quoted.contains(l.productId))
            price = quoted.value(l.productId);
        if (auto r = orders.addLine(*id, l.productId, l.quantity, 0, price, now); !r)
            return fail(r.error());
    }
    if (p.isSet(u"note"_s)) {
        storage::OrderHeaderEdit edit;
        edit.note = p.value(u"note"_s);
        if (Status s = orders.updateHeader(*id, edit, now); !s)
            return fail(s.error());
    }
    auto item = orders.submit(*id, now);
    if (!item)
        return fail(item.error());
    if (Status s = tx->commit(); !s)
        return fail(s.error());
    printOut(id->toUtf8() + '\n');
    printErr(u"queued: %1 lines, local total %2 %3 (the server decides)"_s.arg(lines.size())
                 .arg(priced.totals.totalMinor)
                 .arg(priced.currency));
    return kOk;
}

int runOrders(const Global &g, const QStringList &args)
{
    QCommandLineParser p;
    p.addOptions({{u"json"_s, u"Print JSON."_s}});
    if (auto code = parseOrExit(p, args, u"Orders on the device with their status and the server's outcome."_s))
        return *code;
    auto db = openReplica(g.replica);
    if (!db)
        return fail(db.error());
    auto rows = storage::OrderRepository(**db).recent(10000);
    if (!rows)
        return fail(rows.error());
    QJsonArray out;
    QByteArray text;
    for (const storage::OrderRow &o : std::as_const(*rows)) {
        out.append(orderJson(o));
        text += o.id.toUtf8() + "  " + o.status.toUtf8().leftJustified(9) + " " + o.orderNumber.toUtf8().leftJustified(12) +
                " " + QByteArray::number(o.totalMinor) + " " + o.currency.toUtf8() +
                (o.errorCode.isEmpty() ? QByteArray() : " " + o.errorCode.toUtf8()) + "\n";
    }
    printOut(p.isSet(u"json"_s) ? QJsonDocument(out).toJson(QJsonDocument::Compact) + '\n' : text);
    return kOk;
}

int runConflicts(const Global &g, const QStringList &args)
{
    QCommandLineParser p;
    p.addOptions({{u"json"_s, u"Print JSON."_s}});
    if (auto code = parseOrExit(p, args, u"Open conflicts: base, mine and theirs per field."_s))
        return *code;
    auto db = openReplica(g.replica);
    if (!db)
        return fail(db.error());
    auto rows = storage::ConflictRepository(**db).openConflicts();
    if (!rows)
        return fail(rows.error());
    QJsonArray out;
    QByteArray text;
    for (const storage::ConflictRow &c : std::as_const(*rows)) {
        out.append(conflictJson(c));
        text += QByteArray::number(c.id) + "  " + c.entity.toUtf8() + " " + c.entityId.toUtf8() + " " + c.field.toUtf8() +
                ": base `" + c.base.toUtf8() + "` mine `" + c.mine.toUtf8() + "` theirs `" + c.theirs.toUtf8() + "`\n";
    }
    printOut(p.isSet(u"json"_s) ? QJsonDocument(out).toJson(QJsonDocument::Compact) + '\n' : text);
    return kOk;
}

int runResolve(const Global &g, const QStringList &args)
{
    QCommandLineParser p;
    p.addPositionalArgument(u"ID"_s, u"The conflict id (see `conflicts`)."_s);
    p.addPositionalArgument(u"choice"_s, u"mine (send my value again) or theirs (keep the server's)."_s);
    if (auto code = parseOrExit(p, args, u"Resolves a conflict; keeping mine syncs like any edit."_s))
        return *code;
    const QStringList pos = p.positionalArguments();
    bool ok = false;
    const qint64 id = pos.value(0).toLongLong(&ok);
    if (pos.size() != 2 || !ok || (pos[1] != u"mine"_s && pos[1] != u"theirs"_s)) {
        printErr(u"error: use `resolve ID mine|theirs`"_s);
        return kUsage;
    }
    auto db = openReplica(g.replica);
    if (!db)
        return fail(db.error());
    if (Status s = resolveConflict(**db, id, pos[1], Clock{g.clockOffset}.now()); !s)
        return fail(s.error());
    printOut("resolved " + QByteArray::number(id) + " " + pos[1].toUtf8() + "\n");
    return kOk;
}

int runEdit(const Global &g, const QStringList &args)
{
    QCommandLineParser p;
    p.addPositionalArgument(u"entity"_s, u"contact, account or address."_s);
    p.addPositionalArgument(u"ID"_s, u"The record id."_s);
    p.addPositionalArgument(u"field=value"_s, u"Fields to change (contact: name role phone email; account: notes "
                                              "phone email; address: kind line1 line2 city postcode country)."_s);
    if (auto code = parseOrExit(p, args, u"Edits a record on the device and queues the change for the server."_s))
        return *code;
    const QStringList pos = p.positionalArguments();
    bool ok = false;
    const qint64 id = pos.value(1).toLongLong(&ok);
    const QString entity = entityTable(pos.value(0));
    if (pos.size() < 3 || !ok || entity.isEmpty()) {
        printErr(u"error: use `edit contact|account|address ID field=value ...`"_s);
        return kUsage;
    }
    QJsonObject changes;
    for (const QString &kv : pos.mid(2)) {
        const qsizetype eq = kv.indexOf(u'=');
        if (eq <= 0) {
            printErr(u"error: `%1` is not field=value"_s.arg(kv));
            return kUsage;
        }
        changes.insert(kv.left(eq), kv.mid(eq + 1));
    }
    auto db = openReplica(g.replica);
    if (!db)
        return fail(db.error());
    auto item = storage::RecordEditRepository(**db).edit(entity, id, changes, Clock{g.clockOffset}.now());
    if (!item)
        return fail(item.error());
    printOut(item->commandId.toUtf8() + '\n');
    return kOk;
}

int runExportPending(const Global &g, const QStringList &args)
{
    QCommandLineParser p;
    p.addPositionalArgument(u"FILE"_s, u"Where to write the JSON."_s);
    if (auto code = parseOrExit(p, args, u"Writes every undelivered command (pending and failed) to a JSON file."_s))
        return *code;
    if (p.positionalArguments().size() != 1) {
        printErr(u"error: use `export-pending FILE.json`"_s);
        return kUsage;
    }
    auto db = openReplica(g.replica);
    if (!db)
        return fail(db.error());
    auto exported = exportPendingCommands(**db);
    if (!exported)
        return fail(exported.error());
    QSaveFile file(p.positionalArguments().first());
    if (!file.open(QIODevice::WriteOnly) || file.write(exported->json) < 0 || !file.commit())
        return fail(Error::make(ErrorKind::Internal, u"cli.write_failed"_s, u"The file cannot be written."_s));
    printOut("exported " + QByteArray::number(exported->count) + "\n");
    return kOk;
}

int runImportPending(const Global &g, const QStringList &args)
{
    QCommandLineParser p;
    p.addPositionalArgument(u"FILE"_s, u"A file written by export-pending."_s);
    if (auto code = parseOrExit(p, args,
                                u"Queues the commands of an export-pending file with their command ids (the server "
                                "answers each once); commands already here are skipped."_s))
        return *code;
    if (p.positionalArguments().size() != 1) {
        printErr(u"error: use `import-pending FILE.json`"_s);
        return kUsage;
    }
    QFile file(p.positionalArguments().first());
    if (!file.open(QIODevice::ReadOnly))
        return fail(Error::invalid(u"cli.file_unreadable"_s, u"The file cannot be read."_s));
    const QByteArray json = file.readAll();
    auto db = openReplica(g.replica);
    if (!db)
        return fail(db.error());
    auto counts = importPending(**db, json, Clock{g.clockOffset}.now());
    if (!counts)
        return fail(counts.error().code == u"sync.bad_export_file"_s
                        ? Error::invalid(u"cli.bad_file"_s, counts.error().userText)
                        : counts.error());
    const int added = counts->added, skipped = counts->skipped;
    printOut("imported " + QByteArray::number(added) + ", skipped " + QByteArray::number(skipped) + "\n");
    return kOk;
}

} // namespace outpost::sync::cli
