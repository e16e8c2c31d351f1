// outpost-bench-app: how the catalog list (ProductListModel) behaves on a large replica -- what a
// rep feels while typing and scrolling. Nothing is asserted; figures are printed against the
// 16 ms frame budget, then one JSON line.
//
//   outpost-bench-app --replica FILE [--account CODE] [--runs N]
//
// FILE is a synced replica (e.g. `outpost-server seed --size large`, `serve`, then
// `outpost-sync --replica FILE login ... --user manager1` and `sync`). It is copied to a temporary
// folder first: the 1% price change below is made on the copy only.
//
// Measured (wall time, steady clock, GUI-thread work as the app does it):
//   first_page_ms      setFilter() to a new query/category: the first page, priced and stocked
//   keystroke_*        each keystroke of typing "choc" and a SKU prefix (p50/p95/max)
//   fetch_page_*       one fetchMore() page (p50/p95/max)
//   scroll_all_ms      fetchMore() from the top to the last row; peak RSS after it
//   refresh_nochange_ms refresh() with every row loaded and nothing changed (a sync pass)
//   refresh_1pct_ms    refresh() after 1% of products' list and price-list prices changed,
//                      with the number of dataChanged signals it emitted
#include "app/app_context.h"
#include "app/catalog_controller.h"
#include "storage/account_repository.h"
#include "storage/database.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTextStream>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>

using namespace Qt::Literals::StringLiterals;
using namespace outpost;

namespace {

constexpr double kFrameBudgetMs = 16.0;

struct Stats
{
    double p50 = 0, p95 = 0, max = 0;
    int n = 0;
};

Stats stats(QList<double> v)
{
    Stats s;
    if (v.isEmpty())
        return s;
    std::sort(v.begin(), v.end());
    const auto at = [&](double q) { return v[std::min<qsizetype>(v.size() - 1, qsizetype(q * double(v.size() - 1) + 0.5))]; };
    s.p50 = at(0.5);
    s.p95 = at(0.95);
    s.max = v.last();
    s.n = int(v.size());
    return s;
}

template <typename Fn> double timeMs(Fn fn)
{
    QElapsedTimer t;
    t.start();
    fn();
    return double(t.nsecsElapsed()) / 1e6;
}

long peakRssKb()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

QJsonObject toJson(const Stats &s)
{
    return {{u"p50_ms"_s, s.p50}, {u"p95_ms"_s, s.p95}, {u"max_ms"_s, s.max}, {u"n"_s, s.n},
            {u"within_frame"_s, s.p95 <= kFrameBudgetMs}};
}

QString line(const QString &name, const Stats &s)
{
    return u"%1 p50 %2 ms  p95 %3 ms  max %4 ms  (n=%5)  %6"_s.arg(name, -22)
        .arg(s.p50, 0, 'f', 2)
        .arg(s.p95, 0, 'f', 2)
        .arg(s.max, 0, 'f', 2)
        .arg(s.n)
        .arg(s.p95 <= kFrameBudgetMs ? u"within 16 ms"_s : u"OVER 16 ms"_s);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication qapp(argc, argv);
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser p;
    p.setApplicationDescription(u"Catalog list model figures on a replica (see the file header)."_s);
    p.addHelpOption();
    p.addOptions({{u"replica"_s, u"A synced replica file (copied first)."_s, u"FILE"_s},
                  {u"account"_s, u"Account code whose prices the list shows (default: the first)."_s, u"CODE"_s},
                  {u"runs"_s, u"Repeats of the typing measurements (default 5)."_s, u"N"_s, u"5"_s}});
    p.process(qapp);
    if (!p.isSet(u"replica"_s) || !QFile::exists(p.value(u"replica"_s))) {
        err << "outpost-bench-app: --replica FILE (an existing replica) is required\n";
        return 2;
    }
    const int runs = std::max(1, p.value(u"runs"_s).toInt());

    QTemporaryDir tmp;
    const QString copy = QDir(tmp.path()).filePath(u"replica.db"_s);
    for (const QString &suffix : {u""_s, u"-wal"_s}) {
        const QString from = p.value(u"replica"_s) + suffix;
        if (QFile::exists(from) && !QFile::copy(from, copy + suffix)) {
            err << "outpost-bench-app: cannot copy " << from << "\n";
            return 1;
        }
    }
    app::AppConfig config;
    config.dataDir = tmp.path();
    config.autoSync = false;
    auto context = app::AppContext::create(config);
    if (!context) {
        err << "outpost-bench-app: " << context.error().userText << "\n";
        return 1;
    }
    app::AppContext &app = **context;

    storage::AccountRepository accounts(app.db());
    qint64 accountId = 0;
    if (auto found = accounts.search(p.value(u"account"_s), 1); found && !found->isEmpty())
        accountId = found->first().id;
    const qint64 products = app.catalog()->productCount();
    err << "replica: " << products << " products; pricing for account " << accountId << "\n";

    app::ProductListModel model(app);
    int changed = 0;
    int resets = 0;
    QObject::connect(&model, &QAbstractItemModel::dataChanged, [&] { ++changed; });
    QObject::connect(&model, &QAbstractItemModel::modelReset, [&] { ++resets; });

    // First page after a filter change: all, one category, a word, back to all.
    QList<double> firstPage;
    for (int r = 0; r < runs; ++r) {
        firstPage << timeMs([&] { model.setFilter(u"oil"_s, 0, accountId); });
        firstPage << timeMs([&] { model.setFilter({}, 1, accountId); });
        firstPage << timeMs([&] { model.setFilter({}, 0, accountId); });
    }

    // Typing, one keystroke at a time (each a new query), then clearing.
    QList<double> typingWord;
    QList<double> typingSku;
    for (int r = 0; r < runs; ++r) {
        for (const QString &word : {u"choc"_s}) {
            for (qsizetype k = 1; k <= word.size(); ++k)
                typingWord << timeMs([&] { model.setFilter(word.left(k), 0, accountId); });
            model.setFilter({}, 0, accountId);
        }
        const QString sku = u"SKU-00012"_s;
        for (qsizetype k = 1; k <= sku.size(); ++k)
            typingSku << timeMs([&] { model.setFilter(sku.left(k), 0, accountId); });
        model.setFilter({}, 0, accountId);
    }

    // Pages, then everything.
    QList<double> pages;
    double scrollAll = 0;
    scrollAll = timeMs([&] {
        while (model.canFetchMore({}))
            pages << timeMs([&] { model.fetchMore({}); });
    });
    const int loaded = model.rowCount();
    const long rssKb = peakRssKb();

    // A sync pass that changed nothing, then one that changed 1% of the prices.
    changed = 0;
    const double refreshNoChange = timeMs([&] { model.refresh(); });
    const int changedNoChange = changed;
    const char *bump = "UPDATE products SET list_price_minor = list_price_minor * 103 / 100 + 1 WHERE id % 100 = 0;"
                       "UPDATE price_list_entries SET unit_price_minor = unit_price_minor * 103 / 100 + 1"
                       " WHERE product_id % 100 = 0;";
    if (Status s = app.db().exec(bump); !s) {
        err << "outpost-bench-app: price change failed: " << s.error().code << "\n";
        return 1;
    }
    changed = 0;
    const double refresh1pct = timeMs([&] { model.refresh(); });
    const int changed1pct = changed;

    const Stats sFirst = stats(firstPage), sWord = stats(typingWord), sSku = stats(typingSku), sPage = stats(pages);
    out << "outpost-bench-app: ProductListModel on " << products << " products (account " << accountId << ")\n";
    out << line(u"first page (filter)"_s, sFirst) << "\n";
    out << line(u"keystroke \"choc\""_s, sWord) << "\n";
    out << line(u"keystroke SKU prefix"_s, sSku) << "\n";
    out << line(u"fetchMore page"_s, sPage) << "\n";
    out << u"scroll to the end        %1 rows in %2 ms; peak RSS %3 MB"_s.arg(loaded).arg(scrollAll, 0, 'f', 0).arg(
               double(rssKb) / 1024.0, 0, 'f', 1)
        << "\n";
    out << u"refresh, nothing changed %1 ms, %2 dataChanged"_s.arg(refreshNoChange, 0, 'f', 1).arg(changedNoChange)
        << "\n";
    out << u"refresh after 1% prices  %1 ms, %2 dataChanged, %3 resets"_s.arg(refresh1pct, 0, 'f', 1)
               .arg(changed1pct)
               .arg(resets)
        << "\n";
    const QJsonObject json{{u"bench"_s, u"app"_s},
                           {u"products"_s, products},
                           {u"account_id"_s, accountId},
                           {u"frame_budget_ms"_s, kFrameBudgetMs},
                           {u"first_page"_s, toJson(sFirst)},
                           {u"keystroke_word"_s, toJson(sWord)},
                           {u"keystroke_sku"_s, toJson(sSku)},
                           {u"fetch_page"_s, toJson(sPage)},
                           {u"scroll_all_ms"_s, scrollAll},
                           {u"scroll_rows"_s, loaded},
                           {u"peak_rss_mb"_s, double(rssKb) / 1024.0},
                           {u"refresh_nochange_ms"_s, refreshNoChange},
                           {u"refresh_nochange_data_changed"_s, changedNoChange},
                           {u"refresh_1pct_ms"_s, refresh1pct},
                           {u"refresh_1pct_data_changed"_s, changed1pct},
                           {u"resets"_s, resets}};
    out << QJsonDocument(json).toJson(QJsonDocument::Compact) << "\n";
    return 0;
}
