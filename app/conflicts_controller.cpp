#include "app/conflicts_controller.h"

#include "app/format.h"
#include "storage/account_repository.h"
#include "storage/conflict_repository.h"
#include "sync/local_ops.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

using namespace Qt::Literals::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcApp)

namespace outpost::app {

namespace {

QString fieldLabel(const QString &field)
{
    if (field == u"_record:deleted"_s)
        return ConflictsController::tr("Deleted on the server");
    if (field.startsWith(u"_record:"_s))
        return ConflictsController::tr("Changed on the server (%1)").arg(field.mid(8));
    static const QHash<QString, const char *> labels{
        {u"name"_s, QT_TRANSLATE_NOOP("outpost::app::ConflictsController", "Name")},
        {u"role"_s, QT_TRANSLATE_NOOP("outpost::app::ConflictsController", "Role")},
        {u"phone"_s, QT_TRANSLATE_NOOP("outpost::app::ConflictsController", "Phone")},
        {u"email"_s, QT_TRANSLATE_NOOP("outpost::app::ConflictsController", "Email")},
        {u"notes"_s, QT_TRANSLATE_NOOP("outpost::app::ConflictsController", "Notes")},
        {u"kind"_s, QT_TRANSLATE_NOOP("outpost::app::ConflictsController", "Address kind")},
        {u"line1"_s, QT_TRANSLATE_NOOP("outpost::app::ConflictsController", "Address line 1")},
        {u"line2"_s, QT_TRANSLATE_NOOP("outpost::app::ConflictsController", "Address line 2")},
        {u"city"_s, QT_TRANSLATE_NOOP("outpost::app::ConflictsController", "City")},
        {u"postcode"_s, QT_TRANSLATE_NOOP("outpost::app::ConflictsController", "Postcode")},
        {u"country"_s, QT_TRANSLATE_NOOP("outpost::app::ConflictsController", "Country")},
    };
    if (const char *label = labels.value(field))
        return ConflictsController::tr(label);
    QString words = field;
    if (!words.isEmpty())
        words[0] = words[0].toUpper();
    return words;
}

// A side of a "_record:*" conflict is a JSON object: show it as "name: Ann, phone: 123".
QString sideText(const QString &field, const QString &value)
{
    if (!field.startsWith(u"_record:"_s) || !value.startsWith(u'{'))
        return value;
    const QJsonObject o = QJsonDocument::fromJson(value.toUtf8()).object();
    QStringList parts;
    for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
        if (it.key() == u"id"_s || it.key() == u"version"_s || it.key() == u"accountId"_s)
            continue;
        const QString v = it.value().isString() ? it.value().toString() : it.value().toVariant().toString();
        if (!v.isEmpty())
            parts << u"%1: %2"_s.arg(fieldLabel(it.key()), v);
    }
    return parts.join(u", "_s);
}

QString nameFromSides(const storage::ConflictRow &c)
{
    for (const QString *side : {&c.mine, &c.base, &c.theirs}) {
        const QJsonObject o = QJsonDocument::fromJson(side->toUtf8()).object();
        for (const char *key : {"name", "line1"}) {
            const QString v = o.value(QLatin1StringView(key)).toString();
            if (!v.isEmpty())
                return v;
        }
    }
    return {};
}

QString entityLabel(storage::Database &db, const storage::ConflictRow &c)
{
    storage::AccountRepository accounts(db);
    const qint64 id = c.entityId.toLongLong();
    if (c.entity == u"contacts"_s || c.entity == u"contact"_s) {
        if (auto contact = accounts.contact(id)) {
            auto account = accounts.account(contact->accountId);
            return account ? ConflictsController::tr("Contact: %1 (%2)").arg(contact->name, account->code)
                           : ConflictsController::tr("Contact: %1").arg(contact->name);
        }
        const QString name = nameFromSides(c);
        return ConflictsController::tr("Contact: %1").arg(name.isEmpty() ? c.entityId : name);
    }
    if (c.entity == u"accounts"_s || c.entity == u"account"_s) {
        if (auto account = accounts.account(id))
            return ConflictsController::tr("Account: %1 (%2)").arg(account->name, account->code);
        return ConflictsController::tr("Account %1").arg(c.entityId);
    }
    if (c.entity == u"addresses"_s || c.entity == u"address"_s) {
        const QString line = nameFromSides(c);
        return ConflictsController::tr("Address: %1").arg(line.isEmpty() ? c.entityId : line);
    }
    return u"%1 %2"_s.arg(c.entity, c.entityId);
}

} // namespace

ConflictListModel::ConflictListModel(AppContext &app, QObject *parent) : RowDiffModel(parent), m_app(app) {}

int ConflictListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant ConflictListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const storage::ConflictRow &c = row.conflict;
    switch (role) {
    case ConflictIdRole: return c.id;
    case EntityRole: return c.entity;
    case Qt::DisplayRole:
    case EntityLabelRole: return row.entityLabel;
    case FieldRole: return c.field;
    case FieldLabelRole: return fieldLabel(c.field);
    case BaseRole: return sideText(c.field, c.base);
    case MineRole: return sideText(c.field, c.mine);
    case TheirsRole: return sideText(c.field, c.theirs);
    case CreatedTextRole: return format::age(c.createdAt, m_app.now());
    case CanKeepMineRole: return sync::canKeepMine(c.entity, c.field);
    default: return {};
    }
}

QHash<int, QByteArray> ConflictListModel::roleNames() const
{
    return {{ConflictIdRole, "conflictId"}, {EntityRole, "entity"},       {EntityLabelRole, "entityLabel"},
            {FieldRole, "field"},           {FieldLabelRole, "fieldLabel"}, {BaseRole, "base"},
            {MineRole, "mine"},             {TheirsRole, "theirs"},       {CreatedTextRole, "createdText"},
            {CanKeepMineRole, "canKeepMine"}};
}

void ConflictListModel::refresh()
{
    auto open = storage::ConflictRepository(m_app.db()).openConflicts();
    if (!open) {
        qCWarning(lcApp) << "conflicts:" << open.error().code;
        return;
    }
    QList<Row> next;
    next.reserve(open->size());
    for (const storage::ConflictRow &c : std::as_const(*open))
        next.append(Row{c, entityLabel(m_app.db(), c)});
    replaceRows(m_rows, std::move(next), [](const Row &r) { return r.conflict.id; },
                [](const Row &a, const Row &b) {
                    return a.entityLabel == b.entityLabel && a.conflict.base == b.conflict.base &&
                           a.conflict.mine == b.conflict.mine && a.conflict.theirs == b.conflict.theirs;
                });
}

ConflictsController::ConflictsController(AppContext &app, QObject *parent)
    : QObject(parent), m_app(app), m_model(new ConflictListModel(app, this))
{
    m_model->refresh();
}

bool ConflictsController::keepMine(qint64 conflictId)
{
    return resolve(conflictId, u"mine"_s);
}

bool ConflictsController::keepTheirs(qint64 conflictId)
{
    return resolve(conflictId, u"theirs"_s);
}

void ConflictsController::refresh()
{
    m_model->refresh();
}

bool ConflictsController::resolve(qint64 conflictId, const QString &resolution)
{
    if (Status s = sync::resolveConflict(m_app.db(), conflictId, resolution, m_app.now()); !s) {
        const QString code = s.error().code;
        if (code == u"conflict.not_found"_s)
            m_errorText = tr("This conflict is already resolved");
        else if (code == u"conflict.keep_theirs_only"_s)
            m_errorText = tr("Only the server's version can be kept here");
        else
            m_errorText = s.error().userText;
        qCInfo(lcApp) << "conflict" << conflictId << "not resolved:" << code;
        Q_EMIT errorChanged();
        return false;
    }
    qCInfo(lcApp) << "conflict" << conflictId << "resolved" << resolution;
    if (!m_errorText.isEmpty()) {
        m_errorText.clear();
        Q_EMIT errorChanged();
    }
    m_app.notifyLocalChange();
    return true;
}

} // namespace outpost::app
