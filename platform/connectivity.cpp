#include "platform/connectivity.h"

#include <QLoggingCategory>
#include <QNetworkInformation>

Q_LOGGING_CATEGORY(lcPlatform, "outpost.platform", QtInfoMsg)

namespace outpost::platform {

namespace {

Connectivity::Reachability fromQt(QNetworkInformation::Reachability r)
{
    switch (r) {
    case QNetworkInformation::Reachability::Disconnected:
        return Connectivity::Reachability::Offline;
    case QNetworkInformation::Reachability::Local:
    case QNetworkInformation::Reachability::Site:
    case QNetworkInformation::Reachability::Online:
        return Connectivity::Reachability::Online;
    case QNetworkInformation::Reachability::Unknown:
        break;
    }
    return Connectivity::Reachability::Unknown;
}

} // namespace

Connectivity::Connectivity(QObject *parent) : QObject(parent)
{
    m_backend = QNetworkInformation::loadBackendByFeatures(QNetworkInformation::Feature::Reachability);
    if (!m_backend) {
        qCInfo(lcPlatform) << "no network information backend; the sync engine's results decide online/offline";
        return;
    }
    QNetworkInformation *info = QNetworkInformation::instance();
    m_reachability = fromQt(info->reachability());
    connect(info, &QNetworkInformation::reachabilityChanged, this, [this](QNetworkInformation::Reachability r) {
        if (!m_overridden)
            update(fromQt(r));
    });
}

void Connectivity::setOverride(Reachability r)
{
    m_overridden = true;
    update(r);
}

void Connectivity::update(Reachability r)
{
    if (r == m_reachability)
        return;
    const Reachability before = m_reachability;
    m_reachability = r;
    Q_EMIT reachabilityChanged(r);
    if (r != Reachability::Unknown && before != Reachability::Unknown)
        Q_EMIT onlineChanged(r == Reachability::Online);
    else if (r == Reachability::Online && before == Reachability::Unknown)
        Q_EMIT onlineChanged(true);
}

} // namespace outpost::platform
