// outpost-bench-init: the bench fixture around the PouchDB peer's rows, so that `outpost-server
// import` can load exactly the peer's CSVs into a fresh database (the demo seed is other data).
//
//   outpost-bench-init create --db FILE --tenant T --password P --price-lists G01,G02,...
//       a fresh database (schema), tenant T (GBP) with users manager1 (manager, entitled to every
//       account) and admin, the price lists the peer's price groups name, one warehouse WH1 and
//       one tax class STD. Fails when the tenant exists.
//   outpost-bench-init finish --db FILE --tenant T
//       after the account import: every account without a default warehouse ships from WH1 (the
//       peer's accounts have none, and an order needs one). One tenant write: those rows get the
//       transaction's seq like any server edit.
// Writes through the server's own Database class (server/database.h), as seed.cpp does.
#include "server/database.h"
#include "server/password.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QTextStream>

#include <memory>

using namespace outpost;
using namespace outpost::server;
using namespace Qt::Literals::StringLiterals;

namespace {

QTextStream &err()
{
    static QTextStream s(stderr);
    return s;
}

int fail(const Error &e, const QString &what)
{
    err() << "outpost-bench-init: " << what << ": " << e.code << ' ' << e.userText << ' ' << e.detail << '\n';
    return 1;
}

Result<qint64> tenantId(Database &db, const QString &code)
{
    auto q = db.exec(u"SELECT id FROM tenants WHERE code = ?"_s, {code});
    if (!q)
        return q.error();
    if (!q->next())
        return Error::make(ErrorKind::NotFound, u"tenant.not_found"_s, u"No such tenant."_s);
    return q->value(0).toLongLong();
}

int create(Database &db, const QString &tenant, const QString &password, const QStringList &lists)
{
    if (tenantId(db, tenant))
        return fail(Error::make(ErrorKind::Invalid, u"tenant.exists"_s, u"The tenant exists already."_s),
                    u"create"_s);
    const QString now = isoUtc(QDateTime::currentDateTimeUtc());
    auto hash = hashPassword(password);
    if (!hash)
        return fail(hash.error(), u"password"_s);

    if (Status s = db.begin(); !s)
        return fail(s.error(), u"begin"_s);
    if (auto r = db.exec(u"INSERT INTO tenants (code, name, currency, seq, created_at) VALUES (?, ?, 'GBP', 0, ?)"_s,
                         {tenant, u"Bench wholesale"_s, now});
        !r) {
        db.rollback();
        return fail(r.error(), u"insert tenant"_s);
    }
    if (Status s = db.commit(); !s)
        return fail(s.error(), u"commit"_s);
    auto id = tenantId(db, tenant);
    if (!id)
        return fail(id.error(), u"tenant"_s);

    auto seq = db.beginTenantWrite(*id);
    if (!seq)
        return fail(seq.error(), u"begin tenant write"_s);
    const auto run = [&](const QString &sql, std::initializer_list<QVariant> binds) {
        auto r = db.exec(sql, binds);
        return r ? Status{} : Status(r.error());
    };
    Status s = run(u"INSERT INTO warehouses (tenant_id, code, name, seq) VALUES (?, 'WH1', 'Main warehouse', ?)"_s,
                   {*id, *seq});
    if (s)
        s = run(u"INSERT INTO tax_classes (tenant_id, code, name, rate_bp, seq) VALUES (?, 'STD', 'Standard', 2000, ?)"_s,
                {*id, *seq});
    for (const QString &list : lists) {
        if (!s)
            break;
        s = run(u"INSERT INTO price_lists (tenant_id, code, name, currency, seq) VALUES (?, ?, ?, 'GBP', ?)"_s,
                {*id, list, u"Price group "_s + list, *seq});
    }
    const struct
    {
        const char *username, *display, *role;
        int lineBp, orderBp;
    } users[] = {{"manager1", "Manager 1", "manager", 3000, 2000}, {"admin", "Administrator", "admin", 0, 0}};
    for (const auto &u : users) {
        if (!s)
            break;
        s = run(u"INSERT INTO users (tenant_id, username, display_name, role, password_hash, max_line_discount_bp, "
                "max_order_discount_bp, active, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)"_s,
                {*id, QString::fromLatin1(u.username), QString::fromLatin1(u.display), QString::fromLatin1(u.role),
                 *hash, u.lineBp, u.orderBp, now});
    }
    if (!s) {
        db.rollback();
        return fail(s.error(), u"create"_s);
    }
    if (Status c = db.commit(); !c)
        return fail(c.error(), u"commit"_s);
    QTextStream(stdout) << "tenant " << tenant << " created: users manager1, admin; " << lists.size()
                        << " price lists; warehouse WH1\n";
    return 0;
}

int finish(Database &db, const QString &tenant)
{
    auto id = tenantId(db, tenant);
    if (!id)
        return fail(id.error(), u"tenant"_s);
    auto seq = db.beginTenantWrite(*id);
    if (!seq)
        return fail(seq.error(), u"begin tenant write"_s);
    auto r = db.exec(u"UPDATE accounts SET default_warehouse_id = (SELECT id FROM warehouses WHERE tenant_id = ? "
                     "AND code = 'WH1'), seq = ? WHERE tenant_id = ? AND default_warehouse_id IS NULL"_s,
                     {*id, *seq, *id});
    if (!r) {
        db.rollback();
        return fail(r.error(), u"update accounts"_s);
    }
    const int changed = r->numRowsAffected();
    if (Status c = db.commit(); !c)
        return fail(c.error(), u"commit"_s);
    QTextStream(stdout) << changed << " accounts ship from WH1\n";
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Bench fixture: a fresh server database for the peer's rows."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"command"_s, u"create or finish"_s);
    parser.addOption({u"db"_s, u"Server database file (SQLite)."_s, u"FILE"_s});
    parser.addOption({u"tenant"_s, u"Tenant code."_s, u"T"_s, u"bench"_s});
    parser.addOption({u"password"_s, u"Password of the users (create)."_s, u"P"_s});
    parser.addOption({u"price-lists"_s, u"Comma-separated price list codes (create)."_s, u"CODES"_s});
    parser.process(app);
    const QStringList pos = parser.positionalArguments();
    if (pos.size() != 1 || !parser.isSet(u"db"_s) ||
        (pos.front() == u"create"_s && (!parser.isSet(u"password"_s) || !parser.isSet(u"price-lists"_s))) ||
        (pos.front() != u"create"_s && pos.front() != u"finish"_s)) {
        err() << "usage: outpost-bench-init create --db FILE [--tenant T] --password P --price-lists A,B\n"
                 "       outpost-bench-init finish --db FILE [--tenant T]\n";
        return 2;
    }
    auto opened = Database::open(parser.value(u"db"_s));
    if (!opened)
        return fail(opened.error(), u"open"_s);
    std::unique_ptr<Database> db(*opened);
    const QString tenant = parser.value(u"tenant"_s);
    if (pos.front() == u"create"_s)
        return create(*db, tenant, parser.value(u"password"_s),
                      parser.value(u"price-lists"_s).split(u',', Qt::SkipEmptyParts));
    return finish(*db, tenant);
}
