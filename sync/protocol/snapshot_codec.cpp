#include "sync/protocol/snapshot_codec.h"

#include <QJsonDocument>

#include <zlib.h>

using namespace Qt::Literals::StringLiterals;

namespace outpost::protocol {

namespace {

constexpr QByteArrayView kMagic("OPSNAP01");
constexpr qsizetype kFlushAt = 256 * 1024;
constexpr qsizetype kMaxName = 256;
constexpr quint64 kMaxText = 16 * 1024 * 1024;
constexpr quint64 kMaxColumns = 256;

quint64 zigzag(qint64 v)
{
    return (static_cast<quint64>(v) << 1) ^ static_cast<quint64>(v >> 63);
}

qint64 unzigzag(quint64 v)
{
    return static_cast<qint64>(v >> 1) ^ -static_cast<qint64>(v & 1);
}

bool validType(quint8 t)
{
    return t >= 1 && t <= 4;
}

} // namespace

// ---------------------------------------------------------------------------------- encoder

struct SnapshotEncoder::Z
{
    z_stream s{};
};

SnapshotEncoder::SnapshotEncoder(std::function<void(QByteArrayView)> sink, int level)
    : m_z(std::make_unique<Z>()), m_sink(std::move(sink))
{
    deflateInit(&m_z->s, level);
    m_buffer.reserve(kFlushAt + 1024);
    put(kMagic);
}

SnapshotEncoder::~SnapshotEncoder()
{
    deflateEnd(&m_z->s);
}

void SnapshotEncoder::put(QByteArrayView bytes)
{
    m_buffer.append(bytes.data(), bytes.size());
    if (m_buffer.size() >= kFlushAt)
        flushBuffer(false);
}

void SnapshotEncoder::putVarint(quint64 v)
{
    char tmp[10];
    int n = 0;
    while (v >= 0x80) {
        tmp[n++] = static_cast<char>((v & 0x7f) | 0x80);
        v >>= 7;
    }
    tmp[n++] = static_cast<char>(v);
    put(QByteArrayView(tmp, n));
}

void SnapshotEncoder::flushBuffer(bool finish)
{
    m_rawBytes += m_buffer.size();
    z_stream &s = m_z->s;
    s.next_in = reinterpret_cast<Bytef *>(m_buffer.data());
    s.avail_in = static_cast<uInt>(m_buffer.size());
    char out[64 * 1024];
    int rc = Z_OK;
    do {
        s.next_out = reinterpret_cast<Bytef *>(out);
        s.avail_out = sizeof out;
        rc = deflate(&s, finish ? Z_FINISH : Z_NO_FLUSH);
        const qsizetype produced = static_cast<qsizetype>(sizeof out - s.avail_out);
        if (produced > 0)
            m_sink(QByteArrayView(out, produced));
    } while (s.avail_out == 0 || (finish && rc != Z_STREAM_END));
    m_buffer.clear();
}

void SnapshotEncoder::writeHeader(const QJsonObject &header)
{
    const QByteArray json = QJsonDocument(header).toJson(QJsonDocument::Compact);
    putVarint(static_cast<quint64>(json.size()));
    put(json);
}

void SnapshotEncoder::beginTable(QByteArrayView name, const QList<Column> &columns, qint64 rowCount)
{
    Q_ASSERT(m_col == 0);
    put("T");
    putVarint(static_cast<quint64>(name.size()));
    put(name);
    putVarint(static_cast<quint64>(columns.size()));
    for (const Column &c : columns) {
        putVarint(static_cast<quint64>(c.name.size()));
        put(c.name);
        const char t = static_cast<char>(c.type);
        put(QByteArrayView(&t, 1));
    }
    putVarint(static_cast<quint64>(rowCount));
    m_columns = columns;
    m_prev = QList<qint64>(columns.size(), 0);
    m_col = 0;
}

void SnapshotEncoder::addInt(qint64 v)
{
    Q_ASSERT(m_columns.at(m_col).type == ColumnType::Int);
    putVarint(zigzag(v - m_prev[m_col]));
    m_prev[m_col] = v;
    m_col = (m_col + 1) % m_columns.size();
}

void SnapshotEncoder::addNullableInt(std::optional<qint64> v)
{
    Q_ASSERT(m_columns.at(m_col).type == ColumnType::NullableInt);
    if (!v) {
        putVarint(0);
    } else {
        putVarint(1);
        putVarint(zigzag(*v - m_prev[m_col]));
        m_prev[m_col] = *v;
    }
    m_col = (m_col + 1) % m_columns.size();
}

void SnapshotEncoder::addText(QByteArrayView utf8)
{
    Q_ASSERT(m_columns.at(m_col).type == ColumnType::Text);
    putVarint(static_cast<quint64>(utf8.size()));
    put(utf8);
    m_col = (m_col + 1) % m_columns.size();
}

void SnapshotEncoder::addNullableText(std::optional<QByteArrayView> utf8)
{
    Q_ASSERT(m_columns.at(m_col).type == ColumnType::NullableText);
    if (!utf8) {
        putVarint(0);
    } else {
        putVarint(static_cast<quint64>(utf8->size()) + 1);
        put(*utf8);
    }
    m_col = (m_col + 1) % m_columns.size();
}

void SnapshotEncoder::finish()
{
    if (m_finished)
        return;
    put("E");
    flushBuffer(true);
    m_finished = true;
}

// ---------------------------------------------------------------------------------- decoder

struct SnapshotDecoder::Z
{
    z_stream s{};
};

SnapshotDecoder::SnapshotDecoder() : m_z(std::make_unique<Z>())
{
    inflateInit(&m_z->s);
}

SnapshotDecoder::~SnapshotDecoder()
{
    inflateEnd(&m_z->s);
}

Error SnapshotDecoder::corrupt(const QString &why) const
{
    return Error::make(ErrorKind::Corrupt, u"snapshot.corrupt"_s,
                       u"The downloaded snapshot is damaged."_s, why);
}

Status SnapshotDecoder::feed(QByteArrayView compressed)
{
    if (m_streamEnded) {
        if (!compressed.isEmpty())
            return corrupt(u"data after the end of the stream"_s);
        return {};
    }
    // Drop consumed bytes before growing the buffer.
    if (m_pos > 0) {
        m_buf.remove(0, m_pos);
        m_pos = 0;
    }
    z_stream &s = m_z->s;
    s.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(compressed.data()));
    s.avail_in = static_cast<uInt>(compressed.size());
    char out[128 * 1024];
    while (s.avail_in > 0) {
        s.next_out = reinterpret_cast<Bytef *>(out);
        s.avail_out = sizeof out;
        const int rc = inflate(&s, Z_NO_FLUSH);
        const qsizetype produced = static_cast<qsizetype>(sizeof out - s.avail_out);
        m_buf.append(out, produced);
        m_rawTotal += produced;
        if (rc == Z_STREAM_END) {
            m_streamEnded = true;
            if (s.avail_in > 0)
                return corrupt(u"data after the end of the stream"_s);
            break;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR)
            return corrupt(u"inflate error %1"_s.arg(rc));
        if (rc == Z_BUF_ERROR && produced == 0)
            break;
    }
    return {};
}

bool SnapshotDecoder::readVarint(qsizetype &pos, quint64 &out) const
{
    out = 0;
    int shift = 0;
    while (pos < m_buf.size()) {
        const auto b = static_cast<quint8>(m_buf.at(pos++));
        out |= static_cast<quint64>(b & 0x7f) << shift;
        if (!(b & 0x80))
            return true;
        shift += 7;
        if (shift > 63)
            return false; // caller treats as corrupt when the buffer had the bytes
    }
    return false;
}

bool SnapshotDecoder::readBytes(qsizetype &pos, qsizetype n, QByteArrayView &out) const
{
    if (m_buf.size() - pos < n)
        return false;
    out = QByteArrayView(m_buf.constData() + pos, n);
    pos += n;
    return true;
}

Result<SnapshotDecoder::Event> SnapshotDecoder::next()
{
    const auto needMore = [this]() -> Result<Event> {
        if (m_streamEnded)
            return corrupt(u"stream ended inside a record"_s);
        return Event::NeedMore;
    };
    qsizetype p = m_pos;
    switch (m_state) {
    case State::Magic: {
        QByteArrayView magic;
        if (!readBytes(p, kMagic.size(), magic))
            return needMore();
        if (magic != kMagic)
            return corrupt(u"bad magic"_s);
        m_pos = p;
        m_state = State::Header;
        return next();
    }
    case State::Header: {
        quint64 len = 0;
        QByteArrayView json;
        if (!readVarint(p, len) || !readBytes(p, static_cast<qsizetype>(std::min<quint64>(len, kMaxText)), json))
            return needMore();
        if (len > kMaxText)
            return corrupt(u"header too large"_s);
        QJsonParseError err{};
        const QJsonDocument doc = QJsonDocument::fromJson(json.toByteArray(), &err);
        if (err.error != QJsonParseError::NoError || !doc.isObject())
            return corrupt(u"header is not a JSON object"_s);
        m_header = doc.object();
        m_pos = p;
        m_state = State::TableOrEnd;
        return Event::Header;
    }
    case State::TableOrEnd: {
        QByteArrayView tag;
        if (!readBytes(p, 1, tag))
            return needMore();
        if (tag == "E") {
            m_pos = p;
            m_state = State::Done;
            return Event::End;
        }
        if (tag != "T")
            return corrupt(u"expected a table or the end"_s);
        quint64 nameLen = 0, ncols = 0, rows = 0;
        QByteArrayView name;
        if (!readVarint(p, nameLen))
            return needMore();
        if (nameLen > kMaxName)
            return corrupt(u"table name too long"_s);
        if (!readBytes(p, static_cast<qsizetype>(nameLen), name) || !readVarint(p, ncols))
            return needMore();
        if (ncols == 0 || ncols > kMaxColumns)
            return corrupt(u"bad column count"_s);
        QList<Column> cols;
        for (quint64 i = 0; i < ncols; ++i) {
            quint64 cl = 0;
            QByteArrayView cname, type;
            if (!readVarint(p, cl))
                return needMore();
            if (cl > kMaxName)
                return corrupt(u"column name too long"_s);
            if (!readBytes(p, static_cast<qsizetype>(cl), cname) || !readBytes(p, 1, type))
                return needMore();
            const auto t = static_cast<quint8>(type.at(0));
            if (!validType(t))
                return corrupt(u"bad column type"_s);
            cols.append(Column{cname.toByteArray(), static_cast<ColumnType>(t)});
        }
        if (!readVarint(p, rows))
            return needMore();
        m_tableName = name.toByteArray();
        m_columns = cols;
        m_prev = QList<qint64>(cols.size(), 0);
        m_row = QList<Value>(cols.size());
        m_rowCount = static_cast<qint64>(rows);
        m_rowsLeft = m_rowCount;
        m_pos = p;
        m_state = m_rowsLeft > 0 ? State::Rows : State::TableOrEnd;
        return Event::TableStart;
    }
    case State::Rows: {
        QList<qint64> prev = m_prev;
        for (qsizetype c = 0; c < m_columns.size(); ++c) {
            Value &v = m_row[c];
            v = Value{};
            quint64 raw = 0;
            switch (m_columns.at(c).type) {
            case ColumnType::NullableInt:
                if (!readVarint(p, raw))
                    return needMore();
                if (raw == 0) {
                    v.isNull = true;
                    break;
                }
                if (raw != 1)
                    return corrupt(u"bad null flag"_s);
                [[fallthrough]];
            case ColumnType::Int:
                if (!readVarint(p, raw))
                    return needMore();
                v.integer = prev[c] + unzigzag(raw);
                prev[c] = v.integer;
                break;
            case ColumnType::NullableText:
                if (!readVarint(p, raw))
                    return needMore();
                if (raw == 0) {
                    v.isNull = true;
                    break;
                }
                raw -= 1;
                [[fallthrough]];
            case ColumnType::Text:
                if (m_columns.at(c).type == ColumnType::Text && !readVarint(p, raw))
                    return needMore();
                if (raw > kMaxText)
                    return corrupt(u"text too long"_s);
                if (!readBytes(p, static_cast<qsizetype>(raw), v.text))
                    return needMore();
                break;
            }
        }
        m_prev = prev;
        m_pos = p;
        if (--m_rowsLeft == 0)
            m_state = State::TableOrEnd;
        return Event::Row;
    }
    case State::Done:
        return Event::End;
    }
    return corrupt(u"unreachable"_s);
}

} // namespace outpost::protocol
