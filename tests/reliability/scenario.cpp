#include "tests/reliability/scenario.h"

#include <QDir>
#include <QSet>

using namespace Qt::Literals::StringLiterals;

namespace outpost::test {

namespace {

constexpr int kMinSteps = 4;
constexpr int kMaxSteps = 8;
constexpr int kRecoveryRounds = 8;
constexpr int kExitTransient = 3;

QByteArray fmt(const QString &s)
{
    return s.toUtf8();
}

} // namespace

// ---- templates -----------------------------------------------------------------------------------

ScenarioTemplates::ScenarioTemplates(quint32 proxySeed) : m_proxy(std::make_unique<FaultProxy>(proxySeed))
{
    m_profiles = {{u"rep1-a"_s, u"rep1"_s, u"device-rep1-a"_s},
                  {u"rep1-b"_s, u"rep1"_s, u"device-rep1-b"_s},
                  {u"rep2-a"_s, u"rep2"_s, u"device-rep2-a"_s}};
}

ScenarioTemplates::~ScenarioTemplates() = default;

QString ScenarioTemplates::serverDb() const
{
    return m_dir.filePath(u"server.db"_s);
}

QString ScenarioTemplates::replica(const DeviceProfile &p, bool bootstrapped) const
{
    return m_dir.filePath(p.name + (bootstrapped ? u".boot.db"_s : u".fresh.db"_s));
}

FaultStats ScenarioTemplates::proxyStatsSinceBuild() const
{
    FaultStats now = m_proxy->stats();
    now.connections -= m_afterBuild.connections;
    now.requests -= m_afterBuild.requests;
    now.tokenRefreshes -= m_afterBuild.tokenRefreshes;
    now.bytesUpstream -= m_afterBuild.bytesUpstream;
    now.bytesDownstream -= m_afterBuild.bytesDownstream;
    // The build runs clean: no faults to subtract.
    return now;
}

bool ScenarioTemplates::build(QByteArray *why)
{
    if (!m_dir.isValid()) {
        *why = "no temporary folder";
        return false;
    }
    ServerSide srv;
    if (!srv.seedAndStart()) {
        *why = "template server did not start";
        return false;
    }
    if (!m_proxy->start(srv.port())) {
        *why = "fault proxy cannot listen";
        return false;
    }
    for (const DeviceProfile &p : std::as_const(m_profiles)) {
        const QString work = m_dir.filePath(p.name + u".work.db"_s);
        SyncDevice dev(work, p.name);
        const CliRun login = dev.login(m_proxy->url(), p.user, p.device);
        if (!login.ok()) {
            *why = "template login failed: " + login.describe();
            return false;
        }
        if (!copyDatabase(work, replica(p, false))) {
            *why = "cannot copy the signed-in replica";
            return false;
        }
        const CliRun sync = dev.sync();
        if (!sync.ok()) {
            *why = "template bootstrap failed: " + sync.describe();
            return false;
        }
        if (!copyDatabase(work, replica(p, true))) {
            *why = "cannot copy the bootstrapped replica";
            return false;
        }
        m_accounts[p.user] = srv.accountCodesOf(p.user);
        m_contacts[p.user] = srv.contactIdsOf(p.user);
        if (m_accounts[p.user].isEmpty() || m_contacts[p.user].size() < 3) {
            *why = "the tiny seed has no accounts/contacts for " + p.user.toUtf8();
            return false;
        }
    }
    for (const QString &user : {u"rep1"_s, u"rep2"_s, u"admin"_s}) {
        if (srv.token(user).isEmpty()) {
            *why = "cannot sign in " + user.toUtf8();
            return false;
        }
    }
    m_tokens = srv.tokens();
    srv.server().stop();
    if (!copyDatabase(srv.server().dbPath(), serverDb())) {
        *why = "cannot copy the template server database";
        return false;
    }
    m_afterBuild = m_proxy->stats();
    return true;
}

QByteArray ScenarioTotals::summary() const
{
    return QByteArray("sync fault totals: cases=") + QByteArray::number(cases) + " steps="
           + QByteArray::number(steps) + " cuts=" + QByteArray::number(proxy.cuts()) + " (upstream "
           + QByteArray::number(proxy.cutsUpstream) + ", downstream " + QByteArray::number(proxy.cutsDownstream)
           + ") delays=" + QByteArray::number(proxy.delays) + " duplicates=" + QByteArray::number(proxy.duplicatesSent)
           + " (answered " + QByteArray::number(proxy.duplicatesAnswered) + ") connections="
           + QByteArray::number(proxy.connections) + " clientKills=" + QByteArray::number(clientKills)
           + " (bootstrap " + QByteArray::number(killsInBootstrap) + ", push " + QByteArray::number(killsInPush)
           + ", pull " + QByteArray::number(killsInPull) + ") serverRestarts=" + QByteArray::number(serverRestarts)
           + " orders=" + QByteArray::number(ordersCreated) + " edits=" + QByteArray::number(edits)
           + " conflicts=" + QByteArray::number(conflictsSeen) + " resolutions=" + QByteArray::number(resolutions)
           + " priceImports=" + QByteArray::number(priceImports) + " faultySyncs="
           + QByteArray::number(faultySyncs) + " (ok " + QByteArray::number(faultySyncsSucceeded)
           + ") recoverySyncs=" + QByteArray::number(recoverySyncs) + " shortTokenCases="
           + QByteArray::number(shortTokenCases) + " tokenRefreshes=" + QByteArray::number(proxy.tokenRefreshes)
           + " (duplicated " + QByteArray::number(proxy.tokenRefreshesDuplicated) + ")";
}

// ---- one case ------------------------------------------------------------------------------------

Scenario::Scenario(ScenarioTemplates &templates, quint32 seed, ScenarioTotals &totals)
    : m_templates(templates), m_rng(seed), m_seed(seed), m_totals(totals)
{
}

Scenario::~Scenario()
{
    m_templates.proxy().setFaults(FaultConfig::clean());
    m_templates.proxy().dropAllConnections();
}

void Scenario::note(const QByteArray &line)
{
    m_log += "  " + QByteArray::number(m_stepNo) + ": " + line + '\n';
}

bool Scenario::run(QByteArray *why)
{
    ++m_totals.cases;
    if (!setUp(why))
        return false;
    const int steps = m_rng.bounded(kMinSteps, kMaxSteps + 1);
    for (m_stepNo = 1; m_stepNo <= steps; ++m_stepNo) {
        ++m_totals.steps;
        if (!step(why))
            return false;
    }
    return recover(why) && verify(why);
}

bool Scenario::setUp(QByteArray *why)
{
    // One case in three runs with tokens that expire: every device starts with an expired access
    // token and the server hands out new ones that live 1-3 s, so syncs refresh (and the proxy
    // repeats or cuts those refreshes) all through the case.
    const bool shortTokens = m_rng.bounded(3) == 0;
    const int accessTtl = m_rng.bounded(1, 4);
    QStringList serveArgs;
    if (shortTokens)
        serveArgs << u"--access-ttl"_s << QString::number(accessTtl);
    if (!m_dir.isValid() || !m_server.startFromTemplate(m_templates.serverDb(), serveArgs, shortTokens)) {
        *why = "case server did not start";
        return false;
    }
    m_server.presetTokens(m_templates.serverTokens());
    FaultProxy &proxy = m_templates.proxy();
    proxy.setUpstreamPort(m_server.port());
    FaultConfig faults;
    faults.cutProbability = 0.2 + 0.5 * m_rng.generateDouble();
    faults.cutUpstreamShare = 0.5;
    faults.minCutOffset = 0;
    faults.maxCutOffset = 64 * 1024;
    faults.delayProbability = 0.2 * m_rng.generateDouble();
    faults.maxDelay = std::chrono::milliseconds(10);
    faults.duplicateProbability = 0.25 * m_rng.generateDouble();
    proxy.setFaults(faults);

    const QList<DeviceProfile> &profiles = m_templates.profiles();
    const bool sameRep = m_rng.bounded(2) == 0; // rep1 on two devices, or rep1 and rep2
    const QList<DeviceProfile> chosen{profiles.at(0), sameRep ? profiles.at(1) : profiles.at(2)};
    for (const DeviceProfile &p : chosen) {
        Device d;
        d.profile = p;
        d.bootstrapped = m_rng.bounded(10) < 6;
        const QString path = m_dir.filePath(p.name + u".db"_s);
        if (!copyDatabase(m_templates.replica(p, d.bootstrapped), path)) {
            *why = "cannot copy a template replica";
            return false;
        }
        d.cli = std::make_unique<SyncDevice>(path, p.name);
        m_log += "  " + fmt(p.name) + (d.bootstrapped ? " bootstrapped" : " signed in only") + '\n';
        m_devices.push_back(std::move(d));
    }
    m_log += "  faults: cut " + QByteArray::number(faults.cutProbability, 'f', 2) + " delay "
             + QByteArray::number(faults.delayProbability, 'f', 2) + " duplicate "
             + QByteArray::number(faults.duplicateProbability, 'f', 2) + '\n';
    if (shortTokens) {
        ++m_totals.shortTokenCases;
        m_log += "  access tokens expired, new ones live " + QByteArray::number(accessTtl) + " s\n";
    }
    return true;
}

bool Scenario::step(QByteArray *why)
{
    Device &d = m_devices.at(m_rng.bounded(int(m_devices.size())));
    const int roll = m_rng.bounded(100);
    if (roll < 25)
        return createOrders(d, why);
    if (roll < 50)
        return faultySync(d, why);
    if (roll < 65)
        return killDuringSync(d, why);
    if (roll < 72)
        return crashServerDuringSync(d, why);
    if (roll < 82)
        return changePrices(why);
    if (roll < 94)
        return editContact(d, why);
    return resolveOne(d, why);
}

bool Scenario::acceptableSyncExit(const CliRun &r) const
{
    return r.exitCode == 0 || r.exitCode == kExitTransient;
}

bool Scenario::createOrders(Device &d, QByteArray *why)
{
    const int count = m_rng.bounded(1, 4);
    const QList<QString> &accounts = m_templates.accountsOf(d.profile.user);
    for (int i = 0; i < count; ++i) {
        QList<QPair<QString, int>> lines;
        const int lineCount = m_rng.bounded(1, 4);
        QSet<int> used;
        while (lines.size() < lineCount) {
            const int product = m_rng.bounded(1, 201);
            if (used.contains(product))
                continue;
            used.insert(product);
            lines.append({u"SKU-%1"_s.arg(product, 7, 10, QLatin1Char('0')), m_rng.bounded(1, 6)});
        }
        const QString account = accounts.at(m_rng.bounded(int(accounts.size())));
        const CliRun r = d.cli->createOrder(account, lines, u"case %1"_s.arg(m_seed));
        if (!d.bootstrapped && !r.ok()) {
            note(fmt(d.profile.name) + " order create before bootstrap refused (exit "
                 + QByteArray::number(r.exitCode) + ")");
            return true;
        }
        const QString id = SyncDevice::orderIdOf(r);
        if (!r.ok() || id.isEmpty()) {
            *why = "capturing an order offline failed on " + fmt(d.profile.name) + ": " + r.describe();
            return false;
        }
        d.created << id;
        ++m_totals.ordersCreated;
        note(fmt(d.profile.name) + " order " + fmt(id) + " on " + fmt(account));
    }
    return true;
}

bool Scenario::faultySync(Device &d, QByteArray *why)
{
    ++m_totals.faultySyncs;
    const CliRun r = d.cli->sync();
    note(fmt(d.profile.name) + " sync through faults -> exit " + QByteArray::number(r.exitCode));
    if (!acceptableSyncExit(r)) {
        *why = "a sync through faults must end in success or a transient failure: " + r.describe();
        return false;
    }
    if (r.ok()) {
        ++m_totals.faultySyncsSucceeded;
        d.bootstrapped = true;
    }
    return true;
}

bool Scenario::killDuringSync(Device &d, QByteArray *why)
{
    Q_UNUSED(why);
    // Most kills land while a tiny bootstrap or a push is under way (a few hundred ms), some later.
    const int roll = m_rng.bounded(10);
    const int ms = roll < 4 ? m_rng.bounded(0, 100) : roll < 9 ? m_rng.bounded(100, 400) : m_rng.bounded(400, 1200);
    const CliRun r = d.cli->runKilledAfter({u"sync"_s}, std::chrono::milliseconds(ms));
    if (!r.killed) {
        note(fmt(d.profile.name) + " sync finished before the kill at " + QByteArray::number(ms) + " ms (exit "
             + QByteArray::number(r.exitCode) + ")");
        if (r.ok())
            d.bootstrapped = true;
        return true;
    }
    ++m_totals.clientKills;
    const char *phase = "pull";
    if (!d.bootstrapped) {
        ++m_totals.killsInBootstrap;
        phase = "bootstrap";
    } else if (!d.created.isEmpty()) {
        ++m_totals.killsInPush;
        phase = "push";
    } else {
        ++m_totals.killsInPull;
    }
    note(fmt(d.profile.name) + " SIGKILL after " + QByteArray::number(ms) + " ms (" + phase + ")");
    return true;
}

bool Scenario::crashServerDuringSync(Device &d, QByteArray *why)
{
    const int ms = m_rng.bounded(0, 300);
    auto process = d.cli->start({u"sync"_s});
    process->waitForStarted();
    process->waitForFinished(ms);
    if (!m_server.crashAndRestart()) {
        *why = "the server did not restart";
        return false;
    }
    ++m_totals.serverRestarts;
    m_templates.proxy().setUpstreamPort(m_server.port());
    const CliRun r = SyncDevice::finish(*process, {u"sync"_s});
    note(fmt(d.profile.name) + " server SIGKILL+restart at " + QByteArray::number(ms) + " ms -> exit "
         + QByteArray::number(r.exitCode));
    if (!acceptableSyncExit(r)) {
        *why = "a sync across a server crash must end in success or a transient failure: " + r.describe();
        return false;
    }
    if (r.ok())
        d.bootstrapped = true;
    return true;
}

bool Scenario::changePrices(QByteArray *why)
{
    QByteArray csv = "price_group,sku,price\n";
    QSet<QPair<int, int>> keys;
    const int rows = m_rng.bounded(1, 21);
    while (keys.size() < rows) {
        const QPair<int, int> key{m_rng.bounded(1, 11), m_rng.bounded(1, 201)};
        if (keys.contains(key))
            continue;
        keys.insert(key);
        csv += u"G%1,SKU-%2,%3.%4\n"_s.arg(key.first, 2, 10, QLatin1Char('0'))
                   .arg(key.second, 7, 10, QLatin1Char('0'))
                   .arg(m_rng.bounded(1, 200))
                   .arg(m_rng.bounded(0, 100), 2, 10, QLatin1Char('0'))
                   .toUtf8();
    }
    QByteArray error;
    if (!m_server.importPrices(csv, &error)) {
        *why = "price import failed: " + error;
        return false;
    }
    ++m_totals.priceImports;
    note("server price import of " + QByteArray::number(rows) + " rows");
    return true;
}

bool Scenario::editContact(Device &d, QByteArray *why)
{
    const QList<qint64> &contacts = m_templates.contactsOf(d.profile.user);
    const qint64 id = contacts.at(m_rng.bounded(3)); // few contacts: both rep1 devices collide
    static const QStringList fields{u"phone"_s, u"role"_s, u"name"_s};
    const QString field = fields.at(m_rng.bounded(int(fields.size())));
    const QString value = u"%1 %2-%3"_s.arg(field).arg(m_seed).arg(m_stepNo);
    const CliRun r = d.cli->edit(u"contact"_s, id, {{field, value}});
    if (!d.bootstrapped && !r.ok()) {
        note(fmt(d.profile.name) + " edit before bootstrap refused");
        return true;
    }
    if (!r.ok()) {
        *why = "a contact edit failed: " + r.describe();
        return false;
    }
    ++m_totals.edits;
    note(fmt(d.profile.name) + " edit contact " + QByteArray::number(id) + ' ' + fmt(field));
    return true;
}

bool Scenario::resolveOne(Device &d, QByteArray *why)
{
    QByteArray error;
    const auto conflicts = d.cli->conflicts(&error);
    if (!conflicts) {
        if (!d.bootstrapped) {
            note(fmt(d.profile.name) + " conflicts before bootstrap unreadable");
            return true;
        }
        *why = "conflicts --json failed: " + error;
        return false;
    }
    if (conflicts->isEmpty()) {
        note(fmt(d.profile.name) + " no conflict to resolve");
        return true;
    }
    const bool mine = m_rng.bounded(2) == 0;
    const CliRun r = d.cli->resolve(conflicts->first().id, mine);
    if (!r.ok()) {
        *why = "resolve failed: " + r.describe();
        return false;
    }
    ++m_totals.resolutions;
    note(fmt(d.profile.name) + " resolve " + fmt(conflicts->first().id) + (mine ? " mine" : " theirs"));
    return true;
}

bool Scenario::recover(QByteArray *why)
{
    m_templates.proxy().setFaults(FaultConfig::clean());
    m_log += "  recovery through a clean connection\n";
    int cleanPasses = 0;
    for (int round = 0; round < kRecoveryRounds && cleanPasses < 2; ++round) {
        bool allClean = true;
        for (Device &d : m_devices) {
            ++m_totals.recoverySyncs;
            const CliRun r = d.cli->sync({u"--json"_s});
            if (!r.ok()) {
                m_log += "    " + fmt(d.profile.name) + " recovery sync -> " + r.describe().left(400) + '\n';
                allClean = false;
                continue;
            }
            d.bootstrapped = true;
            const qint64 pending = r.json().object().value(u"pending"_s).toInteger(-1);
            if (pending != 0) {
                m_log += "    " + fmt(d.profile.name) + " still pending " + QByteArray::number(pending) + '\n';
                allClean = false;
            }
        }
        cleanPasses = allClean ? cleanPasses + 1 : 0;
    }
    if (cleanPasses < 2) {
        *why = "the devices did not recover through a clean connection";
        return false;
    }
    return true;
}

bool Scenario::verify(QByteArray *why)
{
    QHash<QString, QSet<QString>> capturedBy; // user -> order ids captured on its devices
    for (const Device &d : m_devices)
        capturedBy[d.profile.user] += QSet<QString>(d.created.begin(), d.created.end());

    QHash<QString, QHash<QString, QString>> serverOrders;
    for (auto it = capturedBy.cbegin(); it != capturedBy.cend(); ++it) {
        int duplicates = 0;
        const auto orders = m_server.orders(it.key(), &duplicates);
        if (!orders) {
            *why = "GET /v1/orders failed for " + fmt(it.key());
            return false;
        }
        const QSet<QString> onServer(orders->keyBegin(), orders->keyEnd());
        if (duplicates != 0 || onServer != it.value()) {
            const QSet<QString> missing = it.value() - onServer;
            const QSet<QString> extra = onServer - it.value();
            *why = "orders of " + fmt(it.key()) + " on the server differ from those captured: missing "
                   + fmt(QStringList(missing.begin(), missing.end()).join(u',')) + " extra "
                   + fmt(QStringList(extra.begin(), extra.end()).join(u',')) + " listed twice "
                   + QByteArray::number(duplicates);
            return false;
        }
        serverOrders.insert(it.key(), *orders);
    }

    for (const Device &d : m_devices) {
        QByteArray error;
        const auto local = d.cli->orders(&error);
        if (!local) {
            *why = "orders --json failed: " + error;
            return false;
        }
        QHash<QString, QString> outcomes;
        for (const DeviceOrder &o : *local)
            outcomes.insert(o.id.toLower(), o.outcome.toLower());
        const QHash<QString, QString> &server = serverOrders[d.profile.user];
        for (auto it = server.cbegin(); it != server.cend(); ++it) {
            if (!outcomes.contains(it.key()) || outcomes.value(it.key()) != it.value().toLower()) {
                *why = fmt(d.profile.name) + " order " + fmt(it.key()) + " shows outcome '"
                       + fmt(outcomes.value(it.key(), u"<missing>"_s)) + "', the server says '" + fmt(it.value())
                       + "'";
                return false;
            }
        }
        const auto st = d.cli->status(true, &error);
        if (!st) {
            *why = "status --verify --json failed: " + error;
            return false;
        }
        if (!st->verified || !st->checksumsMatch || st->pending != 0 || st->failed != 0) {
            *why = fmt(d.profile.name) + " after recovery: verified " + QByteArray::number(st->verified)
                   + " checksums match " + QByteArray::number(st->checksumsMatch) + " mismatched "
                   + fmt(st->mismatched.join(u',')) + " pending " + QByteArray::number(st->pending) + " failed "
                   + QByteArray::number(st->failed) + "\n"
                   + QJsonDocument(st->raw).toJson(QJsonDocument::Compact).left(1500);
            return false;
        }
        if (st->conflicts > 0)
            m_totals.conflictsSeen += st->conflicts;
    }
    return true;
}

} // namespace outpost::test
