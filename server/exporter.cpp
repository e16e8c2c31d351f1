// Orders export (exporter.h).
#include "server/exporter.h"

#include "server/database.h"

#include "domain/money.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMap>
#include <QSqlRecord>
#include <QStringList>

#include <vector>

using namespace Qt::Literals::StringLiterals;

namespace outpost::server {

namespace {

Q_LOGGING_CATEGORY(lcExport, "outpost.server")

QString decimal(qint64 minor, const QString &currency)
{
    return Money{minor, currency}.toDecimalString();
}

QByteArray csvCell(const QString &v)
{
    QByteArray s = v.toUtf8();
    if (s.contains(',') || s.contains('"') || s.contains('\n') || s.contains('\r')) {
        s.replace("\"", "\"\"");
        s = '"' + s + '"';
    }
    return s;
}

struct Line
{
    qint64 lineNo = 0;
    QString sku, outcome, priceSource;
    qint64 requestedQty = 0, quantity = 0, backorderedQty = 0, discountBp = 0;
    QVariant quotedUnitPrice;
    qint64 unitPrice = 0, net = 0, tax = 0, total = 0;
};

struct Order
{
    QString id, orderNumber, accountCode, accountName, rep, warehouse, status, holdReasons, currency;
    QString customerRef, note, deviceCreatedAt, receivedAt;
    qint64 orderDiscountBp = 0, gross = 0, discount = 0, tax = 0, total = 0, seq = 0;
    std::vector<Line> lines;
};

} // namespace

std::optional<ExportFormat> exportFormatFromName(const QString &name)
{
    if (name == u"csv"_s)
        return ExportFormat::Csv;
    if (name == u"json"_s)
        return ExportFormat::Json;
    return std::nullopt;
}

Result<QDateTime> parseSince(const QString &text)
{
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(text, Qt::ISODate);
    // A time without a zone is ambiguous: require Z or an offset.
    if (!t.isValid() || t.timeSpec() == Qt::LocalTime)
        return Error::invalid(u"export.bad_since"_s,
                              u"since must be an ISO 8601 UTC time such as 2026-11-23T10:00:00Z."_s,
                              u"since"_s);
    return t.toUTC();
}

QStringList orderExportCsvColumns()
{
    return {u"order_number"_s, u"order_id"_s,
            u"received_at"_s,  u"status"_s,
            u"hold_reasons"_s, u"account_no"_s,
            u"account_name"_s, u"rep"_s,
            u"warehouse"_s,    u"currency"_s,
            u"customer_ref"_s, u"order_discount_bp"_s,
            u"order_gross"_s,  u"order_discount"_s,
            u"order_tax"_s,    u"order_total"_s,
            u"line_no"_s,      u"sku"_s,
            u"line_outcome"_s, u"requested_qty"_s,
            u"quantity"_s,     u"backordered_qty"_s,
            u"unit_price"_s,   u"line_discount_bp"_s,
            u"net"_s,          u"tax"_s,
            u"total"_s,        u"price_source"_s};
}

Result<ExportResult> exportOrders(Database &db, qint64 tenantId, const ExportOptions &options)
{
    const QString since = options.since ? isoUtc(*options.since) : u""_s; // "" sorts before every time
    auto q = db.exec(
        u"SELECT o.id, o.order_number, a.code, a.name, u.username, w.code, o.status, o.hold_reasons, "
        "o.currency, o.customer_ref, o.note, o.device_created_at, o.received_at, o.order_discount_bp, "
        "o.gross_minor, o.discount_minor, o.tax_minor, o.total_minor, o.seq "
        "FROM orders o JOIN accounts a ON a.id = o.account_id JOIN users u ON u.id = o.rep_user_id "
        "LEFT JOIN warehouses w ON w.id = o.warehouse_id "
        "WHERE o.tenant_id = ? AND o.received_at >= ? ORDER BY o.received_at, o.order_number"_s,
        {tenantId, since});
    if (!q)
        return q.error();
    std::vector<Order> orders;
    QHash<QString, std::size_t> byId;
    while (q->next()) {
        Order o;
        int c = 0;
        for (QString *s :
             {&o.id, &o.orderNumber, &o.accountCode, &o.accountName, &o.rep, &o.warehouse, &o.status,
              &o.holdReasons, &o.currency, &o.customerRef, &o.note, &o.deviceCreatedAt, &o.receivedAt})
            *s = q->value(c++).toString();
        for (qint64 *n : {&o.orderDiscountBp, &o.gross, &o.discount, &o.tax, &o.total, &o.seq})
            *n = q->value(c++).toLongLong();
        byId.insert(o.id, orders.size());
        orders.push_back(std::move(o));
    }
    auto lq = db.exec(
        u"SELECT l.order_id, l.line_no, l.sku, l.outcome, l.requested_qty, l.quantity, l.backordered_qty, "
        "l.quoted_unit_price_minor, l.unit_price_minor, l.discount_bp, l.net_minor, l.tax_minor, "
        "l.total_minor, l.price_source FROM order_lines l JOIN orders o ON o.tenant_id = l.tenant_id "
        "AND o.id = l.order_id WHERE l.tenant_id = ? AND o.received_at >= ? ORDER BY l.order_id, l.line_no"_s,
        {tenantId, since});
    if (!lq)
        return lq.error();
    ExportResult result;
    while (lq->next()) {
        const auto it = byId.constFind(lq->value(0).toString());
        if (it == byId.constEnd())
            continue;
        Line l;
        l.lineNo = lq->value(1).toLongLong();
        l.sku = lq->value(2).toString();
        l.outcome = lq->value(3).toString();
        l.requestedQty = lq->value(4).toLongLong();
        l.quantity = lq->value(5).toLongLong();
        l.backorderedQty = lq->value(6).toLongLong();
        l.quotedUnitPrice = lq->value(7);
        l.unitPrice = lq->value(8).toLongLong();
        l.discountBp = lq->value(9).toLongLong();
        l.net = lq->value(10).toLongLong();
        l.tax = lq->value(11).toLongLong();
        l.total = lq->value(12).toLongLong();
        l.priceSource = lq->value(13).toString();
        orders[*it].lines.push_back(std::move(l));
        ++result.lines;
    }
    result.orders = qint64(orders.size());

    if (options.format == ExportFormat::Json) {
        QJsonArray arr;
        for (const Order &o : orders) {
            QJsonArray lines;
            for (const Line &l : o.lines) {
                QJsonObject lo{{u"lineNo"_s, l.lineNo},
                               {u"sku"_s, l.sku},
                               {u"outcome"_s, l.outcome},
                               {u"requestedQty"_s, l.requestedQty},
                               {u"quantity"_s, l.quantity},
                               {u"backorderedQty"_s, l.backorderedQty},
                               {u"unitPriceMinor"_s, l.unitPrice},
                               {u"unitPrice"_s, decimal(l.unitPrice, o.currency)},
                               {u"discountBp"_s, l.discountBp},
                               {u"netMinor"_s, l.net},
                               {u"taxMinor"_s, l.tax},
                               {u"totalMinor"_s, l.total},
                               {u"total"_s, decimal(l.total, o.currency)},
                               {u"priceSource"_s, l.priceSource}};
                if (!l.quotedUnitPrice.isNull())
                    lo.insert(u"quotedUnitPriceMinor"_s, l.quotedUnitPrice.toLongLong());
                lines.append(lo);
            }
            QJsonObject oo{{u"id"_s, o.id},
                           {u"orderNumber"_s, o.orderNumber},
                           {u"accountNo"_s, o.accountCode},
                           {u"accountName"_s, o.accountName},
                           {u"rep"_s, o.rep},
                           {u"status"_s, o.status},
                           {u"currency"_s, o.currency},
                           {u"orderDiscountBp"_s, o.orderDiscountBp},
                           {u"grossMinor"_s, o.gross},
                           {u"discountMinor"_s, o.discount},
                           {u"taxMinor"_s, o.tax},
                           {u"totalMinor"_s, o.total},
                           {u"total"_s, decimal(o.total, o.currency)},
                           {u"customerRef"_s, o.customerRef},
                           {u"note"_s, o.note},
                           {u"receivedAt"_s, o.receivedAt},
                           {u"seq"_s, o.seq},
                           {u"lines"_s, lines}};
            if (!o.warehouse.isEmpty())
                oo.insert(u"warehouse"_s, o.warehouse);
            if (!o.holdReasons.isEmpty())
                oo.insert(u"holdReasons"_s,
                          QJsonArray::fromStringList(o.holdReasons.split(u',', Qt::SkipEmptyParts)));
            if (!o.deviceCreatedAt.isEmpty())
                oo.insert(u"deviceCreatedAt"_s, o.deviceCreatedAt);
            arr.append(oo);
        }
        QJsonObject doc{{u"orders"_s, arr}, {u"count"_s, result.orders}};
        if (options.since)
            doc.insert(u"since"_s, since);
        result.body = QJsonDocument(doc).toJson(QJsonDocument::Indented);
        result.contentType = "application/json";
    } else {
        QByteArray out;
        QByteArrayList header;
        for (const QString &c : orderExportCsvColumns())
            header += c.toUtf8();
        out += header.join(',') + "\r\n";
        for (const Order &o : orders) {
            const QStringList head = {o.orderNumber,
                                      o.id,
                                      o.receivedAt,
                                      o.status,
                                      o.holdReasons,
                                      o.accountCode,
                                      o.accountName,
                                      o.rep,
                                      o.warehouse,
                                      o.currency,
                                      o.customerRef,
                                      QString::number(o.orderDiscountBp),
                                      decimal(o.gross, o.currency),
                                      decimal(o.discount, o.currency),
                                      decimal(o.tax, o.currency),
                                      decimal(o.total, o.currency)};
            auto writeRow = [&](const QStringList &lineCells) {
                QByteArrayList cells;
                for (const QString &c : head + lineCells)
                    cells += csvCell(c);
                out += cells.join(',') + "\r\n";
            };
            if (o.lines.empty())
                writeRow(QStringList(12, QString()));
            for (const Line &l : o.lines) {
                writeRow({QString::number(l.lineNo), l.sku, l.outcome, QString::number(l.requestedQty),
                          QString::number(l.quantity), QString::number(l.backorderedQty),
                          decimal(l.unitPrice, o.currency), QString::number(l.discountBp),
                          decimal(l.net, o.currency), decimal(l.tax, o.currency),
                          decimal(l.total, o.currency), l.priceSource});
            }
        }
        result.body = out;
        result.contentType = "text/csv; charset=utf-8";
    }
    qCInfo(lcExport) << "exported" << result.orders << "orders" << result.lines << "lines for tenant"
                     << tenantId;
    return result;
}

} // namespace outpost::server
