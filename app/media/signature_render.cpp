// Signature strokes to pixels. Deterministic by construction: a fixed-size ARGB32 image, an opaque
// white background, the raster paint engine (no GPU, no fonts), integer input coordinates and a
// fixed pen per segment; the PNG is written at a fixed compression level with no text chunks.
#include "app/media/signature_render.h"

#include <QBuffer>
#include <QImageWriter>
#include <QPainter>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace outpost::media {

namespace {

constexpr qsizetype kMaxStrokes = 5000;
constexpr qint64 kMaxPoints = 200000;
constexpr qint32 kMaxCoordinate = 10000;
constexpr int kMaxOutputEdge = 4096;
const QColor kInk(0x1a, 0x23, 0x7e); // dark blue-black, reads as ink on white

Error invalid(const QString &code, const QString &text, const QString &detail = {})
{
    return Error::make(ErrorKind::Invalid, code, text, detail);
}

Status validate(const QList<storage::SignatureStroke> &strokes, const SignatureRenderOptions &options)
{
    const auto sizeOk = [](QSize s) {
        return s.width() > 0 && s.height() > 0 && s.width() <= kMaxOutputEdge && s.height() <= kMaxOutputEdge;
    };
    if (!sizeOk(options.padSize) || !sizeOk(options.outputSize) || !(options.penWidth > 0.0) ||
        options.penWidth > 100.0)
        return invalid(u"signature.bad_options"_s, u"The signature settings are not valid."_s);
    if (strokes.size() > kMaxStrokes)
        return invalid(u"signature.too_large"_s, u"The signature has too many strokes."_s,
                       u"%1 strokes"_s.arg(strokes.size()));
    qint64 points = 0;
    for (const auto &stroke : strokes)
        points += stroke.size();
    if (points > kMaxPoints)
        return invalid(u"signature.too_large"_s, u"The signature has too many points."_s,
                       u"%1 points"_s.arg(points));
    bool drawable = false;
    for (qsizetype s = 0; s < strokes.size(); ++s) {
        const auto &stroke = strokes.at(s);
        drawable = drawable || stroke.size() >= 2;
        for (qsizetype i = 0; i < stroke.size(); ++i) {
            const auto &p = stroke.at(i);
            if (p.x < -kMaxCoordinate || p.x > kMaxCoordinate || p.y < -kMaxCoordinate ||
                p.y > kMaxCoordinate || p.pressure < 0 || p.pressure > 1000)
                return Error{ErrorKind::Invalid,
                             u"signature.bad_point"_s,
                             u"The signature contains an invalid point."_s,
                             {},
                             u"strokes[%1][%2]"_s.arg(s).arg(i)};
        }
    }
    if (!drawable)
        return invalid(u"signature.empty"_s, u"The signature is empty."_s);
    return {};
}

} // namespace

Result<QImage> renderSignature(const QList<storage::SignatureStroke> &strokes,
                               const SignatureRenderOptions &options)
{
    if (auto ok = validate(strokes, options); !ok)
        return ok.error();

    // Pad coordinates to output pixels: one scale for both axes (aspect kept), centred.
    const double scale = std::min(double(options.outputSize.width()) / options.padSize.width(),
                                  double(options.outputSize.height()) / options.padSize.height());
    const double dx = (options.outputSize.width() - options.padSize.width() * scale) / 2.0;
    const double dy = (options.outputSize.height() - options.padSize.height() * scale) / 2.0;
    const auto map = [&](const storage::SignaturePoint &p) {
        return QPointF(dx + p.x * scale, dy + p.y * scale);
    };
    // Width follows pressure (0..1000), never below a third of the pen, and scales with the pad.
    const auto width = [&](int pressure) {
        return options.penWidth * scale * std::max(1.0 / 3.0, std::clamp(pressure, 0, 1000) / 1000.0);
    };

    QImage image(options.outputSize, QImage::Format_ARGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing, true);
    for (const auto &stroke : strokes) {
        if (stroke.size() == 1) {
            const double w = width(stroke.front().pressure);
            painter.setPen(Qt::NoPen);
            painter.setBrush(kInk);
            painter.drawEllipse(map(stroke.front()), w / 2.0, w / 2.0);
            continue;
        }
        painter.setBrush(Qt::NoBrush);
        for (qsizetype i = 1; i < stroke.size(); ++i) {
            const auto &a = stroke.at(i - 1);
            const auto &b = stroke.at(i);
            QPen pen(kInk, width((a.pressure + b.pressure) / 2), Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
            painter.setPen(pen);
            painter.drawLine(map(a), map(b));
        }
    }
    painter.end();
    return image;
}

Result<QByteArray> renderSignaturePng(const QList<storage::SignatureStroke> &strokes,
                                      const SignatureRenderOptions &options)
{
    auto image = renderSignature(strokes, options);
    if (!image)
        return image.error();
    // Opaque by construction: written as RGB (a third smaller than RGBA).
    const QImage rgb = image->convertToFormat(QImage::Format_RGB32);
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, "png");
    writer.setQuality(0); // Qt's PNG quality 0 = zlib level 9: the smallest, and always the same
    if (!writer.write(rgb))
        return Error::make(ErrorKind::Internal, u"signature.encode_failed"_s,
                           u"The signature could not be saved."_s, writer.errorString());
    return png;
}

} // namespace outpost::media
