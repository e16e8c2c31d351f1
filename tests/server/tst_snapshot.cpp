// GET /v1/sync/snapshot: the same rows as the change feed from 0 for the same caller and seq,
// byte-identical resume from any offset, snapshot.expired, partitions by role, reuse of the file.
#include "tests/server/sync_http.h"

#include <QCryptographicHash>
#include <QDir>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace outpost::test;
using namespace outpost::test::sync;

class TstSnapshot : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void roundTripMatchesChangeFeed_data();
    void roundTripMatchesChangeFeed();
    void rowsAreSortedByKey();
    void resumeFromOffsetGivesIdenticalBytes_data();
    void resumeFromOffsetGivesIdenticalBytes();
    void rangeAfterTheEndIs416();
    void deletedSnapshotIsExpired();
    void unknownOrForeignIdIsExpired_data();
    void unknownOrForeignIdIsExpired();
    void partitionsByRole_data();
    void partitionsByRole();
    void badRequests_data();
    void badRequests();
    void reusedUntilThePartitionChanges();
    void checksumsMatchTheSnapshotRows_data();
    void checksumsMatchTheSnapshotRows();
    void checksumsByRole();

private:
    RawReply snapshot(const QByteArray &token, const QString &partition,
                      const QList<std::pair<QByteArray, QByteArray>> &headers = {});
    QByteArray token(const QString &user);
    qint64 scalar(const QString &sql);

    TestServer m_server;
    QHash<QString, QByteArray> m_tokens;
};

RawReply TstSnapshot::snapshot(const QByteArray &token, const QString &partition,
                               const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    return rawRequest("GET", m_server.url(u"/v1/sync/snapshot?partition="_s + partition), token, headers);
}

QByteArray TstSnapshot::token(const QString &user)
{
    if (!m_tokens.contains(user))
        m_tokens.insert(user, m_server.login(u"demo"_s, user));
    return m_tokens.value(user);
}

qint64 TstSnapshot::scalar(const QString &sql)
{
    qint64 v = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"peek"_s);
        db.setDatabaseName(m_server.dbPath());
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(sql) && q.next())
                v = q.value(0).toLongLong();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(u"peek"_s);
    return v;
}

void TstSnapshot::initTestCase()
{
    QVERIFY(m_server.seed());
    QVERIFY(m_server.start());
    QVERIFY(!token(u"rep1"_s).isEmpty());
    // One order of rep1, so the orders partition has rows and lines.
    const qint64 account = scalar(
        u"SELECT MIN(ar.account_id) FROM account_reps ar JOIN users u ON u.id = ar.user_id WHERE u.username = 'rep1'"_s);
    const qint64 product = scalar(u"SELECT MIN(id) FROM products WHERE discontinued = 0"_s);
    QVERIFY(account > 0 && product > 0);
    const QJsonObject body{
        {u"commandId"_s, newUuid()},
        {u"order"_s,
         QJsonObject{{u"id"_s, newUuid()},
                     {u"accountId"_s, account},
                     {u"lines"_s, QJsonArray{QJsonObject{{u"lineNo"_s, 1}, {u"productId"_s, product}, {u"quantity"_s, 2}},
                                             QJsonObject{{u"lineNo"_s, 2}, {u"productId"_s, product + 1},
                                                         {u"quantity"_s, 1}}}}}}};
    const HttpReply r = m_server.post(u"/v1/orders"_s, body, token(u"rep1"_s));
    QCOMPARE(r.status, 200);
}

void TstSnapshot::cleanupTestCase()
{
    m_server.stop();
}

void TstSnapshot::roundTripMatchesChangeFeed_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("partition");
    for (const QString &user : {u"rep1"_s, u"manager1"_s}) {
        for (const QString &partition : {u"catalog"_s, u"stock"_s, u"prices"_s, u"accounts"_s, u"orders"_s})
            QTest::addRow("%s-%s", qPrintable(user), qPrintable(partition)) << user << partition;
    }
    QTest::addRow("kiosk1-catalog") << u"kiosk1"_s << u"catalog"_s;
}

void TstSnapshot::roundTripMatchesChangeFeed()
{
    QFETCH(QString, user);
    QFETCH(QString, partition);
    const RawReply r = snapshot(token(user), partition);
    QCOMPARE(r.status, 200);
    const DecodedSnapshot snap = decodeSnapshot(r.body);
    QVERIFY2(snap.ok, qPrintable(snap.error));
    QCOMPARE(snap.header.value(u"partition"_s).toString(), partition);
    QCOMPARE(snap.header.value(u"tenant"_s).toString(), u"demo"_s);
    const qint64 seq = snap.header.value(u"seq"_s).toInteger();
    QCOMPARE(r.header("Outpost-Snapshot-Seq").toLongLong(), seq);
    QCOMPARE(r.header("Content-Length").toLongLong(), r.body.size());
    QCOMPARE(r.header("Outpost-Snapshot-Sha256"),
             QCryptographicHash::hash(r.body, QCryptographicHash::Sha256).toHex());

    // The change feed from 0 up to the same seq (nothing is written in between).
    const Feed feed = readFeed(m_server, token(user), 0, partition);
    QVERIFY(feed.ok);
    QCOMPARE(feed.upto, seq);

    for (const QJsonValue &t : snap.header.value(u"tables"_s).toArray()) {
        const QString name = t.toObject().value(u"name"_s).toString();
        QCOMPARE(snap.tables.value(name).size(), t.toObject().value(u"rows"_s).toInteger());
    }
    QStringList feedTables = feed.tables.keys();
    if (partition == u"orders"_s)
        feedTables << u"order_lines"_s;
    QStringList snapTables = snap.tableOrder;
    feedTables.sort();
    snapTables.sort();
    QCOMPARE(snapTables, feedTables);

    qsizetype total = 0;
    for (const QString &table : snap.tableOrder) {
        if (table == u"order_lines"_s)
            continue;
        QHash<QString, QJsonObject> fromFeed;
        for (const QJsonValue &v : feed.tables.value(table)) {
            QJsonObject row = v.toObject();
            if (table == u"orders"_s) {
                // The feed nests lines and the outcome object; the snapshot has order_lines and JSON text.
                const QJsonArray lines = row.take(u"lines"_s).toArray();
                const QString orderId = row.value(u"id"_s).toString();
                QJsonArray snapLines;
                for (const QJsonValue &l : snap.tables.value(u"order_lines"_s)) {
                    QJsonObject line = l.toObject();
                    if (line.take(u"orderId"_s).toString() != orderId)
                        continue;
                    line.insert(u"detail"_s, QJsonDocument::fromJson(line.value(u"detail"_s).toString().toUtf8()).object());
                    snapLines.append(line);
                }
                QCOMPARE(snapLines, lines);
                row.insert(u"outcome"_s, QString::fromUtf8(QJsonDocument(row.value(u"outcome"_s).toObject())
                                                               .toJson(QJsonDocument::Compact)));
            }
            const QString key = row.contains(u"id"_s)
                                    ? row.value(u"id"_s).toVariant().toString()
                                    : u"%1/%2"_s.arg(row.value(u"accountId"_s).toInteger()).arg(row.value(u"userId"_s).toInteger());
            fromFeed.insert(key, row);
        }
        const QJsonArray rows = snap.tables.value(table);
        QCOMPARE(rows.size(), fromFeed.size());
        for (const QJsonValue &v : rows) {
            QJsonObject row = v.toObject();
            const QString key = row.contains(u"id"_s)
                                    ? row.value(u"id"_s).toVariant().toString()
                                    : u"%1/%2"_s.arg(row.value(u"accountId"_s).toInteger()).arg(row.value(u"userId"_s).toInteger());
            QVERIFY2(fromFeed.contains(key), qPrintable(table + u" "_s + key));
            if (table == u"orders"_s) // compare the outcome as an object, not as text
                row.insert(u"outcome"_s, QString::fromUtf8(QJsonDocument::fromJson(row.value(u"outcome"_s).toString().toUtf8())
                                                               .toJson(QJsonDocument::Compact)));
            QCOMPARE(row, fromFeed.value(key));
        }
        total += rows.size();
    }
    QVERIFY(total > 0);
}

void TstSnapshot::rowsAreSortedByKey()
{
    const RawReply r = snapshot(token(u"manager1"_s), u"prices"_s);
    QCOMPARE(r.status, 200);
    const DecodedSnapshot snap = decodeSnapshot(r.body);
    QVERIFY(snap.ok);
    for (const QString &table : snap.tableOrder) {
        qint64 previous = 0;
        for (const QJsonValue &v : snap.tables.value(table)) {
            const qint64 id = v.toObject().value(u"id"_s).toInteger();
            QVERIFY2(id > previous, qPrintable(table));
            previous = id;
        }
    }
}

void TstSnapshot::resumeFromOffsetGivesIdenticalBytes_data()
{
    QTest::addColumn<QString>("partition");
    QTest::addColumn<double>("fraction"); // where the download "dropped"
    QTest::addRow("catalog-first-byte") << u"catalog"_s << 0.0;
    QTest::addRow("catalog-quarter") << u"catalog"_s << 0.25;
    QTest::addRow("catalog-half") << u"catalog"_s << 0.5;
    QTest::addRow("catalog-last-byte") << u"catalog"_s << 1.0;
    QTest::addRow("prices-third") << u"prices"_s << 0.33;
    QTest::addRow("accounts-ninety") << u"accounts"_s << 0.9;
}

void TstSnapshot::resumeFromOffsetGivesIdenticalBytes()
{
    QFETCH(QString, partition);
    QFETCH(double, fraction);
    const QByteArray rep = token(u"rep1"_s);
    const RawReply full = snapshot(rep, partition);
    QCOMPARE(full.status, 200);
    const QByteArray id = full.header("Outpost-Snapshot-Id");
    QVERIFY(!id.isEmpty());
    const qint64 size = full.body.size();
    const qint64 offset = fraction <= 0.0 ? 1 : std::min<qint64>(size - 1, qint64(double(size) * fraction));

    const RawReply rest = snapshot(rep, partition, {{"Range", "bytes=" + QByteArray::number(offset) + '-'}, {"If-Range", id}});
    QCOMPARE(rest.status, 206);
    QCOMPARE(rest.body, full.body.mid(offset));
    QCOMPARE(rest.header("Content-Range"),
             "bytes " + QByteArray::number(offset) + '-' + QByteArray::number(size - 1) + '/' + QByteArray::number(size));
    QCOMPARE(rest.header("Outpost-Snapshot-Id"), id);
    QCOMPARE(rest.header("Outpost-Snapshot-Sha256"), full.header("Outpost-Snapshot-Sha256"));
    QVERIFY(decodeSnapshot(full.body.left(offset) + rest.body).ok);
}

void TstSnapshot::rangeAfterTheEndIs416()
{
    const RawReply full = snapshot(token(u"rep1"_s), u"stock"_s);
    QCOMPARE(full.status, 200);
    const RawReply r = snapshot(token(u"rep1"_s), u"stock"_s,
                                {{"Range", "bytes=" + QByteArray::number(full.body.size()) + '-'},
                                 {"If-Range", full.header("Outpost-Snapshot-Id")}});
    QCOMPARE(r.status, 416);
    QCOMPARE(r.errorCode(), u"request.range_not_satisfiable"_s);
}

void TstSnapshot::deletedSnapshotIsExpired()
{
    const RawReply full = snapshot(token(u"rep2"_s), u"accounts"_s);
    QCOMPARE(full.status, 200);
    const QString id = QString::fromLatin1(full.header("Outpost-Snapshot-Id"));
    const QString file = m_server.dbPath() + u".snapshots/"_s + id + u".snap"_s;
    QVERIFY2(QFile::exists(file), qPrintable(file));
    QVERIFY(QFile::remove(file));
    const RawReply r = snapshot(token(u"rep2"_s), u"accounts"_s, {{"Range", "bytes=100-"}, {"If-Range", id.toLatin1()}});
    QCOMPARE(r.status, 412);
    QCOMPARE(r.errorCode(), u"snapshot.expired"_s);
    // Starting over builds it again: the same rows (the header's createdAt is new).
    const RawReply again = snapshot(token(u"rep2"_s), u"accounts"_s);
    QCOMPARE(again.status, 200);
    QCOMPARE(again.header("Outpost-Snapshot-Id"), id.toLatin1());
    QCOMPARE(decodeSnapshot(again.body).tables, decodeSnapshot(full.body).tables);
}

void TstSnapshot::unknownOrForeignIdIsExpired_data()
{
    QTest::addColumn<QString>("owner"); // whose snapshot id is used ("" = a made-up id)
    QTest::addColumn<QString>("partition");
    QTest::addColumn<QString>("askedPartition");
    QTest::addRow("made-up") << QString() << u"accounts"_s << u"accounts"_s;
    QTest::addRow("another-rep") << u"rep2"_s << u"accounts"_s << u"accounts"_s;
    QTest::addRow("another-partition") << u"rep1"_s << u"catalog"_s << u"stock"_s;
}

void TstSnapshot::unknownOrForeignIdIsExpired()
{
    QFETCH(QString, owner);
    QFETCH(QString, partition);
    QFETCH(QString, askedPartition);
    QByteArray id = "0123456789abcdef-1";
    if (!owner.isEmpty()) {
        const RawReply theirs = snapshot(token(owner), partition);
        QCOMPARE(theirs.status, 200);
        id = theirs.header("Outpost-Snapshot-Id");
    }
    const RawReply r = snapshot(token(u"rep1"_s), askedPartition, {{"Range", "bytes=1-"}, {"If-Range", id}});
    QCOMPARE(r.status, 412);
    QCOMPARE(r.errorCode(), u"snapshot.expired"_s);
    QVERIFY(r.body.startsWith('{'));
}

void TstSnapshot::partitionsByRole_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("partition");
    QTest::addColumn<int>("status");
    QTest::addRow("kiosk-catalog") << u"kiosk1"_s << u"catalog"_s << 200;
    QTest::addRow("kiosk-stock") << u"kiosk1"_s << u"stock"_s << 200;
    QTest::addRow("kiosk-prices") << u"kiosk1"_s << u"prices"_s << 403;
    QTest::addRow("kiosk-accounts") << u"kiosk1"_s << u"accounts"_s << 403;
    QTest::addRow("kiosk-orders") << u"kiosk1"_s << u"orders"_s << 403;
    QTest::addRow("rep-orders") << u"rep1"_s << u"orders"_s << 200;
    QTest::addRow("admin-prices") << u"admin"_s << u"prices"_s << 200;
}

void TstSnapshot::partitionsByRole()
{
    QFETCH(QString, user);
    QFETCH(QString, partition);
    QFETCH(int, status);
    const RawReply r = snapshot(token(user), partition);
    QCOMPARE(r.status, status);
    if (status == 403)
        QCOMPARE(r.errorCode(), u"auth.forbidden_role"_s);
}

void TstSnapshot::badRequests_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QByteArray>("range");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::addRow("no-partition") << QString() << QByteArray() << 400 << u"request.missing_parameter"_s;
    QTest::addRow("unknown-partition") << u"partition=gossip"_s << QByteArray() << 400 << u"request.bad_parameter"_s;
    QTest::addRow("unknown-parameter") << u"partition=catalog&x=1"_s << QByteArray() << 400
                                       << u"request.unknown_parameter"_s;
    QTest::addRow("suffix-range") << u"partition=catalog"_s << QByteArray("bytes=-100") << 400 << u"request.bad_range"_s;
    QTest::addRow("closed-range") << u"partition=catalog"_s << QByteArray("bytes=0-10") << 400 << u"request.bad_range"_s;
    QTest::addRow("not-bytes") << u"partition=catalog"_s << QByteArray("rows=5-") << 400 << u"request.bad_range"_s;
}

void TstSnapshot::badRequests()
{
    QFETCH(QString, query);
    QFETCH(QByteArray, range);
    QFETCH(int, status);
    QFETCH(QString, code);
    QList<std::pair<QByteArray, QByteArray>> headers;
    if (!range.isEmpty())
        headers.append({"Range", range});
    const RawReply r = rawRequest("GET", m_server.url(u"/v1/sync/snapshot?"_s + query), token(u"rep1"_s), headers);
    QCOMPARE(r.status, status);
    QCOMPARE(r.errorCode(), code);
    const RawReply anonymous = rawRequest("GET", m_server.url(u"/v1/sync/snapshot?partition=catalog"_s), {});
    QCOMPARE(anonymous.status, 401);
}

void TstSnapshot::reusedUntilThePartitionChanges()
{
    const QByteArray rep = token(u"rep1"_s);
    const RawReply catalog1 = snapshot(rep, u"catalog"_s);
    const RawReply orders1 = snapshot(rep, u"orders"_s);
    QCOMPARE(catalog1.status, 200);
    QCOMPARE(orders1.status, 200);
    QCOMPARE(snapshot(rep, u"catalog"_s).header("Outpost-Snapshot-Id"), catalog1.header("Outpost-Snapshot-Id"));

    // A new order changes the orders partition only.
    const qint64 account = scalar(
        u"SELECT MIN(ar.account_id) FROM account_reps ar JOIN users u ON u.id = ar.user_id WHERE u.username = 'rep1'"_s);
    const qint64 product = scalar(u"SELECT MIN(id) FROM products WHERE discontinued = 0"_s);
    const QJsonObject body{{u"commandId"_s, newUuid()},
                           {u"order"_s, QJsonObject{{u"id"_s, newUuid()},
                                                    {u"accountId"_s, account},
                                                    {u"lines"_s, QJsonArray{QJsonObject{{u"lineNo"_s, 1},
                                                                                        {u"productId"_s, product},
                                                                                        {u"quantity"_s, 1}}}}}}};
    QCOMPARE(m_server.post(u"/v1/orders"_s, body, rep).status, 200);

    const RawReply catalog2 = snapshot(rep, u"catalog"_s);
    const RawReply orders2 = snapshot(rep, u"orders"_s);
    QCOMPARE(catalog2.header("Outpost-Snapshot-Id"), catalog1.header("Outpost-Snapshot-Id"));
    QVERIFY(orders2.header("Outpost-Snapshot-Id") != orders1.header("Outpost-Snapshot-Id"));
    QVERIFY(orders2.header("Outpost-Snapshot-Seq").toLongLong() > orders1.header("Outpost-Snapshot-Seq").toLongLong());
    const DecodedSnapshot decoded = decodeSnapshot(orders2.body);
    QVERIFY(decoded.ok);
    QCOMPARE(decoded.tables.value(u"orders"_s).size(), decodeSnapshot(orders1.body).tables.value(u"orders"_s).size() + 1);
}

void TstSnapshot::checksumsMatchTheSnapshotRows_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("partition");
    for (const QString &user : {u"rep1"_s, u"manager1"_s}) {
        for (const QString &partition : {u"catalog"_s, u"stock"_s, u"prices"_s, u"accounts"_s, u"orders"_s})
            QTest::addRow("%s-%s", qPrintable(user), qPrintable(partition)) << user << partition;
    }
}

void TstSnapshot::checksumsMatchTheSnapshotRows()
{
    QFETCH(QString, user);
    QFETCH(QString, partition);
    const HttpReply sums = m_server.get(u"/v1/sync/checksums?partitions="_s + partition, token(user));
    QCOMPARE(sums.status, 200);
    const RawReply r = snapshot(token(user), partition);
    QCOMPARE(r.status, 200);
    const DecodedSnapshot snap = decodeSnapshot(r.body);
    QVERIFY(snap.ok);
    // A reused snapshot may be older than the checksums' seq, but then the partition has not changed since.
    QVERIFY(sums.json.value(u"seq"_s).toInteger() >= snap.header.value(u"seq"_s).toInteger());
    const QJsonObject tables = sums.json.value(u"partitions"_s).toObject().value(partition).toObject();
    QStringList expectedTables = snap.tableOrder;
    expectedTables.removeAll(u"order_lines"_s);
    QStringList got = tables.keys();
    expectedTables.sort();
    QCOMPARE(got, expectedTables);
    for (const QString &table : expectedTables) {
        qint64 sum = 0;
        for (const QJsonValue &v : snap.tables.value(table)) {
            const QJsonObject row = v.toObject();
            qint64 k1 = 0;
            qint64 k2 = 0;
            if (table == u"account_reps"_s) {
                k1 = row.value(u"accountId"_s).toInteger();
                k2 = row.value(u"userId"_s).toInteger();
            } else if (table != u"orders"_s) {
                k1 = row.value(u"id"_s).toInteger();
            }
            sum += (k1 * 1000003 + k2 * 7919 + row.value(u"seq"_s).toInteger() * 104729) % 2147483647;
        }
        const QJsonObject t = tables.value(table).toObject();
        QCOMPARE(t.value(u"count"_s).toInteger(), snap.tables.value(table).size());
        QCOMPARE(t.value(u"sum"_s).toString(), QString::number(sum));
    }
}

void TstSnapshot::checksumsByRole()
{
    const HttpReply kiosk = m_server.get(u"/v1/sync/checksums"_s, token(u"kiosk1"_s));
    QCOMPARE(kiosk.status, 200);
    QStringList partitions = kiosk.json.value(u"partitions"_s).toObject().keys();
    QCOMPARE(partitions, (QStringList{u"catalog"_s, u"stock"_s}));
    QCOMPARE(m_server.get(u"/v1/sync/checksums?partitions=prices"_s, token(u"kiosk1"_s)).status, 403);
    QCOMPARE(m_server.get(u"/v1/sync/checksums?partitions=nope"_s, token(u"rep1"_s)).errorCode(),
             u"request.bad_parameter"_s);
    const HttpReply all = m_server.get(u"/v1/sync/checksums"_s, token(u"rep1"_s));
    QCOMPARE(all.json.value(u"partitions"_s).toObject().keys().size(), 5);
}

QTEST_GUILESS_MAIN(TstSnapshot)
#include "tst_snapshot.moc"
