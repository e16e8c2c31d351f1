#include "app/kiosk_controller.h"

#include "app/format.h"
#include "app/kiosk_models.h"
#include "storage/catalog_repository.h"
#include "storage/database.h"
#include "storage/outbox_repository.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QUuid>

using namespace Qt::Literals::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcApp)

namespace outpost::app {

namespace {
constexpr qint64 kMaxQuantity = 9999;
}

KioskController::KioskController(AppContext &app, QObject *parent)
    : QObject(parent), m_app(app), m_wishList(new WishListModel(app, this))
{
}

QAbstractItemModel *KioskController::wishList() const
{
    return m_wishList;
}

int KioskController::itemCount() const
{
    qint64 n = 0;
    for (const WishListModel::Row &r : m_wishList->rows())
        n += r.quantity;
    return int(n);
}

QString KioskController::totalText() const
{
    return format::money(m_wishList->totalMinor(), m_wishList->currency());
}

void KioskController::setError(const QString &code, const QString &text)
{
    if (code == m_errorCode && text == m_errorText)
        return;
    m_errorCode = code;
    m_errorText = text;
    Q_EMIT errorChanged();
}

bool KioskController::add(qint64 productId, qint64 quantity)
{
    if (quantity <= 0 || quantity > kMaxQuantity) {
        setError(u"kiosk.bad_quantity"_s, tr("Choose a quantity from 1 to %1").arg(kMaxQuantity));
        return false;
    }
    QList<WishListModel::Row> rows = m_wishList->rows();
    for (WishListModel::Row &r : rows) {
        if (r.productId == productId)
            return setQuantity(productId, std::min(r.quantity + quantity, kMaxQuantity));
    }
    auto product = storage::CatalogRepository(m_app.db()).product(productId);
    if (!product) {
        setError(u"kiosk.unknown_product"_s, tr("This product is no longer in the catalogue"));
        return false;
    }
    rows.append(WishListModel::Row{product->id, product->sku, product->name, quantity, product->listPriceMinor});
    m_wishList->setRows(std::move(rows));
    setError({}, {});
    Q_EMIT wishListChanged();
    return true;
}

bool KioskController::setQuantity(qint64 productId, qint64 quantity)
{
    if (quantity < 0 || quantity > kMaxQuantity) {
        setError(u"kiosk.bad_quantity"_s, tr("Choose a quantity from 1 to %1").arg(kMaxQuantity));
        return false;
    }
    QList<WishListModel::Row> rows = m_wishList->rows();
    const auto it = std::find_if(rows.begin(), rows.end(), [&](const auto &r) { return r.productId == productId; });
    if (it == rows.end()) {
        setError(u"kiosk.not_in_list"_s, tr("This product is not on the wish list"));
        return false;
    }
    if (quantity == 0)
        rows.erase(it);
    else
        it->quantity = quantity;
    m_wishList->setRows(std::move(rows));
    setError({}, {});
    Q_EMIT wishListChanged();
    return true;
}

void KioskController::clear()
{
    if (m_wishList->rows().isEmpty())
        return;
    m_wishList->setRows({});
    Q_EMIT wishListChanged();
}

bool KioskController::submitLead(const QString &name, const QString &company, const QString &email,
                                 const QString &phone, const QString &note)
{
    static const QRegularExpression emailShape(u"^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"_s);
    const QString n = name.trimmed(), e = email.trimmed(), p = phone.trimmed();
    if (m_wishList->rows().isEmpty()) {
        setError(u"lead.empty"_s, tr("Add at least one product to the wish list"));
        return false;
    }
    if (n.isEmpty()) {
        setError(u"lead.name_required"_s, tr("Please enter your name"));
        return false;
    }
    if (e.isEmpty() && p.isEmpty()) {
        setError(u"lead.contact_required"_s, tr("Please enter an email address or a phone number"));
        return false;
    }
    if (!e.isEmpty() && !emailShape.match(e).hasMatch()) {
        setError(u"lead.invalid_email"_s, tr("This email address does not look right"));
        return false;
    }
    QJsonArray items;
    for (const WishListModel::Row &r : m_wishList->rows())
        items.append(QJsonObject{{u"productId"_s, r.productId}, {u"sku"_s, r.sku}, {u"quantity"_s, r.quantity}});
    const QString leadId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QJsonObject payload{{u"id"_s, leadId},          {u"name"_s, n},
                              {u"company"_s, company.trimmed()}, {u"email"_s, e},
                              {u"phone"_s, p},            {u"note"_s, note.trimmed()},
                              {u"items"_s, items},
                              {u"deviceCreatedAt"_s, m_app.now().toString(Qt::ISODateWithMs)}};
    auto tx = storage::Transaction::begin(m_app.db());
    if (!tx) {
        setError(tx.error().code, tx.error().userText);
        return false;
    }
    auto item = storage::OutboxRepository(m_app.db())
                    .enqueue(u"lead.create"_s, u"lead:"_s + leadId, QJsonDocument(payload).toJson(QJsonDocument::Compact),
                             m_app.now());
    if (!item) {
        setError(item.error().code, item.error().userText);
        return false;
    }
    if (Status s = tx->commit(); !s) {
        setError(s.error().code, s.error().userText);
        return false;
    }
    qCInfo(lcApp) << "lead queued with" << items.size() << "items, command" << item->id;
    m_wishList->setRows({});
    setError({}, {});
    Q_EMIT wishListChanged();
    Q_EMIT leadSubmitted();
    m_app.notifyLocalChange();
    return true;
}

bool KioskController::unlock(const QString &pin)
{
    if (pin.isEmpty() || pin != m_app.config().kioskPin) {
        qCInfo(lcApp) << "kiosk unlock refused";
        setError(u"kiosk.wrong_pin"_s, tr("Wrong PIN"));
        return false;
    }
    setError({}, {});
    Q_EMIT unlocked();
    return true;
}

} // namespace outpost::app
