// `outpost-server import`: loads one CSV file into a tenant and prints the report (importer.h).
#include "server/commands.h"
#include "server/database.h"
#include "server/importer.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QTextStream>

#include <memory>

using namespace Qt::Literals::StringLiterals;

namespace outpost::server {

int runImport(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Imports a CSV file into one tenant. A file with any bad row "
                                     "changes nothing unless --skip-bad-rows."_s);
    parser.addHelpOption();
    parser.addOption({u"db"_s, u"Database file (SQLite) or postgresql:// URL."_s, u"FILE"_s});
    parser.addOption({u"tenant"_s, u"Tenant code, e.g. demo."_s, u"T"_s});
    parser.addOption({u"kind"_s, u"products, prices, contract-prices, accounts or stock."_s, u"KIND"_s});
    parser.addOption({u"skip-bad-rows"_s, u"Import the good rows; still report the bad ones."_s});
    parser.addPositionalArgument(u"FILE.csv"_s, u"The CSV file (UTF-8, ',' or ';')."_s);
    const QString usage = u"Usage: outpost-server import --db FILE --tenant T --kind "
                          "products|prices|contract-prices|accounts|stock FILE.csv [--skip-bad-rows]\n\n"_s;
    if (!parser.parse(args)) {
        err << "import: " << parser.errorText() << "\n\n" << usage << parser.helpText().section(u'\n', 1);
        return 2;
    }
    if (parser.isSet(u"help"_s)) {
        out << usage << parser.helpText().section(u'\n', 1);
        return 0;
    }
    const auto kind = importKindFromName(parser.value(u"kind"_s));
    if (!parser.isSet(u"db"_s) || !parser.isSet(u"tenant"_s) || !kind ||
        parser.positionalArguments().size() != 1) {
        err << "import: --db, --tenant, a valid --kind and exactly one FILE.csv are required\n\n"
            << usage << parser.helpText().section(u'\n', 1);
        return 2;
    }
    const QString path = parser.positionalArguments().constFirst();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        err << "import: cannot read " << path << ": " << file.errorString() << '\n';
        return 1;
    }
    const QByteArray data = file.readAll();
    auto opened = Database::open(parser.value(u"db"_s));
    if (!opened) {
        err << "import: " << opened.error().userText << ' ' << opened.error().detail << '\n';
        return 1;
    }
    std::unique_ptr<Database> db(*opened);
    auto tenant = tenantIdByCode(*db, parser.value(u"tenant"_s));
    if (!tenant) {
        err << "import: " << tenant.error().userText << '\n';
        return 1;
    }
    ImportOptions options;
    options.kind = *kind;
    options.fileName = QFileInfo(path).fileName();
    options.skipBadRows = parser.isSet(u"skip-bad-rows"_s);
    options.updatedAt = isoUtc(QDateTime::currentDateTimeUtc());
    auto report = importCsv(*db, *tenant, data, options);
    if (!report) {
        const Error &e = report.error();
        err << "import: " << options.fileName;
        if (!e.field.isEmpty())
            err << " (" << e.field << ')';
        err << ": " << e.code << ": " << e.userText;
        if (!e.detail.isEmpty())
            err << " [" << e.detail << ']';
        err << '\n';
        return 1;
    }
    out << report->toText();
    return report->badRows > 0 ? 1 : 0;
}

} // namespace outpost::server
