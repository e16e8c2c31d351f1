// How the replica stores time: TEXT ISO-8601 UTC with milliseconds ("2026-11-23T10:00:00.000Z"),
// the server's format, so string order is time order; calendar dates as "YYYY-MM-DD".
#pragma once

#include <QDate>
#include <QDateTime>
#include <QString>

#include <optional>

namespace outpost::storage {

QString toSqlTime(const QDateTime &utc);               // invalid -> empty string
QDateTime fromSqlTime(const QString &text);            // empty/unparsable -> invalid
QString toSqlDate(const QDate &date);                  // invalid -> empty string
std::optional<QDate> fromSqlDate(const QString &text); // empty/unparsable -> nullopt

} // namespace outpost::storage
