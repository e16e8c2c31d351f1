// Small key/value facts of the replica (table replica_meta): the server URL, tenant, user, device
// id, role, session tokens, accounts waiting to leave. Tokens are stored here and never logged.
#pragma once

#include "domain/result.h"

#include <QString>

#include <optional>

namespace outpost::storage {

class Database;

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
