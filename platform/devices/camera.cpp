// The camera seam: Qt Multimedia's video inputs when the build has Qt Multimedia, none otherwise.
// The list is asked for each time (a USB camera may come and go); it is cheap.
#include "platform/devices/camera.h"

#ifdef OUTPOST_HAVE_MULTIMEDIA
#include <QCameraDevice>
#include <QMediaDevices>
#endif

namespace outpost::platform {

bool hasMultimedia()
{
#ifdef OUTPOST_HAVE_MULTIMEDIA
    return true;
#else
    return false;
#endif
}

QStringList cameraNames()
{
    QStringList names;
#ifdef OUTPOST_HAVE_MULTIMEDIA
    const QList<QCameraDevice> inputs = QMediaDevices::videoInputs();
    for (const QCameraDevice &camera : inputs)
        names.append(camera.description());
#endif
    return names;
}

bool cameraAvailable()
{
#ifdef OUTPOST_HAVE_MULTIMEDIA
    return !QMediaDevices::videoInputs().isEmpty();
#else
    return false;
#endif
}

} // namespace outpost::platform
