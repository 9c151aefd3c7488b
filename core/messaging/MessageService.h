// SPDX-License-Identifier: GPL-3.0-or-later
// Sends and receives one-to-one chat messages of one account, through the message store when it has one.
#pragma once

#include "common/Result.h"
#include "domain/ChatMessage.h"

#include <QFuture>
#include <QObject>
#include <QSet>

class QXmppClient;
class QXmppMessage;

namespace Natter::Core {

class MessageRepository;

class MessageService : public QObject
{
    Q_OBJECT
public:
    MessageService(QXmppClient &client, QString accountJid, QObject *parent = nullptr);

    // Every message in and out goes through store from now on (nullptr: kept nowhere, e.g. a login check).
    void setStore(MessageRepository *store);

    // Builds an outgoing message (Pending) without sending it; InvalidJid when the peer is not a JID.
    Result<ChatMessage> compose(const QString &peerBareJid, const QString &body) const;
    // With a store: keeps the message as Pending first, so nothing is lost if sending fails or the process
    // dies; offline, it stays Pending and goes out after the next login. Without a store, offline is an
    // error. Resolves with the new delivery state (Acknowledged once the server confirmed it).
    QFuture<Result<ChatMessage>> send(ChatMessage message);
    // Sends again every stored message the server never acknowledged (after a login or a restart).
    void resendPending();

Q_SIGNALS:
    // A message not seen before: incoming, or sent from another of our devices (carbons).
    void messageReceived(const Natter::Core::ChatMessage &message);
    // A stored outgoing message changed its delivery state outside a send() call (resent pending ones).
    void deliveryChanged(const Natter::Core::ChatMessage &message);

private:
    void handleIncoming(const QXmppMessage &message);
    QFuture<Result<ChatMessage>> transmit(ChatMessage message);

    QXmppClient &m_client;
    QString m_accountJid;
    MessageRepository *m_store = nullptr;
    QSet<QString> m_inFlight; // ids sent in this session and not yet confirmed
};

} // namespace Natter::Core
