// SPDX-License-Identifier: GPL-3.0-or-later
#include "ClientConfiguration.h"

namespace Natter::Core {

namespace {
constexpr int DefaultStartTlsPort = 5222;
constexpr int DefaultDirectTlsPort = 5223;
constexpr int TorPort = 9050;
const QString TorHost = QStringLiteral("127.0.0.1");

QString domainOf(const QString &jid)
{
    return jid.section(u'@', -1).section(u'/', 0, 0);
}
} // namespace

QNetworkProxy networkProxy(const AccountConfig &config, const QString &proxyPassword)
{
    using Type = AccountConfig::ProxyType;
    switch (config.proxyType) {
    case Type::None:
        break;
    case Type::Tor:
        return QNetworkProxy(
            QNetworkProxy::Socks5Proxy, config.proxyHost.isEmpty() ? TorHost : config.proxyHost,
            quint16(config.proxyPort > 0 ? config.proxyPort : TorPort), config.proxyUser, proxyPassword);
    case Type::Socks5:
    case Type::HttpConnect:
        return QNetworkProxy(config.proxyType == Type::Socks5 ? QNetworkProxy::Socks5Proxy
                                                              : QNetworkProxy::HttpProxy,
                             config.proxyHost, quint16(config.proxyPort), config.proxyUser, proxyPassword);
    }
    return QNetworkProxy(QNetworkProxy::NoProxy);
}

QXmppConfiguration clientConfiguration(const AccountConfig &config, const QList<QSslCertificate> &trusted,
                                       const QNetworkProxy &proxy)
{
    QXmppConfiguration configuration;
    configuration.setJid(config.jid);
    configuration.setAutoReconnectionEnabled(false); // ours has backoff and jitter
    // SSL errors stay fatal (QXmpp's default); tst_connection proves an unknown CA stops the connection.
    configuration.setCaCertificates(trusted);
    configuration.setStreamSecurityMode(QXmppConfiguration::TLSRequired);
    configuration.setNetworkProxy(proxy);
    const bool proxied = proxy.type() != QNetworkProxy::NoProxy;
    if (!config.host.isEmpty() || proxied) {
        const bool direct = config.tlsMode == AccountConfig::TlsMode::DirectTls;
        configuration.setHost(config.host.isEmpty() ? domainOf(config.jid) : config.host);
        configuration.setPort(config.port > 0 ? config.port
                                              : (direct ? DefaultDirectTlsPort : DefaultStartTlsPort));
        if (direct)
            configuration.setStreamSecurityMode(QXmppConfiguration::LegacySSL);
    }
    return configuration;
}

} // namespace Natter::Core
