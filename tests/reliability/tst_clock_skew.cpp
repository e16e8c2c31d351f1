// Device clocks off by days change nothing: rep1 on three devices, one with the right clock, one
// 3 days behind (--clock-offset -259200) and one 5 days ahead (--clock-offset 432000). Sign-in,
// bootstrap, orders, edits and pulls must behave the same on all three: the same order gets the
// same server outcome and total, a same-field edit is won by whoever reaches the server first
// (never by the later device timestamp), and every replica verifies against the server.
#include "tests/reliability/syncharness.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace outpost::test;

namespace {

constexpr qint64 kThreeDaysBehind = -3 * 24 * 3600;
constexpr qint64 kFiveDaysAhead = 5 * 24 * 3600;

} // namespace

class TstClockSkew : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void bootstrapVerifiesOnEveryClock();
    void sameOrderSameOutcome();
    void differentFieldEditsMerge();
    void sameFieldWinnerIsFirstToSync_data();
    void sameFieldWinnerIsFirstToSync();
    void priceChangePullsOnEveryClock();

private:
    SyncDevice &device(const QString &name);
    void syncAll();
    void verifyAll();

    QTemporaryDir m_dir;
    ServerSide m_server;
    std::vector<std::unique_ptr<SyncDevice>> m_devices; // right, behind, ahead
    QList<qint64> m_contacts;
    qsizetype m_used = 0;
};

void TstClockSkew::initTestCase()
{
    if (!QFile::exists(syncExecutable()))
        QSKIP("outpost-sync is not built");
    QVERIFY(m_dir.isValid());
    QVERIFY(m_server.seedAndStart());
    const QList<QPair<QString, qint64>> clocks{
        {u"right"_s, 0}, {u"behind"_s, kThreeDaysBehind}, {u"ahead"_s, kFiveDaysAhead}};
    for (const auto &[name, offset] : clocks) {
        auto d = std::make_unique<SyncDevice>(m_dir.filePath(name + u".db"_s), name, offset);
        const CliRun login = d->login(m_server.server().url(), u"rep1"_s, u"clock-"_s + name);
        QVERIFY2(login.ok(), login.describe().constData());
        m_devices.push_back(std::move(d));
    }
    m_contacts = m_server.contactIdsOf(u"rep1"_s);
    QVERIFY(m_contacts.size() >= 4);
}

void TstClockSkew::cleanupTestCase()
{
    m_server.server().stop();
}

SyncDevice &TstClockSkew::device(const QString &name)
{
    for (auto &d : m_devices) {
        if (d->name() == name)
            return *d;
    }
    qFatal("no device %s", qPrintable(name));
}

void TstClockSkew::syncAll()
{
    for (auto &d : m_devices) {
        const CliRun r = d->sync();
        QVERIFY2(r.ok(), r.describe().constData());
    }
}

void TstClockSkew::verifyAll()
{
    for (auto &d : m_devices) {
        QByteArray why;
        const auto st = d->status(true, &why);
        QVERIFY2(st, why.constData());
        QVERIFY2(st->verified && st->checksumsMatch,
                 (d->name().toUtf8() + ": " + QJsonDocument(st->raw).toJson(QJsonDocument::Compact)).constData());
        QCOMPARE(st->pending, 0);
        QCOMPARE(st->failed, 0);
    }
}

void TstClockSkew::bootstrapVerifiesOnEveryClock()
{
    syncAll();
    verifyAll();
}

void TstClockSkew::sameOrderSameOutcome()
{
    const QString account = m_server.accountCodesOf(u"rep1"_s).first();
    QHash<QString, QString> orderOf; // device -> order id
    for (auto &d : m_devices) {
        const CliRun r = d->createOrder(account, {{u"SKU-0000003"_s, 2}, {u"SKU-0000017"_s, 5}}, u"clock skew"_s);
        const QString id = SyncDevice::orderIdOf(r);
        QVERIFY2(r.ok() && !id.isEmpty(), r.describe().constData());
        orderOf.insert(d->name(), id);
    }
    syncAll();
    syncAll(); // each device also pulls the others' orders

    const auto onServer = m_server.orders(u"rep1"_s);
    QVERIFY(onServer);
    const QString reference = onServer->value(orderOf.value(u"right"_s));
    QVERIFY(!reference.isEmpty());
    QByteArray why;
    for (auto &d : m_devices) {
        const QString id = orderOf.value(d->name());
        // The same order gets the same decision whatever the capturing device's clock said.
        QCOMPARE(onServer->value(id), reference);
        const qint64 total = m_server.scalar(u"SELECT total_minor FROM orders WHERE id = ?"_s, {id}).toLongLong();
        const qint64 refTotal =
            m_server.scalar(u"SELECT total_minor FROM orders WHERE id = ?"_s, {orderOf.value(u"right"_s)})
                .toLongLong();
        QCOMPARE(total, refTotal);
        // Every device shows the server's outcome on all three orders.
        const auto local = d->orders(&why);
        QVERIFY2(local, why.constData());
        for (const QString &other : orderOf) {
            bool found = false;
            for (const DeviceOrder &o : *local) {
                if (o.id.toLower() == other) {
                    found = true;
                    QCOMPARE(o.outcome.toLower(), reference.toLower());
                }
            }
            QVERIFY2(found, qPrintable(d->name() + u" lacks order "_s + other));
        }
    }
    verifyAll();
}

void TstClockSkew::differentFieldEditsMerge()
{
    const qint64 c = m_contacts.at(m_used++);
    QVERIFY(device(u"behind"_s).edit(u"contact"_s, c, {{u"phone"_s, u"+44 7700 900101"_s}}).ok());
    QVERIFY(device(u"ahead"_s).edit(u"contact"_s, c, {{u"role"_s, u"Owner"_s}}).ok());
    syncAll();
    QCOMPARE(m_server.contactField(c, u"phone"_s), u"+44 7700 900101"_s);
    QCOMPARE(m_server.contactField(c, u"role"_s), u"Owner"_s);
    for (auto &d : m_devices) {
        QByteArray why;
        const auto conflicts = d->conflicts(&why);
        QVERIFY2(conflicts, why.constData());
        for (const DeviceConflict &x : *conflicts)
            QVERIFY(!(x.entity == u"contacts"_s && x.recordId == c));
    }
    syncAll();
    verifyAll();
}

void TstClockSkew::sameFieldWinnerIsFirstToSync_data()
{
    QTest::addColumn<QString>("first");
    QTest::addColumn<QString>("second");
    QTest::newRow("behindSyncsFirst") << u"behind"_s << u"ahead"_s;
    QTest::newRow("aheadSyncsFirst") << u"ahead"_s << u"behind"_s;
}

void TstClockSkew::sameFieldWinnerIsFirstToSync()
{
    QFETCH(QString, first);
    QFETCH(QString, second);
    const qint64 c = m_contacts.at(m_used++);
    // The second device edits first in real time, and its clock may say "later" or "earlier":
    // neither matters, the server order does.
    QVERIFY(device(second).edit(u"contact"_s, c, {{u"phone"_s, u"phone of "_s + second}}).ok());
    QVERIFY(device(first).edit(u"contact"_s, c, {{u"phone"_s, u"phone of "_s + first}}).ok());
    CliRun r = device(first).sync();
    QVERIFY2(r.ok(), r.describe().constData());
    r = device(second).sync();
    QVERIFY2(r.ok(), r.describe().constData());
    QCOMPARE(m_server.contactField(c, u"phone"_s), u"phone of "_s + first);

    QByteArray why;
    const auto lost = device(second).conflicts(&why);
    QVERIFY2(lost, why.constData());
    QList<DeviceConflict> mine;
    for (const DeviceConflict &x : *lost) {
        if (x.entity == u"contacts"_s && x.recordId == c)
            mine << x;
    }
    QCOMPARE(mine.size(), 1);
    QCOMPARE(mine.first().theirs.toString(), u"phone of "_s + first);
    QVERIFY(device(second).resolve(mine.first().id, false).ok());
    syncAll();
    verifyAll();
}

void TstClockSkew::priceChangePullsOnEveryClock()
{
    QByteArray why;
    QVERIFY2(m_server.importPrices("price_group,sku,price\nG01,SKU-0000003,12.34\nG02,SKU-0000017,0.99\n", &why),
             why.constData());
    syncAll();
    verifyAll();
}

QTEST_GUILESS_MAIN(TstClockSkew)
#include "tst_clock_skew.moc"
