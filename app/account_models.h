// The account page's small lists: contacts and addresses of Accounts.currentId. Both are replaced
// by keyed diff (RowDiffModel) when the account or the replica changes. AccountListModel (the
// search results) is declared in accounts_controller.h and implemented in account_models.cpp.
#pragma once

#include "app/row_diff_model.h"
#include "storage/records.h"

#include <QQmlEngine>

namespace outpost::app {

// Roles: contactId, name, role, phone, email.
class ContactListModel : public RowDiffModel
{
    Q_OBJECT
    QML_ANONYMOUS
public:
    enum Role { ContactIdRole = Qt::UserRole + 1, NameRole, RoleRole, PhoneRole, EmailRole };
    using RowDiffModel::RowDiffModel;

    void setRows(QList<storage::ContactRow> rows);
    const QList<storage::ContactRow> &rows() const { return m_rows; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:

private:
    QList<storage::ContactRow> m_rows;
};

// Roles: addressId, kind, line1, line2, city, postcode, country, text (one line).
class AddressListModel : public RowDiffModel
{
    Q_OBJECT
    QML_ANONYMOUS
public:
    enum Role {
        AddressIdRole = Qt::UserRole + 1, KindRole, Line1Role, Line2Role, CityRole, PostcodeRole, CountryRole,
        TextRole
    };
    using RowDiffModel::RowDiffModel;

    void setRows(QList<storage::AddressRow> rows);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    // "12 High St, Unit 4, Leeds LS1 4AB, GB": the non-empty parts joined.
    static QString oneLine(const storage::AddressRow &a);

Q_SIGNALS:

private:
    QList<storage::AddressRow> m_rows;
};

} // namespace outpost::app
