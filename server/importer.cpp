// CSV import, public part (importer.h): the RFC 4180 reader and the report. The engine is in
// import_engine.cpp, the per-kind rows in import_rows.cpp.
#include "server/importer.h"

#include "server/database.h"

#include <QJsonArray>
#include <QStringDecoder>

using namespace Qt::Literals::StringLiterals;

namespace outpost::server {

namespace {
Error fileError(const QString &code, const QString &text, qint64 line = 0)
{
    Error e = Error::invalid(code, text);
    if (line > 0)
        e.field = u"line %1"_s.arg(line);
    return e;
}
} // namespace

// ---- CsvReader --------------------------------------------------------------------------------

CsvReader::CsvReader(QByteArrayView data) : m_data(data)
{
    if (m_data.startsWith("\xEF\xBB\xBF"))
        m_pos = 3;
}

Result<QStringList> CsvReader::header()
{
    // Delimiter: the more frequent of ',' and ';' outside quotes on the header line.
    qsizetype commas = 0, semicolons = 0;
    bool quoted = false;
    for (qsizetype i = m_pos; i < m_data.size(); ++i) {
        const char c = m_data[i];
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && (c == '\n' || c == '\r'))
            break;
        else if (!quoted && c == ',')
            ++commas;
        else if (!quoted && c == ';')
            ++semicolons;
    }
    m_delimiter = semicolons > commas ? ';' : ',';
    QStringList fields;
    qint64 line = 0;
    for (;;) {
        auto more = next(&fields, &line);
        if (!more)
            return more.error();
        if (!*more)
            return fileError(u"import.empty_file"_s, u"The file has no header line."_s);
        if (!(fields.size() == 1 && fields.first().isEmpty()))
            return fields;
    }
}

Result<bool> CsvReader::next(QStringList *fields, qint64 *line)
{
    fields->clear();
    const char *d = m_data.data();
    const qsizetype n = m_data.size();
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    for (;;) { // skips empty lines
        fields->clear();
        if (m_pos >= n)
            return false;
        *line = m_line;
        bool endOfRecord = false;
        while (!endOfRecord) {
            QByteArray quotedBuf;
            qsizetype start = m_pos, end = m_pos;
            bool wasQuoted = false;
            if (m_pos < n && d[m_pos] == '"') {
                wasQuoted = true;
                ++m_pos;
                for (;;) {
                    if (m_pos >= n)
                        return fileError(
                            u"import.unterminated_quote"_s,
                            u"A quoted field that starts on line %1 is never closed."_s.arg(*line), *line);
                    const char c = d[m_pos];
                    if (c == '"') {
                        if (m_pos + 1 < n && d[m_pos + 1] == '"') {
                            quotedBuf += '"';
                            m_pos += 2;
                            continue;
                        }
                        ++m_pos;
                        break;
                    }
                    if (c == '\n')
                        ++m_line;
                    quotedBuf += c;
                    ++m_pos;
                }
                if (m_pos < n && d[m_pos] != m_delimiter && d[m_pos] != '\n' && d[m_pos] != '\r')
                    return fileError(
                        u"import.bad_quote"_s,
                        u"Line %1: text after a closing quote; quotes inside a field must be doubled."_s.arg(
                            m_line),
                        m_line);
            } else {
                while (m_pos < n && d[m_pos] != m_delimiter && d[m_pos] != '\n' && d[m_pos] != '\r')
                    ++m_pos;
                end = m_pos;
            }
            const QByteArrayView raw =
                wasQuoted ? QByteArrayView(quotedBuf) : QByteArrayView(d + start, end - start);
            fields->append(decoder.decode(raw));
            if (decoder.hasError())
                return fileError(u"import.bad_utf8"_s, u"Line %1 is not valid UTF-8."_s.arg(m_line), m_line);
            if (m_pos >= n) {
                endOfRecord = true;
            } else if (d[m_pos] == m_delimiter) {
                ++m_pos;
            } else { // CR, LF or CRLF
                if (d[m_pos] == '\r' && m_pos + 1 < n && d[m_pos + 1] == '\n')
                    ++m_pos;
                ++m_pos;
                ++m_line;
                endOfRecord = true;
            }
        }
        if (fields->size() == 1 && fields->first().isEmpty())
            continue; // an empty line
        return true;
    }
}

Result<CsvTable> parseCsv(QByteArrayView data)
{
    CsvReader reader(data);
    CsvTable table;
    auto header = reader.header();
    if (!header)
        return header.error();
    table.header = *header;
    table.delimiter = reader.delimiter();
    QStringList fields;
    qint64 line = 0;
    for (;;) {
        auto more = reader.next(&fields, &line);
        if (!more)
            return more.error();
        if (!*more)
            break;
        table.rows.push_back(fields);
        table.lines.push_back(line);
    }
    return table;
}

// ---- report -----------------------------------------------------------------------------------

std::optional<ImportKind> importKindFromName(const QString &name)
{
    if (name == u"products"_s)
        return ImportKind::Products;
    if (name == u"prices"_s)
        return ImportKind::Prices;
    if (name == u"contract-prices"_s)
        return ImportKind::ContractPrices;
    if (name == u"accounts"_s)
        return ImportKind::Accounts;
    if (name == u"stock"_s)
        return ImportKind::Stock;
    return std::nullopt;
}

QString importKindName(ImportKind kind)
{
    switch (kind) {
    case ImportKind::Products:
        return u"products"_s;
    case ImportKind::Prices:
        return u"prices"_s;
    case ImportKind::ContractPrices:
        return u"contract-prices"_s;
    case ImportKind::Accounts:
        return u"accounts"_s;
    case ImportKind::Stock:
        return u"stock"_s;
    }
    return {};
}

QJsonObject ImportReport::toJson() const
{
    QJsonArray errs;
    for (const ImportRowError &e : errors) {
        QJsonObject o{{u"file"_s, e.file}, {u"line"_s, e.line}, {u"code"_s, e.code}, {u"reason"_s, e.reason}};
        if (!e.column.isEmpty())
            o.insert(u"column"_s, e.column);
        errs.append(o);
    }
    return QJsonObject{{u"file"_s, file},
                       {u"kind"_s, importKindName(kind)},
                       {u"rowsRead"_s, rowsRead},
                       {u"inserted"_s, inserted},
                       {u"updated"_s, updated},
                       {u"unchanged"_s, unchanged},
                       {u"skipped"_s, skipped},
                       {u"badRows"_s, badRows},
                       {u"categoriesCreated"_s, categoriesCreated},
                       {u"committed"_s, committed},
                       {u"seq"_s, seq},
                       {u"errors"_s, errs},
                       {u"errorsTruncated"_s, qsizetype(errors.size()) >= kMaxReportedErrors}};
}

QString ImportReport::toText() const
{
    QString s = u"%1 (%2): %3 rows read, %4 inserted, %5 updated, %6 unchanged, %7 bad, %8 skipped"_s
                    .arg(file, importKindName(kind))
                    .arg(rowsRead)
                    .arg(inserted)
                    .arg(updated)
                    .arg(unchanged)
                    .arg(badRows)
                    .arg(skipped);
    if (categoriesCreated > 0)
        s += u", %1 categories created"_s.arg(categoriesCreated);
    s += committed ? u"; committed at seq %1\n"_s.arg(seq)
                   : (badRows > 0 ? u"; nothing imported (fix the rows below or use --skip-bad-rows)\n"_s
                                  : u"; no changes (seq %1)\n"_s.arg(seq));
    for (const ImportRowError &e : errors) {
        s += u"%1:%2: %3%4: %5\n"_s.arg(e.file).arg(e.line).arg(
            e.column.isEmpty() ? QString() : u"column %1: "_s.arg(e.column), e.code, e.reason);
    }
    if (qsizetype(errors.size()) >= kMaxReportedErrors)
        s += u"(only the first %1 errors are listed)\n"_s.arg(kMaxReportedErrors);
    return s;
}

Result<qint64> tenantIdByCode(Database &db, const QString &code)
{
    auto q = db.exec(u"SELECT id FROM tenants WHERE code = ?"_s, {code});
    if (!q)
        return q.error();
    if (!q->next())
        return Error::make(ErrorKind::NotFound, u"tenant.not_found"_s, u"No tenant with that code."_s);
    return q->value(0).toLongLong();
}

} // namespace outpost::server
