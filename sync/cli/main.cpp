// outpost-sync --replica FILE [--clock-offset SECONDS] [--verbose] COMMAND [options]
#include "sync/cli/cli.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <map>

using namespace Qt::Literals::StringLiterals;
using namespace outpost::sync::cli;

namespace {

const char *kUsageText =
    "Usage: outpost-sync --replica FILE [--clock-offset SECONDS] [--verbose] COMMAND [options]\n"
    "\n"
    "Commands (each has --help):\n"
    "  login --server URL --tenant T --user U --password P [--device ID]\n"
    "  sync [--partitions a,b] [--max-seconds N] [--no-verify]\n"
    "  status [--json] [--verify]\n"
    "  order create --account CODE --line SKU:QTY [--line ...] [--note T]\n"
    "  orders [--json]\n"
    "  conflicts [--json]\n"
    "  resolve ID mine|theirs\n"
    "  edit contact|account|address ID field=value ...\n"
    "  export-pending FILE.json\n"
    "  import-pending FILE.json\n"
    "  attach --order ID|--account ID --file PATH [--kind photo|signature] [--caption T]\n"
    "  uploads [--max-seconds N] [--chunk-kib N]\n"
    "\n"
    "Exit codes: 0 ok, 1 error, 2 usage, 3 server unreachable (transient).\n";

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"outpost-sync"_s);
    QStringList args = QCoreApplication::arguments().mid(1);
    Global g;
    QStringList rest;
    bool commandSeen = false;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString a = args[i];
        if (!commandSeen && (a == u"--replica"_s || a == u"--clock-offset"_s)) {
            if (i + 1 >= args.size()) {
                printErr(u"error: %1 needs a value"_s.arg(a));
                return kUsage;
            }
            const QString v = args[++i];
            if (a == u"--replica"_s) {
                g.replica = v;
            } else {
                bool ok = false;
                g.clockOffset = std::chrono::seconds(v.toLongLong(&ok));
                if (!ok) {
                    printErr(u"error: --clock-offset takes whole seconds (may be negative)"_s);
                    return kUsage;
                }
            }
        } else if (!commandSeen && a == u"--verbose"_s) {
            g.verbose = true;
        } else if (!commandSeen && (a == u"--help"_s || a == u"-h"_s)) {
            printOut(kUsageText);
            return kOk;
        } else {
            commandSeen = true;
            rest << a;
        }
    }
    QLoggingCategory::setFilterRules(g.verbose ? u"outpost.*.debug=true"_s : u"outpost.*.debug=false\noutpost.*.info=false"_s);
    if (rest.isEmpty()) {
        printErr(QString::fromLatin1(kUsageText));
        return kUsage;
    }
    const bool help = rest.contains(u"--help"_s) || rest.contains(u"-h"_s);
    if (g.replica.isEmpty() && !help) {
        printErr(u"error: --replica FILE is required"_s);
        return kUsage;
    }
    const QString command = rest.first();
    if (command == u"order"_s) {
        if (rest.size() < 2 || rest[1] != u"create"_s) {
            printErr(u"error: use `order create --account CODE --line SKU:QTY ...`"_s);
            return kUsage;
        }
        return runOrderCreate(g, rest.mid(1));
    }
    const std::map<QString, int (*)(const Global &, const QStringList &)> commands{
        {u"login"_s, &runLogin},         {u"sync"_s, &runSync},
        {u"status"_s, &runStatus},       {u"orders"_s, &runOrders},
        {u"conflicts"_s, &runConflicts}, {u"resolve"_s, &runResolve},
        {u"edit"_s, &runEdit},           {u"export-pending"_s, &runExportPending},
        {u"import-pending"_s, &runImportPending},
        {u"attach"_s, &runAttach},       {u"uploads"_s, &runUploads},
    };
    const auto it = commands.find(command);
    if (it == commands.end()) {
        printErr(u"error: unknown command `%1`\n"_s.arg(command) + QString::fromLatin1(kUsageText));
        return kUsage;
    }
    return it->second(g, rest);
}
