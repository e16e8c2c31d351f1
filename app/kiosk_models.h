// The kiosk visitor's wish list: products with quantities at list price. Lives in memory until the
// lead is submitted (a kiosk has no account data to attach it to).
#pragma once

#include "app/app_context.h"
#include "app/row_diff_model.h"

namespace outpost::app {

class WishListModel : public RowDiffModel
{
    Q_OBJECT
public:
    enum Role { ProductIdRole = Qt::UserRole + 1, SkuRole, NameRole, QuantityRole, PriceTextRole, LineTotalTextRole };
    struct Row
    {
        qint64 productId = 0;
        QString sku;
        QString name;
        qint64 quantity = 0;
        qint64 listPriceMinor = 0;
        friend bool operator==(const Row &, const Row &) = default;
    };

    WishListModel(AppContext &app, QObject *parent = nullptr);
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    const QList<Row> &rows() const { return m_rows; }
    void setRows(QList<Row> rows);
    qint64 totalMinor() const; // sum of quantity x list price
    QString currency() const;

private:
    AppContext &m_app;
    QList<Row> m_rows;
};

} // namespace outpost::app
