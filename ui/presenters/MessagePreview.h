// SPDX-License-Identifier: GPL-3.0-or-later
// A message in one line, for the conversation list and notifications: a shared file as "📎 name" (never its
// link, which for an encrypted file holds the key), a call's record in words, anything else as its text with
// whitespace simplified.
#pragma once

#include "domain/ChatMessage.h"

#include <QString>

namespace Natter::Ui::MessagePreview {

QString textOf(const QString &body, const QString &oobUrl,
               Core::ChatMessage::Kind kind = Core::ChatMessage::Kind::Message);

} // namespace Natter::Ui::MessagePreview
