// Orders export for the ERP: every order of a tenant (optionally received since a time) with its
// lines, as CSV (one row per line, the order's columns repeated) or JSON. Shared by
// `outpost-server export` (export_cli.cpp) and GET /v1/admin/orders/export (admin_api.cpp).
// Amounts are decimal strings in the order's currency (Money::toDecimalString) plus, in JSON,
// the integer minor units. Orders are sorted by received_at, then order number.
#pragma once

#include "domain/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <optional>

namespace outpost::server {

class Database;

enum class ExportFormat
{
    Csv,
    Json
};
std::optional<ExportFormat> exportFormatFromName(const QString &name); // "csv" | "json"

struct ExportOptions
{
    ExportFormat format = ExportFormat::Json;
    std::optional<QDateTime> since; // orders received at or after this instant (UTC)
};

struct ExportResult
{
    QByteArray body;
    QByteArray contentType; // "text/csv; charset=utf-8" or "application/json"
    qint64 orders = 0;
    qint64 lines = 0;
};

// "2026-11-23T10:00:00Z", with or without milliseconds or an offset -> UTC; "export.bad_since".
Result<QDateTime> parseSince(const QString &text);

Result<ExportResult> exportOrders(Database &db, qint64 tenantId, const ExportOptions &options);

// The CSV header of the orders export, in column order.
QStringList orderExportCsvColumns();

} // namespace outpost::server
