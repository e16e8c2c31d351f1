// The import engine: header mapping, per-kind setup (caches, upserters) and the transaction.
#include "server/import_engine.h"

#include "domain/money.h"

#include <QDate>
#include <QLoggingCategory>

using namespace Qt::Literals::StringLiterals;

namespace outpost::server {

namespace importdetail {

namespace {
Q_LOGGING_CATEGORY(lcImport, "outpost.server")

Error fileError(const QString &code, const QString &text, qint64 line)
{
    Error e = Error::invalid(code, text);
    e.field = u"line %1"_s.arg(line);
    return e;
}

QList<ColumnSpec> columnsOf(ImportKind kind)
{
    switch (kind) {
    case ImportKind::Products:
        return {{u"sku"_s, {}, true},    {u"name"_s, {}, true},
                {u"description"_s},      {u"category"_s},
                {u"unit"_s, {u"uom"_s}}, {u"pack_size"_s},
                {u"case_pack"_s},        {u"list_price"_s, {}, true},
                {u"currency"_s},         {u"active"_s},
                {u"barcode"_s},          {u"moq"_s},
                {u"tax_class"_s},        {u"discontinued"_s},
                {u"backorder_allowed"_s}};
    case ImportKind::Prices:
        return {{u"price_group"_s, {u"price_list"_s}, true},
                {u"sku"_s, {}, true},
                {u"price"_s, {}, true},
                {u"currency"_s},
                {u"valid_from"_s},
                {u"min_qty"_s}};
    case ImportKind::ContractPrices:
        return {{u"account_no"_s, {u"account"_s}, true},
                {u"sku"_s, {}, true},
                {u"price"_s, {}, true},
                {u"valid_from"_s},
                {u"valid_to"_s}};
    case ImportKind::Accounts:
        return {{u"account_no"_s, {}, true},
                {u"name"_s, {}, true},
                {u"line1"_s},
                {u"city"_s},
                {u"postcode"_s},
                {u"country"_s},
                {u"terms"_s},
                {u"credit_limit"_s},
                {u"price_group"_s},
                {u"rep"_s},
                {u"tax_exempt"_s},
                {u"phone"_s},
                {u"email"_s}};
    case ImportKind::Stock:
        return {{u"warehouse"_s, {}, true}, {u"sku"_s, {}, true}, {u"on_hand"_s, {}, true}, {u"allocated"_s}};
    }
    return {};
}

} // namespace

void Importer::bad(const QString &c, const QString &code, const QString &reason)
{
    if (!m_rowBad) {
        m_rowBad = true;
        ++m_report.badRows;
    }
    if (qsizetype(m_report.errors.size()) < ImportReport::kMaxReportedErrors)
        m_report.errors.push_back({m_opt.fileName, m_line, m_headerName.value(c, c), code, reason});
}

QString Importer::required(const QString &c)
{
    const QString v = trimmed(c);
    if (v.isEmpty())
        bad(c, u"import.required"_s, u"A value is required."_s);
    return v;
}

std::optional<qint64> Importer::integer(const QString &c, qint64 min, qint64 fallback)
{
    const QString v = trimmed(c);
    if (v.isEmpty())
        return fallback;
    bool ok = false;
    const qint64 n = v.toLongLong(&ok);
    if (!ok || n < min) {
        bad(c, u"import.bad_number"_s, u"'%1' is not a whole number of at least %2."_s.arg(v).arg(min));
        return std::nullopt;
    }
    return n;
}

std::optional<bool> Importer::boolean(const QString &c, bool fallback)
{
    const QString v = trimmed(c).toLower();
    if (v.isEmpty())
        return fallback;
    if (v == u"1"_s || v == u"true"_s || v == u"yes"_s || v == u"y"_s)
        return true;
    if (v == u"0"_s || v == u"false"_s || v == u"no"_s || v == u"n"_s)
        return false;
    bad(c, u"import.bad_bool"_s, u"'%1' is not a yes/no value (1/0, true/false, yes/no)."_s.arg(v));
    return std::nullopt;
}

QVariant Importer::money(const QString &c, const QString &currency, bool nullWhenEmpty)
{
    const QString v = trimmed(c);
    if (v.isEmpty() && nullWhenEmpty)
        return QVariant();
    auto m = Money::parse(v, currency);
    if (!m) {
        bad(c, u"import.bad_money"_s, u"'%1' is not an amount in %2 (e.g. 12.34)."_s.arg(v, currency));
        return QVariant();
    }
    if (m->minor < 0) {
        bad(c, u"import.bad_money"_s, u"The amount must not be negative."_s);
        return QVariant();
    }
    return QVariant(m->minor);
}

QVariant Importer::date(const QString &c)
{
    const QString v = trimmed(c);
    if (v.isEmpty())
        return QVariant();
    const QDate d = QDate::fromString(v, Qt::ISODate);
    if (v.size() != 10 || !d.isValid()) {
        bad(c, u"import.bad_date"_s, u"'%1' is not a date (YYYY-MM-DD)."_s.arg(v));
        return QVariant();
    }
    return v;
}

Result<QHash<QString, qint64>> Importer::codes(const QString &table, const QString &column,
                                               const QString &filter)
{
    auto q =
        m_db.exec(u"SELECT %1, id FROM %2 WHERE tenant_id = ? %3"_s.arg(column, table, filter), {m_tenant});
    if (!q)
        return q.error();
    QHash<QString, qint64> map;
    while (q->next())
        map.insert(q->value(0).toString(), q->value(1).toLongLong());
    return map;
}

Status Importer::mapHeader(const QStringList &header)
{
    const QList<ColumnSpec> specs = columnsOf(m_opt.kind);
    QStringList unknown, duplicate, missing, known;
    for (const ColumnSpec &s : specs)
        known += s.aliases.isEmpty() ? s.name : s.name + u"/"_s + s.aliases.join(u'/');
    for (int i = 0; i < header.size(); ++i) {
        const QString h = header[i].trimmed().toLower();
        const ColumnSpec *spec = nullptr;
        for (const ColumnSpec &s : specs) {
            if (s.name == h || s.aliases.contains(h))
                spec = &s;
        }
        if (!spec) {
            unknown += header[i].trimmed();
        } else if (m_index.contains(spec->name)) {
            duplicate += header[i].trimmed();
        } else {
            m_index.insert(spec->name, i);
            m_headerName.insert(spec->name, header[i].trimmed());
        }
    }
    for (const ColumnSpec &s : specs) {
        if (s.required && !m_index.contains(s.name))
            missing += s.name;
    }
    const QString kind = importKindName(m_opt.kind);
    if (!unknown.isEmpty())
        return fileError(u"import.unknown_column"_s,
                         u"Unknown column(s) for %1: %2. Known columns: %3."_s.arg(
                             kind, unknown.join(u", "_s), known.join(u", "_s)),
                         1);
    if (!duplicate.isEmpty())
        return fileError(u"import.duplicate_column"_s,
                         u"Column(s) given more than once: %1."_s.arg(duplicate.join(u", "_s)), 1);
    if (!missing.isEmpty())
        return fileError(u"import.missing_column"_s,
                         u"Missing required column(s) for %1: %2."_s.arg(kind, missing.join(u", "_s)), 1);
    return {};
}

void Importer::count(Upserter::Outcome o)
{
    switch (o) {
    case Upserter::Outcome::Inserted:
        ++m_report.inserted;
        break;
    case Upserter::Outcome::Updated:
        ++m_report.updated;
        break;
    case Upserter::Outcome::Unchanged:
        ++m_report.unchanged;
        break;
    case Upserter::Outcome::Duplicate:
        break;
    }
}

const QString kCurrencyMismatch = u"import.currency_mismatch"_s;

Status Importer::prepareKind(qint64 seq)
{
    m_seq = seq;
    auto load = [&](QHash<QString, qint64> &into, const QString &table, const QString &col,
                    const QString &filter = {}) -> Status {
        auto r = codes(table, col, filter);
        if (!r)
            return r.error();
        into = std::move(*r);
        return {};
    };
    const ImportKind kind = m_opt.kind;
    if (kind != ImportKind::Accounts) {
        if (Status s = load(m_products, u"products"_s, u"sku"_s); !s)
            return s;
    }
    std::vector<bool> present;
    auto has = [this](const QString &c) { return this->has(c); };
    switch (kind) {
    case ImportKind::Products: {
        if (Status s = load(m_taxClasses, u"tax_classes"_s, u"code"_s); !s)
            return s;
        auto q = m_db.exec(u"SELECT name, code, id FROM categories WHERE tenant_id = ?"_s, {m_tenant});
        if (!q)
            return q.error();
        while (q->next()) {
            m_categories.insert(q->value(0).toString(), q->value(2).toLongLong());
            m_categories.insert(q->value(1).toString(), q->value(2).toLongLong());
        }
        m_insertCategory =
            m_db.prepare(u"INSERT INTO categories (tenant_id, code, name, seq) VALUES (?, ?, ?, ?)"_s);
        present = {true,
                   has(u"description"_s),
                   has(u"category"_s),
                   has(u"barcode"_s),
                   has(u"unit"_s),
                   has(u"pack_size"_s),
                   has(u"case_pack"_s),
                   has(u"moq"_s),
                   has(u"tax_class"_s),
                   true,
                   has(u"discontinued"_s) || has(u"active"_s),
                   has(u"backorder_allowed"_s)};
        m_main = std::make_unique<Upserter>(m_db, m_tenant, seq, u"products"_s, QStringList{u"sku"_s},
                                            QList<ValueColumn>{{u"name"_s, Type::Text},
                                                               {u"description"_s, Type::Text},
                                                               {u"category_id"_s, Type::Int},
                                                               {u"barcode"_s, Type::Text},
                                                               {u"uom"_s, Type::Text},
                                                               {u"pack_label"_s, Type::Text},
                                                               {u"case_pack"_s, Type::Int},
                                                               {u"moq"_s, Type::Int},
                                                               {u"tax_class_id"_s, Type::Int},
                                                               {u"list_price_minor"_s, Type::Int},
                                                               {u"discontinued"_s, Type::Int},
                                                               {u"backorder_allowed"_s, Type::Int}},
                                            present);
        break;
    }
    case ImportKind::Prices: {
        auto q = m_db.exec(u"SELECT code, id, currency FROM price_lists WHERE tenant_id = ?"_s, {m_tenant});
        if (!q)
            return q.error();
        while (q->next()) {
            m_lists.insert(q->value(0).toString(), q->value(1).toLongLong());
            m_listCurrency.insert(q->value(0).toString(), q->value(2).toString());
        }
        m_main = std::make_unique<Upserter>(
            m_db, m_tenant, seq, u"price_list_entries"_s,
            QStringList{u"price_list_id"_s, u"product_id"_s, u"min_qty"_s},
            QList<ValueColumn>{{u"unit_price_minor"_s, Type::Int}, {u"valid_from"_s, Type::Text}},
            std::vector<bool>{true, has(u"valid_from"_s)});
        break;
    }
    case ImportKind::ContractPrices:
        if (Status s = load(m_accounts, u"accounts"_s, u"code"_s); !s)
            return s;
        m_main = std::make_unique<Upserter>(
            m_db, m_tenant, seq, u"contract_prices"_s, QStringList{u"account_id"_s, u"product_id"_s},
            QList<ValueColumn>{{u"unit_price_minor"_s, Type::Int},
                               {u"valid_from"_s, Type::Text},
                               {u"valid_to"_s, Type::Text}},
            std::vector<bool>{true, has(u"valid_from"_s), has(u"valid_to"_s)});
        break;
    case ImportKind::Accounts: {
        if (Status s = load(m_lists, u"price_lists"_s, u"code"_s); !s)
            return s;
        if (Status s = load(m_reps, u"users"_s, u"username"_s, u"AND active = 1"_s); !s)
            return s;
        auto q = m_db.exec(u"SELECT account_id, user_id FROM account_reps WHERE tenant_id = ?"_s, {m_tenant});
        if (!q)
            return q.error();
        while (q->next())
            m_accountReps.insert({q->value(0).toLongLong(), q->value(1).toLongLong()});
        m_insertRep = m_db.prepare(
            u"INSERT INTO account_reps (tenant_id, account_id, user_id, seq) VALUES (?, ?, ?, ?)"_s);
        m_main = std::make_unique<Upserter>(
            m_db, m_tenant, seq, u"accounts"_s, QStringList{u"code"_s},
            QList<ValueColumn>{{u"name"_s, Type::Text},
                               {u"city"_s, Type::Text},
                               {u"postcode"_s, Type::Text},
                               {u"country"_s, Type::Text},
                               {u"phone"_s, Type::Text},
                               {u"email"_s, Type::Text},
                               {u"price_list_id"_s, Type::Int},
                               {u"terms"_s, Type::Text},
                               {u"credit_limit_minor"_s, Type::Int},
                               {u"tax_exempt"_s, Type::Int}},
            std::vector<bool>{true, has(u"city"_s), has(u"postcode"_s), has(u"country"_s), has(u"phone"_s),
                              has(u"email"_s), has(u"price_group"_s), has(u"terms"_s), has(u"credit_limit"_s),
                              has(u"tax_exempt"_s)});
        m_main->bumpVersion = true;
        if (has(u"line1"_s) || has(u"city"_s) || has(u"postcode"_s) || has(u"country"_s)) {
            m_address = std::make_unique<Upserter>(
                m_db, m_tenant, seq, u"addresses"_s, QStringList{u"account_id"_s},
                QList<ValueColumn>{{u"line1"_s, Type::Text},
                                   {u"city"_s, Type::Text},
                                   {u"postcode"_s, Type::Text},
                                   {u"country"_s, Type::Text}},
                std::vector<bool>{has(u"line1"_s), has(u"city"_s), has(u"postcode"_s), has(u"country"_s)});
            m_address->loadFilter = u"AND kind = 'billing'"_s;
            m_address->insertExtras = {{u"kind"_s, u"billing"_s}};
            m_address->bumpVersion = true;
            if (Status s = m_address->load(); !s)
                return s;
        }
        break;
    }
    case ImportKind::Stock:
        if (Status s = load(m_warehouses, u"warehouses"_s, u"code"_s); !s)
            return s;
        m_main = std::make_unique<Upserter>(
            m_db, m_tenant, seq, u"stock_levels"_s, QStringList{u"warehouse_id"_s, u"product_id"_s},
            QList<ValueColumn>{{u"on_hand"_s, Type::Int}, {u"allocated"_s, Type::Int}},
            std::vector<bool>{true, has(u"allocated"_s)});
        m_main->writeExtras = {{u"updated_at"_s, m_opt.updatedAt}};
        break;
    }
    return m_main->load();
}

Result<ImportReport> Importer::run(QByteArrayView data)
{
    CsvReader reader(data);
    auto header = reader.header();
    if (!header)
        return header.error();
    if (Status s = mapHeader(*header); !s)
        return s.error();
    auto cur = m_db.exec(u"SELECT currency FROM tenants WHERE id = ?"_s, {m_tenant});
    if (!cur)
        return cur.error();
    if (!cur->next())
        return Error::make(ErrorKind::NotFound, u"tenant.not_found"_s, u"The tenant does not exist."_s);
    m_currency = cur->value(0).toString();
    // Bulk upserts touch index pages all over the file: a larger page cache (SQLite, this
    // connection) keeps them in memory. 64 MiB; the setting is harmless elsewhere.
    if (m_db.dialect() == Database::Dialect::SQLite)
        (void)m_db.exec(u"PRAGMA cache_size = -65536"_s);
    auto seq = m_db.beginTenantWrite(m_tenant);
    if (!seq)
        return seq.error();
    auto fail = [&](const Error &e) -> Result<ImportReport> {
        m_db.rollback();
        return e;
    };
    if (Status s = prepareKind(*seq); !s)
        return fail(s.error());
    const qsizetype columns = header->size();
    for (;;) {
        auto more = reader.next(&m_fields, &m_line);
        if (!more)
            return fail(more.error());
        if (!*more)
            break;
        ++m_report.rowsRead;
        m_rowBad = false;
        if (m_fields.size() != columns) {
            bad(QString(), u"import.field_count"_s,
                u"Expected %1 fields, found %2."_s.arg(columns).arg(m_fields.size()));
        } else if (Status s = row(); !s) {
            return fail(s.error());
        }
        if (m_rowBad && m_opt.skipBadRows)
            ++m_report.skipped;
    }
    if ((m_report.badRows > 0 && !m_opt.skipBadRows) || m_report.changed() == 0) {
        m_db.rollback();
        if (m_report.badRows > 0 && !m_opt.skipBadRows)
            m_report.inserted = m_report.updated = m_report.unchanged = m_report.categoriesCreated = 0;
        auto now = m_db.tenantSeq(m_tenant);
        m_report.seq = now ? *now : 0;
    } else {
        if (Status s = m_db.commit(); !s)
            return s.error();
        m_report.committed = true;
        m_report.seq = *seq;
    }
    qCInfo(lcImport) << "import" << importKindName(m_opt.kind) << "tenant" << m_tenant << "read"
                     << m_report.rowsRead << "inserted" << m_report.inserted << "updated" << m_report.updated
                     << "bad" << m_report.badRows << "committed" << m_report.committed;
    return m_report;
}

} // namespace importdetail

Result<ImportReport> importCsv(Database &db, qint64 tenantId, QByteArrayView data,
                               const ImportOptions &options)
{
    ImportOptions opt = options;
    if (opt.updatedAt.isEmpty())
        opt.updatedAt = isoUtc(QDateTime::currentDateTimeUtc());
    importdetail::Importer importer(db, tenantId, opt);
    return importer.run(data);
}

} // namespace outpost::server
