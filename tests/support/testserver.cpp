#include "tests/support/testserver.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonParseError>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

using namespace Qt::Literals::StringLiterals;

namespace outpost::test {

namespace {

constexpr int kRequestTimeoutMs = 30000;
constexpr int kStartTimeoutMs = 30000;
constexpr int kCommandTimeoutMs = 300000;
const QByteArray kListeningPrefix = "outpost-server listening on ";

} // namespace

QString serverExecutable()
{
    return QStringLiteral(OUTPOST_SERVER_EXE);
}

HttpReply httpRequest(const QByteArray &method, const QUrl &url, const QByteArray &body,
                      const QByteArray &bearerToken, const QByteArray &contentType)
{
    QNetworkAccessManager nam;
    nam.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    if (!contentType.isEmpty() && (!body.isEmpty() || method == "POST" || method == "PUT"))
        request.setRawHeader("Content-Type", contentType);
    if (!bearerToken.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + bearerToken);

    QNetworkReply *reply = nam.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    timer.start(kRequestTimeoutMs);
    if (!reply->isFinished())
        loop.exec();

    HttpReply result;
    if (!reply->isFinished()) {
        reply->abort();
        reply->deleteLater();
        return result;
    }
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    result.contentType = reply->rawHeader("Content-Type");
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(result.body, &error);
    if (error.error == QJsonParseError::NoError && doc.isObject())
        result.json = doc.object();
    reply->deleteLater();
    return result;
}

TestServer::TestServer() = default;

TestServer::~TestServer()
{
    stop();
}

QString TestServer::dbPath() const
{
    return m_dir.filePath(u"server.db"_s);
}

bool TestServer::seed(const QString &size)
{
    const QString marker = m_dir.filePath(u"seeded"_s);
    if (QFile::exists(marker))
        return true;
    QByteArray output;
    const int rc = runCommand({u"seed"_s, u"--size"_s, size}, &output);
    if (rc != 0) {
        qWarning("seed failed (exit %d): %s", rc, output.constData());
        return false;
    }
    QFile f(marker);
    return f.open(QIODevice::WriteOnly);
}

int TestServer::runCommand(const QStringList &args, QByteArray *output)
{
    QStringList full = args;
    if (!full.isEmpty() && !full.contains(u"--db"_s)) {
        full.insert(1, u"--db"_s);
        full.insert(2, dbPath());
    }
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(serverExecutable(), full);
    if (!p.waitForStarted()) {
        if (output)
            *output = p.errorString().toUtf8();
        return -1;
    }
    if (!p.waitForFinished(kCommandTimeoutMs)) {
        p.kill();
        p.waitForFinished();
        if (output)
            *output = p.readAll() + "\n(timed out)";
        return -1;
    }
    if (output)
        *output = p.readAll();
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

bool TestServer::start(const QStringList &extraArgs)
{
    stop();
    m_process.setReadChannel(QProcess::StandardOutput);
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QStringList args{u"serve"_s, u"--db"_s, dbPath(), u"--listen"_s, u"127.0.0.1:0"_s};
    args << extraArgs;
    m_process.start(serverExecutable(), args);
    if (!m_process.waitForStarted()) {
        qWarning("cannot start %s: %s", qPrintable(serverExecutable()), qPrintable(m_process.errorString()));
        return false;
    }
    QByteArray seen;
    const QDeadlineTimer deadline(kStartTimeoutMs);
    while (!deadline.hasExpired()) {
        if (!m_process.canReadLine() && !m_process.waitForReadyRead(int(deadline.remainingTime()))) {
            if (m_process.state() == QProcess::NotRunning)
                break;
            continue;
        }
        while (m_process.canReadLine()) {
            const QByteArray line = m_process.readLine().trimmed();
            seen += line + '\n';
            if (line.startsWith(kListeningPrefix)) {
                m_base = QUrl(QString::fromLatin1(line.mid(kListeningPrefix.size())));
                return m_base.isValid() && m_base.port() > 0;
            }
        }
    }
    qWarning("server did not report listening; stdout was: %s", seen.constData());
    stop();
    return false;
}

void TestServer::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(15000)) {
        m_process.kill();
        m_process.waitForFinished();
    }
}

void TestServer::kill()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.kill();
    m_process.waitForFinished();
}

QUrl TestServer::url(const QString &path) const
{
    return QUrl(m_base.toString() + path);
}

HttpReply TestServer::get(const QString &path, const QByteArray &token) const
{
    return httpRequest("GET", url(path), {}, token);
}

HttpReply TestServer::post(const QString &path, const QJsonObject &body, const QByteArray &token) const
{
    return httpRequest("POST", url(path), QJsonDocument(body).toJson(QJsonDocument::Compact), token);
}

HttpReply TestServer::postRaw(const QString &path, const QByteArray &body, const QByteArray &token,
                              const QByteArray &contentType) const
{
    return httpRequest("POST", url(path), body, token, contentType);
}

HttpReply TestServer::del(const QString &path, const QByteArray &token) const
{
    return httpRequest("DELETE", url(path), {}, token);
}

HttpReply TestServer::signIn(const QString &tenant, const QString &user, const QString &deviceId,
                             const QString &password) const
{
    return post(u"/v1/auth/login"_s, QJsonObject{{u"tenant"_s, tenant},
                                                 {u"user"_s, user},
                                                 {u"password"_s, password},
                                                 {u"deviceId"_s, deviceId}});
}

QByteArray TestServer::login(const QString &tenant, const QString &user, const QString &password,
                             const QString &deviceId) const
{
    const HttpReply r = signIn(tenant, user, deviceId, password);
    if (r.status != 200)
        return {};
    return r.json.value(u"accessToken"_s).toString().toLatin1();
}

} // namespace outpost::test
