// SPDX-License-Identifier: GPL-3.0-or-later
// How every connection of ours reaches a server: strict TLS against the trusted CAs, the host and port
// the user set (or SRV look-ups), never QXmpp's own reconnection.
#pragma once

#include "domain/AccountConfig.h"

#include <QList>
#include <QNetworkProxy>
#include <QSslCertificate>
#include <QXmppConfiguration.h>

namespace Natter::Core {

// The account's proxy (NoProxy without one; never the system's, which could leak names around Tor).
QNetworkProxy networkProxy(const AccountConfig &config, const QString &proxyPassword);

// config.jid may be a bare domain (a registration). No password or resource is set. With a proxy, the host
// is always explicit (the JID's domain unless the user set one): SRV look-ups would ask this machine's
// resolver, and the proxy resolves the name itself.
QXmppConfiguration clientConfiguration(const AccountConfig &config, const QList<QSslCertificate> &trusted,
                                       const QNetworkProxy &proxy = QNetworkProxy(QNetworkProxy::NoProxy));

} // namespace Natter::Core
