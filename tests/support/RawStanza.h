// SPDX-License-Identifier: GPL-3.0-or-later
// Sends hand-written XML over a real connection: what a hostile or foreign client would send; and the XML
// that an element or stanza writes.
#pragma once

#include <QString>
#include <QXmlStreamWriter>

class QXmppClient;

namespace Natter::Test {

// Sends xml (one stanza) as it is; false when it is not well-formed or the client is not connected.
bool sendRaw(QXmppClient &client, const QString &xml);

// What item (anything with toXml(QXmlStreamWriter *)) writes.
template <typename T> QString xmlOf(const T &item)
{
    QString xml;
    QXmlStreamWriter writer(&xml);
    item.toXml(&writer);
    return xml;
}

} // namespace Natter::Test
