#include "sync/sync_run.h"

#include "storage/database.h"
#include "storage/meta_repository.h"
#include "storage/outbox_repository.h"
#include "storage/replica_writer.h"
#include "storage/sync_state_repository.h"
#include "sync/session.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QThread>

using namespace Qt::Literals::StringLiterals;

namespace outpost::sync {

namespace {

Status mergeBootstrap(SyncReport &report, const Result<BootstrapReport> &b)
{
    if (!b)
        return b.error();
    report.bootstrap.rows += b->rows;
    report.bootstrap.wireBytes += b->wireBytes;
    for (auto it = b->seqs.constBegin(); it != b->seqs.constEnd(); ++it)
        report.bootstrap.seqs.insert(it.key(), it.value());
    return {};
}

Status mergePull(SyncReport &report, const Result<PullReport> &p)
{
    if (!p)
        return p.error();
    report.pull.pages += p->pages;
    report.pull.rows += p->rows;
    report.pull.deletes += p->deletes;
    report.pull.upto = p->upto;
    report.pull.joined << p->joined;
    report.pull.left << p->left;
    return {};
}

Status resetAll(SyncContext &ctx, const QStringList &partitions)
{
    storage::SyncStateRepository states(ctx.db);
    for (const QString &p : partitions) {
        if (Status s = states.reset(p); !s)
            return s;
    }
    return {};
}

// Adds the wall time from construction to destruction to report.phaseMs[name].
class PhaseTimer
{
public:
    PhaseTimer(SyncReport &report, const char *name) : m_report(report), m_name(QLatin1StringView(name))
    {
        m_timer.start();
    }
    ~PhaseTimer() { m_report.phaseMs[m_name] += m_timer.elapsed(); }
    PhaseTimer(const PhaseTimer &) = delete;
    PhaseTimer &operator=(const PhaseTimer &) = delete;

private:
    SyncReport &m_report;
    QString m_name;
    QElapsedTimer m_timer;
};

// One pass. Returns an error for failures of the pass itself; push troubles are in the report.
Status onePass(SyncContext &ctx, const SyncOptions &options, const QStringList &parts, SyncReport &report)
{
    storage::SyncStateRepository states(ctx.db);
    QStringList need = pendingSnapshotPartitions(ctx);
    for (const QString &p : parts) {
        auto st = states.state(p);
        if (!st)
            return st.error();
        if (!st->lastSuccessAt.isValid() && !need.contains(p))
            need << p;
    }
    QStringList ordered;
    for (const QString &p : storage::syncPartitions()) {
        if (need.contains(p) && parts.contains(p))
            ordered << p;
    }
    if (!ordered.isEmpty()) {
        PhaseTimer t(report, "bootstrap");
        auto b = bootstrap(ctx, ordered, true);
        if (!b && b.error().code == u"route.not_found"_s) {
            // A server without snapshots: the change feed from 0 carries every row too.
            qCWarning(lcSync) << "server has no snapshots; bootstrapping from the change feed";
            for (const QString &p : ordered) {
                if (Status s = states.save(storage::SyncStateRow{p, 0, ctx.clock.now(), u"feed"_s}); !s)
                    return s;
            }
        } else if (Status s = mergeBootstrap(report, b); !s) {
            return s;
        }
    }
    std::optional<PhaseTimer> pullTimer(std::in_place, report, "pull");
    auto pulled = pull(ctx, parts);
    if (!pulled && pulled.error().code == u"changes.cursor_ahead"_s) {
        qCWarning(lcSync) << "server is behind the device; full resnapshot";
        if (Status s = resetAll(ctx, parts); !s)
            return s;
        if (Status s = mergeBootstrap(report, bootstrap(ctx, parts, true)); !s)
            return s;
        pulled = pull(ctx, parts);
    }
    if (Status s = mergePull(report, pulled); !s)
        return s;
    QStringList again;
    for (const QString &p : pulled->resnapshot) {
        if (parts.contains(p))
            again << p;
    }
    if (!again.isEmpty()) {
        if (Status s = mergeBootstrap(report, bootstrap(ctx, again, true)); !s)
            return s;
        if (Status s = mergePull(report, pull(ctx, parts)); !s)
            return s;
    }

    pullTimer.reset();
    std::optional<PhaseTimer> pushTimer(std::in_place, report, "push");
    auto pushed = push(ctx, options.sendAll);
    pushTimer.reset();
    if (!pushed)
        return pushed.error();
    report.push.sent += pushed->sent;
    report.push.done += pushed->done;
    report.push.failed += pushed->failed;
    report.push.conflicts += pushed->conflicts;
    report.push.retrying = pushed->retrying;
    report.push.transient = pushed->transient;
    if (pushed->done > 0) {
        PhaseTimer t(report, "pullAfterPush");
        if (Status s = mergePull(report, pull(ctx, parts, kPullPageLimit, pushed->answeredAt)); !s)
            return s;
    }
    if (auto dropped = dropLeftAccounts(ctx); !dropped)
        return dropped.error();

    if (options.verify) {
        PhaseTimer t(report, "verify");
        QStringList checkable = parts;
        // Accounts waiting to leave are still on the device on purpose.
        if (storage::MetaRepository(ctx.db).valueOr(u"territory.left"_s, u"[]"_s) != u"[]"_s) {
            checkable.removeAll(u"accounts"_s);
            checkable.removeAll(u"prices"_s);
        }
        for (int round = 0; round < 3; ++round) {
            auto v = verify(ctx, checkable);
            if (!v) {
                if (v.error().kind == ErrorKind::NotFound) { // a server without checksums
                    qCWarning(lcSync) << "server has no checksums; not verified";
                    break;
                }
                return v.error();
            }
            report.verify = *v;
            if (!v->comparable) { // the server moved on meanwhile: catch up and compare again
                if (Status s = mergePull(report, pull(ctx, parts)); !s)
                    return s;
                continue;
            }
            if (v->mismatched.isEmpty())
                break;
            qCWarning(lcSync) << "checksum mismatch; re-snapshotting" << v->mismatched.join(u',');
            report.repaired << v->mismatched;
            if (Status s = mergeBootstrap(report, bootstrap(ctx, v->mismatched, true)); !s)
                return s;
            if (Status s = mergePull(report, pull(ctx, parts)); !s)
                return s;
        }
    }
    return {};
}

} // namespace

QStringList entitledPartitions(const QString &role)
{
    if (role == u"kiosk"_s)
        return {u"catalog"_s, u"stock"_s};
    return storage::syncPartitions();
}

Result<SyncReport> runSync(SyncContext &ctx, const SyncOptions &options)
{
    if (Status s = ctx.api.load(); !s)
        return s.error();
    const QStringList entitled = entitledPartitions(ctx.api.role());
    QStringList parts;
    for (const QString &p : options.partitions.isEmpty() ? entitled : options.partitions) {
        if (!storage::syncPartitions().contains(p))
            return Error::invalid(u"sync.unknown_partition"_s,
                                  u"Unknown partition; use catalog, stock, prices, accounts, orders."_s, p);
        if (!entitled.contains(p))
            return Error::make(ErrorKind::Forbidden, u"auth.forbidden_role"_s, u"Your role may not read this partition."_s, p);
        parts << p;
    }
    auto recovered = storage::OutboxRepository(ctx.db).recoverInflight();
    if (!recovered)
        return recovered.error();
    if (*recovered > 0)
        qCInfo(lcSync) << "recovered inflight outbox items" << *recovered;

    QDeadlineTimer deadline(std::chrono::duration_cast<std::chrono::milliseconds>(options.maxDuration));
    SyncReport report;
    for (;;) {
        ++report.attempts;
        report.push.transient.reset();
        Status s = onePass(ctx, options, parts, report);
        std::optional<Error> transient;
        if (!s) {
            if (!s.error().isTransient() || s.error().code == u"sync.cancelled"_s)
                return s.error();
            transient = s.error();
        } else if (report.push.transient && report.push.transient->isTransient()) {
            transient = report.push.transient;
        } else if (report.push.transient) {
            return *report.push.transient; // e.g. the session ended
        }
        if (!transient) {
            report.complete = true;
            break;
        }
        const auto delay = backoffDelay(report.attempts, *QRandomGenerator::global());
        if (options.maxDuration.count() <= 0 || deadline.remainingTimeAsDuration() <= delay) {
            if (!s)
                return *transient;
            break; // pulled, but some commands wait for a later sync
        }
        qCInfo(lcSync) << "transient failure" << transient->code << "; retrying in ms" << delay.count();
        QDeadlineTimer wait(delay);
        while (!wait.hasExpired() && !ctx.isCancelled())
            QThread::msleep(50);
        if (ctx.isCancelled())
            return cancelledError();
    }
    if (report.complete) {
        storage::MetaRepository meta(ctx.db);
        if (Status s = meta.setValue(u"sync.last_success"_s, ctx.clock.now().toString(Qt::ISODateWithMs)); !s)
            return s.error();
    }
    return report;
}

} // namespace outpost::sync
