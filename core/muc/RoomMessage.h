// SPDX-License-Identifier: GPL-3.0-or-later
// Reads a group chat message (live or from the room's archive) of one room: who wrote it, never known by
// nickname alone when the room tells more, and what it does (a message, an author's correction, retraction or
// reaction, a moderator's retraction from the room itself).
#pragma once

#include "im/IncomingMessage.h"

#include <functional>
#include <optional>

class QXmppMessage;

namespace Natter::Core {

struct RoomContext
{
    QString account;
    QString room;
    QString ownNick;
    QString ownOccupantId;
    // The room announces XEP-0421: it sets every occupant-id itself, replacing forged ones.
    bool trustsOccupantIds = false;
    // The real JID of an occupant now in the room, when the room shows it.
    std::function<QString(const QString &nick)> realJidOf;
};

// nullopt for what does not come from this room or carries nothing for us.
std::optional<IncomingMessage> readRoomMessage(const QXmppMessage &stanza, const RoomContext &room);

} // namespace Natter::Core
