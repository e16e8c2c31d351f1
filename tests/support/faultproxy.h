// Test support: a loopback TCP proxy that puts faults between a client and the real server.
//
//   client  ->  FaultProxy (127.0.0.1:P)  ->  upstream (127.0.0.1:U, e.g. a TestServer)
//
// Driven by a seeded QRandomGenerator, per connection and per chunk it can
//   - cut the connection at a random byte offset in either direction (the bytes before the
//     offset are delivered, then both sides are closed: a request that never completes, or a
//     truncated response),
//   - delay chunks (order is kept: later bytes wait behind a delayed one),
//   - duplicate whole HTTP requests: the bytes of a complete request are replayed on a new
//     upstream connection and the duplicate's response is read and discarded (its status is
//     counted, so a test can see the server answered it).
// The proxy runs on its own thread, so a test may block (QProcess::waitForFinished) while traffic
// flows. The upstream port can change at any time (a restarted server listens elsewhere); new
// connections use the new port. Core/Network only.
#pragma once

#include <QMap>
#include <QUrl>
#include <QtGlobal>

#include <chrono>
#include <memory>

namespace outpost::test {

struct FaultConfig
{
    // Per accepted connection: the chance that it is cut, and of those, the share cut in the
    // client -> server direction (the rest in server -> client).
    double cutProbability = 0.0;
    double cutUpstreamShare = 0.5;
    // The byte offset of a cut is log-uniform in [minCutOffset, maxCutOffset] over the bytes of
    // that direction of the connection (so headers, bodies and later keep-alive requests are all
    // hit). An offset past the end of the traffic means the connection is not cut after all.
    qint64 minCutOffset = 0;
    qint64 maxCutOffset = 256 * 1024;
    // Per chunk read from either side: the chance that it (and what queues behind it) waits a
    // random 1..maxDelay before it is forwarded.
    double delayProbability = 0.0;
    std::chrono::milliseconds maxDelay{20};
    // Per complete HTTP request from the client: the chance that it is replayed on a second
    // upstream connection after a random 0..maxDelay.
    double duplicateProbability = 0.0;

    static FaultConfig clean() { return {}; }
};

struct FaultStats
{
    qint64 connections = 0;       // accepted client connections
    qint64 requests = 0;          // complete HTTP requests seen from clients
    qint64 cutsUpstream = 0;      // connections cut while sending client -> server
    qint64 cutsDownstream = 0;    // connections cut while sending server -> client
    qint64 delays = 0;            // delayed chunks
    qint64 duplicatesSent = 0;    // requests replayed upstream
    qint64 duplicatesAnswered = 0; // replays the server answered (status line read)
    qint64 upstreamFailures = 0;  // connections whose upstream could not be reached
    qint64 bytesUpstream = 0;     // bytes forwarded client -> server
    qint64 bytesDownstream = 0;   // bytes forwarded server -> client
    QMap<int, qint64> duplicateStatuses; // HTTP status of each answered replay -> count
    qint64 tokenRefreshes = 0;          // POST /v1/auth/refresh requests seen from clients
    qint64 tokenRefreshesDuplicated = 0; // of those, replayed upstream

    qint64 cuts() const { return cutsUpstream + cutsDownstream; }
};

class FaultProxyCore;

class FaultProxy
{
public:
    explicit FaultProxy(quint32 seed);
    ~FaultProxy(); // closes every connection and stops the thread

    FaultProxy(const FaultProxy &) = delete;
    FaultProxy &operator=(const FaultProxy &) = delete;

    // Listens on 127.0.0.1:0 and forwards to 127.0.0.1:upstreamPort. False when it cannot listen.
    bool start(quint16 upstreamPort);
    void setUpstreamPort(quint16 port);
    void setFaults(const FaultConfig &config);
    FaultConfig faults() const;

    // Aborts every open connection (client and upstream sides) and pending duplicate.
    void dropAllConnections();

    quint16 port() const;
    QUrl url(const QString &path = {}) const; // http://127.0.0.1:<port><path>
    FaultStats stats() const;

private:
    std::unique_ptr<FaultProxyCore> m_core;
};

} // namespace outpost::test
