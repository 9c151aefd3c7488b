// SPDX-License-Identifier: GPL-3.0-or-later
#include "MessageService.h"

#include "common/JidValidator.h"
#include "common/Logging.h"

#include <QPromise>
#include <QUuid>
#include <QXmppClient.h>
#include <QXmppE2eeMetadata.h>
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
    auto promise = std::make_shared<QPromise<Result<ChatMessage>>>();
    promise->start();
    if (m_client.state() != QXmppClient::ConnectedState) {
        promise->addResult(Error(Error::Code::NotConnected, m_accountJid));
        promise->finish();
        return promise->future();
    }

    QXmppMessage stanza;
    stanza.setType(QXmppMessage::Chat);
    stanza.setTo(message.conversation.peer);
    stanza.setId(message.id);
    stanza.setOriginId(message.originId);
    stanza.setBody(message.body);
    stanza.setReceiptRequested(true);

    m_client.send(std::move(stanza)).then(this, [promise, message](QXmpp::SendResult &&result) mutable {
        if (const auto *error = std::get_if<QXmppError>(&result)) {
            promise->addResult(Error(Error::Code::SendFailed, error->description));
        } else {
            message.delivery = std::get<QXmpp::SendSuccess>(result).acknowledged
                                   ? ChatMessage::Delivery::Acknowledged
                                   : ChatMessage::Delivery::Sent;
            promise->addResult(message);
        }
        promise->finish();
    });
    return promise->future();
}

void MessageService::handleIncoming(const QXmppMessage &stanza)
{
    if (stanza.type() == QXmppMessage::Error || stanza.type() == QXmppMessage::GroupChat ||
        stanza.type() == QXmppMessage::Headline || stanza.body().isEmpty())
        return;
    const QString from = stanza.from().isEmpty() ? m_accountJid : stanza.from();
    const QString peer = JidValidator::normalizedBareJid(QXmppUtils::jidToBareJid(from));
    if (peer.isEmpty()) {
        qCWarning(lcMessaging) << "dropping message with an invalid sender";
        return;
    }
    ChatMessage message;
    message.conversation = {m_accountJid, peer};
    message.direction = ChatMessage::Direction::Incoming;
    message.delivery = ChatMessage::Delivery::Acknowledged;
    message.id = stanza.id();
    message.originId = stanza.originId();
    message.senderFullJid = from;
    message.body = stanza.body();
    message.timestamp = stanza.stamp().isValid() ? stanza.stamp().toUTC() : QDateTime::currentDateTimeUtc();
    Q_EMIT messageReceived(message);
}

} // namespace Natter::Core
