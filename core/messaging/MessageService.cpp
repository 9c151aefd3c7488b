// SPDX-License-Identifier: GPL-3.0-or-later
#include "MessageService.h"

#include "common/JidValidator.h"
#include "common/Logging.h"
#include "crypto/EncryptionService.h"
#include "im/OutgoingStanza.h"
#include "storage/MessageRepository.h"

#include <QPromise>
#include <QXmppClient.h>
#include <QXmppMessage.h>
#include <QXmppTask.h>
#include <QXmppUtils.h>
#include <memory>

namespace Natter::Core {

MessageService::MessageService(QXmppClient &client, QString accountJid, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_accountJid(std::move(accountJid))
{
    connect(&m_client, &QXmppClient::messageReceived, this, &MessageService::handleIncoming);
}

void MessageService::setStore(MessageRepository *store)
{
    m_store = store;
}

void MessageService::setReceiptPolicy(std::function<bool(const QString &)> mayConfirm)
{
    m_mayConfirm = std::move(mayConfirm);
}

void MessageService::setEncryption(EncryptionService *encryption)
{
    m_encryption = encryption;
}

void MessageService::setRoomLookup(std::function<bool(const QString &)> isRoom)
{
    m_isRoom = std::move(isRoom);
}

Result<ChatMessage> MessageService::compose(const QString &peerBareJid, const QString &body) const
{
    return compose(ConversationKey{m_accountJid, peerBareJid}, body);
}

Result<ChatMessage> MessageService::compose(const ConversationKey &conversation, const QString &body) const
{
    const QString bare = JidValidator::normalizedBareJid(QXmppUtils::jidToBareJid(conversation.peer));
    const QString nick = QXmppUtils::jidToResource(conversation.peer);
    // Only a private message to a room occupant goes to a full JID.
    const bool privateMessage = !nick.isEmpty() && m_isRoom && m_isRoom(bare);
    if (bare.isEmpty() || (!nick.isEmpty() && (!privateMessage || conversation.isGroupChat())))
        return Error(Error::Code::InvalidJid, conversation.peer);
    const QString peer = privateMessage ? bare + u'/' + nick : bare;
    ChatMessage message;
    message.conversation = {m_accountJid, peer, conversation.kind};
    message.direction = ChatMessage::Direction::Outgoing;
    message.delivery = ChatMessage::Delivery::Pending;
    message.id = OutgoingStanza::newId();
    message.originId = message.id;
    message.senderFullJid = m_accountJid;
    message.body = body;
    message.timestamp = QDateTime::currentDateTimeUtc();
    return message;
}

Result<ChatMessage> MessageService::composeReply(const ChatMessage &original, const QString &body) const
{
    auto reply = compose(original.conversation, body);
    if (auto *message = std::get_if<ChatMessage>(&reply)) {
        message->replyToId = original.referenceId();
        // In a room the author is an occupant (XEP-0461 §3): room/nick.
        message->replyToJid = original.conversation.isGroupChat() ? original.senderFullJid
                              : original.direction == ChatMessage::Direction::Outgoing
                                  ? m_accountJid
                                  : original.conversation.peer;
        message->replyQuote = original.body;
    }
    return reply;
}

QFuture<Result<ChatMessage>> MessageService::send(ChatMessage message)
{
    if (!m_store)
        return transmit(std::move(message));
    auto promise = std::make_shared<QPromise<Result<ChatMessage>>>();
    promise->start();
    m_store->ingest({message}).then(this, [this, promise, message](const Result<QList<ChatMessage>> &stored) {
        if (!isOk(stored)) {
            promise->addResult(errorOf(stored));
            promise->finish();
            return;
        }
        ChatMessage kept = message;
        if (const auto &added = std::get<QList<ChatMessage>>(stored); !added.isEmpty())
            kept.storageId = added.first().storageId;
        if (m_client.state() != QXmppClient::ConnectedState) {
            promise->addResult(kept); // stays Pending; resendPending() sends it after the next login
            promise->finish();
            return;
        }
        transmit(kept).then(this, [promise](const Result<ChatMessage> &sent) {
            promise->addResult(sent);
            promise->finish();
        });
    });
    return promise->future();
}

QFuture<Result<ChatMessage>> MessageService::record(ChatMessage message)
{
    if (!m_store) {
        Q_EMIT messageReceived(message);
        return readyResult<ChatMessage>(std::move(message));
    }
    return m_store->ingest({message}).then(
        this, [this, message](const Result<QList<ChatMessage>> &stored) -> Result<ChatMessage> {
            if (!isOk(stored))
                return errorOf(stored);
            const auto &added = std::get<QList<ChatMessage>>(stored);
            if (added.isEmpty())
                return Error(Error::Code::DatabaseFailed, QStringLiteral("a record with this id exists"));
            Q_EMIT messageReceived(added.first());
            return added.first();
        });
}

QFuture<Result<ChatMessage>> MessageService::transmit(ChatMessage message)
{
    if (m_client.state() != QXmppClient::ConnectedState)
        return readyResult<ChatMessage>(Error(Error::Code::NotConnected, m_accountJid));
    const QXmppMessage stanza =
        OutgoingStanza::addressed(OutgoingStanza::message(message), message.conversation);
    if (!m_encryption)
        return transmitStanza(std::move(message), stanza);
    m_inFlight.insert(message.id); // resendPending() must not send it a second time meanwhile
    auto promise = std::make_shared<QPromise<Result<ChatMessage>>>();
    promise->start();
    m_encryption->prepare(stanza, message.conversation)
        .then(this, [this, promise, message](const Result<EncryptionService::Prepared> &prepared) mutable {
            if (!isOk(prepared)) {
                m_inFlight.remove(message.id);
                if (errorOf(prepared).code == Error::Code::EncryptionUnavailable)
                    dropUnencryptable(message);
                promise->addResult(errorOf(prepared));
                promise->finish();
                return;
            }
            const auto &ready = std::get<EncryptionService::Prepared>(prepared);
            message.encryption = ready.encryption;
            if (m_store && message.encryption != ChatMessage::Encryption::None)
                m_store->setEncryption(m_accountJid, message.id, message.encryption);
            transmitStanza(message, ready.stanza).then(this, [promise](const Result<ChatMessage> &sent) {
                promise->addResult(sent);
                promise->finish();
            });
        });
    return promise->future();
}

// Nothing may go out in plain text: the stored copy goes (it would be resent), the caller keeps the text.
void MessageService::dropUnencryptable(const ChatMessage &message)
{
    if (m_store && message.storageId != 0)
        m_store->deleteLocally(message.storageId);
}

QFuture<Result<ChatMessage>> MessageService::transmitStanza(ChatMessage message, const QXmppMessage &stanza)
{
    m_inFlight.insert(message.id);
    auto promise = std::make_shared<QPromise<Result<ChatMessage>>>();
    promise->start();
    m_client.send(QXmppMessage(stanza))
        .then(this, [this, promise, message](QXmpp::SendResult &&result) mutable {
            m_inFlight.remove(message.id);
            if (const auto *error = std::get_if<QXmppError>(&result)) {
                // Kept Pending in the store: it goes out again after the next login.
                promise->addResult(Error(Error::Code::SendFailed, error->description));
                promise->finish();
                return;
            }
            message.delivery = std::get<QXmpp::SendSuccess>(result).acknowledged
                                   ? ChatMessage::Delivery::Acknowledged
                                   : ChatMessage::Delivery::Sent;
            if (m_store)
                m_store->setDelivery(m_accountJid, message.id, message.delivery);
            promise->addResult(message);
            promise->finish();
        });
    return promise->future();
}

void MessageService::resendPending()
{
    if (!m_store)
        return;
    m_store->pending(m_accountJid).then(this, [this](const Result<QList<ChatMessage>> &pending) {
        if (!isOk(pending)) {
            qCWarning(lcMessaging) << "cannot read pending messages:" << errorOf(pending).detail;
            return;
        }
        for (const ChatMessage &message : std::get<QList<ChatMessage>>(pending)) {
            if (m_inFlight.contains(message.id))
                continue; // QXmpp itself resends what a resumed or failed stream left unacknowledged
            transmit(message).then(this, [this](const Result<ChatMessage> &sent) {
                if (const auto *delivered = std::get_if<ChatMessage>(&sent))
                    Q_EMIT deliveryChanged(*delivered);
            });
        }
    });
}

QFuture<Result<ChatMessage>> MessageService::correct(const ChatMessage &original, const QString &body)
{
    if (original.direction != ChatMessage::Direction::Outgoing ||
        original.removal != ChatMessage::Removal::None || original.id.isEmpty())
        return readyResult<ChatMessage>(Error(Error::Code::MessageNotEditable, original.id));
    const QString id = OutgoingStanza::newId();
    MessageAction action;
    action.kind = MessageAction::Kind::Correction;
    action.body = body.left(ChatMessage::MaxBodyLength);
    // XEP-0308 refers to the id attribute of the original.
    action.targetId = original.id;
    return sendAction(OutgoingStanza::addressed(OutgoingStanza::correction(original.conversation.peer, id,
                                                                           original.id, action.body),
                                                original.conversation),
                      action, original);
}

QFuture<Result<ChatMessage>> MessageService::retract(const ChatMessage &original)
{
    // In a room XEP-0424 refers to the id the room assigned.
    const QString target = original.conversation.isGroupChat() ? original.stanzaId : original.id;
    if (original.direction != ChatMessage::Direction::Outgoing || target.isEmpty())
        return readyResult<ChatMessage>(Error(Error::Code::MessageNotEditable, original.id));
    MessageAction action;
    action.kind = MessageAction::Kind::Retraction;
    action.targetId = target;
    return sendAction(OutgoingStanza::addressed(OutgoingStanza::retraction(original.conversation.peer,
                                                                           OutgoingStanza::newId(), target),
                                                original.conversation),
                      action, original);
}

QFuture<Result<ChatMessage>> MessageService::react(const ChatMessage &target, const QStringList &emojis)
{
    if (target.referenceId().isEmpty() || target.removal != ChatMessage::Removal::None)
        return readyResult<ChatMessage>(Error(Error::Code::MessageNotEditable, target.id));
    QStringList unique;
    for (const QString &emoji : emojis) {
        if (!emoji.isEmpty() && !unique.contains(emoji))
            unique.append(emoji);
    }
    MessageAction action;
    action.kind = MessageAction::Kind::Reactions;
    action.targetId = target.referenceId();
    action.emojis = unique;
    return sendAction(
        OutgoingStanza::addressed(OutgoingStanza::reactions(target.conversation.peer, OutgoingStanza::newId(),
                                                            action.targetId, unique),
                                  target.conversation),
        action, target);
}

QFuture<Result<ChatMessage>> MessageService::sendAction(const QXmppMessage &stanza, MessageAction action,
                                                        const ChatMessage &target)
{
    if (m_client.state() != QXmppClient::ConnectedState)
        return readyResult<ChatMessage>(Error(Error::Code::NotConnected, m_accountJid));
    action.conversation = target.conversation;
    action.direction = ChatMessage::Direction::Outgoing;
    action.sender = m_accountJid;
    action.time = QDateTime::currentDateTimeUtc();
    action.actionId = stanza.id();
    // A correction's new text is as private as the message it replaces. Reactions and retractions carry
    // no text of ours (a retraction's body is a fixed fallback) and go as they are, as other OMEMO clients
    // send them.
    if (!m_encryption || action.kind != MessageAction::Kind::Correction)
        return sendActionStanza(stanza, action, target);
    auto promise = std::make_shared<QPromise<Result<ChatMessage>>>();
    promise->start();
    m_encryption->prepare(stanza, target.conversation)
        .then(this, [this, promise, action, target](const Result<EncryptionService::Prepared> &prepared) {
            auto finish = [promise](const Result<ChatMessage> &sent) {
                promise->addResult(sent);
                promise->finish();
            };
            if (!isOk(prepared))
                finish(errorOf(prepared));
            else
                sendActionStanza(std::get<EncryptionService::Prepared>(prepared).stanza, action, target)
                    .then(this, finish);
        });
    return promise->future();
}

QFuture<Result<ChatMessage>> MessageService::sendActionStanza(const QXmppMessage &stanza,
                                                              const MessageAction &action,
                                                              const ChatMessage &target)
{
    auto promise = std::make_shared<QPromise<Result<ChatMessage>>>();
    promise->start();
    m_client.send(QXmppMessage(stanza))
        .then(this, [this, promise, action, target](QXmpp::SendResult &&result) {
            if (const auto *error = std::get_if<QXmppError>(&result)) {
                promise->addResult(Error(Error::Code::SendFailed, error->description));
                promise->finish();
                return;
            }
            if (!m_store) {
                promise->addResult(target);
                promise->finish();
                return;
            }
            m_store->applyActions({action}).then(
                this, [this, promise, target](const Result<QList<ChatMessage>> &changed) {
                    if (!isOk(changed)) {
                        promise->addResult(errorOf(changed));
                        promise->finish();
                        return;
                    }
                    const auto &messages = std::get<QList<ChatMessage>>(changed);
                    if (!messages.isEmpty())
                        Q_EMIT messagesChanged(messages);
                    ChatMessage updated = target;
                    for (const ChatMessage &message : messages) {
                        if (message.storageId == target.storageId)
                            updated = message;
                    }
                    promise->addResult(updated);
                    promise->finish();
                });
        });
    return promise->future();
}

QFuture<Result<Success>> MessageService::deleteLocally(const ChatMessage &message)
{
    if (!m_store || message.storageId == 0)
        return readyResult<Success>(Success{});
    return m_store->deleteLocally(message.storageId);
}

void MessageService::markDisplayed(const ChatMessage &message, bool sendMarker)
{
    if (message.direction != ChatMessage::Direction::Incoming)
        return;
    if (sendMarker && message.markable && !message.id.isEmpty() && !message.conversation.isGroupChat() &&
        m_client.state() == QXmppClient::ConnectedState)
        m_client.send(
            OutgoingStanza::displayedMarker(message.conversation.peer, OutgoingStanza::newId(), message.id));
    Q_EMIT displayed(message);
}

void MessageService::sendChatState(const QString &peer, ChatState state)
{
    if (m_client.state() == QXmppClient::ConnectedState)
        m_client.send(OutgoingStanza::chatState(peer, state));
}

void MessageService::reportEcho(const ChatMessage &echo)
{
    m_store->findByReference(echo.conversation, echo.originId)
        .then(this, [this](const Result<std::optional<ChatMessage>> &found) {
            if (const auto *message = std::get_if<std::optional<ChatMessage>>(&found); message && *message)
                Q_EMIT messagesChanged({**message});
        });
}

void MessageService::reportChanged(QFuture<Result<QList<ChatMessage>>> changed)
{
    changed.then(this, [this](const Result<QList<ChatMessage>> &result) {
        if (!isOk(result)) {
            qCWarning(lcMessaging) << "cannot store a change of messages:" << errorOf(result).detail;
            return;
        }
        if (const auto &messages = std::get<QList<ChatMessage>>(result); !messages.isEmpty())
            Q_EMIT messagesChanged(messages);
    });
}

void MessageService::handleIncoming(const QXmppMessage &stanza)
{
    const auto incoming = readIncomingMessage(stanza, m_accountJid, m_isRoom);
    if (!incoming)
        return;
    // Receipts only for live messages straight from the peer (not carbons of what our other devices got).
    if (incoming->receiptRequested && !stanza.isCarbonForwarded() && m_mayConfirm &&
        m_mayConfirm(incoming->conversation.peer))
        m_client.send(OutgoingStanza::receipt(incoming->senderFullJid, incoming->stanzaId));
    if (incoming->chatState != ChatState::None && !stanza.isCarbonForwarded())
        Q_EMIT chatStateChanged(incoming->conversation, incoming->chatState);
    applyIncoming(*incoming);
}

void MessageService::ingest(const IncomingMessage &incoming)
{
    applyIncoming(incoming);
}

void MessageService::applyIncoming(const IncomingMessage &incoming)
{
    if (incoming.message) {
        const ChatMessage &message = *incoming.message;
        if (!m_store || message.transient) {
            Q_EMIT messageReceived(message);
        } else {
            m_store->ingest({message}).then(this, [this, message](const Result<QList<ChatMessage>> &stored) {
                if (!isOk(stored)) {
                    // Shown all the same: a full disk must not hide what arrived.
                    qCWarning(lcMessaging) << "cannot store a message:" << errorOf(stored).detail;
                    Q_EMIT messageReceived(message);
                    return;
                }
                const auto &added = std::get<QList<ChatMessage>>(stored);
                for (const ChatMessage &newMessage : added)
                    Q_EMIT messageReceived(newMessage);
                // A room's echo of our message: the stored one now has the room's stanza-id, which
                // reactions and retractions in the room refer to.
                if (added.isEmpty() && message.conversation.isGroupChat() && !message.originId.isEmpty())
                    reportEcho(message);
            });
        }
    }
    if (!m_store)
        return;
    if (incoming.action)
        reportChanged(m_store->applyActions({*incoming.action}));
    if (!incoming.confirmedId.isEmpty())
        reportChanged(
            m_store->confirmDelivery(incoming.conversation, incoming.confirmedId, incoming.confirmation));
    if (!incoming.displayedByUs.isEmpty()) {
        m_store->markDisplayedUpTo(incoming.conversation, incoming.displayedByUs, {})
            .then(this,
                  [this, conversation = incoming.conversation](const Result<std::optional<int>> &unread) {
                      if (const auto *left = std::get_if<std::optional<int>>(&unread); left && *left)
                          Q_EMIT displayedElsewhere(conversation, **left);
                  });
    }
}

} // namespace Natter::Core
