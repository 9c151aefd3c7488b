// SPDX-License-Identifier: GPL-3.0-or-later
// Something a message stanza does to an earlier message: correct it (XEP-0308), retract it (XEP-0424) or set
// its author's reactions to it (XEP-0444).
#pragma once

#include "ChatMessage.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

namespace Natter::Core {

struct MessageAction
{
    // Stored as integers: never renumber.
    enum class Kind
    {
        Correction = 1,
        Retraction = 2,
        Reactions = 3,
        Moderation = 4, // a room moderator retracted someone's message (XEP-0425); from the room itself
    };

    ConversationKey conversation;
    Kind kind = Kind::Correction;
    // Who sent it: Incoming is the peer, Outgoing is us (from any of our devices). Corrections and
    // retractions only apply to a message of the same direction, that is of the same author.
    ChatMessage::Direction direction = ChatMessage::Direction::Incoming;
    QString sender;     // bare JID of the author; room/nick in a room
    // In a room, who the author is (XEP-0421 occupant-id, real JID when known): a correction or retraction
    // applies only when one of them matches the message's, never by nickname alone.
    QString occupantId;
    QString realJid;
    QString targetId;   // the id (or origin-id; in a room the stanza-id) of the message it acts on
    QString body;       // Correction: the new text
    QStringList emojis; // Reactions: the author's complete set (empty removes them)
    QDateTime time;     // UTC
    QString actionId;   // the action stanza's origin-id or id: a second copy of it is ignored
};

} // namespace Natter::Core
