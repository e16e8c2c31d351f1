// A picture becomes what Outpost stores and sends: the source format is sniffed from the bytes
// (never from the file name), the EXIF orientation applied, the pixels scaled to maxEdge and
// re-encoded as JPEG (which also drops every metadata segment: only the position we choose to
// attach travels, as attachment metadata), plus a thumbnail.
#include "app/media/photo_import.h"

#include <QBuffer>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QImageWriter>
#include <QLoggingCategory>
#include <QPainter>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcMedia, "outpost.media", QtInfoMsg)

namespace outpost::media {

namespace {

// The most pixels we decode: 64 MP as 32-bit pixels stays under QImageReader's default 256 MiB
// allocation limit (which is global, so it is left alone).
constexpr qint64 kMaxSourcePixels = 64LL * 1000 * 1000;

Error invalid(const QString &code, const QString &text, const QString &detail = {})
{
    return Error::make(ErrorKind::Invalid, code, text, detail);
}

Status checkOptions(const PhotoOptions &o)
{
    if (o.maxEdge < 0 || o.maxEdge > 20000 || o.quality < 1 || o.quality > 100 || o.thumbEdge < 16 ||
        o.thumbEdge > 2048 || o.thumbQuality < 1 || o.thumbQuality > 100 || o.maxSourceBytes < 1)
        return invalid(u"photo.bad_options"_s, u"The photo settings are not valid."_s);
    return {};
}

// The formats a photo may come in. Text-based formats Qt also reads (XPM, XBM, SVG, PBM) are
// refused: a text file must never pass as a photo.
bool acceptedFormat(const QByteArray &format)
{
    static const QList<QByteArray> formats{"jpeg", "jpg",  "png", "bmp",  "gif",
                                           "webp", "tiff", "tif", "heic", "heif"};
    return formats.contains(format.toLower());
}

// A JPEG's entropy-coded data escapes 0xFF as FF 00, so FF D9 after the first start of scan is the
// end of image. Without it the file was cut short: libjpeg would decode it anyway, padding with
// grey. The segments before the scan are walked by their lengths, so an EXIF thumbnail (a whole
// JPEG inside APP1) is not mistaken for the image.
bool jpegComplete(const QByteArray &bytes)
{
    const auto *b = reinterpret_cast<const uchar *>(bytes.constData());
    const qsizetype n = bytes.size();
    qsizetype pos = 2;
    while (pos + 4 <= n && b[pos] == 0xFF) {
        const uchar marker = b[pos + 1];
        if (marker == 0xFF) {
            ++pos;
            continue;
        }
        if (marker == 0xDA)
            return bytes.indexOf("\xFF\xD9", pos + 2) >= 0;
        pos += 2 + ((qsizetype(b[pos + 2]) << 8) | b[pos + 3]);
    }
    return false;
}

// The JPEG with every APPn segment but APP0 (JFIF) and APP14 (Adobe colour transform) removed,
// and the comment segments: EXIF (GPS, camera serials), XMP and IPTC never leave the device.
// The entropy-coded data is copied untouched (pixels identical).
QByteArray stripJpegMetadata(const QByteArray &in)
{
    const auto *b = reinterpret_cast<const uchar *>(in.constData());
    const qsizetype n = in.size();
    QByteArray out = in.left(2);
    qsizetype pos = 2;
    while (pos + 4 <= n && b[pos] == 0xFF) {
        const uchar marker = b[pos + 1];
        if (marker == 0xDA)
            break;
        const qsizetype length = (qsizetype(b[pos + 2]) << 8) | b[pos + 3];
        if (length < 2 || length > n - pos - 2)
            break;
        const bool drop = (marker >= 0xE1 && marker <= 0xEF && marker != 0xEE) || marker == 0xFE;
        if (!drop)
            out.append(in.constData() + pos, length + 2);
        pos += length + 2;
    }
    out.append(in.constData() + pos, n - pos);
    return out;
}

// The PNG without its text and EXIF chunks (tEXt/zTXt/iTXt carry XMP; eXIf carries EXIF).
QByteArray stripPngMetadata(const QByteArray &in)
{
    const qsizetype n = in.size();
    QByteArray out = in.left(8);
    qsizetype pos = 8;
    while (pos + 12 <= n) {
        const auto *p = reinterpret_cast<const uchar *>(in.constData() + pos);
        const qint64 length = (qint64(p[0]) << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
        if (length > n - pos - 12)
            break;
        const QByteArrayView type(in.constData() + pos + 4, 4);
        const bool drop = type == "tEXt" || type == "zTXt" || type == "iTXt" || type == "eXIf";
        if (!drop)
            out.append(in.constData() + pos, length + 12);
        pos += length + 12;
    }
    out.append(in.constData() + pos, n - pos);
    return out;
}

QByteArray encodeJpeg(const QImage &image, int quality)
{
    QByteArray out;
    QBuffer buffer(&out);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, "jpeg");
    writer.setQuality(quality);
    writer.setOptimizedWrite(true);
    if (!writer.write(image))
        return {};
    return out;
}

// Transparent pixels over white (a JPEG has no alpha; Qt would make them black).
QImage flattened(const QImage &image)
{
    if (!image.hasAlphaChannel())
        return image.format() == QImage::Format_RGB32 ? image : image.convertToFormat(QImage::Format_RGB32);
    QImage out(image.size(), QImage::Format_RGB32);
    out.fill(Qt::white);
    QPainter painter(&out);
    painter.drawImage(0, 0, image);
    painter.end();
    return out;
}

// The EXIF orientation (1..8) applied the way Qt's handlers do: mirror/flip, then rotate.
QImage applyOrientation(QImage image, int orientation)
{
    switch (orientation) {
    case 2:
        return image.mirrored(true, false);
    case 3:
        return image.mirrored(true, true);
    case 4:
        return image.mirrored(false, true);
    case 5:
        return image.mirrored(false, true).transformed(QTransform().rotate(90));
    case 6:
        return image.transformed(QTransform().rotate(90));
    case 7:
        return image.mirrored(true, false).transformed(QTransform().rotate(90));
    case 8:
        return image.transformed(QTransform().rotate(270));
    default:
        return image;
    }
}

QImage fitted(const QImage &image, int maxEdge)
{
    if (maxEdge <= 0 || (image.width() <= maxEdge && image.height() <= maxEdge))
        return image;
    return image.scaled(maxEdge, maxEdge, Qt::KeepAspectRatio, Qt::SmoothTransformation);
}

// A bare file name: no folders (either separator), no drive letter, no control characters,
// at most 255 bytes of UTF-8; the extension made `suffix` (or `alsoFine`) to match the bytes.
QString bareFileName(const QString &name, const QString &suffix, const QString &alsoFine = {})
{
    QString base = name.mid(qMax(name.lastIndexOf(u'/'), name.lastIndexOf(u'\\')) + 1);
    if (base.size() >= 2 && base.at(1) == u':' && base.at(0).isLetter())
        base = base.mid(2);
    base.removeIf([](QChar c) { return c.unicode() < 0x20 || c.unicode() == 0x7f || c == u':'; });
    base = base.trimmed();
    if (base.isEmpty() || base == u"."_s || base == u".."_s)
        base = u"photo"_s;
    const qsizetype dot = base.lastIndexOf(u'.');
    const QString current = dot > 0 ? base.mid(dot + 1) : QString(); // "JPG" becomes "jpg"
    if (current != suffix && (alsoFine.isEmpty() || current != alsoFine)) {
        if (dot > 0)
            base.truncate(dot);
        base += u'.' + suffix;
    }
    while (base.toUtf8().size() > 255) {
        const qsizetype ext = base.lastIndexOf(u'.'); // shorten the name, keep the extension
        base.remove(ext > 1 ? ext - 1 : base.size() - 1, 1);
    }
    return base;
}

Result<PreparedPhoto> finish(const QImage &upright, PreparedPhoto photo, const PhotoOptions &options)
{
    const QImage flat = flattened(upright);
    if (photo.bytes.isEmpty()) {
        const QImage scaled = fitted(flat, options.maxEdge);
        photo.bytes = encodeJpeg(scaled, options.quality);
        photo.mime = u"image/jpeg"_s;
        photo.width = scaled.width();
        photo.height = scaled.height();
    } else {
        photo.width = upright.width();
        photo.height = upright.height();
    }
    photo.thumbnail = encodeJpeg(fitted(flat, options.thumbEdge), options.thumbQuality);
    if (photo.bytes.isEmpty() || photo.thumbnail.isEmpty())
        return Error::make(ErrorKind::Internal, u"photo.encode_failed"_s, u"The photo could not be saved."_s);
    qCDebug(lcMedia) << "photo prepared" << photo.width << photo.height << photo.bytes.size() << "bytes";
    return photo;
}

} // namespace

Result<PreparedPhoto> preparePhotoFile(const QString &path, const PhotoOptions &options)
{
    if (auto ok = checkOptions(options); !ok)
        return ok.error();
    const QFileInfo info(path);
    if (path.isEmpty() || !info.exists() || !info.isFile())
        return invalid(u"photo.unreadable"_s, u"The photo file does not exist."_s);
    if (info.size() > options.maxSourceBytes)
        return invalid(u"photo.too_large"_s, u"The photo file is too large."_s,
                       u"%1 bytes"_s.arg(info.size()));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return invalid(u"photo.unreadable"_s, u"The photo file cannot be read."_s, file.errorString());
    const QByteArray bytes = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return invalid(u"photo.unreadable"_s, u"The photo file cannot be read."_s, file.errorString());
    return preparePhotoBytes(bytes, info.fileName(), options);
}

Result<PreparedPhoto> preparePhotoBytes(const QByteArray &bytes, const QString &fileName,
                                        const PhotoOptions &options)
{
    if (auto ok = checkOptions(options); !ok)
        return ok.error();
    if (bytes.size() > options.maxSourceBytes)
        return invalid(u"photo.too_large"_s, u"The photo file is too large."_s,
                       u"%1 bytes"_s.arg(bytes.size()));

    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer); // no file name: the format comes from the bytes alone
    reader.setDecideFormatFromContent(true);
    const QByteArray format = reader.format().toLower();
    if (bytes.isEmpty() || format.isEmpty() || !acceptedFormat(format))
        return invalid(u"photo.not_an_image"_s, u"The file is not a photo."_s,
                       u"format '%1'"_s.arg(QString::fromLatin1(format)));
    const bool isJpeg = format == "jpeg" || format == "jpg";
    const bool isPng = format == "png";

    // A format was recognised but the data is damaged or cut short: unreadable (not "not an
    // image"), so the user is told the file is broken rather than of the wrong kind.
    if (isJpeg && !jpegComplete(bytes))
        return invalid(u"photo.unreadable"_s, u"The photo file is damaged or incomplete."_s,
                       u"JPEG without end of image"_s);
    const QSize size = reader.size();
    if (size.isValid() && qint64(size.width()) * size.height() > kMaxSourcePixels)
        return invalid(u"photo.too_large"_s, u"The photo has too many pixels."_s,
                       u"%1x%2"_s.arg(size.width()).arg(size.height()));

    const ExifInfo exif = isJpeg ? readExif(bytes) : ExifInfo{};
    reader.setAutoTransform(true);
    QImage image = reader.read();
    if (image.isNull())
        return invalid(u"photo.unreadable"_s, u"The photo file is damaged or incomplete."_s,
                       reader.errorString());
    // Qt 6.4 applies the EXIF orientation itself (tst_media checks all eight); should a handler
    // not report it, the orientation read here is applied instead.
    if (exif.orientation != 1 && reader.transformation() == QImageIOHandler::TransformationNone)
        image = applyOrientation(std::move(image), exif.orientation);
    PreparedPhoto photo;
    photo.sourceOrientation = exif.orientation;
    photo.exifPosition = exif.position;

    // maxEdge 0 keeps the pixels: an upright JPEG or a PNG keeps its compressed bytes (minus
    // metadata); anything else is encoded once at `quality` without scaling.
    const bool upright =
        exif.orientation == 1 && reader.transformation() == QImageIOHandler::TransformationNone;
    const bool keepBytes = options.maxEdge == 0 && ((isJpeg && upright) || isPng);
    if (keepBytes) {
        photo.bytes = isJpeg ? stripJpegMetadata(bytes) : stripPngMetadata(bytes);
        photo.mime = isJpeg ? u"image/jpeg"_s : u"image/png"_s;
    }
    const QString keptSuffix = isJpeg ? u"jpg"_s : u"png"_s;
    photo.fileName = bareFileName(fileName, keepBytes ? keptSuffix : u"jpg"_s,
                                  keepBytes && isJpeg ? u"jpeg"_s : QString());
    return finish(image, std::move(photo), options);
}

Result<PreparedPhoto> preparePhotoImage(const QImage &image, const QString &fileName,
                                        const PhotoOptions &options)
{
    if (auto ok = checkOptions(options); !ok)
        return ok.error();
    if (image.isNull())
        return invalid(u"photo.not_an_image"_s, u"The camera gave no picture."_s);
    if (qint64(image.width()) * image.height() > kMaxSourcePixels)
        return invalid(u"photo.too_large"_s, u"The photo has too many pixels."_s);
    PreparedPhoto photo;
    photo.fileName = bareFileName(fileName, u"jpg"_s);
    return finish(image, std::move(photo), options);
}

} // namespace outpost::media
