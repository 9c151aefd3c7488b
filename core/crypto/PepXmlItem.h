// SPDX-License-Identifier: GPL-3.0-or-later
// A PubSub item whose payload is kept as XML text, for nodes QXmpp has no public item class for (OMEMO 2's
// device list and bundles: QXmpp's own classes for them are private).
#pragma once

#include <QDomDocument>
#include <QXmppPubSubBaseItem.h>

namespace Natter::Core {

class PepXmlItem : public QXmppPubSubBaseItem
{
public:
    explicit PepXmlItem(const QString &id = {}, QString payloadXml = {});

    // The payload's root element (null without one); valid as long as the document it came from.
    QDomDocument payload() const;
    QString payloadXml() const { return m_payloadXml; }

protected:
    void parsePayload(const QDomElement &payload) override;
    void serializePayload(QXmlStreamWriter *writer) const override;

private:
    QString m_payloadXml;
};

} // namespace Natter::Core
