// SPDX-License-Identifier: GPL-3.0-or-later
// A set IQ with one prepared child, for requests QXmpp has no class for (or does not export).
#pragma once

#include <QXmppElement.h>
#include <QXmppIq.h>

namespace Natter::Core {

class PayloadIq : public QXmppIq
{
public:
    PayloadIq(const QString &to, QXmppElement payload)
        : QXmppIq(QXmppIq::Set)
        , m_payload(std::move(payload))
    {
        setTo(to);
    }

protected:
    void toXmlElementFromChild(QXmlStreamWriter *writer) const override { m_payload.toXml(writer); }

private:
    QXmppElement m_payload;
};

} // namespace Natter::Core
