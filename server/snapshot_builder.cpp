// Writes one partition snapshot: every table of the partition, the caller's rows, sorted by key,
// streamed from a forward-only query through SnapshotEncoder into a file.
#include "server/database.h"
#include "server/snapshot.h"

#include "domain/sha256.h"
#include "server/sync_scope.h"
#include "sync/protocol/snapshot_codec.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace outpost::server {

namespace {

Q_LOGGING_CATEGORY(lcSnapshot, "outpost.server")

using protocol::ColumnType;

struct SnapColumn
{
    const char *sql;  // server column
    const char *wire; // snapshot column: the camelCase JSON key of /v1/changes rows
    ColumnType type;
};

struct SnapTable
{
    const char *name;
    const char *orderBy;
    std::vector<SnapColumn> columns;
};

constexpr ColumnType I = ColumnType::Int;
constexpr ColumnType NI = ColumnType::NullableInt;
constexpr ColumnType T = ColumnType::Text;
constexpr ColumnType NT = ColumnType::NullableText;

const std::vector<SnapTable> &snapTables()
{
    static const std::vector<SnapTable> tables{
        {"categories",
         "t.id",
         {{"id", "id", I}, {"code", "code", T}, {"name", "name", T}, {"parent_id", "parentId", NI}, {"seq", "seq", I}}},
        {"tax_classes",
         "t.id",
         {{"id", "id", I}, {"code", "code", T}, {"name", "name", T}, {"rate_bp", "rateBp", I}, {"seq", "seq", I}}},
        {"warehouses", "t.id", {{"id", "id", I}, {"code", "code", T}, {"name", "name", T}, {"seq", "seq", I}}},
        {"products",
         "t.id",
         {{"id", "id", I},
          {"sku", "sku", T},
          {"name", "name", T},
          {"description", "description", T},
          {"category_id", "categoryId", NI},
          {"barcode", "barcode", NT},
          {"uom", "uom", T},
          {"pack_label", "packLabel", T},
          {"case_pack", "casePack", I},
          {"moq", "moq", I},
          {"tax_class_id", "taxClassId", NI},
          {"list_price_minor", "listPriceMinor", I},
          {"discontinued", "discontinued", I},
          {"backorder_allowed", "backorderAllowed", I},
          {"seq", "seq", I}}},
        {"promotions",
         "t.id",
         {{"id", "id", I},
          {"code", "code", T},
          {"name", "name", T},
          {"product_id", "productId", NI},
          {"category_id", "categoryId", NI},
          {"kind", "kind", T},
          {"value", "value", I},
          {"min_qty", "minQty", I},
          {"starts_at", "startsAt", T},
          {"ends_at", "endsAt", T},
          {"seq", "seq", I}}},
        {"stock_levels",
         "t.id",
         {{"id", "id", I},
          {"warehouse_id", "warehouseId", I},
          {"product_id", "productId", I},
          {"on_hand", "onHand", I},
          {"allocated", "allocated", I},
          {"updated_at", "updatedAt", T},
          {"seq", "seq", I}}},
        {"price_lists",
         "t.id",
         {{"id", "id", I}, {"code", "code", T}, {"name", "name", T}, {"currency", "currency", T}, {"seq", "seq", I}}},
        {"price_list_entries",
         "t.id",
         {{"id", "id", I},
          {"price_list_id", "priceListId", I},
          {"product_id", "productId", I},
          {"min_qty", "minQty", I},
          {"unit_price_minor", "unitPriceMinor", I},
          {"valid_from", "validFrom", NT},
          {"seq", "seq", I}}},
        {"contract_prices",
         "t.id",
         {{"id", "id", I},
          {"account_id", "accountId", I},
          {"product_id", "productId", I},
          {"unit_price_minor", "unitPriceMinor", I},
          {"valid_from", "validFrom", NT},
          {"valid_to", "validTo", NT},
          {"seq", "seq", I}}},
        {"accounts",
         "t.id",
         {{"id", "id", I},
          {"code", "code", T},
          {"name", "name", T},
          {"city", "city", T},
          {"postcode", "postcode", T},
          {"country", "country", T},
          {"phone", "phone", T},
          {"email", "email", T},
          {"price_list_id", "priceListId", NI},
          {"terms", "terms", T},
          {"credit_limit_minor", "creditLimitMinor", NI},
          {"open_balance_minor", "openBalanceMinor", I},
          {"tax_exempt", "taxExempt", I},
          {"on_hold", "onHold", I},
          {"default_warehouse_id", "defaultWarehouseId", NI},
          {"notes", "notes", T},
          {"version", "version", I},
          {"seq", "seq", I}}},
        {"addresses",
         "t.id",
         {{"id", "id", I},
          {"account_id", "accountId", I},
          {"kind", "kind", T},
          {"line1", "line1", T},
          {"line2", "line2", T},
          {"city", "city", T},
          {"postcode", "postcode", T},
          {"country", "country", T},
          {"version", "version", I},
          {"seq", "seq", I}}},
        {"contacts",
         "t.id",
         {{"id", "id", I},
          {"account_id", "accountId", I},
          {"name", "name", T},
          {"role", "role", T},
          {"phone", "phone", T},
          {"email", "email", T},
          {"version", "version", I},
          {"seq", "seq", I}}},
        {"account_reps",
         "t.account_id, t.user_id",
         {{"account_id", "accountId", I}, {"user_id", "userId", I}, {"seq", "seq", I}}},
        {"orders",
         "t.id",
         {{"id", "id", T},
          {"order_number", "orderNumber", T},
          {"account_id", "accountId", I},
          {"rep_user_id", "repUserId", I},
          {"device_id", "deviceId", NI},
          {"warehouse_id", "warehouseId", NI},
          {"command_id", "commandId", T},
          {"status", "status", T},
          {"hold_reasons", "holdReasons", T},
          {"currency", "currency", T},
          {"order_discount_bp", "orderDiscountBp", I},
          {"gross_minor", "grossMinor", I},
          {"discount_minor", "discountMinor", I},
          {"tax_minor", "taxMinor", I},
          {"total_minor", "totalMinor", I},
          {"customer_ref", "customerRef", T},
          {"note", "note", T},
          {"device_created_at", "deviceCreatedAt", NT},
          {"received_at", "receivedAt", T},
          {"outcome_json", "outcome", T}, // the outcome object as JSON text
          {"seq", "seq", I}}},
        {"order_lines",
         "t.order_id, t.line_no",
         {{"order_id", "orderId", T},
          {"line_no", "lineNo", I},
          {"product_id", "productId", I},
          {"sku", "sku", T},
          {"outcome", "outcome", T},
          {"requested_qty", "requestedQty", I},
          {"quantity", "quantity", I},
          {"backordered_qty", "backorderedQty", I},
          {"quoted_unit_price_minor", "quotedUnitPriceMinor", NI},
          {"unit_price_minor", "unitPriceMinor", I},
          {"discount_bp", "discountBp", I},
          {"net_minor", "netMinor", I},
          {"tax_minor", "taxMinor", I},
          {"total_minor", "totalMinor", I},
          {"price_source", "priceSource", T},
          {"detail_json", "detail", T}}}, // the line's detail object as JSON text
    };
    return tables;
}

const SnapTable *snapTable(const QString &name)
{
    for (const SnapTable &t : snapTables()) {
        if (name == QLatin1StringView(t.name))
            return &t;
    }
    return nullptr;
}

Error dbFailure(const QString &what, const QSqlQuery &q)
{
    return Error::make(ErrorKind::Internal, u"db.error"_s, u"A database error occurred."_s,
                       what + u": "_s + q.lastError().text());
}

// The file sink: bytes go to the file and the running hash; the first write error sticks.
struct FileSink
{
    QFile file;
    domain::Sha256 hash;
    qint64 bytes = 0;
    bool failed = false;

    void write(QByteArrayView b)
    {
        if (failed)
            return;
        hash.addData(b);
        if (file.write(b.data(), b.size()) != b.size())
            failed = true;
        bytes += b.size();
    }
};

// Streams one table's rows into the encoder; returns the number of rows written.
Result<qint64> streamTable(Database &db, const Caller &caller, const SnapTable &table, SyncScope scope,
                           qint64 expectedRows, protocol::SnapshotEncoder &encoder)
{
    QStringList select;
    QList<protocol::Column> columns;
    for (const SnapColumn &c : table.columns) {
        select << u"t."_s + QLatin1StringView(c.sql);
        columns.append(protocol::Column{QByteArray(c.wire), c.type});
    }
    QVariantList binds{caller.tenantId};
    const QString where = syncScopeSql(caller, scope, binds);
    QSqlQuery q = db.prepare(u"SELECT "_s + select.join(u", "_s) + u" FROM "_s + QLatin1StringView(table.name) +
                             u" t WHERE t.tenant_id = ? AND "_s + where + u" ORDER BY "_s +
                             QLatin1StringView(table.orderBy));
    for (const QVariant &b : binds)
        q.addBindValue(b);
    if (!q.exec())
        return dbFailure(u"snapshot select "_s + QLatin1StringView(table.name), q);

    encoder.beginTable(table.name, columns, expectedRows);
    const int n = int(table.columns.size());
    qint64 rows = 0;
    QByteArray utf8;
    while (q.next()) {
        if (rows == expectedRows) // the count and the rows come from one transaction
            return Error::make(ErrorKind::Internal, u"snapshot.inconsistent"_s,
                               u"The snapshot could not be built."_s, u"more rows than counted"_s);
        for (int i = 0; i < n; ++i) {
            const QVariant v = q.value(i);
            switch (table.columns[size_t(i)].type) {
            case ColumnType::Int:
                encoder.addInt(v.toLongLong());
                break;
            case ColumnType::NullableInt:
                encoder.addNullableInt(v.isNull() ? std::nullopt : std::optional<qint64>(v.toLongLong()));
                break;
            case ColumnType::Text:
                utf8 = v.toString().toUtf8();
                encoder.addText(utf8);
                break;
            case ColumnType::NullableText:
                if (v.isNull()) {
                    encoder.addNullableText(std::nullopt);
                } else {
                    utf8 = v.toString().toUtf8();
                    encoder.addNullableText(QByteArrayView(utf8));
                }
                break;
            }
        }
        ++rows;
    }
    if (rows != expectedRows)
        return Error::make(ErrorKind::Internal, u"snapshot.inconsistent"_s, u"The snapshot could not be built."_s,
                           u"fewer rows than counted"_s);
    return rows;
}

Result<qint64> countRows(Database &db, const Caller &caller, const SnapTable &table, SyncScope scope)
{
    QVariantList binds{caller.tenantId};
    const QString where = syncScopeSql(caller, scope, binds);
    auto q = db.execList(u"SELECT COUNT(*) FROM "_s + QLatin1StringView(table.name) +
                             u" t WHERE t.tenant_id = ? AND "_s + where,
                         binds);
    if (!q)
        return q.error();
    if (!q->next())
        return Error::make(ErrorKind::Internal, u"db.error"_s, u"A database error occurred."_s, u"count"_s);
    return q->value(0).toLongLong();
}

} // namespace

Result<SnapshotBuildStats> buildSnapshotFile(Database &db, const Caller &caller, const QString &partition,
                                             qint64 seq, const QDateTime &createdAt, const QString &path,
                                             QByteArray *sha256Hex)
{
    QElapsedTimer timer;
    timer.start();

    struct Planned
    {
        const SnapTable *table;
        SyncScope scope;
        qint64 rows;
    };
    std::vector<Planned> plan;
    QJsonArray headerTables;
    for (const SyncTable &t : syncTables()) {
        if (t.partition != partition)
            continue;
        const SnapTable *st = snapTable(t.table);
        if (!st)
            return Error::make(ErrorKind::Internal, u"snapshot.unknown_table"_s, u"The snapshot could not be built."_s,
                               t.table);
        auto rows = countRows(db, caller, *st, t.scope);
        if (!rows)
            return rows.error();
        plan.push_back({st, t.scope, *rows});
        headerTables.append(QJsonObject{{u"name"_s, t.table}, {u"rows"_s, *rows}});
    }

    FileSink sink;
    sink.file.setFileName(path);
    if (!sink.file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return Error::make(ErrorKind::Internal, u"snapshot.write_failed"_s, u"The snapshot could not be built."_s,
                           sink.file.errorString());
    SnapshotBuildStats stats;
    {
        protocol::SnapshotEncoder encoder([&sink](QByteArrayView b) { sink.write(b); });
        encoder.writeHeader(QJsonObject{{u"partition"_s, partition},
                                        {u"seq"_s, seq},
                                        {u"tenant"_s, caller.tenantCode},
                                        {u"tables"_s, headerTables},
                                        {u"createdAt"_s, isoUtc(createdAt)}});
        for (const Planned &p : plan) {
            auto rows = streamTable(db, caller, *p.table, p.scope, p.rows, encoder);
            if (!rows)
                return rows.error();
            stats.rows += *rows;
            if (sink.failed)
                break;
        }
        encoder.finish();
        stats.rawBytes = encoder.rawBytes();
    }
    if (sink.failed || !sink.file.flush())
        return Error::make(ErrorKind::Internal, u"snapshot.write_failed"_s, u"The snapshot could not be built."_s,
                           sink.file.errorString());
    sink.file.close();
    stats.wireBytes = sink.bytes;
    stats.elapsedMs = timer.elapsed();
    if (sha256Hex)
        *sha256Hex = sink.hash.result().toHex();
    qCInfo(lcSnapshot) << "snapshot built: tenant" << caller.tenantId << "partition" << partition << "seq" << seq
                       << "rows" << stats.rows << "raw bytes" << stats.rawBytes << "wire bytes" << stats.wireBytes
                       << "ms" << stats.elapsedMs;
    return stats;
}

} // namespace outpost::server
