// SPDX-License-Identifier: GPL-3.0-or-later
#include "RtpDescription.h"

#include "RtpSyntax.h"
#include "common/JingleReasons.h"
#include "common/XmlElements.h"

#include <QDomElement>
#include <algorithm>

namespace Natter::Core::Calls {

using XmlElements::element;
using XmlElements::withNamespace;
using namespace RtpSyntax;

namespace {

const QString RtpInfoNamespace = QStringLiteral("urn:xmpp:jingle:apps:rtp:info:1");

constexpr qsizetype MaxJidLength = 3071;
constexpr qsizetype MaxReasonTextLength = 1000;

const QStringList Actions = {
    QStringLiteral("content-accept"),    QStringLiteral("content-add"),
    QStringLiteral("content-modify"),    QStringLiteral("content-reject"),
    QStringLiteral("content-remove"),    QStringLiteral("description-info"),
    QStringLiteral("security-info"),     QStringLiteral("session-accept"),
    QStringLiteral("session-info"),      QStringLiteral("session-initiate"),
    QStringLiteral("session-terminate"), QStringLiteral("transport-accept"),
    QStringLiteral("transport-info"),    QStringLiteral("transport-reject"),
    QStringLiteral("transport-replace"),
};

const QStringList Infos = {
    QStringLiteral("active"), QStringLiteral("hold"),   QStringLiteral("unhold"),
    QStringLiteral("mute"),   QStringLiteral("unmute"), QStringLiteral("ringing"),
};

const QStringList Parties = {QStringLiteral("initiator"), QStringLiteral("responder")};
const QStringList Senders = {QStringLiteral("both"), QStringLiteral("initiator"), QStringLiteral("responder"),
                             QStringLiteral("none")};
const QStringList Media = {QStringLiteral("audio"), QStringLiteral("video")};

// An attribute that may be absent (then fallback), but is a number in range when present.
std::optional<quint32> optionalNumber(const QDomElement &element, const QString &name, quint32 min,
                                      quint32 max, quint32 fallback)
{
    if (!element.hasAttribute(name))
        return fallback;
    return number(element.attribute(name), min, max);
}

int countChildren(const QDomElement &parent, const QString &tagName)
{
    int count = 0;
    for (QDomElement child = parent.firstChildElement(tagName); !child.isNull();
         child = child.nextSiblingElement(tagName))
        ++count;
    return count;
}

bool fail(QString &why, const QString &reason)
{
    why = reason;
    return false;
}

// --- Reading ---

bool readFmtpParameters(const QDomElement &parent, Parameters &parameters, QString &why)
{
    if (countChildren(parent, QStringLiteral("parameter")) > MaxParameters)
        return fail(why, QStringLiteral("too many parameters"));
    for (QDomElement child = parent.firstChildElement(QStringLiteral("parameter")); !child.isNull();
         child = child.nextSiblingElement(QStringLiteral("parameter"))) {
        const QString name = child.attribute(QStringLiteral("name"));
        const QString value = child.attribute(QStringLiteral("value"));
        // An fmtp item without '=' (telephone-event's "0-15", red's "111/111") comes as a value without name.
        const bool nameOk = name.isEmpty() ? !value.isEmpty() : isFmtpKey(name);
        if (!nameOk || (!value.isEmpty() && !isFmtpValue(value)))
            return fail(why, QStringLiteral("bad payload-type parameter"));
        parameters.append({name, value});
    }
    return true;
}

bool readFeedback(const QDomElement &parent, QList<RtcpFeedback> &feedback, QString &why)
{
    for (QDomElement child = parent.firstChildElement(QStringLiteral("rtcp-fb")); !child.isNull();
         child = child.nextSiblingElement(QStringLiteral("rtcp-fb"))) {
        if (child.namespaceURI() != RtcpFeedbackNamespace)
            continue;
        if (feedback.size() >= MaxFeedback)
            return fail(why, QStringLiteral("too many rtcp-fb"));
        RtcpFeedback item{child.attribute(QStringLiteral("type")),
                          child.attribute(QStringLiteral("subtype"))};
        if (!isToken(item.type) || (!item.subtype.isEmpty() && !isToken(item.subtype)))
            return fail(why, QStringLiteral("bad rtcp-fb"));
        feedback.append(item);
    }
    return true;
}

std::optional<PayloadType> readPayloadType(const QDomElement &element, QString &why)
{
    PayloadType payload;
    const auto id = number(element.attribute(QStringLiteral("id")), 0, 127);
    const auto clockrate = optionalNumber(element, QStringLiteral("clockrate"), 1, 0xffffffff, 0);
    const auto channels = optionalNumber(element, QStringLiteral("channels"), 1, 255, 1);
    const auto ptime = optionalNumber(element, QStringLiteral("ptime"), 1, 0xffffffff, 0);
    const auto maxptime = optionalNumber(element, QStringLiteral("maxptime"), 1, 0xffffffff, 0);
    payload.name = element.attribute(QStringLiteral("name"));
    // Static payload types (below 96) may go without a name; dynamic ones are nothing without it.
    const bool nameOk = payload.name.isEmpty() ? (id && *id < 96) : isToken(payload.name, 64);
    if (!id || !clockrate || !channels || !ptime || !maxptime || !nameOk || payload.name.contains(u'/')) {
        why = QStringLiteral("bad payload-type");
        return std::nullopt;
    }
    payload.id = quint8(*id);
    payload.clockrate = *clockrate;
    payload.channels = quint8(*channels);
    payload.ptime = *ptime;
    payload.maxptime = *maxptime;
    if (!readFmtpParameters(element, payload.parameters, why) ||
        !readFeedback(element, payload.feedback, why))
        return std::nullopt;
    return payload;
}

std::optional<HeaderExtension> readHeaderExtension(const QDomElement &element, QString &why)
{
    const auto id = number(element.attribute(QStringLiteral("id")), 1, 65535);
    HeaderExtension extension;
    extension.uri = element.attribute(QStringLiteral("uri"));
    extension.senders = element.attribute(QStringLiteral("senders"));
    if (extension.senders == u"both")
        extension.senders.clear();
    if (!id || !isToken(extension.uri, MaxValueLength) ||
        (!extension.senders.isEmpty() && !Senders.contains(extension.senders))) {
        why = QStringLiteral("bad rtp-hdrext");
        return std::nullopt;
    }
    extension.id = quint16(*id);
    return extension;
}

std::optional<Source> readSource(const QDomElement &element, QString &why)
{
    const auto ssrc = number(element.attribute(QStringLiteral("ssrc")), 0, 0xffffffff);
    if (!ssrc || countChildren(element, QStringLiteral("parameter")) > MaxParameters) {
        why = QStringLiteral("bad source");
        return std::nullopt;
    }
    Source source{*ssrc, {}};
    for (QDomElement child = element.firstChildElement(QStringLiteral("parameter")); !child.isNull();
         child = child.nextSiblingElement(QStringLiteral("parameter"))) {
        const QString name = child.attribute(QStringLiteral("name"));
        const QString value = child.attribute(QStringLiteral("value"));
        if (!isToken(name) || name.contains(u':') || !isText(value, MaxValueLength)) {
            why = QStringLiteral("bad source parameter");
            return std::nullopt;
        }
        source.parameters.append({name, value});
    }
    return source;
}

std::optional<SourceGroup> readSourceGroup(const QDomElement &element, QString &why)
{
    SourceGroup group{element.attribute(QStringLiteral("semantics")), {}};
    if (!isToken(group.semantics, 32) ||
        countChildren(element, QStringLiteral("source")) > MaxSsrcsPerGroup) {
        why = QStringLiteral("bad ssrc-group");
        return std::nullopt;
    }
    for (QDomElement child = element.firstChildElement(QStringLiteral("source")); !child.isNull();
         child = child.nextSiblingElement(QStringLiteral("source"))) {
        const auto ssrc = number(child.attribute(QStringLiteral("ssrc")), 0, 0xffffffff);
        if (!ssrc) {
            why = QStringLiteral("bad ssrc-group");
            return std::nullopt;
        }
        group.ssrcs.append(*ssrc);
    }
    return group;
}

bool readDescriptionChild(const QDomElement &child, RtpContent &content, QString &why)
{
    const QString name = child.tagName();
    const QString ns = child.namespaceURI();
    if (ns == RtpNamespace && name == u"payload-type") {
        if (content.payloadTypes.size() >= MaxPayloadTypes)
            return fail(why, QStringLiteral("too many payload types"));
        const auto payload = readPayloadType(child, why);
        if (!payload)
            return false;
        content.payloadTypes.append(*payload);
    } else if (ns == RtpNamespace && name == u"rtcp-mux") {
        content.rtcpMux = true;
    } else if (ns == HeaderExtensionsNamespace && name == u"rtp-hdrext") {
        if (content.headerExtensions.size() >= MaxHeaderExtensions)
            return fail(why, QStringLiteral("too many header extensions"));
        const auto extension = readHeaderExtension(child, why);
        if (!extension)
            return false;
        content.headerExtensions.append(*extension);
    } else if (ns == HeaderExtensionsNamespace && name == u"extmap-allow-mixed") {
        content.extmapAllowMixed = true;
    } else if (ns == SourcesNamespace && name == u"source") {
        if (content.sources.size() >= MaxSources)
            return fail(why, QStringLiteral("too many sources"));
        const auto source = readSource(child, why);
        if (!source)
            return false;
        content.sources.append(*source);
    } else if (ns == SourcesNamespace && name == u"ssrc-group") {
        if (content.sourceGroups.size() >= MaxSourceGroups)
            return fail(why, QStringLiteral("too many ssrc-groups"));
        const auto group = readSourceGroup(child, why);
        if (!group)
            return false;
        content.sourceGroups.append(*group);
    }
    return true;
}

bool readDescription(const QDomElement &description, RtpContent &content, QString &why)
{
    if (description.namespaceURI() != RtpNamespace)
        return fail(why, QStringLiteral("the description is not RTP"));
    content.media = description.attribute(QStringLiteral("media"));
    if (!Media.contains(content.media))
        return fail(why, QStringLiteral("the description's media is neither audio nor video"));
    for (QDomElement child = description.firstChildElement(); !child.isNull();
         child = child.nextSiblingElement()) {
        if (!readDescriptionChild(child, content, why))
            return false;
    }
    return readFeedback(description, content.feedback, why);
}

std::optional<IceCandidate> readCandidate(const QDomElement &element, QString &why)
{
    IceCandidate candidate;
    const auto component = number(element.attribute(QStringLiteral("component")), 1, 255);
    const auto generation = optionalNumber(element, QStringLiteral("generation"), 0, 0xffffffff, 0);
    const auto network = optionalNumber(element, QStringLiteral("network"), 0, 0xffffffff, 0);
    const auto port = number(element.attribute(QStringLiteral("port")), 1, 65535);
    const auto priority = number(element.attribute(QStringLiteral("priority")), 1, 0xffffffff);
    const auto relPort = optionalNumber(element, QStringLiteral("rel-port"), 0, 65535, 0);
    candidate.foundation = element.attribute(QStringLiteral("foundation"));
    candidate.id = element.attribute(QStringLiteral("id"));
    candidate.ip = element.attribute(QStringLiteral("ip"));
    candidate.type = element.attribute(QStringLiteral("type"));
    candidate.relAddr = element.attribute(QStringLiteral("rel-addr"));
    const bool relatedOk = candidate.relAddr.isEmpty() ? !element.hasAttribute(QStringLiteral("rel-port"))
                                                       : isIpAddress(candidate.relAddr);
    if (!component || !generation || !network || !port || !priority || !relPort || !relatedOk ||
        !isIceChars(candidate.foundation, 32) || (!candidate.id.isEmpty() && !isToken(candidate.id)) ||
        !isIpAddress(candidate.ip) || !isCandidateType(candidate.type)) {
        why = QStringLiteral("bad candidate");
        return std::nullopt;
    }
    candidate.component = quint8(*component);
    candidate.generation = *generation;
    candidate.network = *network;
    candidate.port = quint16(*port);
    candidate.priority = *priority;
    candidate.relPort = quint16(*relPort);
    return candidate;
}

std::optional<Fingerprint> readFingerprint(const QDomElement &element, QString &why)
{
    Fingerprint fingerprint{element.attribute(QStringLiteral("hash")),
                            element.attribute(QStringLiteral("setup")), element.text().trimmed().toUpper()};
    if (!isHashName(fingerprint.hash) || !isSetupRole(fingerprint.setup) ||
        !isFingerprintValue(fingerprint.value)) {
        why = QStringLiteral("bad fingerprint");
        return std::nullopt;
    }
    return fingerprint;
}

bool readTransport(const QDomElement &element, RtpContent &content, QString &why)
{
    if (element.namespaceURI() != IceUdpNamespace)
        return fail(why, QStringLiteral("the transport is not ICE-UDP"));
    IceTransport transport;
    transport.ufrag = element.attribute(QStringLiteral("ufrag"));
    transport.pwd = element.attribute(QStringLiteral("pwd"));
    if ((element.hasAttribute(QStringLiteral("ufrag")) && !isIceChars(transport.ufrag, MaxTokenLength)) ||
        (element.hasAttribute(QStringLiteral("pwd")) && !isIceChars(transport.pwd, MaxTokenLength)))
        return fail(why, QStringLiteral("bad ICE credentials"));
    if (countChildren(element, QStringLiteral("candidate")) > MaxCandidates)
        return fail(why, QStringLiteral("too many candidates"));
    for (QDomElement child = element.firstChildElement(); !child.isNull();
         child = child.nextSiblingElement()) {
        if (child.tagName() == u"fingerprint" && child.namespaceURI() == DtlsNamespace &&
            !transport.fingerprint) {
            transport.fingerprint = readFingerprint(child, why);
            if (!transport.fingerprint)
                return false;
        } else if (child.tagName() == u"candidate" && child.namespaceURI() == IceUdpNamespace) {
            // ICE-UDP carries UDP: a TCP candidate is someone else's extension, not an error.
            if (child.attribute(QStringLiteral("protocol")).toLower() != u"udp")
                continue;
            const auto candidate = readCandidate(child, why);
            if (!candidate)
                return false;
            transport.candidates.append(*candidate);
        }
    }
    content.transport = transport;
    return true;
}

std::optional<RtpContent> readContent(const QDomElement &element, QString &why)
{
    RtpContent content;
    content.name = element.attribute(QStringLiteral("name"));
    content.creator = element.attribute(QStringLiteral("creator"), QStringLiteral("initiator"));
    content.senders = element.attribute(QStringLiteral("senders"), QStringLiteral("both"));
    if (!isToken(content.name) || !Parties.contains(content.creator) || !Senders.contains(content.senders)) {
        why = QStringLiteral("bad content attributes");
        return std::nullopt;
    }
    const QDomElement description = element.firstChildElement(QStringLiteral("description"));
    if (!description.isNull() && !readDescription(description, content, why))
        return std::nullopt;
    const QDomElement transport = element.firstChildElement(QStringLiteral("transport"));
    if (!transport.isNull() && !readTransport(transport, content, why))
        return std::nullopt;
    return content;
}

bool readContents(const QDomElement &jingle, RtpSession &session, QString &why)
{
    if (countChildren(jingle, QStringLiteral("content")) > MaxContents)
        return fail(why, QStringLiteral("too many contents"));
    for (QDomElement child = jingle.firstChildElement(QStringLiteral("content")); !child.isNull();
         child = child.nextSiblingElement(QStringLiteral("content"))) {
        const auto content = readContent(child, why);
        if (!content)
            return false;
        const bool duplicate =
            std::any_of(session.contents.cbegin(), session.contents.cend(),
                        [&](const RtpContent &other) { return other.name == content->name; });
        if (duplicate)
            return fail(why, QStringLiteral("two contents with one name"));
        session.contents.append(*content);
    }
    return true;
}

bool readBundle(const QDomElement &jingle, RtpSession &session, QString &why)
{
    for (QDomElement group = jingle.firstChildElement(QStringLiteral("group")); !group.isNull();
         group = group.nextSiblingElement(QStringLiteral("group"))) {
        if (group.namespaceURI() != GroupingNamespace ||
            group.attribute(QStringLiteral("semantics")) != u"BUNDLE")
            continue;
        if (countChildren(group, QStringLiteral("content")) > MaxContents)
            return fail(why, QStringLiteral("too many contents in the BUNDLE group"));
        QStringList names;
        for (QDomElement content = group.firstChildElement(QStringLiteral("content")); !content.isNull();
             content = content.nextSiblingElement(QStringLiteral("content"))) {
            const QString name = content.attribute(QStringLiteral("name"));
            const bool known = std::any_of(session.contents.cbegin(), session.contents.cend(),
                                           [&](const RtpContent &other) { return other.name == name; });
            if (!known || names.contains(name))
                return fail(why, QStringLiteral("the BUNDLE group names an unknown content"));
            names.append(name);
        }
        session.bundle = names;
        return true;
    }
    return true;
}

void readReason(const QDomElement &jingle, RtpAction &action)
{
    const QDomElement reason = jingle.firstChildElement(QStringLiteral("reason"));
    for (QDomElement child = reason.firstChildElement(); !child.isNull();
         child = child.nextSiblingElement()) {
        if (child.tagName() == u"text") {
            action.reasonText = child.text().left(MaxReasonTextLength); // shown, never put into SDP
        } else if (action.reason.isEmpty() && Jingle::ReasonConditions.contains(child.tagName())) {
            action.reason = child.tagName();
        }
    }
}

bool readInfo(const QDomElement &jingle, RtpAction &action, QString &why)
{
    for (QDomElement child = jingle.firstChildElement(); !child.isNull();
         child = child.nextSiblingElement()) {
        if (child.namespaceURI() != RtpInfoNamespace || !Infos.contains(child.tagName()))
            continue;
        action.info = child.tagName();
        action.infoName = child.attribute(QStringLiteral("name"));
        if (!action.infoName.isEmpty() && !isToken(action.infoName))
            return fail(why, QStringLiteral("bad session-info name"));
        return true;
    }
    return true;
}

// --- Writing ---

QXmppElement parameterElement(const std::pair<QString, QString> &parameter)
{
    QXmppElement child = element(QStringLiteral("parameter"));
    child.setAttribute(QStringLiteral("name"), parameter.first); // XEP-0167 requires it, even when empty
    if (!parameter.second.isEmpty())
        child.setAttribute(QStringLiteral("value"), parameter.second);
    return child;
}

QXmppElement feedbackElement(const RtcpFeedback &feedback)
{
    QXmppElement child = withNamespace(element(QStringLiteral("rtcp-fb")), RtcpFeedbackNamespace);
    child.setAttribute(QStringLiteral("type"), feedback.type);
    if (!feedback.subtype.isEmpty())
        child.setAttribute(QStringLiteral("subtype"), feedback.subtype);
    return child;
}

void setNumber(QXmppElement &element, const QString &name, quint32 value)
{
    element.setAttribute(name, QString::number(value));
}

QXmppElement payloadTypeElement(const PayloadType &payload)
{
    QXmppElement child = element(QStringLiteral("payload-type"));
    setNumber(child, QStringLiteral("id"), payload.id);
    if (!payload.name.isEmpty())
        child.setAttribute(QStringLiteral("name"), payload.name);
    if (payload.clockrate)
        setNumber(child, QStringLiteral("clockrate"), payload.clockrate);
    if (payload.channels != 1)
        setNumber(child, QStringLiteral("channels"), payload.channels);
    if (payload.ptime)
        setNumber(child, QStringLiteral("ptime"), payload.ptime);
    if (payload.maxptime)
        setNumber(child, QStringLiteral("maxptime"), payload.maxptime);
    for (const auto &parameter : payload.parameters)
        child.appendChild(parameterElement(parameter));
    for (const RtcpFeedback &feedback : payload.feedback)
        child.appendChild(feedbackElement(feedback));
    return child;
}

QXmppElement headerExtensionElement(const HeaderExtension &extension)
{
    QXmppElement child = withNamespace(element(QStringLiteral("rtp-hdrext")), HeaderExtensionsNamespace);
    setNumber(child, QStringLiteral("id"), extension.id);
    child.setAttribute(QStringLiteral("uri"), extension.uri);
    if (!extension.senders.isEmpty())
        child.setAttribute(QStringLiteral("senders"), extension.senders);
    return child;
}

QXmppElement sourceElement(const Source &source)
{
    QXmppElement child = withNamespace(element(QStringLiteral("source")), SourcesNamespace);
    setNumber(child, QStringLiteral("ssrc"), source.ssrc);
    for (const auto &parameter : source.parameters)
        child.appendChild(parameterElement(parameter));
    return child;
}

QXmppElement sourceGroupElement(const SourceGroup &group)
{
    QXmppElement child = withNamespace(element(QStringLiteral("ssrc-group")), SourcesNamespace);
    child.setAttribute(QStringLiteral("semantics"), group.semantics);
    for (const quint32 ssrc : group.ssrcs) {
        QXmppElement source = element(QStringLiteral("source"));
        setNumber(source, QStringLiteral("ssrc"), ssrc);
        child.appendChild(source);
    }
    return child;
}

QXmppElement descriptionElement(const RtpContent &content)
{
    QXmppElement description = withNamespace(element(QStringLiteral("description")), RtpNamespace);
    description.setAttribute(QStringLiteral("media"), content.media);
    for (const PayloadType &payload : content.payloadTypes)
        description.appendChild(payloadTypeElement(payload));
    for (const RtcpFeedback &feedback : content.feedback)
        description.appendChild(feedbackElement(feedback));
    for (const HeaderExtension &extension : content.headerExtensions)
        description.appendChild(headerExtensionElement(extension));
    if (content.extmapAllowMixed)
        description.appendChild(
            withNamespace(element(QStringLiteral("extmap-allow-mixed")), HeaderExtensionsNamespace));
    if (content.rtcpMux)
        description.appendChild(element(QStringLiteral("rtcp-mux")));
    for (const Source &source : content.sources)
        description.appendChild(sourceElement(source));
    for (const SourceGroup &group : content.sourceGroups)
        description.appendChild(sourceGroupElement(group));
    return description;
}

QXmppElement candidateElement(const IceCandidate &candidate)
{
    QXmppElement child = element(QStringLiteral("candidate"));
    setNumber(child, QStringLiteral("component"), candidate.component);
    child.setAttribute(QStringLiteral("foundation"), candidate.foundation);
    setNumber(child, QStringLiteral("generation"), candidate.generation);
    if (!candidate.id.isEmpty())
        child.setAttribute(QStringLiteral("id"), candidate.id);
    child.setAttribute(QStringLiteral("ip"), candidate.ip);
    setNumber(child, QStringLiteral("network"), candidate.network);
    setNumber(child, QStringLiteral("port"), candidate.port);
    setNumber(child, QStringLiteral("priority"), candidate.priority);
    child.setAttribute(QStringLiteral("protocol"), candidate.protocol);
    child.setAttribute(QStringLiteral("type"), candidate.type);
    if (!candidate.relAddr.isEmpty()) {
        child.setAttribute(QStringLiteral("rel-addr"), candidate.relAddr);
        setNumber(child, QStringLiteral("rel-port"), candidate.relPort);
    }
    return child;
}

QXmppElement transportElement(const IceTransport &transport)
{
    QXmppElement child = withNamespace(element(QStringLiteral("transport")), IceUdpNamespace);
    if (!transport.ufrag.isEmpty())
        child.setAttribute(QStringLiteral("ufrag"), transport.ufrag);
    if (!transport.pwd.isEmpty())
        child.setAttribute(QStringLiteral("pwd"), transport.pwd);
    if (transport.fingerprint) {
        QXmppElement fingerprint = withNamespace(
            element(QStringLiteral("fingerprint"), transport.fingerprint->value), DtlsNamespace);
        fingerprint.setAttribute(QStringLiteral("hash"), transport.fingerprint->hash);
        fingerprint.setAttribute(QStringLiteral("setup"), transport.fingerprint->setup);
        child.appendChild(fingerprint);
    }
    for (const IceCandidate &candidate : transport.candidates)
        child.appendChild(candidateElement(candidate));
    return child;
}

QXmppElement contentElement(const RtpContent &content)
{
    QXmppElement child = element(QStringLiteral("content"));
    child.setAttribute(QStringLiteral("creator"), content.creator);
    child.setAttribute(QStringLiteral("name"), content.name);
    if (content.senders != u"both")
        child.setAttribute(QStringLiteral("senders"), content.senders);
    if (content.hasDescription())
        child.appendChild(descriptionElement(content));
    if (content.transport)
        child.appendChild(transportElement(*content.transport));
    return child;
}

QXmppElement bundleElement(const QStringList &names)
{
    QXmppElement group = withNamespace(element(QStringLiteral("group")), GroupingNamespace);
    group.setAttribute(QStringLiteral("semantics"), QStringLiteral("BUNDLE"));
    for (const QString &name : names) {
        QXmppElement content = element(QStringLiteral("content"));
        content.setAttribute(QStringLiteral("name"), name);
        group.appendChild(content);
    }
    return group;
}

QXmppElement reasonElement(const RtpAction &action)
{
    QXmppElement reason = element(QStringLiteral("reason"));
    reason.appendChild(element(action.reason));
    if (!action.reasonText.isEmpty())
        reason.appendChild(element(QStringLiteral("text"), action.reasonText));
    return reason;
}

QXmppElement infoElement(const RtpAction &action)
{
    QXmppElement info = withNamespace(element(action.info), RtpInfoNamespace);
    if (!action.infoName.isEmpty()) {
        // XEP-0167 names a content by creator and name; the creator is the content's if we know it.
        const auto &contents = action.session.contents;
        const auto content = std::find_if(contents.cbegin(), contents.cend(),
                                          [&](const RtpContent &c) { return c.name == action.infoName; });
        info.setAttribute(QStringLiteral("creator"),
                          content == contents.cend() ? QStringLiteral("initiator") : content->creator);
        info.setAttribute(QStringLiteral("name"), action.infoName);
    }
    return info;
}

} // namespace

std::optional<RtpAction> parseRtpAction(const QDomElement &jingle, QString *whyNot)
{
    QString why;
    const auto refuse = [&](const QString &reason) -> std::optional<RtpAction> {
        if (whyNot)
            *whyNot = reason;
        return std::nullopt;
    };
    if (jingle.tagName() != u"jingle" || jingle.namespaceURI() != JingleNamespace)
        return refuse(QStringLiteral("not a Jingle element"));
    RtpAction action;
    action.action = jingle.attribute(QStringLiteral("action"));
    action.sid = jingle.attribute(QStringLiteral("sid"));
    action.initiator = jingle.attribute(QStringLiteral("initiator"));
    action.responder = jingle.attribute(QStringLiteral("responder"));
    if (!Actions.contains(action.action))
        return refuse(QStringLiteral("no known action"));
    if (!isToken(action.sid))
        return refuse(QStringLiteral("no usable sid"));
    if (!isText(action.initiator, MaxJidLength) || !isText(action.responder, MaxJidLength))
        return refuse(QStringLiteral("bad initiator or responder"));
    if (!readContents(jingle, action.session, why) || !readBundle(jingle, action.session, why) ||
        !readInfo(jingle, action, why))
        return refuse(why);
    readReason(jingle, action);
    return action;
}

bool isRtpSessionInitiate(const QDomElement &jingle)
{
    if (jingle.tagName() != u"jingle" || jingle.namespaceURI() != JingleNamespace ||
        jingle.attribute(QStringLiteral("action")) != u"session-initiate")
        return false;
    // Decided on the descriptions alone, so that a malformed call still reaches the call service, which
    // answers it with an error, instead of the file transfer service.
    bool anyRtp = false;
    for (QDomElement content = jingle.firstChildElement(QStringLiteral("content")); !content.isNull();
         content = content.nextSiblingElement(QStringLiteral("content"))) {
        const QDomElement description = content.firstChildElement(QStringLiteral("description"));
        if (description.isNull())
            continue;
        if (description.namespaceURI() != RtpNamespace)
            return false;
        anyRtp = true;
    }
    return anyRtp;
}

QXmppElement toElement(const RtpAction &action)
{
    QXmppElement jingle = withNamespace(element(QStringLiteral("jingle")), JingleNamespace);
    jingle.setAttribute(QStringLiteral("action"), action.action);
    jingle.setAttribute(QStringLiteral("sid"), action.sid);
    if (!action.initiator.isEmpty())
        jingle.setAttribute(QStringLiteral("initiator"), action.initiator);
    if (!action.responder.isEmpty())
        jingle.setAttribute(QStringLiteral("responder"), action.responder);
    for (const RtpContent &content : action.session.contents)
        jingle.appendChild(contentElement(content));
    if (!action.session.bundle.isEmpty())
        jingle.appendChild(bundleElement(action.session.bundle));
    if (!action.reason.isEmpty())
        jingle.appendChild(reasonElement(action));
    if (!action.info.isEmpty())
        jingle.appendChild(infoElement(action));
    return jingle;
}

} // namespace Natter::Core::Calls
