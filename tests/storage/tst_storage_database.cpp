// The SQLite wrapper: pragmas, statement cache, transactions and savepoints, error mapping.
#include "fixtures.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace outpost;
using namespace outpost::storage;
using namespace outpost::storage::testing;

Q_DECLARE_METATYPE(outpost::ErrorKind)

namespace {
// What Statement::bind accepts, checked at compile time: money never goes in as a double, and a
// bare C string must say whether it is text (QString) or bytes (QByteArray).
template <typename T>
concept Bindable = requires(Statement &st, T value) { st.bind(1, value); };
static_assert(Bindable<qint64> && Bindable<int> && Bindable<bool>);
static_assert(Bindable<QString> && Bindable<QByteArray> && Bindable<std::nullptr_t>);
static_assert(Bindable<std::optional<qint64>> && Bindable<QDateTime> && Bindable<QDate>);
static_assert(!Bindable<double> && !Bindable<float>);
static_assert(!Bindable<const char *>);
} // namespace

class TestStorageDatabase : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Database> scratch()
    {
        auto db = Database::open(QString::fromLatin1(Database::kMemory));
        if (!db)
            qFatal("open failed");
        if (!db.value()->exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)"))
            qFatal("create failed");
        return std::move(db.value());
    }

private slots:
    void fileDatabaseUsesWalForeignKeysAndNormalSync()
    {
        QTemporaryDir dir;
        auto db = Database::open(dir.filePath(u"replica.sqlite"_s));
        QVERIFY(db.ok());
        QCOMPARE((*db)->journalMode(), u"wal"_s);
        QCOMPARE(scalar(**db, "PRAGMA foreign_keys"), 1);
        QCOMPARE(scalar(**db, "PRAGMA synchronous"), 1); // NORMAL
    }

    void transactionRollsBackUnlessCommitted()
    {
        auto db = scratch();
        {
            auto tx = Transaction::begin(*db);
            QVERIFY(tx.ok());
            QVERIFY(db->exec("INSERT INTO t (v) VALUES ('a')").ok());
            QVERIFY(db->inTransaction());
        } // destroyed without commit
        QVERIFY(!db->inTransaction());
        QCOMPARE(scalar(*db, "SELECT count(*) FROM t"), 0);
        {
            auto tx = Transaction::begin(*db);
            QVERIFY(db->exec("INSERT INTO t (v) VALUES ('b')").ok());
            QVERIFY(tx->commit().ok());
            QVERIFY(!tx->isActive());
        }
        QCOMPARE(scalar(*db, "SELECT count(*) FROM t"), 1);
    }

    void nestedTransactionIsASavepoint()
    {
        auto db = scratch();
        auto outer = Transaction::begin(*db);
        QVERIFY(outer.ok());
        QVERIFY(db->exec("INSERT INTO t (v) VALUES ('outer')").ok());
        {
            auto inner = Transaction::begin(*db);
            QVERIFY(inner.ok());
            QVERIFY(db->exec("INSERT INTO t (v) VALUES ('inner')").ok());
        } // inner rolled back only
        {
            auto inner = Transaction::begin(*db);
            QVERIFY(db->exec("INSERT INTO t (v) VALUES ('kept')").ok());
            QVERIFY(inner->commit().ok());
        }
        QVERIFY(outer->commit().ok());
        QCOMPARE(scalar(*db, "SELECT count(*) FROM t"), 2);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM t WHERE v = 'inner'"), 0);
    }

    void statementsAreCachedBySqlText()
    {
        auto db = scratch();
        const int before = db->cachedStatementCount();
        for (int i = 0; i < 3; ++i) {
            auto st = db->prepare("INSERT INTO t (v) VALUES (?1)");
            QVERIFY(st.ok());
            st->bind(1, u"row %1"_s.arg(i));
            QVERIFY(st->exec().ok());
        }
        QCOMPARE(db->cachedStatementCount(), before + 1);
        // The same SQL while the cached one is held: a private statement, both usable.
        auto outer = db->prepare("SELECT v FROM t ORDER BY id");
        QVERIFY(outer.ok());
        QVERIFY(*outer->step());
        auto inner = db->prepare("SELECT v FROM t ORDER BY id");
        QVERIFY(inner.ok());
        QVERIFY(*inner->step());
        QCOMPARE(inner->text(0), u"row 0"_s);
        QVERIFY(*outer->step());
        QCOMPARE(outer->text(0), u"row 1"_s);
        QCOMPARE(db->cachedStatementCount(), before + 2);
    }

    void cachedStatementIsResetWhenReleased()
    {
        auto db = scratch();
        QVERIFY(db->exec("INSERT INTO t (v) VALUES ('x'), ('y')").ok());
        {
            auto st = db->prepare("SELECT v FROM t ORDER BY id");
            QVERIFY(*st->step()); // left mid-way
        }
        auto st = db->prepare("SELECT v FROM t ORDER BY id");
        QVERIFY(*st->step());
        QCOMPARE(st->text(0), u"x"_s);
    }

    void bindingByNameAndTypes()
    {
        auto db = scratch();
        QVERIFY(db->exec("CREATE TABLE m (amount INTEGER, label TEXT, data BLOB, at TEXT, gone TEXT)").ok());
        auto st = db->prepare("INSERT INTO m VALUES (:amount, :label, :data, :at, :gone)");
        QVERIFY(st.ok());
        const qint64 big = 9'007'199'254'740'993; // not representable as a double
        st->bind(":amount", big).bind(":label", u"Crème"_s).bind(":data", QByteArray("\0\1", 2));
        st->bind(":at", utc(u"2026-11-23T10:00:00.123Z"_s)).bind(":gone", nullptr);
        QVERIFY(st->exec().ok());
        auto read = db->prepare("SELECT amount, label, data, at, gone FROM m");
        QVERIFY(*read->step());
        QCOMPARE(read->int64(0), big);
        QCOMPARE(read->text(1), u"Crème"_s);
        QCOMPARE(read->blob(2), QByteArray("\0\1", 2));
        QCOMPARE(read->text(3), u"2026-11-23T10:00:00.123Z"_s);
        QCOMPARE(read->dateTime(3), utc(u"2026-11-23T10:00:00.123Z"_s));
        QVERIFY(read->isNull(4));
        QCOMPARE(read->optInt64(4), std::nullopt);
    }

    void unknownParameterNameIsAnError()
    {
        auto db = scratch();
        auto st = db->prepare("INSERT INTO t (v) VALUES (:v)");
        st->bind(":nope", u"x"_s);
        Status s = st->exec();
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, u"storage.bad_parameter"_s);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM t"), 0);
    }

    void constraintViolationIsInvalid()
    {
        auto db = scratch();
        QVERIFY(db->exec("INSERT INTO t (v) VALUES ('dup')").ok());
        auto st = db->prepare("INSERT INTO t (v) VALUES ('dup')");
        Status s = st->exec();
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, u"storage.constraint"_s);
        QCOMPARE(s.error().kind, ErrorKind::Invalid);
    }

    void prepareErrorIsReported()
    {
        auto db = scratch();
        auto st = db->prepare("SELEC nonsense");
        QVERIFY(!st.ok());
        QCOMPARE(st.error().code, u"storage.error"_s);
    }

    void garbageFileIsCorrupt()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"garbage.sqlite"_s);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(8192, 'x'));
        f.close();
        auto db = Database::open(path);
        QVERIFY(!db.ok());
        QCOMPARE(db.error().code, u"storage.corrupt"_s);
        QCOMPARE(db.error().kind, ErrorKind::Corrupt);
    }

    void writerBlockedByAnotherWriterIsBusyAndTransient()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"shared.sqlite"_s);
        auto first = Database::open(path);
        QVERIFY(first.ok());
        QVERIFY((*first)->exec("CREATE TABLE t (id INTEGER PRIMARY KEY)").ok());
        DatabaseOptions impatient;
        impatient.busyTimeout = std::chrono::milliseconds(0);
        auto second = Database::open(path, impatient);
        QVERIFY(second.ok());
        auto holding = Transaction::begin(**first);
        QVERIFY(holding.ok());
        auto blocked = Transaction::begin(**second);
        QVERIFY(!blocked.ok());
        QCOMPARE(blocked.error().code, u"storage.busy"_s);
        QCOMPARE(blocked.error().kind, ErrorKind::Transient);
        QVERIFY(blocked.error().isTransient());
        QVERIFY(holding->commit().ok());
        auto later = Transaction::begin(**second);
        QVERIFY(later.ok());
    }

    void deferredForeignKeyFailsAtCommitAndRollsBack()
    {
        auto db = openMigrated();
        auto tx = Transaction::begin(*db);
        QVERIFY(db->exec("INSERT INTO stock_levels (id, warehouse_id, product_id, updated_at, seq) "
                         "VALUES (1, 99, 99, '2026-01-01T00:00:00.000Z', 1)")
                    .ok());
        Status s = tx->commit();
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, u"storage.constraint"_s);
        QVERIFY(!db->inTransaction());
        QCOMPARE(scalar(*db, "SELECT count(*) FROM stock_levels"), 0);
    }

    void errorMapping_data()
    {
        QTest::addColumn<int>("rc");
        QTest::addColumn<QString>("code");
        QTest::addColumn<ErrorKind>("kind");
        QTest::newRow("busy") << SQLITE_BUSY << u"storage.busy"_s << ErrorKind::Transient;
        QTest::newRow("busySnapshot") << SQLITE_BUSY_SNAPSHOT << u"storage.busy"_s << ErrorKind::Transient;
        QTest::newRow("locked") << SQLITE_LOCKED << u"storage.busy"_s << ErrorKind::Transient;
        QTest::newRow("corrupt") << SQLITE_CORRUPT << u"storage.corrupt"_s << ErrorKind::Corrupt;
        QTest::newRow("notADatabase") << SQLITE_NOTADB << u"storage.corrupt"_s << ErrorKind::Corrupt;
        QTest::newRow("uniqueConstraint")
            << SQLITE_CONSTRAINT_UNIQUE << u"storage.constraint"_s << ErrorKind::Invalid;
        QTest::newRow("diskFull") << SQLITE_FULL << u"storage.full"_s << ErrorKind::Internal;
        QTest::newRow("cannotOpen") << SQLITE_CANTOPEN << u"storage.cannot_open"_s << ErrorKind::Internal;
        QTest::newRow("ioError") << SQLITE_IOERR << u"storage.error"_s << ErrorKind::Internal;
    }

    void errorMapping()
    {
        QFETCH(int, rc);
        QFETCH(QString, code);
        QFETCH(ErrorKind, kind);
        const Error e = sqliteError(rc, u"test"_s);
        QCOMPARE(e.code, code);
        QCOMPARE(e.kind, kind);
        QVERIFY(!e.userText.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestStorageDatabase)
#include "tst_storage_database.moc"
