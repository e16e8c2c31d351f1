// A small RFC 4180 reader for the bench tools: the PouchDB peer's export.js files (',' delimited,
// quoted fields with doubled quotes, LF line ends). Reads a whole file into rows of UTF-8 fields;
// the header row maps column names to indexes. Not a general importer (server/importer.h is).
#pragma once

#include <QByteArray>
#include <QFile>
#include <QHash>
#include <QString>

#include <vector>

namespace outpost::bench {

struct CsvTable
{
    QHash<QByteArray, int> columns; // header name -> index
    std::vector<std::vector<QByteArray>> rows;

    // Index of a column; -1 when the header lacks it.
    int column(const QByteArray &name) const { return columns.value(name, -1); }
};

// Parses `data`; *error gets a message (with the 1-based line) on a malformed file.
inline bool parseCsv(const QByteArray &data, CsvTable *table, QString *error)
{
    std::vector<QByteArray> record;
    QByteArray field;
    bool inQuotes = false;
    bool fieldStarted = false;
    bool header = true;
    qint64 line = 1;
    const auto endRecord = [&] {
        record.push_back(field);
        field.clear();
        fieldStarted = false;
        if (record.size() == 1 && record.front().isEmpty()) { // empty line
            record.clear();
            return;
        }
        if (header) {
            for (int i = 0; i < int(record.size()); ++i)
                table->columns.insert(record[std::size_t(i)].trimmed(), i);
            header = false;
        } else {
            table->rows.push_back(std::move(record));
        }
        record = {};
    };
    const qsizetype n = data.size();
    for (qsizetype i = 0; i < n; ++i) {
        const char c = data.at(i);
        if (inQuotes) {
            if (c == '"') {
                if (i + 1 < n && data.at(i + 1) == '"') {
                    field.append('"');
                    ++i;
                } else {
                    inQuotes = false;
                }
            } else {
                if (c == '\n')
                    ++line;
                field.append(c);
            }
            continue;
        }
        switch (c) {
        case '"':
            if (fieldStarted) {
                *error = QStringLiteral("line %1: quote inside an unquoted field").arg(line);
                return false;
            }
            inQuotes = true;
            fieldStarted = true;
            break;
        case ',':
            record.push_back(field);
            field.clear();
            fieldStarted = false;
            break;
        case '\r':
            break;
        case '\n':
            endRecord();
            ++line;
            break;
        default:
            field.append(c);
            fieldStarted = true;
        }
    }
    if (inQuotes) {
        *error = QStringLiteral("line %1: unterminated quoted field").arg(line);
        return false;
    }
    if (fieldStarted || !record.empty())
        endRecord();
    if (header) {
        *error = QStringLiteral("no header line");
        return false;
    }
    return true;
}

inline bool readCsvFile(const QString &path, CsvTable *table, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = path + QStringLiteral(": ") + file.errorString();
        return false;
    }
    if (!parseCsv(file.readAll(), table, error)) {
        *error = path + QStringLiteral(": ") + *error;
        return false;
    }
    return true;
}

// "12.34" -> 1234 (two decimals, as the peer writes money); false on anything else.
inline bool parseMinor(const QByteArray &text, qint64 *minor)
{
    const qsizetype dot = text.indexOf('.');
    bool ok = false;
    if (dot < 0) {
        const qint64 major = text.toLongLong(&ok);
        *minor = major * 100;
        return ok && major >= 0;
    }
    const QByteArray frac = text.mid(dot + 1);
    if (frac.size() != 2)
        return false;
    const qint64 major = text.left(dot).toLongLong(&ok);
    if (!ok || major < 0)
        return false;
    const qint64 cents = frac.toLongLong(&ok);
    if (!ok || frac.front() == '-' || frac.front() == '+')
        return false;
    *minor = major * 100 + cents;
    return true;
}

} // namespace outpost::bench
