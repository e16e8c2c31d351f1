// compareWithExpected(): the differences between a golden case's expectations and actual results.
#include "tests/support/golden.h"

#include <QJsonArray>
#include <QMap>

#include <functional>

namespace outpost::test {

using namespace Qt::Literals::StringLiterals;

namespace {

class Diff
{
public:
    QStringList out;

    void value(const QString &where, const QJsonValue &expected, qint64 actual)
    {
        const qint64 e = expected.toInteger();
        if (e != actual)
            out << u"%1: expected %2, got %3"_s.arg(where).arg(e).arg(actual);
    }
    void text(const QString &where, const QString &expected, const QString &actual)
    {
        if (expected != actual)
            out << u"%1: expected \"%2\", got \"%3\""_s.arg(where, expected, actual);
    }
    // Order-insensitive comparison of two lists of strings.
    void multiset(const QString &where, QStringList expected, QStringList actual)
    {
        expected.sort();
        actual.sort();
        if (expected != actual)
            out << u"%1: expected [%2], got [%3]"_s.arg(where, expected.join(u", "_s), actual.join(u", "_s));
    }
};

QStringList strings(const QJsonArray &a)
{
    QStringList out;
    for (const QJsonValue &v : a)
        out << v.toString();
    return out;
}

// Expected objects keyed by lineNo; reports duplicates and missing/extra lines.
template <typename T>
void matchLines(Diff &diff, const QString &section, const QJsonArray &expected, const std::vector<T> &actual,
                const std::function<int(const T &)> &lineNoOf,
                const std::function<void(const QString &, const QJsonObject &, const T &)> &compare)
{
    QMap<int, QJsonObject> byLine;
    for (const QJsonValue &v : expected)
        byLine.insert(int(v.toObject().value(u"lineNo"_s).toInteger()), v.toObject());
    QMap<int, const T *> actualByLine;
    for (const T &a : actual) {
        const int n = lineNoOf(a);
        if (actualByLine.contains(n))
            diff.out << u"%1[lineNo=%2]: appears more than once in the result"_s.arg(section).arg(n);
        actualByLine.insert(n, &a);
    }
    for (auto it = byLine.cbegin(); it != byLine.cend(); ++it) {
        const QString where = u"%1[lineNo=%2]"_s.arg(section).arg(it.key());
        if (!actualByLine.contains(it.key()))
            diff.out << where + u": expected, missing from the result"_s;
        else
            compare(where, it.value(), *actualByLine.value(it.key()));
    }
    for (auto it = actualByLine.cbegin(); it != actualByLine.cend(); ++it) {
        if (!byLine.contains(it.key()))
            diff.out << u"%1[lineNo=%2]: not expected, present in the result"_s.arg(section).arg(it.key());
    }
}

void compareTotals(Diff &diff, const QString &where, const QJsonObject &e, const OrderTotals &t)
{
    diff.value(where + u".gross"_s, e.value(u"gross"_s), t.grossMinor);
    diff.value(where + u".lineDiscount"_s, e.value(u"lineDiscount"_s), t.lineDiscountMinor);
    diff.value(where + u".net"_s, e.value(u"net"_s), t.netMinor);
    diff.value(where + u".orderDiscount"_s, e.value(u"orderDiscount"_s), t.orderDiscountMinor);
    if (e.contains(u"taxable"_s))
        diff.value(where + u".taxable"_s, e.value(u"taxable"_s), t.taxableMinor);
    diff.value(where + u".tax"_s, e.value(u"tax"_s), t.taxMinor);
    diff.value(where + u".total"_s, e.value(u"total"_s), t.totalMinor);
}

QString findingKey(const QString &code, const QString &severity, qint64 lineNo)
{
    return u"%1/%2/line %3"_s.arg(code, severity).arg(lineNo);
}

} // namespace

QStringList compareWithExpected(const GoldenCase &c, const PricedOrder &p, const std::vector<Finding> &f,
                                const OrderDecision &d)
{
    Diff diff;
    const QJsonObject e = c.expected;

    matchLines<PricedLine>(
        diff, u"lines"_s, e.value(u"lines"_s).toArray(), p.lines,
        [](const PricedLine &l) { return l.lineNo; },
        [&diff](const QString &w, const QJsonObject &x, const PricedLine &l) {
            diff.value(w + u".baseUnitPrice"_s, x.value(u"baseUnitPrice"_s), l.baseUnitPriceMinor);
            diff.value(w + u".unitPrice"_s, x.value(u"unitPrice"_s), l.unitPriceMinor);
            diff.value(w + u".gross"_s, x.value(u"gross"_s), l.grossMinor);
            diff.value(w + u".lineDiscount"_s, x.value(u"lineDiscount"_s), l.lineDiscountMinor);
            diff.value(w + u".net"_s, x.value(u"net"_s), l.netMinor);
            diff.value(w + u".orderDiscount"_s, x.value(u"orderDiscount"_s), l.orderDiscountMinor);
            diff.value(w + u".tax"_s, x.value(u"tax"_s), l.taxMinor);
            diff.value(w + u".total"_s, x.value(u"total"_s), l.totalMinor);
            diff.text(w + u".source"_s, x.value(u"source"_s).toString(),
                      PriceExplanation::sourceName(l.why.source));
            diff.text(w + u".promotionCode"_s, x.value(u"promotionCode"_s).toString(), l.why.promotionCode);
        });
    compareTotals(diff, u"totals"_s, e.value(u"totals"_s).toObject(), p.totals);

    QStringList expectedFindings;
    for (const QJsonValue &v : e.value(u"findings"_s).toArray()) {
        const QJsonObject o = v.toObject();
        expectedFindings << findingKey(o.value(u"code"_s).toString(), o.value(u"severity"_s).toString(),
                                       o.value(u"lineNo"_s).toInteger());
    }
    QStringList actualFindings;
    for (const Finding &x : f)
        actualFindings << findingKey(x.code, Finding::severityName(x.severity), x.lineNo);
    diff.multiset(u"findings"_s, expectedFindings, actualFindings);

    const QJsonObject ed = e.value(u"decision"_s).toObject();
    diff.text(u"decision.outcome"_s, ed.value(u"outcome"_s).toString(), outcomeName(d.outcome));
    diff.multiset(u"decision.holdReasons"_s, strings(ed.value(u"holdReasons"_s).toArray()),
                  QStringList(d.holdReasons.begin(), d.holdReasons.end()));
    if (ed.contains(u"totals"_s))
        compareTotals(diff, u"decision.totals"_s, ed.value(u"totals"_s).toObject(), d.totals);
    matchLines<LineDecision>(
        diff, u"decision.lines"_s, ed.value(u"lines"_s).toArray(), d.lines,
        [](const LineDecision &l) { return l.lineNo; },
        [&diff](const QString &w, const QJsonObject &x, const LineDecision &l) {
            diff.text(w + u".outcome"_s, x.value(u"outcome"_s).toString(), outcomeName(l.outcome));
            diff.value(w + u".quantity"_s, x.value(u"quantity"_s), l.quantity);
            diff.value(w + u".backorderedQuantity"_s, x.value(u"backorderedQuantity"_s),
                       l.backorderedQuantity);
            QStringList codes;
            for (const Adjustment &a : l.adjustments)
                codes << a.code;
            diff.multiset(w + u".adjustments"_s, strings(x.value(u"adjustments"_s).toArray()), codes);
            if (x.contains(u"unitPrice"_s))
                diff.value(w + u".unitPrice"_s, x.value(u"unitPrice"_s), l.priced.unitPriceMinor);
            if (x.contains(u"total"_s))
                diff.value(w + u".total"_s, x.value(u"total"_s), l.priced.totalMinor);
        });
    return diff.out;
}

} // namespace outpost::test
