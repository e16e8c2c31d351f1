// Connectivity: the OS seam that says whether a network is there. Backed by QNetworkInformation
// where the platform has a backend (NetworkManager on Linux, the system APIs on Android, iOS,
// macOS, Windows); without one it reports "unknown" and the sync engine's own result (a request
// that could not connect) decides the banner. A captive portal ("connected" behind a login page)
// reads as online here and is caught by the engine. Core + Network only.
#pragma once

#include <QObject>

namespace outpost::platform {

class Connectivity : public QObject
{
    Q_OBJECT
public:
    enum class Reachability { Unknown, Offline, Online };
    Q_ENUM(Reachability)

    explicit Connectivity(QObject *parent = nullptr);
    Reachability reachability() const { return m_reachability; }
    bool hasBackend() const { return m_backend; }
    // Tests and the e2e run simulate network loss with this.
    void setOverride(Reachability r);

Q_SIGNALS:
    void reachabilityChanged(outpost::platform::Connectivity::Reachability r);
    void onlineChanged(bool online); // only on a definite change Offline <-> Online

private:
    void update(Reachability r);
    Reachability m_reachability = Reachability::Unknown;
    bool m_backend = false;
    bool m_overridden = false;
};

} // namespace outpost::platform
