#include "tests/support/golden.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <limits>

namespace outpost::test {

using namespace Qt::Literals::StringLiterals;

namespace {

// Reads typed values out of JSON, remembering the first problem with its JSON path.
class Reader
{
public:
    std::optional<Error> error;

    bool fail(const QString &path, const QString &why)
    {
        if (!error)
            error = Error{ErrorKind::Invalid, u"golden.invalid"_s, why, path + u": "_s + why, path};
        return false;
    }

    qint64 integer(const QJsonObject &o, const QString &key, const QString &path,
                   std::optional<qint64> fallback = std::nullopt)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined() || v.isNull()) {
            if (!fallback)
                fail(path + u'.' + key, u"required integer is missing"_s);
            return fallback.value_or(0);
        }
        constexpr qint64 bad = std::numeric_limits<qint64>::min();
        const qint64 i = v.isDouble() ? v.toInteger(bad) : bad;
        if (i == bad)
            fail(path + u'.' + key, u"must be an integer (money is in minor units)"_s);
        return i == bad ? 0 : i;
    }

    QString string(const QJsonObject &o, const QString &key, const QString &path,
                   std::optional<QString> fallback = std::nullopt)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined() || v.isNull()) {
            if (!fallback)
                fail(path + u'.' + key, u"required string is missing"_s);
            return fallback.value_or(QString());
        }
        if (!v.isString())
            fail(path + u'.' + key, u"must be a string"_s);
        return v.toString();
    }

    bool boolean(const QJsonObject &o, const QString &key, const QString &path, bool fallback)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined() || v.isNull())
            return fallback;
        if (!v.isBool())
            fail(path + u'.' + key, u"must be true or false"_s);
        return v.toBool();
    }

    QDateTime dateTime(const QJsonObject &o, const QString &key, const QString &path, bool required)
    {
        const QString text =
            string(o, key, path, required ? std::nullopt : std::optional<QString>(QString()));
        if (text.isEmpty())
            return {};
        QDateTime dt = QDateTime::fromString(text, Qt::ISODate);
        if (!dt.isValid() || dt.timeSpec() == Qt::LocalTime)
            fail(path + u'.' + key, u"must be an ISO 8601 UTC time like 2024-05-15T10:00:00Z"_s);
        return dt.toUTC();
    }

    std::optional<QDate> date(const QJsonObject &o, const QString &key, const QString &path)
    {
        const QString text = string(o, key, path, QString());
        if (text.isEmpty())
            return std::nullopt;
        const QDate d = QDate::fromString(text, Qt::ISODate);
        if (!d.isValid())
            fail(path + u'.' + key, u"must be a date like 2024-05-15"_s);
        return d;
    }

    QJsonArray array(const QJsonObject &o, const QString &key, const QString &path, bool required)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined() || v.isNull()) {
            if (required)
                fail(path + u'.' + key, u"required array is missing"_s);
            return {};
        }
        if (!v.isArray())
            fail(path + u'.' + key, u"must be an array"_s);
        return v.toArray();
    }

    QJsonObject object(const QJsonObject &o, const QString &key, const QString &path, bool required)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined() || v.isNull()) {
            if (required)
                fail(path + u'.' + key, u"required object is missing"_s);
            return {};
        }
        if (!v.isObject())
            fail(path + u'.' + key, u"must be an object"_s);
        return v.toObject();
    }

    QJsonObject element(const QJsonArray &a, qsizetype i, const QString &path)
    {
        const QString p = u"%1[%2]"_s.arg(path).arg(i);
        if (!a.at(i).isObject())
            fail(p, u"must be an object"_s);
        return a.at(i).toObject();
    }

    void requireKeys(const QJsonObject &o, const QStringList &keys, const QString &path)
    {
        for (const QString &k : keys) {
            if (!o.contains(k))
                fail(path + u'.' + k, u"required key is missing"_s);
        }
    }
};

Account readAccount(Reader &r, const QJsonObject &o, const QString &p)
{
    Account a;
    a.id = r.integer(o, u"id"_s, p);
    a.code = r.string(o, u"code"_s, p, QString());
    a.name = r.string(o, u"name"_s, p, QString());
    a.priceListId = r.integer(o, u"priceListId"_s, p, 0);
    a.terms = r.string(o, u"terms"_s, p, u"NET30"_s);
    a.creditLimitMinor = r.integer(o, u"creditLimit"_s, p, 0);
    a.hasCreditLimit = r.boolean(o, u"hasCreditLimit"_s, p, o.contains(u"creditLimit"_s));
    a.openBalanceMinor = r.integer(o, u"openBalance"_s, p, 0);
    a.taxExempt = r.boolean(o, u"taxExempt"_s, p, false);
    a.onHold = r.boolean(o, u"onHold"_s, p, false);
    return a;
}

Product readProduct(Reader &r, const QJsonObject &o, const QString &p)
{
    Product x;
    x.id = r.integer(o, u"id"_s, p);
    x.sku = r.string(o, u"sku"_s, p);
    x.name = r.string(o, u"name"_s, p, x.sku);
    x.categoryId = r.integer(o, u"categoryId"_s, p, 0);
    x.uom = r.string(o, u"uom"_s, p, u"EA"_s);
    x.casePack = r.integer(o, u"casePack"_s, p, 1);
    x.moq = r.integer(o, u"moq"_s, p, 1);
    x.taxClass = r.string(o, u"taxClass"_s, p, QString());
    x.listPriceMinor = r.integer(o, u"listPrice"_s, p);
    x.discontinued = r.boolean(o, u"discontinued"_s, p, false);
    x.backorderAllowed = r.boolean(o, u"backorderAllowed"_s, p, false);
    if (x.casePack < 1)
        r.fail(p + u".casePack"_s, u"must be at least 1"_s);
    return x;
}

Promotion readPromotion(Reader &r, const QJsonObject &o, const QString &p)
{
    Promotion x;
    x.id = r.integer(o, u"id"_s, p);
    x.code = r.string(o, u"code"_s, p);
    x.name = r.string(o, u"name"_s, p, x.code);
    x.productId = r.integer(o, u"productId"_s, p, 0);
    x.categoryId = r.integer(o, u"categoryId"_s, p, 0);
    const QString kind = r.string(o, u"kind"_s, p);
    if (kind == u"percent"_s)
        x.kind = Promotion::Kind::PercentOff;
    else if (kind == u"amount"_s)
        x.kind = Promotion::Kind::AmountOff;
    else
        r.fail(p + u".kind"_s, u"must be \"percent\" or \"amount\""_s);
    x.value = r.integer(o, u"value"_s, p);
    x.minQty = r.integer(o, u"minQty"_s, p, 1);
    x.startsAt = r.dateTime(o, u"startsAt"_s, p, false);
    x.endsAt = r.dateTime(o, u"endsAt"_s, p, false);
    if ((x.productId == 0) == (x.categoryId == 0))
        r.fail(p, u"exactly one of productId and categoryId must be set"_s);
    return x;
}

StockLevel readStock(Reader &r, const QJsonObject &o, const QString &p)
{
    StockLevel s;
    s.warehouseId = r.integer(o, u"warehouseId"_s, p);
    s.productId = r.integer(o, u"productId"_s, p);
    s.onHand = r.integer(o, u"onHand"_s, p);
    s.allocated = r.integer(o, u"allocated"_s, p, 0);
    s.asOf = r.dateTime(o, u"asOf"_s, p, false);
    return s;
}

void readTiers(Reader &r, const QJsonObject &ctx, const QString &p, PricingContext &out)
{
    const QJsonValue v = ctx.value(u"priceListTiers"_s);
    const QString path = p + u".priceListTiers"_s;
    auto readTier = [&](const QJsonObject &t, const QString &tp) {
        return VolumeTier{r.integer(t, u"minQty"_s, tp), r.integer(t, u"unitPrice"_s, tp)};
    };
    if (v.isUndefined() || v.isNull())
        return;
    if (v.isObject()) {
        const QJsonObject byProduct = v.toObject();
        for (auto it = byProduct.begin(); it != byProduct.end(); ++it) {
            bool ok = false;
            const qint64 productId = it.key().toLongLong(&ok);
            const QString kp = path + u'.' + it.key();
            if (!ok || !it.value().isArray()) {
                r.fail(kp, u"keys must be product ids and values arrays of tiers"_s);
                continue;
            }
            const QJsonArray tiers = it.value().toArray();
            for (qsizetype i = 0; i < tiers.size(); ++i)
                out.priceListTiers[productId].push_back(
                    readTier(r.element(tiers, i, kp), u"%1[%2]"_s.arg(kp).arg(i)));
        }
    } else if (v.isArray()) {
        const QJsonArray rows = v.toArray();
        for (qsizetype i = 0; i < rows.size(); ++i) {
            const QString rp = u"%1[%2]"_s.arg(path).arg(i);
            const QJsonObject row = r.element(rows, i, path);
            out.priceListTiers[r.integer(row, u"productId"_s, rp)].push_back(readTier(row, rp));
        }
    } else {
        r.fail(path, u"must be an object by product id or an array"_s);
    }
}

void checkExpectedShape(Reader &r, const QJsonObject &e, const QString &p)
{
    const QJsonArray lines = r.array(e, u"lines"_s, p, true);
    for (qsizetype i = 0; i < lines.size(); ++i) {
        r.requireKeys(r.element(lines, i, p + u".lines"_s),
                      {u"lineNo"_s, u"baseUnitPrice"_s, u"unitPrice"_s, u"gross"_s, u"lineDiscount"_s,
                       u"net"_s, u"orderDiscount"_s, u"tax"_s, u"total"_s, u"source"_s},
                      u"%1.lines[%2]"_s.arg(p).arg(i));
    }
    r.requireKeys(r.object(e, u"totals"_s, p, true),
                  {u"gross"_s, u"lineDiscount"_s, u"net"_s, u"orderDiscount"_s, u"tax"_s, u"total"_s},
                  p + u".totals"_s);
    const QJsonArray findings = r.array(e, u"findings"_s, p, true);
    for (qsizetype i = 0; i < findings.size(); ++i) {
        r.requireKeys(r.element(findings, i, p + u".findings"_s), {u"code"_s, u"severity"_s, u"lineNo"_s},
                      u"%1.findings[%2]"_s.arg(p).arg(i));
    }
    const QJsonObject decision = r.object(e, u"decision"_s, p, true);
    const QString dp = p + u".decision"_s;
    r.requireKeys(decision, {u"outcome"_s, u"holdReasons"_s, u"lines"_s}, dp);
    const QJsonArray dlines = r.array(decision, u"lines"_s, dp, true);
    for (qsizetype i = 0; i < dlines.size(); ++i) {
        r.requireKeys(r.element(dlines, i, dp + u".lines"_s),
                      {u"lineNo"_s, u"outcome"_s, u"quantity"_s, u"backorderedQuantity"_s, u"adjustments"_s},
                      u"%1.lines[%2]"_s.arg(dp).arg(i));
    }
}

GoldenCase readCase(Reader &r, const QJsonObject &o, const QString &p)
{
    GoldenCase c;
    c.source = o;
    c.name = r.string(o, u"name"_s, p);
    c.note = r.string(o, u"note"_s, p, QString());

    const QString cp = p + u".context"_s;
    const QJsonObject ctx = r.object(o, u"context"_s, p, true);
    PricingContext &pc = c.pricing;
    pc.currency = r.string(ctx, u"currency"_s, cp);
    if (!pc.currency.isEmpty() && currencyExponent(pc.currency) < 0)
        r.fail(cp + u".currency"_s, u"unknown ISO 4217 currency"_s);
    pc.now = r.dateTime(ctx, u"now"_s, cp, true);
    pc.account = readAccount(r, r.object(ctx, u"account"_s, cp, true), cp + u".account"_s);

    const QJsonArray products = r.array(ctx, u"products"_s, cp, true);
    for (qsizetype i = 0; i < products.size(); ++i) {
        const QString ip = u"%1.products[%2]"_s.arg(cp).arg(i);
        Product product = readProduct(r, r.element(products, i, cp + u".products"_s), ip);
        if (pc.products.contains(product.id))
            r.fail(ip + u".id"_s, u"duplicate product id"_s);
        pc.products.insert(product.id, product);
    }
    readTiers(r, ctx, cp, pc);

    const QJsonArray contracts = r.array(ctx, u"contractPrices"_s, cp, false);
    for (qsizetype i = 0; i < contracts.size(); ++i) {
        const QString ip = u"%1.contractPrices[%2]"_s.arg(cp).arg(i);
        const QJsonObject co = r.element(contracts, i, cp + u".contractPrices"_s);
        ContractPrice cpr;
        cpr.productId = r.integer(co, u"productId"_s, ip);
        cpr.unitPriceMinor = r.integer(co, u"unitPrice"_s, ip);
        cpr.validFrom = r.date(co, u"validFrom"_s, ip);
        cpr.validTo = r.date(co, u"validTo"_s, ip);
        pc.contractPrices.insert(cpr.productId, cpr);
    }
    const QJsonArray promotions = r.array(ctx, u"promotions"_s, cp, false);
    for (qsizetype i = 0; i < promotions.size(); ++i) {
        pc.promotions.push_back(readPromotion(r, r.element(promotions, i, cp + u".promotions"_s),
                                              u"%1.promotions[%2]"_s.arg(cp).arg(i)));
    }
    const QJsonObject rates = r.object(ctx, u"taxRatesBp"_s, cp, false);
    for (auto it = rates.begin(); it != rates.end(); ++it)
        pc.taxRatesBp.insert(it.key(), r.integer(rates, it.key(), cp + u".taxRatesBp"_s));
    pc.maxLineDiscountBp = r.integer(ctx, u"maxLineDiscountBp"_s, cp, 0);
    pc.maxOrderDiscountBp = r.integer(ctx, u"maxOrderDiscountBp"_s, cp, 0);

    const QString op = p + u".order"_s;
    const QJsonObject order = r.object(o, u"order"_s, p, true);
    c.order.accountId = r.integer(order, u"accountId"_s, op, pc.account.id);
    c.order.warehouseId = r.integer(order, u"warehouseId"_s, op);
    c.order.orderDiscountBp = r.integer(order, u"orderDiscountBp"_s, op, 0);
    const QJsonArray lines = r.array(order, u"lines"_s, op, true);
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString lp = u"%1.lines[%2]"_s.arg(op).arg(i);
        const QJsonObject lo = r.element(lines, i, op + u".lines"_s);
        SubmittedLine s;
        s.line.lineNo = int(r.integer(lo, u"lineNo"_s, lp));
        s.line.productId = r.integer(lo, u"productId"_s, lp);
        s.line.quantity = r.integer(lo, u"quantity"_s, lp);
        s.line.discountBp = r.integer(lo, u"discountBp"_s, lp, 0);
        if (lo.contains(u"quotedUnitPrice"_s))
            s.quotedUnitPriceMinor = r.integer(lo, u"quotedUnitPrice"_s, lp);
        c.order.lines.push_back(s.line);
        c.submitted.push_back(s);
    }

    const QJsonArray stock = r.array(ctx, u"stock"_s, cp, false);
    for (qsizetype i = 0; i < stock.size(); ++i) {
        StockLevel s = readStock(r, r.element(stock, i, cp + u".stock"_s), u"%1.stock[%2]"_s.arg(cp).arg(i));
        c.allStock.push_back(s);
        if (s.warehouseId == c.order.warehouseId)
            c.validation.stock.insert(s.productId, s);
    }
    c.validation.checkStock = r.boolean(ctx, u"checkStock"_s, cp, true);

    c.expected = r.object(o, u"expected"_s, p, true);
    checkExpectedShape(r, c.expected, p + u".expected"_s);
    return c;
}

} // namespace

Result<std::vector<GoldenCase>> loadGoldenCases(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::make(ErrorKind::NotFound, u"golden.unreadable"_s, u"Cannot open the golden file."_s,
                           path);
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        return Error{ErrorKind::Invalid, u"golden.invalid"_s, u"The golden file is not a JSON object."_s,
                     u"%1 at offset %2"_s.arg(parseError.errorString()).arg(parseError.offset), path};
    }
    Reader r;
    const QJsonObject root = doc.object();
    const QJsonArray cases = r.array(root, u"cases"_s, u"$"_s, true);
    std::vector<GoldenCase> out;
    QSet<QString> names;
    for (qsizetype i = 0; i < cases.size() && !r.error; ++i) {
        const QString p = u"cases[%1]"_s.arg(i);
        GoldenCase c = readCase(r, r.element(cases, i, u"cases"_s), p);
        if (names.contains(c.name))
            r.fail(p + u".name"_s, u"duplicate case name"_s);
        names.insert(c.name);
        out.push_back(std::move(c));
    }
    if (r.error)
        return *r.error;
    if (out.empty())
        return Error::invalid(u"golden.invalid"_s, u"The golden file has no cases."_s, u"cases"_s);
    return out;
}

QString goldenPricedOrdersPath()
{
    return QStringLiteral(OUTPOST_SOURCE_DIR "/tests/golden/priced_orders.json");
}

} // namespace outpost::test
