#include "storage/stock_repository.h"

#include "storage/database.h"
#include "storage/repo_util.h"

using namespace Qt::Literals::StringLiterals;

namespace outpost::storage {

Status StockRepository::upsertLevels(const QList<StockLevelRow> &rows)
{
    return detail::bulkWrite(
        m_db,
        "INSERT INTO stock_levels (id, warehouse_id, product_id, on_hand, allocated, updated_at, seq) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
        "ON CONFLICT (id) DO UPDATE SET warehouse_id = excluded.warehouse_id, "
        "product_id = excluded.product_id, on_hand = excluded.on_hand, "
        "allocated = excluded.allocated, updated_at = excluded.updated_at, seq = excluded.seq",
        rows,
        [](const StockLevelRow &r, qsizetype i) -> Status {
            if (r.id <= 0 || r.warehouseId <= 0 || r.productId <= 0)
                return Error::invalid(u"storage.invalid_id"_s,
                                      u"A stock level needs its id, warehouse and product."_s,
                                      u"stock_levels[%1].id"_s.arg(i));
            if (r.allocated < 0)
                return Error::invalid(u"storage.invalid_quantity"_s, u"Allocated stock cannot be negative."_s,
                                      u"stock_levels[%1].allocated"_s.arg(i));
            if (!r.updatedAt.isValid())
                return Error::invalid(u"storage.invalid_time"_s,
                                      u"A stock level needs the time it was counted."_s,
                                      u"stock_levels[%1].updatedAt"_s.arg(i));
            return {};
        },
        [](Statement &st, const StockLevelRow &r) {
            st.bind(1, r.id).bind(2, r.warehouseId).bind(3, r.productId).bind(4, r.onHand);
            st.bind(5, r.allocated).bind(6, r.updatedAt).bind(7, r.seq);
        });
}

Status StockRepository::deleteLevels(const QList<qint64> &ids)
{
    return detail::deleteIds(m_db, "DELETE FROM stock_levels WHERE id = ?1", ids);
}

Result<QList<WarehouseStock>> StockRepository::levelsForProduct(qint64 productId)
{
    auto st = m_db.prepare("SELECT s.warehouse_id, w.code, w.name, s.on_hand, s.allocated, s.updated_at "
                           "FROM stock_levels s JOIN warehouses w ON w.id = s.warehouse_id "
                           "WHERE s.product_id = ?1 ORDER BY w.code, w.id");
    if (!st)
        return st.error();
    st->bind(1, productId);
    QList<WarehouseStock> levels;
    Status each = detail::forEachRow(*st, [&](const Statement &row) {
        WarehouseStock w;
        w.warehouseId = row.int64(0);
        w.warehouseCode = row.text(1);
        w.warehouseName = row.text(2);
        w.onHand = row.int64(3);
        w.allocated = row.int64(4);
        w.atp = w.onHand > w.allocated ? w.onHand - w.allocated : 0;
        w.asOf = row.dateTime(5);
        levels.append(w);
    });
    if (!each)
        return each.error();
    return levels;
}

Result<QHash<qint64, StockSummary>> StockRepository::summaries(const QList<qint64> &productIds)
{
    auto st = m_db.prepare("SELECT product_id, sum(max(on_hand - allocated, 0)), count(*), min(updated_at) "
                           "FROM stock_levels WHERE product_id IN (SELECT value FROM json_each(?1)) "
                           "GROUP BY product_id");
    if (!st)
        return st.error();
    st->bind(1, detail::idsJson(productIds));
    QHash<qint64, StockSummary> out;
    out.reserve(productIds.size());
    Status each = detail::forEachRow(*st, [&](const Statement &row) {
        StockSummary s;
        s.productId = row.int64(0);
        s.atp = row.int64(1);
        s.warehouses = int(row.int64(2));
        s.oldestAsOf = row.dateTime(3);
        out.insert(s.productId, s);
    });
    if (!each)
        return each.error();
    return out;
}

Result<ValidationContext> StockRepository::validationContext(qint64 warehouseId,
                                                             const QList<qint64> &productIds,
                                                             const QDateTime &now,
                                                             std::optional<std::chrono::seconds> maxAge)
{
    if (warehouseId <= 0)
        return Error::invalid(u"storage.invalid_warehouse"_s, u"Choose the warehouse the order ships from."_s,
                              u"warehouseId"_s);
    if (maxAge && (!now.isValid() || maxAge->count() < 0))
        return Error::invalid(u"storage.invalid_time"_s,
                              u"Judging stock age needs a valid time and a non-negative age."_s, u"now"_s);
    auto st = m_db.prepare("SELECT product_id, on_hand, allocated, updated_at FROM stock_levels "
                           "WHERE warehouse_id = ?1 AND product_id IN (SELECT value FROM json_each(?2))");
    if (!st)
        return st.error();
    st->bind(1, warehouseId).bind(2, detail::idsJson(productIds));
    ValidationContext ctx;
    ctx.checkStock = true;
    Status each = detail::forEachRow(*st, [&](const Statement &row) {
        StockLevel level;
        level.warehouseId = warehouseId;
        level.productId = row.int64(0);
        level.onHand = row.int64(1);
        level.allocated = row.int64(2);
        level.asOf = row.dateTime(3);
        if (maxAge &&
            (!level.asOf.isValid() || level.asOf.secsTo(now) > static_cast<qint64>(maxAge->count())))
            ctx.checkStock = false;
        ctx.stock.insert(level.productId, level);
    });
    if (!each)
        return each.error();
    return ctx;
}

} // namespace outpost::storage
