// The randomized fault scenario of tst_sync_faults: templates made once per run (a seeded server
// database and replicas that are signed in, or signed in and bootstrapped), one Scenario per case,
// and the totals printed at the end.
#pragma once

#include "tests/reliability/syncharness.h"

#include <QRandomGenerator>
#include <QTemporaryDir>

namespace outpost::test {

// The devices a case can use; each has a template replica signed in through the run's proxy.
struct DeviceProfile
{
    QString name;   // "rep1-a"
    QString user;   // "rep1"
    QString device; // device id given to login
};

class ScenarioTemplates
{
public:
    explicit ScenarioTemplates(quint32 proxySeed);
    ~ScenarioTemplates();

    // Seeds a server, signs every profile in through the proxy, bootstraps them; keeps copies.
    bool build(QByteArray *why);

    FaultProxy &proxy() { return *m_proxy; }
    const QList<DeviceProfile> &profiles() const { return m_profiles; }
    QString serverDb() const;
    QString replica(const DeviceProfile &p, bool bootstrapped) const;
    const QList<QString> &accountsOf(const QString &user) const { return m_accounts[user]; }
    const QList<qint64> &contactsOf(const QString &user) const { return m_contacts[user]; }
    FaultStats proxyStatsSinceBuild() const;
    const QHash<QString, QByteArray> &serverTokens() const { return m_tokens; }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<FaultProxy> m_proxy;
    QList<DeviceProfile> m_profiles;
    mutable QHash<QString, QList<QString>> m_accounts;
    mutable QHash<QString, QList<qint64>> m_contacts;
    FaultStats m_afterBuild;
    QHash<QString, QByteArray> m_tokens;
};

struct ScenarioTotals
{
    qint64 cases = 0;
    qint64 steps = 0;
    qint64 clientKills = 0;
    qint64 killsInBootstrap = 0;
    qint64 killsInPush = 0;
    qint64 killsInPull = 0;
    qint64 serverRestarts = 0;
    qint64 ordersCreated = 0;
    qint64 edits = 0;
    qint64 conflictsSeen = 0;
    qint64 resolutions = 0;
    qint64 priceImports = 0;
    qint64 faultySyncs = 0;
    qint64 faultySyncsSucceeded = 0;
    qint64 recoverySyncs = 0;
    qint64 shortTokenCases = 0; // access tokens expired at the start, 1-3 s lifetime after
    FaultStats proxy;

    void addProxy(const FaultStats &s) { proxy = s; }
    QByteArray summary() const;
};

class Scenario
{
public:
    Scenario(ScenarioTemplates &templates, quint32 seed, ScenarioTotals &totals);
    ~Scenario();

    bool run(QByteArray *why);
    const QByteArray &log() const { return m_log; }

private:
    struct Device
    {
        DeviceProfile profile;
        std::unique_ptr<SyncDevice> cli;
        bool bootstrapped = false;
        QStringList created; // order ids captured on this device
    };

    bool setUp(QByteArray *why);
    bool step(QByteArray *why);
    bool createOrders(Device &d, QByteArray *why);
    bool faultySync(Device &d, QByteArray *why);
    bool killDuringSync(Device &d, QByteArray *why);
    bool crashServerDuringSync(Device &d, QByteArray *why);
    bool changePrices(QByteArray *why);
    bool editContact(Device &d, QByteArray *why);
    bool resolveOne(Device &d, QByteArray *why);
    bool recover(QByteArray *why);
    bool verify(QByteArray *why);
    bool acceptableSyncExit(const CliRun &r) const;
    void note(const QByteArray &line);

    ScenarioTemplates &m_templates;
    QRandomGenerator m_rng;
    quint32 m_seed;
    ScenarioTotals &m_totals;
    ServerSide m_server;
    QTemporaryDir m_dir;
    std::vector<Device> m_devices;
    QByteArray m_log;
    int m_stepNo = 0;
};

} // namespace outpost::test
