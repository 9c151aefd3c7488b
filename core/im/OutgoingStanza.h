// SPDX-License-Identifier: GPL-3.0-or-later
// The stanzas Natter sends in one-to-one chats. Every one carries a unique origin-id (XEP-0359) and the
// processing hints (XEP-0334) its kind needs.
#pragma once

#include "IncomingMessage.h"
#include "domain/ChatMessage.h"

#include <QXmppMessage.h>

namespace Natter::Core::OutgoingStanza {

// A new id for a stanza (used as its id and origin-id).
QString newId();

// A chat message, asking for a receipt and chat markers. A reply gets its reference and a quote of the
// original as XEP-0428 fallback in front of the body.
QXmppMessage message(const ChatMessage &message);
// The quote of original that a reply's fallback carries: "> " before each line.
QString replyFallback(const QString &quotedAuthor, const QString &quotedBody);

// XEP-0308: replaces the text of our message originalId.
QXmppMessage correction(const QString &peer, const QString &id, const QString &originalId,
                        const QString &body);
// XEP-0424, with a fallback body for clients that do not know it.
QXmppMessage retraction(const QString &peer, const QString &id, const QString &targetId);
// XEP-0444: our complete set of reactions to targetId (empty removes them).
QXmppMessage reactions(const QString &peer, const QString &id, const QString &targetId,
                       const QStringList &emojis);
// XEP-0184.
QXmppMessage receipt(const QString &toFullJid, const QString &receivedId);
// XEP-0333 displayed marker, stored in the archive so our other devices and the peer's learn it later.
QXmppMessage displayedMarker(const QString &peer, const QString &id, const QString &markedId);
// XEP-0085, never stored.
QXmppMessage chatState(const QString &peer, ChatState state);

// stanza as it goes to conversation: to a room as a group chat message (without receipt requests, which
// rooms do not answer), to a room occupant as a private message (XEP-0045 §7.5, marked with muc#user).
QXmppMessage addressed(QXmppMessage stanza, const ConversationKey &conversation);

} // namespace Natter::Core::OutgoingStanza
