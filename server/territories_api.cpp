// PUT /v1/admin/territories {"user":"rep1","accounts":["ACC-000001",...]}: replaces a rep's
// territory in one tenant write transaction (admin only). Added rows carry the new seq; removed ones
// leave "account_reps" tombstones (entitlement.h), so the change feed reports "joined" and "left".
#include "server/database.h"
#include "server/entitlement.h"
#include "server/http.h"
#include "server/routes.h"

#include <QHttpServer>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QSet>

using namespace Qt::Literals::StringLiterals;

namespace outpost::server {

namespace {

Q_LOGGING_CATEGORY(lcTerritories, "outpost.server")

constexpr qsizetype kMaxAccounts = 100000;

Result<QJsonObject> replaceTerritory(ServerContext &ctx, const Caller &caller, const QJsonObject &body)
{
    JsonReader r(body);
    const QString username = r.string(u"user"_s, true, 100);
    const QJsonArray codes = r.array(u"accounts"_s, true, kMaxAccounts);
    if (auto s = r.finish(); !s)
        return s.error();
    QStringList wanted;
    QList<qsizetype> wantedIndex; // position in the request, for the error's field
    for (qsizetype i = 0; i < codes.size(); ++i) {
        if (!codes.at(i).isString() || codes.at(i).toString().trimmed().isEmpty())
            return Error::invalid(u"request.wrong_type"_s, u"Each account is a non-empty account code."_s,
                                  u"accounts[%1]"_s.arg(i));
        if (!wanted.contains(codes.at(i).toString())) {
            wanted << codes.at(i).toString();
            wantedIndex << i;
        }
    }

    Database &db = *ctx.db;
    auto user = db.exec(u"SELECT id, role FROM users WHERE tenant_id = ? AND username = ?"_s,
                        {caller.tenantId, username});
    if (!user)
        return user.error();
    if (!user->next())
        return Error{ErrorKind::NotFound, u"user.not_found"_s, u"No user has this name."_s, {}, u"user"_s};
    const qint64 userId = user->value(0).toLongLong();
    if (user->value(1).toString() != u"rep"_s)
        return Error{ErrorKind::Rejected, u"user.not_rep"_s, u"Only reps have territories."_s, {}, u"user"_s};

    QSet<qint64> target;
    auto account = db.prepare(u"SELECT id FROM accounts WHERE tenant_id = ? AND code = ?"_s);
    for (qsizetype i = 0; i < wanted.size(); ++i) {
        account.addBindValue(caller.tenantId);
        account.addBindValue(wanted.at(i));
        if (!account.exec())
            return Error::make(ErrorKind::Internal, u"db.error"_s, u"A database error occurred."_s, u"account"_s);
        if (!account.next())
            return Error{ErrorKind::Rejected, u"account.unknown"_s, u"No account has this code."_s, {},
                         u"accounts[%1]"_s.arg(wantedIndex.at(i))};
        target.insert(account.value(0).toLongLong());
        account.finish();
    }

    auto seq = db.beginTenantWrite(caller.tenantId);
    if (!seq)
        return seq.error();
    auto abort = [&db](const Error &e) -> Result<QJsonObject> {
        db.rollback();
        return e;
    };
    auto current = db.exec(u"SELECT account_id FROM account_reps WHERE tenant_id = ? AND user_id = ?"_s,
                           {caller.tenantId, userId});
    if (!current)
        return abort(current.error());
    QSet<qint64> existing;
    while (current->next())
        existing.insert(current->value(0).toLongLong());

    int added = 0;
    int removed = 0;
    for (qint64 accountId : existing) {
        if (target.contains(accountId))
            continue;
        auto del = db.exec(u"DELETE FROM account_reps WHERE tenant_id = ? AND account_id = ? AND user_id = ?"_s,
                           {caller.tenantId, accountId, userId});
        if (!del)
            return abort(del.error());
        auto tomb = db.exec(u"INSERT INTO tombstones (tenant_id, entity, entity_id, account_id, seq) "
                            "VALUES (?, 'account_reps', ?, ?, ?)"_s,
                            {caller.tenantId, accountRepTombstoneId(accountId, userId), accountId, *seq});
        if (!tomb)
            return abort(tomb.error());
        ++removed;
    }
    for (qint64 accountId : target) {
        if (existing.contains(accountId))
            continue;
        auto ins = db.exec(u"INSERT INTO account_reps (tenant_id, account_id, user_id, seq) VALUES (?, ?, ?, ?)"_s,
                           {caller.tenantId, accountId, userId, *seq});
        if (!ins)
            return abort(ins.error());
        ++added;
    }
    auto audit = db.exec(u"INSERT INTO audit_log (tenant_id, user_id, action, entity, entity_id, at, detail) "
                         "VALUES (?, ?, 'territory.replace', 'users', ?, ?, ?)"_s,
                         {caller.tenantId, caller.userId, QString::number(userId), isoUtc(ctx.now()),
                          u"added=%1 removed=%2 seq=%3"_s.arg(added).arg(removed).arg(*seq)});
    if (!audit)
        return abort(audit.error());
    if (auto s = db.commit(); !s)
        return abort(s.error());
    qCInfo(lcTerritories) << "territory replaced: tenant" << caller.tenantId << "user" << userId << "added" << added
                          << "removed" << removed << "seq" << *seq;
    return QJsonObject{{u"user"_s, username},
                       {u"accounts"_s, qint64(target.size())},
                       {u"added"_s, added},
                       {u"removed"_s, removed},
                       {u"seq"_s, *seq}};
}

QHttpServerResponse putTerritory(ServerContext &ctx, const QHttpServerRequest &request)
{
    auto caller = authenticate(ctx, request);
    if (!caller)
        return errorResponse(caller.error());
    if (auto s = requireRole(*caller, {Role::Admin}); !s)
        return errorResponse(s.error());
    auto body = parseJsonObject(request, ctx.config.maxJsonBodyBytes);
    if (!body)
        return errorResponse(body.error());
    auto result = replaceTerritory(ctx, *caller, *body);
    if (!result) {
        const Error &e = result.error();
        if (e.kind == ErrorKind::Rejected)
            return errorResponse(422, e.code, e.userText, e.field);
        if (e.kind == ErrorKind::NotFound)
            return errorResponse(404, e.code, e.userText, e.field);
        return errorResponse(e);
    }
    return jsonResponse(*result);
}

} // namespace

void registerTerritoryRoutes(QHttpServer &http, ServerContext &ctx)
{
    http.route(u"/v1/admin/territories"_s, QHttpServerRequest::Method::Put,
               [&ctx](const QHttpServerRequest &request) { return putTerritory(ctx, request); });
}

} // namespace outpost::server
