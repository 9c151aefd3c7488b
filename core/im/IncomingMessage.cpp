// SPDX-License-Identifier: GPL-3.0-or-later
#include "IncomingMessage.h"

#include "common/JidValidator.h"
#include "common/Logging.h"
#include "crypto/EncryptedFile.h"
#include "im/FileShareElement.h"
#include "im/StanzaExtensions.h"

#include <QDomElement>
#include <QXmppE2eeMetadata.h>
#include <QXmppElement.h>
#include <QXmppFallback.h>
#include <QXmppMessage.h>
#include <QXmppMessageReaction.h>
#include <QXmppOutOfBandUrl.h>
#include <QXmppUtils.h>

namespace Natter::Core {

namespace {

constexpr auto NsReply = "urn:xmpp:reply:0";
constexpr auto NsRetract = "urn:xmpp:message-retract:1";
constexpr auto NsRetractLegacy = "urn:xmpp:message-retract:0";
constexpr auto NsFasten = "urn:xmpp:fasten:0";
constexpr qsizetype MaxIdLength = 256;
constexpr qsizetype MaxReactions = 20;
constexpr qsizetype MaxReactionLength = 32;
// A sender's clock may be a little ahead of ours; a stamp further in the future is not believed.
constexpr qint64 ClockSkewMs = 5 * 60 * 1000;

// XEP-0424 (and the fastened form of its version 0, which older Conversations releases send).
QString retractedId(const QXmppMessage &stanza)
{
    for (const QXmppElement &extension : stanza.extensions()) {
        const QString ns = namespaceOf(extension);
        if (extension.tagName() == u"retract" && ns == QLatin1String(NsRetract))
            return extension.attribute(QStringLiteral("id"));
        if (extension.tagName() == u"apply-to" && ns == QLatin1String(NsFasten)) {
            for (QXmppElement child = extension.firstChildElement(); !child.isNull();
                 child = child.nextSiblingElement()) {
                if (child.tagName() == u"retract" && namespaceOf(child) == QLatin1String(NsRetractLegacy))
                    return extension.attribute(QStringLiteral("id"));
            }
        }
    }
    return {};
}

// The UTF-16 index of code point number codePoint of text (XEP-0428 counts code points), clamped to its end.
qsizetype indexOfCodePoint(const QString &text, quint32 codePoint)
{
    qsizetype index = 0;
    for (quint32 seen = 0; seen < codePoint && index < text.size(); ++seen)
        index += (text.at(index).isHighSurrogate() && index + 1 < text.size()) ? 2 : 1;
    return index;
}

struct FallbackSplit
{
    QString body;  // without the fallback
    QString quote; // the fallback, without its "> " quotation marks
};

// Removes the reply fallback (XEP-0428 for XEP-0461) from the body. Ranges out of bounds are clamped.
FallbackSplit splitReplyFallback(const QXmppMessage &stanza)
{
    const QString body = stanza.body();
    QList<QPair<qsizetype, qsizetype>> ranges;
    for (const QXmppFallback &fallback : stanza.fallbackMarkers()) {
        if (fallback.forNamespace() != QLatin1String(NsReply))
            continue;
        for (const auto &reference : fallback.references()) {
            if (reference.element != QXmppFallback::Body)
                continue;
            if (!reference.range) {
                ranges.append({0, body.size()});
                continue;
            }
            const qsizetype start = indexOfCodePoint(body, reference.range->start);
            const qsizetype end = indexOfCodePoint(body, reference.range->end);
            if (start < end)
                ranges.append({start, end});
        }
    }
    if (ranges.isEmpty())
        return {body, {}};
    std::sort(ranges.begin(), ranges.end());
    FallbackSplit split;
    qsizetype position = 0;
    QString fallback;
    for (const auto &[start, end] : std::as_const(ranges)) {
        if (end <= position)
            continue;
        const qsizetype from = std::max(start, position);
        split.body += body.mid(position, from - position);
        fallback += body.mid(from, end - from);
        position = end;
    }
    split.body += body.mid(position);
    QStringList lines = fallback.split(u'\n');
    while (!lines.isEmpty() && lines.last().trimmed().isEmpty())
        lines.removeLast();
    // A first line like "> Anna wrote:" names the author: keep the quoted text only.
    if (lines.size() > 1 && lines.first().trimmed().endsWith(u':'))
        lines.removeFirst();
    for (QString &line : lines) {
        if (line.startsWith(QLatin1String("> ")))
            line = line.mid(2);
        else if (line.startsWith(u'>'))
            line = line.mid(1);
    }
    split.quote = lines.join(u'\n');
    return split;
}

QDateTime believableTime(const QXmppMessage &stanza)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QDateTime stamp = stanza.stamp();
    if (!stamp.isValid())
        return now;
    if (stamp.toMSecsSinceEpoch() > now.toMSecsSinceEpoch() + ClockSkewMs) {
        qCWarning(lcMessaging) << "ignoring a delay stamp in the future:" << stamp;
        return now;
    }
    return stamp.toUTC();
}

ChatState chatStateOf(QXmppMessage::State state)
{
    switch (state) {
    case QXmppMessage::Active:
        return ChatState::Active;
    case QXmppMessage::Composing:
        return ChatState::Composing;
    case QXmppMessage::Paused:
        return ChatState::Paused;
    case QXmppMessage::Inactive:
        return ChatState::Inactive;
    case QXmppMessage::Gone:
        return ChatState::Gone;
    case QXmppMessage::None:
        break;
    }
    return ChatState::None;
}

QStringList usableReactions(const QList<QString> &emojis)
{
    QStringList usable;
    for (const QString &emoji : emojis) {
        const QString trimmed = emoji.trimmed();
        if (trimmed.isEmpty() || trimmed.size() > MaxReactionLength || usable.contains(trimmed))
            continue;
        usable.append(trimmed);
        if (usable.size() == MaxReactions)
            break;
    }
    return usable;
}

} // namespace

bool isUsableId(const QString &id)
{
    if (id.isEmpty() || id.size() > MaxIdLength)
        return false;
    return std::none_of(id.cbegin(), id.cend(), [](QChar c) { return c.category() == QChar::Other_Control; });
}

namespace {

ChatMessage::Encryption encryptionOf(QXmpp::EncryptionMethod method)
{
    switch (method) {
    case QXmpp::Omemo0:
        return ChatMessage::Encryption::LegacyOmemo;
    case QXmpp::Omemo1:
    case QXmpp::Omemo2:
        return ChatMessage::Encryption::Omemo2;
    default:
        return ChatMessage::Encryption::None;
    }
}

// How a message that reached us decrypted was encrypted.
ChatMessage::Encryption decryptedWith(const QXmppMessage &stanza)
{
    const auto metadata = stanza.e2eeMetadata();
    return metadata ? encryptionOf(metadata->encryption()) : ChatMessage::Encryption::None;
}

// An OMEMO message that no decryption stage could read here (not for this device, broken session, …).
ChatMessage::Encryption stillEncrypted(const QXmppMessage &stanza)
{
    if (stanza.e2eeMetadata())
        return ChatMessage::Encryption::None;
    for (const QXmppElement &extension : stanza.extensions()) {
        const QDomElement element = extension.sourceDomElement();
        if (element.tagName() != u"encrypted")
            continue;
        // Without a payload it only moves a session on (key transport, the answer to a first message),
        // often for another of our devices: nothing to read, nothing to show.
        if (element.firstChildElement(QStringLiteral("payload")).isNull())
            return ChatMessage::Encryption::None;
        if (element.namespaceURI() == u"eu.siacs.conversations.axolotl")
            return ChatMessage::Encryption::LegacyOmemo;
        if (element.namespaceURI() == u"urn:xmpp:omemo:2")
            return ChatMessage::Encryption::Omemo2;
    }
    // QXmpp keeps an OMEMO 2 element it failed to decrypt to itself, but its EME marker shows.
    return encryptionOf(stanza.encryptionMethod());
}

} // namespace

std::optional<IncomingMessage> readIncomingMessage(const QXmppMessage &stanza, const QString &accountJid,
                                                   const std::function<bool(const QString &)> &isRoom)
{
    if (stanza.type() == QXmppMessage::Error || stanza.type() == QXmppMessage::GroupChat ||
        stanza.type() == QXmppMessage::Headline)
        return std::nullopt;
    const QString from = stanza.from().isEmpty() ? accountJid : stanza.from();
    const QString sender = JidValidator::normalizedBareJid(QXmppUtils::jidToBareJid(from));
    if (sender.isEmpty()) {
        qCWarning(lcMessaging) << "dropping a message with an invalid sender";
        return std::nullopt;
    }
    const bool own = sender == accountJid;
    const QString other = own ? stanza.to() : from;
    QString peer = JidValidator::normalizedBareJid(QXmppUtils::jidToBareJid(other));
    // A private message with a room occupant is a conversation with room/nick.
    if (!peer.isEmpty() && isRoom && isRoom(peer)) {
        const QString nick = QXmppUtils::jidToResource(other);
        peer = nick.isEmpty() ? QString() : peer + u'/' + nick;
    }
    if (peer.isEmpty() || peer == accountJid) {
        if (!stanza.body().isEmpty())
            qCWarning(lcMessaging) << "dropping an own message without a valid recipient";
        return std::nullopt;
    }

    MessageOrigin origin;
    origin.conversation = {accountJid, peer};
    origin.direction = own ? ChatMessage::Direction::Outgoing : ChatMessage::Direction::Incoming;
    origin.from = from;
    origin.author = sender;
    origin.archive = accountJid;
    return readMessageFrom(stanza, origin);
}

std::optional<IncomingMessage> readMessageFrom(const QXmppMessage &stanza, const MessageOrigin &origin)
{
    const bool own = origin.direction == ChatMessage::Direction::Outgoing;
    const bool inRoom = origin.conversation.isGroupChat();
    const QString &from = origin.from;
    IncomingMessage incoming;
    incoming.conversation = origin.conversation;
    incoming.direction = origin.direction;
    incoming.senderFullJid = from;
    incoming.stanzaId = isUsableId(stanza.id()) ? stanza.id() : QString();
    incoming.receiptRequested =
        stanza.isReceiptRequested() && !own && !inRoom && !incoming.stanzaId.isEmpty();
    if (!own)
        incoming.chatState = chatStateOf(stanza.state());
    const QDateTime time = believableTime(stanza);

    if (!stanza.receiptId().isEmpty() && !own && !inRoom) {
        if (isUsableId(stanza.receiptId()))
            incoming.confirmedId = stanza.receiptId();
        else
            qCWarning(lcMessaging) << "ignoring a receipt with an unusable id";
    }
    if (stanza.marker() != QXmppMessage::NoMarker && !inRoom) {
        if (!isUsableId(stanza.markedId())) {
            qCWarning(lcMessaging) << "ignoring a chat marker with an unusable id";
        } else if (own) {
            if (stanza.marker() != QXmppMessage::Received)
                incoming.displayedByUs = stanza.markedId();
        } else {
            incoming.confirmedId = stanza.markedId();
            incoming.confirmation = stanza.marker() == QXmppMessage::Received
                                        ? ChatMessage::Delivery::Received
                                        : ChatMessage::Delivery::Displayed;
        }
    }

    const QString originId = isUsableId(stanza.originId()) ? stanza.originId() : QString();
    // Only the archive's own id can be trusted (our server, or the room: each strips forged ones in its
    // name).
    QString archiveId;
    for (const auto &stanzaId : stanza.stanzaIds()) {
        if (JidValidator::normalizedBareJid(stanzaId.by) == origin.archive && isUsableId(stanzaId.id))
            archiveId = stanzaId.id;
    }

    auto makeAction = [&](MessageAction::Kind kind, const QString &target) -> std::optional<MessageAction> {
        const QString actionId = !originId.isEmpty()            ? originId
                                 : !incoming.stanzaId.isEmpty() ? incoming.stanzaId
                                                                : archiveId;
        if (!isUsableId(target) || actionId.isEmpty()) {
            qCWarning(lcMessaging) << "ignoring a correction, retraction or reaction with an unusable id";
            return std::nullopt;
        }
        MessageAction action;
        action.conversation = incoming.conversation;
        action.kind = kind;
        action.direction = incoming.direction;
        action.sender = origin.author;
        action.occupantId = origin.occupantId;
        action.realJid = origin.realJid;
        action.targetId = target;
        action.time = time;
        action.actionId = actionId;
        return action;
    };

    if (const QString retracted = retractedId(stanza); !retracted.isEmpty()) {
        incoming.action = makeAction(MessageAction::Kind::Retraction, retracted);
        return incoming; // its body is a fallback for clients without XEP-0424
    }
    if (const auto reaction = stanza.reaction()) {
        incoming.action = makeAction(MessageAction::Kind::Reactions, reaction->messageId());
        if (incoming.action)
            incoming.action->emojis = usableReactions(reaction->emojis());
        return incoming;
    }

    const ChatMessage::Encryption undecrypted = stillEncrypted(stanza);
    const FallbackSplit split = splitReplyFallback(stanza);
    // The body of an encrypted message is a fallback text for clients without encryption.
    QString body = undecrypted == ChatMessage::Encryption::None ? split.body : QString();
    bool truncated = false;
    if (body.size() > ChatMessage::MaxBodyLength) {
        qCWarning(lcMessaging) << "cutting a body of" << body.size() << "characters";
        body.truncate(ChatMessage::MaxBodyLength);
        if (body.back().isHighSurrogate())
            body.chop(1);
        truncated = true;
    }

    if (!stanza.replaceId().isEmpty() && !body.isEmpty()) {
        incoming.action = makeAction(MessageAction::Kind::Correction, stanza.replaceId());
        if (incoming.action)
            incoming.action->body = body;
        return incoming;
    }

    QString oobUrl = undecrypted == ChatMessage::Encryption::None ? stanza.outOfBandUrl() : QString();
    // Stateless file sharing (XEP-0447): what the file is, and its link when no XEP-0066 data came along.
    const auto shared = undecrypted == ChatMessage::Encryption::None
                            ? FileShareElement::find(stanza.sharedFiles(), oobUrl)
                            : std::nullopt;
    if (shared && oobUrl.isEmpty())
        oobUrl = shared->link;
    if (body.trimmed().isEmpty() && oobUrl.isEmpty() && undecrypted == ChatMessage::Encryption::None)
        return incoming;

    ChatMessage message;
    message.conversation = incoming.conversation;
    message.direction = incoming.direction;
    message.delivery = ChatMessage::Delivery::Acknowledged;
    message.id = incoming.stanzaId;
    message.originId = originId;
    message.senderFullJid = from;
    message.occupantId = origin.occupantId;
    message.senderRealJid = origin.realJid;
    message.body = body;
    message.truncated = truncated;
    message.timestamp = time;
    message.encryption = undecrypted != ChatMessage::Encryption::None ? undecrypted : decryptedWith(stanza);
    if (undecrypted != ChatMessage::Encryption::None)
        message.cryptoError = QStringLiteral("undecryptable");
    if (!archiveId.isEmpty()) {
        message.stanzaId = archiveId;
        message.stanzaIdBy = origin.archive;
    }
    if (const auto reply = stanza.reply(); reply && isUsableId(reply->id)) {
        message.replyToId = reply->id;
        message.replyToJid = JidValidator::normalizedBareJid(QXmppUtils::jidToBareJid(reply->to));
        message.replyQuote = split.quote.left(1000);
    }
    // An encrypted file (XEP-0454): its aesgcm:// link is the whole body of an encrypted message.
    if (message.encryption != ChatMessage::Encryption::None && undecrypted == ChatMessage::Encryption::None &&
        body.size() <= 4096 && isOk(AesGcmLink::parse(body.trimmed())))
        message.oobUrl = body.trimmed();
    else if (!oobUrl.isEmpty() && oobUrl.size() <= 4096) {
        message.oobUrl = oobUrl;
        message.oobDescription = stanza.outOfBandUrls().isEmpty()
                                     ? QString()
                                     : stanza.outOfBandUrls().constFirst().description().value_or(QString());
        if (message.body.isEmpty())
            message.body = oobUrl;
        if (shared)
            message.file = shared->file;
    }
    message.markable = stanza.isMarkable() && !own && !inRoom;
    message.transient =
        stanza.hasHint(QXmppMessage::NoStore) || stanza.hasHint(QXmppMessage::NoPermanentStore);
    incoming.message = message;
    return incoming;
}

} // namespace Natter::Core
