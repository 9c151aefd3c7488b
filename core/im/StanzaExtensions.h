// SPDX-License-Identifier: GPL-3.0-or-later
// Reading the extension elements QXmpp 1.10 does not model (XEP-0421, 0424, 0425, muc#user, …).
#pragma once

#include <QXmppElement.h>
#include <QXmppStanza.h>
#include <optional>

namespace Natter::Core {

// An element's namespace, declared on it or inherited from the stream's parser.
QString namespaceOf(const QXmppElement &element);
// The first of stanza's unmodelled extensions with that name and namespace.
std::optional<QXmppElement> findExtension(const QXmppStanza &stanza, const QString &name, const QString &ns);

} // namespace Natter::Core
