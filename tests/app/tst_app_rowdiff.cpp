// RowDiffModel: replacing rows by keyed diff. Random old/new lists must end as the new list, a
// mirror built only from the emitted signals must end equal too (so every insert, remove, move
// and dataChanged told the truth), QAbstractItemModelTester watches throughout, nothing resets,
// and the signal counts of simple edits are minimal (one changed row = one dataChanged).
#include "app/row_diff_model.h"

#include <QAbstractItemModelTester>
#include <QRandomGenerator>
#include <QTest>

using namespace outpost::app;

namespace {

struct Item
{
    int key = 0;
    int value = 0;
    friend bool operator==(const Item &, const Item &) = default;
};

} // namespace

Q_DECLARE_METATYPE(QList<Item>)

namespace {

class ItemModel : public RowDiffModel
{
public:
    using RowDiffModel::RowDiffModel;
    void set(const QList<Item> &next)
    {
        replaceRows(m_rows, next, [](const Item &i) { return i.key; },
                    [](const Item &a, const Item &b) { return a.value == b.value; });
    }
    void append(const QList<Item> &more) { appendRows(m_rows, more); }
    const QList<Item> &rows() const { return m_rows; }
    int rowCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : int(m_rows.size()); }
    QVariant data(const QModelIndex &index, int role) const override
    {
        if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
            return {};
        const Item &i = m_rows.at(index.row());
        if (role == Qt::UserRole)
            return i.key;
        return role == Qt::DisplayRole ? QVariant(i.value) : QVariant();
    }

private:
    QList<Item> m_rows;
};

// Rebuilds the model's rows from its signals alone and counts them.
struct Mirror
{
    explicit Mirror(ItemModel &m) : model(m)
    {
        rows = m.rows();
        QObject::connect(&m, &QAbstractItemModel::rowsInserted, [this](const QModelIndex &, int first, int last) {
            ++inserts;
            for (int r = first; r <= last; ++r)
                rows.insert(r, read(r));
        });
        QObject::connect(&m, &QAbstractItemModel::rowsRemoved, [this](const QModelIndex &, int first, int last) {
            ++removes;
            rows.remove(first, last - first + 1);
        });
        QObject::connect(&m, &QAbstractItemModel::rowsMoved,
                         [this](const QModelIndex &, int start, int end, const QModelIndex &, int dest) {
                             ++moves;
                             QCOMPARE(start, end); // RowDiffModel moves one row at a time
                             rows.move(start, dest > start ? dest - 1 : dest);
                         });
        QObject::connect(&m, &QAbstractItemModel::dataChanged, [this](const QModelIndex &tl, const QModelIndex &br) {
            ++changes;
            for (int r = tl.row(); r <= br.row(); ++r)
                rows[r] = read(r);
        });
        QObject::connect(&m, &QAbstractItemModel::modelReset, [this] { ++resets; });
    }
    Item read(int row) const
    {
        const QModelIndex i = model.index(row);
        return Item{i.data(Qt::UserRole).toInt(), i.data(Qt::DisplayRole).toInt()};
    }
    void resetCounts() { inserts = removes = moves = changes = resets = 0; }
    ItemModel &model;
    QList<Item> rows;
    int inserts = 0, removes = 0, moves = 0, changes = 0, resets = 0;
};

QList<Item> items(std::initializer_list<int> keys, int value = 0)
{
    QList<Item> out;
    for (int k : keys)
        out.append(Item{k, value});
    return out;
}

QList<Item> randomList(QRandomGenerator &rng, int keySpace, int valueSpace)
{
    QList<int> keys;
    for (int k = 0; k < keySpace; ++k)
        if (rng.bounded(3) != 0)
            keys.append(k);
    for (qsizetype i = keys.size() - 1; i > 0; --i) // Fisher-Yates
        keys.swapItemsAt(i, rng.bounded(int(i + 1)));
    QList<Item> out;
    for (int k : keys)
        out.append(Item{k, rng.bounded(valueSpace)});
    return out;
}

// `base` with a few local edits: value changes, a removal, an insertion, a moved row.
QList<Item> nearby(QRandomGenerator &rng, QList<Item> base, int keySpace)
{
    const int edits = 1 + rng.bounded(4);
    for (int e = 0; e < edits && !base.isEmpty(); ++e) {
        switch (rng.bounded(4)) {
        case 0: base[rng.bounded(int(base.size()))].value += 1; break;
        case 1: base.remove(rng.bounded(int(base.size()))); break;
        case 2: {
            const int key = keySpace + rng.bounded(1000);
            if (std::none_of(base.cbegin(), base.cend(), [&](const Item &i) { return i.key == key; }))
                base.insert(rng.bounded(int(base.size() + 1)), Item{key, 0});
            break;
        }
        default: base.move(rng.bounded(int(base.size())), rng.bounded(int(base.size()))); break;
        }
    }
    return base;
}

} // namespace

class TestRowDiff : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void randomLists_data();
    void randomLists();
    void countedEdits_data();
    void countedEdits();
    void appendRowsAddsAtTheEnd();
    void appendNothingEmitsNothing();
    void sameListEmitsNothing();
};

void TestRowDiff::randomLists_data()
{
    QTest::addColumn<quint32>("seed");
    QTest::addColumn<int>("keySpace");
    QTest::addColumn<bool>("local"); // next is a small edit of the old list (the sync case)
    for (quint32 seed = 1; seed <= 40; ++seed) {
        const int keySpace = seed % 4 == 0 ? 3 : int(5 + seed * 3);
        QTest::addRow("unrelated_seed%u", seed) << seed << keySpace << false;
        QTest::addRow("nearby_seed%u", seed) << seed << keySpace << true;
    }
    QTest::newRow("emptyToEmpty") << quint32(0) << 0 << false;
}

void TestRowDiff::randomLists()
{
    QFETCH(quint32, seed);
    QFETCH(int, keySpace);
    QFETCH(bool, local);
    QRandomGenerator rng(seed);
    ItemModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    Mirror mirror(model);
    for (int round = 0; round < 6; ++round) {
        const QList<Item> next =
            local ? nearby(rng, model.rows(), keySpace) : randomList(rng, keySpace, 3);
        model.set(next);
        QCOMPARE(model.rows(), next);
        QCOMPARE(mirror.rows, next);
        QCOMPARE(model.rowCount(), int(next.size()));
    }
    QCOMPARE(mirror.resets, 0);
}

void TestRowDiff::countedEdits_data()
{
    QTest::addColumn<QList<Item>>("before");
    QTest::addColumn<QList<Item>>("after");
    QTest::addColumn<int>("inserts");
    QTest::addColumn<int>("removes");
    QTest::addColumn<int>("moves");
    QTest::addColumn<int>("changes");
    QList<Item> changedMiddle = items({1, 2, 3, 4, 5});
    changedMiddle[2].value = 7;
    QList<Item> changedTwo = items({1, 2, 3, 4, 5});
    changedTwo[0].value = 7;
    changedTwo[4].value = 7;
    QList<Item> movedAndChanged = items({3, 1, 2});
    movedAndChanged[0].value = 9;
    QTest::newRow("oneRowChanged") << items({1, 2, 3, 4, 5}) << changedMiddle << 0 << 0 << 0 << 1;
    QTest::newRow("twoRowsChanged") << items({1, 2, 3, 4, 5}) << changedTwo << 0 << 0 << 0 << 2;
    QTest::newRow("insertAtFront") << items({1, 2, 3}) << items({0, 1, 2, 3}) << 1 << 0 << 0 << 0;
    QTest::newRow("insertInMiddle") << items({1, 2, 3}) << items({1, 9, 2, 3}) << 1 << 0 << 0 << 0;
    QTest::newRow("appendTwo") << items({1, 2}) << items({1, 2, 3, 4}) << 2 << 0 << 0 << 0;
    QTest::newRow("removeMiddle") << items({1, 2, 3}) << items({1, 3}) << 0 << 1 << 0 << 0;
    QTest::newRow("removeRunAtOnce") << items({1, 2, 3, 4, 5}) << items({1, 5}) << 0 << 1 << 0 << 0;
    QTest::newRow("removeTwoRuns") << items({1, 2, 3, 4, 5}) << items({2, 4}) << 0 << 3 << 0 << 0;
    QTest::newRow("removeAll") << items({1, 2, 3}) << QList<Item>() << 0 << 1 << 0 << 0;
    QTest::newRow("fillEmpty") << QList<Item>() << items({1, 2}) << 2 << 0 << 0 << 0;
    QTest::newRow("swapTwo") << items({1, 2, 3}) << items({2, 1, 3}) << 0 << 0 << 1 << 0;
    QTest::newRow("lastToFront") << items({1, 2, 3}) << items({3, 1, 2}) << 0 << 0 << 1 << 0;
    QTest::newRow("movedAndChanged") << items({1, 2, 3}) << movedAndChanged << 0 << 0 << 1 << 1;
    QTest::newRow("reverseFour") << items({1, 2, 3, 4}) << items({4, 3, 2, 1}) << 0 << 0 << 3 << 0;
    QTest::newRow("replaceOne") << items({1, 2, 3}) << items({1, 4, 3}) << 1 << 1 << 0 << 0;
}

void TestRowDiff::countedEdits()
{
    QFETCH(QList<Item>, before);
    QFETCH(QList<Item>, after);
    QFETCH(int, inserts);
    QFETCH(int, removes);
    QFETCH(int, moves);
    QFETCH(int, changes);
    ItemModel model;
    model.set(before);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    Mirror mirror(model);
    model.set(after);
    QCOMPARE(model.rows(), after);
    QCOMPARE(mirror.rows, after);
    QCOMPARE(mirror.inserts, inserts);
    QCOMPARE(mirror.removes, removes);
    QCOMPARE(mirror.moves, moves);
    QCOMPARE(mirror.changes, changes);
    QCOMPARE(mirror.resets, 0);
}

void TestRowDiff::appendRowsAddsAtTheEnd()
{
    ItemModel model;
    model.set(items({1, 2}));
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    Mirror mirror(model);
    model.append(items({3, 4, 5}));
    QCOMPARE(model.rows(), items({1, 2, 3, 4, 5}));
    QCOMPARE(mirror.rows, model.rows());
    QCOMPARE(mirror.inserts, 1); // one page = one insert
    QCOMPARE(mirror.resets, 0);
}

void TestRowDiff::appendNothingEmitsNothing()
{
    ItemModel model;
    model.set(items({1}));
    Mirror mirror(model);
    model.append({});
    QCOMPARE(mirror.inserts + mirror.removes + mirror.moves + mirror.changes + mirror.resets, 0);
}

void TestRowDiff::sameListEmitsNothing()
{
    ItemModel model;
    model.set(items({1, 2, 3}, 5));
    Mirror mirror(model);
    model.set(items({1, 2, 3}, 5));
    QCOMPARE(mirror.inserts + mirror.removes + mirror.moves + mirror.changes + mirror.resets, 0);
}

QTEST_GUILESS_MAIN(TestRowDiff)
#include "tst_app_rowdiff.moc"
