// Attachment uploads under faults: the FaultProxy cutting connections at random byte offsets in
// both directions, delaying and duplicating requests; the uploading `outpost-sync uploads`
// process SIGKILLed mid-upload; the server SIGKILLed mid-request and restarted. After each case a
// clean run finishes the queue and the whole state is checked: every attachment exists exactly
// once on the server, complete, with the exact bytes; one blob row and one file per distinct
// sha256; nothing stuck on the device. Fixed seeds; OUTPOST_FAULT_CASES sets the number of cases,
// OUTPOST_FAULT_SEED the base seed.
#include "tests/reliability/syncharness.h"
#include "tests/support/faultproxy.h"
#include "tests/sync/attachment_fixture.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Qt::Literals::StringLiterals;
using namespace outpost::test;

namespace {

constexpr int kDefaultCases = 48;
constexpr int kDefaultSeed = 20261123;

int envInt(const char *name, int fallback)
{
    bool ok = false;
    const int v = qEnvironmentVariableIntValue(name, &ok);
    return ok && v > 0 ? v : fallback;
}

QString sha256Hex(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

enum class Mode { ProxyFaults, ClientKilled, ServerKilled };

struct Summary
{
    qint64 bytesSent = 0;
    qint64 bytesResent = 0;
};

std::optional<Summary> parseSummary(const QByteArray &out)
{
    const QList<QByteArray> lines = out.trimmed().split('\n');
    if (lines.isEmpty())
        return std::nullopt;
    const QJsonObject o = QJsonDocument::fromJson(lines.last()).object();
    if (!o.contains(u"bytesSent"_s))
        return std::nullopt;
    return Summary{o.value(u"bytesSent"_s).toInteger(), o.value(u"bytesResent"_s).toInteger()};
}

} // namespace

class TestUploadFaults : public QObject
{
    Q_OBJECT

    ServerSide m_side;
    std::unique_ptr<FaultProxy> m_proxy;
    QTemporaryDir m_dir;
    std::unique_ptr<SyncDevice> m_device;
    qint64 m_accountId = 0;
    QHash<QString, QString> m_expected; // attachment id -> sha256 of its bytes
    QList<QByteArray> m_earlier;        // bytes used before (duplicates pick from here)
    QMap<QString, int> m_counts;

    // Attaches `bytes` through the CLI; returns the new attachment id.
    QString attach(const QByteArray &bytes, const QString &name)
    {
        const QString file = m_dir.filePath(name);
        QFile f(file);
        if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
            return {};
        f.close();
        const CliRun r = m_device->run({u"attach"_s, u"--account"_s, QString::number(m_accountId), u"--file"_s, file});
        QFile::remove(file);
        if (!r.ok()) {
            qWarning().noquote() << r.describe();
            return {};
        }
        const QString id = r.json().object().value(u"id"_s).toString();
        m_expected.insert(id, sha256Hex(bytes));
        return id;
    }

    FaultConfig randomFaults(QRandomGenerator &random) const
    {
        FaultConfig f;
        f.cutProbability = 0.5 + random.bounded(0.45);
        f.cutUpstreamShare = random.bounded(1.0);
        f.minCutOffset = 64;
        f.maxCutOffset = 1024 * 1024;
        f.delayProbability = random.bounded(0.1);
        f.maxDelay = std::chrono::milliseconds(1 + random.bounded(20));
        f.duplicateProbability = random.bounded(0.3);
        return f;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(QFile::exists(syncExecutable()));
        QVERIFY(m_side.seedAndStart());
        m_proxy = std::make_unique<FaultProxy>(quint32(kDefaultSeed));
        QVERIFY(m_proxy->start(m_side.port()));
        m_accountId = m_side.scalar(u"SELECT a.id FROM accounts a JOIN account_reps ar ON ar.account_id = a.id "
                                    "JOIN users u ON u.id = ar.user_id WHERE u.username = 'rep1' AND u.tenant_id = (SELECT id FROM tenants WHERE code = 'demo') "
                                    "ORDER BY a.id LIMIT 1"_s)
                          .toLongLong();
        QVERIFY(m_accountId > 0);
        m_device = std::make_unique<SyncDevice>(m_dir.filePath(u"device.sqlite"_s), u"uploader"_s);
        const CliRun login = m_device->login(m_proxy->url(), u"rep1"_s, u"upload-device"_s);
        QVERIFY2(login.ok(), login.describe().constData());
    }

    void attachmentsArriveWholeExactlyOnce()
    {
        const int cases = envInt("OUTPOST_FAULT_CASES", kDefaultCases);
        const quint32 base = quint32(envInt("OUTPOST_FAULT_SEED", kDefaultSeed));
        Summary total;
        for (int c = 0; c < cases; ++c) {
            const quint32 seed = base + quint32(c);
            QRandomGenerator random(seed);
            const Mode mode = c % 6 == 4 ? Mode::ClientKilled : c % 6 == 5 ? Mode::ServerKilled : Mode::ProxyFaults;
            // 1..3 attachments: fresh bytes of 20 KB..1.5 MB, sometimes bytes sent before.
            QStringList ids;
            const int n = 1 + random.bounded(3);
            for (int i = 0; i < n; ++i) {
                QByteArray bytes;
                if (!m_earlier.isEmpty() && random.bounded(5) == 0) {
                    bytes = m_earlier[random.bounded(int(m_earlier.size()))];
                    ++m_counts[u"duplicate bytes"_s];
                } else {
                    bytes = makePng(20000 + random.bounded(1500000), seed * 16 + quint32(i));
                    m_earlier.append(bytes);
                }
                const QString id = attach(bytes, u"case%1-%2.png"_s.arg(c).arg(i));
                QVERIFY2(!id.isEmpty(), qPrintable(u"case %1: attach failed"_s.arg(c)));
                ids.append(id);
            }
            const QStringList uploads{u"uploads"_s, u"--chunk-kib"_s, QString::number(64 << random.bounded(4))};
            m_proxy->setFaults(randomFaults(random));
            switch (mode) {
            case Mode::ProxyFaults: {
                ++m_counts[u"proxy faults"_s];
                for (int run = 0, runs = 1 + random.bounded(2); run < runs; ++run) {
                    // Retrying inside the run (backoff) through the faulty link.
                    const CliRun r = m_device->run(uploads + QStringList{u"--max-seconds"_s, QString::number(1 + random.bounded(3))});
                    QVERIFY2(r.exitCode == 0 || r.exitCode == 3, r.describe().constData());
                    if (auto s = parseSummary(r.out)) {
                        total.bytesSent += s->bytesSent;
                        total.bytesResent += s->bytesResent;
                    }
                }
                break;
            }
            case Mode::ClientKilled: {
                ++m_counts[u"client killed"_s];
                const CliRun r = m_device->runKilledAfter(uploads, std::chrono::milliseconds(20 + random.bounded(400)));
                m_counts[u"client killed while running"_s] += r.killed ? 1 : 0;
                break;
            }
            case Mode::ServerKilled: {
                ++m_counts[u"server killed"_s];
                auto process = m_device->start(uploads);
                QThread::msleep(20 + random.bounded(300));
                QVERIFY(m_side.crashAndRestart());
                m_proxy->setUpstreamPort(m_side.port());
                const CliRun r = SyncDevice::finish(*process, uploads);
                QVERIFY2(r.exitCode == 0 || r.exitCode == 3 || r.exitCode == 1, r.describe().constData());
                break;
            }
            }
            // Clean link: the queue drains.
            m_proxy->setFaults(FaultConfig::clean());
            const CliRun clean = m_device->run({u"uploads"_s, u"--max-seconds"_s, u"60"_s});
            QVERIFY2(clean.ok(), (u"case %1 seed %2: "_s.arg(c).arg(seed).toUtf8() + clean.describe()).constData());
            if (auto s = parseSummary(clean.out)) {
                total.bytesSent += s->bytesSent;
                total.bytesResent += s->bytesResent;
            }
            for (const QString &id : std::as_const(ids))
                QVERIFY2(clean.out.contains(id.toUtf8() + " delivered"), qPrintable(u"case %1: %2"_s.arg(c).arg(id)));
            checkServer(c, ids);
            if (QTest::currentTestFailed())
                return;
        }
        checkServer(cases, m_expected.keys()); // every attachment of the run, once more at the end
        if (QTest::currentTestFailed())
            return;
        checkDevice();
        qInfo().noquote() << u"cases: %1 (seed %2)"_s.arg(cases).arg(base);
        for (auto it = m_counts.cbegin(); it != m_counts.cend(); ++it)
            qInfo().noquote() << u"  %1: %2"_s.arg(it.key()).arg(it.value());
        qInfo().noquote() << u"attachments: %1, bytes sent %2, bytes sent twice %3"_s.arg(m_expected.size())
                                 .arg(total.bytesSent)
                                 .arg(total.bytesResent);
        const FaultStats stats = m_proxy->stats();
        qInfo().noquote() << u"proxy: connections %1, cuts %2 up / %3 down, duplicates %4, delays %5"_s
                                 .arg(stats.connections)
                                 .arg(stats.cutsUpstream)
                                 .arg(stats.cutsDownstream)
                                 .arg(stats.duplicatesSent)
                                 .arg(stats.delays);
        QVERIFY(stats.cuts() > 0);
    }

private:
    // Every attachment so far listed exactly once; those of `fetch` complete with the right bytes
    // (a case fetches its own; the end fetches all: fetching all after every case made a long run
    // quadratic); blobs deduplicated, one file each.
    void checkServer(int c, const QStringList &fetch)
    {
        // A long run outlives the access token (15 min): ask again for a fresh one on a 401.
        QByteArray token = m_side.token(u"rep1"_s);
        auto get = [&](const QString &path) {
            auto r = httpRequest("GET", m_side.server().url(path), {}, token);
            if (r.status == 401) {
                token = m_side.token(u"rep1"_s);
                r = httpRequest("GET", m_side.server().url(path), {}, token);
            }
            return r;
        };
        QHash<QString, int> seen;
        QString after;
        do { // pages of up to 1,000, each naming the next
            QString path = u"/v1/attachments?accountId=%1"_s.arg(m_accountId);
            if (!after.isEmpty())
                path += u"&after="_s + after;
            const auto list = get(path);
            QCOMPARE(list.status, 200);
            for (const QJsonValue &v : list.json.value(u"attachments"_s).toArray())
                ++seen[v.toObject().value(u"id"_s).toString()];
            after = list.json.value(u"next"_s).toString();
        } while (!after.isEmpty());
        for (auto it = m_expected.cbegin(); it != m_expected.cend(); ++it)
            QVERIFY2(seen.value(it.key()) == 1, qPrintable(u"case %1: %2 listed %3 times"_s.arg(c).arg(it.key()).arg(
                                                    seen.value(it.key()))));
        for (const QString &id : fetch) {
            QVERIFY2(m_expected.contains(id), qPrintable(id));
            const auto meta = get(u"/v1/attachments/"_s + id);
            QCOMPARE(meta.json.value(u"state"_s).toString(), u"complete"_s);
            const auto content = get(u"/v1/attachments/%1/content"_s.arg(id));
            QCOMPARE(content.status, 200);
            QVERIFY2(sha256Hex(content.body) == m_expected.value(id), qPrintable(u"case %1: %2 bytes differ"_s.arg(c).arg(id)));
        }
        QCOMPARE(m_side.scalar(u"SELECT count(*) FROM (SELECT sha256 FROM blobs GROUP BY tenant_id, sha256 "
                               "HAVING count(*) > 1) AS d"_s)
                     .toLongLong(),
                 0);
        QSet<QString> distinct;
        for (const QString &sha : std::as_const(m_expected))
            distinct.insert(sha);
        const qint64 blobRows = m_side.scalar(u"SELECT count(DISTINCT sha256) FROM blobs"_s).toLongLong();
        QVERIFY2(blobRows >= distinct.size(), qPrintable(u"case %1: %2 blob rows"_s.arg(c).arg(blobRows)));
        // One file per blob row in the server's folder (nothing half-stored outside the staging area).
        const QString blobDir = m_side.server().dbPath() + u".blobs"_s;
        qint64 files = 0;
        QDirIterator it(blobDir, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            it.next();
            files += it.filePath().contains(u"/.staging/"_s) ? 0 : 1;
        }
        QCOMPARE(files, blobRows);
    }

    void checkDevice()
    {
        const CliRun status = m_device->run({u"status"_s, u"--json"_s});
        QVERIFY2(status.ok(), status.describe().constData());
        const QJsonObject a = status.json().object().value(u"attachments"_s).toObject();
        QCOMPARE(a.value(u"waiting"_s).toInteger(), 0);
        QCOMPARE(a.value(u"failed"_s).toInteger(), 0);
        QCOMPARE(a.value(u"delivered"_s).toInteger(), m_expected.size());
    }
};

QTEST_GUILESS_MAIN(TestUploadFaults)
#include "tst_upload_faults.moc"
