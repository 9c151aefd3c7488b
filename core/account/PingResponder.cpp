// SPDX-License-Identifier: GPL-3.0-or-later
#include "PingResponder.h"

#include <QDomElement>
#include <QXmppClient.h>
#include <QXmppE2eeMetadata.h>
#include <QXmppIq.h>
#include <QXmppTask.h>

namespace Natter::Core {

namespace {
const QString PingNamespace = QStringLiteral("urn:xmpp:ping");
}

QStringList PingResponder::discoveryFeatures() const
{
    return {PingNamespace};
}

bool PingResponder::handleStanza(const QDomElement &stanza)
{
    if (stanza.tagName() != u"iq" || stanza.attribute(QStringLiteral("type")) != u"get")
        return false;
    const QDomElement ping = stanza.firstChildElement(QStringLiteral("ping"));
    if (ping.isNull() || ping.namespaceURI() != PingNamespace)
        return false;
    QXmppIq pong(QXmppIq::Result);
    pong.setId(stanza.attribute(QStringLiteral("id")));
    pong.setTo(stanza.attribute(QStringLiteral("from")));
    client()->reply(std::move(pong), std::nullopt);
    return true;
}

} // namespace Natter::Core
