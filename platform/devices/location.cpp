// The position seam. With Qt Positioning: the platform's default source, or an NMEA log replayed in
// simulation mode (fixes arrive at the pace of their timestamps). Nothing here waits for a fix:
// the last one received is kept and handed out while it is fresh.
#include "platform/devices/location.h"

#include <QLoggingCategory>

#ifdef OUTPOST_HAVE_POSITIONING
#include <QFile>
#include <QFileInfo>
#include <QGeoPositionInfoSource>
#include <QNmeaPositionInfoSource>
#endif

#include <cmath>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcLocation, "outpost.platform.location", QtInfoMsg)

namespace outpost::platform {

namespace {
#ifdef OUTPOST_HAVE_POSITIONING
// A receiver's user equivalent range error: NMEA gives the horizontal dilution of precision, and
// Qt reports 2 x HDOP x UERE as the horizontal accuracy (about 95 %), its documented approach.
constexpr double kUserEquivalentRangeErrorM = 5.0;
#endif
} // namespace

struct Location::Private
{
#ifdef OUTPOST_HAVE_POSITIONING
    QGeoPositionInfoSource *source = nullptr; // child of the Location
    QFile *nmea = nullptr;                    // child of the Location
#endif
    bool failed = false;
    QString name;
    std::optional<Position> last;
    QDateTime receivedAt; // device clock (UTC) when `last` arrived
};

Location::Location(const QString &nmeaFile, QObject *parent) : QObject(parent), d(std::make_unique<Private>())
{
#ifdef OUTPOST_HAVE_POSITIONING
    if (!nmeaFile.isEmpty()) {
        auto *file = new QFile(nmeaFile, this);
        if (!file->open(QIODevice::ReadOnly)) {
            qCWarning(lcLocation) << "NMEA log cannot be opened:" << file->errorString();
            delete file;
            return;
        }
        auto *nmea = new QNmeaPositionInfoSource(QNmeaPositionInfoSource::SimulationMode, this);
        nmea->setUserEquivalentRangeError(kUserEquivalentRangeErrorM);
        nmea->setDevice(file);
        d->nmea = file;
        d->source = nmea;
        d->name = u"nmea:"_s + QFileInfo(nmeaFile).fileName();
    } else {
        d->source = QGeoPositionInfoSource::createDefaultSource(this);
        if (!d->source) {
            qCInfo(lcLocation) << "no positioning source on this device";
            return;
        }
        d->name = d->source->sourceName();
    }

    connect(d->source, &QGeoPositionInfoSource::positionUpdated, this, [this](const QGeoPositionInfo &info) {
        if (!info.isValid() || !info.coordinate().isValid())
            return;
        Position p;
        p.latE6 = std::llround(info.coordinate().latitude() * 1e6);
        p.lonE6 = std::llround(info.coordinate().longitude() * 1e6);
        if (info.hasAttribute(QGeoPositionInfo::HorizontalAccuracy)) {
            const double accuracy = info.attribute(QGeoPositionInfo::HorizontalAccuracy);
            if (std::isfinite(accuracy) && accuracy >= 0)
                p.accuracyM = std::llround(accuracy);
        }
        p.at = info.timestamp().toUTC();
        d->last = p;
        d->receivedAt = QDateTime::currentDateTimeUtc();
        Q_EMIT positionChanged();
    });
    connect(d->source, &QGeoPositionInfoSource::errorOccurred, this,
            [this](QGeoPositionInfoSource::Error error) {
                // A source that cannot be used at all (no daemon, no permission) is no source; a timeout
                // or the end of a replayed log is not a failure: the last fix stays.
                if (error == QGeoPositionInfoSource::AccessError ||
                    (error == QGeoPositionInfoSource::ClosedError && !d->nmea)) {
                    qCInfo(lcLocation) << "positioning source unusable, error" << int(error);
                    const bool was = available();
                    d->failed = true;
                    if (was)
                        Q_EMIT availableChanged();
                }
            });
    // Started from the event loop: a replayed log delivers its first fix at once, and the owner
    // must have had the chance to connect to positionChanged.
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (d->source) {
                d->source->startUpdates();
                qCInfo(lcLocation) << "positioning source started";
            }
        },
        Qt::QueuedConnection);
#else
    Q_UNUSED(nmeaFile);
    qCInfo(lcLocation) << "built without Qt Positioning: no position";
#endif
}

Location::~Location() = default;

bool Location::available() const
{
#ifdef OUTPOST_HAVE_POSITIONING
    return d->source != nullptr && !d->failed;
#else
    return false;
#endif
}

QString Location::sourceName() const
{
    return available() ? d->name : QString();
}

std::optional<Position> Location::lastKnown(std::chrono::seconds maxAge) const
{
    if (!d->last)
        return std::nullopt;
    const qint64 age = d->receivedAt.secsTo(QDateTime::currentDateTimeUtc());
    if (age > maxAge.count())
        return std::nullopt;
    return d->last;
}

} // namespace outpost::platform
