#include "app/order_controller.h"

#include "app/format.h"
#include "app/order_models.h"
#include "domain/pricing.h"
#include "domain/rules.h"
#include "storage/account_repository.h"
#include "storage/attachment_repository.h"
#include "storage/catalog_repository.h"
#include "storage/database.h"
#include "storage/meta_repository.h"
#include "storage/order_repository.h"
#include "storage/pricing_repository.h"
#include "storage/stock_repository.h"

#include <QLoggingCategory>
#include <QRegularExpression>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcApp)

namespace outpost::app {

namespace {

// Stock counted longer ago than this is not judged on the device (the server judges it anyway).
constexpr std::chrono::seconds kMaxStockAge = std::chrono::hours(48);

// The rep's discount allowances, as the session stored them (0 = none: every discount is capped).
qint64 allowance(storage::Database &db, const QString &key)
{
    bool ok = false;
    const qint64 bp = storage::MetaRepository(db).valueOr(key).toLongLong(&ok);
    return ok ? std::clamp<qint64>(bp, 0, 10000) : 0;
}

qint64 smallestValid(qint64 moq, qint64 casePack)
{
    return roundUpToCasePack(std::max<qint64>(moq, 1), std::max<qint64>(casePack, 1));
}

// "12", " 12 " -> 12; anything else (signs, decimals, letters, empty) -> nullopt.
std::optional<qint64> parseQuantity(const QString &text)
{
    static const QRegularExpression digits(u"^[0-9]{1,9}$"_s);
    const QString t = text.trimmed();
    if (!digits.match(t).hasMatch())
        return std::nullopt;
    return t.toLongLong();
}

} // namespace

struct OrderController::Priced
{
    storage::OrderRow order;
    QHash<qint64, storage::ProductRow> products;
    PricingContext context;
    PricedOrder priced;
    std::vector<Finding> findings;
    int errors = 0;
    int approvals = 0;
    int warnings = 0;
};

OrderController::OrderController(AppContext &app, QObject *parent)
    : QObject(parent), m_app(app), m_lines(new OrderLineListModel(this)), m_findings(new FindingListModel(this)),
      m_priced(std::make_unique<Priced>())
{
}

OrderController::~OrderController() = default;

QAbstractItemModel *OrderController::lines() const
{
    return m_lines;
}

QAbstractItemModel *OrderController::findings() const
{
    return m_findings;
}

int OrderController::lineCount() const
{
    return m_lines->rowCount();
}

QString OrderController::grossText() const
{
    return format::money(m_priced->priced.totals.grossMinor, m_currency);
}

QString OrderController::discountText() const
{
    const OrderTotals &t = m_priced->priced.totals;
    return format::money(t.lineDiscountMinor + t.orderDiscountMinor, m_currency);
}

QString OrderController::netText() const
{
    return format::money(m_priced->priced.totals.taxableMinor, m_currency);
}

QString OrderController::taxText() const
{
    return format::money(m_priced->priced.totals.taxMinor, m_currency);
}

QString OrderController::totalText() const
{
    return format::money(m_priced->priced.totals.totalMinor, m_currency);
}

qint64 OrderController::totalMinor() const
{
    return m_priced->priced.totals.totalMinor;
}

int OrderController::errorCount() const
{
    return m_priced->errors;
}

int OrderController::approvalCount() const
{
    return m_priced->approvals;
}

int OrderController::warningCount() const
{
    return m_priced->warnings;
}

bool OrderController::canSubmit() const
{
    return hasDraft() && lineCount() > 0 && m_priced->errors == 0;
}

bool OrderController::fail(const QString &code, const QString &text)
{
    m_errorCode = code;
    m_errorText = text;
    m_statusText.clear();
    qCInfo(lcApp) << "order action refused" << code;
    Q_EMIT errorChanged();
    return false;
}

bool OrderController::fail(const Error &error)
{
    return fail(error.code, error.userText);
}

void OrderController::succeed(const QString &status)
{
    m_errorCode.clear();
    m_errorText.clear();
    m_statusText = status;
    Q_EMIT errorChanged();
}

bool OrderController::requireDraft()
{
    if (hasDraft())
        return true;
    return fail(u"order.no_draft"_s, tr("Open an account's order first."));
}

void OrderController::localChange()
{
    reload();
    m_inLocalChange = true;
    m_app.notifyLocalChange();
    m_inLocalChange = false;
}

bool OrderController::saveHeader(const storage::OrderHeaderEdit &edit)
{
    if (Status s = storage::OrderRepository(m_app.db()).updateHeader(m_orderId, edit, m_app.now()); !s) {
        fail(s.error());
        Q_EMIT draftChanged(); // QML shows the stored value again
        return false;
    }
    return true;
}

void OrderController::setCustomerRef(const QString &ref)
{
    storage::OrderHeaderEdit edit;
    edit.customerRef = ref;
    if (ref == m_customerRef || !requireDraft() || !saveHeader(edit))
        return;
    m_customerRef = ref;
    Q_EMIT draftChanged();
    localChange();
}

void OrderController::setNote(const QString &note)
{
    storage::OrderHeaderEdit edit;
    edit.note = note;
    if (note == m_note || !requireDraft() || !saveHeader(edit))
        return;
    m_note = note;
    Q_EMIT draftChanged();
    localChange();
}

bool OrderController::openFor(qint64 accountId)
{
    storage::Database &db = m_app.db();
    auto account = storage::AccountRepository(db).account(accountId);
    if (!account)
        return fail(account.error());
    storage::OrderRepository orders(db);
    auto existing = orders.draftFor(accountId);
    if (!existing)
        return fail(existing.error());
    QString id = *existing;
    bool created = false;
    if (id.isEmpty()) {
        auto ctx = storage::PricingRepository(db).loadPricingContext(accountId, {}, m_app.now(), 0, 0);
        if (!ctx)
            return fail(ctx.error());
        auto made = orders.createDraft(accountId, 0, ctx->currency, m_app.now());
        if (!made)
            return fail(made.error());
        id = *made;
        created = true;
    }
    m_orderId = id;
    m_accountId = accountId;
    m_accountName = account->name;
    succeed(created ? tr("New order for %1").arg(account->name) : tr("Continuing the open order"));
    qCInfo(lcApp) << "order open" << id << "account" << accountId << (created ? "new" : "continued");
    if (created)
        localChange();
    else
        reload();
    return true;
}

Result<storage::ProductRow> OrderController::findProduct(const QString &skuOrBarcode)
{
    storage::CatalogRepository catalog(m_app.db());
    const QString key = skuOrBarcode.trimmed();
    auto bySku = catalog.productBySku(key);
    if (bySku || bySku.error().kind != ErrorKind::NotFound)
        return bySku;
    auto byUpper = catalog.productBySku(key.toUpper());
    if (byUpper || byUpper.error().kind != ErrorKind::NotFound)
        return byUpper;
    auto byBarcode = catalog.productByBarcode(key);
    if (byBarcode || byBarcode.error().kind != ErrorKind::NotFound)
        return byBarcode;
    return Error::make(ErrorKind::NotFound, u"order.unknown_sku"_s,
                       tr("No product with SKU or barcode \"%1\".").arg(key));
}

std::optional<qint64> OrderController::quoteFor(qint64 productId, qint64 quantity, qint64 discountBp)
{
    auto ctx = storage::PricingRepository(m_app.db())
                   .loadPricingContext(m_accountId, {productId}, m_app.now(),
                                       allowance(m_app.db(), storage::meta::kMaxLineDiscountBp),
                                       allowance(m_app.db(), storage::meta::kMaxOrderDiscountBp));
    if (!ctx || !ctx->products.contains(productId))
        return std::nullopt;
    return priceLine(*ctx, OrderLineInput{1, productId, quantity, discountBp}).unitPriceMinor;
}

Status OrderController::addQuantity(const storage::ProductRow &product, qint64 quantity)
{
    if (product.discontinued)
        return Error::invalid(u"order.discontinued"_s, tr("%1 is no longer sold.").arg(product.sku), u"sku"_s);
    if (quantity < 0 || quantity > kMaxQuantity)
        return Error::invalid(u"order.bad_quantity"_s, tr("Enter a quantity between 1 and %1.").arg(kMaxQuantity),
                              u"quantity"_s);
    storage::OrderRepository orders(m_app.db());
    auto current = orders.order(m_orderId);
    if (!current)
        return current.error();
    const qint64 add = quantity == 0 ? smallestValid(product.moq, product.casePack) : quantity;
    for (const storage::OrderLineRow &line : current->lines) {
        if (line.productId != product.id)
            continue;
        const qint64 total = line.quantity + add;
        if (total > kMaxQuantity)
            return Error::invalid(u"order.bad_quantity"_s,
                                  tr("Enter a quantity between 1 and %1.").arg(kMaxQuantity), u"quantity"_s);
        return orders.updateLine(m_orderId, line.lineNo, total, line.discountBp,
                                 quoteFor(product.id, total, line.discountBp), m_app.now());
    }
    auto added = orders.addLine(m_orderId, product.id, add, 0, quoteFor(product.id, add, 0), m_app.now());
    if (!added)
        return added.error();
    return {};
}

bool OrderController::addProduct(qint64 productId, qint64 quantity)
{
    if (!requireDraft())
        return false;
    auto product = storage::CatalogRepository(m_app.db()).product(productId);
    if (!product)
        return fail(u"order.unknown_product"_s, tr("This product is not in the catalog on this device."));
    if (Status s = addQuantity(*product, quantity); !s)
        return fail(s.error());
    succeed(tr("%1 added").arg(product->sku));
    localChange();
    return true;
}

bool OrderController::addBySku(const QString &sku, const QString &quantityText)
{
    if (!requireDraft())
        return false;
    if (sku.trimmed().isEmpty())
        return fail(u"order.unknown_sku"_s, tr("Type a SKU or scan a barcode."));
    auto product = findProduct(sku);
    if (!product)
        return fail(product.error());
    qint64 quantity = 0; // empty: the smallest valid quantity
    if (!quantityText.trimmed().isEmpty()) {
        const auto q = parseQuantity(quantityText);
        if (!q || *q <= 0 || *q > kMaxQuantity)
            return fail(u"order.bad_quantity"_s,
                        tr("\"%1\" is not a quantity: enter a whole number between 1 and %2.")
                            .arg(quantityText.trimmed())
                            .arg(kMaxQuantity));
        quantity = *q;
    }
    if (Status s = addQuantity(*product, quantity); !s)
        return fail(s.error());
    succeed(tr("%1 added").arg(product->sku));
    localChange();
    return true;
}

QVariantMap OrderController::paste(const QString &text)
{
    QVariantList rejected;
    int added = 0;
    if (!requireDraft())
        return {{u"added"_s, 0}, {u"rejected"_s, rejected}};
    static const QRegularExpression separator(u"[\\t,;]"_s);
    const QStringList lines = text.split(QRegularExpression(u"\\r\\n|\\n|\\r"_s));
    bool firstContent = true;
    auto reject = [&](int lineNo, const QString &line, const QString &reason) {
        rejected.append(QVariantMap{{u"line"_s, lineNo}, {u"text"_s, line}, {u"reason"_s, reason}});
    };
    {
        auto tx = storage::Transaction::begin(m_app.db());
        if (!tx) {
            fail(tx.error());
            return {{u"added"_s, 0}, {u"rejected"_s, rejected}};
        }
        for (qsizetype i = 0; i < lines.size(); ++i) {
            const QString line = lines[i].trimmed();
            const int lineNo = int(i + 1);
            if (line.isEmpty())
                continue;
            const bool first = std::exchange(firstContent, false);
            const QStringList fields = line.split(separator);
            const QString sku = fields.value(0).trimmed();
            const QString qtyText = fields.value(1).trimmed();
            const auto qty = parseQuantity(qtyText);
            if (first && !qty && !findProduct(sku))
                continue; // a header line ("SKU<tab>Qty")
            if (fields.size() < 2 || qtyText.isEmpty()) {
                reject(lineNo, line, tr("no quantity (expected SKU, tab or comma, quantity)"));
                continue;
            }
            if (!qty || *qty <= 0 || *qty > kMaxQuantity) {
                reject(lineNo, line, tr("\"%1\" is not a quantity").arg(qtyText));
                continue;
            }
            auto product = findProduct(sku);
            if (!product) {
                reject(lineNo, line, tr("unknown SKU \"%1\"").arg(sku));
                continue;
            }
            if (Status s = addQuantity(*product, *qty); !s) {
                reject(lineNo, line, s.error().userText);
                continue;
            }
            ++added;
        }
        if (Status s = tx->commit(); !s) {
            fail(s.error());
            added = 0;
        }
    }
    qCInfo(lcApp) << "paste into order" << m_orderId << "added" << added << "rejected" << rejected.size();
    if (added > 0 || rejected.isEmpty())
        succeed(tr("%1 added, %2 rejected").arg(added).arg(rejected.size()));
    else
        fail(u"order.paste_rejected"_s, tr("%1 added, %2 rejected").arg(added).arg(rejected.size()));
    if (added > 0)
        localChange();
    return {{u"added"_s, added}, {u"rejected"_s, rejected}};
}

bool OrderController::changeLine(int lineNo, qint64 quantity, qint64 discountBp)
{
    if (!requireDraft())
        return false;
    const OrderLineListModel::Row *line = m_lines->line(lineNo);
    if (!line)
        return fail(u"order.no_line"_s, tr("This line is no longer on the order."));
    if (quantity <= 0 || quantity > kMaxQuantity)
        return fail(u"order.bad_quantity"_s, tr("Enter a quantity between 1 and %1.").arg(kMaxQuantity));
    if (discountBp < 0 || discountBp > 10000)
        return fail(u"order.bad_discount"_s, tr("A discount is between 0 and 100 %."));
    if (quantity == line->quantity && discountBp == line->discountBp)
        return true;
    if (Status s = storage::OrderRepository(m_app.db())
                       .updateLine(m_orderId, lineNo, quantity, discountBp,
                                   quoteFor(line->productId, quantity, discountBp), m_app.now());
        !s)
        return fail(s.error());
    succeed({});
    localChange();
    return true;
}

bool OrderController::setQuantity(int lineNo, qint64 quantity)
{
    const OrderLineListModel::Row *line = m_lines->line(lineNo);
    return changeLine(lineNo, quantity, line ? line->discountBp : 0);
}

bool OrderController::stepUp(int lineNo)
{
    const OrderLineListModel::Row *line = m_lines->line(lineNo);
    if (!line)
        return changeLine(lineNo, 0, 0);
    const qint64 pack = std::max<qint64>(line->casePack, 1);
    const qint64 next = std::max((line->quantity / pack + 1) * pack, smallestValid(line->moq, pack));
    return changeLine(lineNo, next, line->discountBp);
}

bool OrderController::stepDown(int lineNo)
{
    const OrderLineListModel::Row *line = m_lines->line(lineNo);
    if (!line)
        return changeLine(lineNo, 0, 0);
    const qint64 pack = std::max<qint64>(line->casePack, 1);
    const qint64 floor = smallestValid(line->moq, pack);
    if (line->quantity <= floor)
        return true; // at (or below) the smallest valid quantity: nothing is removed
    const qint64 previous = ((line->quantity - 1) / pack) * pack;
    return changeLine(lineNo, std::max(previous, floor), line->discountBp);
}

bool OrderController::setLineDiscount(int lineNo, qint64 discountBp)
{
    const OrderLineListModel::Row *line = m_lines->line(lineNo);
    return changeLine(lineNo, line ? line->quantity : 0, discountBp);
}

bool OrderController::removeLine(int lineNo)
{
    if (!requireDraft())
        return false;
    if (Status s = storage::OrderRepository(m_app.db()).removeLine(m_orderId, lineNo, m_app.now()); !s)
        return fail(s.error());
    succeed(tr("Line removed"));
    localChange();
    return true;
}

bool OrderController::reorderFrom(const QString &pastOrderId)
{
    storage::Database &db = m_app.db();
    auto past = storage::OrderRepository(db).order(pastOrderId);
    if (!past)
        return fail(past.error());
    if (past->status == u"draft"_s)
        return fail(u"order.reorder_draft"_s, tr("Reorder from a submitted order."));
    if ((!hasDraft() || m_accountId != past->accountId) && !openFor(past->accountId))
        return false;
    int added = 0;
    QStringList skipped;
    {
        auto tx = storage::Transaction::begin(db);
        if (!tx)
            return fail(tx.error());
        storage::CatalogRepository catalog(db);
        for (const storage::OrderLineRow &line : past->lines) {
            auto product = catalog.product(line.productId);
            if (!product || addQuantity(*product, line.quantity).ok() == false) {
                skipped << line.sku;
                continue;
            }
            ++added;
        }
        if (Status s = tx->commit(); !s)
            return fail(s.error());
    }
    if (skipped.isEmpty())
        succeed(tr("%n line(s) copied", nullptr, added));
    else
        succeed(tr("%n line(s) copied; not available: %1", nullptr, added).arg(skipped.join(u", "_s)));
    localChange();
    return added > 0;
}

bool OrderController::submit()
{
    if (!requireDraft())
        return false;
    reload(); // judge what is stored now, with today's prices and stock
    if (!canSubmit()) {
        if (lineCount() == 0)
            return fail(u"storage.order_empty"_s, tr("Add at least one line before submitting."));
        return fail(u"order.has_errors"_s, tr("Fix the %n error(s) before submitting.", nullptr, errorCount()));
    }
    storage::Database &db = m_app.db();
    storage::OrderRepository orders(db);
    const QString id = m_orderId;
    {
        auto tx = storage::Transaction::begin(db);
        if (!tx)
            return fail(tx.error());
        // The quoted price of every line is the one the rep sees now (the server compares).
        for (const storage::OrderLineRow &line : m_priced->order.lines) {
            const auto priced = std::find_if(m_priced->priced.lines.begin(), m_priced->priced.lines.end(),
                                             [&](const PricedLine &p) { return p.lineNo == line.lineNo; });
            if (priced == m_priced->priced.lines.end() || line.quotedUnitPriceMinor == priced->unitPriceMinor)
                continue;
            if (Status s = orders.updateLine(id, line.lineNo, line.quantity, line.discountBp,
                                             priced->unitPriceMinor, m_app.now());
                !s)
                return fail(s.error());
        }
        const OrderTotals &t = m_priced->priced.totals;
        if (Status s = orders.setDraftTotals(id, t.grossMinor, t.lineDiscountMinor + t.orderDiscountMinor,
                                             t.taxMinor, t.totalMinor, m_app.now());
            !s)
            return fail(s.error());
        auto item = orders.submit(id, m_app.now());
        if (!item)
            return fail(item.error());
        if (Status s = tx->commit(); !s)
            return fail(s.error());
    }
    qCInfo(lcApp) << "order submitted" << id;
    m_orderId.clear();
    m_customerRef.clear();
    m_note.clear();
    succeed(tr("Waiting to send"));
    Q_EMIT draftChanged();
    localChange();
    Q_EMIT submitted(id);
    return true;
}

bool OrderController::discard()
{
    if (!requireDraft())
        return false;
    // The draft's unsent signature and photos go with it, in the same transaction.
    auto tx = storage::Transaction::begin(m_app.db());
    if (!tx)
        return fail(tx.error());
    if (Status s = storage::OrderRepository(m_app.db()).discardDraft(m_orderId); !s)
        return fail(s.error());
    auto removed = storage::AttachmentRepository(m_app.db()).removeUnsentForOwner(u"order"_s, m_orderId);
    if (!removed)
        return fail(removed.error());
    if (Status s = tx->commit(); !s)
        return fail(s.error());
    if (*removed > 0)
        qCInfo(lcApp) << "draft attachments removed" << *removed;
    qCInfo(lcApp) << "draft discarded" << m_orderId;
    m_orderId.clear();
    m_customerRef.clear();
    m_note.clear();
    succeed(tr("Order discarded"));
    Q_EMIT draftChanged();
    localChange();
    return true;
}

void OrderController::refresh()
{
    if (!m_inLocalChange)
        reload();
}

// Re-reads the draft and re-prices it with the replica's prices and stock: the same domain code and
// the same PricingContext fill as the server, so what the rep sees is what the server computes.
void OrderController::reload()
{
    auto next = std::make_unique<Priced>();
    bool headerChanged = false;
    if (hasDraft()) {
        storage::Database &db = m_app.db();
        auto order = storage::OrderRepository(db).order(m_orderId);
        if (!order || order->status != u"draft"_s) {
            // Submitted or discarded elsewhere (an import, another window): this draft is closed.
            qCInfo(lcApp) << "draft no longer open" << m_orderId;
            m_orderId.clear();
            headerChanged = true;
        } else {
            priceInto(*order, *next);
            const QString currency = next->priced.currency.isEmpty() ? order->currency : next->priced.currency;
            headerChanged = currency != m_currency || order->customerRef != m_customerRef || order->note != m_note;
            m_currency = currency;
            m_customerRef = order->customerRef;
            m_note = order->note;
        }
    }

    DraftRows rows = draftRows(next->order, next->products, next->priced, next->findings, m_currency);
    next->errors = rows.errors;
    next->approvals = rows.approvals;
    next->warnings = rows.warnings;
    m_priced = std::move(next);
    m_lines->setRows(std::move(rows.lines));
    m_findings->setRows(std::move(rows.findings));
    if (headerChanged)
        Q_EMIT draftChanged();
    Q_EMIT totalsChanged();
}

void OrderController::priceInto(const storage::OrderRow &order, Priced &out)
{
    storage::Database &db = m_app.db();
    out.order = order;
    QList<qint64> ids;
    storage::CatalogRepository catalog(db);
    for (const storage::OrderLineRow &line : order.lines) {
        if (ids.contains(line.productId))
            continue;
        ids << line.productId;
        if (auto product = catalog.product(line.productId))
            out.products.insert(line.productId, *product);
    }
    auto ctx = storage::PricingRepository(db).loadPricingContext(
        order.accountId, ids, m_app.now(), allowance(db, storage::meta::kMaxLineDiscountBp),
        allowance(db, storage::meta::kMaxOrderDiscountBp));
    if (!ctx) {
        qCWarning(lcApp) << "order pricing failed" << ctx.error().code;
    } else {
        out.context = *ctx;
        OrderInput input;
        input.accountId = order.accountId;
        input.warehouseId = order.warehouseId;
        input.orderDiscountBp = order.orderDiscountBp;
        for (const storage::OrderLineRow &line : order.lines)
            input.lines.push_back(OrderLineInput{line.lineNo, line.productId, line.quantity, line.discountBp});
        out.priced = priceOrder(out.context, input);
        ValidationContext validation;
        validation.checkStock = false;
        if (order.warehouseId > 0) {
            auto stock = storage::StockRepository(db).validationContext(order.warehouseId, ids, m_app.now(),
                                                                        kMaxStockAge);
            if (stock)
                validation = *stock;
        }
        out.findings = validateOrder(out.context, validation, input, out.priced);
    }
}

Result<domain::SignedOrder> OrderController::signedContent(const QString &orderId)
{
    auto order = storage::OrderRepository(m_app.db()).order(orderId);
    if (!order)
        return order.error();
    domain::SignedOrder out;
    out.orderId = order->id;
    out.accountId = order->accountId;
    out.orderDiscountBp = order->orderDiscountBp;
    const bool decided = order->status != u"draft"_s && order->decidedAt.isValid();
    if (decided) {
        out.currency = order->currency;
        for (const storage::OrderLineRow &l : order->lines) {
            // What the customer gets: shipped now plus backordered (a backorder is no change to
            // what was signed; a cut or rejected quantity is).
            const qint64 quantity =
                l.acceptedQuantity ? *l.acceptedQuantity + l.backorderedQuantity.value_or(0) : l.quantity;
            out.lines.append(domain::SignedLine{l.lineNo, l.sku, quantity, l.discountBp, l.unitPriceMinor.value_or(0),
                                                l.netMinor.value_or(0)});
        }
        out.grossMinor = order->grossMinor;
        out.discountMinor = order->discountMinor;
        out.taxMinor = order->taxMinor;
        out.totalMinor = order->totalMinor;
        return out;
    }
    Priced priced;
    priceInto(*order, priced);
    out.currency = priced.priced.currency.isEmpty() ? order->currency : priced.priced.currency;
    for (const storage::OrderLineRow &l : order->lines) {
        const auto p = std::find_if(priced.priced.lines.begin(), priced.priced.lines.end(),
                                    [&](const PricedLine &pl) { return pl.lineNo == l.lineNo; });
        const bool known = p != priced.priced.lines.end();
        out.lines.append(domain::SignedLine{l.lineNo, l.sku, l.quantity, l.discountBp,
                                            known ? p->unitPriceMinor : 0, known ? p->netMinor : 0});
    }
    const OrderTotals &t = priced.priced.totals;
    out.grossMinor = t.grossMinor;
    out.discountMinor = t.lineDiscountMinor + t.orderDiscountMinor;
    out.taxMinor = t.taxMinor;
    out.totalMinor = t.totalMinor;
    return out;
}

} // namespace outpost::app
