// The OpenAPI document: served, well formed, and in step with the server's routes: every documented
// operation is registered (the router answers it, not the missing-route handler), the route table the
// server reports is exactly the document's, and each operation documents its parameters and errors.
#include "tests/support/testserver.h"

#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using outpost::test::HttpReply;
using outpost::test::TestServer;

namespace {

const QStringList kMethods{u"get"_s, u"post"_s, u"put"_s, u"patch"_s, u"delete"_s};

QSet<QString> documentedRoutes(const QJsonObject &doc)
{
    QSet<QString> routes;
    const QJsonObject paths = doc.value(u"paths"_s).toObject();
    for (auto it = paths.begin(); it != paths.end(); ++it) {
        const QJsonObject item = it.value().toObject();
        for (const QString &m : kMethods) {
            if (item.contains(m))
                routes.insert(m.toUpper() + u' ' + it.key());
        }
    }
    return routes;
}

// The shared Error response, or a response whose schema is the Error schema, extends it (allOf) or
// has the "error" member of the envelope.
bool isErrorEnvelope(const QJsonObject &response)
{
    if (response.value(u"$ref"_s).toString() == u"#/components/responses/Error"_s)
        return true;
    const QJsonObject schema = response.value(u"content"_s)
                                   .toObject()
                                   .value(u"application/json"_s)
                                   .toObject()
                                   .value(u"schema"_s)
                                   .toObject();
    const QString errorSchema = u"#/components/schemas/Error"_s;
    if (schema.value(u"$ref"_s).toString() == errorSchema)
        return true;
    for (const QJsonValue &part : schema.value(u"allOf"_s).toArray()) {
        if (part.toObject().value(u"$ref"_s).toString() == errorSchema)
            return true;
    }
    return schema.value(u"properties"_s).toObject().contains(u"error"_s);
}

} // namespace

class TstOpenApi : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void servedDocumentIsTheSourceFile();
    void serverRouteTableMatchesTheDocument();
    void everyDocumentedOperationIsRegistered_data();
    void everyDocumentedOperationIsRegistered();
    void everyOperationIsDescribed_data();
    void everyOperationIsDescribed();
    void errorEnvelopeListsTheCodes();

private:
    void addOperationRows();

    TestServer m_server;
    QJsonObject m_doc;
};

void TstOpenApi::initTestCase()
{
    QVERIFY(m_server.start());
    const HttpReply r = m_server.get(u"/v1/openapi.json"_s);
    QCOMPARE(r.status, 200);
    QVERIFY(r.contentType.startsWith("application/json"));
    m_doc = r.json;
    QCOMPARE(m_doc.value(u"openapi"_s).toString(), u"3.0.3"_s);
    QVERIFY(!m_doc.value(u"paths"_s).toObject().isEmpty());
}

void TstOpenApi::servedDocumentIsTheSourceFile()
{
    QFile f(QStringLiteral(OUTPOST_SOURCE_DIR "/server/openapi.json"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(f.readAll()).object(), m_doc);
}

void TstOpenApi::serverRouteTableMatchesTheDocument()
{
    const HttpReply r = m_server.get(u"/v1/health?routes=1"_s);
    QCOMPARE(r.status, 200);
    QSet<QString> reported;
    for (const QJsonValue &v : r.json.value(u"routes"_s).toArray()) {
        const QJsonObject route = v.toObject();
        reported.insert(route.value(u"method"_s).toString() + u' ' + route.value(u"path"_s).toString());
    }
    QCOMPARE(reported, documentedRoutes(m_doc));
}

void TstOpenApi::addOperationRows()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("path");
    const QJsonObject paths = m_doc.value(u"paths"_s).toObject();
    for (auto it = paths.begin(); it != paths.end(); ++it) {
        for (const QString &m : kMethods) {
            if (it.value().toObject().contains(m)) {
                const QString name = m.toUpper() + u' ' + it.key();
                QTest::newRow(qPrintable(name)) << m << it.key();
            }
        }
    }
}

void TstOpenApi::everyDocumentedOperationIsRegistered_data()
{
    addOperationRows();
}

void TstOpenApi::everyDocumentedOperationIsRegistered()
{
    QFETCH(QString, method);
    QFETCH(QString, path);
    // Path parameters get a plausible value; the route must answer with anything but "no route".
    QString concrete = path;
    concrete.replace(QRegularExpression(u"\\{[^}]+\\}"_s), u"1"_s);
    const QByteArray body = method == u"get"_s || method == u"delete"_s ? QByteArray() : QByteArray("{}");
    const HttpReply r = outpost::test::httpRequest(method.toUpper().toLatin1(), m_server.url(concrete), body);
    QVERIFY2(r.status != 0, "transport failure");
    QVERIFY2(r.errorCode() != u"route.not_found"_s, qPrintable(concrete));
    QVERIFY2(r.errorCode() != u"request.method_not_allowed"_s, qPrintable(concrete));
    QVERIFY2(r.status < 500 || r.status == 503, r.body.constData());
}

void TstOpenApi::everyOperationIsDescribed_data()
{
    addOperationRows();
}

void TstOpenApi::everyOperationIsDescribed()
{
    QFETCH(QString, method);
    QFETCH(QString, path);
    const QJsonObject op = m_doc.value(u"paths"_s).toObject().value(path).toObject().value(method).toObject();
    QVERIFY(!op.value(u"summary"_s).toString().isEmpty());
    const QJsonObject responses = op.value(u"responses"_s).toObject();
    QVERIFY(!responses.isEmpty());
    bool hasSuccess = false;
    for (auto it = responses.begin(); it != responses.end(); ++it) {
        if (it.key().startsWith(u'2'))
            hasSuccess = true;
        if (it.key().startsWith(u'4')) // errors use the shared envelope (or extend it)
            QVERIFY2(isErrorEnvelope(it.value().toObject()), qPrintable(it.key()));
    }
    QVERIFY(hasSuccess);

    // Each {param} of the path is declared as a path parameter (inline or through a $ref).
    const QJsonObject shared = m_doc.value(u"components"_s).toObject().value(u"parameters"_s).toObject();
    QSet<QString> declared;
    for (const QJsonValue &p : op.value(u"parameters"_s).toArray()) {
        QJsonObject param = p.toObject();
        const QString ref = param.value(u"$ref"_s).toString();
        if (!ref.isEmpty()) {
            QVERIFY2(ref.startsWith(u"#/components/parameters/"_s), qPrintable(ref));
            param = shared.value(ref.section(u'/', -1)).toObject();
            QVERIFY2(!param.isEmpty(), qPrintable(ref));
        }
        if (param.value(u"in"_s).toString() == u"path"_s)
            declared.insert(param.value(u"name"_s).toString());
    }
    QSet<QString> inPath;
    auto matches = QRegularExpression(u"\\{([^}]+)\\}"_s).globalMatch(path);
    while (matches.hasNext())
        inPath.insert(matches.next().captured(1));
    QCOMPARE(declared, inPath);
    if (method == u"post"_s && !path.startsWith(u"/v1/auth/logout"_s))
        QVERIFY2(op.contains(u"requestBody"_s), "a POST documents its body");
}

void TstOpenApi::errorEnvelopeListsTheCodes()
{
    const QJsonObject schemas = m_doc.value(u"components"_s).toObject().value(u"schemas"_s).toObject();
    const QJsonObject error = schemas.value(u"Error"_s).toObject();
    QVERIFY(error.value(u"required"_s).toArray().contains(u"error"_s));
    const QJsonObject inner = error.value(u"properties"_s).toObject().value(u"error"_s).toObject();
    QVERIFY(inner.value(u"properties"_s).toObject().contains(u"code"_s));
    QVERIFY(inner.value(u"properties"_s).toObject().contains(u"message"_s));
    const QJsonArray codes = schemas.value(u"ErrorCode"_s).toObject().value(u"enum"_s).toArray();
    for (const QString &code : {u"request.malformed_json"_s, u"request.too_large"_s, u"route.not_found"_s,
                                u"auth.invalid_credentials"_s, u"auth.token_expired"_s,
                                u"auth.refresh_reused"_s, u"account.not_found"_s, u"product.not_found"_s})
        QVERIFY2(codes.contains(code), qPrintable(code));
}

QTEST_GUILESS_MAIN(TstOpenApi)
#include "tst_openapi.moc"
