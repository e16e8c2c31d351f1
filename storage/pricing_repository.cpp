#include "storage/pricing_repository.h"

#include "storage/catalog_repository.h"
#include "storage/database.h"
#include "storage/meta_repository.h"
#include "storage/repo_util.h"

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace outpost::storage {

namespace {

std::optional<qint64> ref(qint64 id)
{
    return id > 0 ? std::optional<qint64>(id) : std::nullopt;
}

Status positiveId(qint64 id, const QString &table, qsizetype i, const QString &field = u"id"_s)
{
    if (id <= 0)
        return Error::invalid(u"storage.invalid_id"_s, u"A required reference is missing."_s,
                              u"%1[%2].%3"_s.arg(table).arg(i).arg(field));
    return {};
}

Status nonNegativePrice(qint64 price, const QString &table, qsizetype i)
{
    if (price < 0)
        return Error::invalid(u"storage.invalid_price"_s, u"A price cannot be negative."_s,
                              u"%1[%2].unitPriceMinor"_s.arg(table).arg(i));
    return {};
}

// Three upper-case ASCII letters (ISO 4217 shape); the server vets the code itself.
bool isCurrencyCode(const QString &code)
{
    if (code.size() != 3)
        return false;
    return std::all_of(code.begin(), code.end(),
                       [](QChar c) { return c >= QLatin1Char('A') && c <= QLatin1Char('Z'); });
}

} // namespace

Status PricingRepository::upsertPriceLists(const QList<PriceListRow> &rows)
{
    return detail::bulkWrite(
        m_db,
        "INSERT INTO price_lists (id, code, name, currency, seq) VALUES (?1, ?2, ?3, ?4, ?5) "
        "ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name, "
        "currency = excluded.currency, seq = excluded.seq",
        rows,
        [](const PriceListRow &r, qsizetype i) -> Status {
            if (Status s = positiveId(r.id, u"price_lists"_s, i); !s)
                return s;
            if (!isCurrencyCode(r.currency))
                return Error::invalid(u"storage.invalid_currency"_s,
                                      u"A price list needs a known ISO 4217 currency."_s,
                                      u"price_lists[%1].currency"_s.arg(i));
            return {};
        },
        [](Statement &st, const PriceListRow &r) {
            st.bind(1, r.id).bind(2, r.code).bind(3, r.name).bind(4, r.currency).bind(5, r.seq);
        });
}

Status PricingRepository::upsertPriceListEntries(const QList<PriceListEntryRow> &rows)
{
    return detail::bulkWrite(
        m_db,
        "INSERT INTO price_list_entries (id, price_list_id, product_id, min_qty, unit_price_minor, "
        "valid_from, seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
        "ON CONFLICT (id) DO UPDATE SET price_list_id = excluded.price_list_id, "
        "product_id = excluded.product_id, min_qty = excluded.min_qty, "
        "unit_price_minor = excluded.unit_price_minor, valid_from = excluded.valid_from, "
        "seq = excluded.seq",
        rows,
        [](const PriceListEntryRow &r, qsizetype i) -> Status {
            const QString t = u"price_list_entries"_s;
            if (Status s = positiveId(r.id, t, i); !s)
                return s;
            if (Status s = positiveId(r.priceListId, t, i, u"priceListId"_s); !s)
                return s;
            if (Status s = positiveId(r.productId, t, i, u"productId"_s); !s)
                return s;
            if (r.minQty < 1)
                return Error::invalid(u"storage.invalid_quantity"_s,
                                      u"A quantity break starts at 1 or more."_s,
                                      u"%1[%2].minQty"_s.arg(t).arg(i));
            return nonNegativePrice(r.unitPriceMinor, t, i);
        },
        [](Statement &st, const PriceListEntryRow &r) {
            st.bind(1, r.id).bind(2, r.priceListId).bind(3, r.productId).bind(4, r.minQty);
            st.bind(5, r.unitPriceMinor).bind(6, r.validFrom).bind(7, r.seq);
        });
}

Status PricingRepository::upsertContractPrices(const QList<ContractPriceRow> &rows)
{
    return detail::bulkWrite(
        m_db,
        "INSERT INTO contract_prices (id, account_id, product_id, unit_price_minor, valid_from, "
        "valid_to, seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
        "ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id, "
        "product_id = excluded.product_id, unit_price_minor = excluded.unit_price_minor, "
        "valid_from = excluded.valid_from, valid_to = excluded.valid_to, seq = excluded.seq",
        rows,
        [](const ContractPriceRow &r, qsizetype i) -> Status {
            const QString t = u"contract_prices"_s;
            if (Status s = positiveId(r.id, t, i); !s)
                return s;
            if (Status s = positiveId(r.accountId, t, i, u"accountId"_s); !s)
                return s;
            if (Status s = positiveId(r.productId, t, i, u"productId"_s); !s)
                return s;
            if (r.validFrom && r.validTo && *r.validTo < *r.validFrom)
                return Error::invalid(u"storage.invalid_period"_s,
                                      u"A contract price ends before it starts."_s,
                                      u"%1[%2].validTo"_s.arg(t).arg(i));
            return nonNegativePrice(r.unitPriceMinor, t, i);
        },
        [](Statement &st, const ContractPriceRow &r) {
            st.bind(1, r.id).bind(2, r.accountId).bind(3, r.productId).bind(4, r.unitPriceMinor);
            st.bind(5, r.validFrom).bind(6, r.validTo).bind(7, r.seq);
        });
}

Status PricingRepository::upsertPromotions(const QList<PromotionRow> &rows)
{
    return detail::bulkWrite(
        m_db,
        "INSERT INTO promotions (id, code, name, product_id, category_id, kind, value, min_qty, "
        "starts_at, ends_at, seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
        "ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name, "
        "product_id = excluded.product_id, category_id = excluded.category_id, kind = excluded.kind, "
        "value = excluded.value, min_qty = excluded.min_qty, starts_at = excluded.starts_at, "
        "ends_at = excluded.ends_at, seq = excluded.seq",
        rows,
        [](const PromotionRow &r, qsizetype i) -> Status {
            const QString t = u"promotions"_s;
            if (Status s = positiveId(r.id, t, i); !s)
                return s;
            if ((r.productId > 0) == (r.categoryId > 0))
                return Error::invalid(u"storage.invalid_promotion_target"_s,
                                      u"A promotion applies to one product or one category."_s,
                                      u"%1[%2].productId"_s.arg(t).arg(i));
            if (r.kind != u"percent"_s && r.kind != u"amount"_s)
                return Error::invalid(u"storage.invalid_promotion_kind"_s,
                                      u"A promotion is 'percent' or 'amount'."_s,
                                      u"%1[%2].kind"_s.arg(t).arg(i));
            if (r.value < 0 || (r.kind == u"percent"_s && r.value > 10000))
                return Error::invalid(u"storage.invalid_promotion_value"_s,
                                      u"The promotion value is out of range."_s,
                                      u"%1[%2].value"_s.arg(t).arg(i));
            if (!r.startsAt.isValid() || !r.endsAt.isValid() || r.endsAt <= r.startsAt)
                return Error::invalid(u"storage.invalid_period"_s,
                                      u"A promotion needs a start before its end."_s,
                                      u"%1[%2].endsAt"_s.arg(t).arg(i));
            return {};
        },
        [](Statement &st, const PromotionRow &r) {
            st.bind(1, r.id).bind(2, r.code).bind(3, r.name).bind(4, ref(r.productId));
            st.bind(5, ref(r.categoryId)).bind(6, r.kind).bind(7, r.value).bind(8, r.minQty);
            st.bind(9, r.startsAt).bind(10, r.endsAt).bind(11, r.seq);
        });
}

Status PricingRepository::upsertTaxClasses(const QList<TaxClassRow> &rows)
{
    return CatalogRepository(m_db).upsertTaxClasses(rows);
}

Status PricingRepository::deletePriceLists(const QList<qint64> &ids)
{
    return detail::deleteIds(m_db, "DELETE FROM price_lists WHERE id = ?1", ids);
}

Status PricingRepository::deletePriceListEntries(const QList<qint64> &ids)
{
    return detail::deleteIds(m_db, "DELETE FROM price_list_entries WHERE id = ?1", ids);
}

Status PricingRepository::deleteContractPrices(const QList<qint64> &ids)
{
    return detail::deleteIds(m_db, "DELETE FROM contract_prices WHERE id = ?1", ids);
}

Status PricingRepository::deletePromotions(const QList<qint64> &ids)
{
    return detail::deleteIds(m_db, "DELETE FROM promotions WHERE id = ?1", ids);
}

Status PricingRepository::setTenantCurrency(const QString &isoCode)
{
    if (!isCurrencyCode(isoCode))
        return Error::invalid(u"storage.invalid_currency"_s, u"Unknown ISO 4217 currency."_s, u"currency"_s);
    auto st = m_db.prepare("INSERT INTO replica_meta (key, value) VALUES (?1, ?2) "
                           "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    if (!st)
        return st.error();
    st->bind(1, meta::kCurrency).bind(2, isoCode);
    return st->exec();
}

Result<QString> PricingRepository::tenantCurrency()
{
    auto st = m_db.prepare("SELECT value FROM replica_meta WHERE key = ?1");
    if (!st)
        return st.error();
    st->bind(1, meta::kCurrency);
    auto row = st->step();
    if (!row)
        return row.error();
    return *row ? st->text(0) : QString();
}

Result<PricingContext> PricingRepository::loadPricingContext(qint64 accountId,
                                                             const QList<qint64> &productIds,
                                                             const QDateTime &now, qint64 maxLineBp,
                                                             qint64 maxOrderBp)
{
    if (!now.isValid())
        return Error::invalid(u"storage.invalid_time"_s, u"Pricing needs a valid time."_s, u"now"_s);
    if (maxLineBp < 0 || maxOrderBp < 0 || maxLineBp > 10000 || maxOrderBp > 10000)
        return Error::invalid(u"storage.invalid_allowance"_s,
                              u"A discount allowance must be between 0 and 10000 bp."_s, u"maxLineBp"_s);
    // One read transaction: the context is a consistent snapshot even while a sync applies.
    auto tx = Transaction::begin(m_db, Transaction::Mode::Deferred);
    if (!tx)
        return tx.error();

    PricingContext ctx;
    ctx.now = now.toUTC();
    ctx.maxLineDiscountBp = maxLineBp;
    ctx.maxOrderDiscountBp = maxOrderBp;

    {
        auto st = m_db.prepare(
            "SELECT a.id, a.code, a.name, coalesce(a.price_list_id, 0), a.terms, a.credit_limit_minor, "
            "a.open_balance_minor, a.tax_exempt, a.on_hold, pl.currency "
            "FROM accounts a LEFT JOIN price_lists pl ON pl.id = a.price_list_id WHERE a.id = ?1");
        if (!st)
            return st.error();
        st->bind(1, accountId);
        if (Status s = detail::firstRow(*st, detail::accountNotFound(accountId)); !s)
            return s.error();
        Account &a = ctx.account;
        a.id = st->int64(0);
        a.code = st->text(1);
        a.name = st->text(2);
        a.priceListId = st->int64(3);
        a.terms = st->text(4);
        a.hasCreditLimit = !st->isNull(5);
        a.creditLimitMinor = st->optInt64(5).value_or(0);
        a.openBalanceMinor = st->int64(6);
        a.taxExempt = st->boolean(7);
        a.onHold = st->boolean(8);
        ctx.currency = st->text(9);
    }
    if (ctx.currency.isEmpty()) {
        auto currency = tenantCurrency();
        if (!currency)
            return currency.error();
        ctx.currency = *currency;
    }
    if (ctx.currency.isEmpty())
        return Error::make(ErrorKind::Invalid, u"storage.currency_unknown"_s,
                           u"The currency is not known yet; sync first."_s);

    const QString ids = detail::idsJson(productIds);
    QList<qint64> categoryIds;
    {
        auto st =
            m_db.prepare("SELECT p.id, p.sku, p.name, coalesce(p.category_id, 0), p.uom, p.case_pack, p.moq, "
                         "coalesce(t.code, ''), p.list_price_minor, p.discontinued, p.backorder_allowed "
                         "FROM products p LEFT JOIN tax_classes t ON t.id = p.tax_class_id "
                         "WHERE p.id IN (SELECT value FROM json_each(?1))");
        if (!st)
            return st.error();
        st->bind(1, ids);
        Status each = detail::forEachRow(*st, [&](const Statement &row) {
            Product p;
            p.id = row.int64(0);
            p.sku = row.text(1);
            p.name = row.text(2);
            p.categoryId = row.int64(3);
            p.uom = row.text(4);
            p.casePack = row.int64(5);
            p.moq = row.int64(6);
            p.taxClass = row.text(7);
            p.listPriceMinor = row.int64(8);
            p.discontinued = row.boolean(9);
            p.backorderAllowed = row.boolean(10);
            if (p.categoryId > 0 && !categoryIds.contains(p.categoryId))
                categoryIds.append(p.categoryId);
            ctx.products.insert(p.id, p);
        });
        if (!each)
            return each.error();
    }
    if (ctx.account.priceListId > 0) {
        auto st = m_db.prepare("SELECT product_id, min_qty, unit_price_minor FROM price_list_entries "
                               "WHERE price_list_id = ?1 AND product_id IN (SELECT value FROM json_each(?2)) "
                               "AND (valid_from IS NULL OR valid_from <= ?3) ORDER BY product_id, min_qty");
        if (!st)
            return st.error();
        st->bind(1, ctx.account.priceListId).bind(2, ids).bind(3, ctx.now.date());
        Status each = detail::forEachRow(*st, [&](const Statement &row) {
            ctx.priceListTiers[row.int64(0)].push_back(VolumeTier{row.int64(1), row.int64(2)});
        });
        if (!each)
            return each.error();
    }
    {
        auto st = m_db.prepare(
            "SELECT product_id, unit_price_minor, valid_from, valid_to FROM contract_prices "
            "WHERE account_id = ?1 AND product_id IN (SELECT value FROM json_each(?2)) ORDER BY id");
        if (!st)
            return st.error();
        st->bind(1, accountId).bind(2, ids);
        Status each = detail::forEachRow(*st, [&](const Statement &row) {
            ContractPrice c;
            c.productId = row.int64(0);
            c.unitPriceMinor = row.int64(1);
            c.validFrom = row.date(2);
            c.validTo = row.date(3);
            ctx.contractPrices.insert(c.productId, c);
        });
        if (!each)
            return each.error();
    }
    {
        auto st = m_db.prepare(
            "SELECT id, code, name, coalesce(product_id, 0), coalesce(category_id, 0), kind, value, "
            "min_qty, starts_at, ends_at FROM promotions "
            "WHERE starts_at <= ?1 AND ends_at > ?1 "
            "AND (product_id IN (SELECT value FROM json_each(?2)) "
            "     OR category_id IN (SELECT value FROM json_each(?3))) ORDER BY id");
        if (!st)
            return st.error();
        st->bind(1, ctx.now).bind(2, ids).bind(3, detail::idsJson(categoryIds));
        Status each = detail::forEachRow(*st, [&](const Statement &row) {
            Promotion p;
            p.id = row.int64(0);
            p.code = row.text(1);
            p.name = row.text(2);
            p.productId = row.int64(3);
            p.categoryId = row.int64(4);
            p.kind = row.text(5) == u"amount"_s ? Promotion::Kind::AmountOff : Promotion::Kind::PercentOff;
            p.value = row.int64(6);
            p.minQty = row.int64(7);
            p.startsAt = row.dateTime(8);
            p.endsAt = row.dateTime(9);
            ctx.promotions.push_back(p);
        });
        if (!each)
            return each.error();
    }
    {
        auto st = m_db.prepare("SELECT code, rate_bp FROM tax_classes");
        if (!st)
            return st.error();
        Status each = detail::forEachRow(
            *st, [&](const Statement &row) { ctx.taxRatesBp.insert(row.text(0), row.int64(1)); });
        if (!each)
            return each.error();
    }
    if (Status s = tx->commit(); !s)
        return s.error();
    return ctx;
}

Result<qint64> PricingRepository::priceListEntryCount()
{
    return detail::scalarInt(m_db, "SELECT count(*) FROM price_list_entries");
}

} // namespace outpost::storage
