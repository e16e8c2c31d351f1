// The per-kind row handlers of the import: validate one CSV row, then upsert it.
#include "server/import_engine.h"
#include "server/seed_data.h"

#include "domain/money.h"

#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace outpost::server::importdetail {

namespace {
const QString kCurrencyMismatch = u"import.currency_mismatch"_s;
qint64 lookup(const QHash<QString, qint64> &map, const QString &key)
{
    return map.value(key, 0);
}
} // namespace
Status Importer::row()
{
    switch (m_opt.kind) {
    case ImportKind::Products:
        return productRow();
    case ImportKind::Prices:
        return priceRow();
    case ImportKind::ContractPrices:
        return contractRow();
    case ImportKind::Accounts:
        return accountRow();
    case ImportKind::Stock:
        return stockRow();
    }
    return {};
}

// Runs the upsert unless the row is bad; counts the outcome; reports duplicate keys.
#define UPSERT(upserter, key, values, keyColumn, idPtr)                                                      \
    do {                                                                                                     \
        if (m_rowBad)                                                                                        \
            return {};                                                                                       \
        auto o_ = (upserter).upsert(key, values, writing(), idPtr);                                          \
        if (!o_)                                                                                             \
            return o_.error();                                                                               \
        if (*o_ == Upserter::Outcome::Duplicate) {                                                           \
            bad(keyColumn, u"import.duplicate_key"_s, u"The same key is on an earlier line."_s);             \
            return {};                                                                                       \
        }                                                                                                    \
        outcome = *o_;                                                                                       \
    } while (false)

Status Importer::productRow()
{
    const QString sku = required(u"sku"_s);
    if (trimmed(u"name"_s).isEmpty())
        bad(u"name"_s, u"import.required"_s, u"A value is required."_s);
    const QString currency = trimmed(u"currency"_s);
    if (!currency.isEmpty() && currency != m_currency)
        bad(u"currency"_s, kCurrencyMismatch,
            u"The tenant's prices are in %1, not %2."_s.arg(m_currency, currency));
    const QVariant listPrice = money(u"list_price"_s, m_currency, false);
    QVariant category;
    const QString categoryName = trimmed(u"category"_s);
    const QString uom =
        has(u"unit"_s) && !trimmed(u"unit"_s).isEmpty() ? trimmed(u"unit"_s).toUpper() : u"EA"_s;
    static const QRegularExpression uomPattern(u"^[A-Z0-9]{1,8}$"_s);
    if (!uomPattern.match(uom).hasMatch())
        bad(u"unit"_s, u"import.bad_unit"_s, u"'%1' is not a unit of measure (EA, CS, KG ...)."_s.arg(uom));
    const auto packSize = integer(u"pack_size"_s, 1, 0);
    const auto casePack = integer(u"case_pack"_s, 1, 1);
    const auto moq = integer(u"moq"_s, 1, 1);
    QVariant barcode;
    if (const QString b = trimmed(u"barcode"_s); !b.isEmpty()) {
        static const QRegularExpression digits(u"^[0-9]{8,14}$"_s);
        if (!digits.match(b).hasMatch() || (b.size() == 13 && !seed::isValidEan13(b)))
            bad(u"barcode"_s, u"import.bad_barcode"_s,
                u"'%1' is not a valid barcode (8-14 digits, EAN-13 check digit)."_s.arg(b));
        barcode = b;
    }
    QVariant taxClass;
    if (const QString t = trimmed(u"tax_class"_s); !t.isEmpty()) {
        taxClass = lookup(m_taxClasses, t);
        if (taxClass.toLongLong() == 0)
            bad(u"tax_class"_s, u"import.unknown_tax_class"_s, u"No tax class '%1'."_s.arg(t));
    }
    // active (the peer's column) is the inverse of discontinued; an empty cell is "not given".
    const auto active = boolean(u"active"_s, true);
    auto discontinued = boolean(u"discontinued"_s, false);
    if (active && discontinued && !trimmed(u"active"_s).isEmpty()) {
        if (trimmed(u"discontinued"_s).isEmpty())
            discontinued = !*active;
        else if (*active == *discontinued)
            bad(u"active"_s, u"import.conflicting_values"_s,
                u"active and discontinued contradict each other."_s);
    }
    const auto backorder = boolean(u"backorder_allowed"_s, false);
    if (!packSize || !casePack || !moq || !discontinued || !backorder)
        return {};
    // A new category is created only for a row that is otherwise good.
    if (!categoryName.isEmpty()) {
        if (!m_categories.contains(categoryName) && writing() && !m_rowBad) {
            const QString code = seed::categoryCode(categoryName);
            if (m_categories.contains(code)) {
                m_categories.insert(categoryName, m_categories.value(code));
            } else {
                for (const QVariant &v :
                     {QVariant(m_tenant), QVariant(code), QVariant(categoryName), QVariant(m_seq)})
                    m_insertCategory.addBindValue(v);
                if (!m_insertCategory.exec())
                    return Error::make(ErrorKind::Internal, u"db.error"_s, u"A database error occurred."_s,
                                       m_insertCategory.lastError().text());
                auto id = m_db.exec(u"SELECT id FROM categories WHERE tenant_id = ? AND code = ?"_s,
                                    {m_tenant, code});
                if (!id || !id->next())
                    return id ? Error::make(ErrorKind::Internal, u"db.error"_s, u"Category not created."_s)
                              : id.error();
                m_categories.insert(categoryName, id->value(0).toLongLong());
                m_categories.insert(code, id->value(0).toLongLong());
                ++m_report.categoriesCreated;
            }
        }
        category = m_categories.value(categoryName, -1);
    }
    Upserter::Outcome outcome{};
    UPSERT(*m_main, QVariantList{sku},
           (QVariantList{raw(u"name"_s), raw(u"description"_s), category, barcode, uom,
                         *packSize > 0 ? QString::number(*packSize) : u""_s, *casePack, *moq, taxClass,
                         listPrice, qint64(*discontinued), qint64(*backorder)}),
           u"sku"_s, nullptr);
    count(outcome);
    return {};
}

Status Importer::priceRow()
{
    const QString list = required(u"price_group"_s);
    const QString sku = required(u"sku"_s);
    const qint64 listId = lookup(m_lists, list);
    if (!list.isEmpty() && listId == 0)
        bad(u"price_group"_s, u"import.unknown_price_list"_s, u"No price list '%1'."_s.arg(list));
    const qint64 productId = lookup(m_products, sku);
    if (!sku.isEmpty() && productId == 0)
        bad(u"sku"_s, u"import.unknown_sku"_s, u"No product '%1'."_s.arg(sku));
    const QString listCurrency = m_listCurrency.value(list, m_currency);
    const QString currency = trimmed(u"currency"_s);
    if (!currency.isEmpty() && currency != listCurrency)
        bad(u"currency"_s, kCurrencyMismatch,
            u"Price list %1 is in %2, not %3."_s.arg(list, listCurrency, currency));
    const QVariant price = money(u"price"_s, listCurrency, false);
    const QVariant validFrom = date(u"valid_from"_s);
    const auto minQty = integer(u"min_qty"_s, 1, 1);
    if (!minQty)
        return {};
    Upserter::Outcome outcome{};
    UPSERT(*m_main, (QVariantList{listId, productId, *minQty}), (QVariantList{price, validFrom}), u"sku"_s,
           nullptr);
    count(outcome);
    return {};
}

Status Importer::contractRow()
{
    const QString account = required(u"account_no"_s);
    const QString sku = required(u"sku"_s);
    const qint64 accountId = lookup(m_accounts, account);
    if (!account.isEmpty() && accountId == 0)
        bad(u"account_no"_s, u"import.unknown_account"_s, u"No account '%1'."_s.arg(account));
    const qint64 productId = lookup(m_products, sku);
    if (!sku.isEmpty() && productId == 0)
        bad(u"sku"_s, u"import.unknown_sku"_s, u"No product '%1'."_s.arg(sku));
    const QVariant price = money(u"price"_s, m_currency, false);
    const QVariant from = date(u"valid_from"_s);
    const QVariant to = date(u"valid_to"_s);
    if (!from.isNull() && !to.isNull() && from.toString() > to.toString())
        bad(u"valid_to"_s, u"import.bad_date_range"_s, u"valid_to is before valid_from."_s);
    Upserter::Outcome outcome{};
    UPSERT(*m_main, (QVariantList{accountId, productId}), (QVariantList{price, from, to}), u"account_no"_s,
           nullptr);
    count(outcome);
    return {};
}

Status Importer::accountRow()
{
    const QString code = required(u"account_no"_s);
    if (trimmed(u"name"_s).isEmpty())
        bad(u"name"_s, u"import.required"_s, u"A value is required."_s);
    QString terms = trimmed(u"terms"_s).toUpper();
    static const QRegularExpression termsPattern(u"^(NET[0-9]{1,3}|EOM|COD|PREPAID)$"_s);
    if (terms.isEmpty())
        terms = u"NET30"_s;
    else if (!termsPattern.match(terms).hasMatch())
        bad(u"terms"_s, u"import.bad_terms"_s,
            u"'%1' is not a payment term (NET7, NET30, EOM, COD ...)."_s.arg(terms));
    const QVariant limit = money(u"credit_limit"_s, m_currency, true);
    QVariant list;
    if (const QString g = trimmed(u"price_group"_s); !g.isEmpty()) {
        list = lookup(m_lists, g);
        if (list.toLongLong() == 0)
            bad(u"price_group"_s, u"import.unknown_price_list"_s, u"No price list '%1'."_s.arg(g));
    }
    const QString email = trimmed(u"email"_s);
    if (!email.isEmpty() && !email.contains(u'@'))
        bad(u"email"_s, u"import.bad_email"_s, u"Not an e-mail address."_s);
    qint64 rep = 0;
    if (const QString r = trimmed(u"rep"_s); !r.isEmpty()) {
        rep = lookup(m_reps, r);
        if (rep == 0)
            bad(u"rep"_s, u"import.unknown_rep"_s, u"No active user '%1'."_s.arg(r));
    }
    const auto taxExempt = boolean(u"tax_exempt"_s, false);
    if (!taxExempt)
        return {};
    Upserter::Outcome outcome{};
    qint64 id = 0;
    UPSERT(*m_main, QVariantList{code},
           (QVariantList{raw(u"name"_s), raw(u"city"_s), raw(u"postcode"_s), raw(u"country"_s),
                         raw(u"phone"_s), email, list, terms, limit, qint64(*taxExempt)}),
           u"account_no"_s, &id);
    if (writing() && id != 0) {
        bool changed = false;
        if (m_address) {
            auto a = m_address->upsert(
                QVariantList{id},
                QVariantList{raw(u"line1"_s), raw(u"city"_s), raw(u"postcode"_s), raw(u"country"_s)}, true);
            if (!a)
                return a.error();
            changed = *a != Upserter::Outcome::Unchanged;
        }
        if (rep != 0 && !m_accountReps.contains({id, rep})) {
            for (const QVariant &v : {QVariant(m_tenant), QVariant(id), QVariant(rep), QVariant(m_seq)})
                m_insertRep.addBindValue(v);
            if (!m_insertRep.exec())
                return Error::make(ErrorKind::Internal, u"db.error"_s, u"A database error occurred."_s,
                                   m_insertRep.lastError().text());
            m_accountReps.insert({id, rep});
            changed = true;
        }
        if (changed && outcome == Upserter::Outcome::Unchanged)
            outcome = Upserter::Outcome::Updated;
    }
    count(outcome);
    return {};
}

Status Importer::stockRow()
{
    const QString warehouse = required(u"warehouse"_s);
    const QString sku = required(u"sku"_s);
    const qint64 warehouseId = lookup(m_warehouses, warehouse);
    if (!warehouse.isEmpty() && warehouseId == 0)
        bad(u"warehouse"_s, u"import.unknown_warehouse"_s, u"No warehouse '%1'."_s.arg(warehouse));
    const qint64 productId = lookup(m_products, sku);
    if (!sku.isEmpty() && productId == 0)
        bad(u"sku"_s, u"import.unknown_sku"_s, u"No product '%1'."_s.arg(sku));
    if (trimmed(u"on_hand"_s).isEmpty())
        bad(u"on_hand"_s, u"import.required"_s, u"A value is required."_s);
    const auto onHand = integer(u"on_hand"_s, 0, 0);
    const auto allocated = integer(u"allocated"_s, 0, 0);
    if (!onHand || !allocated)
        return {};
    Upserter::Outcome outcome{};
    UPSERT(*m_main, (QVariantList{warehouseId, productId}), (QVariantList{*onHand, *allocated}), u"sku"_s,
           nullptr);
    count(outcome);
    return {};
}

#undef UPSERT

} // namespace outpost::server::importdetail
