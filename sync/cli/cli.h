// outpost-sync: the headless client. main.cpp parses the global options and dispatches; each
// command parses its own options (with --help) and returns the process exit code:
//   0 ok, 1 error, 2 usage, 3 the server could not be reached (transient; try again).
// Progress and errors go to stderr, results to stdout.
#pragma once

#include "domain/result.h"

#include <QStringList>

#include <chrono>
#include <optional>

class QCommandLineParser;

namespace outpost::sync::cli {

struct Global
{
    QString replica;
    std::chrono::seconds clockOffset{0};
    bool verbose = false;
};

enum ExitCode { kOk = 0, kError = 1, kUsage = 2, kTransient = 3 };

// args[0] is the command name; its options follow.
int runLogin(const Global &g, const QStringList &args);
int runSync(const Global &g, const QStringList &args);
int runStatus(const Global &g, const QStringList &args);
int runOrderCreate(const Global &g, const QStringList &args);
int runOrders(const Global &g, const QStringList &args);
int runConflicts(const Global &g, const QStringList &args);
int runResolve(const Global &g, const QStringList &args);
int runEdit(const Global &g, const QStringList &args);
int runExportPending(const Global &g, const QStringList &args);
int runImportPending(const Global &g, const QStringList &args);
int runAttach(const Global &g, const QStringList &args);   // cli_attach.cpp
int runUploads(const Global &g, const QStringList &args);

// Prints "error: <code>: <text>" to stderr; returns 3 for transient errors, else 1.
int fail(const Error &e);
void printOut(const QByteArray &text);
// Adds --help, parses; returns an exit code when the command should stop (help shown, bad usage).
std::optional<int> parseOrExit(QCommandLineParser &p, const QStringList &args, const QString &description);
void printErr(const QString &text);

} // namespace outpost::sync::cli
