// SPDX-License-Identifier: GPL-3.0-or-later
// Building stanza payloads by hand, for what QXmpp 1.10 writes wrongly or not at all.
#pragma once

#include <QString>
#include <QXmppElement.h>

namespace Natter::Core::XmlElements {

// <name>text</name> (empty when text is).
inline QXmppElement element(const QString &name, const QString &text = {})
{
    QXmppElement child;
    child.setTagName(name);
    if (!text.isEmpty())
        child.setValue(text);
    return child;
}

inline QXmppElement withNamespace(QXmppElement element, const QString &ns)
{
    element.setAttribute(QStringLiteral("xmlns"), ns);
    return element;
}

} // namespace Natter::Core::XmlElements
