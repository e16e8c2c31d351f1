// Fixed-seed randomized fault scenarios: a fresh server (tiny seed) behind the FaultProxy and two
// replicas (rep1 + rep2, or rep1 on two devices) driven by `outpost-sync` processes. Each case runs
// a random sequence of: orders captured offline, syncs through the faulty proxy (cuts at random
// byte offsets both ways, delays, duplicated requests), clients SIGKILLed at a random moment
// (during bootstrap, pull or push), the server SIGKILLed and restarted while a client syncs, price
// imports on the server, contact edits on both replicas, conflict resolutions. Then the proxy goes
// clean and every device syncs until it succeeds, and the case checks:
//   - every order captured on a device exists exactly once on the server, and nothing else does;
//   - each device's orders carry the server's outcome;
//   - each replica's checksums equal the server's (`status --verify --json`);
//   - no outbox item is stuck: pending 0, failed 0 (no case makes a genuinely bad command).
// OUTPOST_FAULT_CASES sets the number of cases (default below); OUTPOST_FAULT_SEED the base seed.
// The totals are printed at the end.
#include "tests/reliability/scenario.h"

#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace outpost::test;

namespace {

constexpr int kDefaultCases = 300; // ~0.35 s per case on 2 cores (2026-12): ~2 minutes
constexpr quint32 kDefaultSeed = 0x5EED0B3u;

int envInt(const char *name, int fallback)
{
    bool ok = false;
    const int v = qEnvironmentVariableIntValue(name, &ok);
    return ok && v > 0 ? v : fallback;
}

} // namespace

class TstSyncFaults : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void randomizedCase_data();
    void randomizedCase();

private:
    std::unique_ptr<ScenarioTemplates> m_templates;
    ScenarioTotals m_totals;
};

void TstSyncFaults::initTestCase()
{
    if (!QFile::exists(syncExecutable()))
        QSKIP("outpost-sync is not built");
    m_templates = std::make_unique<ScenarioTemplates>(kDefaultSeed);
    QByteArray why;
    QVERIFY2(m_templates->build(&why), why.constData());
}

void TstSyncFaults::cleanupTestCase()
{
    if (m_templates)
        m_totals.addProxy(m_templates->proxyStatsSinceBuild());
    qInfo("%s", m_totals.summary().constData());
    m_templates.reset();
}

void TstSyncFaults::randomizedCase_data()
{
    QTest::addColumn<quint32>("seed");
    const int cases = envInt("OUTPOST_FAULT_CASES", kDefaultCases);
    const quint32 base = quint32(envInt("OUTPOST_FAULT_SEED", int(kDefaultSeed)));
    for (int i = 0; i < cases; ++i) {
        const quint32 seed = base + quint32(i) * 7919u;
        QTest::addRow("case%04d-seed%u", i, seed) << seed;
    }
}

void TstSyncFaults::randomizedCase()
{
    QFETCH(quint32, seed);
    Scenario scenario(*m_templates, seed, m_totals);
    QByteArray why;
    const bool ok = scenario.run(&why);
    if (!ok)
        qInfo("case seed %u steps:\n%s", seed, scenario.log().constData());
    QVERIFY2(ok, why.constData());
}

QTEST_GUILESS_MAIN(TstSyncFaults)
#include "tst_sync_faults.moc"
