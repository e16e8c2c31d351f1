#include "storage/schema.h"

#include "storage/database.h"

using namespace Qt::Literals::StringLiterals;

namespace outpost::storage {

const std::vector<Migration> &migrations()
{
    static const std::vector<Migration> list{
        {1, u"base tables"_s, &migrateTo1BaseTables},
        {2, u"FTS5 search for products and accounts"_s, &migrateTo2FullText},
        {3, u"sync engine tables"_s, &migrateTo3SyncTables},
        {4, u"attachments and blobs"_s, &migrateTo4Attachments},
    };
    return list;
}

int latestSchemaVersion()
{
    return migrations().back().version;
}

Status migrate(Database &db, int targetVersion)
{
    const int target = targetVersion < 0 ? latestSchemaVersion() : targetVersion;
    if (target > latestSchemaVersion())
        return Error::make(ErrorKind::Internal, u"storage.bad_version"_s,
                           u"The local database cannot be prepared."_s,
                           u"target version %1 unknown"_s.arg(target));
    auto current = db.userVersion();
    if (!current)
        return current.error();
    if (*current > latestSchemaVersion())
        return Error::make(ErrorKind::Corrupt, u"storage.schema_too_new"_s,
                           u"The local database was written by a newer version of the app."_s,
                           u"schema version %1 > %2"_s.arg(*current).arg(latestSchemaVersion()));
    for (const Migration &m : migrations()) {
        if (m.version <= *current || m.version > target)
            continue;
        auto tx = Transaction::begin(db);
        if (!tx)
            return tx.error();
        if (Status s = m.apply(db); !s) {
            qCWarning(lcStorage) << "migration failed" << m.version << s.error().code;
            return s;
        }
        if (Status s = db.setUserVersion(m.version); !s)
            return s;
        if (Status s = tx->commit(); !s)
            return s;
        qCInfo(lcStorage) << "migrated schema to version" << m.version;
    }
    return {};
}

} // namespace outpost::storage
