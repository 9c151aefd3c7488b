// SPDX-License-Identifier: GPL-3.0-or-later
// How every connection of ours reaches a server: strict TLS against the trusted CAs, the host and port
// the user set (or SRV look-ups), never QXmpp's own reconnection.
#pragma once

#include "domain/AccountConfig.h"

#include <QList>
#include <QSslCertificate>
#include <QXmppConfiguration.h>

namespace Natter::Core {

// config.jid may be a bare domain (a registration). No password or resource is set.
QXmppConfiguration clientConfiguration(const AccountConfig &config, const QList<QSslCertificate> &trusted);

} // namespace Natter::Core
