// SPDX-License-Identifier: GPL-3.0-or-later
#include "JingleElements.h"

#include "common/FilePlacement.h"
#include "common/JingleReasons.h"
#include "common/XmlElements.h"

#include <QDomElement>
#include <QXmlStreamWriter>

namespace Natter::Core::Jingle {

using XmlElements::element;
using XmlElements::withNamespace;

namespace {

const QString HashesNamespace = QStringLiteral("urn:xmpp:hashes:2");
constexpr qsizetype MaxMediaTypeLength = 255;
constexpr qsizetype MaxIdLength = 256;
constexpr int MaxCandidates = 32;

bool isShortId(const QString &value)
{
    return !value.isEmpty() && value.size() <= MaxIdLength;
}

std::optional<FileMetadata> parseFile(const QDomElement &description)
{
    const QDomElement file = description.firstChildElement(QStringLiteral("file"));
    if (file.isNull())
        return std::nullopt;
    FileMetadata metadata;
    const QString name = file.firstChildElement(QStringLiteral("name")).text();
    metadata.name = FilePlacement::safeFileName(name);
    bool ok = false;
    const qint64 size = file.firstChildElement(QStringLiteral("size")).text().toLongLong(&ok);
    if (ok && size >= 0)
        metadata.size = size;
    const QString type = file.firstChildElement(QStringLiteral("media-type")).text().trimmed();
    if (type.size() <= MaxMediaTypeLength && type.contains(u'/'))
        metadata.mediaType = type;
    for (QDomElement hash = file.firstChildElement(QStringLiteral("hash")); !hash.isNull();
         hash = hash.nextSiblingElement(QStringLiteral("hash"))) {
        if (hash.namespaceURI() != HashesNamespace || hash.attribute(QStringLiteral("algo")) != u"sha-256")
            continue;
        const QByteArray digest = QByteArray::fromBase64(hash.text().trimmed().toLatin1());
        if (digest.size() == 32)
            metadata.sha256 = digest;
    }
    return metadata;
}

QXmppElement fileElement(const FileMetadata &metadata)
{
    QXmppElement file = element(QStringLiteral("file"));
    if (!metadata.mediaType.isEmpty())
        file.appendChild(element(QStringLiteral("media-type"), metadata.mediaType));
    file.appendChild(element(QStringLiteral("name"), metadata.name));
    if (metadata.size)
        file.appendChild(element(QStringLiteral("size"), QString::number(*metadata.size)));
    if (!metadata.sha256.isEmpty()) {
        QXmppElement hash =
            withNamespace(element(QStringLiteral("hash"), QString::fromLatin1(metadata.sha256.toBase64())),
                          HashesNamespace);
        hash.setAttribute(QStringLiteral("algo"), QStringLiteral("sha-256"));
        file.appendChild(hash);
    }
    return file;
}

std::optional<Candidate> parseCandidate(const QDomElement &element)
{
    Candidate candidate;
    candidate.cid = element.attribute(QStringLiteral("cid"));
    candidate.host = element.attribute(QStringLiteral("host"));
    candidate.jid = element.attribute(QStringLiteral("jid"));
    bool portOk = false;
    bool priorityOk = false;
    const uint port = element.attribute(QStringLiteral("port")).toUInt(&portOk);
    candidate.priority = element.attribute(QStringLiteral("priority")).toUInt(&priorityOk);
    const QString type = element.attribute(QStringLiteral("type"), QStringLiteral("direct"));
    candidate.type = type == u"proxy" ? Candidate::Type::Proxy : Candidate::Type::Direct;
    if (!isShortId(candidate.cid) || !isShortId(candidate.host) || !portOk || port == 0 || port > 65535 ||
        !priorityOk || (type != u"proxy" && type != u"direct" && type != u"assisted" && type != u"tunnel"))
        return std::nullopt;
    candidate.port = quint16(port);
    return candidate;
}

void parseTransport(const QDomElement &transport, Action &action)
{
    if (transport.namespaceURI() == S5bNamespace) {
        action.transport = Action::Transport::Socks5;
        action.transportSid = transport.attribute(QStringLiteral("sid"));
        action.dstaddr = transport.attribute(QStringLiteral("dstaddr"));
        for (QDomElement child = transport.firstChildElement(); !child.isNull();
             child = child.nextSiblingElement()) {
            const QString name = child.tagName();
            if (name == u"candidate" && action.candidates.size() < MaxCandidates) {
                if (const auto candidate = parseCandidate(child))
                    action.candidates.append(*candidate);
            } else if (name == u"candidate-used") {
                action.candidateUsed = child.attribute(QStringLiteral("cid"));
            } else if (name == u"candidate-error") {
                action.candidateError = true;
            } else if (name == u"activated") {
                action.activated = child.attribute(QStringLiteral("cid"));
            } else if (name == u"proxy-error") {
                action.proxyError = true;
            }
        }
    } else if (transport.namespaceURI() == IbbNamespace) {
        action.transport = Action::Transport::InBand;
        action.transportSid = transport.attribute(QStringLiteral("sid"));
        action.blockSize = transport.attribute(QStringLiteral("block-size")).toInt();
    }
}

QXmppElement transportElement(const Action &action)
{
    if (action.transport == Action::Transport::InBand) {
        QXmppElement transport = withNamespace(element(QStringLiteral("transport")), IbbNamespace);
        transport.setAttribute(QStringLiteral("sid"), action.transportSid);
        if (action.blockSize > 0)
            transport.setAttribute(QStringLiteral("block-size"), QString::number(action.blockSize));
        return transport;
    }
    QXmppElement transport = withNamespace(element(QStringLiteral("transport")), S5bNamespace);
    transport.setAttribute(QStringLiteral("sid"), action.transportSid);
    if (!action.dstaddr.isEmpty())
        transport.setAttribute(QStringLiteral("dstaddr"), action.dstaddr);
    if (action.action == u"session-initiate")
        transport.setAttribute(QStringLiteral("mode"), QStringLiteral("tcp"));
    for (const Candidate &candidate : action.candidates) {
        QXmppElement child = element(QStringLiteral("candidate"));
        child.setAttribute(QStringLiteral("cid"), candidate.cid);
        child.setAttribute(QStringLiteral("host"), candidate.host);
        child.setAttribute(QStringLiteral("jid"), candidate.jid);
        child.setAttribute(QStringLiteral("port"), QString::number(candidate.port));
        child.setAttribute(QStringLiteral("priority"), QString::number(candidate.priority));
        child.setAttribute(QStringLiteral("type"), candidate.type == Candidate::Type::Proxy
                                                       ? QStringLiteral("proxy")
                                                       : QStringLiteral("direct"));
        transport.appendChild(child);
    }
    const auto withCid = [](const QString &name, const QString &cid) {
        QXmppElement child = element(name);
        child.setAttribute(QStringLiteral("cid"), cid);
        return child;
    };
    if (!action.candidateUsed.isEmpty())
        transport.appendChild(withCid(QStringLiteral("candidate-used"), action.candidateUsed));
    if (action.candidateError)
        transport.appendChild(element(QStringLiteral("candidate-error")));
    if (!action.activated.isEmpty())
        transport.appendChild(withCid(QStringLiteral("activated"), action.activated));
    if (action.proxyError)
        transport.appendChild(element(QStringLiteral("proxy-error")));
    return transport;
}

} // namespace

std::optional<Action> parse(const QDomElement &jingle)
{
    if (jingle.tagName() != u"jingle" || jingle.namespaceURI() != Namespace)
        return std::nullopt;
    Action action;
    action.action = jingle.attribute(QStringLiteral("action"));
    action.sid = jingle.attribute(QStringLiteral("sid"));
    action.initiator = jingle.attribute(QStringLiteral("initiator"));
    if (!isShortId(action.action) || !isShortId(action.sid))
        return std::nullopt;
    const QDomElement content = jingle.firstChildElement(QStringLiteral("content"));
    if (!content.isNull()) {
        action.contentName = content.attribute(QStringLiteral("name"));
        action.contentCreator = content.attribute(QStringLiteral("creator"), QStringLiteral("initiator"));
        const QDomElement description = content.firstChildElement(QStringLiteral("description"));
        if (!description.isNull() && description.namespaceURI() == FileTransferNamespace)
            action.file = parseFile(description);
        parseTransport(content.firstChildElement(QStringLiteral("transport")), action);
    }
    const QDomElement reason = jingle.firstChildElement(QStringLiteral("reason"));
    for (QDomElement child = reason.firstChildElement(); !child.isNull();
         child = child.nextSiblingElement()) {
        if (child.tagName() == u"text")
            action.reasonText = child.text().left(1000);
        else if (Jingle::ReasonConditions.contains(child.tagName()))
            action.reason = child.tagName();
    }
    return action;
}

QXmppElement toElement(const Action &action)
{
    QXmppElement jingle = withNamespace(element(QStringLiteral("jingle")), Namespace);
    jingle.setAttribute(QStringLiteral("action"), action.action);
    jingle.setAttribute(QStringLiteral("sid"), action.sid);
    if (!action.initiator.isEmpty())
        jingle.setAttribute(QStringLiteral("initiator"), action.initiator);
    if (!action.contentName.isEmpty()) {
        QXmppElement content = element(QStringLiteral("content"));
        content.setAttribute(QStringLiteral("creator"), action.contentCreator);
        content.setAttribute(QStringLiteral("name"), action.contentName);
        if (action.action == u"session-initiate")
            content.setAttribute(QStringLiteral("senders"), QStringLiteral("initiator"));
        if (action.file) {
            QXmppElement description =
                withNamespace(element(QStringLiteral("description")), FileTransferNamespace);
            description.appendChild(fileElement(*action.file));
            content.appendChild(description);
        }
        if (action.transport != Action::Transport::None)
            content.appendChild(transportElement(action));
        jingle.appendChild(content);
    }
    if (!action.reason.isEmpty()) {
        QXmppElement reason = element(QStringLiteral("reason"));
        reason.appendChild(element(action.reason));
        if (!action.reasonText.isEmpty())
            reason.appendChild(element(QStringLiteral("text"), action.reasonText));
        jingle.appendChild(reason);
    }
    return jingle;
}

} // namespace Natter::Core::Jingle
