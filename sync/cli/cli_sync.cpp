// login, sync, status: the commands that talk to the server.
#include "sync/cli/cli.h"

#include "storage/attachment_repository.h"
#include "storage/conflict_repository.h"
#include "storage/database.h"
#include "storage/meta_repository.h"
#include "storage/outbox_repository.h"
#include "storage/sync_state_repository.h"
#include "sync/session.h"
#include "sync/sync_engine.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>

#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace outpost::sync::cli {

int fail(const Error &e)
{
    printErr(u"error: %1: %2"_s.arg(e.code, e.userText) + (e.field.isEmpty() ? QString() : u" (%1)"_s.arg(e.field)));
    return e.isTransient() ? kTransient : kError;
}

void printOut(const QByteArray &text)
{
    std::fwrite(text.constData(), 1, size_t(text.size()), stdout);
    std::fflush(stdout);
}

void printErr(const QString &text)
{
    const QByteArray utf8 = text.toUtf8() + '\n';
    std::fwrite(utf8.constData(), 1, size_t(utf8.size()), stderr);
}

// Parses a command's options; returns an exit code when the command should stop (help, usage).
std::optional<int> parseOrExit(QCommandLineParser &p, const QStringList &args, const QString &description)
{
    p.setApplicationDescription(description);
    p.addHelpOption();
    if (!p.parse(args)) {
        printErr(u"error: "_s + p.errorText());
        return kUsage;
    }
    if (p.isSet(u"help"_s)) {
        printOut(p.helpText().toUtf8());
        return kOk;
    }
    return std::nullopt;
}

int runLogin(const Global &g, const QStringList &args)
{
    QCommandLineParser p;
    p.addOptions({{u"server"_s, u"Server base URL, e.g. http://127.0.0.1:8080"_s, u"URL"_s},
                  {u"tenant"_s, u"Tenant code."_s, u"T"_s},
                  {u"user"_s, u"User name."_s, u"U"_s},
                  {u"password"_s, u"Password (used once, never stored)."_s, u"P"_s},
                  {u"device"_s, u"Device id (default: the replica's, or a new UUID)."_s, u"ID"_s}});
    if (auto code = parseOrExit(p, args, u"Signs in and stores the session in the replica."_s))
        return *code;
    for (const char *required : {"server", "tenant", "user", "password"}) {
        if (!p.isSet(QString::fromLatin1(required))) {
            printErr(u"error: --%1 is required"_s.arg(QString::fromLatin1(required)));
            return kUsage;
        }
    }
    auto db = openReplica(g.replica);
    if (!db)
        return fail(db.error());
    ApiSession api(**db);
    auto r = api.login(LoginInput{QUrl(p.value(u"server"_s)), p.value(u"tenant"_s), p.value(u"user"_s),
                                  p.value(u"password"_s), p.value(u"device"_s)});
    if (!r)
        return fail(r.error());
    const QJsonObject user = r->value(u"user"_s).toObject();
    printOut(QJsonDocument(QJsonObject{{u"user"_s, user.value(u"username"_s)},
                                       {u"role"_s, user.value(u"role"_s)},
                                       {u"tenant"_s, r->value(u"tenant"_s).toObject().value(u"code"_s)},
                                       {u"device"_s, storage::MetaRepository(**db).valueOr(u"device.id"_s)}})
                 .toJson(QJsonDocument::Compact) +
             '\n');
    return kOk;
}

int runSync(const Global &g, const QStringList &args)
{
    QCommandLineParser p;
    p.addOptions({{u"partitions"_s, u"Only these partitions (catalog,stock,prices,accounts,orders)."_s, u"a,b"_s},
                  {u"max-seconds"_s, u"Keep retrying transient failures for up to N seconds (default 0: one pass)."_s,
                   u"N"_s},
                  {u"no-verify"_s, u"Skip the checksum comparison with the server."_s},
                  {u"json"_s, u"Print the report as JSON."_s}});
    if (auto code = parseOrExit(p, args,
                                u"Pulls every partition, sends every pending command. Exit 0 when all is done, "
                                "3 when the server could not be reached, 1 on other errors."_s))
        return *code;
    SyncOptions options;
    if (p.isSet(u"partitions"_s))
        options.partitions = p.value(u"partitions"_s).split(u',', Qt::SkipEmptyParts);
    if (p.isSet(u"max-seconds"_s)) {
        bool ok = false;
        options.maxDuration = std::chrono::seconds(p.value(u"max-seconds"_s).toLongLong(&ok));
        if (!ok || options.maxDuration.count() < 0) {
            printErr(u"error: --max-seconds takes a whole number >= 0"_s);
            return kUsage;
        }
    }
    options.verify = !p.isSet(u"no-verify"_s);
    {
        auto db = openReplica(g.replica); // migrate once before the worker opens it
        if (!db)
            return fail(db.error());
    }
    SyncEngine engine(g.replica);
    engine.setOptions(options);
    engine.setClockOffset(g.clockOffset);
    QObject::connect(&engine, &SyncEngine::progressChanged, [&g](double fraction, const QString &text) {
        if (g.verbose)
            printErr(u"[%1%] %2"_s.arg(int(fraction * 100)).arg(text));
    });
    QEventLoop loop;
    bool ok = false;
    QObject::connect(&engine, &SyncEngine::finished, &loop, [&](bool done) {
        ok = done;
        loop.quit();
    });
    QTimer::singleShot(0, &engine, &SyncEngine::syncNow);
    loop.exec();
    const auto &report = engine.lastReport();
    if (report) {
        QJsonObject phaseMs;
        for (auto it = report->phaseMs.constBegin(); it != report->phaseMs.constEnd(); ++it)
            phaseMs.insert(it.key(), it.value());
        const QJsonObject out{{u"complete"_s, report->complete},
                              {u"phaseMs"_s, phaseMs},
                              {u"attempts"_s, report->attempts},
                              {u"bootstrapRows"_s, report->bootstrap.rows},
                              {u"bootstrapBytes"_s, report->bootstrap.wireBytes},
                              {u"pulledRows"_s, report->pull.rows},
                              {u"pulledDeletes"_s, report->pull.deletes},
                              {u"sent"_s, report->push.sent},
                              {u"done"_s, report->push.done},
                              {u"failed"_s, report->push.failed},
                              {u"conflicts"_s, report->push.conflicts},
                              {u"retrying"_s, report->push.retrying},
                              {u"repaired"_s, QJsonArray::fromStringList(report->repaired)},
                              {u"verified"_s, report->verify.comparable && report->verify.mismatched.isEmpty()},
                              {u"pending"_s, engine.pendingCount()}};
        if (p.isSet(u"json"_s))
            printOut(QJsonDocument(out).toJson(QJsonDocument::Compact) + '\n');
        else
            printErr(u"synced: %1 rows bootstrapped, %2 pulled, %3 sent (%4 done, %5 failed, %6 conflicts), %7 pending"_s
                         .arg(report->bootstrap.rows)
                         .arg(report->pull.rows)
                         .arg(report->push.sent)
                         .arg(report->push.done)
                         .arg(report->push.failed)
                         .arg(report->push.conflicts)
                         .arg(engine.pendingCount()));
    }
    if (ok)
        return kOk;
    const SyncError e = engine.lastError();
    printErr(u"error: %1: %2"_s.arg(e.code, e.text));
    return e.isTransient ? kTransient : kError;
}

int runStatus(const Global &g, const QStringList &args)
{
    QCommandLineParser p;
    p.addOptions({{u"json"_s, u"Print JSON."_s},
                  {u"verify"_s, u"Also compare the replica's checksums with the server's (needs the network)."_s}});
    if (auto code = parseOrExit(p, args, u"Pending and failed commands, conflicts, attachments, last sync, partitions."_s))
        return *code;
    auto db = openReplica(g.replica);
    if (!db)
        return fail(db.error());
    storage::Database &d = **db;
    auto pending = storage::OutboxRepository(d).pendingCount();
    auto failed = storage::OutboxRepository(d).failedItems();
    auto conflicts = storage::ConflictRepository(d).openCount();
    auto states = storage::SyncStateRepository(d).all();
    auto attachments = storage::AttachmentRepository(d).counts();
    if (!pending || !failed || !conflicts || !states)
        return fail(!pending ? pending.error() : !failed ? failed.error() : !conflicts ? conflicts.error() : states.error());
    if (!attachments)
        return fail(attachments.error());
    storage::MetaRepository meta(d);
    const Clock clock{g.clockOffset};
    QJsonArray partitions;
    for (const storage::SyncStateRow &s : std::as_const(*states)) {
        const qint64 age = s.lastSuccessAt.isValid() ? s.lastSuccessAt.secsTo(clock.now()) : -1;
        partitions.append(QJsonObject{{u"partition"_s, s.partition},
                                      {u"cursor"_s, s.cursorSeq},
                                      {u"lastSuccessAt"_s, s.lastSuccessAt.toString(Qt::ISODateWithMs)},
                                      {u"ageSeconds"_s, age}});
    }
    QJsonArray failedItems;
    for (const storage::OutboxItem &i : std::as_const(*failed))
        failedItems.append(QJsonObject{{u"commandId"_s, i.commandId}, {u"kind"_s, i.kind}, {u"entityId"_s, i.entityId},
                                       {u"code"_s, i.lastErrorCode}, {u"text"_s, i.lastErrorText}});
    QJsonObject out{{u"pending"_s, *pending},
                    {u"failed"_s, qint64(failed->size())},
                    {u"failedItems"_s, failedItems},
                    {u"conflicts"_s, *conflicts},
                    {u"lastSync"_s, meta.valueOr(u"sync.last_success"_s)},
                    {u"server"_s, meta.valueOr(u"server.url"_s)},
                    {u"user"_s, meta.valueOr(u"session.user"_s)},
                    {u"partitions"_s, partitions},
                    {u"attachments"_s, QJsonObject{{u"waiting"_s, attachments->waiting},
                                                   {u"failed"_s, attachments->failed},
                                                   {u"delivered"_s, attachments->delivered},
                                                   {u"bytesWaiting"_s, attachments->bytesWaiting}}}};
    int exit = kOk;
    if (p.isSet(u"verify"_s)) {
        ApiSession api(d);
        SyncContext ctx{d, api, g.replica, clock, {}, {}};
        Result<VerifyReport> v = api.load() ? verify(ctx, entitledPartitions(api.role()))
                                            : Result<VerifyReport>(api.load().error());
        if (!v) {
            exit = fail(v.error());
        } else {
            QJsonArray tables;
            for (const TableComparison &c : std::as_const(v->tables))
                tables.append(QJsonObject{{u"partition"_s, c.partition}, {u"table"_s, c.table},
                                          {u"serverCount"_s, c.serverCount}, {u"localCount"_s, c.localCount},
                                          {u"serverSum"_s, c.serverSum}, {u"localSum"_s, c.localSum},
                                          {u"match"_s, c.match()}});
            out.insert(u"verify"_s, QJsonObject{{u"seq"_s, v->seq},
                                                {u"comparable"_s, v->comparable},
                                                {u"match"_s, v->comparable && v->mismatched.isEmpty()},
                                                {u"mismatched"_s, QJsonArray::fromStringList(v->mismatched)},
                                                {u"tables"_s, tables}});
        }
    }
    if (p.isSet(u"json"_s)) {
        printOut(QJsonDocument(out).toJson(QJsonDocument::Compact) + '\n');
        return exit;
    }
    QByteArray text;
    text += "pending commands: " + QByteArray::number(*pending) + "\n";
    text += "failed commands:  " + QByteArray::number(failed->size()) + "\n";
    for (const QJsonValue &f : failedItems)
        text += "  " + f.toObject().value(u"commandId"_s).toString().toUtf8() + " " +
                f.toObject().value(u"kind"_s).toString().toUtf8() + " " +
                f.toObject().value(u"code"_s).toString().toUtf8() + "\n";
    text += "open conflicts:   " + QByteArray::number(*conflicts) + "\n";
    text += "attachments:      " + QByteArray::number(attachments->waiting) + " waiting, " +
            QByteArray::number(attachments->failed) + " failed, " + QByteArray::number(attachments->delivered) +
            " delivered\n";
    text += "last sync:        " + meta.valueOr(u"sync.last_success"_s, u"never"_s).toUtf8() + "\n";
    for (const QJsonValue &v : partitions) {
        const QJsonObject o = v.toObject();
        text += "  " + o.value(u"partition"_s).toString().toUtf8().leftJustified(10) + " cursor " +
                QByteArray::number(o.value(u"cursor"_s).toInteger()) + ", synced " +
                (o.value(u"ageSeconds"_s).toInteger() < 0 ? QByteArray("never")
                                                         : QByteArray::number(o.value(u"ageSeconds"_s).toInteger()) + " s ago") +
                "\n";
    }
    if (out.contains(u"verify"_s)) {
        const QJsonObject v = out.value(u"verify"_s).toObject();
        text += "checksums:        " + QByteArray(v.value(u"match"_s).toBool() ? "match" : "DIFFER") + " at seq " +
                QByteArray::number(v.value(u"seq"_s).toInteger()) + "\n";
    }
    printOut(text);
    return exit;
}

} // namespace outpost::sync::cli
