#include "storage/meta_repository.h"

#include "storage/database.h"

using namespace Qt::Literals::StringLiterals;

namespace outpost::storage {

Result<std::optional<QString>> MetaRepository::value(const QString &key)
{
    auto st = m_db.prepare("SELECT value FROM replica_meta WHERE key = ?1");
    if (!st)
        return st.error();
    st->bind(1, key);
    auto r = st->step();
    if (!r)
        return r.error();
    if (!*r)
        return std::optional<QString>();
    std::optional<QString> v = st->text(0);
    st->reset();
    return v;
}

QString MetaRepository::valueOr(const QString &key, const QString &fallback)
{
    auto v = value(key);
    return v && *v ? **v : fallback;
}

Status MetaRepository::setValue(const QString &key, const QString &value)
{
    if (key.isEmpty())
        return Error::invalid(u"storage.missing_field"_s, u"A setting needs a name."_s, u"key"_s);
    auto st = m_db.prepare("INSERT INTO replica_meta (key, value) VALUES (?1, ?2)"
                           " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    if (!st)
        return st.error();
    st->bind(1, key).bind(2, value);
    return st->exec();
}

Status MetaRepository::remove(const QString &key)
{
    auto st = m_db.prepare("DELETE FROM replica_meta WHERE key = ?1");
    if (!st)
        return st.error();
    st->bind(1, key);
    return st->exec();
}

} // namespace outpost::storage
