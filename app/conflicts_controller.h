// Conflicts: each open conflict side by side, field by field (base, mine, theirs), keep mine /
// keep theirs. Resolving goes through sync/local_ops.h (the same code as `outpost-sync resolve`):
// keeping mine writes an edit with its outbox row; keeping theirs closes the conflict.
// QML: `Conflicts` (singleton of Outpost.App).
#pragma once

#include "app/app_context.h"
#include "app/row_diff_model.h"
#include "storage/records.h"

#include <QObject>
#include <QQmlEngine>

namespace outpost::app {

// Roles: conflictId, entity ("contact"), entityLabel ("Contact: Ann Smith (ACC-000012)"), field
// ("phone" or "_record:deleted"), fieldLabel ("Phone", "Deleted on the server"), base, mine,
// theirs, createdText, canKeepMine (false for conflicts only the server's side can close).
class ConflictListModel : public RowDiffModel
{
    Q_OBJECT
    QML_ANONYMOUS
public:
    enum Role {
        ConflictIdRole = Qt::UserRole + 1, EntityRole, EntityLabelRole, FieldRole, FieldLabelRole, BaseRole,
        MineRole, TheirsRole, CreatedTextRole, CanKeepMineRole
    };
    explicit ConflictListModel(AppContext &app, QObject *parent = nullptr);
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    void refresh();

Q_SIGNALS:

private:
    AppContext &m_app;
    struct Row
    {
        storage::ConflictRow conflict;
        QString entityLabel;
    };
    QList<Row> m_rows;
};

class ConflictsController : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(Conflicts)
    QML_SINGLETON
    OUTPOST_QML_SINGLETON(ConflictsController, conflicts)
    Q_PROPERTY(ConflictListModel *model READ model CONSTANT)
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorChanged)
public:
    explicit ConflictsController(AppContext &app, QObject *parent = nullptr);
    ConflictListModel *model() const { return m_model; }
    QString errorText() const { return m_errorText; }

    Q_INVOKABLE bool keepMine(qint64 conflictId);
    Q_INVOKABLE bool keepTheirs(qint64 conflictId);
    void refresh();

Q_SIGNALS:
    void errorChanged();

private:
    bool resolve(qint64 conflictId, const QString &resolution);
    AppContext &m_app;
    ConflictListModel *m_model = nullptr;
    QString m_errorText;
};

} // namespace outpost::app
