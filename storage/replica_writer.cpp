#include "storage/replica_writer.h"

#include "storage/database.h"
#include "storage/record_edit_repository.h"
#include "storage/repo_util.h"
#include "storage/schema.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <sqlite3.h>

#include <limits>
#include <string>

using namespace Qt::Literals::StringLiterals;

namespace outpost::storage {

namespace {

const QHash<QString, QStringList> &partitionMap()
{
    static const QHash<QString, QStringList> map{
        {u"catalog"_s, {u"categories"_s, u"tax_classes"_s, u"warehouses"_s, u"products"_s, u"promotions"_s}},
        {u"stock"_s, {u"stock_levels"_s}},
        {u"prices"_s, {u"price_lists"_s, u"price_list_entries"_s, u"contract_prices"_s}},
        {u"accounts"_s, {u"accounts"_s, u"addresses"_s, u"contacts"_s, u"account_reps"_s}},
        {u"orders"_s, {u"orders"_s, u"order_lines"_s}},
    };
    return map;
}

bool isOrderTable(const QString &t)
{
    return t == u"orders"_s || t == u"order_lines"_s;
}

QString camelCase(const QString &snake)
{
    QString out;
    out.reserve(snake.size());
    bool upper = false;
    for (QChar c : snake) {
        if (c == u'_') {
            upper = true;
            continue;
        }
        out.append(upper ? c.toUpper() : c);
        upper = false;
    }
    return out;
}

Error corrupt(const QString &code, const QString &detail)
{
    return Error::make(ErrorKind::Corrupt, code, u"The data from the server could not be applied."_s, detail);
}

QString jsonText(const QJsonValue &v)
{
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    return v.toString();
}

} // namespace

namespace detail {
void bindJsonValue(Statement &st, int index, const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Bool:
        st.bindInt64(index, v.toBool() ? 1 : 0);
        break;
    case QJsonValue::Double:
        st.bindInt64(index, v.toInteger());
        break;
    case QJsonValue::String:
        st.bind(index, v.toString());
        break;
    case QJsonValue::Object:
    case QJsonValue::Array:
        st.bind(index, jsonText(v));
        break;
    default:
        st.bind(index, nullptr);
    }
}
} // namespace detail

namespace {

void bindJson(Statement &st, int index, const QJsonValue &v)
{
    detail::bindJsonValue(st, index, v);
}

} // namespace

const QStringList &syncPartitions()
{
    static const QStringList list{u"catalog"_s, u"stock"_s, u"prices"_s, u"accounts"_s, u"orders"_s};
    return list;
}

QStringList partitionTables(const QString &partition)
{
    return partitionMap().value(partition);
}

QStringList checksumTables(const QString &partition)
{
    QStringList t = partitionTables(partition);
    t.removeAll(u"order_lines"_s);
    return t;
}

QString snakeCase(QStringView camel)
{
    QString out;
    out.reserve(camel.size() + 4);
    for (QChar c : camel) {
        if (c.isUpper()) {
            out.append(u'_');
            out.append(c.toLower());
        } else {
            out.append(c);
        }
    }
    return out;
}

ReplicaWriter::ReplicaWriter(Database &db) : m_db(db) {}

ReplicaWriter::~ReplicaWriter()
{
    sqlite3_finalize(m_insert);
    sqlite3_finalize(m_rangeDelete);
    // A bulk load left without endTable (an error on the way): the caller rolls back, which brings
    // the trigger back; should it commit anyway, the index and the trigger must still be whole.
    if (m_bulkFill) {
        if (Status s = finishBulkFill(); !s)
            qCWarning(lcStorage) << "full-text index after an unfinished bulk load:" << s.error().detail;
    }
}

Status ReplicaWriter::startBulkFill(const QString &serverTable)
{
    const FullTextFill *fill = fullTextFill(serverTable);
    if (!fill)
        return {};
    auto trigger = dropFullTextTrigger(m_db, *fill);
    if (!trigger)
        return trigger.error();
    if (trigger->isEmpty())
        return {}; // no trigger to stand in for: leave the table as it is
    m_bulkTriggerSql = *trigger;
    m_bulkFill = fill;
    return {};
}

Status ReplicaWriter::finishBulkFill()
{
    const FullTextFill *fill = std::exchange(m_bulkFill, nullptr);
    if (!fill)
        return {};
    const QByteArray trigger = std::exchange(m_bulkTriggerSql, {});
    auto exists = m_db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name = ?1");
    if (!exists)
        return exists.error();
    exists->bind(1, QString::fromLatin1(fill->insertTrigger));
    if (auto r = exists->step(); !r)
        return r.error();
    const bool restored = exists->int64(0) != 0;
    exists->reset();
    if (restored)
        return {}; // rolled back meanwhile: the trigger is there and kept the index right
    return fillFullText(m_db, *fill, trigger);
}

Result<const ReplicaWriter::TableInfo *> ReplicaWriter::info(const QString &table)
{
    auto ti = mutableInfo(table);
    if (!ti)
        return ti.error();
    return *ti;
}

Result<ReplicaWriter::TableInfo *> ReplicaWriter::mutableInfo(const QString &table)
{
    if (auto it = m_info.constFind(table); it != m_info.constEnd())
        return it->get();
    bool known = false;
    for (const QStringList &tables : partitionMap())
        known = known || tables.contains(table);
    if (!known)
        return corrupt(u"sync.unknown_table"_s, u"table %1"_s.arg(table));
    auto st = m_db.prepare(("PRAGMA table_info(" + table.toStdString() + ")").c_str());
    if (!st)
        return st.error();
    auto ti = std::make_shared<TableInfo>();
    ti->name = table;
    QList<std::pair<qint64, QString>> pk;
    Status each = detail::forEachRow(*st, [&](const Statement &row) {
        ti->columns << row.text(1);
        ti->keys << camelCase(row.text(1));
        if (row.int64(5) > 0)
            pk.append({row.int64(5), row.text(1)});
    });
    if (!each)
        return each.error();
    std::sort(pk.begin(), pk.end());
    for (const auto &p : pk)
        ti->pkColumns << p.second;
    m_info.insert(table, ti);
    return ti.get();
}

Status ReplicaWriter::stepRaw(sqlite3_stmt *stmt, const char *what)
{
    const int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return m_db.lastError(rc, QString::fromLatin1(what));
    return {};
}

Status ReplicaWriter::bindCell(sqlite3_stmt *stmt, int index, const Cell &cell)
{
    int rc = SQLITE_OK;
    switch (cell.kind) {
    case Cell::Kind::Null:
        rc = sqlite3_bind_null(stmt, index);
        break;
    case Cell::Kind::Int:
        rc = sqlite3_bind_int64(stmt, index, cell.integer);
        break;
    case Cell::Kind::Text:
        rc = sqlite3_bind_text(stmt, index, cell.text.data() ? cell.text.data() : "", int(cell.text.size()),
                               SQLITE_TRANSIENT);
        break;
    }
    if (rc != SQLITE_OK)
        return m_db.lastError(rc, u"bind snapshot cell"_s);
    return {};
}

Status ReplicaWriter::beginTable(const QString &serverTable, const QList<QByteArray> &columns, bool replaceAll)
{
    sqlite3_finalize(m_insert);
    sqlite3_finalize(m_rangeDelete);
    m_insert = m_rangeDelete = nullptr;
    auto ti = info(serverTable);
    if (!ti)
        return ti.error();
    m_current = *ti;
    m_table = serverTable;
    m_wireColumns = columns;
    m_replaceAll = replaceAll;
    m_haveLastKey = false;
    m_keyColumn = -1;
    m_seenKeys.clear();
    m_columnMap.clear();
    m_rowsWritten = 0;
    if (isOrderTable(serverTable))
        return {};

    QStringList used;
    for (qsizetype i = 0; i < columns.size(); ++i) {
        const QString col = snakeCase(QString::fromUtf8(columns[i]));
        if (m_current->columns.contains(col) && !used.contains(col)) {
            used << col;
            m_columnMap << int(used.size());
            if (col == u"id"_s)
                m_keyColumn = int(i);
        } else {
            m_columnMap << 0;
        }
    }
    for (const QString &pk : m_current->pkColumns) {
        if (!used.contains(pk))
            return corrupt(u"sync.snapshot_missing_key"_s, u"table %1 column %2"_s.arg(serverTable, pk));
    }
    auto exists = m_db.prepare(("SELECT EXISTS (SELECT 1 FROM " + serverTable.toStdString() + ")").c_str());
    if (!exists)
        return exists.error();
    auto r = exists->step();
    if (!r)
        return r.error();
    m_tableHadRows = *r && exists->int64(0) != 0;
    exists->reset();
    if (!m_tableHadRows) {
        if (Status s = startBulkFill(serverTable); !s)
            return s;
    }

    QStringList marks, updates;
    for (qsizetype i = 0; i < used.size(); ++i) {
        marks << u"?%1"_s.arg(i + 1);
        if (!m_current->pkColumns.contains(used[i]))
            updates << u"%1 = excluded.%1"_s.arg(used[i]);
    }
    QString sql = u"INSERT INTO %1 (%2) VALUES (%3)"_s.arg(serverTable, used.join(u", "_s), marks.join(u", "_s));
    if (m_tableHadRows) {
        sql += u" ON CONFLICT (%1) DO "_s.arg(m_current->pkColumns.join(u", "_s));
        sql += updates.isEmpty() ? u"NOTHING"_s : u"UPDATE SET "_s + updates.join(u", "_s);
    }
    const QByteArray utf8 = sql.toUtf8();
    int rc = sqlite3_prepare_v2(m_db.handle(), utf8.constData(), int(utf8.size()), &m_insert, nullptr);
    if (rc != SQLITE_OK)
        return m_db.lastError(rc, u"prepare snapshot insert"_s);
    if (m_replaceAll && m_tableHadRows && m_keyColumn >= 0) {
        const QByteArray del = u"DELETE FROM %1 WHERE id > ?1 AND id < ?2"_s.arg(serverTable).toUtf8();
        rc = sqlite3_prepare_v2(m_db.handle(), del.constData(), int(del.size()), &m_rangeDelete, nullptr);
        if (rc != SQLITE_OK)
            return m_db.lastError(rc, u"prepare snapshot range delete"_s);
    }
    return {};
}

Status ReplicaWriter::row(const QList<Cell> &cells)
{
    if (!m_current)
        return Error::make(ErrorKind::Internal, u"sync.no_table"_s, u"Internal error."_s, u"row before table"_s);
    if (cells.size() != m_wireColumns.size())
        return corrupt(u"sync.snapshot_bad_row"_s, u"column count"_s);
    ++m_rowsWritten;
    if (isOrderTable(m_table)) {
        QJsonObject o;
        for (qsizetype i = 0; i < cells.size(); ++i) {
            const Cell &c = cells[i];
            const QString key = QString::fromUtf8(m_wireColumns[i]);
            if (c.kind == Cell::Kind::Int)
                o.insert(key, c.integer);
            else if (c.kind == Cell::Kind::Text)
                o.insert(key, QString::fromUtf8(c.text));
            else
                o.insert(key, QJsonValue::Null);
        }
        if (m_table == u"orders"_s) {
            m_seenKeys.insert(o.value(u"id"_s).toString());
            return upsertOrder(o);
        }
        return upsertOrderLine(o.value(u"orderId"_s).toString(), o);
    }
    if (m_keyColumn >= 0) {
        const qint64 key = cells[m_keyColumn].integer;
        if (m_haveLastKey && key <= m_lastKey)
            return corrupt(u"sync.snapshot_unsorted"_s, u"table %1"_s.arg(m_table));
        if (m_rangeDelete) {
            sqlite3_bind_int64(m_rangeDelete, 1, m_haveLastKey ? m_lastKey : std::numeric_limits<qint64>::min());
            sqlite3_bind_int64(m_rangeDelete, 2, key);
            if (Status s = stepRaw(m_rangeDelete, "snapshot range delete"); !s)
                return s;
        }
        m_lastKey = key;
        m_haveLastKey = true;
    } else if (m_replaceAll) {
        qint64 account = 0, user = 0;
        for (qsizetype i = 0; i < cells.size(); ++i) {
            if (m_wireColumns[i] == "accountId")
                account = cells[i].integer;
            else if (m_wireColumns[i] == "userId")
                user = cells[i].integer;
        }
        m_seenKeys.insert(QString::number(account) + u'a' + QString::number(user) + u'u');
    }
    for (qsizetype i = 0; i < cells.size(); ++i) {
        if (m_columnMap[i] == 0)
            continue;
        if (Status s = bindCell(m_insert, m_columnMap[i], cells[i]); !s)
            return s;
    }
    return stepRaw(m_insert, "snapshot insert");
}

Status ReplicaWriter::endTable()
{
    if (Status s = finishBulkFill(); !s)
        return s;
    const QString table = m_table;
    const bool replace = m_replaceAll && m_tableHadRows;
    m_current = nullptr;
    if (!m_replaceAll)
        return {};
    if (table == u"orders"_s) {
        // Server orders the snapshot no longer carries; local ones (seq NULL) stay.
        QList<QString> gone;
        auto st = m_db.prepare("SELECT id FROM orders WHERE seq IS NOT NULL");
        if (!st)
            return st.error();
        Status each = detail::forEachRow(*st, [&](const Statement &row) {
            if (!m_seenKeys.contains(row.text(0)))
                gone << row.text(0);
        });
        if (!each)
            return each.error();
        st->reset();
        for (const QString &id : gone) {
            if (Status s = deleteRow(table, id); !s)
                return s;
        }
        return {};
    }
    if (!replace || table == u"order_lines"_s)
        return {};
    if (m_keyColumn >= 0) {
        auto del = m_db.prepare(("DELETE FROM " + table.toStdString() + " WHERE id > ?1").c_str());
        if (!del)
            return del.error();
        del->bindInt64(1, m_haveLastKey ? m_lastKey : std::numeric_limits<qint64>::min());
        return del->exec();
    }
    if (table == u"account_reps"_s) {
        QList<std::pair<qint64, qint64>> gone;
        auto st = m_db.prepare("SELECT account_id, user_id FROM account_reps");
        if (!st)
            return st.error();
        Status each = detail::forEachRow(*st, [&](const Statement &row) {
            const QString key = QString::number(row.int64(0)) + u'a' + QString::number(row.int64(1)) + u'u';
            if (!m_seenKeys.contains(key))
                gone.append({row.int64(0), row.int64(1)});
        });
        if (!each)
            return each.error();
        st->reset();
        auto del = m_db.prepare("DELETE FROM account_reps WHERE account_id = ?1 AND user_id = ?2");
        if (!del)
            return del.error();
        for (const auto &[a, u] : gone) {
            del->bindInt64(1, a).bindInt64(2, u);
            if (Status s = del->exec(); !s)
                return s;
        }
    }
    return {};
}

Status ReplicaWriter::upsertJson(const QString &serverTable, const QJsonObject &row)
{
    if (serverTable == u"orders"_s)
        return upsertOrder(row);
    if (serverTable == u"order_lines"_s)
        return upsertOrderLine(row.value(u"orderId"_s).toString(), row);
    auto ti = mutableInfo(serverTable);
    if (!ti)
        return ti.error();
    TableInfo &t = **ti;
    // The row's columns as a bit set (replica tables have far fewer than 64 columns).
    quint64 mask = 0;
    QList<QJsonValue> values;
    for (qsizetype i = 0; i < t.keys.size() && i < 64; ++i) {
        const auto it = row.constFind(t.keys[i]);
        if (it == row.constEnd())
            continue;
        mask |= quint64(1) << i;
        values << *it;
    }
    auto sql = t.upserts.constFind(mask);
    if (sql == t.upserts.constEnd()) {
        QStringList used, marks, updates;
        for (qsizetype i = 0; i < t.columns.size() && i < 64; ++i) {
            if (!(mask & (quint64(1) << i)))
                continue;
            const QString &col = t.columns[i];
            used << col;
            marks << u"?%1"_s.arg(used.size());
            if (!t.pkColumns.contains(col))
                updates << u"%1 = excluded.%1"_s.arg(col);
        }
        for (const QString &pk : std::as_const(t.pkColumns)) {
            if (!used.contains(pk))
                return corrupt(u"sync.row_missing_key"_s, u"table %1 column %2"_s.arg(serverTable, pk));
        }
        QString text = u"INSERT INTO %1 (%2) VALUES (%3) ON CONFLICT (%4) DO "_s.arg(
            serverTable, used.join(u", "_s), marks.join(u", "_s), t.pkColumns.join(u", "_s));
        text += updates.isEmpty() ? u"NOTHING"_s : u"UPDATE SET "_s + updates.join(u", "_s);
        sql = t.upserts.insert(mask, text.toStdString());
    }
    auto st = m_db.prepare(sql->c_str());
    if (!st)
        return st.error();
    for (qsizetype i = 0; i < values.size(); ++i)
        bindJson(*st, int(i + 1), values[i]);
    return st->exec();
}

Status ReplicaWriter::upsertOrder(const QJsonObject &o)
{
    const QString id = o.value(u"id"_s).toString();
    if (id.isEmpty())
        return corrupt(u"sync.row_missing_key"_s, u"order without id"_s);
    const QJsonValue seq = o.value(u"seq"_s);
    if (seq.isDouble()) {
        // The device's own order, already answered at this very seq (the answer to its command
        // carried the same server state): nothing to write.
        auto known = m_db.prepare("SELECT 1 FROM orders WHERE id = ?1 AND seq = ?2");
        if (!known)
            return known.error();
        known->bind(1, id).bindInt64(2, seq.toInteger());
        auto r = known->step();
        if (!r)
            return r.error();
        known->reset();
        if (*r)
            return {};
    }
    auto st = m_db.prepare(
        "INSERT INTO orders (id, account_id, warehouse_id, status, currency, order_discount_bp, customer_ref,"
        " note, created_at, updated_at, submitted_at, command_id, order_number, hold_reasons, gross_minor,"
        " discount_minor, tax_minor, total_minor, outcome_json, decided_at, seq)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?10, ?19)"
        " ON CONFLICT (id) DO UPDATE SET status = excluded.status, order_number = excluded.order_number,"
        " hold_reasons = excluded.hold_reasons, gross_minor = excluded.gross_minor,"
        " discount_minor = excluded.discount_minor, tax_minor = excluded.tax_minor,"
        " total_minor = excluded.total_minor, outcome_json = excluded.outcome_json,"
        " decided_at = excluded.decided_at, seq = excluded.seq, error_code = NULL, error_text = NULL");
    if (!st)
        return st.error();
    const QString received = o.value(u"receivedAt"_s).toString();
    const QString created = o.value(u"deviceCreatedAt"_s).toString();
    QJsonValue outcome = o.value(u"outcome"_s);
    if (outcome.isUndefined() || outcome.isNull())
        outcome = o.value(u"outcomeJson"_s);
    st->bind(1, id).bindInt64(2, o.value(u"accountId"_s).toInteger());
    bindJson(*st, 3, o.value(u"warehouseId"_s));
    st->bind(4, o.value(u"status"_s).toString()).bind(5, o.value(u"currency"_s).toString());
    st->bindInt64(6, o.value(u"orderDiscountBp"_s).toInteger());
    st->bind(7, o.value(u"customerRef"_s).toString()).bind(8, o.value(u"note"_s).toString());
    st->bind(9, created.isEmpty() ? received : created).bind(10, received);
    st->bind(11, o.value(u"commandId"_s).toString()).bind(12, o.value(u"orderNumber"_s).toString());
    st->bind(13, o.value(u"holdReasons"_s).toString());
    st->bindInt64(14, o.value(u"grossMinor"_s).toInteger()).bindInt64(15, o.value(u"discountMinor"_s).toInteger());
    st->bindInt64(16, o.value(u"taxMinor"_s).toInteger()).bindInt64(17, o.value(u"totalMinor"_s).toInteger());
    st->bind(18, jsonText(outcome)).bindInt64(19, o.value(u"seq"_s).toInteger());
    if (Status s = st->exec(); !s)
        return s;
    const QJsonArray lines = o.value(u"lines"_s).toArray();
    for (const QJsonValue &l : lines) {
        if (Status s = upsertOrderLine(id, l.toObject()); !s)
            return s;
    }
    return {};
}

Status ReplicaWriter::upsertOrderLine(const QString &orderId, const QJsonObject &l)
{
    if (orderId.isEmpty())
        return corrupt(u"sync.row_missing_key"_s, u"order line without order"_s);
    auto st = m_db.prepare(
        "INSERT INTO order_lines (order_id, line_no, product_id, sku, quantity, discount_bp,"
        " quoted_unit_price_minor, outcome, accepted_qty, backordered_qty, unit_price_minor, net_minor, tax_minor,"
        " total_minor, price_source, detail_json)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"
        " ON CONFLICT (order_id, line_no) DO UPDATE SET outcome = excluded.outcome,"
        " accepted_qty = excluded.accepted_qty, backordered_qty = excluded.backordered_qty,"
        " unit_price_minor = excluded.unit_price_minor, net_minor = excluded.net_minor,"
        " tax_minor = excluded.tax_minor, total_minor = excluded.total_minor,"
        " price_source = excluded.price_source, detail_json = excluded.detail_json");
    if (!st)
        return st.error();
    QJsonValue detail = l.value(u"detail"_s);
    if (detail.isUndefined() || detail.isNull())
        detail = l.value(u"detailJson"_s);
    st->bind(1, orderId).bindInt64(2, l.value(u"lineNo"_s).toInteger());
    st->bindInt64(3, l.value(u"productId"_s).toInteger()).bind(4, l.value(u"sku"_s).toString());
    st->bindInt64(5, l.value(u"requestedQty"_s).toInteger(l.value(u"quantity"_s).toInteger()));
    st->bindInt64(6, l.value(u"discountBp"_s).toInteger());
    bindJson(*st, 7, l.value(u"quotedUnitPriceMinor"_s));
    st->bind(8, l.value(u"outcome"_s).toString());
    st->bindInt64(9, l.value(u"quantity"_s).toInteger());
    st->bindInt64(10, l.value(u"backorderedQty"_s).toInteger());
    st->bindInt64(11, l.value(u"unitPriceMinor"_s).toInteger());
    st->bindInt64(12, l.value(u"netMinor"_s).toInteger()).bindInt64(13, l.value(u"taxMinor"_s).toInteger());
    st->bindInt64(14, l.value(u"totalMinor"_s).toInteger()).bind(15, l.value(u"priceSource"_s).toString());
    st->bind(16, jsonText(detail));
    return st->exec();
}

Status ReplicaWriter::deleteRow(const QString &serverTable, const QString &id)
{
    if (serverTable == u"orders"_s) {
        auto st = m_db.prepare("DELETE FROM orders WHERE id = ?1");
        if (!st)
            return st.error();
        st->bind(1, id);
        return st->exec();
    }
    auto ti = info(serverTable);
    if (!ti)
        return ti.error();
    if (serverTable == u"account_reps"_s) {
        // entity_id of a territory row: "<accountId>:<userId>" (any non-digit separator).
        QList<qint64> parts;
        QString digits;
        for (QChar c : id + u' ') {
            if (c.isDigit()) {
                digits += c;
            } else if (!digits.isEmpty()) {
                parts << digits.toLongLong();
                digits.clear();
            }
        }
        if (parts.size() != 2)
            return corrupt(u"sync.bad_tombstone"_s, u"account_reps tombstone id"_s);
        auto st = m_db.prepare("DELETE FROM account_reps WHERE account_id = ?1 AND user_id = ?2");
        if (!st)
            return st.error();
        st->bindInt64(1, parts[0]).bindInt64(2, parts[1]);
        return st->exec();
    }
    bool ok = false;
    const qint64 key = id.toLongLong(&ok);
    if (!ok)
        return corrupt(u"sync.bad_tombstone"_s, u"tombstone id of %1"_s.arg(serverTable));
    // A record the rep edited and has not sent yet: its answer will be a conflict, and keep mine
    // needs the rest of the record to create it again.
    if (Status s = RecordEditRepository(m_db).keepRowBeforeDelete(serverTable, key); !s)
        return s;
    auto st = m_db.prepare(("DELETE FROM " + serverTable.toStdString() + " WHERE id = ?1").c_str());
    if (!st)
        return st.error();
    st->bindInt64(1, key);
    return st->exec();
}

} // namespace outpost::storage
