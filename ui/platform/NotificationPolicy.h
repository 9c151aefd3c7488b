// SPDX-License-Identifier: GPL-3.0-or-later
// Whether a new message deserves a desktop notification, and what it may say.
#pragma once

#include "domain/ChatMessage.h"
#include "storage/ConversationRepository.h"

namespace Natter::Ui {

struct NotificationContext
{
    bool notificationsEnabled = true;
    bool previews = true;
    bool doNotDisturb = false;        // any account's own status is "do not disturb"
    bool muted = false;               // the message's conversation is muted
    bool readingConversation = false; // that conversation is open in the focused window
    // In a room: its setting, and our nickname there (a message naming it is a mention).
    Core::RoomNotifications roomNotifications = Core::RoomNotifications::Default;
    QString ownNick;
};

class NotificationPolicy
{
public:
    // Only news from someone else: not our own messages (from any of our devices), not when the user reads
    // that conversation in the focused window, not for muted conversations, not in do-not-disturb. In a room,
    // only mentions of our nickname unless the room is set to all messages (or none).
    static bool shouldNotify(const Core::ChatMessage &message, const NotificationContext &context);
    // The body, or nothing when previews are off (the caller then says "New message").
    static QString preview(const Core::ChatMessage &message, const NotificationContext &context);
};

} // namespace Natter::Ui
