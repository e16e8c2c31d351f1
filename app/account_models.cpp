#include "app/account_models.h"

#include "app/accounts_controller.h"
#include "app/format.h"
#include "storage/account_repository.h"
#include "storage/database.h"
#include "storage/pricing_repository.h"

#include <QLoggingCategory>

using namespace Qt::Literals::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcApp)

namespace outpost::app {

namespace {

bool sameAccount(const storage::AccountRow &a, const storage::AccountRow &b)
{
    return a.id == b.id && a.code == b.code && a.name == b.name && a.city == b.city && a.postcode == b.postcode
        && a.phone == b.phone && a.terms == b.terms && a.onHold == b.onHold
        && a.creditLimitMinor == b.creditLimitMinor && a.openBalanceMinor == b.openBalanceMinor
        && a.priceListId == b.priceListId;
}

bool sameContact(const storage::ContactRow &a, const storage::ContactRow &b)
{
    return a.id == b.id && a.name == b.name && a.role == b.role && a.phone == b.phone && a.email == b.email;
}

bool sameAddress(const storage::AddressRow &a, const storage::AddressRow &b)
{
    return a.id == b.id && a.kind == b.kind && a.line1 == b.line1 && a.line2 == b.line2 && a.city == b.city
        && a.postcode == b.postcode && a.country == b.country;
}

} // namespace

// ---- AccountListModel ------------------------------------------------------------------------

AccountListModel::AccountListModel(AppContext &app, QObject *parent) : RowDiffModel(parent), m_app(app)
{
    reload(m_pageSize);
}

void AccountListModel::setQuery(const QString &query)
{
    if (query == m_query)
        return;
    m_query = query;
    reload(m_pageSize);
    Q_EMIT queryChanged();
}

void AccountListModel::setPageSize(int rows)
{
    m_pageSize = std::clamp(rows, 1, 1000);
    reload(m_pageSize);
}

void AccountListModel::refresh()
{
    reload(std::max(int(m_rows.size()), m_pageSize));
}

void AccountListModel::reload(int limit)
{
    loadCurrencies();
    auto found = storage::AccountRepository(m_app.db()).search(m_query, limit, 0);
    if (!found) {
        qCWarning(lcApp) << "account search failed" << found.error().code;
        m_atEnd = true;
        return;
    }
    m_updating = true;
    replaceRows(m_rows, *found, [](const storage::AccountRow &r) { return r.id; }, sameAccount);
    m_updating = false;
    m_atEnd = found->size() < limit;
}

void AccountListModel::loadCurrencies()
{
    auto lists = storage::AccountRepository(m_app.db()).priceLists();
    m_currencies.clear();
    if (lists) {
        for (const auto &l : std::as_const(*lists))
            m_currencies.insert(l.id, l.currency);
    }
    m_tenantCurrency = storage::PricingRepository(m_app.db()).tenantCurrency().valueOr(QString());
}

QString AccountListModel::currencyOf(const storage::AccountRow &a) const
{
    return m_currencies.value(a.priceListId, m_tenantCurrency);
}

int AccountListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant AccountListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const storage::AccountRow &a = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return a.name;
    case AccountIdRole: return a.id;
    case CodeRole: return a.code;
    case CityRole: return a.city;
    case PostcodeRole: return a.postcode;
    case PhoneRole: return a.phone;
    case TermsRole: return a.terms;
    case OnHoldRole: return a.onHold;
    case CreditTextRole:
        return a.creditLimitMinor ? format::money(*a.creditLimitMinor, currencyOf(a)) : tr("No limit");
    case BalanceTextRole: return format::money(a.openBalanceMinor, currencyOf(a));
    case OverLimitRole: return a.creditLimitMinor.has_value() && a.openBalanceMinor > *a.creditLimitMinor;
    default: return {};
    }
}

QHash<int, QByteArray> AccountListModel::roleNames() const
{
    return {{AccountIdRole, "accountId"}, {CodeRole, "code"},       {NameRole, "name"},
            {CityRole, "city"},           {PostcodeRole, "postcode"}, {PhoneRole, "phone"},
            {TermsRole, "terms"},         {OnHoldRole, "onHold"},     {CreditTextRole, "creditText"},
            {BalanceTextRole, "balanceText"}, {OverLimitRole, "overLimit"}};
}

bool AccountListModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_atEnd && !m_updating;
}

void AccountListModel::fetchMore(const QModelIndex &parent)
{
    if (parent.isValid() || m_atEnd || m_updating)
        return;
    auto more = storage::AccountRepository(m_app.db()).search(m_query, m_pageSize, int(m_rows.size()));
    if (!more) {
        qCWarning(lcApp) << "account fetch failed" << more.error().code;
        m_atEnd = true;
        return;
    }
    m_updating = true;
    appendRows(m_rows, *more);
    m_updating = false;
    m_atEnd = more->size() < m_pageSize;
}

qint64 AccountListModel::accountIdAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).id : 0;
}

// ---- ContactListModel ------------------------------------------------------------------------

void ContactListModel::setRows(QList<storage::ContactRow> rows)
{
    replaceRows(m_rows, std::move(rows), [](const storage::ContactRow &c) { return c.id; }, sameContact);
}

int ContactListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant ContactListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const storage::ContactRow &c = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return c.name;
    case ContactIdRole: return c.id;
    case RoleRole: return c.role;
    case PhoneRole: return c.phone;
    case EmailRole: return c.email;
    default: return {};
    }
}

QHash<int, QByteArray> ContactListModel::roleNames() const
{
    return {{ContactIdRole, "contactId"}, {NameRole, "name"}, {RoleRole, "role"}, {PhoneRole, "phone"},
            {EmailRole, "email"}};
}

// ---- AddressListModel ------------------------------------------------------------------------

void AddressListModel::setRows(QList<storage::AddressRow> rows)
{
    replaceRows(m_rows, std::move(rows), [](const storage::AddressRow &a) { return a.id; }, sameAddress);
}

QString AddressListModel::oneLine(const storage::AddressRow &a)
{
    QStringList parts;
    for (const QString &p : {a.line1, a.line2})
        if (!p.trimmed().isEmpty())
            parts.append(p.trimmed());
    const QString cityLine = QStringList{a.city.trimmed(), a.postcode.trimmed()}.join(u' ').trimmed();
    if (!cityLine.isEmpty())
        parts.append(cityLine);
    if (!a.country.trimmed().isEmpty())
        parts.append(a.country.trimmed());
    return parts.join(u", "_s);
}

int AddressListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant AddressListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const storage::AddressRow &a = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case TextRole: return oneLine(a);
    case AddressIdRole: return a.id;
    case KindRole: return a.kind;
    case Line1Role: return a.line1;
    case Line2Role: return a.line2;
    case CityRole: return a.city;
    case PostcodeRole: return a.postcode;
    case CountryRole: return a.country;
    default: return {};
    }
}

QHash<int, QByteArray> AddressListModel::roleNames() const
{
    return {{AddressIdRole, "addressId"}, {KindRole, "kind"},         {Line1Role, "line1"},
            {Line2Role, "line2"},         {CityRole, "city"},         {PostcodeRole, "postcode"},
            {CountryRole, "country"},     {TextRole, "text"}};
}

} // namespace outpost::app
