// SPDX-License-Identifier: GPL-3.0-or-later
#include "ChatMessageReader.h"

#include "common/JidValidator.h"
#include "common/Logging.h"

#include <QXmppMessage.h>
#include <QXmppUtils.h>

namespace Natter::Core {

std::optional<ChatMessage> readChatMessage(const QXmppMessage &stanza, const QString &accountJid)
{
    if (stanza.type() == QXmppMessage::Error || stanza.type() == QXmppMessage::GroupChat ||
        stanza.type() == QXmppMessage::Headline || stanza.body().isEmpty())
        return std::nullopt;
    const QString from = stanza.from().isEmpty() ? accountJid : stanza.from();
    const QString sender = JidValidator::normalizedBareJid(QXmppUtils::jidToBareJid(from));
    if (sender.isEmpty()) {
        qCWarning(lcMessaging) << "dropping message with an invalid sender";
        return std::nullopt;
    }
    const bool ownMessage = sender == accountJid;
    const QString peer =
        ownMessage ? JidValidator::normalizedBareJid(QXmppUtils::jidToBareJid(stanza.to())) : sender;
    if (peer.isEmpty()) {
        qCWarning(lcMessaging) << "dropping own message without a valid recipient";
        return std::nullopt;
    }
    ChatMessage message;
    message.conversation = {accountJid, peer};
    message.direction = ownMessage ? ChatMessage::Direction::Outgoing : ChatMessage::Direction::Incoming;
    message.delivery = ChatMessage::Delivery::Acknowledged;
    message.id = stanza.id();
    message.originId = stanza.originId();
    message.senderFullJid = from;
    message.body = stanza.body();
    message.timestamp = stanza.stamp().isValid() ? stanza.stamp().toUTC() : QDateTime::currentDateTimeUtc();
    // Only our own server's archive id can be trusted (it strips forged ones claiming to be by us).
    for (const auto &stanzaId : stanza.stanzaIds()) {
        if (JidValidator::normalizedBareJid(stanzaId.by) == accountJid) {
            message.stanzaId = stanzaId.id;
            message.stanzaIdBy = accountJid;
        }
    }
    return message;
}

} // namespace Natter::Core
