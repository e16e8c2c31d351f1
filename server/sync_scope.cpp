#include "server/sync_scope.h"

using namespace Qt::Literals::StringLiterals;

namespace outpost::server {

const std::vector<SyncTable> &syncTables()
{
    static const std::vector<SyncTable> tables{
        {u"categories"_s, u"catalog"_s, SyncScope::Tenant},
        {u"tax_classes"_s, u"catalog"_s, SyncScope::Tenant},
        {u"warehouses"_s, u"catalog"_s, SyncScope::Tenant},
        {u"products"_s, u"catalog"_s, SyncScope::Tenant},
        {u"promotions"_s, u"catalog"_s, SyncScope::Tenant},
        {u"stock_levels"_s, u"stock"_s, SyncScope::Tenant},
        {u"price_lists"_s, u"prices"_s, SyncScope::PriceList},
        {u"price_list_entries"_s, u"prices"_s, SyncScope::PriceListRef},
        {u"contract_prices"_s, u"prices"_s, SyncScope::AccountRef},
        {u"accounts"_s, u"accounts"_s, SyncScope::AccountSelf},
        {u"addresses"_s, u"accounts"_s, SyncScope::AccountRef},
        {u"contacts"_s, u"accounts"_s, SyncScope::AccountRef},
        {u"account_reps"_s, u"accounts"_s, SyncScope::RepSelf},
        {u"orders"_s, u"orders"_s, SyncScope::OrderOwner},
        {u"order_lines"_s, u"orders"_s, SyncScope::OrderLineOwner, false},
    };
    return tables;
}

const QStringList &syncPartitions()
{
    static const QStringList partitions{u"catalog"_s, u"stock"_s, u"prices"_s, u"accounts"_s, u"orders"_s};
    return partitions;
}

QStringList entitledPartitions(Role role)
{
    if (role == Role::Kiosk)
        return {u"catalog"_s, u"stock"_s};
    return syncPartitions();
}

bool readsWholeTenant(const Caller &caller)
{
    return caller.role == Role::Manager || caller.role == Role::Admin;
}

QString syncScopeSql(const Caller &c, SyncScope scope, QVariantList &binds)
{
    if (scope == SyncScope::Tenant || readsWholeTenant(c))
        return u"1=1"_s;
    switch (scope) {
    case SyncScope::Tenant:
        return u"1=1"_s;
    case SyncScope::PriceList:
    case SyncScope::PriceListRef: {
        binds << c.tenantId;
        const QString column = scope == SyncScope::PriceList ? u"t.id"_s : u"t.price_list_id"_s;
        return column + u" IN (SELECT a.price_list_id FROM accounts a WHERE a.tenant_id = ? AND "_s +
               accountScopeSql(c, u"a.id"_s, binds) + u")"_s;
    }
    case SyncScope::AccountSelf:
        return accountScopeSql(c, u"t.id"_s, binds);
    case SyncScope::AccountRef:
        return accountScopeSql(c, u"t.account_id"_s, binds);
    case SyncScope::RepSelf:
        binds << c.userId;
        return u"t.user_id = ?"_s;
    case SyncScope::OrderOwner:
        binds << c.userId;
        return u"t.rep_user_id = ?"_s;
    case SyncScope::OrderLineOwner:
        binds << c.userId;
        return u"t.order_id IN (SELECT o.id FROM orders o WHERE o.tenant_id = t.tenant_id AND "
               "o.rep_user_id = ?)"_s;
    }
    return u"1=0"_s;
}

Result<QStringList> parsePartitionList(const Caller &caller, const QString &text, bool present,
                                       const QString &field)
{
    const QStringList entitled = entitledPartitions(caller.role);
    if (!present)
        return entitled;
    const QStringList asked = text.split(u',', Qt::SkipEmptyParts);
    if (asked.isEmpty())
        return Error::invalid(u"request.bad_parameter"_s, u"Name at least one partition."_s, field);
    QStringList out;
    for (const QString &p : asked) {
        const QString name = p.trimmed();
        if (!syncPartitions().contains(name))
            return Error::invalid(u"request.bad_parameter"_s,
                                  u"Unknown partition; use catalog, stock, prices, accounts, orders."_s, field);
        if (!entitled.contains(name))
            return Error::make(ErrorKind::Forbidden, u"auth.forbidden_role"_s,
                               u"Your role may not read this partition."_s);
        if (!out.contains(name))
            out << name;
    }
    return out;
}

} // namespace outpost::server
