// The device's position, when it knows one: Qt Positioning's default source on a device with GPS,
// or an NMEA log replayed (--nmea FILE: demos, tests, a desktop without GPS). A photo or a visit
// takes lastKnown() at capture; nothing waits for a fix.
#pragma once

#include <QDateTime>
#include <QObject>
#include <QString>

#include <chrono>
#include <memory>
#include <optional>

namespace outpost::platform {

struct Position
{
    qint64 latE6 = 0;
    qint64 lonE6 = 0;
    std::optional<qint64> accuracyM;
    QDateTime at; // UTC, the fix's time
};

class Location : public QObject
{
    Q_OBJECT
    Q_PROPERTY(bool available READ available NOTIFY availableChanged)
    Q_PROPERTY(QString sourceName READ sourceName NOTIFY availableChanged)

public:
    // nmeaFile empty: the platform's default source (none on a machine without GPS).
    explicit Location(const QString &nmeaFile = {}, QObject *parent = nullptr);
    ~Location() override;

    bool available() const;   // a source exists
    QString sourceName() const;
    // The last fix no older than maxAge (device clock); nullopt when there is none.
    std::optional<Position> lastKnown(std::chrono::seconds maxAge = std::chrono::minutes(10)) const;

Q_SIGNALS:
    void availableChanged();
    void positionChanged();

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace outpost::platform
