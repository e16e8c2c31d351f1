// The decision of an order as JSON: decisionJson() builds the QJsonObject (quotes), decisionBody()
// writes the same document straight to compact bytes (stored orders: 1,000 per batch), byte for byte
// what QJsonDocument(decisionJson(...)).toJson(Compact) gives: keys in QJsonObject's sorted order,
// integers as integers, strings escaped as Qt's writer escapes them (tst_batch_intake checks this).
#include "server/database.h"
#include "server/order_intake.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::Literals::StringLiterals;

namespace outpost::server {

namespace {

QJsonArray findingsJson(const std::vector<Finding> &findings)
{
    QJsonArray out;
    for (const Finding &f : findings)
        out.append(QJsonObject{{u"code"_s, f.code},
                               {u"severity"_s, Finding::severityName(f.severity)},
                               {u"message"_s, f.message}});
    return out;
}

QJsonValue optionalInt(const std::optional<qint64> &v)
{
    return v ? QJsonValue(*v) : QJsonValue(QJsonValue::Null);
}

// A JSON writer for exactly the shapes below.
class Writer
{
public:
    explicit Writer(qsizetype reserve) { m_out.reserve(reserve); }
    QByteArray take() { return std::move(m_out); }

    Writer &raw(const char *text)
    {
        m_out += text;
        return *this;
    }
    // ,"key": (no comma before the first key of an object or array)
    Writer &key(const char *name)
    {
        if (m_out.endsWith('{') || m_out.endsWith('['))
            m_out += '"';
        else
            m_out += ",\"";
        m_out += name;
        m_out += "\":";
        return *this;
    }
    Writer &number(qint64 v)
    {
        m_out += QByteArray::number(v);
        return *this;
    }
    Writer &optional(const std::optional<qint64> &v)
    {
        if (v)
            return number(*v);
        m_out += "null";
        return *this;
    }
    // Qt's escaping: \" \\ \b \f \n \r \t, other controls \u00xx, the rest UTF-8, lone
    // surrogates \uxxxx.
    Writer &string(const QString &s)
    {
        static const char hex[] = "0123456789abcdef";
        m_out += '"';
        const char16_t *p = reinterpret_cast<const char16_t *>(s.constData());
        const char16_t *const end = p + s.size();
        while (p != end) {
            const char16_t u = *p++;
            if (u < 0x80) {
                if (u >= 0x20 && u != u'"' && u != u'\\') {
                    m_out += char(u);
                    continue;
                }
                m_out += '\\';
                switch (u) {
                case u'"': m_out += '"'; break;
                case u'\\': m_out += '\\'; break;
                case 0x8: m_out += 'b'; break;
                case 0xc: m_out += 'f'; break;
                case 0xa: m_out += 'n'; break;
                case 0xd: m_out += 'r'; break;
                case 0x9: m_out += 't'; break;
                default:
                    m_out += "u00";
                    m_out += hex[(u >> 4) & 0xf];
                    m_out += hex[u & 0xf];
                }
            } else if (u < 0x800) {
                m_out += char(0xc0 | (u >> 6));
                m_out += char(0x80 | (u & 0x3f));
            } else if (QChar::isHighSurrogate(u) && p != end && QChar::isLowSurrogate(*p)) {
                const char32_t c = QChar::surrogateToUcs4(u, *p++);
                m_out += char(0xf0 | (c >> 18));
                m_out += char(0x80 | ((c >> 12) & 0x3f));
                m_out += char(0x80 | ((c >> 6) & 0x3f));
                m_out += char(0x80 | (c & 0x3f));
            } else if (QChar::isSurrogate(u)) {
                m_out += "\\u";
                for (int shift = 12; shift >= 0; shift -= 4)
                    m_out += hex[(u >> shift) & 0xf];
            } else {
                m_out += char(0xe0 | (u >> 12));
                m_out += char(0x80 | ((u >> 6) & 0x3f));
                m_out += char(0x80 | (u & 0x3f));
            }
        }
        m_out += '"';
        return *this;
    }
    Writer &findings(const std::vector<Finding> &list)
    {
        m_out += '[';
        for (size_t i = 0; i < list.size(); ++i) {
            const Finding &f = list[i];
            if (i > 0)
                m_out += ',';
            m_out += '{';
            key("code").string(f.code).key("message").string(f.message);
            key("severity").string(Finding::severityName(f.severity));
            m_out += '}';
        }
        m_out += ']';
        return *this;
    }

private:
    QByteArray m_out;
};

} // namespace

QJsonObject decisionJson(const OrderRequest &request, const EvaluatedOrder &ev, const QString &orderNumber,
                         const QString &commandId, qint64 seq)
{
    const OrderDecision &d = ev.decision;
    QJsonArray holds;
    for (const QString &h : d.holdReasons)
        holds.append(h);
    QJsonArray lines;
    for (size_t i = 0; i < d.lines.size(); ++i) {
        const LineDecision &l = d.lines[i];
        QJsonArray adjustments;
        for (const Adjustment &adj : l.adjustments)
            adjustments.append(QJsonObject{{u"code"_s, adj.code},
                                           {u"field"_s, adj.field},
                                           {u"old"_s, adj.oldValue},
                                           {u"new"_s, adj.newValue},
                                           {u"message"_s, adj.message}});
        lines.append(QJsonObject{
            {u"lineNo"_s, l.lineNo},
            {u"productId"_s, l.productId},
            {u"sku"_s, ev.context.pricing.products.value(l.productId).sku},
            {u"outcome"_s, outcomeName(l.outcome)},
            {u"requestedQuantity"_s, l.requestedQuantity},
            {u"quantity"_s, l.quantity},
            {u"backorderedQuantity"_s, l.backorderedQuantity},
            {u"quotedUnitPrice"_s, optionalInt(l.quotedUnitPriceMinor)},
            {u"unitPrice"_s, l.priced.unitPriceMinor},
            {u"net"_s, l.priced.netMinor},
            {u"tax"_s, l.priced.taxMinor},
            {u"total"_s, l.priced.totalMinor},
            {u"priceSource"_s, PriceExplanation::sourceName(l.priced.why.source)},
            {u"priceExplanation"_s, l.priced.why.text()},
            {u"adjustments"_s, adjustments},
            {u"findings"_s, findingsJson(l.findings)},
        });
    }
    QJsonObject body{
        {u"outcome"_s, outcomeName(d.outcome)},
        {u"holdReasons"_s, holds},
        {u"receivedAt"_s, isoUtc(ev.receivedAt)},
        {u"currency"_s, d.currency},
        {u"accountId"_s, request.accountId},
        {u"warehouseId"_s, ev.context.warehouseId},
        {u"orderDiscountBp"_s, d.appliedOrderDiscountBp},
        {u"totals"_s, QJsonObject{{u"gross"_s, d.totals.grossMinor},
                                  {u"lineDiscount"_s, d.totals.lineDiscountMinor},
                                  {u"net"_s, d.totals.netMinor},
                                  {u"orderDiscount"_s, d.totals.orderDiscountMinor},
                                  {u"tax"_s, d.totals.taxMinor},
                                  {u"total"_s, d.totals.totalMinor}}},
        {u"findings"_s, findingsJson(d.orderFindings)},
        {u"lines"_s, lines},
    };
    if (!request.id.isEmpty())
        body.insert(u"orderId"_s, request.id);
    if (!orderNumber.isEmpty())
        body.insert(u"orderNumber"_s, orderNumber);
    if (!commandId.isEmpty())
        body.insert(u"commandId"_s, commandId);
    if (seq > 0)
        body.insert(u"seq"_s, seq);
    return body;
}

QByteArray decisionBody(const OrderRequest &request, const EvaluatedOrder &ev, const QString &orderNumber,
                        const QString &commandId, qint64 seq)
{
    const OrderDecision &d = ev.decision;
    Writer w(qsizetype(512 + 400 * d.lines.size()));
    w.raw("{").key("accountId").number(request.accountId);
    if (!commandId.isEmpty())
        w.key("commandId").string(commandId);
    w.key("currency").string(d.currency);
    w.key("findings").findings(d.orderFindings);
    w.key("holdReasons").raw("[");
    for (size_t i = 0; i < d.holdReasons.size(); ++i)
        (i > 0 ? w.raw(",") : w).string(d.holdReasons[i]);
    w.raw("]").key("lines").raw("[");
    for (size_t i = 0; i < d.lines.size(); ++i) {
        const LineDecision &l = d.lines[i];
        w.raw(i > 0 ? ",{" : "{").key("adjustments").raw("[");
        for (size_t k = 0; k < l.adjustments.size(); ++k) {
            const Adjustment &adj = l.adjustments[k];
            w.raw(k > 0 ? ",{" : "{").key("code").string(adj.code).key("field").string(adj.field);
            w.key("message").string(adj.message).key("new").number(adj.newValue).key("old").number(adj.oldValue);
            w.raw("}");
        }
        w.raw("]").key("backorderedQuantity").number(l.backorderedQuantity);
        w.key("findings").findings(l.findings);
        w.key("lineNo").number(l.lineNo).key("net").number(l.priced.netMinor);
        w.key("outcome").string(outcomeName(l.outcome));
        w.key("priceExplanation").string(l.priced.why.text());
        w.key("priceSource").string(PriceExplanation::sourceName(l.priced.why.source));
        w.key("productId").number(l.productId).key("quantity").number(l.quantity);
        w.key("quotedUnitPrice").optional(l.quotedUnitPriceMinor);
        w.key("requestedQuantity").number(l.requestedQuantity);
        w.key("sku").string(ev.context.pricing.products.value(l.productId).sku);
        w.key("tax").number(l.priced.taxMinor).key("total").number(l.priced.totalMinor);
        w.key("unitPrice").number(l.priced.unitPriceMinor).raw("}");
    }
    w.raw("]").key("orderDiscountBp").number(d.appliedOrderDiscountBp);
    if (!request.id.isEmpty())
        w.key("orderId").string(request.id);
    if (!orderNumber.isEmpty())
        w.key("orderNumber").string(orderNumber);
    w.key("outcome").string(outcomeName(d.outcome));
    w.key("receivedAt").string(isoUtc(ev.receivedAt));
    if (seq > 0)
        w.key("seq").number(seq);
    w.key("totals").raw("{").key("gross").number(d.totals.grossMinor);
    w.key("lineDiscount").number(d.totals.lineDiscountMinor).key("net").number(d.totals.netMinor);
    w.key("orderDiscount").number(d.totals.orderDiscountMinor).key("tax").number(d.totals.taxMinor);
    w.key("total").number(d.totals.totalMinor).raw("}");
    w.key("warehouseId").number(ev.context.warehouseId).raw("}");
    return w.take();
}

} // namespace outpost::server
