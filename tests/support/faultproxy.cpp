#include "tests/support/faultproxy.h"

#include <QHostAddress>
#include <QList>
#include <QMutex>
#include <QMutexLocker>
#include <QPointer>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <optional>

using namespace Qt::Literals::StringLiterals;

namespace outpost::test {

namespace {

constexpr qsizetype kMaxHeaderBytes = 64 * 1024;
constexpr std::chrono::seconds kDuplicateLifetime{60};

// Splits a client's byte stream into whole HTTP/1.1 requests (Content-Length framing; a chunked
// request body stops the splitting for that connection: it is forwarded but never duplicated).
class RequestSplitter
{
public:
    QList<QByteArray> feed(const QByteArray &data)
    {
        QList<QByteArray> complete;
        if (m_broken)
            return complete;
        m_buffer += data;
        for (;;) {
            if (m_expected < 0) {
                const qsizetype end = m_buffer.indexOf("\r\n\r\n");
                if (end < 0) {
                    if (m_buffer.size() > kMaxHeaderBytes)
                        breakOff();
                    break;
                }
                const auto length = contentLength(m_buffer.left(end));
                if (!length) {
                    breakOff();
                    break;
                }
                m_expected = end + 4 + *length;
            }
            if (m_buffer.size() < m_expected)
                break;
            complete.append(m_buffer.left(m_expected));
            m_buffer.remove(0, m_expected);
            m_expected = -1;
        }
        return complete;
    }

private:
    // nullopt when the request cannot be framed (chunked, bad length).
    static std::optional<qint64> contentLength(const QByteArray &header)
    {
        qint64 length = 0;
        const QList<QByteArray> lines = header.split('\n');
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon < 0)
                continue;
            const QByteArray name = line.left(colon).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed();
            if (name == "transfer-encoding" && value.toLower() != "identity")
                return std::nullopt;
            if (name == "content-length") {
                bool ok = false;
                length = value.toLongLong(&ok);
                if (!ok || length < 0)
                    return std::nullopt;
            }
        }
        return length;
    }
    void breakOff()
    {
        m_broken = true;
        m_buffer.clear();
    }

    QByteArray m_buffer;
    qint64 m_expected = -1;
    bool m_broken = false;
};

QByteArray drain(QTcpSocket *socket)
{
    return socket->isOpen() ? socket->readAll() : QByteArray();
}

} // namespace

// Shared state: written by the test thread (config, port), read and counted by the proxy thread.
class FaultProxyCore
{
public:
    explicit FaultProxyCore(quint32 seed) : rng(seed) {}

    FaultConfig config() const
    {
        QMutexLocker lock(&mutex);
        return cfg;
    }
    template<typename F>
    void count(F &&f)
    {
        QMutexLocker lock(&mutex);
        f(counters);
    }
    // Only ever used on the proxy thread.
    double uniform() { return rng.generateDouble(); }
    int bounded(int lowest, int highest) { return rng.bounded(lowest, highest + 1); }

    mutable QMutex mutex;
    FaultConfig cfg;
    FaultStats counters;
    std::atomic<quint16> upstreamPort{0};
    std::atomic<quint16> listenPort{0};
    QRandomGenerator rng;
    QThread thread;
    QObject *worker = nullptr;
};

namespace {

// One replayed request: sent on its own upstream connection, its answer read and dropped.
class Duplicate : public QObject
{
public:
    Duplicate(FaultProxyCore &core, QByteArray request, std::chrono::milliseconds delay, QObject *parent)
        : QObject(parent), m_core(core), m_request(std::move(request)), m_socket(new QTcpSocket(this))
    {
        connect(m_socket, &QTcpSocket::connected, this, [this] { m_socket->write(m_request); });
        connect(m_socket, &QTcpSocket::readyRead, this, &Duplicate::onData);
        connect(m_socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
        connect(m_socket, &QTcpSocket::errorOccurred, this, [this] { deleteLater(); });
        QTimer::singleShot(kDuplicateLifetime, this, [this] { abort(); });
        QTimer::singleShot(delay, this, [this] {
            m_socket->connectToHost(QHostAddress::LocalHost, m_core.upstreamPort.load());
        });
        m_core.count([](FaultStats &s) { ++s.duplicatesSent; });
    }
    void abort()
    {
        m_socket->abort();
        deleteLater();
    }

private:
    void onData()
    {
        m_answer += drain(m_socket);
        const qsizetype eol = m_answer.indexOf("\r\n");
        if (eol < 0)
            return;
        // "HTTP/1.1 201 Created"
        const QList<QByteArray> parts = m_answer.left(eol).split(' ');
        const int status = parts.size() >= 2 ? parts.at(1).toInt() : 0;
        m_core.count([status](FaultStats &s) {
            ++s.duplicatesAnswered;
            ++s.duplicateStatuses[status];
        });
        abort();
    }

    FaultProxyCore &m_core;
    QByteArray m_request;
    QByteArray m_answer;
    QTcpSocket *m_socket;
};

// One client connection and its upstream connection.
class Link : public QObject
{
public:
    using SpawnDuplicate = std::function<void(QByteArray, std::chrono::milliseconds)>;

    Link(FaultProxyCore &core, QTcpSocket *client, SpawnDuplicate spawnDuplicate, QObject *parent)
        : QObject(parent), m_core(core), m_client(client), m_upstream(new QTcpSocket(this)),
          m_spawnDuplicate(std::move(spawnDuplicate))
    {
        m_client->setParent(this);
        const FaultConfig cfg = m_core.config();
        if (cfg.cutProbability > 0 && m_core.uniform() < cfg.cutProbability) {
            Direction &d = m_core.uniform() < cfg.cutUpstreamShare ? m_up : m_down;
            d.cutAt = cutOffset(cfg);
        }
        m_core.count([](FaultStats &s) { ++s.connections; });

        connect(m_client, &QTcpSocket::readyRead, this, [this] { onClientData(); });
        connect(m_client, &QTcpSocket::disconnected, this, [this] {
            onClientData();
            m_up.eof = true;
            pump(m_up);
            finishIfDone();
        });
        connect(m_upstream, &QTcpSocket::connected, this, [this] { pump(m_up); });
        connect(m_upstream, &QTcpSocket::readyRead, this, [this] { receive(m_down, drain(m_upstream)); });
        connect(m_upstream, &QTcpSocket::disconnected, this, [this] {
            receive(m_down, drain(m_upstream));
            m_down.eof = true;
            pump(m_down);
            finishIfDone();
        });
        connect(m_upstream, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
            if (!m_upstreamSeen && m_upstream->state() != QAbstractSocket::ConnectedState) {
                // The server is down (or restarting): the client sees its connection close.
                m_core.count([](FaultStats &s) { ++s.upstreamFailures; });
                m_client->abort();
            }
            finishIfDone();
        });
        connect(m_upstream, &QTcpSocket::connected, this, [this] { m_upstreamSeen = true; });
        m_upstream->connectToHost(QHostAddress::LocalHost, m_core.upstreamPort.load());
        onClientData(); // bytes that arrived before the signals were connected
    }

    void abortAll()
    {
        m_closed = true;
        m_client->abort();
        m_upstream->abort();
        deleteLater();
    }

private:
    struct Direction
    {
        QByteArray pending;
        qint64 forwarded = 0;
        qint64 cutAt = -1; // -1 = never
        bool delayed = false;
        bool eof = false;
    };

    qint64 cutOffset(const FaultConfig &cfg)
    {
        const qint64 lo = std::max<qint64>(0, cfg.minCutOffset);
        const qint64 hi = std::max(lo, cfg.maxCutOffset);
        const double span = std::log(double(hi - lo) + 1.0);
        return std::min(hi, lo + qint64(std::exp(m_core.uniform() * span)) - 1);
    }

    void onClientData()
    {
        const QByteArray data = drain(m_client);
        if (data.isEmpty())
            return;
        const FaultConfig cfg = m_core.config();
        for (QByteArray &request : m_splitter.feed(data)) {
            const bool refresh = request.startsWith("POST /v1/auth/refresh ");
            m_core.count([refresh](FaultStats &s) {
                ++s.requests;
                s.tokenRefreshes += refresh ? 1 : 0;
            });
            if (cfg.duplicateProbability > 0 && m_core.uniform() < cfg.duplicateProbability) {
                if (refresh)
                    m_core.count([](FaultStats &s) { ++s.tokenRefreshesDuplicated; });
                const auto delay = std::chrono::milliseconds(m_core.bounded(0, int(cfg.maxDelay.count())));
                m_spawnDuplicate(std::move(request), delay);
            }
        }
        receive(m_up, data);
    }

    void receive(Direction &d, const QByteArray &data)
    {
        if (m_closed || data.isEmpty())
            return;
        d.pending += data;
        if (!d.delayed) {
            const FaultConfig cfg = m_core.config();
            if (cfg.delayProbability > 0 && m_core.uniform() < cfg.delayProbability) {
                d.delayed = true;
                m_core.count([](FaultStats &s) { ++s.delays; });
                const auto delay = std::chrono::milliseconds(m_core.bounded(1, int(std::max<qint64>(1, cfg.maxDelay.count()))));
                QTimer::singleShot(delay, this, [this, &d] {
                    d.delayed = false;
                    pump(d);
                    finishIfDone();
                });
                return;
            }
        }
        pump(d);
    }

    void pump(Direction &d)
    {
        if (m_closed || d.delayed)
            return;
        QTcpSocket *target = &d == &m_up ? m_upstream : m_client;
        const auto state = target->state();
        if (state == QAbstractSocket::HostLookupState || state == QAbstractSocket::ConnectingState)
            return; // flushed on connected
        if (state != QAbstractSocket::ConnectedState) {
            d.pending.clear();
            return;
        }
        if (d.cutAt >= 0 && d.forwarded + d.pending.size() >= d.cutAt) {
            const qint64 n = d.cutAt - d.forwarded;
            target->write(d.pending.left(n));
            d.forwarded += n;
            countBytes(d, n);
            d.pending.clear();
            cut(d);
            return;
        }
        if (!d.pending.isEmpty()) {
            target->write(d.pending);
            d.forwarded += d.pending.size();
            countBytes(d, d.pending.size());
            d.pending.clear();
        }
        if (d.eof)
            target->disconnectFromHost();
    }

    void countBytes(const Direction &d, qint64 n)
    {
        const bool upstream = &d == &m_up;
        m_core.count([upstream, n](FaultStats &s) { (upstream ? s.bytesUpstream : s.bytesDownstream) += n; });
    }

    // Delivers what was written before the offset, then closes both sides.
    void cut(Direction &d)
    {
        m_closed = true;
        const bool upstream = &d == &m_up;
        m_core.count([upstream](FaultStats &s) { ++(upstream ? s.cutsUpstream : s.cutsDownstream); });
        QTcpSocket *target = upstream ? m_upstream : m_client;
        QTcpSocket *other = upstream ? m_client : m_upstream;
        other->abort();
        target->disconnectFromHost();
        finishIfDone();
    }

    void finishIfDone()
    {
        const bool clientGone = m_client->state() == QAbstractSocket::UnconnectedState;
        const bool upstreamGone = m_upstream->state() == QAbstractSocket::UnconnectedState;
        if ((clientGone && upstreamGone) || (m_closed && clientGone && m_upstream->bytesToWrite() == 0)
            || (m_closed && upstreamGone && m_client->bytesToWrite() == 0)) {
            if (!m_finishing) {
                m_finishing = true;
                // Give a half-open side a moment to flush its FIN, then release the link.
                QTimer::singleShot(std::chrono::milliseconds(200), this, [this] { abortAll(); });
            }
        }
    }

    FaultProxyCore &m_core;
    QTcpSocket *m_client;
    QTcpSocket *m_upstream;
    Direction m_up;
    Direction m_down;
    SpawnDuplicate m_spawnDuplicate;
    RequestSplitter m_splitter;
    bool m_closed = false;
    bool m_upstreamSeen = false;
    bool m_finishing = false;
};

class Worker : public QObject
{
public:
    explicit Worker(FaultProxyCore &core) : m_core(core) {}

    bool listen()
    {
        m_server = new QTcpServer(this);
        connect(m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *client = m_server->nextPendingConnection()) {
                prune();
                m_links.append(new Link(
                    m_core, client,
                    [this](QByteArray request, std::chrono::milliseconds delay) {
                        m_duplicates.append(new Duplicate(m_core, std::move(request), delay, this));
                    },
                    this));
            }
        });
        if (!m_server->listen(QHostAddress::LocalHost, 0))
            return false;
        m_core.listenPort = m_server->serverPort();
        return true;
    }

    void dropAll()
    {
        prune();
        for (const QPointer<Link> &link : std::as_const(m_links))
            if (link)
                link->abortAll();
        for (const QPointer<Duplicate> &dup : std::as_const(m_duplicates))
            if (dup)
                dup->abort();
    }

    void shutdown()
    {
        dropAll();
        if (m_server)
            m_server->close();
    }

private:
    void prune()
    {
        m_links.removeIf([](const QPointer<Link> &p) { return p.isNull(); });
        m_duplicates.removeIf([](const QPointer<Duplicate> &p) { return p.isNull(); });
    }

    FaultProxyCore &m_core;
    QTcpServer *m_server = nullptr;
    QList<QPointer<Link>> m_links;
    QList<QPointer<Duplicate>> m_duplicates;
};

} // namespace

FaultProxy::FaultProxy(quint32 seed) : m_core(std::make_unique<FaultProxyCore>(seed))
{
    auto *worker = new Worker(*m_core);
    m_core->worker = worker;
    worker->moveToThread(&m_core->thread);
    QObject::connect(&m_core->thread, &QThread::finished, worker, &QObject::deleteLater);
    m_core->thread.setObjectName(u"FaultProxy"_s);
    m_core->thread.start();
}

FaultProxy::~FaultProxy()
{
    auto *worker = static_cast<Worker *>(m_core->worker);
    QMetaObject::invokeMethod(worker, [worker] { worker->shutdown(); }, Qt::BlockingQueuedConnection);
    m_core->thread.quit();
    m_core->thread.wait();
}

bool FaultProxy::start(quint16 upstreamPort)
{
    m_core->upstreamPort = upstreamPort;
    auto *worker = static_cast<Worker *>(m_core->worker);
    bool ok = false;
    QMetaObject::invokeMethod(worker, [worker, &ok] { ok = worker->listen(); }, Qt::BlockingQueuedConnection);
    return ok;
}

void FaultProxy::setUpstreamPort(quint16 port)
{
    m_core->upstreamPort = port;
}

void FaultProxy::setFaults(const FaultConfig &config)
{
    QMutexLocker lock(&m_core->mutex);
    m_core->cfg = config;
}

FaultConfig FaultProxy::faults() const
{
    return m_core->config();
}

void FaultProxy::dropAllConnections()
{
    auto *worker = static_cast<Worker *>(m_core->worker);
    QMetaObject::invokeMethod(worker, [worker] { worker->dropAll(); }, Qt::BlockingQueuedConnection);
}

quint16 FaultProxy::port() const
{
    return m_core->listenPort.load();
}

QUrl FaultProxy::url(const QString &path) const
{
    return QUrl(u"http://127.0.0.1:%1%2"_s.arg(port()).arg(path));
}

FaultStats FaultProxy::stats() const
{
    QMutexLocker lock(&m_core->mutex);
    return m_core->counters;
}

} // namespace outpost::test
