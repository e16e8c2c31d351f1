// The snapshot wire format: how the server ships a partition (catalog, prices, stock, accounts,
// orders) to a fresh device as fast and small as possible. Shared by the server (writer) and the
// device sync engine (reader); depends on QtCore and zlib only.
//
// The HTTP body is one zlib (RFC 1950) deflate stream. Inflated, it is:
//   magic   "OPSNAP01"
//   header  varint length + UTF-8 JSON object ({"partition","seq","tables":[{"name","rows"}], ...})
//   tables  repeated: 'T', varint name length + name, varint column count,
//           per column (varint name length + name, u8 type), varint row count,
//           rows: per row, per column in order:
//             Int           zigzag varint of (value - previous row's value in this column)
//             NullableInt   0 = NULL, else 1 + the Int encoding (delta against the last non-NULL)
//             Text          varint length + UTF-8 bytes
//             NullableText  varint (length + 1), 0 = NULL, then the bytes
//   end     'E'
// Rows are sorted by key, so ids and foreign keys delta to 0 or 1 and compress to almost nothing.
#pragma once

#include "domain/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QList>

#include <functional>
#include <optional>
#include <memory>

namespace outpost::protocol {

enum class ColumnType : quint8 { Int = 1, Text = 2, NullableInt = 3, NullableText = 4 };

struct Column
{
    QByteArray name;
    ColumnType type = ColumnType::Int;
};

struct Value
{
    bool isNull = false;
    qint64 integer = 0;
    QByteArrayView text; // valid until the next call into the decoder
};

class SnapshotEncoder
{
public:
    // `sink` receives compressed bytes as they are produced.
    explicit SnapshotEncoder(std::function<void(QByteArrayView)> sink, int level = 6);
    ~SnapshotEncoder();
    SnapshotEncoder(const SnapshotEncoder &) = delete;
    SnapshotEncoder &operator=(const SnapshotEncoder &) = delete;

    void writeHeader(const QJsonObject &header);
    void beginTable(QByteArrayView name, const QList<Column> &columns, qint64 rowCount);
    // One value per column, in column order, rowCount rows.
    void addInt(qint64 v);
    void addNullableInt(std::optional<qint64> v);
    void addText(QByteArrayView utf8);
    void addNullableText(std::optional<QByteArrayView> utf8);
    void finish(); // writes 'E' and flushes the deflate stream

    qint64 rawBytes() const { return m_rawBytes; }

private:
    void put(QByteArrayView bytes);
    void putVarint(quint64 v);
    void flushBuffer(bool finish);

    struct Z;
    std::unique_ptr<Z> m_z;
    std::function<void(QByteArrayView)> m_sink;
    QByteArray m_buffer; // uncompressed, flushed through deflate in chunks
    QList<qint64> m_prev;
    QList<Column> m_columns;
    int m_col = 0;
    qint64 m_rawBytes = 0;
    bool m_finished = false;
};

// Incremental decoder: feed compressed bytes as they arrive, then pull events until NeedMore.
class SnapshotDecoder
{
public:
    enum class Event { NeedMore, Header, TableStart, Row, End };

    SnapshotDecoder();
    ~SnapshotDecoder();
    SnapshotDecoder(const SnapshotDecoder &) = delete;
    SnapshotDecoder &operator=(const SnapshotDecoder &) = delete;

    // Errors: "snapshot.corrupt" (bad deflate data or structure), ErrorKind::Corrupt.
    Status feed(QByteArrayView compressed);
    Result<Event> next();

    const QJsonObject &header() const { return m_header; }
    const QByteArray &tableName() const { return m_tableName; }
    const QList<Column> &columns() const { return m_columns; }
    qint64 tableRowCount() const { return m_rowCount; }
    const QList<Value> &row() const { return m_row; }
    bool atEnd() const { return m_state == State::Done; }
    qint64 rawBytes() const { return m_rawTotal; }

private:
    enum class State { Magic, Header, TableOrEnd, Rows, Done };
    bool readVarint(qsizetype &pos, quint64 &out) const;
    bool readBytes(qsizetype &pos, qsizetype n, QByteArrayView &out) const;
    Error corrupt(const QString &why) const;

    struct Z;
    std::unique_ptr<Z> m_z;
    QByteArray m_buf; // inflated, not yet consumed
    qsizetype m_pos = 0;
    State m_state = State::Magic;
    QJsonObject m_header;
    QByteArray m_tableName;
    QList<Column> m_columns;
    QList<qint64> m_prev;
    qint64 m_rowCount = 0;
    qint64 m_rowsLeft = 0;
    QList<Value> m_row;
    qint64 m_rawTotal = 0;
    bool m_streamEnded = false;
};

} // namespace outpost::protocol
