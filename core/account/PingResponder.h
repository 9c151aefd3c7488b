// SPDX-License-Identifier: GPL-3.0-or-later
// Answers XEP-0199 pings, which QXmpp 1.10 rejects with feature-not-implemented.
#pragma once

#include <QXmppClientExtension.h>

namespace Natter::Core {

class PingResponder : public QXmppClientExtension
{
    Q_OBJECT
public:
    QStringList discoveryFeatures() const override;
    bool handleStanza(const QDomElement &stanza) override;
};

} // namespace Natter::Core
