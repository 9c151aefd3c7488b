// SPDX-License-Identifier: GPL-3.0-or-later
#include "NotificationPolicy.h"

#include "im/Styling.h"
#include "presenters/MessagePreview.h"

namespace Natter::Ui {

namespace {
constexpr int PreviewLength = 200;
} // namespace

bool NotificationPolicy::shouldNotify(const Core::ChatMessage &message, const NotificationContext &context)
{
    if (!context.notificationsEnabled || context.doNotDisturb || context.muted || context.readingConversation)
        return false;
    if (message.direction != Core::ChatMessage::Direction::Incoming || message.body.trimmed().isEmpty())
        return false;
    if (!message.conversation.isGroupChat())
        return true;
    switch (context.roomNotifications) {
    case Core::RoomNotifications::All:
        return true;
    case Core::RoomNotifications::None:
        return false;
    case Core::RoomNotifications::Default:
    case Core::RoomNotifications::Mentions:
        break;
    }
    return Core::Styling::mentions(message.body, context.ownNick);
}

QString NotificationPolicy::preview(const Core::ChatMessage &message, const NotificationContext &context)
{
    if (!context.previews)
        return {};
    const QString body = MessagePreview::textOf(message.body, message.oobUrl, message.kind);
    return body.size() > PreviewLength ? body.left(PreviewLength - 1) + QChar(0x2026) : body;
}

} // namespace Natter::Ui
