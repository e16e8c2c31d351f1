// outpost-server: dispatches to the sub-commands (commands.h). Usage errors exit with 2.
#include "server/commands.h"

#include <QCoreApplication>
#include <QTextStream>

using namespace Qt::Literals::StringLiterals;

namespace {

QString usage()
{
    return u"Usage: outpost-server <command> [options]\n"
           "\n"
           "Commands:\n"
           "  serve   --db FILE|URL --listen HOST:PORT [--access-ttl SECONDS]   run the HTTP API\n"
           "          [--refresh-reuse-interval SECONDS] [--snapshot-dir DIR] [--blob-dir DIR]\n"
           "          [--max-attachment-mb N]\n"
           "  seed    --db FILE|URL --size tiny|small|medium|large               load demo data\n"
           "  import  --db FILE|URL --tenant T --kind K FILE.csv [--skip-bad-rows]\n"
           "  export  --db FILE|URL --tenant T --format csv|json [--since ISO] [--out FILE]\n"
           "\n"
           "Options:\n"
           "  -h, --help      show this help (each command also has --help)\n"
           "  -v, --version   show the version\n"_s;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"outpost-server"_s);
    QCoreApplication::setApplicationVersion(u"0.1.0"_s);

    QStringList args = QCoreApplication::arguments();
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (args.size() < 2) {
        err << usage();
        return 2;
    }
    const QString command = args.takeAt(1);
    if (command == u"--help"_s || command == u"-h"_s || command == u"help"_s) {
        out << usage();
        return 0;
    }
    if (command == u"--version"_s || command == u"-v"_s) {
        out << "outpost-server " << QCoreApplication::applicationVersion() << '\n';
        return 0;
    }
    if (command == u"serve"_s)
        return outpost::server::runServe(args);
    if (command == u"seed"_s)
        return outpost::server::runSeed(args);
    if (command == u"import"_s)
        return outpost::server::runImport(args);
    if (command == u"export"_s)
        return outpost::server::runExport(args);

    err << "outpost-server: unknown command '" << command << "'\n\n" << usage();
    return 2;
}
