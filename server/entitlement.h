// Territory changes in the change feed: which accounts joined or left a rep's territory in a page
// window (since, upto], the rows a joined account brings whatever their seq, and whether the
// device must download the prices partition again (a price list it did not have, or no longer needs).
//
// account_reps rows carry the seq of the write that added them; removing one leaves a tombstone
// with entity "account_reps", entity_id "<account id>:<user id>" and account_id set
// (accountRepTombstoneId). Every writer that removes territory rows must leave that tombstone.
#pragma once

#include "domain/result.h"
#include "server/http.h"

#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace outpost::server {

class Database;

QString accountRepTombstoneId(qint64 accountId, qint64 userId);

struct EntitlementChanges
{
    QList<qint64> joined;  // accounts added to the caller's territory in the window
    QList<qint64> left;    // accounts removed from it in the window (and not back by upto)
    bool resnapshotPrices = false;
};

// Reps only (managers, admins and kiosks have no territory: empty). Runs in the feed's read transaction.
Result<EntitlementChanges> entitlementChanges(Database &db, const Caller &caller, qint64 since, qint64 upto);

// Adds to `tables` the rows of joined accounts with seq <= since (newer ones are in the page
// already): accounts, addresses, contacts when "accounts" is served, contract_prices when "prices" is.
Status appendJoinedRows(Database &db, const Caller &caller, const QList<qint64> &joined, qint64 since,
                        const QStringList &partitions, QJsonObject &tables);

} // namespace outpost::server
