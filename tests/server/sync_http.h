// Helpers for the server-side sync tests (tst_snapshot, tst_commands, tst_merge, tst_entitlement):
// HTTP with custom request headers and visible response headers, snapshot decoding into JSON rows,
// and reading the whole change feed.
#pragma once

#include "sync/protocol/snapshot_codec.h"
#include "tests/support/testserver.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTimer>
#include <QUuid>

#include <utility>

namespace outpost::test::sync {

struct RawReply
{
    int status = 0;
    QByteArray body;
    QJsonObject json;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
    QString errorCode() const
    {
        return json.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString();
    }
};

inline RawReply rawRequest(const QByteArray &method, const QUrl &url, const QByteArray &token,
                           const QList<std::pair<QByteArray, QByteArray>> &headers = {},
                           const QByteArray &body = {})
{
    QNetworkAccessManager nam;
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token);
    if (!body.isEmpty())
        request.setRawHeader("Content-Type", "application/json");
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    QNetworkReply *reply = nam.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    timer.start(60000);
    if (!reply->isFinished())
        loop.exec();
    RawReply r;
    if (reply->isFinished()) {
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        r.body = reply->readAll();
        for (const auto &[name, value] : reply->rawHeaderPairs())
            r.headers.insert(name.toLower(), value);
        const QJsonDocument doc = QJsonDocument::fromJson(r.body);
        if (doc.isObject())
            r.json = doc.object();
    } else {
        reply->abort();
    }
    reply->deleteLater();
    return r;
}

struct DecodedSnapshot
{
    bool ok = false;
    QString error;
    QJsonObject header;
    QStringList tableOrder;
    QHash<QString, QJsonArray> tables; // rows as JSON objects, columns as keys
};

// Decodes a snapshot body; Int columns become numbers, NULLs null, text strings.
inline DecodedSnapshot decodeSnapshot(const QByteArray &body)
{
    DecodedSnapshot out;
    protocol::SnapshotDecoder decoder;
    if (auto s = decoder.feed(body); !s) {
        out.error = s.error().code;
        return out;
    }
    QString current;
    for (;;) {
        auto ev = decoder.next();
        if (!ev) {
            out.error = ev.error().code;
            return out;
        }
        switch (*ev) {
        case protocol::SnapshotDecoder::Event::NeedMore:
            out.error = QStringLiteral("truncated");
            return out;
        case protocol::SnapshotDecoder::Event::Header:
            out.header = decoder.header();
            break;
        case protocol::SnapshotDecoder::Event::TableStart:
            current = QString::fromUtf8(decoder.tableName());
            out.tableOrder << current;
            out.tables[current] = QJsonArray();
            break;
        case protocol::SnapshotDecoder::Event::Row: {
            QJsonObject row;
            const auto &columns = decoder.columns();
            const auto &values = decoder.row();
            for (qsizetype i = 0; i < columns.size(); ++i) {
                const QString name = QString::fromUtf8(columns[i].name);
                const protocol::Value &v = values[i];
                const bool isInt = columns[i].type == protocol::ColumnType::Int ||
                                   columns[i].type == protocol::ColumnType::NullableInt;
                if (v.isNull)
                    row.insert(name, QJsonValue::Null);
                else if (isInt)
                    row.insert(name, v.integer);
                else
                    row.insert(name, QString::fromUtf8(v.text.data(), v.text.size()));
            }
            out.tables[current].append(row);
            break;
        }
        case protocol::SnapshotDecoder::Event::End:
            out.ok = true;
            return out;
        }
    }
}

// Every row of /v1/changes since `since` for the partitions, pages followed to the end.
struct Feed
{
    bool ok = false;
    qint64 upto = 0;
    QHash<QString, QJsonArray> tables;
    QJsonArray deleted;
    QList<QJsonObject> pages;
};

inline Feed readFeed(const TestServer &server, const QByteArray &token, qint64 since, const QString &partitions,
                     qint64 limit = 10000)
{
    Feed feed;
    for (int page = 0; page < 1000; ++page) {
        QString path = QStringLiteral("/v1/changes?since=%1&limit=%2").arg(since).arg(limit);
        if (!partitions.isEmpty())
            path += QStringLiteral("&partitions=") + partitions;
        const HttpReply r = server.get(path, token);
        if (r.status != 200)
            return feed;
        feed.pages << r.json;
        const QJsonObject tables = r.json.value(QStringLiteral("tables")).toObject();
        for (auto it = tables.begin(); it != tables.end(); ++it) {
            QJsonArray &rows = feed.tables[it.key()];
            for (const QJsonValue &v : it.value().toArray())
                rows.append(v);
        }
        for (const QJsonValue &v : r.json.value(QStringLiteral("deleted")).toArray())
            feed.deleted.append(v);
        feed.upto = r.json.value(QStringLiteral("upto")).toInteger();
        since = feed.upto;
        if (!r.json.value(QStringLiteral("more")).toBool()) {
            feed.ok = true;
            return feed;
        }
    }
    return feed;
}

// Reads one value (or the first column of every row) straight from the server's SQLite file.
inline QList<qint64> peekColumn(const QString &dbPath, const QString &sql)
{
    QList<qint64> out;
    const QString name = QStringLiteral("peek-") + QUuid::createUuid().toString(QUuid::Id128);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(dbPath);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(sql)) {
                while (q.next())
                    out.append(q.value(0).toLongLong());
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return out;
}

// The first row of a query as a JSON object keyed by column name (text and integers).
inline QJsonObject peekRow(const QString &dbPath, const QString &sql)
{
    QJsonObject out;
    const QString name = QStringLiteral("peekrow-") + QUuid::createUuid().toString(QUuid::Id128);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(dbPath);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(sql) && q.next()) {
                for (int i = 0; i < q.record().count(); ++i)
                    out.insert(q.record().fieldName(i), QJsonValue::fromVariant(q.value(i)));
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return out;
}

inline qint64 peek(const QString &dbPath, const QString &sql)
{
    const QList<qint64> v = peekColumn(dbPath, sql);
    return v.isEmpty() ? -1 : v.first();
}

inline QString newUuid()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

} // namespace outpost::test::sync
