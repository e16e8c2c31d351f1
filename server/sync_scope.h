// What each sync partition holds and which rows of it a caller may read. Shared by the change feed
// (changes.cpp), the snapshot builder (snapshot_*.cpp) and the checksums (checksums.cpp), so the
// three always agree on the rows of a partition.
#pragma once

#include "server/http.h"

#include <QString>
#include <QStringList>
#include <QVariantList>

#include <vector>

namespace outpost::server {

// How a table's rows are restricted beyond the tenant.
enum class SyncScope
{
    Tenant,       // whole tenant (catalog, stock)
    PriceList,    // price_lists.id used by the caller's accounts
    PriceListRef, // price_list_id used by the caller's accounts
    AccountSelf,  // accounts.id in the caller's accounts
    AccountRef,   // account_id in the caller's accounts
    RepSelf,      // account_reps of the caller
    OrderOwner,   // orders taken by the caller
    OrderLineOwner, // order_lines of orders taken by the caller (snapshot only)
};

struct SyncTable
{
    QString table;
    QString partition;
    SyncScope scope;
    bool inChangeFeed = true; // order_lines travel inside their order in /v1/changes
};

// Every replicated table in partition order: catalog, stock, prices, accounts, orders.
const std::vector<SyncTable> &syncTables();
// "catalog", "stock", "prices", "accounts", "orders".
const QStringList &syncPartitions();
// The partitions a role may read: kiosks catalog and stock, everyone else all five.
QStringList entitledPartitions(Role role);
// Managers and admins read every account of their tenant.
bool readsWholeTenant(const Caller &caller);

// SQL condition on table alias "t" restricting the rows to the caller's, binds appended.
QString syncScopeSql(const Caller &caller, SyncScope scope, QVariantList &binds);

// Parses "a,b" into known, entitled, de-duplicated partitions (all entitled ones when `text` is
// empty and `present` is false). Errors: request.bad_parameter (400, field = `field`),
// auth.forbidden_role (403).
Result<QStringList> parsePartitionList(const Caller &caller, const QString &text, bool present,
                                       const QString &field);

} // namespace outpost::server
