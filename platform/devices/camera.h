// Whether the device has a camera (Qt Multimedia's video inputs). The capture UI itself is QML
// (QtMultimedia's CaptureSession), loaded only when a camera exists; without one, photos come
// from files.
#pragma once

#include <QString>
#include <QStringList>

namespace outpost::platform {

bool hasMultimedia();        // built with Qt Multimedia
bool cameraAvailable();      // at least one video input right now
QStringList cameraNames();   // their descriptions, for Settings

} // namespace outpost::platform
