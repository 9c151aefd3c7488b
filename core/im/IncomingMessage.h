// SPDX-License-Identifier: GPL-3.0-or-later
// Reads a received one-to-one message stanza (live, carbon or archived) of an account: the message it
// carries, what it does to an earlier message, receipts and markers, the peer's chat state. Everything from
// the network is checked here: senders and recipients must be valid JIDs, ids sane, times not in the future,
// bodies cut at the size limit; what does not pass is dropped with a log line.
#pragma once

#include "domain/ChatMessage.h"
#include "domain/MessageAction.h"

#include <QMetaType>
#include <functional>
#include <optional>

class QXmppMessage;

namespace Natter::Core {

// XEP-0085. Stored as integers nowhere; only passed to front ends.
enum class ChatState
{
    None,
    Active,
    Composing,
    Paused,
    Inactive,
    Gone,
};

struct IncomingMessage
{
    ConversationKey conversation;
    // Outgoing: sent by us from another device (a carbon or our own archived message).
    ChatMessage::Direction direction = ChatMessage::Direction::Incoming;
    QString senderFullJid;

    std::optional<ChatMessage> message;
    std::optional<MessageAction> action;
    // From the peer about one of our messages: a receipt (Received) or a marker (Received or Displayed).
    QString confirmedId;
    ChatMessage::Delivery confirmation = ChatMessage::Delivery::Received;
    // From our other device: it displayed the conversation up to the message with this id (its marker).
    QString displayedByUs;
    ChatState chatState = ChatState::None; // the peer's only
    bool receiptRequested = false;
    QString stanzaId; // the message's id attribute, for the receipt
};

// nullopt for what is not a one-to-one message (errors, group chat, headlines) and for stanzas whose sender
// or recipient is not a valid JID. isRoom tells room JIDs: a message with room/nick is a private message in
// the conversation with that occupant.
std::optional<IncomingMessage> readIncomingMessage(const QXmppMessage &stanza, const QString &accountJid,
                                                   const std::function<bool(const QString &)> &isRoom = {});

// Who a message is from once its sender has been checked (one-to-one or room).
struct MessageOrigin
{
    ConversationKey conversation;
    ChatMessage::Direction direction = ChatMessage::Direction::Incoming;
    QString from;    // full JID (room/nick in a room)
    QString author;  // the actions' sender: bare JID, or room/nick
    QString archive; // whose stanza-id is believed: our account, or the room
    QString occupantId;
    QString realJid;
};

// The message, action, receipt and markers a stanza carries, from a checked origin.
std::optional<IncomingMessage> readMessageFrom(const QXmppMessage &stanza, const MessageOrigin &origin);

// A message id from the network is usable when it is 1 to 256 characters without control characters.
bool isUsableId(const QString &id);

} // namespace Natter::Core

Q_DECLARE_METATYPE(Natter::Core::ChatState)
