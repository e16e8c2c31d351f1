// Test images for the attachment tests: a valid PNG (1x1, real IHDR/IDAT/IEND so QImageReader
// accepts its header) padded with a private ancillary chunk of seeded random bytes to any size.
#pragma once

#include <QByteArray>
#include <QRandomGenerator>
#include <QtEndian>

namespace outpost::test {

inline quint32 crc32(const QByteArray &data)
{
    static quint32 table[256] = {};
    if (table[1] == 0) {
        for (quint32 n = 0; n < 256; ++n) {
            quint32 c = n;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
    }
    quint32 c = 0xFFFFFFFFu;
    for (char ch : data)
        c = table[(c ^ quint8(ch)) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

inline QByteArray pngChunk(const QByteArray &type, const QByteArray &data)
{
    QByteArray out(4, Qt::Uninitialized);
    qToBigEndian<quint32>(quint32(data.size()), out.data());
    const QByteArray body = type + data;
    out += body;
    QByteArray crc(4, Qt::Uninitialized);
    qToBigEndian<quint32>(crc32(body), crc.data());
    return out + crc;
}

// About `totalSize` bytes (exactly, when totalSize >= 100): a 1x1 grey PNG.
inline QByteArray makePng(qint64 totalSize, quint32 seed)
{
    QByteArray ihdr(13, '\0');
    qToBigEndian<quint32>(1, ihdr.data());
    qToBigEndian<quint32>(1, ihdr.data() + 4);
    ihdr[8] = 8; // bit depth
    ihdr[9] = 0; // greyscale
    // zlib stream, one stored block with the scanline [filter 0, pixel 0x80]; adler32 of it.
    const QByteArray raw("\x00\x80", 2);
    const quint32 a = (1 + 0 + 0x80) % 65521, b = ((1 + 0) + (1 + 0 + 0x80)) % 65521;
    QByteArray idat("\x78\x01\x01\x02\x00\xFD\xFF", 7);
    idat += raw;
    QByteArray adler(4, Qt::Uninitialized);
    qToBigEndian<quint32>((b << 16) | a, adler.data());
    idat += adler;
    QByteArray head = QByteArray("\x89PNG\r\n\x1A\n", 8) + pngChunk("IHDR", ihdr);
    const QByteArray tail = pngChunk("IDAT", idat) + pngChunk("IEND", {});
    const qint64 pad = std::max<qint64>(0, totalSize - head.size() - tail.size() - 12);
    QByteArray padding(pad, Qt::Uninitialized);
    QRandomGenerator random(seed);
    for (qint64 i = 0; i + 4 <= pad; i += 4)
        qToLittleEndian<quint32>(random.generate(), padding.data() + i);
    for (qint64 i = pad - pad % 4; i < pad; ++i)
        padding[i] = char(random.bounded(256));
    return head + pngChunk("prVt", padding) + tail;
}

} // namespace outpost::test
