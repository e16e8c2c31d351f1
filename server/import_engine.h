// Internals of the CSV import (importer.h): the upsert-by-natural-key writer and the importer
// that maps a file's columns onto one kind. Only importer.cpp, import_engine.cpp and
// import_rows.cpp include this.
#pragma once

#include "server/database.h"
#include "server/importer.h"

#include <QHash>
#include <QList>
#include <QPair>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <memory>
#include <optional>
#include <vector>

namespace outpost::server::importdetail {

using namespace Qt::Literals::StringLiterals;

enum class Type
{
    Int,
    Text
};
struct ValueColumn
{
    QString name;
    Type type;
};

// Compact, comparable encoding of the values of the columns a file carries.
inline void encode(QByteArray &out, const QVariant &v, Type type)
{
    if (v.isNull()) {
        out += 'N';
    } else if (type == Type::Int) {
        const qint64 n = v.toLongLong();
        out += 'i';
        out.append(reinterpret_cast<const char *>(&n), sizeof n);
    } else {
        const QByteArray t = v.toString().toUtf8();
        const qint64 size = t.size();
        out += 't';
        out.append(reinterpret_cast<const char *>(&size), sizeof size);
        out += t;
    }
}

// Upserts rows of one table by natural key. Only the value columns present in the file are
// compared and updated; an equal row is left alone (keeps its seq).
class Upserter
{
public:
    enum class Outcome
    {
        Inserted,
        Updated,
        Unchanged,
        Duplicate
    };

    Upserter(Database &db, qint64 tenant, qint64 seq, QString table, QStringList keys,
             QList<ValueColumn> values, std::vector<bool> present)
        : m_db(db), m_tenant(tenant), m_seq(seq), m_table(std::move(table)), m_keys(std::move(keys)),
          m_values(std::move(values)), m_present(std::move(present))
    {
    }
    QString loadFilter;                           // extra WHERE for the existing rows
    QList<QPair<QString, QVariant>> insertExtras; // written on insert only
    QList<QPair<QString, QVariant>> writeExtras;  // written on insert and update
    bool bumpVersion = false;

    Status load()
    {
        QStringList cols = {u"id"_s};
        cols += m_keys;
        for (const ValueColumn &c : m_values)
            cols += c.name;
        auto q = m_db.exec(u"SELECT %1 FROM %2 WHERE tenant_id = ? %3 ORDER BY id"_s.arg(cols.join(u", "_s),
                                                                                         m_table, loadFilter),
                           {m_tenant});
        if (!q)
            return q.error();
        if (auto n = m_db.exec(u"SELECT COUNT(*) FROM %1 WHERE tenant_id = ?"_s.arg(m_table), {m_tenant});
            n && n->next())
            m_rows.reserve(n->value(0).toLongLong() + 1024);
        const int nk = int(m_keys.size());
        QVariantList key(nk);
        while (q->next()) {
            for (int k = 0; k < nk; ++k)
                key[k] = q->value(1 + k);
            const QByteArray kb = keyOf(key);
            if (m_rows.contains(kb))
                continue; // keep the first (e.g. an account's first billing address)
            QByteArray fp;
            for (int c = 0; c < m_values.size(); ++c) {
                if (m_present[size_t(c)])
                    encode(fp, q->value(1 + nk + c), m_values[c].type);
            }
            m_rows.insert(kb, Row{q->value(0).toLongLong(), fp, false});
        }
        return prepare();
    }

    // values: every value column (defaults where the file has none). write=false only validates.
    Result<Outcome> upsert(const QVariantList &key, const QVariantList &values, bool write,
                           qint64 *id = nullptr)
    {
        const QByteArray kb = keyOf(key);
        QByteArray fp;
        for (int c = 0; c < m_values.size(); ++c) {
            if (m_present[size_t(c)])
                encode(fp, values[c], m_values[c].type);
        }
        auto it = m_rows.find(kb);
        if (it != m_rows.end()) {
            if (it->seen)
                return Outcome::Duplicate;
            it->seen = true;
            if (id)
                *id = it->id;
            if (it->fingerprint == fp)
                return Outcome::Unchanged;
            if (write) {
                int b = 0;
                for (int c = 0; c < m_values.size(); ++c) {
                    if (m_present[size_t(c)])
                        m_update.bindValue(b++, values[c]);
                }
                for (const auto &[col, v] : writeExtras)
                    m_update.bindValue(b++, v);
                m_update.bindValue(b++, m_seq);
                m_update.bindValue(b++, it->id);
                if (!m_update.exec())
                    return failure(m_update);
                it->fingerprint = fp;
            }
            return Outcome::Updated;
        }
        m_rows.insert(kb, Row{0, fp, true});
        if (write) {
            int b = 0;
            m_insert.bindValue(b++, m_tenant);
            for (const QVariant &k : key)
                m_insert.bindValue(b++, k);
            for (const QVariant &v : values)
                m_insert.bindValue(b++, v);
            for (const auto &[col, v] : insertExtras + writeExtras)
                m_insert.bindValue(b++, v);
            m_insert.bindValue(b++, m_seq);
            if (!m_insert.exec())
                return failure(m_insert);
            if (id) {
                QStringList where;
                for (const QString &k : m_keys)
                    where += k + u" = ?"_s;
                QSqlQuery sel =
                    m_db.prepare(u"SELECT id FROM %1 WHERE tenant_id = ? AND %2 %3 ORDER BY id DESC"_s.arg(
                        m_table, where.join(u" AND "_s), loadFilter));
                sel.addBindValue(m_tenant);
                for (const QVariant &k : key)
                    sel.addBindValue(k);
                if (!sel.exec() || !sel.next())
                    return failure(sel);
                *id = sel.value(0).toLongLong();
                m_rows[kb].id = *id;
            }
        }
        return Outcome::Inserted;
    }

private:
    struct Row
    {
        qint64 id = 0;
        QByteArray fingerprint;
        bool seen = false;
    };
    // Integers as their 8 bytes, text as UTF-8 with its length: cheap to build and unambiguous.
    static QByteArray keyOf(const QVariantList &key)
    {
        QByteArray kb;
        kb.reserve(32);
        for (const QVariant &k : key) {
            const int type = k.typeId();
            encode(kb, k, (type == QMetaType::LongLong || type == QMetaType::Int) ? Type::Int : Type::Text);
        }
        return kb;
    }
    static Error failure(const QSqlQuery &q)
    {
        return Error::make(ErrorKind::Internal, u"db.error"_s, u"A database error occurred."_s,
                           q.lastError().text());
    }
    Status prepare()
    {
        QStringList cols = {u"tenant_id"_s};
        cols += m_keys;
        QStringList sets;
        for (int c = 0; c < m_values.size(); ++c) {
            cols += m_values[c].name;
            if (m_present[size_t(c)])
                sets += m_values[c].name + u" = ?"_s;
        }
        for (const auto &[col, v] : insertExtras + writeExtras)
            cols += col;
        for (const auto &[col, v] : writeExtras)
            sets += col + u" = ?"_s;
        cols += u"seq"_s;
        sets += u"seq = ?"_s;
        if (bumpVersion)
            sets += u"version = version + 1"_s;
        m_insert = m_db.prepare(u"INSERT INTO %1 (%2) VALUES (%3)"_s.arg(
            m_table, cols.join(u", "_s), QStringList(cols.size(), u"?"_s).join(u", "_s)));
        m_update = m_db.prepare(u"UPDATE %1 SET %2 WHERE id = ?"_s.arg(m_table, sets.join(u", "_s)));
        return {};
    }

    Database &m_db;
    qint64 m_tenant;
    qint64 m_seq;
    QString m_table;
    QStringList m_keys;
    QList<ValueColumn> m_values;
    std::vector<bool> m_present;
    QHash<QByteArray, Row> m_rows;
    QSqlQuery m_insert;
    QSqlQuery m_update;
};

struct ColumnSpec
{
    QString name;        // canonical
    QStringList aliases; // other accepted header names
    bool required = false;
};

class Importer
{
public:
    Importer(Database &db, qint64 tenant, const ImportOptions &options)
        : m_db(db), m_tenant(tenant), m_opt(options)
    {
        m_report.file = options.fileName;
        m_report.kind = options.kind;
    }
    Result<ImportReport> run(QByteArrayView data);

private:
    Status mapHeader(const QStringList &header);
    bool has(const QString &c) const { return m_index.value(c, -1) >= 0; }
    QString raw(const QString &c) const
    {
        // Never a null string: null binds as SQL NULL, and absent text columns default to ''.
        const int i = m_index.value(c, -1);
        return i >= 0 && !m_fields.at(i).isNull() ? m_fields.at(i) : u""_s;
    }
    QString trimmed(const QString &c) const { return raw(c).trimmed(); }
    void bad(const QString &c, const QString &code, const QString &reason);
    // Typed getters: record an error and return a fallback on bad input.
    QString required(const QString &c);
    std::optional<qint64> integer(const QString &c, qint64 min, qint64 fallback);
    std::optional<bool> boolean(const QString &c, bool fallback);
    QVariant money(const QString &c, const QString &currency, bool nullWhenEmpty);
    QVariant date(const QString &c);
    Result<QHash<QString, qint64>> codes(const QString &table, const QString &column,
                                         const QString &filter = {});
    bool writing() const { return m_opt.skipBadRows || m_report.badRows == 0; }

    Status prepareKind(qint64 seq);
    Status row();
    Status productRow();
    Status priceRow();
    Status contractRow();
    Status accountRow();
    Status stockRow();
    void count(Upserter::Outcome o);

    Database &m_db;
    qint64 m_tenant;
    ImportOptions m_opt;
    ImportReport m_report;
    QString m_currency;
    QHash<QString, int> m_index;          // canonical column -> field index
    QHash<QString, QString> m_headerName; // canonical column -> name used in the file
    QStringList m_fields;
    qint64 m_line = 0;
    bool m_rowBad = false;
    qint64 m_seq = 0;
    std::unique_ptr<Upserter> m_main;
    std::unique_ptr<Upserter> m_address;
    QHash<QString, qint64> m_products, m_accounts, m_warehouses, m_taxClasses, m_categories, m_reps;
    QHash<QString, QString> m_listCurrency;
    QHash<QString, qint64> m_lists;
    QSet<QPair<qint64, qint64>> m_accountReps;
    QSqlQuery m_insertRep;
    QSqlQuery m_insertCategory;
};

} // namespace outpost::server::importdetail
