// Accounts with their addresses and contacts. Sync applies upsert/delete (never writing the
// outbox); local edits of a contact or of the account notes change the row, keep the agreed base
// version in record_base (for the three-way merge), and write the outbox row, all in ONE
// transaction: either everything is there or nothing is.
#pragma once

#include "domain/result.h"
#include "storage/records.h"

#include <QDateTime>
#include <QHash>
#include <QList>

#include <optional>

namespace outpost::storage {

class Database;

struct AccountDetails
{
    AccountRow account;
    QList<AddressRow> addresses;
    QList<ContactRow> contacts;
};

// Fields to change on a contact; unset fields stay as they are.
struct ContactEdit
{
    std::optional<QString> name;
    std::optional<QString> role;
    std::optional<QString> phone;
    std::optional<QString> email;
};

class AccountRepository
{
public:
    explicit AccountRepository(Database &db) : m_db(db) {}

    Status upsertAccounts(const QList<AccountRow> &rows);
    Status upsertAddresses(const QList<AddressRow> &rows);
    Status upsertContacts(const QList<ContactRow> &rows);
    Status deleteAccounts(const QList<qint64> &ids); // cascades to addresses and contacts
    Status deleteAddresses(const QList<qint64> &ids);
    Status deleteContacts(const QList<qint64> &ids);

    Result<AccountRow> account(qint64 id); // "storage.account_not_found"
    Result<AccountDetails> details(qint64 id);
    Result<ContactRow> contact(qint64 id); // "storage.contact_not_found"
    // FTS5 prefix search over name, code, city and contact names; empty text lists by name.
    Result<QList<AccountRow>> search(const QString &text, int limit, int offset = 0);
    // Every price list by id (a small table): the names and currencies account screens show.
    Result<QHash<qint64, PriceListRow>> priceLists();

    // Local edits (outbox kinds "contact.update" and "account.notes"). Returns the outbox item.
    // Errors: not found, "storage.invalid_contact" (empty name, bad e-mail, too long),
    // "storage.nothing_changed".
    Result<OutboxItem> editContact(qint64 contactId, const ContactEdit &edit, const QDateTime &now);
    Result<OutboxItem> editNotes(qint64 accountId, const QString &notes, const QDateTime &now);

private:
    Database &m_db;
};

} // namespace outpost::storage
