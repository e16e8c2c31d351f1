// Photos for attachments (library outpost_media: QtCore + QtGui, no QML): a picture file or a
// camera frame becomes what is stored and sent -- the EXIF orientation applied, scaled so its
// longest edge is at most maxEdge, encoded as JPEG at `quality` (a 12 MP camera photo becomes a
// few hundred KB, not 8 MB), plus a thumbnail for lists, plus the GPS position from the file's
// EXIF when it has one.
#pragma once

#include "domain/result.h"

#include <QByteArray>
#include <QImage>
#include <QString>

#include <optional>

namespace outpost::media {

struct PhotoOptions
{
    int maxEdge = 2048; // 0 = keep the original pixels (and bytes, when already JPEG/PNG)
    int quality = 80;   // JPEG quality 1..100
    int thumbEdge = 256;
    int thumbQuality = 70;
    qint64 maxSourceBytes = 256LL * 1024 * 1024; // larger files: "photo.too_large"
};

struct GeoPosition
{
    qint64 latE6 = 0; // micro-degrees, north positive
    qint64 lonE6 = 0; // east positive
    std::optional<qint64> accuracyM;
};

struct PreparedPhoto
{
    QByteArray bytes;    // what is stored and uploaded
    QString mime;        // "image/jpeg" (or "image/png" when maxEdge == 0 and the source is PNG)
    int width = 0;       // after orientation and scaling
    int height = 0;
    QByteArray thumbnail; // JPEG, longest edge <= thumbEdge
    int sourceOrientation = 1;             // EXIF orientation tag of the source (1 = none)
    std::optional<GeoPosition> exifPosition; // from the source's EXIF GPS tags
    QString fileName;    // bare file name to show and send (no folders; ".jpg" when re-encoded)
};

// Errors (Invalid): "photo.unreadable" (missing, not readable), "photo.not_an_image" (the bytes are
// no image format Qt reads, whatever the extension says), "photo.too_large", "photo.bad_options".
Result<PreparedPhoto> preparePhotoFile(const QString &path, const PhotoOptions &options = {});
Result<PreparedPhoto> preparePhotoBytes(const QByteArray &bytes, const QString &fileName,
                                        const PhotoOptions &options = {});
Result<PreparedPhoto> preparePhotoImage(const QImage &image, const QString &fileName,
                                        const PhotoOptions &options = {}); // a camera frame

// EXIF reading (JPEG APP1 "Exif" TIFF structure, both byte orders): orientation 1..8 (1 when
// absent) and the GPS position when GPSLatitude/GPSLongitude (+Ref) are present. Never throws on
// malformed data: it returns what it could read.
struct ExifInfo
{
    int orientation = 1;
    std::optional<GeoPosition> position;
};
ExifInfo readExif(const QByteArray &jpegBytes);

// Test support: a minimal EXIF APP1 segment (orientation, and GPS when given) inserted after the
// SOI marker of a JPEG.
QByteArray withExif(const QByteArray &jpeg, int orientation, std::optional<GeoPosition> position = {});

} // namespace outpost::media
