// SPDX-License-Identifier: GPL-3.0-or-later
// Sends and receives one-to-one chat messages of one account.
#pragma once

#include "common/Result.h"
#include "domain/ChatMessage.h"

#include <QFuture>
#include <QObject>

class QXmppClient;
class QXmppMessage;

namespace Natter::Core {

class MessageService : public QObject
{
    Q_OBJECT
public:
    MessageService(QXmppClient &client, QString accountJid, QObject *parent = nullptr);

    // Builds an outgoing message (Pending) without sending it; InvalidJid when the peer is not a JID.
    Result<ChatMessage> compose(const QString &peerBareJid, const QString &body) const;
    // Sends it; resolves with its new delivery state (Acknowledged once the server confirmed it through
    // Stream Management) or with the reason it could not be sent.
    QFuture<Result<ChatMessage>> send(ChatMessage message);

Q_SIGNALS:
    void messageReceived(const Natter::Core::ChatMessage &message);

private:
    void handleIncoming(const QXmppMessage &message);

    QXmppClient &m_client;
    QString m_accountJid;
};

} // namespace Natter::Core
