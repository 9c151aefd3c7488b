// SPDX-License-Identifier: GPL-3.0-or-later
#include "StanzaExtensions.h"

#include <QDomElement>

namespace Natter::Core {

QString namespaceOf(const QXmppElement &element)
{
    const QString declared = element.attribute(QStringLiteral("xmlns"));
    return declared.isEmpty() ? element.sourceDomElement().namespaceURI() : declared;
}

std::optional<QXmppElement> findExtension(const QXmppStanza &stanza, const QString &name, const QString &ns)
{
    for (const QXmppElement &element : stanza.extensions()) {
        if (element.tagName() == name && namespaceOf(element) == ns)
            return element;
    }
    return std::nullopt;
}

} // namespace Natter::Core
