// Is an upload what its mime type says? The magic bytes, then the image header read by
// QImageReader (format and size only; the pixels are never decoded, so a 100 MB image costs a few
// kilobytes of reads). Needs QtGui's image readers but no QGuiApplication.
#pragma once

#include "domain/result.h"

#include <QByteArray>
#include <QSize>
#include <QString>

class QIODevice;

namespace outpost::server {

struct ImageHeader
{
    QByteArray format; // "jpeg" | "png"
    QSize size;
};

// The mime types attachments may have: "image/jpeg", "image/png".
bool isSupportedImageMime(const QString &mime);

// Checks `device` (open for reading, positioned anywhere) against `mime`: JPEG starts FF D8 FF;
// PNG starts with its 8-byte signature followed by the IHDR chunk; then QImageReader must read a
// header of that format with a non-empty size. Error "upload.not_an_image" (Rejected) otherwise.
Result<ImageHeader> checkImageHeader(QIODevice &device, const QString &mime);

} // namespace outpost::server
