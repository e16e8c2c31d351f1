#include "app/accounts_controller.h"

#include "app/account_models.h"
#include "app/format.h"
#include "app/orders_controller.h"
#include "storage/account_repository.h"
#include "storage/database.h"
#include "storage/pricing_repository.h"
#include "storage/record_edit_repository.h"

#include <QJsonObject>
#include <QLoggingCategory>
#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcApp)

namespace outpost::app {

namespace {

constexpr qsizetype kMaxContactField = 200;
constexpr qsizetype kMaxNotes = 10000;

bool isEmail(const QString &text)
{
    static const QRegularExpression re(u"^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$"_s);
    return re.match(text).hasMatch();
}

bool isPhone(const QString &text)
{
    static const QRegularExpression re(u"^\\+?[0-9 ()./-]{3,40}$"_s);
    return re.match(text).hasMatch() && text.count(QRegularExpression(u"[0-9]"_s)) >= 3;
}

} // namespace

AccountsController::AccountsController(AppContext &app, QObject *parent)
    : QObject(parent), m_app(app), m_results(new AccountListModel(app, this)),
      m_contacts(new ContactListModel(this)), m_addresses(new AddressListModel(this))
{
}

QAbstractItemModel *AccountsController::contacts() const
{
    return m_contacts;
}

QAbstractItemModel *AccountsController::addresses() const
{
    return m_addresses;
}

void AccountsController::setCurrentId(qint64 id)
{
    if (id < 0)
        id = 0;
    const bool changed = id != m_current.id;
    if (!changed && id != 0)
        return;
    setError({});
    if (!load(id) && id != 0) {
        // Unknown account: show nothing rather than the previous one.
        load(0);
    }
    if (m_app.orders())
        m_app.orders()->setHistoryAccount(m_current.id);
    Q_EMIT currentChanged();
}

bool AccountsController::load(qint64 id)
{
    if (id == 0) {
        m_current = {};
        m_priceListName.clear();
        m_currency.clear();
        m_notesPending = false;
        m_contacts->setRows({});
        m_addresses->setRows({});
        return true;
    }
    auto details = storage::AccountRepository(m_app.db()).details(id);
    if (!details) {
        qCWarning(lcApp) << "account load failed" << id << details.error().code;
        setError(details.error().code == u"storage.account_not_found"_s
                     ? tr("This account is not on this device.")
                     : details.error().userText);
        return false;
    }
    m_current = details->account;
    auto lists = storage::AccountRepository(m_app.db()).priceLists();
    const storage::PriceListRow list = lists ? lists->value(m_current.priceListId) : storage::PriceListRow{};
    m_priceListName = list.name;
    m_currency = !list.currency.isEmpty()
        ? list.currency
        : storage::PricingRepository(m_app.db()).tenantCurrency().valueOr(QString());
    m_notesPending =
        storage::RecordEditRepository(m_app.db()).undelivered(u"accounts"_s, m_current.id).valueOr(0) > 0;
    m_contacts->setRows(details->contacts);
    m_addresses->setRows(details->addresses);
    return true;
}

QString AccountsController::termsText() const
{
    return m_current.id ? format::terms(m_current.terms) : QString();
}

QString AccountsController::creditLimitText() const
{
    if (!m_current.id)
        return {};
    return m_current.creditLimitMinor ? format::money(*m_current.creditLimitMinor, m_currency) : tr("No limit");
}

QString AccountsController::openBalanceText() const
{
    return m_current.id ? format::money(m_current.openBalanceMinor, m_currency) : QString();
}

QString AccountsController::availableCreditText() const
{
    if (!m_current.id)
        return {};
    if (!m_current.creditLimitMinor)
        return tr("No limit");
    return format::money(*m_current.creditLimitMinor - m_current.openBalanceMinor, m_currency);
}

bool AccountsController::overLimit() const
{
    return m_current.creditLimitMinor && m_current.openBalanceMinor > *m_current.creditLimitMinor;
}

bool AccountsController::editContact(qint64 contactId, const QVariantMap &fields)
{
    static const QStringList editable{u"name"_s, u"role"_s, u"phone"_s, u"email"_s};
    QJsonObject changes;
    for (auto it = fields.cbegin(); it != fields.cend(); ++it) {
        if (!editable.contains(it.key()))
            return fail(u"contact.unknown_field"_s, tr("The field \"%1\" of a contact cannot be edited.").arg(it.key()));
        const QString value = it.value().toString().trimmed();
        if (value.size() > kMaxContactField)
            return fail(u"contact.too_long"_s, tr("Keep each field under %1 characters.").arg(kMaxContactField));
        if (it.key() == u"name"_s && value.isEmpty())
            return fail(u"contact.name_required"_s, tr("A contact needs a name."));
        if (it.key() == u"email"_s && !value.isEmpty() && !isEmail(value))
            return fail(u"contact.invalid_email"_s, tr("\"%1\" is not an e-mail address.").arg(value));
        if (it.key() == u"phone"_s && !value.isEmpty() && !isPhone(value))
            return fail(u"contact.invalid_phone"_s, tr("\"%1\" is not a phone number.").arg(value));
        changes.insert(it.key(), value);
    }
    if (changes.isEmpty())
        return fail(u"contact.nothing_to_save"_s, tr("There is nothing to save."));
    auto item = storage::RecordEditRepository(m_app.db()).edit(u"contacts"_s, contactId, changes, m_app.now());
    if (!item) {
        if (item.error().code == u"storage.nothing_changed"_s) {
            setError({});
            return true; // saved as it was: nothing to send
        }
        if (item.error().code == u"storage.record_not_found"_s)
            return fail(item.error().code, tr("This contact is not on this device."));
        return fail(item.error().code, item.error().userText);
    }
    qCInfo(lcApp) << "contact edited" << contactId << "outbox" << item->id;
    setError({});
    m_app.notifyLocalChange(); // refresh() re-reads the page
    return true;
}

bool AccountsController::saveNotes(const QString &notes)
{
    if (!m_current.id)
        return fail(u"account.none"_s, tr("Open an account first."));
    if (notes.size() > kMaxNotes)
        return fail(u"account.notes_too_long"_s, tr("Notes are limited to %1 characters.").arg(kMaxNotes));
    auto item = storage::RecordEditRepository(m_app.db())
                    .edit(u"accounts"_s, m_current.id, QJsonObject{{u"notes"_s, notes}}, m_app.now());
    if (!item) {
        if (item.error().code == u"storage.nothing_changed"_s) {
            setError({});
            return true;
        }
        return fail(item.error().code, item.error().userText);
    }
    qCInfo(lcApp) << "notes edited" << m_current.id << "outbox" << item->id;
    setError({});
    m_app.notifyLocalChange();
    return true;
}

QVariantMap AccountsController::contactAt(int row) const
{
    const auto &rows = m_contacts->rows();
    if (row < 0 || row >= rows.size())
        return {};
    const storage::ContactRow &c = rows.at(row);
    return {{u"contactId"_s, c.id}, {u"name"_s, c.name}, {u"role"_s, c.role}, {u"phone"_s, c.phone},
            {u"email"_s, c.email}};
}

void AccountsController::refresh()
{
    m_results->refresh();
    if (!m_current.id)
        return;
    const qint64 id = m_current.id;
    if (!load(id))
        load(0); // the account left the replica (territory change)
    Q_EMIT currentChanged();
    if (!m_current.id && m_app.orders())
        m_app.orders()->setHistoryAccount(0);
}

bool AccountsController::fail(const QString &code, const QString &text)
{
    qCInfo(lcApp) << "accounts action refused" << code;
    m_errorCode = code;
    setError(text);
    return false;
}

void AccountsController::setError(const QString &text)
{
    if (text.isEmpty())
        m_errorCode.clear();
    if (text == m_errorText)
        return;
    m_errorText = text;
    Q_EMIT errorChanged();
}

} // namespace outpost::app
