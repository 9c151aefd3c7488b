// SPDX-License-Identifier: GPL-3.0-or-later
// Sends and receives the one-to-one chat messages of one account, through the message store when it has one:
// messages, replies, corrections, retractions, reactions, receipts, chat markers and chat states.
#pragma once

#include "common/Result.h"
#include "domain/ChatMessage.h"
#include "domain/MessageAction.h"
#include "im/IncomingMessage.h"

#include <QFuture>
#include <QObject>
#include <QSet>
#include <functional>

class QXmppClient;
class QXmppMessage;

namespace Natter::Core {

class EncryptionService;
class MessageRepository;

class MessageService : public QObject
{
    Q_OBJECT
public:
    MessageService(QXmppClient &client, QString accountJid, QObject *parent = nullptr);

    // Every message in and out goes through store from now on (nullptr: kept nowhere, e.g. a login check).
    void setStore(MessageRepository *store);
    // Who learns that their messages arrived (XEP-0184 receipts). Without a policy nobody does.
    void setReceiptPolicy(std::function<bool(const QString &peer)> mayConfirm);

    // Messages go out encrypted where the conversation wants it (nullptr: never).
    void setEncryption(EncryptionService *encryption);
    EncryptionService *encryption() const { return m_encryption; }

    // Which bare JIDs are rooms: messages with room/nick are private messages with an occupant.
    void setRoomLookup(std::function<bool(const QString &bareJid)> isRoom);

    // Builds an outgoing message (Pending) without sending it; InvalidJid when the peer is not a JID.
    Result<ChatMessage> compose(const QString &peerBareJid, const QString &body) const;
    // The same in any conversation: a one-to-one chat, a room, or a private chat with room/nick.
    Result<ChatMessage> compose(const ConversationKey &conversation, const QString &body) const;
    // The same as a reply to original (XEP-0461, with its quote as XEP-0428 fallback).
    Result<ChatMessage> composeReply(const ChatMessage &original, const QString &body) const;
    // With a store: keeps the message as Pending first, so nothing is lost if sending fails or the process
    // dies; offline, it stays Pending and goes out after the next login. Without a store, offline is an
    // error. Resolves with the new delivery state (Acknowledged once the server confirmed it).
    QFuture<Result<ChatMessage>> send(ChatMessage message);
    // Keeps a record this device made that never travels (a direct transfer's: ChatMessage::Kind) and
    // reports it through messageReceived() as a new message. Resolves with it as stored.
    QFuture<Result<ChatMessage>> record(ChatMessage message);
    // Sends again every stored message the server never acknowledged (after a login or a restart).
    void resendPending();

    // Changes the text of one of our messages (XEP-0308). Resolves with the message as it is now.
    QFuture<Result<ChatMessage>> correct(const ChatMessage &original, const QString &body);
    // Deletes one of our messages for everyone (XEP-0424); a tombstone stays.
    QFuture<Result<ChatMessage>> retract(const ChatMessage &original);
    // Sets our complete set of reactions to a message (XEP-0444); an empty set removes them.
    QFuture<Result<ChatMessage>> react(const ChatMessage &target, const QStringList &emojis);
    // Deletes a message on this device only.
    QFuture<Result<Success>> deleteLocally(const ChatMessage &message);

    // The user saw message (incoming) in a focused window: tells the peer with a displayed marker when it
    // asked for markers and sendMarker allows it, and reports it through displayed() for the read-state sync.
    void markDisplayed(const ChatMessage &message, bool sendMarker);
    // XEP-0085 (the caller decides whether the user allows it).
    void sendChatState(const QString &peer, ChatState state);

    // Stores and reports what a received stanza carried (one-to-one stanzas are read here; rooms' by
    // MucService).
    void ingest(const IncomingMessage &incoming);

Q_SIGNALS:
    // A message not seen before: incoming, or sent from another of our devices (carbons).
    void messageReceived(const Natter::Core::ChatMessage &message);
    // A stored outgoing message changed its delivery state outside a send() call (resent pending ones).
    void deliveryChanged(const Natter::Core::ChatMessage &message);
    // Stored messages changed: corrected, retracted, reacted to, received or displayed by the peer.
    void messagesChanged(const QList<Natter::Core::ChatMessage> &messages);
    // The peer's chat state (typing, paused, …).
    void chatStateChanged(const Natter::Core::ConversationKey &conversation, Natter::Core::ChatState state);
    // One of our other devices displayed the conversation up to a message; unread is what is left.
    void displayedElsewhere(const Natter::Core::ConversationKey &conversation, int unread);
    // We displayed message here (markDisplayed).
    void displayed(const Natter::Core::ChatMessage &message);

private:
    void handleIncoming(const QXmppMessage &stanza);
    QFuture<Result<ChatMessage>> transmit(ChatMessage message);
    QFuture<Result<ChatMessage>> transmitStanza(ChatMessage message, const QXmppMessage &stanza);
    void dropUnencryptable(const ChatMessage &message);
    // Sends stanza and applies action to the store; resolves with the message it changed.
    QFuture<Result<ChatMessage>> sendAction(const QXmppMessage &stanza, MessageAction action,
                                            const ChatMessage &target);
    QFuture<Result<ChatMessage>> sendActionStanza(const QXmppMessage &stanza, const MessageAction &action,
                                                  const ChatMessage &target);
    void applyIncoming(const IncomingMessage &incoming);
    void reportChanged(QFuture<Result<QList<ChatMessage>>> changed);
    void reportEcho(const ChatMessage &echo);

    QXmppClient &m_client;
    QString m_accountJid;
    MessageRepository *m_store = nullptr;
    EncryptionService *m_encryption = nullptr;
    std::function<bool(const QString &)> m_mayConfirm;
    std::function<bool(const QString &)> m_isRoom;
    QSet<QString> m_inFlight; // ids sent in this session and not yet confirmed
};

} // namespace Natter::Core
