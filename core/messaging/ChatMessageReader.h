// SPDX-License-Identifier: GPL-3.0-or-later
// Turns a received one-to-one message stanza (live, carbon or archived) into a ChatMessage of an account.
#pragma once

#include "domain/ChatMessage.h"

#include <optional>

class QXmppMessage;

namespace Natter::Core {

// nullopt for what is not a chat message with a body (errors, group chat, headlines, chat states)
// and for stanzas with an invalid sender or recipient. A stanza from the account itself is one of our
// own messages (sent from another device), filed under its recipient.
std::optional<ChatMessage> readChatMessage(const QXmppMessage &stanza, const QString &accountJid);

} // namespace Natter::Core
