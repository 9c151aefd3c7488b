// SPDX-License-Identifier: GPL-3.0-or-later
#include "NotificationPolicy.h"

namespace Natter::Ui {

namespace {
constexpr int PreviewLength = 200;
} // namespace

bool NotificationPolicy::shouldNotify(const Core::ChatMessage &message, const NotificationContext &context)
{
    if (!context.notificationsEnabled || context.doNotDisturb || context.muted || context.readingConversation)
        return false;
    return message.direction == Core::ChatMessage::Direction::Incoming && !message.body.trimmed().isEmpty();
}

QString NotificationPolicy::preview(const Core::ChatMessage &message, const NotificationContext &context)
{
    if (!context.previews)
        return {};
    const QString body = message.body.simplified();
    return body.size() > PreviewLength ? body.left(PreviewLength - 1) + QChar(0x2026) : body;
}

} // namespace Natter::Ui
