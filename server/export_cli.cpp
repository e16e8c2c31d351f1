// `outpost-server export`: writes a tenant's orders with their lines as CSV or JSON (exporter.h).
#include "server/commands.h"
#include "server/database.h"
#include "server/exporter.h"
#include "server/importer.h"

#include <QCommandLineParser>
#include <QFile>
#include <QSaveFile>
#include <QTextStream>

#include <cstdio>
#include <memory>

using namespace Qt::Literals::StringLiterals;

namespace outpost::server {

int runExport(const QStringList &args)
{
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Exports a tenant's orders with their lines."_s);
    parser.addHelpOption();
    parser.addOption({u"db"_s, u"Database file (SQLite) or postgresql:// URL."_s, u"FILE"_s});
    parser.addOption({u"tenant"_s, u"Tenant code, e.g. demo."_s, u"T"_s});
    parser.addOption({u"format"_s, u"csv or json."_s, u"FORMAT"_s});
    parser.addOption({u"since"_s, u"Only orders received at or after this UTC time (ISO 8601)."_s, u"ISO"_s});
    parser.addOption({u"out"_s, u"Write to this file instead of stdout."_s, u"FILE"_s});
    const QString usage =
        u"Usage: outpost-server export --db FILE --tenant T --format csv|json [--since ISO] [--out FILE]\n\n"_s;
    if (!parser.parse(args)) {
        err << "export: " << parser.errorText() << "\n\n" << usage << parser.helpText().section(u'\n', 1);
        return 2;
    }
    if (parser.isSet(u"help"_s)) {
        QTextStream(stdout) << usage << parser.helpText().section(u'\n', 1);
        return 0;
    }
    const auto format = exportFormatFromName(parser.value(u"format"_s));
    if (!parser.isSet(u"db"_s) || !parser.isSet(u"tenant"_s) || !format ||
        !parser.positionalArguments().isEmpty()) {
        err << "export: --db, --tenant and --format csv|json are required\n\n"
            << usage << parser.helpText().section(u'\n', 1);
        return 2;
    }
    ExportOptions options;
    options.format = *format;
    if (parser.isSet(u"since"_s)) {
        auto since = parseSince(parser.value(u"since"_s));
        if (!since) {
            err << "export: " << since.error().userText << '\n';
            return 2;
        }
        options.since = *since;
    }
    auto opened = Database::open(parser.value(u"db"_s));
    if (!opened) {
        err << "export: " << opened.error().userText << ' ' << opened.error().detail << '\n';
        return 1;
    }
    std::unique_ptr<Database> db(*opened);
    auto tenant = tenantIdByCode(*db, parser.value(u"tenant"_s));
    if (!tenant) {
        err << "export: " << tenant.error().userText << '\n';
        return 1;
    }
    auto result = exportOrders(*db, *tenant, options);
    if (!result) {
        err << "export: " << result.error().userText << ' ' << result.error().detail << '\n';
        return 1;
    }
    if (parser.isSet(u"out"_s)) {
        QSaveFile file(parser.value(u"out"_s));
        if (!file.open(QIODevice::WriteOnly) || file.write(result->body) != result->body.size() ||
            !file.commit()) {
            err << "export: cannot write " << parser.value(u"out"_s) << ": " << file.errorString() << '\n';
            return 1;
        }
        err << "exported " << result->orders << " orders, " << result->lines << " lines to "
            << parser.value(u"out"_s) << '\n';
    } else {
        QFile out;
        if (!out.open(stdout, QIODevice::WriteOnly) || out.write(result->body) != result->body.size()) {
            err << "export: cannot write to stdout\n";
            return 1;
        }
    }
    return 0;
}

} // namespace outpost::server
