// Signature strokes -> PNG, compared with golden images in tests/golden/signature_<name>.png.
//
// Comparison: pixel by pixel after decoding both to RGB32. A pixel differs when one of its
// channels is off by more than 8; at most 0.5 % of the pixels may differ (antialiasing in the
// raster engine may round differently on another CPU or Qt patch release; a real change to the
// rendering moves far more pixels than that). On a mismatch the rendered image is written next
// to the temp folder's "signature_<name>.actual.png" for a look.
//
// To rewrite the goldens after an intended change to the rendering:
//     OUTPOST_UPDATE_GOLDEN=1 ./tst_signature_render
// then look at the new PNGs before committing them.
#include "app/media/signature_render.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QRandomGenerator>
#include <QTest>

#include <cmath>

using namespace Qt::Literals::StringLiterals;
using outpost::media::renderSignature;
using outpost::media::renderSignaturePng;
using outpost::media::SignatureRenderOptions;
using outpost::storage::SignaturePoint;
using outpost::storage::SignatureStroke;
using Strokes = QList<SignatureStroke>;

Q_DECLARE_METATYPE(outpost::storage::SignaturePoint)
Q_DECLARE_METATYPE(outpost::media::SignatureRenderOptions)

namespace {

constexpr int kChannelTolerance = 8;
constexpr double kMaxDifferingFraction = 0.005;

// A name-like scribble: three loops and a flourish, pressure rising and falling along each stroke.
Strokes scribble()
{
    Strokes strokes;
    int t = 0;
    for (int s = 0; s < 3; ++s) {
        SignatureStroke stroke;
        for (int i = 0; i <= 60; ++i) {
            const double a = i / 60.0 * 2 * M_PI;
            const int x = 60 + s * 150 + int(std::lround(i * 1.6 + 30 * std::sin(a * 1.5)));
            const int y = 100 + int(std::lround(50 * std::sin(a + s) * std::cos(a * 0.5)));
            const int pressure = 200 + int(std::lround(800 * std::sin(i / 60.0 * M_PI)));
            stroke.append(SignaturePoint{x, y, t, pressure});
            t += 8;
        }
        strokes.append(stroke);
        t += 120;
    }
    SignatureStroke flourish;
    for (int i = 0; i <= 40; ++i) {
        flourish.append(SignaturePoint{50 + i * 12, 170 - (i * i) / 30, t, 1000 - i * 15});
        t += 6;
    }
    strokes.append(flourish);
    return strokes;
}

// A single dot (one point) and one straight line at full pressure.
Strokes dotAndLine()
{
    return {SignatureStroke{SignaturePoint{100, 100, 0, 1000}},
            SignatureStroke{SignaturePoint{200, 60, 300, 1000}, SignaturePoint{500, 140, 700, 1000}}};
}

// 2,000 points: 20 strokes of 100 points, a seeded random walk.
Strokes dense()
{
    QRandomGenerator rng(20240611);
    Strokes strokes;
    int t = 0;
    for (int s = 0; s < 20; ++s) {
        SignatureStroke stroke;
        int x = 30 + int(rng.bounded(540)), y = 20 + int(rng.bounded(160));
        for (int i = 0; i < 100; ++i) {
            x = qBound(0, x + int(rng.bounded(13)) - 6, 599);
            y = qBound(0, y + int(rng.bounded(9)) - 4, 199);
            stroke.append(SignaturePoint{x, y, t += 5, int(rng.bounded(1001))});
        }
        strokes.append(stroke);
    }
    return strokes;
}

Strokes strokesNamed(const QString &name)
{
    if (name == u"scribble"_s)
        return scribble();
    if (name == u"dot_line"_s)
        return dotAndLine();
    return dense();
}

QString goldenPath(const QString &name)
{
    return QStringLiteral(OUTPOST_SOURCE_DIR) + u"/tests/golden/signature_"_s + name + u".png"_s;
}

bool isInk(QRgb px)
{
    return qBlue(px) > qRed(px) + 40 && qRed(px) < 150; // the dark blue ink, not white paper
}

int inkPixels(const QImage &image)
{
    int n = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            n += isInk(image.pixel(x, y)) ? 1 : 0;
    return n;
}

} // namespace

class TestSignatureRender : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesGolden_data();
    void matchesGolden();
    void sameStrokesGiveIdenticalBytes();
    void pngIsOpaqueAndSized();
    void singlePointStrokeDrawsADot();
    void pressureWidensTheLine();
    void lowPressureIsAtLeastAThirdOfThePen();
    void strokesScaleToOutputKeepingAspect();
    void rejectsBadInput_data();
    void rejectsBadInput();
};

void TestSignatureRender::matchesGolden_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("points");
    QTest::newRow("scribble") << u"scribble"_s << 61 * 3 + 41;
    QTest::newRow("dot_line") << u"dot_line"_s << 3;
    QTest::newRow("dense") << u"dense"_s << 2000;
}

void TestSignatureRender::matchesGolden()
{
    QFETCH(QString, name);
    QFETCH(int, points);
    const Strokes strokes = strokesNamed(name);
    int count = 0;
    for (const auto &s : strokes)
        count += int(s.size());
    QCOMPARE(count, points);

    const auto png = renderSignaturePng(strokes);
    QVERIFY2(png.ok(), qPrintable(png.ok() ? QString() : png.error().code));

    const QString path = goldenPath(name);
    if (qEnvironmentVariableIntValue("OUTPOST_UPDATE_GOLDEN") == 1) {
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
        out.write(*png);
        qInfo("golden rewritten: %s", qPrintable(path));
        return;
    }
    QImage golden(path);
    QVERIFY2(!golden.isNull(),
             qPrintable(u"missing golden %1 (run with OUTPOST_UPDATE_GOLDEN=1)"_s.arg(path)));
    const QImage actual = QImage::fromData(*png).convertToFormat(QImage::Format_RGB32);
    golden = golden.convertToFormat(QImage::Format_RGB32);
    QCOMPARE(actual.size(), golden.size());

    qint64 differing = 0;
    int worst = 0;
    for (int y = 0; y < actual.height(); ++y) {
        const auto *a = reinterpret_cast<const QRgb *>(actual.constScanLine(y));
        const auto *g = reinterpret_cast<const QRgb *>(golden.constScanLine(y));
        for (int x = 0; x < actual.width(); ++x) {
            const int d = std::max({std::abs(qRed(a[x]) - qRed(g[x])), std::abs(qGreen(a[x]) - qGreen(g[x])),
                                    std::abs(qBlue(a[x]) - qBlue(g[x]))});
            worst = std::max(worst, d);
            differing += d > kChannelTolerance ? 1 : 0;
        }
    }
    const qint64 allowed = qint64(actual.width()) * actual.height() * kMaxDifferingFraction;
    if (differing > allowed) {
        const QString actualPath = QDir::temp().filePath(u"signature_%1.actual.png"_s.arg(name));
        actual.save(actualPath);
        QFAIL(
            qPrintable(u"%1 pixels differ (allowed %2, worst channel delta %3); rendered: %4"_s.arg(differing)
                           .arg(allowed)
                           .arg(worst)
                           .arg(actualPath)));
    }
    // The golden is a signature, not a blank page: it has ink.
    QVERIFY(inkPixels(golden) > 50);
}

void TestSignatureRender::sameStrokesGiveIdenticalBytes()
{
    for (const QString &name : {u"scribble"_s, u"dot_line"_s, u"dense"_s}) {
        const auto first = renderSignaturePng(strokesNamed(name));
        const auto second = renderSignaturePng(strokesNamed(name));
        QVERIFY(first.ok() && second.ok());
        QCOMPARE(*first, *second);
    }
}

void TestSignatureRender::pngIsOpaqueAndSized()
{
    SignatureRenderOptions options;
    options.outputSize = QSize(300, 100);
    const auto png = renderSignaturePng(scribble(), options);
    QVERIFY(png.ok());
    QVERIFY(png->startsWith("\x89PNG\r\n\x1a\n"));
    const QImage image = QImage::fromData(*png, "png");
    QCOMPARE(image.size(), QSize(300, 100));
    QVERIFY(!image.hasAlphaChannel());
    QCOMPARE(image.pixel(0, 0), qRgb(255, 255, 255)); // white paper in the corner
}

void TestSignatureRender::singlePointStrokeDrawsADot()
{
    const auto image = renderSignature(dotAndLine());
    QVERIFY(image.ok());
    QCOMPARE(image->format(), QImage::Format_ARGB32);
    QVERIFY(isInk(image->pixel(100, 100)));  // the dot
    QVERIFY(!isInk(image->pixel(100, 110))); // and only a dot
    QVERIFY(isInk(image->pixel(350, 100)));  // the line's middle
}

void TestSignatureRender::pressureWidensTheLine()
{
    const auto line = [](int pressure) {
        return Strokes{
            SignatureStroke{SignaturePoint{100, 100, 0, pressure}, SignaturePoint{500, 100, 400, pressure}}};
    };
    SignatureRenderOptions options;
    options.penWidth = 9.0;
    const auto light = renderSignature(line(400), options);
    const auto firm = renderSignature(line(1000), options);
    QVERIFY(light.ok() && firm.ok());
    QVERIFY2(inkPixels(*firm) > inkPixels(*light) * 3 / 2,
             qPrintable(u"%1 vs %2"_s.arg(inkPixels(*firm)).arg(inkPixels(*light))));
}

void TestSignatureRender::lowPressureIsAtLeastAThirdOfThePen()
{
    const auto line = [](int pressure) {
        return Strokes{
            SignatureStroke{SignaturePoint{100, 100, 0, pressure}, SignaturePoint{500, 100, 400, pressure}}};
    };
    SignatureRenderOptions options;
    options.penWidth = 9.0;
    const auto zero = renderSignature(line(0), options);
    const auto third = renderSignature(line(333), options);
    QVERIFY(zero.ok() && third.ok());
    QVERIFY(inkPixels(*zero) > 400 * 2); // a 3 px line, not a hairline
    QCOMPARE(inkPixels(*zero), inkPixels(*third));
}

void TestSignatureRender::strokesScaleToOutputKeepingAspect()
{
    // A 600x200 pad drawn into 1200x800: scale 2, centred vertically (200 px bands above and below).
    SignatureRenderOptions options;
    options.outputSize = QSize(1200, 800);
    const Strokes strokes{
        SignatureStroke{SignaturePoint{0, 100, 0, 1000}, SignaturePoint{600, 100, 10, 1000}}};
    const auto image = renderSignature(strokes, options);
    QVERIFY(image.ok());
    QCOMPARE(image->size(), QSize(1200, 800));
    QVERIFY(isInk(image->pixel(600, 400)));
    QVERIFY(isInk(image->pixel(1195, 400)));
    QVERIFY(!isInk(image->pixel(600, 200)));
    QVERIFY(!isInk(image->pixel(600, 390))); // pen 3 * scale 2 = 6 px wide: 397..403
}

void TestSignatureRender::rejectsBadInput_data()
{
    QTest::addColumn<Strokes>("strokes");
    QTest::addColumn<SignatureRenderOptions>("options");
    QTest::addColumn<QString>("code");
    const SignatureStroke ok{SignaturePoint{10, 10, 0, 500}, SignaturePoint{20, 20, 5, 500}};
    QTest::newRow("no strokes") << Strokes{} << SignatureRenderOptions{} << u"signature.empty"_s;
    QTest::newRow("only single points")
        << Strokes{SignatureStroke{SignaturePoint{1, 1, 0, 1000}}, SignatureStroke{}}
        << SignatureRenderOptions{} << u"signature.empty"_s;
    QTest::newRow("5001 strokes") << Strokes(5001, ok) << SignatureRenderOptions{}
                                  << u"signature.too_large"_s;
    QTest::newRow("200001 points") << Strokes{SignatureStroke(200001, SignaturePoint{1, 1, 0, 1000})}
                                   << SignatureRenderOptions{} << u"signature.too_large"_s;
    QTest::newRow("x beyond 10000") << Strokes{ok, SignatureStroke{SignaturePoint{10001, 0, 0, 1},
                                                                   SignaturePoint{}}}
                                    << SignatureRenderOptions{} << u"signature.bad_point"_s;
    QTest::newRow("y below -10000") << Strokes{SignatureStroke{SignaturePoint{0, -10001, 0, 1},
                                                               SignaturePoint{}}}
                                    << SignatureRenderOptions{} << u"signature.bad_point"_s;
    QTest::newRow("pressure above 1000")
        << Strokes{SignatureStroke{SignaturePoint{0, 0, 0, 1001}, SignaturePoint{}}}
        << SignatureRenderOptions{} << u"signature.bad_point"_s;
    QTest::newRow("negative pressure")
        << Strokes{SignatureStroke{SignaturePoint{0, 0, 0, -1}, SignaturePoint{}}} << SignatureRenderOptions{}
        << u"signature.bad_point"_s;
    SignatureRenderOptions emptyOutput;
    emptyOutput.outputSize = QSize(0, 200);
    QTest::newRow("empty output size") << Strokes{ok} << emptyOutput << u"signature.bad_options"_s;
    SignatureRenderOptions hugeOutput;
    hugeOutput.outputSize = QSize(100000, 100000);
    QTest::newRow("huge output size") << Strokes{ok} << hugeOutput << u"signature.bad_options"_s;
    SignatureRenderOptions noPen;
    noPen.penWidth = 0;
    QTest::newRow("zero pen") << Strokes{ok} << noPen << u"signature.bad_options"_s;
}

void TestSignatureRender::rejectsBadInput()
{
    QFETCH(Strokes, strokes);
    QFETCH(SignatureRenderOptions, options);
    QFETCH(QString, code);
    const auto image = renderSignature(strokes, options);
    QVERIFY(!image.ok());
    QCOMPARE(image.error().code, code);
    QCOMPARE(image.error().kind, outpost::ErrorKind::Invalid);
    const auto png = renderSignaturePng(strokes, options);
    QVERIFY(!png.ok());
    QCOMPARE(png.error().code, code);
}

QTEST_MAIN(TestSignatureRender)
#include "tst_signature_render.moc"
