// Accounts: search-as-you-type over the rep's accounts and the account page (addresses, contacts,
// terms, credit limit, open balance, order history, notes). Contacts and notes are editable
// offline: each edit is one transaction with its outbox row (storage::AccountRepository /
// RecordEditRepository) and syncs like any edit; a conflict shows on the Conflicts screen.
// QML: `Accounts` (singleton of Outpost.App).
#pragma once

#include "app/app_context.h"
#include "app/row_diff_model.h"
#include "storage/records.h"

#include <QObject>
#include <QQmlEngine>

namespace outpost::app {

// Search results, fetched incrementally (pages of 50 via canFetchMore/fetchMore). Roles:
// accountId, code, name, city, postcode, phone, terms, onHold, creditText ("2,000.00 GBP" or
// "No limit"), balanceText, overLimit (bool: open balance above the limit).
class AccountListModel : public RowDiffModel
{
    Q_OBJECT
    QML_ANONYMOUS
    Q_PROPERTY(QString query READ query WRITE setQuery NOTIFY queryChanged)
public:
    enum Role {
        AccountIdRole = Qt::UserRole + 1, CodeRole, NameRole, CityRole, PostcodeRole, PhoneRole, TermsRole,
        OnHoldRole, CreditTextRole, BalanceTextRole, OverLimitRole
    };
    explicit AccountListModel(AppContext &app, QObject *parent = nullptr);

    QString query() const { return m_query; }
    void setQuery(const QString &query); // re-queries at once (FTS: a keystroke costs ~1 ms)

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    void refresh(); // re-reads the loaded range and diffs (after a sync)
    Q_INVOKABLE qint64 accountIdAt(int row) const;
    void setPageSize(int rows); // tests and the bench: re-reads the first page of this size

Q_SIGNALS:
    void queryChanged();

private:
    void reload(int limit); // the first `limit` matches, diffed against what is shown
    void loadCurrencies();
    QString currencyOf(const storage::AccountRow &a) const;

    AppContext &m_app;
    QString m_query;
    QList<storage::AccountRow> m_rows;
    bool m_atEnd = false;
    int m_pageSize = 50;
    bool m_updating = false; // inside replaceRows: a view's fetchMore waits
    QHash<qint64, QString> m_currencies; // price list id -> currency
    QString m_tenantCurrency;
};

// Roles: contactId, name, role, phone, email (ContactListModel); addressId, kind, line1, line2,
// city, postcode, country, text (one line) (AddressListModel).
class ContactListModel;
class AddressListModel;

class AccountsController : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(Accounts)
    QML_SINGLETON
    OUTPOST_QML_SINGLETON(AccountsController, accounts)

    Q_PROPERTY(AccountListModel *results READ results CONSTANT)

    // The open account page (0 = none). Setting it loads everything below.
    Q_PROPERTY(qint64 currentId READ currentId WRITE setCurrentId NOTIFY currentChanged)
    Q_PROPERTY(QString code READ code NOTIFY currentChanged)
    Q_PROPERTY(QString name READ name NOTIFY currentChanged)
    Q_PROPERTY(QString city READ city NOTIFY currentChanged)
    Q_PROPERTY(QString phone READ phone NOTIFY currentChanged)
    Q_PROPERTY(QString email READ email NOTIFY currentChanged)
    Q_PROPERTY(QString terms READ terms NOTIFY currentChanged)          // "NET30"
    Q_PROPERTY(QString termsText READ termsText NOTIFY currentChanged)  // "Net 30 days"
    Q_PROPERTY(QString creditLimitText READ creditLimitText NOTIFY currentChanged)
    Q_PROPERTY(QString openBalanceText READ openBalanceText NOTIFY currentChanged)
    Q_PROPERTY(QString availableCreditText READ availableCreditText NOTIFY currentChanged)
    Q_PROPERTY(bool overLimit READ overLimit NOTIFY currentChanged)
    Q_PROPERTY(bool onHold READ onHold NOTIFY currentChanged)
    Q_PROPERTY(bool taxExempt READ taxExempt NOTIFY currentChanged)
    Q_PROPERTY(QString priceListName READ priceListName NOTIFY currentChanged)
    Q_PROPERTY(QString notes READ notes NOTIFY currentChanged)
    Q_PROPERTY(bool notesPending READ notesPending NOTIFY currentChanged) // an unsent edit
    Q_PROPERTY(QAbstractItemModel *contacts READ contacts CONSTANT)
    Q_PROPERTY(QAbstractItemModel *addresses READ addresses CONSTANT)
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorChanged)
    Q_PROPERTY(QString errorCode READ errorCode NOTIFY errorChanged) // "contact.invalid_email" ...
    Q_PROPERTY(QString currency READ currency NOTIFY currentChanged)

public:
    explicit AccountsController(AppContext &app, QObject *parent = nullptr);

    AccountListModel *results() const { return m_results; }
    qint64 currentId() const { return m_current.id; }
    void setCurrentId(qint64 id);
    QString code() const { return m_current.code; }
    QString name() const { return m_current.name; }
    QString city() const { return m_current.city; }
    QString phone() const { return m_current.phone; }
    QString email() const { return m_current.email; }
    QString terms() const { return m_current.terms; }
    QString termsText() const;
    QString creditLimitText() const;
    QString openBalanceText() const;
    QString availableCreditText() const;
    bool overLimit() const;
    bool onHold() const { return m_current.onHold; }
    bool taxExempt() const { return m_current.taxExempt; }
    QString priceListName() const { return m_priceListName; }
    QString notes() const { return m_current.notes; }
    bool notesPending() const { return m_notesPending; }
    QAbstractItemModel *contacts() const;
    QAbstractItemModel *addresses() const;
    QString errorText() const { return m_errorText; }
    QString errorCode() const { return m_errorCode; }
    QString currency() const { return m_currency; }

    // Offline edits. fields: name, role, phone, email. False + errorText on bad input
    // (e.g. "contact.invalid_email") with nothing changed.
    Q_INVOKABLE bool editContact(qint64 contactId, const QVariantMap &fields);
    Q_INVOKABLE bool saveNotes(const QString &notes);
    Q_INVOKABLE QVariantMap contactAt(int row) const;

    void refresh(); // after replicaChanged

Q_SIGNALS:
    void currentChanged();
    void errorChanged();

private:
    bool load(qint64 id); // m_current and the lists; false (+ errorText) when the account is missing
    bool fail(const QString &code, const QString &text);
    void setError(const QString &text);

    AppContext &m_app;
    AccountListModel *m_results = nullptr;
    ContactListModel *m_contacts = nullptr;
    AddressListModel *m_addresses = nullptr;
    storage::AccountRow m_current;
    QString m_priceListName;
    bool m_notesPending = false;
    QString m_errorText;
    QString m_errorCode;
    QString m_currency;
};

} // namespace outpost::app
