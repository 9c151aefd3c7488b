// SPDX-License-Identifier: GPL-3.0-or-later
#include "MessageService.h"

#include "ChatMessageReader.h"

#include "common/JidValidator.h"
#include "common/Logging.h"
#include "storage/MessageRepository.h"

#include <QPromise>
#include <QUuid>
#include <QXmppClient.h>
#include <QXmppE2eeMetadata.h>
#include <QXmppMessage.h>
#include <QXmppTask.h>
#include <QXmppUtils.h>
#include <memory>

namespace Natter::Core {

namespace {
QFuture<Result<ChatMessage>> readyResult(Result<ChatMessage> result)
{
    QPromise<Result<ChatMessage>> promise;
    promise.start();
    promise.addResult(std::move(result));
    promise.finish();
    return promise.future();
}
} // namespace

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

Result<ChatMessage> MessageService::compose(const QString &peerBareJid, const QString &body) const
{
    const QString peer = JidValidator::normalizedBareJid(peerBareJid);
    if (peer.isEmpty() || peer.contains(u'/'))
        return Error(Error::Code::InvalidJid, peerBareJid);
    ChatMessage message;
    message.conversation = {m_accountJid, peer};
    message.direction = ChatMessage::Direction::Outgoing;
    message.delivery = ChatMessage::Delivery::Pending;
    message.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    message.originId = message.id;
    message.senderFullJid = m_accountJid;
    message.body = body;
    message.timestamp = QDateTime::currentDateTimeUtc();
    return message;
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
        if (m_client.state() != QXmppClient::ConnectedState) {
            promise->addResult(message); // stays Pending; resendPending() sends it after the next login
            promise->finish();
            return;
        }
        transmit(message).then(this, [promise](const Result<ChatMessage> &sent) {
            promise->addResult(sent);
            promise->finish();
        });
    });
    return promise->future();
}

QFuture<Result<ChatMessage>> MessageService::transmit(ChatMessage message)
{
    if (m_client.state() != QXmppClient::ConnectedState)
        return readyResult(Error(Error::Code::NotConnected, m_accountJid));

    QXmppMessage stanza;
    stanza.setType(QXmppMessage::Chat);
    stanza.setTo(message.conversation.peer);
    stanza.setId(message.id);
    stanza.setOriginId(message.originId);
    stanza.setBody(message.body);
    stanza.setReceiptRequested(true);

    m_inFlight.insert(message.id);
    auto promise = std::make_shared<QPromise<Result<ChatMessage>>>();
    promise->start();
    m_client.send(std::move(stanza)).then(this, [this, promise, message](QXmpp::SendResult &&result) mutable {
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

void MessageService::handleIncoming(const QXmppMessage &stanza)
{
    auto message = readChatMessage(stanza, m_accountJid);
    if (!message)
        return;
    if (!m_store) {
        Q_EMIT messageReceived(*message);
        return;
    }
    m_store->ingest({*message})
        .then(this, [this, message = *message](const Result<QList<ChatMessage>> &stored) {
            if (!isOk(stored)) {
                // Shown all the same: a full disk must not hide what arrived.
                qCWarning(lcMessaging) << "cannot store a message:" << errorOf(stored).detail;
                Q_EMIT messageReceived(message);
                return;
            }
            for (const ChatMessage &added : std::get<QList<ChatMessage>>(stored))
                Q_EMIT messageReceived(added);
        });
}

} // namespace Natter::Core
