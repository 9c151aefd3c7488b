// SPDX-License-Identifier: GPL-3.0-or-later
// The Jingle RTP vocabulary of calls: XEP-0167 descriptions with XEP-0293 feedback, XEP-0294 header
// extensions and XEP-0339 sources, XEP-0176 ICE-UDP transports with XEP-0320 DTLS fingerprints, and
// XEP-0338 BUNDLE groups. Read from and written to <jingle/> elements ourselves: QXmpp 1.10's classes drop
// empty transports, rel-addr/rel-port, groups and sources.
#pragma once

#include <QList>
#include <QString>
#include <QXmppElement.h>
#include <optional>
#include <utility>

class QDomElement;

namespace Natter::Core::Calls {

inline const QString JingleNamespace = QStringLiteral("urn:xmpp:jingle:1");
inline const QString RtpNamespace = QStringLiteral("urn:xmpp:jingle:apps:rtp:1");
inline const QString RtpAudioFeature = QStringLiteral("urn:xmpp:jingle:apps:rtp:audio");
inline const QString RtpVideoFeature = QStringLiteral("urn:xmpp:jingle:apps:rtp:video");
inline const QString IceUdpNamespace = QStringLiteral("urn:xmpp:jingle:transports:ice-udp:1");
inline const QString DtlsNamespace = QStringLiteral("urn:xmpp:jingle:apps:dtls:0");
inline const QString RtcpFeedbackNamespace = QStringLiteral("urn:xmpp:jingle:apps:rtp:rtcp-fb:0");
inline const QString HeaderExtensionsNamespace = QStringLiteral("urn:xmpp:jingle:apps:rtp:rtp-hdrext:0");
inline const QString GroupingNamespace = QStringLiteral("urn:xmpp:jingle:apps:grouping:0");
inline const QString SourcesNamespace = QStringLiteral("urn:xmpp:jingle:apps:rtp:ssma:0");
inline const QString JingleErrorsNamespace = QStringLiteral("urn:xmpp:jingle:errors:1");

using Parameters = QList<std::pair<QString, QString>>;

struct RtcpFeedback
{
    QString type;    // nack, ccm, goog-remb, transport-cc, …
    QString subtype; // pli, fir, … or empty

    friend bool operator==(const RtcpFeedback &, const RtcpFeedback &) = default;
};

struct PayloadType
{
    quint8 id = 0;
    QString name; // opus, VP8, H264, telephone-event, …
    quint32 clockrate = 0;
    quint8 channels = 1;
    quint32 ptime = 0;
    quint32 maxptime = 0;
    Parameters parameters; // fmtp, in order
    QList<RtcpFeedback> feedback;

    friend bool operator==(const PayloadType &, const PayloadType &) = default;
};

struct HeaderExtension
{
    quint16 id = 0;
    QString uri;
    QString senders; // empty: both

    friend bool operator==(const HeaderExtension &, const HeaderExtension &) = default;
};

struct Source
{
    quint32 ssrc = 0;
    Parameters parameters; // cname, msid, …

    friend bool operator==(const Source &, const Source &) = default;
};

struct SourceGroup
{
    QString semantics; // FID, SIM, …
    QList<quint32> ssrcs;

    friend bool operator==(const SourceGroup &, const SourceGroup &) = default;
};

struct IceCandidate
{
    quint8 component = 1;
    QString foundation;
    quint32 generation = 0;
    QString id;
    QString ip;
    quint16 port = 0;
    quint32 priority = 0;
    QString protocol = QStringLiteral("udp");
    QString type; // host, srflx, prflx, relay
    QString relAddr;
    quint16 relPort = 0;
    quint32 network = 0;

    friend bool operator==(const IceCandidate &, const IceCandidate &) = default;
};

struct Fingerprint
{
    QString hash;  // sha-256
    QString setup; // actpass, active, passive
    QString value; // upper-case hex pairs joined by ':'

    friend bool operator==(const Fingerprint &, const Fingerprint &) = default;
};

struct IceTransport
{
    QString ufrag;
    QString pwd;
    std::optional<Fingerprint> fingerprint;
    QList<IceCandidate> candidates;

    friend bool operator==(const IceTransport &, const IceTransport &) = default;
};

// One <content/>: one medium. Its name is the SDP mid.
struct RtpContent
{
    QString creator = QStringLiteral("initiator");
    QString name;
    QString senders = QStringLiteral("both"); // both, initiator, responder, none

    // The description; absent (media empty) in transport-info.
    QString media; // audio or video
    QList<PayloadType> payloadTypes;
    QList<RtcpFeedback> feedback; // for every payload type
    QList<HeaderExtension> headerExtensions;
    bool extmapAllowMixed = false;
    bool rtcpMux = false;
    QList<Source> sources;
    QList<SourceGroup> sourceGroups;

    // The ICE-UDP transport; absent in description-only contents.
    std::optional<IceTransport> transport;

    bool hasDescription() const { return !media.isEmpty(); }

    friend bool operator==(const RtpContent &, const RtpContent &) = default;
};

// The media of a call as both SDP and Jingle see it.
struct RtpSession
{
    QList<RtpContent> contents;
    QStringList bundle; // content names grouped with BUNDLE (XEP-0338), empty when not bundled

    friend bool operator==(const RtpSession &, const RtpSession &) = default;
};

// One <jingle/> element of a call. Which fields mean something depends on the action.
struct RtpAction
{
    QString action; // session-initiate, session-accept, session-terminate, session-info, transport-info, …
    QString sid;
    QString initiator;
    QString responder;
    RtpSession session;
    // session-terminate: success, decline, busy, cancel, connectivity-error, failed-transport, media-error,
    // security-error, incompatible-parameters, …
    QString reason;
    QString reasonText;
    // session-info (XEP-0167): active, hold, unhold, mute, unmute, ringing; name for mute and unmute.
    QString info;
    QString infoName;

    friend bool operator==(const RtpAction &, const RtpAction &) = default;
};

// nullopt (with why in whyNot) when the element is not a well-formed Jingle RTP action: wrong namespace,
// no action or sid, a content whose description is not RTP or whose transport is not ICE-UDP, or values
// out of bounds (hostile input is bounded: counts, lengths, numbers).
std::optional<RtpAction> parseRtpAction(const QDomElement &jingle, QString *whyNot = nullptr);
// True when the element is a session-initiate whose contents describe RTP (a call, not a file offer).
bool isRtpSessionInitiate(const QDomElement &jingle);
QXmppElement toElement(const RtpAction &action);

} // namespace Natter::Core::Calls
