// Stock levels per product and warehouse, with the server's count time ("as of"), and the
// ValidationContext for an order shipped from one warehouse.
#pragma once

#include "domain/result.h"
#include "domain/rules.h"
#include "storage/records.h"

#include <QDateTime>
#include <QHash>
#include <QList>

#include <chrono>
#include <optional>

namespace outpost::storage {

class Database;

struct WarehouseStock
{
    qint64 warehouseId = 0;
    QString warehouseCode;
    QString warehouseName;
    qint64 onHand = 0;
    qint64 allocated = 0;
    qint64 atp = 0;
    QDateTime asOf;
};

// All warehouses of one product summed up (catalog rows): available to promise and the oldest
// count time among its levels (the age the row shows).
struct StockSummary
{
    qint64 productId = 0;
    qint64 atp = 0;
    int warehouses = 0;
    QDateTime oldestAsOf;
};

class StockRepository
{
public:
    explicit StockRepository(Database &db) : m_db(db) {}

    Status upsertLevels(const QList<StockLevelRow> &rows);
    Status deleteLevels(const QList<qint64> &ids);

    // Every warehouse's level of one product, by warehouse code.
    Result<QList<WarehouseStock>> levelsForProduct(qint64 productId);
    // One summary per given product that has stock rows (a page of the catalog in one query).
    Result<QHash<qint64, StockSummary>> summaries(const QList<qint64> &productIds);

    // Stock of the given products in one warehouse (products without a row have ATP 0). With
    // maxAge, checkStock is false when any of those levels was counted longer ago than maxAge
    // before `now`: the device then does not judge stock it cannot trust.
    Result<ValidationContext> validationContext(qint64 warehouseId, const QList<qint64> &productIds,
                                                const QDateTime &now = {},
                                                std::optional<std::chrono::seconds> maxAge = std::nullopt);

private:
    Database &m_db;
};

} // namespace outpost::storage
