// SPDX-License-Identifier: GPL-3.0-or-later
#include "JingleMessage.h"

#include "RtpDescription.h"
#include "common/XmlElements.h"

#include <QDomElement>

namespace Natter::Core::Calls {

using XmlElements::element;
using XmlElements::withNamespace;

namespace {

constexpr qsizetype MaxIdLength = 256;

const QList<std::pair<JingleMessage::Type, QString>> TypeNames = {
    {JingleMessage::Type::Propose, QStringLiteral("propose")},
    {JingleMessage::Type::Ringing, QStringLiteral("ringing")},
    {JingleMessage::Type::Proceed, QStringLiteral("proceed")},
    {JingleMessage::Type::Reject, QStringLiteral("reject")},
    {JingleMessage::Type::Retract, QStringLiteral("retract")},
    {JingleMessage::Type::Finish, QStringLiteral("finish")},
};

std::optional<JingleMessage::Type> typeNamed(const QString &name)
{
    for (const auto &[type, typeName] : TypeNames)
        if (typeName == name)
            return type;
    return std::nullopt;
}

QString nameOf(JingleMessage::Type type)
{
    for (const auto &[candidate, typeName] : TypeNames)
        if (candidate == type)
            return typeName;
    return {};
}

QString reasonOf(const QDomElement &payload)
{
    const QDomElement reason = payload.firstChildElement(QStringLiteral("reason"));
    for (QDomElement child = reason.firstChildElement(); !child.isNull(); child = child.nextSiblingElement())
        if (child.tagName() != u"text" && child.tagName().size() <= 64)
            return child.tagName();
    return {};
}

} // namespace

std::optional<JingleMessage> readJingleMessage(const QDomElement &message)
{
    for (QDomElement payload = message.firstChildElement(); !payload.isNull();
         payload = payload.nextSiblingElement()) {
        if (payload.namespaceURI() != JingleMessageNamespace)
            continue;
        const auto type = typeNamed(payload.tagName());
        const QString id = payload.attribute(QStringLiteral("id"));
        if (!type || id.isEmpty() || id.size() > MaxIdLength)
            return std::nullopt;
        JingleMessage read;
        read.type = *type;
        read.id = id;
        read.reason = reasonOf(payload);
        read.tieBreak = !payload.firstChildElement(QStringLiteral("tie-break")).isNull();
        for (QDomElement description = payload.firstChildElement(QStringLiteral("description"));
             !description.isNull();
             description = description.nextSiblingElement(QStringLiteral("description"))) {
            const QString media = description.attribute(QStringLiteral("media"));
            if (description.namespaceURI() == RtpNamespace && (media == u"audio" || media == u"video") &&
                !read.media.contains(media))
                read.media.append(media);
        }
        if (read.type == JingleMessage::Type::Propose && read.media.isEmpty())
            return std::nullopt; // not a call (a file or something else we do not take this way)
        return read;
    }
    return std::nullopt;
}

QXmppMessage jingleMessageStanza(const QString &to, const JingleMessage &message)
{
    QXmppElement payload = withNamespace(element(nameOf(message.type)), JingleMessageNamespace);
    payload.setAttribute(QStringLiteral("id"), message.id);
    for (const QString &media : message.media) {
        QXmppElement description = withNamespace(element(QStringLiteral("description")), RtpNamespace);
        description.setAttribute(QStringLiteral("media"), media);
        payload.appendChild(description);
    }
    if (!message.reason.isEmpty()) {
        QXmppElement reason = withNamespace(element(QStringLiteral("reason")), JingleNamespace);
        reason.appendChild(element(message.reason));
        payload.appendChild(reason);
    }
    if (message.tieBreak)
        payload.appendChild(element(QStringLiteral("tie-break")));
    QXmppMessage stanza;
    stanza.setTo(to);
    stanza.setType(QXmppMessage::Chat);
    stanza.addHint(QXmppMessage::Store);
    stanza.setExtensions({payload});
    return stanza;
}

} // namespace Natter::Core::Calls
