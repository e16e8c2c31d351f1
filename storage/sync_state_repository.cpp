#include "storage/sync_state_repository.h"

#include "storage/database.h"
#include "storage/repo_util.h"

using namespace Qt::Literals::StringLiterals;

namespace outpost::storage {

Result<SyncStateRow> SyncStateRepository::state(const QString &partition)
{
    auto st = m_db.prepare("SELECT partition, cursor_seq, last_success_at, checksum FROM sync_state "
                           "WHERE partition = ?1");
    if (!st)
        return st.error();
    st->bind(1, partition);
    auto row = st->step();
    if (!row)
        return row.error();
    SyncStateRow s;
    s.partition = partition;
    if (*row) {
        s.cursorSeq = st->int64(1);
        s.lastSuccessAt = st->dateTime(2);
        s.checksum = st->text(3);
    }
    return s;
}

Result<QList<SyncStateRow>> SyncStateRepository::all()
{
    auto st = m_db.prepare("SELECT partition, cursor_seq, last_success_at, checksum FROM sync_state "
                           "ORDER BY partition");
    if (!st)
        return st.error();
    return detail::collectRows(*st, [](const Statement &row) {
        return SyncStateRow{row.text(0), row.int64(1), row.dateTime(2), row.text(3)};
    });
}

Status SyncStateRepository::save(const SyncStateRow &row)
{
    if (row.partition.trimmed().isEmpty())
        return Error::invalid(u"storage.missing_field"_s, u"A sync state names its partition."_s,
                              u"partition"_s);
    if (row.cursorSeq < 0)
        return Error::invalid(u"storage.invalid_cursor"_s, u"A sync cursor cannot be negative."_s,
                              u"cursorSeq"_s);
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.error();
    auto current = state(row.partition);
    if (!current)
        return current.error();
    if (row.cursorSeq < current->cursorSeq)
        return Error::invalid(u"storage.cursor_backwards"_s,
                              u"A sync cursor only moves forward; reset the partition instead."_s,
                              u"cursorSeq"_s);
    auto st = m_db.prepare("INSERT INTO sync_state (partition, cursor_seq, last_success_at, checksum) "
                           "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (partition) DO UPDATE SET "
                           "cursor_seq = excluded.cursor_seq, last_success_at = excluded.last_success_at, "
                           "checksum = excluded.checksum");
    if (!st)
        return st.error();
    st->bind(1, row.partition).bind(2, row.cursorSeq).bind(3, row.lastSuccessAt);
    st->bind(4, row.checksum.isEmpty() ? std::optional<QString>() : std::optional<QString>(row.checksum));
    if (Status s = st->exec(); !s)
        return s;
    return tx->commit();
}

Status SyncStateRepository::reset(const QString &partition)
{
    auto st = m_db.prepare("DELETE FROM sync_state WHERE partition = ?1");
    if (!st)
        return st.error();
    st->bind(1, partition);
    return st->exec();
}

} // namespace outpost::storage
