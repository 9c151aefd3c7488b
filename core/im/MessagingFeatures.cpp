// SPDX-License-Identifier: GPL-3.0-or-later
#include "MessagingFeatures.h"

namespace Natter::Core {

QStringList MessagingFeatures::discoveryFeatures() const
{
    return {
        QStringLiteral("urn:xmpp:receipts"),                     // XEP-0184
        QStringLiteral("urn:xmpp:chat-markers:0"),               // XEP-0333
        QStringLiteral("http://jabber.org/protocol/chatstates"), // XEP-0085
        QStringLiteral("urn:xmpp:message-correct:0"),            // XEP-0308
        QStringLiteral("urn:xmpp:message-retract:1"),            // XEP-0424
        QStringLiteral("urn:xmpp:reactions:0"),                  // XEP-0444
        QStringLiteral("urn:xmpp:reply:0"),                      // XEP-0461
        QStringLiteral("urn:xmpp:fallback:0"),                   // XEP-0428
        QStringLiteral("urn:xmpp:styling:0"),                    // XEP-0393
        QStringLiteral("jabber:x:oob"),                          // XEP-0066
        QStringLiteral("urn:xmpp:sid:0"),                        // XEP-0359
    };
}

} // namespace Natter::Core
