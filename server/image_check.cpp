#include "server/image_check.h"

#include <QIODevice>
#include <QImageReader>

using namespace Qt::Literals::StringLiterals;

namespace outpost::server {

namespace {

constexpr int kMaxEdge = 100000; // pixels; a header claiming more is not a photo

Error notAnImage(const QString &detail)
{
    return Error::make(ErrorKind::Rejected, u"upload.not_an_image"_s,
                       u"The uploaded bytes are not the image the attachment announced."_s, detail);
}

bool hasMagic(const QByteArray &head, const QString &mime)
{
    if (mime == u"image/jpeg"_s)
        return head.startsWith(QByteArray("\xFF\xD8\xFF", 3));
    if (mime == u"image/png"_s) {
        static const QByteArray signature("\x89PNG\r\n\x1A\n", 8);
        // signature, then the first chunk: length 13, type IHDR
        return head.size() >= 16 && head.startsWith(signature) && head.mid(8, 4) == QByteArray("\0\0\0\x0D", 4) &&
               head.mid(12, 4) == "IHDR";
    }
    return false;
}

} // namespace

bool isSupportedImageMime(const QString &mime)
{
    return mime == u"image/jpeg"_s || mime == u"image/png"_s;
}

Result<ImageHeader> checkImageHeader(QIODevice &device, const QString &mime)
{
    if (!isSupportedImageMime(mime))
        return notAnImage(u"unsupported mime"_s);
    if (!device.seek(0))
        return notAnImage(u"cannot seek"_s);
    const QByteArray head = device.peek(16);
    if (!hasMagic(head, mime))
        return notAnImage(u"magic bytes do not match"_s);

    const QByteArray expected = mime == u"image/jpeg"_s ? QByteArray("jpeg") : QByteArray("png");
    QImageReader reader(&device, expected);
    reader.setDecideFormatFromContent(true);
    if (!reader.canRead())
        return notAnImage(u"no image reader accepts the header"_s);
    const QByteArray format = reader.format().toLower();
    if (format != expected && !(expected == "jpeg" && format == "jpg"))
        return notAnImage(u"header of another format"_s);
    const QSize size = reader.size(); // header only: the image is not decoded
    if (!size.isValid() || size.isEmpty() || size.width() > kMaxEdge || size.height() > kMaxEdge)
        return notAnImage(u"no valid image size in the header"_s);
    return ImageHeader{expected, size};
}

} // namespace outpost::server
