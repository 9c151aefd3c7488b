// SPDX-License-Identifier: GPL-3.0-or-later
#include "OutgoingStanza.h"

#include "FileShareElement.h"

#include <QDomDocument>
#include <QUuid>
#include <QXmppElement.h>
#include <QXmppFallback.h>
#include <QXmppMessageReaction.h>

namespace Natter::Core::OutgoingStanza {

namespace {

constexpr auto NsReply = "urn:xmpp:reply:0";
constexpr auto NsRetract = "urn:xmpp:message-retract:1";
constexpr qsizetype MaxQuotedLines = 4;

QXmppMessage chatStanza(const QString &peer, const QString &id)
{
    QXmppMessage stanza;
    stanza.setType(QXmppMessage::Chat);
    stanza.setTo(peer);
    stanza.setId(id);
    stanza.setOriginId(id);
    return stanza;
}

quint32 codePointCount(const QString &text)
{
    return quint32(text.toUcs4().size());
}

} // namespace

QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QString replyFallback(const QString &quotedAuthor, const QString &quotedBody)
{
    QStringList lines = quotedBody.split(u'\n');
    if (lines.size() > MaxQuotedLines) {
        lines = lines.mid(0, MaxQuotedLines);
        lines.last() += QStringLiteral(" …");
    }
    QString fallback;
    if (!quotedAuthor.isEmpty())
        fallback += QStringLiteral("> ") + quotedAuthor + QStringLiteral(" wrote:\n");
    for (const QString &line : std::as_const(lines))
        fallback += QStringLiteral("> ") + line + u'\n';
    return fallback;
}

QXmppMessage message(const ChatMessage &message)
{
    QXmppMessage stanza = chatStanza(message.conversation.peer, message.id);
    stanza.setOriginId(message.originId);
    stanza.setReceiptRequested(true);
    stanza.setMarkable(true);
    stanza.setState(QXmppMessage::Active);
    // A shared file's link, for clients that show attachments (XEP-0066). An encrypted file's aesgcm://
    // link holds its key and goes in the body only, which is encrypted.
    if (!message.oobUrl.isEmpty() && !message.oobUrl.startsWith(QStringLiteral("aesgcm:"))) {
        stanza.setOutOfBandUrl(message.oobUrl);
        // And what it is (XEP-0447/XEP-0446), for clients that show a file before downloading it.
        if (!message.file.isEmpty() && message.oobUrl.startsWith(QStringLiteral("https:")))
            stanza.setExtensions(stanza.extensions()
                                 << FileShareElement::toElement(message.file, message.oobUrl));
    }
    if (message.replyToId.isEmpty()) {
        stanza.setBody(message.body);
        return stanza;
    }
    stanza.setReply(QXmpp::Reply{message.replyToJid, message.replyToId});
    const QString fallback = replyFallback(message.replyToJid, message.replyQuote);
    stanza.setBody(fallback + message.body);
    stanza.setFallbackMarkers({QXmppFallback(
        QString::fromLatin1(NsReply),
        {QXmppFallback::Reference{QXmppFallback::Body, QXmppFallback::Range{0, codePointCount(fallback)}}})});
    return stanza;
}

QXmppMessage correction(const QString &peer, const QString &id, const QString &originalId,
                        const QString &body)
{
    QXmppMessage stanza = chatStanza(peer, id);
    stanza.setReplaceId(originalId);
    stanza.setBody(body);
    stanza.setReceiptRequested(true);
    stanza.setMarkable(true);
    return stanza;
}

QXmppMessage retraction(const QString &peer, const QString &id, const QString &targetId)
{
    QXmppMessage stanza = chatStanza(peer, id);
    QXmppElement retract;
    retract.setTagName(QStringLiteral("retract"));
    retract.setAttribute(QStringLiteral("xmlns"), QString::fromLatin1(NsRetract));
    retract.setAttribute(QStringLiteral("id"), targetId);
    stanza.setExtensions({retract});
    stanza.setFallbackMarkers({QXmppFallback(QString::fromLatin1(NsRetract), {})});
    stanza.setBody(
        QStringLiteral("This person attempted to retract a previous message, but it's unsupported by "
                       "your client."));
    stanza.addHint(QXmppMessage::Store);
    return stanza;
}

QXmppMessage reactions(const QString &peer, const QString &id, const QString &targetId,
                       const QStringList &emojis)
{
    QXmppMessage stanza = chatStanza(peer, id);
    QXmppMessageReaction reaction;
    reaction.setMessageId(targetId);
    reaction.setEmojis(emojis);
    stanza.setReaction(reaction);
    stanza.addHint(QXmppMessage::Store);
    return stanza;
}

QXmppMessage receipt(const QString &toFullJid, const QString &receivedId)
{
    QXmppMessage stanza = chatStanza(toFullJid, newId());
    stanza.setReceiptId(receivedId);
    stanza.addHint(QXmppMessage::Store);
    return stanza;
}

QXmppMessage displayedMarker(const QString &peer, const QString &id, const QString &markedId)
{
    QXmppMessage stanza = chatStanza(peer, id);
    stanza.setMarker(QXmppMessage::Displayed);
    stanza.setMarkerId(markedId);
    stanza.addHint(QXmppMessage::Store);
    return stanza;
}

QXmppMessage chatState(const QString &peer, ChatState state)
{
    QXmppMessage stanza;
    stanza.setType(QXmppMessage::Chat);
    stanza.setTo(peer);
    switch (state) {
    case ChatState::Active:
        stanza.setState(QXmppMessage::Active);
        break;
    case ChatState::Composing:
        stanza.setState(QXmppMessage::Composing);
        break;
    case ChatState::Paused:
        stanza.setState(QXmppMessage::Paused);
        break;
    case ChatState::Inactive:
        stanza.setState(QXmppMessage::Inactive);
        break;
    case ChatState::Gone:
        stanza.setState(QXmppMessage::Gone);
        break;
    case ChatState::None:
        break;
    }
    stanza.addHint(QXmppMessage::NoStore);
    return stanza;
}

QXmppMessage addressed(QXmppMessage stanza, const ConversationKey &conversation)
{
    if (conversation.isGroupChat()) {
        stanza.setType(QXmppMessage::GroupChat);
        stanza.setReceiptRequested(false);
        stanza.setMarkable(false);
        stanza.setState(QXmppMessage::None);
    } else if (conversation.peer.contains(u'/')) {
        QDomDocument document;
        document.setContent(QStringLiteral("<x xmlns='http://jabber.org/protocol/muc#user'/>"),
                            QDomDocument::ParseOption::UseNamespaceProcessing);
        auto extensions = stanza.extensions();
        extensions.append(QXmppElement(document.documentElement()));
        stanza.setExtensions(extensions);
    }
    return stanza;
}

} // namespace Natter::Core::OutgoingStanza
