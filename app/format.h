// Display text shared by controllers: money with the currency's exponent and symbol, quantities,
// ages ("just now", "5 min ago", "3 h ago", "2 d ago"), terms. English; wrapped in tr() by callers
// where a sentence is built.
#pragma once

#include <QDateTime>
#include <QString>

#include <optional>

namespace outpost::app::format {

// 123456 GBP -> "£1,234.56"; EUR -> "€1,234.56"; unknown symbol -> "1,234.56 XYZ". Negative with
// a leading '-'. Exact: integer arithmetic only.
QString money(qint64 minor, const QString &currency);
// Same without symbol: "1,234.56".
QString amount(qint64 minor, const QString &currency);
// Age of `at` relative to `now`; invalid `at` -> "never".
QString age(const QDateTime &at, const QDateTime &now);
// "NET30" -> "Net 30 days", "EOM" -> "End of month", "COD" -> "Cash on delivery".
QString terms(const QString &code);
// "1,250" for quantities.
QString quantity(qint64 q);

} // namespace outpost::app::format
