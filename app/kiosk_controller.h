// Kiosk: a locked-down full-screen catalog for a showroom tablet. Visitors browse and search with
// list prices only (no account data is even on the device: the kiosk role syncs catalog and
// stock), build a wish list and leave contact details; the lead reaches the server through the
// outbox ("lead.create", exactly once like any command). Leaving the kiosk (signing out) needs the
// admin PIN. QML: `Kiosk` (singleton of Outpost.App).
#pragma once

#include "app/app_context.h"
#include "app/row_diff_model.h"

#include <QObject>
#include <QQmlEngine>

namespace outpost::app {

// Roles: productId, sku, name, quantity, priceText (list price), lineTotalText.
class WishListModel;

class KioskController : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(Kiosk)
    QML_SINGLETON
    OUTPOST_QML_SINGLETON(KioskController, kiosk)
    Q_PROPERTY(QAbstractItemModel *wishList READ wishList CONSTANT)
    Q_PROPERTY(int itemCount READ itemCount NOTIFY wishListChanged)
    Q_PROPERTY(QString totalText READ totalText NOTIFY wishListChanged)
    Q_PROPERTY(QString errorCode READ errorCode NOTIFY errorChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorChanged)
public:
    explicit KioskController(AppContext &app, QObject *parent = nullptr);
    QAbstractItemModel *wishList() const;
    int itemCount() const;
    QString totalText() const;
    QString errorCode() const { return m_errorCode; }
    QString errorText() const { return m_errorText; }

    Q_INVOKABLE bool add(qint64 productId, qint64 quantity = 1);
    Q_INVOKABLE bool setQuantity(qint64 productId, qint64 quantity); // 0 removes
    Q_INVOKABLE void clear();
    // Visitor details; name and (email or phone) required, email checked for shape. On success the
    // wish list is cleared and the lead is queued. Errors: "lead.name_required",
    // "lead.contact_required", "lead.invalid_email", "lead.empty".
    Q_INVOKABLE bool submitLead(const QString &name, const QString &company, const QString &email,
                                const QString &phone, const QString &note);
    // The admin PIN (AppConfig::kioskPin); a wrong PIN is "kiosk.wrong_pin".
    Q_INVOKABLE bool unlock(const QString &pin);

Q_SIGNALS:
    void wishListChanged();
    void errorChanged();
    void leadSubmitted();
    void unlocked();

private:
    void setError(const QString &code, const QString &text);
    AppContext &m_app;
    WishListModel *m_wishList = nullptr;
    QString m_errorCode;
    QString m_errorText;
};

} // namespace outpost::app
