// The snapshot cache folder: keys, reuse, atomic publication, expiry.
#include "server/database.h"
#include "server/snapshot.h"
#include "server/sync_scope.h"

#include "domain/sha256.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace outpost::server {

namespace {

Q_LOGGING_CATEGORY(lcSnapshotStore, "outpost.server")

const QString kSuffix = u".snap"_s;
const QString kTempMarker = u".tmp-"_s;

Error expiredError()
{
    return Error::make(ErrorKind::Conflict, u"snapshot.expired"_s,
                       u"This snapshot is no longer available; download the partition again."_s);
}

Result<QList<qint64>> idColumn(Database &db, const QString &sql, const QVariantList &binds)
{
    auto q = db.execList(sql, binds);
    if (!q)
        return q.error();
    QList<qint64> ids;
    while (q->next())
        ids.append(q->value(0).toLongLong());
    return ids;
}

QString joinIds(const QList<qint64> &ids)
{
    QStringList parts;
    parts.reserve(ids.size());
    for (qint64 id : ids)
        parts << QString::number(id);
    return parts.join(u',');
}

} // namespace

Result<qint64> partitionChangeSeq(Database &db, qint64 tenantId, const QString &partition)
{
    qint64 top = 0;
    QStringList entities;
    for (const SyncTable &t : syncTables()) {
        if (t.partition != partition || !t.inChangeFeed)
            continue;
        entities << t.table;
        auto q = db.exec(u"SELECT MAX(seq) FROM "_s + t.table + u" WHERE tenant_id = ?"_s, {tenantId});
        if (!q)
            return q.error();
        if (q->next())
            top = std::max(top, q->value(0).toLongLong());
    }
    QVariantList binds{tenantId};
    QStringList marks;
    for (const QString &e : entities) {
        binds << e;
        marks << u"?"_s;
    }
    auto q = db.execList(u"SELECT MAX(seq) FROM tombstones WHERE tenant_id = ? AND entity IN ("_s +
                             marks.join(u", "_s) + u")"_s,
                         binds);
    if (!q)
        return q.error();
    if (q->next())
        top = std::max(top, q->value(0).toLongLong());
    return top;
}

SnapshotStore::SnapshotStore(QString dir, std::chrono::seconds maxAge) : m_dir(std::move(dir)), m_maxAge(maxAge)
{
}

Result<QString> SnapshotStore::entitlementKey(Database &db, const Caller &caller, const QString &partition)
{
    if (partition == u"catalog"_s || partition == u"stock"_s)
        return u"tenant"_s;
    if (readsWholeTenant(caller))
        return u"all"_s;
    if (partition != u"prices"_s)
        return u"rep:%1"_s.arg(caller.userId);
    QVariantList binds{caller.tenantId};
    const QString scope = accountScopeSql(caller, u"a.id"_s, binds);
    auto lists = idColumn(db,
                          u"SELECT DISTINCT a.price_list_id FROM accounts a WHERE a.tenant_id = ? AND "
                          "a.price_list_id IS NOT NULL AND "_s +
                              scope + u" ORDER BY a.price_list_id"_s,
                          binds);
    if (!lists)
        return lists.error();
    QVariantList accountBinds{caller.tenantId};
    const QString accountScope = accountScopeSql(caller, u"a.id"_s, accountBinds);
    auto accounts =
        idColumn(db, u"SELECT a.id FROM accounts a WHERE a.tenant_id = ? AND "_s + accountScope + u" ORDER BY a.id"_s,
                 accountBinds);
    if (!accounts)
        return accounts.error();
    const QByteArray accountHash =
        QCryptographicHash::hash(joinIds(*accounts).toLatin1(), QCryptographicHash::Sha256).toHex().left(16);
    return u"lists:"_s + joinIds(*lists) + u";accounts:"_s + QString::fromLatin1(accountHash);
}

QString SnapshotStore::keyHash(const Caller &caller, const QString &partition, const QString &entitlement)
{
    const QString material = u"%1|%2|%3"_s.arg(caller.tenantId).arg(partition, entitlement);
    return QString::fromLatin1(
        QCryptographicHash::hash(material.toUtf8(), QCryptographicHash::Sha256).toHex().left(16));
}

bool SnapshotStore::expired(const QString &path, const QDateTime &now) const
{
    const QFileInfo info(path);
    if (!info.exists())
        return true;
    const qint64 ageSeconds = info.lastModified().toUTC().secsTo(now.toUTC());
    return ageSeconds > m_maxAge.count();
}

Result<SnapshotFile> SnapshotStore::describe(const QString &id)
{
    SnapshotFile f;
    f.id = id;
    f.path = QDir(m_dir).filePath(id + kSuffix);
    f.seq = id.section(u'-', 1).toLongLong();
    QFile file(f.path);
    if (!file.open(QIODevice::ReadOnly))
        return expiredError();
    f.bytes = file.size();
    auto it = m_sha.constFind(id);
    if (it != m_sha.constEnd()) {
        f.sha256 = *it;
    } else {
        domain::Sha256 hash;
        if (!hash.addData(&file))
            return expiredError();
        f.sha256 = hash.result().toHex();
        m_sha.insert(id, f.sha256);
    }
    return f;
}

Result<SnapshotFile> SnapshotStore::find(Database &db, const Caller &caller, const QString &partition,
                                         const QString &id, const QDateTime &now)
{
    static const QRegularExpression pattern(u"^([0-9a-f]{16})-(\\d{1,18})$"_s);
    const auto m = pattern.match(id);
    if (!m.hasMatch())
        return expiredError();
    auto entitlement = entitlementKey(db, caller, partition);
    if (!entitlement)
        return entitlement.error();
    if (m.captured(1) != keyHash(caller, partition, *entitlement))
        return expiredError(); // another partition or entitlement (e.g. the territory changed)
    const QString path = QDir(m_dir).filePath(id + kSuffix);
    if (expired(path, now))
        return expiredError();
    return describe(id);
}

Result<SnapshotFile> SnapshotStore::obtain(Database &db, const Caller &caller, const QString &partition,
                                           const QDateTime &now)
{
    if (!QDir().mkpath(m_dir))
        return Error::make(ErrorKind::Internal, u"snapshot.write_failed"_s, u"The snapshot could not be built."_s,
                           u"cannot create the snapshot folder"_s);
    auto entitlement = entitlementKey(db, caller, partition);
    if (!entitlement)
        return entitlement.error();
    const QString key = keyHash(caller, partition, *entitlement);

    // Reuse the newest file of the key while the partition has not changed since its seq.
    auto changed = partitionChangeSeq(db, caller.tenantId, partition);
    if (!changed)
        return changed.error();
    qint64 newest = -1;
    const QStringList files = QDir(m_dir).entryList({key + u"-*"_s + kSuffix}, QDir::Files);
    for (const QString &name : files) {
        if (name.contains(kTempMarker))
            continue;
        const qint64 fileSeq = name.section(u'-', 1).chopped(kSuffix.size()).toLongLong();
        if (fileSeq > newest && !expired(QDir(m_dir).filePath(name), now))
            newest = fileSeq;
    }
    if (newest >= *changed) {
        auto f = describe(key + u'-' + QString::number(newest));
        if (f) {
            qCInfo(lcSnapshotStore) << "snapshot reused: tenant" << caller.tenantId << "partition" << partition
                                    << "seq" << newest;
            return f;
        }
    }

    auto seq = db.tenantSeq(caller.tenantId);
    if (!seq)
        return seq.error();
    const QString id = key + u'-' + QString::number(*seq);
    const QString finalPath = QDir(m_dir).filePath(id + kSuffix);
    const QString tempPath =
        finalPath + kTempMarker + QString::number(QRandomGenerator::global()->generate64(), 16);
    QByteArray sha;
    auto stats = buildSnapshotFile(db, caller, partition, *seq, now, tempPath, &sha);
    if (!stats) {
        QFile::remove(tempPath);
        return stats.error();
    }
    QFile::remove(finalPath); // the same key and seq built again after expiry: same rows
    if (!QFile::rename(tempPath, finalPath)) {
        QFile::remove(tempPath);
        return Error::make(ErrorKind::Internal, u"snapshot.write_failed"_s, u"The snapshot could not be built."_s,
                           u"rename failed"_s);
    }
    m_sha.insert(id, sha);
    removeExpired(now);
    return SnapshotFile{id, finalPath, *seq, stats->wireBytes, sha};
}

void SnapshotStore::removeExpired(const QDateTime &now)
{
    const QFileInfoList files = QDir(m_dir).entryInfoList(QDir::Files);
    int removed = 0;
    for (const QFileInfo &info : files) {
        if (!info.fileName().contains(kSuffix))
            continue;
        if (info.lastModified().toUTC().secsTo(now.toUTC()) <= m_maxAge.count())
            continue;
        if (QFile::remove(info.filePath())) {
            ++removed;
            m_sha.remove(info.fileName().section(kSuffix, 0, 0));
        }
    }
    if (removed > 0)
        qCInfo(lcSnapshotStore) << "expired snapshots removed:" << removed;
}

} // namespace outpost::server
