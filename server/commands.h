// The outpost-server sub-commands. main.cpp dispatches; each returns a process exit code
// (0 ok, 1 failure, 2 usage error) and prints its own --help.
// args: the process arguments without the sub-command, i.e. args[0] is the program path and the
// sub-command's options follow (ready for QCommandLineParser::parse). A QCoreApplication exists.
#pragma once

#include <QStringList>

namespace outpost::server {

int runServe(const QStringList &args);  // serve.cpp:  serve --db FILE|URL --listen HOST:PORT
int runSeed(const QStringList &args);   // seed.cpp:   seed --db FILE --size small|medium|large
int runImport(const QStringList &args); // import_cli.cpp: import --db FILE --tenant T --kind K FILE.csv [--skip-bad-rows]
int runExport(const QStringList &args); // export_cli.cpp: export --db FILE --tenant T --format csv|json [--since ISO] [--out FILE]

} // namespace outpost::server
