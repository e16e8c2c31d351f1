// The device seams (outpost_platform_devices): the position from an NMEA replay of
// resources/demo-route.nmea, no position without a source, and the camera list (empty on the
// build machines: no camera, and nothing crashes).
#include "platform/devices/camera.h"
#include "platform/devices/location.h"

#include <QFile>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using outpost::platform::Location;

namespace {

QString routePath()
{
    return QStringLiteral(OUTPOST_SOURCE_DIR) + u"/resources/demo-route.nmea"_s;
}

struct Fix
{
    qint64 latE6 = 0;
    qint64 lonE6 = 0;
    QDateTime at;
};

// "ddmm.mmmm" (or "dddmm.mmmm") with four decimals to micro-degrees, in integers only.
qint64 nmeaToE6(const QString &value, const QString &hemisphere)
{
    const qsizetype dot = value.indexOf(u'.');
    const qint64 degrees = value.left(dot - 2).toLongLong();
    const qint64 minutesE4 = value.mid(dot - 2, 2).toLongLong() * 10000 + value.mid(dot + 1, 4).toLongLong();
    const qint64 e6 = degrees * 1'000'000 + minutesE4 * 100 / 60; // the route's minutes divide exactly
    return hemisphere == u"S"_s || hemisphere == u"W"_s ? -e6 : e6;
}

// The route as the file says it, read independently of Qt Positioning: the RMC sentences.
QList<Fix> routeFixes()
{
    QList<Fix> fixes;
    QFile file(routePath());
    if (!file.open(QIODevice::ReadOnly))
        return fixes;
    while (!file.atEnd()) {
        const QString line = QString::fromLatin1(file.readLine()).trimmed();
        if (!line.startsWith(u"$GPRMC"_s))
            continue;
        const QStringList f = line.left(line.indexOf(u'*')).split(u',');
        const QDate date = QDate::fromString(f[9], u"ddMMyy"_s).addYears(100);
        const QTime time(f[1].left(2).toInt(), f[1].mid(2, 2).toInt(), f[1].mid(4, 2).toInt(),
                         f[1].mid(7, 2).toInt() * 10); // "hhmmss.ss"
        fixes.append({nmeaToE6(f[3], f[4]), nmeaToE6(f[5], f[6]), QDateTime(date, time, Qt::UTC)});
    }
    return fixes;
}

} // namespace

class TestDevices : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void routeFileIsAShortLondonRoute();
    void nmeaReplayGivesAPosition();
    void missingNmeaFileIsNoSource();
    void noFileAndNoGpsIsNoPosition();
    void cameraListAgreesWithAvailability();
};

void TestDevices::routeFileIsAShortLondonRoute()
{
    const QList<Fix> fixes = routeFixes();
    QVERIFY(fixes.size() >= 5);
    for (const Fix &f : fixes) {
        QVERIFY(f.latE6 > 51'400'000 && f.latE6 < 51'600'000);
        QVERIFY(f.lonE6 > -300'000 && f.lonE6 < 0);
        QVERIFY(f.at.isValid());
    }
}

void TestDevices::nmeaReplayGivesAPosition()
{
    const QList<Fix> fixes = routeFixes();
    QVERIFY(!fixes.isEmpty());
#ifdef OUTPOST_TEST_NO_POSITIONING
    QSKIP("built without Qt Positioning");
#endif
    Location location(routePath());
    QVERIFY(location.available());
    QCOMPARE(location.sourceName(), u"nmea:demo-route.nmea"_s);
    QSignalSpy changed(&location, &Location::positionChanged);
    QTRY_VERIFY_WITH_TIMEOUT(location.lastKnown().has_value(), 15000);
    QVERIFY(changed.count() >= 1);
    const auto p = *location.lastKnown();
    const auto match = std::find_if(fixes.cbegin(), fixes.cend(), [&](const Fix &f) { return f.at == p.at; });
    QVERIFY2(match != fixes.cend(), qPrintable(p.at.toString(Qt::ISODateWithMs)));
    QCOMPARE(p.latE6, match->latE6);
    QCOMPARE(p.lonE6, match->lonE6);
    QCOMPARE(p.at.timeSpec(), Qt::UTC);
    // HDOP 1.2 or 1.6 in the file; Qt reports 2 x HDOP x UERE (5 m): 12 or 16 m.
    QVERIFY(p.accuracyM.has_value());
    QVERIFY2(*p.accuracyM == 12 || *p.accuracyM == 16, qPrintable(QString::number(*p.accuracyM)));
    // A fix just received is fresh for any reasonable age, and "older than -1 s" it never is.
    QVERIFY(location.lastKnown(std::chrono::seconds(60)).has_value());
    QVERIFY(!location.lastKnown(std::chrono::seconds(-1)).has_value());
}

void TestDevices::missingNmeaFileIsNoSource()
{
    QTemporaryDir dir;
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"NMEA log cannot be opened"_s));
    Location location(dir.filePath(u"no-such.nmea"_s));
    QVERIFY(!location.available());
    QVERIFY(location.sourceName().isEmpty());
    QVERIFY(!location.lastKnown().has_value());
}

// This machine has no GPS. Qt may still offer a default source (the GeoClue plugin) that then
// reports it cannot be used; either way no position ever comes and available() ends false.
void TestDevices::noFileAndNoGpsIsNoPosition()
{
    Location location;
    QTRY_VERIFY_WITH_TIMEOUT(!location.available(), 10000);
    QVERIFY(location.sourceName().isEmpty());
    QVERIFY(!location.lastKnown().has_value());
}

void TestDevices::cameraListAgreesWithAvailability()
{
    const bool available = outpost::platform::cameraAvailable();
    const QStringList names = outpost::platform::cameraNames();
    QCOMPARE(available, !names.isEmpty());
    if (!outpost::platform::hasMultimedia())
        QVERIFY(!available);
    qInfo("multimedia: %s, cameras: %lld", outpost::platform::hasMultimedia() ? "yes" : "no",
          qlonglong(names.size()));
}

QTEST_MAIN(TestDevices)
#include "tst_devices.moc"
