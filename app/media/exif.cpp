// EXIF reading and writing for photos: only what Outpost needs (orientation, GPS position), from
// the first APP1 "Exif\0\0" segment of a JPEG. The input is untrusted (any file a rep picks):
// every offset and count is checked against the segment's bounds before it is read, nothing
// recurses, and malformed data yields whatever was read before the damage.
#include "app/media/photo_import.h"

#include <QtEndian>

#include <cmath>
#include <cstdint>

namespace outpost::media {

namespace {

constexpr quint16 kTagOrientation = 0x0112;
constexpr quint16 kTagGpsIfd = 0x8825;
constexpr quint16 kGpsLatRef = 0x0001;
constexpr quint16 kGpsLat = 0x0002;
constexpr quint16 kGpsLonRef = 0x0003;
constexpr quint16 kGpsLon = 0x0004;
constexpr quint16 kGpsHError = 0x001F;

constexpr quint16 kTypeAscii = 2;
constexpr quint16 kTypeShort = 3;
constexpr quint16 kTypeLong = 4;
constexpr quint16 kTypeRational = 5;

// A bounds-checked view of the TIFF structure inside the APP1 segment.
class Tiff
{
public:
    Tiff(const char *data, qsizetype size, bool bigEndian) : m_data(data), m_size(size), m_be(bigEndian) {}

    bool has(qint64 offset, qint64 length) const
    {
        return offset >= 0 && length >= 0 && offset <= m_size && length <= m_size - offset;
    }
    std::optional<quint16> u16(qint64 offset) const
    {
        if (!has(offset, 2))
            return std::nullopt;
        const auto *p = reinterpret_cast<const uchar *>(m_data + offset);
        return m_be ? qFromBigEndian<quint16>(p) : qFromLittleEndian<quint16>(p);
    }
    std::optional<quint32> u32(qint64 offset) const
    {
        if (!has(offset, 4))
            return std::nullopt;
        const auto *p = reinterpret_cast<const uchar *>(m_data + offset);
        return m_be ? qFromBigEndian<quint32>(p) : qFromLittleEndian<quint32>(p);
    }
    char byteAt(qint64 offset) const { return has(offset, 1) ? m_data[offset] : '\0'; }

private:
    const char *m_data;
    qsizetype m_size;
    bool m_be;
};

struct Entry
{
    quint16 tag = 0;
    quint16 type = 0;
    quint32 count = 0;
    qint64 valueOffset = 0; // where the value is: inline (entry + 8) or the offset it names
};

// The entries of the IFD at `offset` (at most what fits in the data; 0 when damaged).
QList<Entry> readIfd(const Tiff &tiff, qint64 offset)
{
    QList<Entry> entries;
    const auto count = tiff.u16(offset);
    if (!count)
        return entries;
    for (int i = 0; i < *count; ++i) {
        const qint64 at = offset + 2 + qint64(i) * 12;
        const auto tag = tiff.u16(at);
        const auto type = tiff.u16(at + 2);
        const auto n = tiff.u32(at + 4);
        const auto value = tiff.u32(at + 8);
        if (!tag || !type || !n || !value)
            break; // truncated IFD: keep what was read
        qint64 unit = 0;
        switch (*type) {
        case kTypeAscii:
            unit = 1;
            break;
        case kTypeShort:
            unit = 2;
            break;
        case kTypeLong:
            unit = 4;
            break;
        case kTypeRational:
            unit = 8;
            break;
        default:
            unit = 0;
            break; // a type we never read
        }
        Entry e{*tag, *type, *n, at + 8};
        if (unit > 0 && qint64(*n) * unit > 4)
            e.valueOffset = *value;
        entries.append(e);
    }
    return entries;
}

std::optional<qint64> rationalE6(const Tiff &tiff, qint64 offset, qint64 scale)
{
    // num/den * 1e6 / scale, as an exact integer quotient where it can be; a zero denominator is
    // malformed.
    const auto num = tiff.u32(offset);
    const auto den = tiff.u32(offset + 4);
    if (!num || !den || *den == 0)
        return std::nullopt;
    const long double v =
        static_cast<long double>(*num) * 1'000'000.0L / (static_cast<long double>(*den) * scale);
    return static_cast<qint64>(std::llround(v));
}

// Degrees/minutes/seconds (three RATIONALs) to micro-degrees.
std::optional<qint64> degreesE6(const Tiff &tiff, const Entry &e)
{
    if (e.type != kTypeRational || e.count < 3)
        return std::nullopt;
    // Sum exactly in long double before rounding, so 51/1 30/1 264636/10000 gives 51507351.
    long double total = 0;
    const qint64 scales[3] = {1, 60, 3600};
    for (int i = 0; i < 3; ++i) {
        const auto num = tiff.u32(e.valueOffset + i * 8);
        const auto den = tiff.u32(e.valueOffset + i * 8 + 4);
        if (!num || !den || *den == 0)
            return std::nullopt;
        total += static_cast<long double>(*num) * 1'000'000.0L / (static_cast<long double>(*den) * scales[i]);
    }
    if (total > 180'000'000.0L)
        return std::nullopt;
    return static_cast<qint64>(std::llround(total));
}

ExifInfo readTiff(const Tiff &tiff)
{
    ExifInfo info;
    const auto ifd0 = tiff.u32(4);
    if (!ifd0)
        return info;
    std::optional<qint64> gpsIfd;
    for (const Entry &e : readIfd(tiff, *ifd0)) {
        if (e.tag == kTagOrientation && e.type == kTypeShort && e.count >= 1) {
            const auto v = tiff.u16(e.valueOffset);
            if (v && *v >= 1 && *v <= 8)
                info.orientation = *v;
        } else if (e.tag == kTagGpsIfd && (e.type == kTypeLong || e.type == kTypeShort) && e.count == 1) {
            const auto v = e.type == kTypeLong ? tiff.u32(e.valueOffset)
                                               : std::optional<quint32>(tiff.u16(e.valueOffset).value_or(0));
            if (v && *v > 0)
                gpsIfd = *v;
        }
    }
    if (!gpsIfd)
        return info;

    char latRef = 0, lonRef = 0;
    std::optional<qint64> lat, lon, accuracy;
    for (const Entry &e : readIfd(tiff, *gpsIfd)) {
        switch (e.tag) {
        case kGpsLatRef:
            if (e.type == kTypeAscii && e.count >= 1)
                latRef = tiff.byteAt(e.valueOffset);
            break;
        case kGpsLonRef:
            if (e.type == kTypeAscii && e.count >= 1)
                lonRef = tiff.byteAt(e.valueOffset);
            break;
        case kGpsLat:
            lat = degreesE6(tiff, e);
            break;
        case kGpsLon:
            lon = degreesE6(tiff, e);
            break;
        case kGpsHError:
            if (e.type == kTypeRational && e.count >= 1)
                accuracy = rationalE6(tiff, e.valueOffset, 1'000'000);
            break;
        default:
            break;
        }
    }
    const bool refsOk = (latRef == 'N' || latRef == 'S') && (lonRef == 'E' || lonRef == 'W');
    if (!refsOk || !lat || !lon || *lat > 90'000'000 || *lon > 180'000'000)
        return info;
    GeoPosition p;
    p.latE6 = latRef == 'S' ? -*lat : *lat;
    p.lonE6 = lonRef == 'W' ? -*lon : *lon;
    if (accuracy && *accuracy >= 0 && *accuracy < 100'000'000)
        p.accuracyM = *accuracy;
    info.position = p;
    return info;
}

const QByteArray &exifSignature()
{
    static const QByteArray sig("Exif\0\0", 6);
    return sig;
}

// --- writing (test support and nothing else) ---

class TiffWriter
{
public:
    void u16(quint16 v) { m_out.append(char(v >> 8)).append(char(v & 0xff)); } // big endian ("MM")
    void u32(quint32 v)
    {
        u16(quint16(v >> 16));
        u16(quint16(v & 0xffff));
    }
    void entry(quint16 tag, quint16 type, quint32 count, quint32 value)
    {
        u16(tag);
        u16(type);
        u32(count);
        u32(value);
    }
    void entryInline16(quint16 tag, quint16 type, quint32 count, quint16 value)
    {
        u16(tag);
        u16(type);
        u32(count);
        u16(value);
        u16(0);
    }
    qsizetype size() const { return m_out.size(); }
    QByteArray bytes() const { return m_out; }

private:
    QByteArray m_out;
};

// Micro-degrees as three exact rationals: D/1, M/1, S/10000.
struct Dms
{
    quint32 d, m, sNum;
};
Dms toDms(qint64 e6)
{
    const quint64 a = quint64(e6 < 0 ? -e6 : e6);
    const quint32 d = quint32(a / 1'000'000);
    const quint64 restE6 = a % 1'000'000;        // fraction of a degree, in 1e-6
    const quint64 sec1e4 = restE6 * 36;          // seconds in 1e-4 units (3600 s/deg * 1e4 / 1e6)
    const quint32 m = quint32(sec1e4 / 600'000); // 60 s * 1e4
    return {d, m, quint32(sec1e4 - quint64(m) * 600'000)};
}

} // namespace

ExifInfo readExif(const QByteArray &jpegBytes)
{
    const qsizetype n = jpegBytes.size();
    const auto *b = reinterpret_cast<const uchar *>(jpegBytes.constData());
    if (n < 4 || b[0] != 0xFF || b[1] != 0xD8)
        return {};
    qsizetype pos = 2;
    while (pos + 4 <= n) {
        if (b[pos] != 0xFF)
            return {}; // not a marker where one must be: damaged
        const uchar marker = b[pos + 1];
        if (marker == 0xFF) { // fill byte
            ++pos;
            continue;
        }
        if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
            pos += 2; // markers without a length
            continue;
        }
        if (marker == 0xDA || marker == 0xD9)
            return {}; // image data (or the end) before any EXIF
        const qsizetype length = (qsizetype(b[pos + 2]) << 8) | b[pos + 3];
        if (length < 2 || length > n - pos - 2)
            return {};
        const qsizetype body = pos + 4;
        const qsizetype bodyLength = length - 2;
        if (marker == 0xE1 && bodyLength >= 6 + 8 &&
            QByteArrayView(jpegBytes.constData() + body, 6) == exifSignature()) {
            const char *tiff = jpegBytes.constData() + body + 6;
            const qsizetype tiffSize = bodyLength - 6;
            bool bigEndian = false;
            if (tiff[0] == 'M' && tiff[1] == 'M')
                bigEndian = true;
            else if (!(tiff[0] == 'I' && tiff[1] == 'I'))
                return {};
            const Tiff view(tiff, tiffSize, bigEndian);
            if (view.u16(2).value_or(0) != 42)
                return {};
            return readTiff(view);
        }
        pos = body + bodyLength;
    }
    return {};
}

QByteArray withExif(const QByteArray &jpeg, int orientation, std::optional<GeoPosition> position)
{
    if (jpeg.size() < 2 || uchar(jpeg[0]) != 0xFF || uchar(jpeg[1]) != 0xD8)
        return jpeg;
    // Layout (offsets from the TIFF header): header 8 | IFD0 | GPS IFD | GPS values.
    const quint16 ifd0Count = position ? 2 : 1;
    const quint32 ifd0Offset = 8;
    const quint32 gpsOffset = ifd0Offset + 2 + ifd0Count * 12 + 4;
    const quint16 gpsCount = position ? (position->accuracyM ? 5 : 4) : 0;
    const quint32 valuesOffset = gpsOffset + 2 + gpsCount * 12 + 4;

    TiffWriter w;
    w.u16(0x4D4D); // "MM"
    w.u16(42);
    w.u32(ifd0Offset);
    w.u16(ifd0Count);
    w.entryInline16(kTagOrientation, kTypeShort, 1, quint16(orientation));
    if (position)
        w.entry(kTagGpsIfd, kTypeLong, 1, gpsOffset);
    w.u32(0); // no next IFD
    if (position) {
        const Dms lat = toDms(position->latE6);
        const Dms lon = toDms(position->lonE6);
        w.u16(gpsCount);
        w.entryInline16(kGpsLatRef, kTypeAscii, 2, quint16((position->latE6 < 0 ? 'S' : 'N') << 8));
        w.entry(kGpsLat, kTypeRational, 3, valuesOffset);
        w.entryInline16(kGpsLonRef, kTypeAscii, 2, quint16((position->lonE6 < 0 ? 'W' : 'E') << 8));
        w.entry(kGpsLon, kTypeRational, 3, valuesOffset + 24);
        if (position->accuracyM)
            w.entry(kGpsHError, kTypeRational, 1, valuesOffset + 48);
        w.u32(0);
        for (const Dms &v : {lat, lon}) {
            w.u32(v.d);
            w.u32(1);
            w.u32(v.m);
            w.u32(1);
            w.u32(v.sNum);
            w.u32(10000);
        }
        if (position->accuracyM) {
            w.u32(quint32(qBound<qint64>(0, *position->accuracyM, 0xFFFFFFFF)));
            w.u32(1);
        }
    }
    const QByteArray body = exifSignature() + w.bytes();
    QByteArray app1;
    app1.append(char(0xFF)).append(char(0xE1));
    const qsizetype length = body.size() + 2;
    app1.append(char((length >> 8) & 0xff)).append(char(length & 0xff));
    app1.append(body);
    return jpeg.left(2) + app1 + jpeg.mid(2);
}

} // namespace outpost::media
