// Row types of the replica. Replicated rows mirror server/sql/schema.sql (ids are the server's,
// `seq` is the server change sequence the row came with). Optional references use 0 for "none";
// money is integer minor units; time is UTC QDateTime; calendar dates are QDate.
#pragma once

#include <QByteArray>
#include <QDate>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace outpost::storage {

struct CategoryRow
{
    qint64 id = 0;
    QString code;
    QString name;
    qint64 parentId = 0;
    qint64 seq = 0;
};

struct TaxClassRow
{
    qint64 id = 0;
    QString code;
    QString name;
    qint64 rateBp = 0;
    qint64 seq = 0;
};

struct WarehouseRow
{
    qint64 id = 0;
    QString code;
    QString name;
    qint64 seq = 0;
};

struct ProductRow
{
    qint64 id = 0;
    QString sku;
    QString name;
    QString description;
    qint64 categoryId = 0;
    QString barcode; // empty = none
    QString uom = QStringLiteral("EA");
    QString packLabel;
    qint64 casePack = 1;
    qint64 moq = 1;
    qint64 taxClassId = 0;
    qint64 listPriceMinor = 0;
    bool discontinued = false;
    bool backorderAllowed = false;
    qint64 seq = 0;
};

struct PriceListRow
{
    qint64 id = 0;
    QString code;
    QString name;
    QString currency;
    qint64 seq = 0;
};

struct PriceListEntryRow
{
    qint64 id = 0;
    qint64 priceListId = 0;
    qint64 productId = 0;
    qint64 minQty = 1;
    qint64 unitPriceMinor = 0;
    std::optional<QDate> validFrom; // the break applies from this date on (UTC); none = always
    qint64 seq = 0;
};

struct ContractPriceRow
{
    qint64 id = 0;
    qint64 accountId = 0;
    qint64 productId = 0;
    qint64 unitPriceMinor = 0;
    std::optional<QDate> validFrom;
    std::optional<QDate> validTo;
    qint64 seq = 0;
};

struct PromotionRow
{
    qint64 id = 0;
    QString code;
    QString name;
    qint64 productId = 0;
    qint64 categoryId = 0;
    QString kind = QStringLiteral("percent"); // "percent" (value in bp) or "amount" (minor units)
    qint64 value = 0;
    qint64 minQty = 1;
    QDateTime startsAt;
    QDateTime endsAt;
    qint64 seq = 0;
};

struct AccountRow
{
    qint64 id = 0;
    QString code;
    QString name;
    QString city;
    QString postcode;
    QString country;
    QString phone;
    QString email;
    qint64 priceListId = 0;
    QString terms = QStringLiteral("NET30");
    std::optional<qint64> creditLimitMinor; // none = no limit
    qint64 openBalanceMinor = 0;
    bool taxExempt = false;
    bool onHold = false;
    qint64 defaultWarehouseId = 0;
    QString notes;
    qint64 version = 1;
    qint64 seq = 0;
};

struct AddressRow
{
    qint64 id = 0;
    qint64 accountId = 0;
    QString kind = QStringLiteral("shipping"); // billing | shipping
    QString line1;
    QString line2;
    QString city;
    QString postcode;
    QString country;
    qint64 version = 1;
    qint64 seq = 0;
};

struct ContactRow
{
    qint64 id = 0;
    qint64 accountId = 0;
    QString name;
    QString role;
    QString phone;
    QString email;
    qint64 version = 1;
    qint64 seq = 0;
};

struct StockLevelRow
{
    qint64 id = 0;
    qint64 warehouseId = 0;
    qint64 productId = 0;
    qint64 onHand = 0;
    qint64 allocated = 0;
    QDateTime updatedAt; // the server's count time ("as of")
    qint64 seq = 0;
};

struct OutboxItem
{
    enum class State
    {
        Pending,
        Inflight,
        Failed,
        Done
    };
    qint64 id = 0;
    QString commandId; // UUID, the idempotency key sent to the server
    QString kind;      // "order.submit", "contact.update", "account.notes"
    QString entityId;
    QByteArray payload; // JSON
    QDateTime createdAt;
    int attempts = 0;
    QDateTime nextAttemptAt;
    QString lastErrorCode;
    QString lastErrorText;
    State state = State::Pending;

    static QString stateName(State s);
};

struct SyncStateRow
{
    QString partition;
    qint64 cursorSeq = 0;
    QDateTime lastSuccessAt;
    QString checksum;
};

struct ConflictRow
{
    qint64 id = 0;
    QString entity;
    QString entityId;
    QString field;
    QString base;
    QString mine;
    QString theirs;
    QDateTime createdAt;
    QDateTime resolvedAt;
    QString resolution; // empty = open; mine | theirs | merged
};

} // namespace outpost::storage
