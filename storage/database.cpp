#include "storage/database.h"

#include "storage/sqltime.h"

#include <sqlite3.h>

#include <utility>

Q_LOGGING_CATEGORY(lcStorage, "outpost.storage")

using namespace Qt::Literals::StringLiterals;

namespace outpost::storage {

Error sqliteError(int rc, const QString &what, const QString &sqliteMessage)
{
    const int primary = rc & 0xff;
    const QString detail = u"%1: sqlite %2 (%3)%4"_s.arg(what)
                               .arg(rc)
                               .arg(QString::fromUtf8(sqlite3_errstr(rc)))
                               .arg(sqliteMessage.isEmpty() ? QString() : u": "_s + sqliteMessage);
    switch (primary) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return Error::make(ErrorKind::Transient, u"storage.busy"_s,
                           u"The local database is busy; try again."_s, detail);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return Error::make(ErrorKind::Corrupt, u"storage.corrupt"_s, u"The local database is damaged."_s,
                           detail);
    case SQLITE_CONSTRAINT:
        return Error::make(ErrorKind::Invalid, u"storage.constraint"_s,
                           u"The change breaks a rule of the local database."_s, detail);
    case SQLITE_FULL:
        return Error::make(ErrorKind::Internal, u"storage.full"_s, u"The device is out of storage space."_s,
                           detail);
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
        return Error::make(ErrorKind::Internal, u"storage.cannot_open"_s,
                           u"The local database cannot be opened for writing."_s, detail);
    default:
        return Error::make(ErrorKind::Internal, u"storage.error"_s, u"The local database failed."_s, detail);
    }
}

// ---------------------------------------------------------------------------------------------
// Statement

Statement::Statement(Database *db, sqlite3_stmt *stmt, bool *inUse) : m_db(db), m_stmt(stmt), m_inUse(inUse)
{
}

Statement::~Statement()
{
    release();
}

Statement::Statement(Statement &&other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)), m_stmt(std::exchange(other.m_stmt, nullptr)),
      m_inUse(std::exchange(other.m_inUse, nullptr)),
      m_bindError(std::exchange(other.m_bindError, std::nullopt))
{
}

Statement &Statement::operator=(Statement &&other) noexcept
{
    if (this != &other) {
        release();
        m_db = std::exchange(other.m_db, nullptr);
        m_stmt = std::exchange(other.m_stmt, nullptr);
        m_inUse = std::exchange(other.m_inUse, nullptr);
        m_bindError = std::exchange(other.m_bindError, std::nullopt);
    }
    return *this;
}

void Statement::release()
{
    if (!m_stmt)
        return;
    if (m_inUse) {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
        *m_inUse = false;
    } else {
        sqlite3_finalize(m_stmt);
    }
    m_stmt = nullptr;
    m_inUse = nullptr;
    m_db = nullptr;
}

void Statement::noteBindResult(int rc, int index)
{
    if (rc != SQLITE_OK && !m_bindError)
        m_bindError = sqliteError(rc, u"bind parameter %1"_s.arg(index));
}

int Statement::parameterIndex(const char *name)
{
    const int index = sqlite3_bind_parameter_index(m_stmt, name);
    if (index == 0 && !m_bindError) {
        m_bindError =
            Error::make(ErrorKind::Internal, u"storage.bad_parameter"_s, u"The local database failed."_s,
                        u"no SQL parameter named %1"_s.arg(QString::fromUtf8(name)));
    }
    return index;
}

Statement &Statement::bindInt64(int index, qint64 value)
{
    noteBindResult(sqlite3_bind_int64(m_stmt, index, value), index);
    return *this;
}

Statement &Statement::bind(int index, const QString &value)
{
    return bindText(index, value.toUtf8());
}

Statement &Statement::bindText(int index, const QByteArray &utf8)
{
    // An empty QByteArray has a null data() pointer; SQLite would bind NULL for that.
    noteBindResult(sqlite3_bind_text(m_stmt, index, utf8.isNull() ? "" : utf8.constData(), int(utf8.size()),
                                     SQLITE_TRANSIENT),
                   index);
    return *this;
}

Statement &Statement::bind(int index, const QByteArray &value)
{
    noteBindResult(sqlite3_bind_blob(m_stmt, index, value.isNull() ? "" : value.constData(),
                                     int(value.size()), SQLITE_TRANSIENT),
                   index);
    return *this;
}

Statement &Statement::bind(int index, std::nullptr_t)
{
    noteBindResult(sqlite3_bind_null(m_stmt, index), index);
    return *this;
}

Statement &Statement::bind(int index, const QDateTime &value)
{
    return value.isValid() ? bind(index, toSqlTime(value)) : bind(index, nullptr);
}

Statement &Statement::bind(int index, const QDate &value)
{
    return value.isValid() ? bind(index, toSqlDate(value)) : bind(index, nullptr);
}

Result<bool> Statement::step()
{
    if (!m_stmt)
        return Error::make(ErrorKind::Internal, u"storage.error"_s, u"The local database failed."_s,
                           u"step on an empty statement"_s);
    if (m_bindError) {
        Error e = *m_bindError;
        reset();
        return e;
    }
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    Error e = m_db->lastError(rc, u"step"_s);
    sqlite3_reset(m_stmt);
    return e;
}

Status Statement::exec()
{
    for (;;) {
        Result<bool> r = step();
        if (!r) {
            reset();
            return r.error();
        }
        if (!*r)
            break;
    }
    reset();
    return {};
}

void Statement::reset()
{
    if (!m_stmt)
        return;
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
    m_bindError.reset();
}

int Statement::columnCount() const
{
    return sqlite3_column_count(m_stmt);
}

bool Statement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

qint64 Statement::int64(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

QByteArray Statement::textUtf8(int column) const
{
    const auto *data = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    const int size = sqlite3_column_bytes(m_stmt, column);
    return data ? QByteArray(data, size) : QByteArray();
}

QString Statement::text(int column) const
{
    const auto *data = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    const int size = sqlite3_column_bytes(m_stmt, column);
    return data ? QString::fromUtf8(data, size) : QString();
}

QByteArray Statement::blob(int column) const
{
    const auto *data = static_cast<const char *>(sqlite3_column_blob(m_stmt, column));
    const int size = sqlite3_column_bytes(m_stmt, column);
    return data ? QByteArray(data, size) : QByteArray();
}

std::optional<qint64> Statement::optInt64(int column) const
{
    if (isNull(column))
        return std::nullopt;
    return int64(column);
}

QDateTime Statement::dateTime(int column) const
{
    return isNull(column) ? QDateTime() : fromSqlTime(text(column));
}

std::optional<QDate> Statement::date(int column) const
{
    return isNull(column) ? std::nullopt : fromSqlDate(text(column));
}

// ---------------------------------------------------------------------------------------------
// Database

Result<std::unique_ptr<Database>> Database::open(const QString &path, const DatabaseOptions &options)
{
    std::unique_ptr<Database> db(new Database);
    db->m_path = path;
    const int flags = (options.readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                      SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.toUtf8().constData(), &db->m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        Error e = db->lastError(rc, u"open"_s);
        qCWarning(lcStorage) << "open failed" << e.code << e.detail;
        return e;
    }
    sqlite3_extended_result_codes(db->m_db, 1);
    sqlite3_busy_timeout(db->m_db, int(options.busyTimeout.count()));

    // journal_mode reads the file header: a file that is not a database fails here.
    if (!options.readOnly && path != QLatin1StringView(kMemory)) {
        auto st = db->prepare("PRAGMA journal_mode=WAL");
        if (!st)
            return st.error();
        auto row = st->step();
        if (!row)
            return row.error();
    }
    const QByteArray pragmas = "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; "
                               "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-" +
                               QByteArray::number(options.cacheKiB) + ";";
    if (Status s = db->exec(pragmas.constData()); !s)
        return s.error();
    // Touch the schema so a damaged header or garbage file is reported at open time.
    if (auto v = db->userVersion(); !v)
        return v.error();
    {
        auto st = db->prepare("SELECT count(*) FROM sqlite_schema");
        if (!st)
            return st.error();
        if (auto row = st->step(); !row)
            return row.error();
    }
    qCDebug(lcStorage) << "opened database";
    return db;
}

Database::~Database()
{
    for (auto &entry : m_cache)
        sqlite3_finalize(entry.second.stmt);
    m_cache.clear();
    if (m_db)
        sqlite3_close_v2(m_db);
}

Error Database::lastError(int rc, const QString &what) const
{
    return sqliteError(rc, what, m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : QString());
}

Result<Statement> Database::prepare(const char *sql)
{
    std::string key(sql);
    auto it = m_cache.find(key);
    if (it != m_cache.end() && !*it->second.inUse) {
        *it->second.inUse = true;
        return Statement(this, it->second.stmt, it->second.inUse.get());
    }
    sqlite3_stmt *stmt = nullptr;
    const int rc = sqlite3_prepare_v3(m_db, sql, int(key.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) {
        Error e = lastError(rc, u"prepare"_s);
        qCWarning(lcStorage) << "prepare failed" << e.code << e.detail;
        return e;
    }
    if (it != m_cache.end()) // cached one is busy (nested use): a private statement
        return Statement(this, stmt, nullptr);
    CachedStatement entry{stmt, std::make_unique<bool>(true)};
    bool *inUse = entry.inUse.get();
    m_cache.emplace(std::move(key), std::move(entry));
    return Statement(this, stmt, inUse);
}

Status Database::exec(const char *sql)
{
    char *message = nullptr;
    const int rc = sqlite3_exec(m_db, sql, nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        Error e = sqliteError(rc, u"exec"_s, message ? QString::fromUtf8(message) : QString());
        sqlite3_free(message);
        return e;
    }
    return {};
}

Result<int> Database::userVersion()
{
    auto st = prepare("PRAGMA user_version");
    if (!st)
        return st.error();
    auto row = st->step();
    if (!row)
        return row.error();
    return *row ? int(st->int64(0)) : 0;
}

Status Database::setUserVersion(int version)
{
    const QByteArray sql = "PRAGMA user_version=" + QByteArray::number(version);
    return exec(sql.constData());
}

qint64 Database::lastInsertRowId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

int Database::changes() const
{
    return sqlite3_changes(m_db);
}

bool Database::inTransaction() const
{
    return sqlite3_get_autocommit(m_db) == 0;
}

QString Database::journalMode()
{
    auto st = prepare("PRAGMA journal_mode");
    if (!st)
        return {};
    auto row = st->step();
    return row && *row ? st->text(0) : QString();
}

// ---------------------------------------------------------------------------------------------
// Transaction

Result<Transaction> Transaction::begin(Database &db, Mode mode)
{
    if (db.inTransaction()) {
        const int n = ++db.m_savepointDepth;
        const QByteArray sql = "SAVEPOINT sp_" + QByteArray::number(n);
        if (Status s = db.exec(sql.constData()); !s) {
            --db.m_savepointDepth;
            return s.error();
        }
        return Transaction(&db, n);
    }
    db.m_savepointDepth = 0;
    if (Status s = db.exec(mode == Mode::Immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED"); !s)
        return s.error();
    return Transaction(&db, 0);
}

Transaction::Transaction(Transaction &&other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)), m_savepoint(other.m_savepoint)
{
}

Transaction::~Transaction()
{
    rollback();
}

Status Transaction::commit()
{
    if (!m_db)
        return Error::make(ErrorKind::Internal, u"storage.error"_s, u"The local database failed."_s,
                           u"commit on a finished transaction"_s);
    if (m_savepoint > 0) {
        const QByteArray sql = "RELEASE sp_" + QByteArray::number(m_savepoint);
        Status s = m_db->exec(sql.constData());
        if (!s) {
            rollback();
            return s;
        }
        --m_db->m_savepointDepth;
        m_db = nullptr;
        return {};
    }
    Status s = m_db->exec("COMMIT");
    if (!s) {
        // e.g. a deferred foreign key fails at commit: the transaction is still open.
        qCWarning(lcStorage) << "commit failed" << s.error().code;
        rollback();
        return s;
    }
    m_db = nullptr;
    return {};
}

void Transaction::rollback()
{
    if (!m_db)
        return;
    if (m_savepoint > 0) {
        const QByteArray sql = "ROLLBACK TO sp_" + QByteArray::number(m_savepoint) + "; RELEASE sp_" +
                               QByteArray::number(m_savepoint);
        if (m_db->inTransaction())
            (void)m_db->exec(sql.constData());
        --m_db->m_savepointDepth;
    } else if (m_db->inTransaction()) {
        (void)m_db->exec("ROLLBACK");
    }
    m_db = nullptr;
}

} // namespace outpost::storage
