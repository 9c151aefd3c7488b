// SPDX-License-Identifier: GPL-3.0-or-later
#include "RoomMessage.h"

#include "common/JidValidator.h"
#include "common/Logging.h"
#include "im/StanzaExtensions.h"

#include <QDomElement>
#include <QXmppElement.h>
#include <QXmppMessage.h>
#include <QXmppUtils.h>

namespace Natter::Core {

namespace {

const QString NsOccupantId = QStringLiteral("urn:xmpp:occupant-id:0");
const QString NsRetract = QStringLiteral("urn:xmpp:message-retract:1");
const QString NsModerate1 = QStringLiteral("urn:xmpp:message-moderate:1");
const QString NsModerate0 = QStringLiteral("urn:xmpp:message-moderate:0");
const QString NsFasten = QStringLiteral("urn:xmpp:fasten:0");

bool hasChild(const QXmppElement &parent, const QString &name, const QString &ns)
{
    for (QXmppElement child = parent.firstChildElement(); !child.isNull();
         child = child.nextSiblingElement()) {
        if (child.tagName() == name && namespaceOf(child) == ns)
            return true;
    }
    return false;
}

// XEP-0425 as the room sends it: <retract id><moderated/></retract> (version 1) or the fastened form of
// version 0. Returns the stanza-id of the removed message.
QString moderatedId(const QXmppMessage &stanza)
{
    if (const auto retract = findExtension(stanza, QStringLiteral("retract"), NsRetract);
        retract && hasChild(*retract, QStringLiteral("moderated"), NsModerate1))
        return retract->attribute(QStringLiteral("id"));
    if (const auto applyTo = findExtension(stanza, QStringLiteral("apply-to"), NsFasten);
        applyTo && hasChild(*applyTo, QStringLiteral("moderated"), NsModerate0))
        return applyTo->attribute(QStringLiteral("id"));
    return {};
}

} // namespace

std::optional<IncomingMessage> readRoomMessage(const QXmppMessage &stanza, const RoomContext &room)
{
    if (stanza.type() != QXmppMessage::GroupChat)
        return std::nullopt;
    if (JidValidator::normalizedBareJid(QXmppUtils::jidToBareJid(stanza.from())) != room.room)
        return std::nullopt;
    const QString nick = QXmppUtils::jidToResource(stanza.from());
    const ConversationKey conversation{room.account, room.room, ConversationKind::GroupChat};

    if (nick.isEmpty()) {
        // From the room itself: only a moderator's retraction matters here.
        const QString target = moderatedId(stanza);
        if (target.isEmpty() || !isUsableId(target))
            return std::nullopt;
        IncomingMessage incoming;
        incoming.conversation = conversation;
        MessageAction action;
        action.conversation = conversation;
        action.kind = MessageAction::Kind::Moderation;
        action.sender = room.room;
        action.targetId = target;
        action.time = stanza.stamp().isValid() ? stanza.stamp().toUTC() : QDateTime::currentDateTimeUtc();
        action.actionId = isUsableId(stanza.id()) ? stanza.id() : QStringLiteral("moderation:") + target;
        incoming.action = action;
        return incoming;
    }

    MessageOrigin origin;
    origin.conversation = conversation;
    origin.from = room.room + u'/' + nick;
    origin.author = origin.from;
    origin.archive = room.room;
    if (room.trustsOccupantIds) {
        if (const auto id = findExtension(stanza, QStringLiteral("occupant-id"), NsOccupantId))
            origin.occupantId = id->attribute(QStringLiteral("id")).left(256);
    }
    if (room.realJidOf)
        origin.realJid = room.realJidOf(nick);
    const bool ownById = !room.ownOccupantId.isEmpty() && origin.occupantId == room.ownOccupantId;
    const bool ownByJid = !origin.realJid.isEmpty() && origin.realJid == room.account;
    const bool ownByNick = origin.occupantId.isEmpty() && origin.realJid.isEmpty() && nick == room.ownNick;
    origin.direction = ownById || ownByJid || ownByNick ? ChatMessage::Direction::Outgoing
                                                        : ChatMessage::Direction::Incoming;
    auto incoming = readMessageFrom(stanza, origin);
    if (incoming)
        incoming->chatState = ChatState::None; // typing in a crowd is noise, and nobody's business
    return incoming;
}

} // namespace Natter::Core
