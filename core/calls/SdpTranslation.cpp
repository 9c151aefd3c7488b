// SPDX-License-Identifier: GPL-3.0-or-later
#include "SdpTranslation.h"

#include "RtpSyntax.h"

#include <QRandomGenerator>
#include <QStringList>
#include <algorithm>

namespace Natter::Core::Calls {

using namespace RtpSyntax;

namespace {

constexpr qsizetype MaxSdpLength = 256 * 1024;
constexpr int MaxSdpLines = 4096;
constexpr int CandidateIdLength = 10;

QString partyName(Party party)
{
    return party == Party::Initiator ? QStringLiteral("initiator") : QStringLiteral("responder");
}

QString otherPartyName(Party party)
{
    return partyName(party == Party::Initiator ? Party::Responder : Party::Initiator);
}

// SDP directions are the writer's view: "sendonly" from the initiator means the initiator sends.
QString directionOf(const QString &senders, Party writer)
{
    if (senders == u"none")
        return QStringLiteral("inactive");
    if (senders == partyName(writer))
        return QStringLiteral("sendonly");
    if (senders == otherPartyName(writer))
        return QStringLiteral("recvonly");
    return QStringLiteral("sendrecv");
}

std::optional<QString> sendersOf(const QString &direction, Party writer)
{
    if (direction == u"sendrecv")
        return QStringLiteral("both");
    if (direction == u"inactive")
        return QStringLiteral("none");
    if (direction == u"sendonly")
        return partyName(writer);
    if (direction == u"recvonly")
        return otherPartyName(writer);
    return std::nullopt;
}

bool isDirection(const QString &name)
{
    return sendersOf(name, Party::Initiator).has_value();
}

QString generatedCandidateId()
{
    static const QString alphabet = QStringLiteral("abcdefghijklmnopqrstuvwxyz0123456789");
    QString id;
    for (int i = 0; i < CandidateIdLength; ++i)
        id.append(alphabet.at(QRandomGenerator::global()->bounded(int(alphabet.size()))));
    return id;
}

// --- Writing ---

QString rtpmapLine(const PayloadType &payload)
{
    QString line = QStringLiteral("a=rtpmap:") + QString::number(payload.id) + u' ' + payload.name + u'/' +
                   QString::number(payload.clockrate);
    if (payload.channels != 1)
        line += u'/' + QString::number(payload.channels);
    return line;
}

QString fmtpLine(const PayloadType &payload)
{
    QStringList parts;
    for (const auto &[key, value] : payload.parameters)
        parts.append(value.isEmpty() || key.isEmpty() ? key + value : key + u'=' + value);
    return QStringLiteral("a=fmtp:") + QString::number(payload.id) + u' ' + parts.join(u';');
}

QString feedbackLine(const QString &payload, const RtcpFeedback &feedback)
{
    QString line = QStringLiteral("a=rtcp-fb:") + payload + u' ' + feedback.type;
    if (!feedback.subtype.isEmpty())
        line += u' ' + feedback.subtype;
    return line;
}

QString extmapLine(const HeaderExtension &extension, Party writer)
{
    QString id = QString::number(extension.id);
    if (!extension.senders.isEmpty())
        id += u'/' + directionOf(extension.senders, writer);
    return QStringLiteral("a=extmap:") + id + u' ' + extension.uri;
}

// SDP has one ptime per m-line, Jingle one per payload type: the first one set stands for all.
quint32 firstSet(const QList<PayloadType> &payloads, quint32 PayloadType::*field)
{
    for (const PayloadType &payload : payloads) {
        if (payload.*field)
            return payload.*field;
    }
    return 0;
}

void writeTransport(QStringList &lines, const IceTransport &transport)
{
    if (!transport.ufrag.isEmpty())
        lines.append(QStringLiteral("a=ice-ufrag:") + transport.ufrag);
    if (!transport.pwd.isEmpty())
        lines.append(QStringLiteral("a=ice-pwd:") + transport.pwd);
    if (transport.fingerprint) {
        lines.append(QStringLiteral("a=fingerprint:") + transport.fingerprint->hash + u' ' +
                     transport.fingerprint->value);
        lines.append(QStringLiteral("a=setup:") + transport.fingerprint->setup);
    }
}

void writePayloadTypes(QStringList &lines, const RtpContent &content)
{
    for (const PayloadType &payload : content.payloadTypes) {
        if (!payload.name.isEmpty())
            lines.append(rtpmapLine(payload));
        if (!payload.parameters.isEmpty())
            lines.append(fmtpLine(payload));
        for (const RtcpFeedback &feedback : payload.feedback)
            lines.append(feedbackLine(QString::number(payload.id), feedback));
    }
    for (const RtcpFeedback &feedback : content.feedback)
        lines.append(feedbackLine(QStringLiteral("*"), feedback));
    if (const quint32 ptime = firstSet(content.payloadTypes, &PayloadType::ptime))
        lines.append(QStringLiteral("a=ptime:") + QString::number(ptime));
    if (const quint32 maxptime = firstSet(content.payloadTypes, &PayloadType::maxptime))
        lines.append(QStringLiteral("a=maxptime:") + QString::number(maxptime));
}

void writeSources(QStringList &lines, const RtpContent &content)
{
    for (const SourceGroup &group : content.sourceGroups) {
        QStringList ssrcs;
        for (const quint32 ssrc : group.ssrcs)
            ssrcs.append(QString::number(ssrc));
        lines.append(QStringLiteral("a=ssrc-group:") + group.semantics + u' ' + ssrcs.join(u' '));
    }
    for (const Source &source : content.sources) {
        for (const auto &[name, value] : source.parameters) {
            const QString attribute = value.isEmpty() ? name : name + u':' + value;
            lines.append(QStringLiteral("a=ssrc:") + QString::number(source.ssrc) + u' ' + attribute);
        }
    }
}

// A content without payload types cannot carry media: it is written as a rejected m-line (port 0), which
// keeps the m-lines of an answer in step with the offer's.
void writeMedia(QStringList &lines, const RtpContent &content, Party writer)
{
    QStringList formats;
    for (const PayloadType &payload : content.payloadTypes)
        formats.append(QString::number(payload.id));
    const bool rejected = formats.isEmpty();
    lines.append(
        QStringLiteral("m=") + content.media + (rejected ? QStringLiteral(" 0") : QStringLiteral(" 9")) +
        QStringLiteral(" UDP/TLS/RTP/SAVPF ") + (rejected ? QStringLiteral("0") : formats.join(u' ')));
    lines.append(QStringLiteral("c=IN IP4 0.0.0.0"));
    lines.append(QStringLiteral("a=mid:") + content.name);
    if (content.transport)
        writeTransport(lines, *content.transport);
    lines.append(QStringLiteral("a=") + directionOf(content.senders, writer));
    if (content.rtcpMux)
        lines.append(QStringLiteral("a=rtcp-mux"));
    for (const HeaderExtension &extension : content.headerExtensions)
        lines.append(extmapLine(extension, writer));
    if (content.extmapAllowMixed)
        lines.append(QStringLiteral("a=extmap-allow-mixed"));
    writePayloadTypes(lines, content);
    writeSources(lines, content);
    if (content.transport) {
        for (const IceCandidate &candidate : content.transport->candidates)
            lines.append(QStringLiteral("a=") + candidateToSdp(candidate));
    }
}

// --- Reading ---

// What the session level may say for every m-line and an m-line may say for itself.
struct SharedAttributes
{
    QString ufrag;
    QString pwd;
    QString fingerprintHash;
    QString fingerprintValue;
    QString setup;
    QString direction;
    bool extmapAllowMixed = false;

    void inheritFrom(const SharedAttributes &session)
    {
        const auto inherit = [](QString &own, const QString &fallback) {
            if (own.isEmpty())
                own = fallback;
        };
        inherit(ufrag, session.ufrag);
        inherit(pwd, session.pwd);
        if (fingerprintValue.isEmpty()) {
            fingerprintHash = session.fingerprintHash;
            fingerprintValue = session.fingerprintValue;
        }
        inherit(setup, session.setup);
        inherit(direction, session.direction);
        extmapAllowMixed = extmapAllowMixed || session.extmapAllowMixed;
    }
};

struct MediaSection
{
    RtpContent content;
    SharedAttributes attributes;
    bool rejected = false;
    bool rtp = true;
    bool bundleOnly = false;
    quint32 ptime = 0;
    quint32 maxptime = 0;
    QList<IceCandidate> candidates;
};

// A candidate line's fields, split so that callers can tell "not UDP" from "malformed".
struct ParsedCandidate
{
    IceCandidate candidate;
    bool udp = true;
};

std::optional<ParsedCandidate> parseCandidate(const QString &line)
{
    QString text = line.trimmed();
    if (text.startsWith(u"a="))
        text = text.mid(2);
    if (!text.startsWith(u"candidate:") || text.size() > MaxValueLength)
        return std::nullopt;
    const QStringList tokens = text.mid(10).split(u' ', Qt::SkipEmptyParts);
    // foundation component transport priority address port "typ" type, then name/value pairs.
    if (tokens.size() < 8 || tokens.size() % 2 != 0 || tokens.at(6) != u"typ")
        return std::nullopt;
    ParsedCandidate parsed;
    IceCandidate &candidate = parsed.candidate;
    const QString transport = tokens.at(2).toLower();
    const auto component = number(tokens.at(1), 1, 255);
    const auto priority = number(tokens.at(3), 1, 0xffffffff);
    const auto port = number(tokens.at(5), 1, 65535);
    candidate.foundation = tokens.at(0);
    candidate.ip = tokens.at(4);
    candidate.type = tokens.at(7);
    if (!component || !priority || !port || (transport != u"udp" && transport != u"tcp") ||
        !isIceChars(candidate.foundation, 32) || !isIpAddress(candidate.ip) ||
        !isCandidateType(candidate.type))
        return std::nullopt;
    parsed.udp = transport == u"udp";
    candidate.component = quint8(*component);
    candidate.priority = *priority;
    candidate.port = quint16(*port);
    candidate.protocol = transport;
    bool hasRelPort = false;
    for (qsizetype i = 8; i < tokens.size(); i += 2) {
        const QString &name = tokens.at(i);
        const QString &value = tokens.at(i + 1);
        if (name == u"raddr") {
            if (!isIpAddress(value))
                return std::nullopt;
            candidate.relAddr = value;
        } else if (name == u"rport") {
            const auto relPort = number(value, 0, 65535);
            if (!relPort)
                return std::nullopt;
            candidate.relPort = quint16(*relPort);
            hasRelPort = true;
        } else if (name == u"generation" || name == u"network-id") {
            const auto parsedNumber = number(value, 0, 0xffffffff);
            if (!parsedNumber)
                return std::nullopt;
            (name == u"generation" ? candidate.generation : candidate.network) = *parsedNumber;
        } else if (name == u"tcptype") {
            if (value != u"active" && value != u"passive" && value != u"so")
                return std::nullopt;
        }
        // Other extension attributes (ufrag, network-cost, …) say nothing Jingle carries.
    }
    if (hasRelPort && candidate.relAddr.isEmpty())
        return std::nullopt;
    candidate.id = generatedCandidateId();
    return parsed;
}

class SdpReader
{
public:
    std::optional<RtpSession> read(const QString &sdp, Party writer);
    QString why() const { return m_why; }

private:
    bool readLine(const QString &line);
    bool readMediaLine(const QString &value);
    bool readAttribute(const QString &name, const QString &value);
    bool readSharedAttribute(SharedAttributes &attributes, const QString &name, const QString &value);
    bool readMediaAttribute(MediaSection &section, const QString &name, const QString &value);
    bool readRtpmap(MediaSection &section, const QString &value);
    bool readFmtp(MediaSection &section, const QString &value);
    bool readFeedback(MediaSection &section, const QString &value);
    bool readExtmap(MediaSection &section, const QString &value);
    bool readSsrc(MediaSection &section, const QString &value);
    bool readSsrcGroup(MediaSection &section, const QString &value);
    bool readCandidate(MediaSection &section, const QString &value);
    bool finish(MediaSection &section);
    bool fail(const QString &why);

    SharedAttributes m_session;
    Party m_writer = Party::Initiator;
    QStringList m_bundle;
    QList<MediaSection> m_media;
    QString m_why;
};

bool SdpReader::fail(const QString &why)
{
    m_why = why;
    return false;
}

std::optional<RtpSession> SdpReader::read(const QString &sdp, Party writer)
{
    m_writer = writer;
    if (sdp.size() > MaxSdpLength) {
        fail(QStringLiteral("the SDP is too long"));
        return std::nullopt;
    }
    QStringList lines = sdp.split(u'\n');
    for (QString &line : lines) {
        if (line.endsWith(u'\r'))
            line.chop(1);
    }
    lines.removeAll(QString());
    if (lines.size() > MaxSdpLines || lines.value(0) != u"v=0") {
        fail(QStringLiteral("not an SDP session description"));
        return std::nullopt;
    }
    for (const QString &line : std::as_const(lines)) {
        if (!readLine(line))
            return std::nullopt;
    }
    RtpSession session;
    for (MediaSection &section : m_media) {
        if (section.rejected || !section.rtp)
            continue;
        if (!finish(section))
            return std::nullopt;
        session.contents.append(section.content);
    }
    if (session.contents.isEmpty()) {
        fail(QStringLiteral("no usable m= line"));
        return std::nullopt;
    }
    for (const QString &name : std::as_const(m_bundle)) {
        const bool present = std::any_of(session.contents.cbegin(), session.contents.cend(),
                                         [&](const RtpContent &content) { return content.name == name; });
        if (present)
            session.bundle.append(name);
    }
    return session;
}

bool SdpReader::readLine(const QString &line)
{
    if (line.size() < 2 || line.at(1) != u'=' || !isText(line, MaxValueLength * 4))
        return fail(QStringLiteral("malformed line: ") + line.left(80));
    const QChar type = line.at(0);
    const QString value = line.mid(2);
    if (type == u'm')
        return readMediaLine(value);
    if (type != u'a')
        return true;
    const qsizetype colon = value.indexOf(u':');
    return colon < 0 ? readAttribute(value, {}) : readAttribute(value.left(colon), value.mid(colon + 1));
}

bool SdpReader::readMediaLine(const QString &value)
{
    if (m_media.size() >= MaxContents)
        return fail(QStringLiteral("too many m= lines"));
    const QStringList fields = value.split(u' ', Qt::SkipEmptyParts);
    if (fields.size() < 4)
        return fail(QStringLiteral("malformed m= line"));
    const auto port = number(fields.at(1).section(u'/', 0, 0), 0, 65535);
    if (!port)
        return fail(QStringLiteral("malformed m= line"));
    MediaSection section;
    section.content.media = fields.at(0);
    section.rejected = *port == 0;
    section.rtp = (section.content.media == u"audio" || section.content.media == u"video") &&
                  fields.at(2).contains(QStringLiteral("RTP"));
    if (section.rtp && fields.size() - 3 > MaxPayloadTypes)
        return fail(QStringLiteral("too many payload types"));
    for (qsizetype i = 3; section.rtp && i < fields.size(); ++i) {
        const auto id = number(fields.at(i), 0, 127);
        if (!id)
            return fail(QStringLiteral("malformed m= line"));
        PayloadType payload;
        payload.id = quint8(*id);
        section.content.payloadTypes.append(payload);
    }
    m_media.append(section);
    return true;
}

bool SdpReader::readAttribute(const QString &name, const QString &value)
{
    if (!m_media.isEmpty())
        return readMediaAttribute(m_media.last(), name, value);
    if (name == u"group") {
        const QStringList fields = value.split(u' ', Qt::SkipEmptyParts);
        if (fields.value(0) == u"BUNDLE")
            m_bundle = fields.mid(1, MaxContents);
        return true;
    }
    return readSharedAttribute(m_session, name, value);
}

bool SdpReader::readSharedAttribute(SharedAttributes &attributes, const QString &name, const QString &value)
{
    if (name == u"ice-ufrag" || name == u"ice-pwd") {
        if (!isIceChars(value, MaxTokenLength))
            return fail(QStringLiteral("bad ICE credentials"));
        (name == u"ice-ufrag" ? attributes.ufrag : attributes.pwd) = value;
    } else if (name == u"fingerprint") {
        attributes.fingerprintHash = value.section(u' ', 0, 0).toLower();
        attributes.fingerprintValue = value.section(u' ', 1).trimmed().toUpper();
        if (!isHashName(attributes.fingerprintHash) || !isFingerprintValue(attributes.fingerprintValue))
            return fail(QStringLiteral("bad fingerprint"));
    } else if (name == u"setup") {
        if (!isSetupRole(value))
            return fail(QStringLiteral("bad setup role"));
        attributes.setup = value;
    } else if (isDirection(name)) {
        attributes.direction = name;
    } else if (name == u"extmap-allow-mixed") {
        attributes.extmapAllowMixed = true;
    }
    return true;
}

bool SdpReader::readMediaAttribute(MediaSection &section, const QString &name, const QString &value)
{
    if (!section.rtp)
        return true;
    if (name == u"mid") {
        if (!isToken(value))
            return fail(QStringLiteral("bad mid"));
        section.content.name = value;
        return true;
    }
    if (name == u"rtcp-mux") {
        section.content.rtcpMux = true;
        return true;
    }
    if (name == u"bundle-only") {
        section.bundleOnly = true;
        section.rejected = false;
        return true;
    }
    if (name == u"ptime" || name == u"maxptime") {
        const auto parsed = number(value, 1, 0xffffffff);
        if (!parsed)
            return fail(QStringLiteral("bad ptime"));
        (name == u"ptime" ? section.ptime : section.maxptime) = *parsed;
        return true;
    }
    if (name == u"rtpmap")
        return readRtpmap(section, value);
    if (name == u"fmtp")
        return readFmtp(section, value);
    if (name == u"rtcp-fb")
        return readFeedback(section, value);
    if (name == u"extmap")
        return readExtmap(section, value);
    if (name == u"ssrc")
        return readSsrc(section, value);
    if (name == u"ssrc-group")
        return readSsrcGroup(section, value);
    if (name == u"candidate")
        return readCandidate(section, value);
    return readSharedAttribute(section.attributes, name, value);
}

PayloadType *payloadOf(MediaSection &section, const QString &id)
{
    const auto parsed = number(id, 0, 127);
    if (!parsed)
        return nullptr;
    auto &payloads = section.content.payloadTypes;
    const auto found = std::find_if(payloads.begin(), payloads.end(),
                                    [&](const PayloadType &payload) { return payload.id == *parsed; });
    return found == payloads.end() ? nullptr : &*found;
}

// "<pt> <name>/<clock rate>[/<channels>]"
bool SdpReader::readRtpmap(MediaSection &section, const QString &value)
{
    PayloadType *payload = payloadOf(section, value.section(u' ', 0, 0));
    const QStringList encoding = value.section(u' ', 1).trimmed().split(u'/');
    if (!payload)
        return true; // a payload type the m= line does not list means nothing
    const auto clockrate = number(encoding.value(1), 1, 0xffffffff);
    const auto channels = encoding.size() > 2 ? number(encoding.at(2), 1, 255) : std::optional<quint32>(1);
    if (encoding.size() > 3 || !isToken(encoding.at(0), 64) || !clockrate || !channels)
        return fail(QStringLiteral("bad rtpmap"));
    payload->name = encoding.at(0);
    payload->clockrate = *clockrate;
    payload->channels = quint8(*channels);
    return true;
}

// "<pt> key=value;key=value", spaces after ';' tolerated.
bool SdpReader::readFmtp(MediaSection &section, const QString &value)
{
    PayloadType *payload = payloadOf(section, value.section(u' ', 0, 0));
    if (!payload)
        return true;
    const QStringList parts = value.section(u' ', 1).split(u';', Qt::SkipEmptyParts);
    if (parts.size() + payload->parameters.size() > MaxParameters)
        return fail(QStringLiteral("too many fmtp parameters"));
    for (const QString &part : parts) {
        const QString key = part.section(u'=', 0, 0).trimmed();
        const QString parameter = part.contains(u'=') ? part.section(u'=', 1).trimmed() : QString();
        if (!isFmtpKey(key) || (!parameter.isEmpty() && !isFmtpValue(parameter)))
            return fail(QStringLiteral("bad fmtp"));
        payload->parameters.append({key, parameter});
    }
    return true;
}

// "<pt|*> <type> [<subtype>] [more]"; what follows the subtype (e.g. tmmbr's smaxpr) is not carried.
bool SdpReader::readFeedback(MediaSection &section, const QString &value)
{
    const QStringList fields = value.split(u' ', Qt::SkipEmptyParts);
    if (fields.size() < 2 || !isToken(fields.at(1)))
        return fail(QStringLiteral("bad rtcp-fb"));
    QList<RtcpFeedback> *feedback = &section.content.feedback;
    if (fields.at(0) != u"*") {
        PayloadType *payload = payloadOf(section, fields.at(0));
        if (!payload)
            return true;
        feedback = &payload->feedback;
    }
    if (feedback->size() >= MaxFeedback)
        return fail(QStringLiteral("too many rtcp-fb"));
    feedback->append({fields.at(1), fields.value(2)});
    return true;
}

// "<id>[/<direction>] <uri> [<extension attributes>]"
bool SdpReader::readExtmap(MediaSection &section, const QString &value)
{
    const QStringList fields = value.split(u' ', Qt::SkipEmptyParts);
    const QString idAndDirection = fields.value(0);
    const auto id = number(idAndDirection.section(u'/', 0, 0), 1, 65535);
    const QString direction = idAndDirection.section(u'/', 1);
    if (fields.size() < 2 || !id || !isToken(fields.at(1), MaxValueLength) ||
        (!direction.isEmpty() && !isDirection(direction)))
        return fail(QStringLiteral("bad extmap"));
    if (section.content.headerExtensions.size() >= MaxHeaderExtensions)
        return fail(QStringLiteral("too many extmap"));
    HeaderExtension extension;
    extension.id = quint16(*id);
    extension.uri = fields.at(1);
    if (!direction.isEmpty() && direction != u"sendrecv")
        extension.senders = *sendersOf(direction, m_writer);
    section.content.headerExtensions.append(extension);
    return true;
}

// "<ssrc> <attribute>[:<value>]"; msid values hold a space.
bool SdpReader::readSsrc(MediaSection &section, const QString &value)
{
    const auto ssrc = number(value.section(u' ', 0, 0), 0, 0xffffffff);
    const QString attribute = value.section(u' ', 1);
    const QString name = attribute.section(u':', 0, 0);
    const QString parameter = attribute.section(u':', 1);
    if (!ssrc || !isToken(name) || !isText(parameter, MaxValueLength))
        return fail(QStringLiteral("bad ssrc"));
    auto &sources = section.content.sources;
    auto source =
        std::find_if(sources.begin(), sources.end(), [&](const Source &s) { return s.ssrc == *ssrc; });
    if (source == sources.end()) {
        if (sources.size() >= MaxSources)
            return fail(QStringLiteral("too many sources"));
        sources.append(Source{*ssrc, {}});
        source = sources.end() - 1;
    }
    if (source->parameters.size() >= MaxParameters)
        return fail(QStringLiteral("too many source parameters"));
    source->parameters.append({name, parameter});
    return true;
}

// "<semantics> <ssrc> <ssrc> …"
bool SdpReader::readSsrcGroup(MediaSection &section, const QString &value)
{
    const QStringList fields = value.split(u' ', Qt::SkipEmptyParts);
    if (fields.isEmpty() || !isToken(fields.at(0), 32) || fields.size() - 1 > MaxSsrcsPerGroup)
        return fail(QStringLiteral("bad ssrc-group"));
    if (section.content.sourceGroups.size() >= MaxSourceGroups)
        return fail(QStringLiteral("too many ssrc-groups"));
    SourceGroup group{fields.at(0), {}};
    for (qsizetype i = 1; i < fields.size(); ++i) {
        const auto ssrc = number(fields.at(i), 0, 0xffffffff);
        if (!ssrc)
            return fail(QStringLiteral("bad ssrc-group"));
        group.ssrcs.append(*ssrc);
    }
    section.content.sourceGroups.append(group);
    return true;
}

// ICE-UDP carries UDP candidates only; TCP ones are skipped, and beyond the cap the rest too.
bool SdpReader::readCandidate(MediaSection &section, const QString &value)
{
    const auto parsed = parseCandidate(QStringLiteral("candidate:") + value);
    if (!parsed)
        return fail(QStringLiteral("bad candidate"));
    if (parsed->udp && section.candidates.size() < MaxCandidates)
        section.candidates.append(parsed->candidate);
    return true;
}

bool SdpReader::finish(MediaSection &section)
{
    RtpContent &content = section.content;
    SharedAttributes &attributes = section.attributes;
    attributes.inheritFrom(m_session);
    if (content.name.isEmpty())
        return fail(QStringLiteral("an m= line without mid"));
    const auto sameName = [&](const MediaSection &other) {
        return &other != &section && !other.rejected && other.rtp && other.content.name == content.name;
    };
    if (std::any_of(m_media.cbegin(), m_media.cend(), sameName))
        return fail(QStringLiteral("two m= lines with one mid"));
    if (attributes.ufrag.isEmpty() || attributes.pwd.isEmpty())
        return fail(QStringLiteral("no ICE credentials for ") + content.name);
    if (attributes.fingerprintValue.isEmpty() || attributes.setup.isEmpty())
        return fail(QStringLiteral("no DTLS fingerprint or setup for ") + content.name);
    for (PayloadType &payload : content.payloadTypes) {
        if (payload.name.isEmpty() && payload.id >= 96)
            return fail(QStringLiteral("a dynamic payload type without rtpmap"));
        payload.ptime = section.ptime;
        payload.maxptime = section.maxptime;
    }
    content.senders = *sendersOf(
        attributes.direction.isEmpty() ? QStringLiteral("sendrecv") : attributes.direction, m_writer);
    content.extmapAllowMixed = attributes.extmapAllowMixed;
    content.transport =
        IceTransport{attributes.ufrag, attributes.pwd,
                     Fingerprint{attributes.fingerprintHash, attributes.setup, attributes.fingerprintValue},
                     section.candidates};
    return true;
}

} // namespace

QString toSdp(const RtpSession &session, Party writer, quint64 sessionId)
{
    QStringList lines = {
        QStringLiteral("v=0"),
        QStringLiteral("o=- ") + QString::number(sessionId) + QStringLiteral(" 2 IN IP4 0.0.0.0"),
        QStringLiteral("s=-"),
        QStringLiteral("t=0 0"),
        QStringLiteral("a=ice-options:trickle"),
    };
    if (!session.bundle.isEmpty())
        lines.append(QStringLiteral("a=group:BUNDLE ") + session.bundle.join(u' '));
    for (const RtpContent &content : session.contents) {
        if (content.hasDescription())
            writeMedia(lines, content, writer);
    }
    return lines.join(QStringLiteral("\r\n")) + QStringLiteral("\r\n");
}

std::optional<RtpSession> fromSdp(const QString &sdp, Party writer, QString *whyNot)
{
    SdpReader reader;
    auto session = reader.read(sdp, writer);
    if (!session && whyNot)
        *whyNot = reader.why();
    return session;
}

QString candidateToSdp(const IceCandidate &candidate)
{
    QStringList fields = {
        QStringLiteral("candidate:") + candidate.foundation,
        QString::number(candidate.component),
        candidate.protocol.toUpper(),
        QString::number(candidate.priority),
        candidate.ip,
        QString::number(candidate.port),
        QStringLiteral("typ"),
        candidate.type,
    };
    if (!candidate.relAddr.isEmpty())
        fields << QStringLiteral("raddr") << candidate.relAddr << QStringLiteral("rport")
               << QString::number(candidate.relPort);
    // libnice skips the extension attributes it does not know; libwebrtc and Conversations read these.
    fields << QStringLiteral("generation") << QString::number(candidate.generation);
    if (candidate.network)
        fields << QStringLiteral("network-id") << QString::number(candidate.network);
    return fields.join(u' ');
}

std::optional<IceCandidate> candidateFromSdp(const QString &line)
{
    const auto parsed = parseCandidate(line);
    if (!parsed || !parsed->udp)
        return std::nullopt;
    return parsed->candidate;
}

} // namespace Natter::Core::Calls
