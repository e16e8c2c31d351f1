// Small key/value facts of the replica (table replica_meta): the server URL, tenant, user, device
// id, role, session tokens, accounts waiting to leave. Tokens are stored here and never logged.
#pragma once

#include "domain/result.h"

#include <QString>

#include <optional>

namespace outpost::storage {

class Database;

// The replica_meta keys that more than one layer reads or writes: one definition each. They name
// stored data, so a key is never renamed without a migration.
namespace meta {
inline const QString kServer = QStringLiteral("server.url");
inline const QString kTenant = QStringLiteral("session.tenant");
inline const QString kUser = QStringLiteral("session.user");
inline const QString kUserId = QStringLiteral("session.user_id");
inline const QString kRole = QStringLiteral("session.role");
inline const QString kDisplayName = QStringLiteral("session.display_name");
inline const QString kDevice = QStringLiteral("device.id");
inline const QString kAccess = QStringLiteral("session.access");
inline const QString kRefresh = QStringLiteral("session.refresh");
inline const QString kCurrency = QStringLiteral("tenant.currency");
inline const QString kMaxLineDiscountBp = QStringLiteral("session.max_line_discount_bp");
inline const QString kMaxOrderDiscountBp = QStringLiteral("session.max_order_discount_bp");
// Photo attachments: longest edge in pixels (0 = original) and JPEG quality (the app's settings).
inline const QString kPhotoMaxEdge = QStringLiteral("attachments.photo_max_edge");
inline const QString kPhotoQuality = QStringLiteral("attachments.photo_quality");
} // namespace meta

class MetaRepository
{
public:
    explicit MetaRepository(Database &db) : m_db(db) {}

    Result<std::optional<QString>> value(const QString &key);
    QString valueOr(const QString &key, const QString &fallback = {});
    Status setValue(const QString &key, const QString &value);
    Status remove(const QString &key);

private:
    Database &m_db;
};

} // namespace outpost::storage
