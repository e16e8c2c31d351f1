// CSV import of catalog, prices, contract prices, accounts and stock into one tenant. Shared by
// `outpost-server import` (import_cli.cpp) and POST /v1/admin/import/{kind} (admin_api.cpp).
//
// The file: RFC 4180; UTF-8 with or without BOM (invalid UTF-8 is a file error); ',' or ';' as
// delimiter (whichever occurs more often in the header line outside quotes); quoted fields with
// doubled quotes and embedded newlines; CRLF or LF. The header names the columns (order free,
// case-insensitive, surrounding spaces ignored); unknown, duplicate or missing required columns
// are file errors. Empty lines are skipped.
//
// Columns per kind ('?' = optional, '/' = alternative names). The PouchDB peer's export.js CSVs
// import unchanged:
//   products         sku, name, description?, category?, unit?/uom?, pack_size?, case_pack?,
//                    list_price, currency?, active?, barcode?, moq?, tax_class?, discontinued?,
//                    backorder_allowed?
//                    pack_size is the pack's unit count shown to buyers (products.pack_label);
//                    case_pack is the ordering multiple. active=0 means discontinued=1 (when both
//                    are given they must agree). An unknown category is created (code from name).
//   prices           price_group/price_list, sku, price, currency?, valid_from?, min_qty?
//   contract-prices  account_no/account, sku, price, valid_from?, valid_to?
//   accounts         account_no, name, line1?, city?, postcode?, country?, terms?, credit_limit?,
//                    price_group?, rep?, tax_exempt?, phone?, email?
//                    line1/city/postcode/country also update the account's billing address
//                    (created if missing); rep adds the user to the account's territory.
//   stock            warehouse, sku, on_hand, allocated?
// Natural keys: products sku; prices (list, sku, min_qty); contract prices (account, sku); accounts
// code; stock (warehouse, sku). Optional columns that are absent keep the stored value (new rows
// get the schema default). Money is parsed with Money::parse in the tenant's currency.
//
// Writing: one tenant write transaction. A row whose values equal the stored ones is "unchanged"
// and keeps its seq; when nothing changes at all the transaction is rolled back, so the tenant's
// seq does not move. Any bad row rolls everything back unless skipBadRows.
#pragma once

#include "domain/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace outpost::server {

class Database;

// ---- RFC 4180 reader -------------------------------------------------------------------------

// Streams records out of an in-memory file. Errors (bad UTF-8, unterminated quote) carry the
// 1-based line number in Error::field as "line N".
class CsvReader
{
public:
    explicit CsvReader(QByteArrayView data);
    // Reads the header line and detects the delimiter. "import.empty_file" when there is none.
    Result<QStringList> header();
    // The next record into *fields (false at end of file); *line = its first physical line.
    Result<bool> next(QStringList *fields, qint64 *line);
    char delimiter() const { return m_delimiter; }

private:
    QByteArrayView m_data;
    qsizetype m_pos = 0;
    qint64 m_line = 1;
    char m_delimiter = ',';
};

struct CsvTable
{
    QStringList header;
    std::vector<QStringList> rows;
    std::vector<qint64> lines;
    char delimiter = ',';
};
// The whole file at once (tests, small files).
Result<CsvTable> parseCsv(QByteArrayView data);

// ---- import ----------------------------------------------------------------------------------

enum class ImportKind
{
    Products,
    Prices,
    ContractPrices,
    Accounts,
    Stock
};
std::optional<ImportKind> importKindFromName(const QString &name); // "products", "contract-prices", ...
QString importKindName(ImportKind kind);

struct ImportRowError
{
    QString file;
    qint64 line = 0;
    QString column; // empty when the row as a whole is wrong
    QString code;   // "import.unknown_sku", "import.bad_money", ...
    QString reason;
};

struct ImportReport
{
    QString file;
    ImportKind kind = ImportKind::Products;
    qint64 rowsRead = 0;
    qint64 inserted = 0;
    qint64 updated = 0;
    qint64 unchanged = 0;
    qint64 skipped = 0; // bad rows left out (skipBadRows)
    qint64 badRows = 0; // rows with at least one error
    qint64 categoriesCreated = 0;
    bool committed = false;             // false: nothing was written (errors, or no changes)
    qint64 seq = 0;                     // the tenant's seq after the import
    std::vector<ImportRowError> errors; // at most kMaxReportedErrors, in file order
    static constexpr qsizetype kMaxReportedErrors = 10000;

    qint64 changed() const { return inserted + updated + categoriesCreated; }
    QJsonObject toJson() const;
    QString toText() const;
};

struct ImportOptions
{
    ImportKind kind = ImportKind::Products;
    QString fileName; // for the report
    bool skipBadRows = false;
    QString updatedAt; // ISO UTC stamp for stock_levels.updated_at
};

// Imports data into the tenant. A file-level error (encoding, header) is returned as an Error
// ("import.bad_utf8", "import.unknown_column", ...); row errors are in the report, and without
// skipBadRows they make the import change nothing (report.committed == false).
Result<ImportReport> importCsv(Database &db, qint64 tenantId, QByteArrayView data,
                               const ImportOptions &options);

// Tenant id for a code ("tenant.not_found").
Result<qint64> tenantIdByCode(Database &db, const QString &code);

} // namespace outpost::server
