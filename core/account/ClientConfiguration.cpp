// SPDX-License-Identifier: GPL-3.0-or-later
#include "ClientConfiguration.h"

namespace Natter::Core {

namespace {
constexpr int DefaultStartTlsPort = 5222;
constexpr int DefaultDirectTlsPort = 5223;
} // namespace

QXmppConfiguration clientConfiguration(const AccountConfig &config, const QList<QSslCertificate> &trusted)
{
    QXmppConfiguration configuration;
    configuration.setJid(config.jid);
    configuration.setAutoReconnectionEnabled(false); // ours has backoff and jitter
    // SSL errors stay fatal (QXmpp's default); tst_connection proves an unknown CA stops the connection.
    configuration.setCaCertificates(trusted);
    configuration.setStreamSecurityMode(QXmppConfiguration::TLSRequired);
    if (!config.host.isEmpty()) {
        const bool direct = config.tlsMode == AccountConfig::TlsMode::DirectTls;
        configuration.setHost(config.host);
        configuration.setPort(config.port > 0 ? config.port
                                              : (direct ? DefaultDirectTlsPort : DefaultStartTlsPort));
        if (direct)
            configuration.setStreamSecurityMode(QXmppConfiguration::LegacySSL);
    }
    return configuration;
}

} // namespace Natter::Core
