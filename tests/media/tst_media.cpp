// Photos (outpost_media): EXIF orientation, scaling and quality, thumbnails, GPS from EXIF, the
// file name, metadata stripping, and bad input (non-images, truncated files, malformed EXIF).
// Every picture is generated here: an asymmetric test card with a red marker in its top-left
// corner and a blue one in its top-right corner, so each of the eight EXIF orientations ends in a
// distinct, checkable placement.
#include "app/media/photo_import.h"

#include <QBuffer>
#include <QImageReader>
#include <QImageWriter>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace outpost::media;

Q_DECLARE_METATYPE(outpost::media::GeoPosition)

namespace {

const QSize kCard(96, 64);

// Upright: grey, red block top-left, blue block top-right.
QImage uprightCard()
{
    QImage image(kCard, QImage::Format_RGB32);
    image.fill(qRgb(128, 128, 128));
    for (int y = 0; y < 20; ++y)
        for (int x = 0; x < 24; ++x) {
            image.setPixel(x, y, qRgb(220, 20, 20));
            image.setPixel(kCard.width() - 1 - x, y, qRgb(20, 20, 220));
        }
    return image;
}

// What a camera stores so that applying EXIF orientation `o` shows `upright` (the inverse of the
// orientation's transform, written independently of the code under test).
QImage storedFor(const QImage &upright, int o)
{
    switch (o) {
    case 2:
        return upright.mirrored(true, false);
    case 3:
        return upright.transformed(QTransform().rotate(180));
    case 4:
        return upright.mirrored(false, true);
    case 5: { // transpose: (x, y) -> (y, x)
        QImage t(upright.height(), upright.width(), QImage::Format_RGB32);
        for (int y = 0; y < upright.height(); ++y)
            for (int x = 0; x < upright.width(); ++x)
                t.setPixel(y, x, upright.pixel(x, y));
        return t;
    }
    case 6:
        return upright.transformed(QTransform().rotate(-90)); // shown after 90° clockwise
    case 7: {                                                 // transverse: (x, y) -> (h-1-y, w-1-x)
        QImage t(upright.height(), upright.width(), QImage::Format_RGB32);
        for (int y = 0; y < upright.height(); ++y)
            for (int x = 0; x < upright.width(); ++x)
                t.setPixel(upright.height() - 1 - y, upright.width() - 1 - x, upright.pixel(x, y));
        return t;
    }
    case 8:
        return upright.transformed(QTransform().rotate(90)); // shown after 90° anticlockwise
    default:
        return upright;
    }
}

QByteArray encode(const QImage &image, const char *format, int quality = 95)
{
    QByteArray out;
    QBuffer buffer(&out);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, format);
    writer.setQuality(quality);
    writer.write(image);
    return out;
}

QRgb average(const QImage &image, QRect area)
{
    qint64 r = 0, g = 0, b = 0, n = 0;
    for (int y = area.top(); y <= area.bottom(); ++y)
        for (int x = area.left(); x <= area.right(); ++x) {
            const QRgb p = image.pixel(x, y);
            r += qRed(p), g += qGreen(p), b += qBlue(p), ++n;
        }
    return qRgb(int(r / n), int(g / n), int(b / n));
}
bool isRed(QRgb p)
{
    return qRed(p) > 170 && qBlue(p) < 80 && qGreen(p) < 80;
}
bool isBlue(QRgb p)
{
    return qBlue(p) > 170 && qRed(p) < 80 && qGreen(p) < 80;
}

// The marker cells (inside the blocks, away from JPEG ringing at their edges).
void checkUpright(const QImage &image)
{
    QCOMPARE(image.size(), kCard);
    const QRgb tl = average(image, QRect(4, 4, 12, 10));
    const QRgb tr = average(image, QRect(kCard.width() - 16, 4, 12, 10));
    const QRgb bl = average(image, QRect(4, kCard.height() - 14, 12, 10));
    const QRgb br = average(image, QRect(kCard.width() - 16, kCard.height() - 14, 12, 10));
    QVERIFY2(isRed(tl), qPrintable(u"top-left %1"_s.arg(tl, 0, 16)));
    QVERIFY2(isBlue(tr), qPrintable(u"top-right %1"_s.arg(tr, 0, 16)));
    QVERIFY(!isRed(bl) && !isBlue(bl) && !isRed(br) && !isBlue(br));
}

// A 4000x3000 picture with detail (JPEG quality matters for it): gradients and a fine pattern.
QImage bigPicture()
{
    QImage image(4000, 3000, QImage::Format_RGB32);
    for (int y = 0; y < image.height(); ++y) {
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(y));
        for (int x = 0; x < image.width(); ++x)
            line[x] = qRgb((x / 16) & 0xff, (y / 12) & 0xff, ((x * 7) ^ (y * 13)) & 0xff);
    }
    return image;
}

bool hasExifSegment(const QByteArray &jpeg)
{
    return jpeg.contains(QByteArray("Exif\0\0", 6));
}

// A little-endian ("II") APP1 written by hand as a camera would: 51°30'26.4636" N,
// 0°7'39.9288" W (the London Eye, 51.507351, -0.127758), orientation 6, accuracy 5 m.
QByteArray handWrittenLittleEndianExif(const QByteArray &jpeg)
{
    QByteArray t;
    const auto u16 = [&t](quint16 v) { t.append(char(v & 0xff)).append(char(v >> 8)); };
    const auto u32 = [&](quint32 v) { u16(quint16(v & 0xffff)), u16(quint16(v >> 16)); };
    const auto entry = [&](quint16 tag, quint16 type, quint32 count, quint32 value) {
        u16(tag), u16(type), u32(count), u32(value);
    };
    t.append("II");
    u16(42);
    u32(8);
    u16(2);                  // IFD0 at 8: 2 entries -> 8 + 2 + 24 + 4 = 38
    entry(0x0112, 3, 1, 6);  // orientation 6 (SHORT inline, low bytes first)
    entry(0x8825, 4, 1, 38); // GPS IFD at 38
    u32(0);
    u16(5);              // GPS IFD: 5 entries -> 38 + 2 + 60 + 4 = 104
    entry(1, 2, 2, 'N'); // "N\0"
    entry(2, 5, 3, 104);
    entry(3, 2, 2, 'W');
    entry(4, 5, 3, 128);
    entry(0x1F, 5, 1, 152);
    u32(0);
    for (quint32 v : {51u, 1u, 30u, 1u, 264636u, 10000u, 0u, 1u, 7u, 1u, 399288u, 10000u, 10u, 2u})
        u32(v);
    const QByteArray body = QByteArray("Exif\0\0", 6) + t;
    QByteArray app1("\xFF\xE1");
    app1.append(char((body.size() + 2) >> 8)).append(char((body.size() + 2) & 0xff)).append(body);
    return jpeg.left(2) + app1 + jpeg.mid(2);
}

} // namespace

class TestMedia : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void qtAutoTransformHonoursExifOrientation_data();
    void qtAutoTransformHonoursExifOrientation();
    void orientationComesOutUpright_data();
    void orientationComesOutUpright();
    void bigPhotoIsScaledAndSmallerAtLowerQuality();
    void maxEdgeZeroKeepsPixelsAndBytes();
    void pngSourceStaysPngWithMaxEdgeZero();
    void pngTextChunksAreStripped();
    void smallImageIsNeverUpscaled();
    void transparentPixelsBecomeWhite();
    void gpsFromExif_data();
    void gpsFromExif();
    void handWrittenLittleEndianExifIsRead();
    void outputCarriesNoExif();
    void fileNameIsBare_data();
    void fileNameIsBare();
    void badInputIsRejected_data();
    void badInputIsRejected();
    void truncatedJpegIsUnreadable();
    void fileErrors();
    void cameraFrame();
    void garbageExifNeverCrashes();
};

// The finding this code relies on: Qt 6.4's JPEG handler reads the EXIF orientation and
// QImageReader::setAutoTransform(true) applies it, for all eight values.
void TestMedia::qtAutoTransformHonoursExifOrientation_data()
{
    QTest::addColumn<int>("orientation");
    for (int o = 1; o <= 8; ++o)
        QTest::addRow("orientation %d", o) << o;
}

void TestMedia::qtAutoTransformHonoursExifOrientation()
{
    QFETCH(int, orientation);
    QByteArray bytes = withExif(encode(storedFor(uprightCard(), orientation), "jpeg"), orientation);
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    reader.setAutoTransform(true);
    const QImage image = reader.read();
    QVERIFY(!image.isNull());
    QCOMPARE(reader.transformation() == QImageIOHandler::TransformationNone, orientation == 1);
    checkUpright(image);
}

void TestMedia::orientationComesOutUpright_data()
{
    qtAutoTransformHonoursExifOrientation_data();
}

void TestMedia::orientationComesOutUpright()
{
    QFETCH(int, orientation);
    const QImage stored = storedFor(uprightCard(), orientation);
    QCOMPARE(stored.size() == kCard, orientation <= 4); // 5..8 are stored with width/height swapped
    const auto photo = preparePhotoBytes(withExif(encode(stored, "jpeg"), orientation), u"IMG_0001.JPG"_s);
    QVERIFY2(photo.ok(), qPrintable(photo.ok() ? QString() : photo.error().code));
    QCOMPARE(photo->sourceOrientation, orientation);
    QCOMPARE(photo->mime, u"image/jpeg"_s);
    QCOMPARE(QSize(photo->width, photo->height), kCard);
    checkUpright(QImage::fromData(photo->bytes, "jpeg"));
    const QImage thumb = QImage::fromData(photo->thumbnail, "jpeg");
    QCOMPARE(thumb.size(), kCard); // already under 256: not upscaled
}

void TestMedia::bigPhotoIsScaledAndSmallerAtLowerQuality()
{
    const QByteArray source = encode(bigPicture(), "jpeg", 95);
    PhotoOptions q80;
    q80.maxEdge = 2048;
    q80.quality = 80;
    PhotoOptions q95 = q80;
    q95.quality = 95;
    const auto low = preparePhotoBytes(source, u"big.jpg"_s, q80);
    const auto high = preparePhotoBytes(source, u"big.jpg"_s, q95);
    QVERIFY(low.ok() && high.ok());
    QCOMPARE(QSize(low->width, low->height), QSize(2048, 1536));
    QCOMPARE(QImage::fromData(low->bytes).size(), QSize(2048, 1536));
    QVERIFY2(low->bytes.size() < high->bytes.size(),
             qPrintable(u"q80 %1 bytes, q95 %2 bytes"_s.arg(low->bytes.size()).arg(high->bytes.size())));
    QVERIFY(low->bytes.size() < source.size());
    const QImage thumb = QImage::fromData(low->thumbnail, "jpeg");
    QCOMPARE(thumb.size(), QSize(256, 192));
}

void TestMedia::maxEdgeZeroKeepsPixelsAndBytes()
{
    const QByteArray plain = encode(bigPicture(), "jpeg", 90);
    GeoPosition where{51507351, -127758, 8};
    const QByteArray withGps = withExif(plain, 1, where);
    PhotoOptions keep;
    keep.maxEdge = 0;
    const auto photo = preparePhotoBytes(withGps, u"shelf.jpeg"_s, keep);
    QVERIFY(photo.ok());
    QCOMPARE(QSize(photo->width, photo->height), QSize(4000, 3000));
    QCOMPARE(photo->mime, u"image/jpeg"_s);
    QCOMPARE(photo->bytes, plain); // the same compressed data, the EXIF segment removed
    QCOMPARE(photo->fileName, u"shelf.jpeg"_s);
    QVERIFY(photo->exifPosition.has_value());
    QCOMPARE(photo->exifPosition->latE6, where.latE6);
    QVERIFY(QImage::fromData(photo->thumbnail).width() <= 256);

    // A sideways JPEG cannot keep its bytes: it is turned upright (and re-encoded), not scaled.
    const QByteArray sideways = withExif(encode(storedFor(uprightCard(), 6), "jpeg"), 6, where);
    const auto turned = preparePhotoBytes(sideways, u"side.jpeg"_s, keep);
    QVERIFY(turned.ok());
    QCOMPARE(QSize(turned->width, turned->height), kCard);
    QCOMPARE(turned->fileName, u"side.jpg"_s);
    QVERIFY(!hasExifSegment(turned->bytes));
    checkUpright(QImage::fromData(turned->bytes, "jpeg"));
}

void TestMedia::pngSourceStaysPngWithMaxEdgeZero()
{
    const QByteArray png = encode(uprightCard(), "png");
    PhotoOptions keep;
    keep.maxEdge = 0;
    const auto kept = preparePhotoBytes(png, u"display.png"_s, keep);
    QVERIFY(kept.ok());
    QCOMPARE(kept->mime, u"image/png"_s);
    QCOMPARE(kept->bytes, png);
    QCOMPARE(kept->fileName, u"display.png"_s);
    const auto scaled = preparePhotoBytes(png, u"display.png"_s); // maxEdge 2048: JPEG
    QVERIFY(scaled.ok());
    QCOMPARE(scaled->mime, u"image/jpeg"_s);
    QCOMPARE(scaled->fileName, u"display.jpg"_s);
    QVERIFY(scaled->bytes.startsWith("\xFF\xD8"));
}

void TestMedia::pngTextChunksAreStripped()
{
    QImage card = uprightCard();
    card.setText(u"Location"_s, u"51.507351,-0.127758"_s);
    const QByteArray png = encode(card, "png");
    QVERIFY(png.contains("51.507351"));
    PhotoOptions keep;
    keep.maxEdge = 0;
    const auto kept = preparePhotoBytes(png, u"display.png"_s, keep);
    QVERIFY(kept.ok());
    QCOMPARE(kept->mime, u"image/png"_s);
    QVERIFY(!kept->bytes.contains("51.507351"));
    const QImage decoded = QImage::fromData(kept->bytes, "png");
    QCOMPARE(decoded.convertToFormat(QImage::Format_RGB32), uprightCard());
    QVERIFY(decoded.textKeys().isEmpty());
}

void TestMedia::smallImageIsNeverUpscaled()
{
    PhotoOptions options;
    options.maxEdge = 2048;
    options.thumbEdge = 256;
    const auto photo = preparePhotoBytes(encode(uprightCard(), "jpeg"), u"small.jpg"_s, options);
    QVERIFY(photo.ok());
    QCOMPARE(QSize(photo->width, photo->height), kCard);
    QCOMPARE(QImage::fromData(photo->thumbnail).size(), kCard);
}

void TestMedia::transparentPixelsBecomeWhite()
{
    QImage clear(40, 40, QImage::Format_ARGB32);
    clear.fill(Qt::transparent);
    const auto photo = preparePhotoBytes(encode(clear, "png"), u"clear.png"_s);
    QVERIFY(photo.ok());
    const QRgb p = QImage::fromData(photo->bytes).pixel(20, 20);
    QVERIFY2(qRed(p) > 245 && qGreen(p) > 245 && qBlue(p) > 245, qPrintable(QString::number(p, 16)));
}

void TestMedia::gpsFromExif_data()
{
    QTest::addColumn<GeoPosition>("where");
    QTest::newRow("London N/W") << GeoPosition{51507351, -127758, 12};
    QTest::newRow("Sydney S/E") << GeoPosition{-33868820, 151209296, std::nullopt};
    QTest::newRow("Rio S/W") << GeoPosition{-22906847, -43172896, 3};
    QTest::newRow("Tokyo N/E") << GeoPosition{35689487, 139691706, std::nullopt};
    QTest::newRow("equator and meridian") << GeoPosition{0, 0, std::nullopt};
    QTest::newRow("extremes") << GeoPosition{-90000000, 180000000, 1000};
}

void TestMedia::gpsFromExif()
{
    QFETCH(GeoPosition, where);
    const QByteArray jpeg = withExif(encode(uprightCard(), "jpeg"), 1, where);
    const ExifInfo info = readExif(jpeg);
    QCOMPARE(info.orientation, 1);
    QVERIFY(info.position.has_value());
    QCOMPARE(info.position->latE6, where.latE6);
    QCOMPARE(info.position->lonE6, where.lonE6);
    QCOMPARE(info.position->accuracyM, where.accuracyM);
    const auto photo = preparePhotoBytes(jpeg, u"gps.jpg"_s);
    QVERIFY(photo.ok() && photo->exifPosition.has_value());
    QCOMPARE(photo->exifPosition->latE6, where.latE6);
    QCOMPARE(photo->exifPosition->lonE6, where.lonE6);
}

void TestMedia::handWrittenLittleEndianExifIsRead()
{
    const QByteArray jpeg = handWrittenLittleEndianExif(encode(storedFor(uprightCard(), 6), "jpeg"));
    const ExifInfo info = readExif(jpeg);
    QCOMPARE(info.orientation, 6);
    QVERIFY(info.position.has_value());
    QCOMPARE(info.position->latE6, 51507351);
    QCOMPARE(info.position->lonE6, -127758);
    QCOMPARE(info.position->accuracyM, std::optional<qint64>(5));
    const auto photo = preparePhotoBytes(jpeg, u"eye.jpg"_s);
    QVERIFY(photo.ok());
    checkUpright(QImage::fromData(photo->bytes));
}

void TestMedia::outputCarriesNoExif()
{
    const QByteArray source =
        withExif(encode(storedFor(uprightCard(), 6), "jpeg"), 6, GeoPosition{51507351, -127758, 4});
    QVERIFY(hasExifSegment(source));
    const auto photo = preparePhotoBytes(source, u"private.jpg"_s);
    QVERIFY(photo.ok());
    QVERIFY(!hasExifSegment(photo->bytes));
    QVERIFY(!hasExifSegment(photo->thumbnail));
    const ExifInfo out = readExif(photo->bytes);
    QCOMPARE(out.orientation, 1);
    QVERIFY(!out.position.has_value());
    QVERIFY(photo->exifPosition.has_value()); // read, and handed to the caller as metadata only
}

void TestMedia::fileNameIsBare_data()
{
    QTest::addColumn<QString>("given");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << u"IMG_0001.JPG"_s << u"IMG_0001.jpg"_s;
    QTest::newRow("unix folders") << u"/home/rep/DCIM/shelf.jpeg"_s << u"shelf.jpg"_s;
    QTest::newRow("windows folders") << u"C:\\Users\\rep\\Pictures\\damage.png"_s << u"damage.jpg"_s;
    QTest::newRow("drive letter only") << u"C:display.png"_s << u"display.jpg"_s;
    QTest::newRow("traversal") << u"../../etc/passwd.jpg"_s << u"passwd.jpg"_s;
    QTest::newRow("dot dot") << u".."_s << u"photo.jpg"_s;
    QTest::newRow("empty") << QString() << u"photo.jpg"_s;
    QTest::newRow("no extension") << u"front"_s << u"front.jpg"_s;
    QTest::newRow("control characters") << u"sh\nelf\t.jpg"_s << u"shelf.jpg"_s;
    QTest::newRow("too long") << QString(300, u'a') + u".jpg"_s << QString(251, u'a') + u".jpg"_s;
}

void TestMedia::fileNameIsBare()
{
    QFETCH(QString, given);
    QFETCH(QString, expected);
    const auto photo = preparePhotoBytes(encode(uprightCard(), "jpeg"), given);
    QVERIFY(photo.ok());
    QCOMPARE(photo->fileName, expected);
}

void TestMedia::badInputIsRejected_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("code");
    QTest::newRow("text named .jpg") << QByteArray("Dear customer, please find attached...\n") << u"x.jpg"_s
                                     << u"photo.not_an_image"_s;
    QTest::newRow("empty") << QByteArray() << u"empty.jpg"_s << u"photo.not_an_image"_s;
    QTest::newRow("pdf named .png") << QByteArray("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n") << u"scan.png"_s
                                    << u"photo.not_an_image"_s;
    QTest::newRow("xpm text (Qt reads it, we do not)")
        << QByteArray("/* XPM */\nstatic char *x[] = {\"1 1 1 1\", \"a c #ff0000\", \"a\"};\n") << u"x.jpg"_s
        << u"photo.not_an_image"_s;
    QTest::newRow("jpeg magic, then nothing")
        << QByteArray("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00", 11) << u"x.jpg"_s << u"photo.unreadable"_s;
}

void TestMedia::badInputIsRejected()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, name);
    QFETCH(QString, code);
    const auto photo = preparePhotoBytes(bytes, name);
    QVERIFY(!photo.ok());
    QCOMPARE(photo.error().code, code);
    QCOMPARE(photo.error().kind, outpost::ErrorKind::Invalid);
}

// A JPEG cut short is a recognised format with damaged data: "photo.unreadable" ("the file is
// damaged or incomplete"), not "photo.not_an_image" (which says the file is of the wrong kind).
// libjpeg would decode it anyway and fill the missing rows with grey, so the end-of-image marker
// is required.
void TestMedia::truncatedJpegIsUnreadable()
{
    const QByteArray whole = encode(bigPicture().scaled(800, 600), "jpeg");
    QVERIFY(preparePhotoBytes(whole, u"whole.jpg"_s).ok());
    for (const double keep : {0.98, 0.6, 0.2, 0.01}) {
        const auto photo = preparePhotoBytes(whole.left(qsizetype(whole.size() * keep)), u"cut.jpg"_s);
        QVERIFY(!photo.ok());
        QCOMPARE(photo.error().code, u"photo.unreadable"_s);
    }
    // An EXIF thumbnail is a whole JPEG (with its own scan and end marker) inside APP1: it must not
    // make a cut main image look complete.
    const QByteArray thumb = encode(uprightCard(), "jpeg");
    QByteArray body = QByteArray("Exif\0\0MM\0\x2a\0\0\0\x08\0\0\0\0\0\0", 20) + thumb;
    QByteArray app1("\xFF\xE1");
    app1.append(char((body.size() + 2) >> 8)).append(char((body.size() + 2) & 0xff)).append(body);
    const QByteArray withThumb = whole.left(2) + app1 + whole.mid(2);
    QVERIFY(preparePhotoBytes(withThumb, u"thumbed.jpg"_s).ok());
    const auto cutThumbed = preparePhotoBytes(withThumb.left(app1.size() + whole.size() / 2), u"cut.jpg"_s);
    QVERIFY(!cutThumbed.ok());
    QCOMPARE(cutThumbed.error().code, u"photo.unreadable"_s);

    const QByteArray png = encode(uprightCard(), "png");
    const auto cutPng = preparePhotoBytes(png.left(png.size() / 2), u"cut.png"_s);
    QVERIFY(!cutPng.ok());
    QCOMPARE(cutPng.error().code, u"photo.unreadable"_s);
}

void TestMedia::fileErrors()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QCOMPARE(preparePhotoFile(dir.filePath(u"missing.jpg"_s)).error().code, u"photo.unreadable"_s);
    QCOMPARE(preparePhotoFile(dir.path()).error().code, u"photo.unreadable"_s);

    const QString path = dir.filePath(u"shelf.JPG"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(encode(uprightCard(), "jpeg"));
    file.close();
    const auto ok = preparePhotoFile(path);
    QVERIFY(ok.ok());
    QCOMPARE(ok->fileName, u"shelf.jpg"_s);

    PhotoOptions tiny;
    tiny.maxSourceBytes = 100;
    QCOMPARE(preparePhotoFile(path, tiny).error().code, u"photo.too_large"_s);
    QCOMPARE(preparePhotoBytes(encode(uprightCard(), "jpeg"), u"a.jpg"_s, tiny).error().code,
             u"photo.too_large"_s);

    for (const auto &bad : {PhotoOptions{-1}, PhotoOptions{2048, 0}, PhotoOptions{2048, 101},
                            PhotoOptions{2048, 80, 0}, PhotoOptions{2048, 80, 256, 0}}) {
        QCOMPARE(preparePhotoFile(path, bad).error().code, u"photo.bad_options"_s);
        QCOMPARE(preparePhotoBytes(encode(uprightCard(), "jpeg"), u"a.jpg"_s, bad).error().code,
                 u"photo.bad_options"_s);
    }
}

void TestMedia::cameraFrame()
{
    QCOMPARE(preparePhotoImage(QImage(), u"frame"_s).error().code, u"photo.not_an_image"_s);
    const auto photo = preparePhotoImage(bigPicture(), u"camera"_s);
    QVERIFY(photo.ok());
    QCOMPARE(QSize(photo->width, photo->height), QSize(2048, 1536));
    QCOMPARE(photo->fileName, u"camera.jpg"_s);
    QCOMPARE(photo->mime, u"image/jpeg"_s);
    QCOMPARE(photo->sourceOrientation, 1);
    QVERIFY(!photo->exifPosition.has_value());
}

// 2,000 seeded mutations of a valid APP1 (bytes overwritten, lengths and offsets bent, the
// segment cut short): readExif never crashes and never returns an impossible value, and the
// whole pipeline stays a clean success or a clean error.
void TestMedia::garbageExifNeverCrashes()
{
    // libjpeg's complaints about the damaged segments are expected here, thousands of them.
    QLoggingCategory::setFilterRules(u"qt.gui.imageio.jpeg.warning=false"_s);
    const QByteArray base = encode(uprightCard(), "jpeg");
    const QByteArray valid = withExif(base, 6, GeoPosition{-33868820, 151209296, 7});
    const qsizetype app1Length = valid.size() - base.size();
    QRandomGenerator rng(4242);
    int withPosition = 0;
    for (int i = 0; i < 2000; ++i) {
        QByteArray bytes = valid;
        const int mutations = 1 + int(rng.bounded(8));
        for (int m = 0; m < mutations; ++m) {
            const qsizetype at = 2 + qsizetype(rng.bounded(int(app1Length)));
            switch (rng.bounded(4)) {
            case 0:
                bytes[at] = char(rng.bounded(256));
                break;
            case 1:
                bytes[at] = char(0xFF);
                break;
            case 2:
                bytes[at] = char(0x00);
                break;
            default:
                bytes[at] = char(bytes.at(at) ^ (1 << rng.bounded(8)));
                break;
            }
        }
        if (rng.bounded(5) == 0)
            bytes.truncate(2 + qsizetype(rng.bounded(int(app1Length))));
        const ExifInfo info = readExif(bytes);
        QVERIFY(info.orientation >= 1 && info.orientation <= 8);
        if (info.position) {
            ++withPosition;
            QVERIFY(qAbs(info.position->latE6) <= 90'000'000);
            QVERIFY(qAbs(info.position->lonE6) <= 180'000'000);
        }
        if (i % 10 == 0) {
            const auto photo = preparePhotoBytes(bytes, u"fuzz.jpg"_s);
            QVERIFY(photo.ok() || !photo.error().code.isEmpty());
        }
    }
    QLoggingCategory::setFilterRules(QString());
    QVERIFY(withPosition > 0); // mutations that miss the GPS values still read it
}

QTEST_MAIN(TestMedia)
#include "tst_media.moc"
