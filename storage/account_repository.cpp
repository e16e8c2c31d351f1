#include "storage/account_repository.h"

#include "storage/conflict_repository.h"
#include "storage/database.h"
#include "storage/outbox_repository.h"
#include "storage/repo_util.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::Literals::StringLiterals;

namespace outpost::storage {

namespace {

constexpr qsizetype kMaxFieldLength = 1000;
constexpr qsizetype kMaxNotesLength = 10000;

#define ACCOUNT_COLUMNS                                                                                      \
    "a.id, a.code, a.name, a.city, a.postcode, a.country, a.phone, a.email, a.price_list_id, "               \
    "a.terms, a.credit_limit_minor, a.open_balance_minor, a.tax_exempt, a.on_hold, "                         \
    "a.default_warehouse_id, a.notes, a.version, a.seq"

AccountRow readAccount(const Statement &st)
{
    AccountRow a;
    a.id = st.int64(0);
    a.code = st.text(1);
    a.name = st.text(2);
    a.city = st.text(3);
    a.postcode = st.text(4);
    a.country = st.text(5);
    a.phone = st.text(6);
    a.email = st.text(7);
    a.priceListId = st.optInt64(8).value_or(0);
    a.terms = st.text(9);
    a.creditLimitMinor = st.optInt64(10);
    a.openBalanceMinor = st.int64(11);
    a.taxExempt = st.boolean(12);
    a.onHold = st.boolean(13);
    a.defaultWarehouseId = st.optInt64(14).value_or(0);
    a.notes = st.text(15);
    a.version = st.int64(16);
    a.seq = st.int64(17);
    return a;
}

Result<QList<AccountRow>> readAccounts(Statement &st)
{
    return detail::collectRows(st, readAccount);
}

ContactRow readContact(const Statement &st)
{
    return {st.int64(0), st.int64(1), st.text(2),  st.text(3),
            st.text(4),  st.text(5),  st.int64(6), st.int64(7)};
}

std::optional<qint64> ref(qint64 id)
{
    return id > 0 ? std::optional<qint64>(id) : std::nullopt;
}

Status requireIds(qint64 id, qint64 accountId, const QString &table, qsizetype i)
{
    if (id <= 0 || accountId <= 0)
        return Error::invalid(u"storage.invalid_id"_s, u"A row needs its id and its account."_s,
                              u"%1[%2].%3"_s.arg(table).arg(i).arg(id <= 0 ? u"id"_s : u"accountId"_s));
    return {};
}

QJsonObject contactJson(const ContactRow &c)
{
    return QJsonObject{{u"id"_s, c.id},          {u"accountId"_s, c.accountId}, {u"name"_s, c.name},
                       {u"role"_s, c.role},      {u"phone"_s, c.phone},         {u"email"_s, c.email},
                       {u"version"_s, c.version}};
}

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

Status checkContactField(const QString &value, const QString &field)
{
    if (value.size() > kMaxFieldLength)
        return Error::invalid(u"storage.invalid_contact"_s, u"That text is too long."_s, field);
    if (field == u"name"_s && value.trimmed().isEmpty())
        return Error::invalid(u"storage.invalid_contact"_s, u"A contact needs a name."_s, field);
    if (field == u"email"_s && !value.isEmpty()) {
        const qsizetype at = value.indexOf(u'@');
        if (at <= 0 || at == value.size() - 1 || value.contains(u' '))
            return Error::invalid(u"storage.invalid_contact"_s, u"That is not an e-mail address."_s, field);
    }
    return {};
}

} // namespace

Status AccountRepository::upsertAccounts(const QList<AccountRow> &rows)
{
    return detail::bulkWrite(
        m_db,
        "INSERT INTO accounts (id, code, name, city, postcode, country, phone, email, price_list_id, "
        "terms, credit_limit_minor, open_balance_minor, tax_exempt, on_hold, default_warehouse_id, "
        "notes, version, seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
        "?15, ?16, ?17, ?18) ON CONFLICT (id) DO UPDATE SET code = excluded.code, "
        "name = excluded.name, city = excluded.city, postcode = excluded.postcode, "
        "country = excluded.country, phone = excluded.phone, email = excluded.email, "
        "price_list_id = excluded.price_list_id, terms = excluded.terms, "
        "credit_limit_minor = excluded.credit_limit_minor, "
        "open_balance_minor = excluded.open_balance_minor, tax_exempt = excluded.tax_exempt, "
        "on_hold = excluded.on_hold, default_warehouse_id = excluded.default_warehouse_id, "
        "notes = excluded.notes, version = excluded.version, seq = excluded.seq",
        rows,
        [](const AccountRow &a, qsizetype i) -> Status {
            if (a.id <= 0)
                return Error::invalid(u"storage.invalid_id"_s, u"Every row needs a positive server id."_s,
                                      u"accounts[%1].id"_s.arg(i));
            if (a.code.trimmed().isEmpty() || a.name.trimmed().isEmpty())
                return Error::invalid(
                    u"storage.missing_field"_s, u"An account needs a code and a name."_s,
                    u"accounts[%1].%2"_s.arg(i).arg(a.code.trimmed().isEmpty() ? u"code"_s : u"name"_s));
            if (a.creditLimitMinor && *a.creditLimitMinor < 0)
                return Error::invalid(u"storage.invalid_price"_s, u"A credit limit cannot be negative."_s,
                                      u"accounts[%1].creditLimitMinor"_s.arg(i));
            return {};
        },
        [](Statement &st, const AccountRow &a) {
            st.bind(1, a.id).bind(2, a.code).bind(3, a.name).bind(4, a.city).bind(5, a.postcode);
            st.bind(6, a.country).bind(7, a.phone).bind(8, a.email).bind(9, ref(a.priceListId));
            st.bind(10, a.terms).bind(11, a.creditLimitMinor).bind(12, a.openBalanceMinor);
            st.bind(13, a.taxExempt).bind(14, a.onHold).bind(15, ref(a.defaultWarehouseId));
            st.bind(16, a.notes).bind(17, a.version).bind(18, a.seq);
        });
}

Status AccountRepository::upsertAddresses(const QList<AddressRow> &rows)
{
    return detail::bulkWrite(
        m_db,
        "INSERT INTO addresses (id, account_id, kind, line1, line2, city, postcode, country, version, "
        "seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (id) DO UPDATE SET "
        "account_id = excluded.account_id, kind = excluded.kind, line1 = excluded.line1, "
        "line2 = excluded.line2, city = excluded.city, postcode = excluded.postcode, "
        "country = excluded.country, version = excluded.version, seq = excluded.seq",
        rows,
        [](const AddressRow &a, qsizetype i) -> Status {
            if (Status s = requireIds(a.id, a.accountId, u"addresses"_s, i); !s)
                return s;
            if (a.kind != u"billing"_s && a.kind != u"shipping"_s)
                return Error::invalid(u"storage.invalid_address_kind"_s,
                                      u"An address is for billing or shipping."_s,
                                      u"addresses[%1].kind"_s.arg(i));
            return {};
        },
        [](Statement &st, const AddressRow &a) {
            st.bind(1, a.id).bind(2, a.accountId).bind(3, a.kind).bind(4, a.line1).bind(5, a.line2);
            st.bind(6, a.city).bind(7, a.postcode).bind(8, a.country).bind(9, a.version).bind(10, a.seq);
        });
}

Status AccountRepository::upsertContacts(const QList<ContactRow> &rows)
{
    return detail::bulkWrite(
        m_db,
        "INSERT INTO contacts (id, account_id, name, role, phone, email, version, seq) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (id) DO UPDATE SET "
        "account_id = excluded.account_id, name = excluded.name, role = excluded.role, "
        "phone = excluded.phone, email = excluded.email, version = excluded.version, seq = excluded.seq",
        rows,
        [](const ContactRow &c, qsizetype i) -> Status {
            if (Status s = requireIds(c.id, c.accountId, u"contacts"_s, i); !s)
                return s;
            if (c.name.trimmed().isEmpty())
                return Error::invalid(u"storage.missing_field"_s, u"A contact needs a name."_s,
                                      u"contacts[%1].name"_s.arg(i));
            return {};
        },
        [](Statement &st, const ContactRow &c) {
            st.bind(1, c.id).bind(2, c.accountId).bind(3, c.name).bind(4, c.role).bind(5, c.phone);
            st.bind(6, c.email).bind(7, c.version).bind(8, c.seq);
        });
}

Status AccountRepository::deleteAccounts(const QList<qint64> &ids)
{
    return detail::deleteIds(m_db, "DELETE FROM accounts WHERE id = ?1", ids);
}

Status AccountRepository::deleteAddresses(const QList<qint64> &ids)
{
    return detail::deleteIds(m_db, "DELETE FROM addresses WHERE id = ?1", ids);
}

Status AccountRepository::deleteContacts(const QList<qint64> &ids)
{
    return detail::deleteIds(m_db, "DELETE FROM contacts WHERE id = ?1", ids);
}

Result<AccountRow> AccountRepository::account(qint64 id)
{
    auto st = m_db.prepare("SELECT " ACCOUNT_COLUMNS " FROM accounts a WHERE a.id = ?1");
    if (!st)
        return st.error();
    st->bind(1, id);
    auto rows = readAccounts(*st);
    if (!rows)
        return rows.error();
    if (rows->isEmpty())
        return detail::accountNotFound(id);
    return rows->first();
}

Result<AccountDetails> AccountRepository::details(qint64 id)
{
    auto tx = Transaction::begin(m_db, Transaction::Mode::Deferred);
    if (!tx)
        return tx.error();
    AccountDetails d;
    auto a = account(id);
    if (!a)
        return a.error();
    d.account = *a;
    {
        auto st = m_db.prepare("SELECT id, account_id, kind, line1, line2, city, postcode, country, "
                               "version, seq FROM addresses WHERE account_id = ?1 ORDER BY kind, id");
        if (!st)
            return st.error();
        st->bind(1, id);
        Status s = detail::forEachRow(*st, [&](const Statement &row) {
            d.addresses.append({row.int64(0), row.int64(1), row.text(2), row.text(3), row.text(4),
                                row.text(5), row.text(6), row.text(7), row.int64(8), row.int64(9)});
        });
        if (!s)
            return s.error();
    }
    {
        auto st = m_db.prepare("SELECT id, account_id, name, role, phone, email, version, seq "
                               "FROM contacts WHERE account_id = ?1 ORDER BY name, id");
        if (!st)
            return st.error();
        st->bind(1, id);
        auto contacts = detail::collectRows(*st, readContact);
        if (!contacts)
            return contacts.error();
        d.contacts = *contacts;
    }
    if (Status s = tx->commit(); !s)
        return s.error();
    return d;
}

Result<ContactRow> AccountRepository::contact(qint64 id)
{
    auto st = m_db.prepare("SELECT id, account_id, name, role, phone, email, version, seq "
                           "FROM contacts WHERE id = ?1");
    if (!st)
        return st.error();
    st->bind(1, id);
    if (Status s = detail::firstRow(*st, detail::notFound(u"storage.contact_not_found"_s,
                                                          u"No such contact on this device."_s,
                                                          u"contact %1"_s.arg(id)));
        !s)
        return s.error();
    return readContact(*st);
}

Result<QList<AccountRow>> AccountRepository::search(const QString &text, int limit, int offset)
{
    if (Status s = detail::checkPage(limit, offset); !s)
        return s.error();
    const QString query = detail::ftsPrefixQuery(text);
    if (query.isEmpty()) {
        auto st = m_db.prepare("SELECT " ACCOUNT_COLUMNS " FROM accounts a ORDER BY a.name, a.id "
                               "LIMIT ?1 OFFSET ?2");
        if (!st)
            return st.error();
        st->bind(1, limit).bind(2, offset);
        return readAccounts(*st);
    }
    auto st = m_db.prepare("SELECT " ACCOUNT_COLUMNS " FROM accounts_fts "
                           "JOIN accounts a ON a.id = accounts_fts.rowid "
                           "WHERE accounts_fts MATCH ?1 ORDER BY accounts_fts.rank, a.name, a.id "
                           "LIMIT ?2 OFFSET ?3");
    if (!st)
        return st.error();
    st->bind(1, query).bind(2, limit).bind(3, offset);
    return readAccounts(*st);
}

Result<QHash<qint64, PriceListRow>> AccountRepository::priceLists()
{
    auto st = m_db.prepare("SELECT id, code, name, currency, seq FROM price_lists");
    if (!st)
        return st.error();
    QHash<qint64, PriceListRow> lists;
    Status s = detail::forEachRow(*st, [&](const Statement &row) {
        lists.insert(row.int64(0), PriceListRow{row.int64(0), row.text(1), row.text(2), row.text(3), row.int64(4)});
    });
    if (!s)
        return s.error();
    return lists;
}

Result<OutboxItem> AccountRepository::editContact(qint64 contactId, const ContactEdit &edit,
                                                  const QDateTime &now)
{
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.error();
    auto current = contact(contactId);
    if (!current)
        return current.error();

    ContactRow updated = *current;
    QJsonObject changes;
    const auto apply = [&](const std::optional<QString> &value, QString &target,
                           const QString &field) -> Status {
        if (!value)
            return {};
        const QString v = field == u"name"_s ? value->trimmed() : *value;
        if (Status s = checkContactField(v, field); !s)
            return s;
        if (v != target) {
            target = v;
            changes.insert(field, v);
        }
        return {};
    };
    for (auto [value, target, field] :
         {std::tuple{&edit.name, &updated.name, u"name"_s}, std::tuple{&edit.role, &updated.role, u"role"_s},
          std::tuple{&edit.phone, &updated.phone, u"phone"_s},
          std::tuple{&edit.email, &updated.email, u"email"_s}}) {
        if (Status s = apply(*value, *target, field); !s)
            return s.error();
    }
    if (changes.isEmpty())
        return Error::invalid(u"storage.nothing_changed"_s, u"Nothing was changed."_s, u"contact"_s);

    auto base = ConflictRepository(m_db).setBaseIfAbsent(u"contacts"_s, QString::number(contactId),
                                                         compact(contactJson(*current)));
    if (!base)
        return base.error();
    auto st = m_db.prepare("UPDATE contacts SET name = ?2, role = ?3, phone = ?4, email = ?5 WHERE id = ?1");
    if (!st)
        return st.error();
    st->bind(1, contactId).bind(2, updated.name).bind(3, updated.role).bind(4, updated.phone);
    st->bind(5, updated.email);
    if (Status s = st->exec(); !s)
        return s.error();

    const QJsonObject payload{{u"contactId"_s, contactId},
                              {u"accountId"_s, current->accountId},
                              {u"baseVersion"_s, current->version},
                              {u"changes"_s, changes}};
    auto item = OutboxRepository(m_db).enqueue(u"contact.update"_s, QString::number(contactId),
                                               compact(payload), now);
    if (!item)
        return item.error();
    if (Status s = tx->commit(); !s)
        return s.error();
    qCInfo(lcStorage) << "contact edited" << contactId << "outbox" << item->id;
    return item;
}

Result<OutboxItem> AccountRepository::editNotes(qint64 accountId, const QString &notes, const QDateTime &now)
{
    if (notes.size() > kMaxNotesLength)
        return Error::invalid(u"storage.invalid_notes"_s, u"The notes are too long."_s, u"notes"_s);
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.error();
    auto current = account(accountId);
    if (!current)
        return current.error();
    if (current->notes == notes)
        return Error::invalid(u"storage.nothing_changed"_s, u"Nothing was changed."_s, u"notes"_s);

    const QJsonObject baseJson{
        {u"id"_s, accountId}, {u"notes"_s, current->notes}, {u"version"_s, current->version}};
    auto base = ConflictRepository(m_db).setBaseIfAbsent(u"accounts"_s, QString::number(accountId),
                                                         compact(baseJson));
    if (!base)
        return base.error();
    auto st = m_db.prepare("UPDATE accounts SET notes = ?2 WHERE id = ?1");
    if (!st)
        return st.error();
    st->bind(1, accountId).bind(2, notes);
    if (Status s = st->exec(); !s)
        return s.error();

    const QJsonObject payload{{u"accountId"_s, accountId},
                              {u"baseVersion"_s, current->version},
                              {u"changes"_s, QJsonObject{{u"notes"_s, notes}}}};
    auto item =
        OutboxRepository(m_db).enqueue(u"account.notes"_s, QString::number(accountId), compact(payload), now);
    if (!item)
        return item.error();
    if (Status s = tx->commit(); !s)
        return s.error();
    qCInfo(lcStorage) << "account notes edited" << accountId << "outbox" << item->id;
    return item;
}

} // namespace outpost::storage
