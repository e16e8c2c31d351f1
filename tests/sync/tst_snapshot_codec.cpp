// The snapshot wire format: round trips whatever the chunking, and rejects damaged streams.
#include "sync/protocol/snapshot_codec.h"

#include <QRandomGenerator>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace outpost;
using namespace outpost::protocol;

namespace {

struct Row
{
    qint64 id;
    std::optional<qint64> ref;
    QByteArray name;
    std::optional<QByteArray> note;
};

QList<Row> makeRows(int n, quint32 seed)
{
    QRandomGenerator r(seed);
    QList<Row> rows;
    qint64 id = 0;
    for (int i = 0; i < n; ++i) {
        id += 1 + r.bounded(3);
        Row row{id, std::nullopt, {}, std::nullopt};
        if (r.bounded(4) != 0)
            row.ref = static_cast<qint64>(r.generate64()) >> r.bounded(64); // any sign, any size
        row.name = u"Product %1 \u00e9\u20ac"_s.arg(r.bounded(100000)).toUtf8();
        if (r.bounded(3) == 0)
            row.note = r.bounded(2) ? QByteArray() : QByteArray(r.bounded(300), 'x');
        rows.append(row);
    }
    return rows;
}

const QList<Column> kColumns{{"id", ColumnType::Int},
                             {"ref", ColumnType::NullableInt},
                             {"name", ColumnType::Text},
                             {"note", ColumnType::NullableText}};

QByteArray encode(const QList<Row> &rows, const QList<Row> &second = {})
{
    QByteArray out;
    SnapshotEncoder enc([&out](QByteArrayView b) { out.append(b.data(), b.size()); });
    enc.writeHeader(QJsonObject{{u"partition"_s, u"test"_s}, {u"seq"_s, 42}});
    enc.beginTable("things", kColumns, rows.size());
    for (const Row &r : rows) {
        enc.addInt(r.id);
        enc.addNullableInt(r.ref);
        enc.addText(r.name);
        if (r.note)
            enc.addNullableText(QByteArrayView(*r.note));
        else
            enc.addNullableText(std::nullopt);
    }
    enc.beginTable("empty", {{"x", ColumnType::Int}}, 0);
    enc.beginTable("more", kColumns, second.size());
    for (const Row &r : second) {
        enc.addInt(r.id);
        enc.addNullableInt(r.ref);
        enc.addText(r.name);
        enc.addNullableText(r.note ? std::optional<QByteArrayView>(*r.note) : std::nullopt);
    }
    enc.finish();
    return out;
}

// Decodes feeding `chunk` bytes at a time; returns the rows per table, or the error.
Result<QMap<QByteArray, QList<Row>>> decode(const QByteArray &data, int chunk)
{
    SnapshotDecoder dec;
    QMap<QByteArray, QList<Row>> tables;
    QByteArray current;
    bool ended = false;
    for (qsizetype off = 0; off <= data.size() && !ended; off += chunk) {
        if (off < data.size()) {
            if (auto st = dec.feed(QByteArrayView(data.constData() + off, std::min<qsizetype>(chunk, data.size() - off))); !st)
                return st.error();
        }
        for (;;) {
            auto ev = dec.next();
            if (!ev)
                return ev.error();
            if (*ev == SnapshotDecoder::Event::NeedMore)
                break;
            if (*ev == SnapshotDecoder::Event::Header && dec.header().value(u"seq"_s).toInt() != 42)
                return Error::make(ErrorKind::Internal, u"test.header"_s, u"bad header"_s);
            if (*ev == SnapshotDecoder::Event::TableStart) {
                current = dec.tableName();
                tables[current];
            }
            if (*ev == SnapshotDecoder::Event::Row) {
                const auto &v = dec.row();
                Row r{v[0].integer, v[1].isNull ? std::nullopt : std::optional<qint64>(v[1].integer),
                      v[2].text.toByteArray(),
                      v[3].isNull ? std::nullopt : std::optional<QByteArray>(v[3].text.toByteArray())};
                tables[current].append(r);
            }
            if (*ev == SnapshotDecoder::Event::End) {
                ended = true;
                break;
            }
        }
    }
    if (!ended)
        return Error::make(ErrorKind::Corrupt, u"snapshot.truncated"_s, u"truncated"_s);
    return tables;
}

bool sameRows(const QList<Row> &a, const QList<Row> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a[i].id != b[i].id || a[i].ref != b[i].ref || a[i].name != b[i].name || a[i].note != b[i].note)
            return false;
    }
    return true;
}

} // namespace

class TestSnapshotCodec : public QObject
{
    Q_OBJECT
private slots:
    void roundTripWhateverTheChunking_data()
    {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("chunk");
        QTest::newRow("empty tables, whole") << 0 << 1;
        QTest::newRow("one row, byte by byte") << 1 << 1;
        QTest::newRow("1000 rows, 7-byte chunks") << 1000 << 7;
        QTest::newRow("20000 rows, 64 KiB chunks") << 20000 << 65536;
        QTest::newRow("20000 rows, one piece") << 20000 << 100000000;
    }
    void roundTripWhateverTheChunking()
    {
        QFETCH(int, rows);
        QFETCH(int, chunk);
        const QList<Row> a = makeRows(rows, 7);
        const QList<Row> b = makeRows(rows / 2, 11);
        const QByteArray data = encode(a, b);
        auto decoded = decode(data, chunk);
        QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error().detail));
        QCOMPARE(decoded->keys(), (QList<QByteArray>{"empty", "more", "things"}));
        QVERIFY(sameRows(decoded->value("things"), a));
        QVERIFY(sameRows(decoded->value("more"), b));
        QVERIFY(decoded->value("empty").isEmpty());
    }

    void sortedIdsCostAboutAByte()
    {
        // 100k rows of (id, price-ish value): the id column deltas to 1 byte before compression.
        QByteArray out;
        SnapshotEncoder enc([&out](QByteArrayView b) { out.append(b.data(), b.size()); });
        enc.writeHeader({});
        enc.beginTable("p", {{"id", ColumnType::Int}, {"list", ColumnType::Int}}, 100000);
        for (int i = 0; i < 100000; ++i) {
            enc.addInt(i + 1);
            enc.addInt(3);
        }
        enc.finish();
        QVERIFY2(enc.rawBytes() < 100000 * 2 + 100, qPrintable(QString::number(enc.rawBytes())));
        QVERIFY2(out.size() < 10000, qPrintable(QString::number(out.size())));
    }

    void damagedStreamsAreRejected_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::newRow("truncated in the middle") << u"truncate"_s;
        QTest::newRow("flipped byte") << u"flip"_s;
        QTest::newRow("garbage") << u"garbage"_s;
        QTest::newRow("trailing bytes") << u"trailing"_s;
        QTest::newRow("not zlib") << u"plain"_s;
    }
    void damagedStreamsAreRejected()
    {
        QFETCH(QString, damage);
        QByteArray data = encode(makeRows(2000, 3));
        if (damage == u"truncate"_s)
            data.truncate(data.size() / 2);
        else if (damage == u"flip"_s)
            data[data.size() / 2] = static_cast<char>(data[data.size() / 2] ^ 0x5a);
        else if (damage == u"garbage"_s)
            data = QByteArray(5000, 'g');
        else if (damage == u"trailing"_s)
            data.append("xyz");
        else
            data = QByteArray("OPSNAP01\x02{}E");
        auto decoded = decode(data, 999);
        QVERIFY(!decoded.ok());
        QVERIFY(decoded.error().code == u"snapshot.corrupt"_s || decoded.error().code == u"snapshot.truncated"_s);
    }
};

QTEST_GUILESS_MAIN(TestSnapshotCodec)
#include "tst_snapshot_codec.moc"
