// SPDX-License-Identifier: GPL-3.0-or-later
// The Jingle RTP vocabulary of calls: what we write reads back the same (descriptions, transports without
// candidates, reasons, session-info), stanzas as Conversations and Dino send them read as meant, and what a
// hostile peer sends is refused or bounded.
#include "RawStanza.h"
#include "calls/RtpDescription.h"

#include <QDomDocument>
#include <QTest>

using namespace Natter::Core::Calls;

namespace {

const QString Fingerprint256 = QStringLiteral(
    "A7:D5:34:DB:72:2F:58:84:A2:C3:95:B1:8C:62:9C:9B:40:E3:FE:AB:F5:7C:56:19:95:FD:0B:C6:AC:8D:01:67");

QDomElement parseXml(const QString &xml, QDomDocument &document)
{
    document.setContent(xml, QDomDocument::ParseOption::UseNamespaceProcessing);
    return document.documentElement();
}

std::optional<RtpAction> parseText(const QString &xml, QString *whyNot = nullptr)
{
    QDomDocument document;
    return parseRtpAction(parseXml(xml, document), whyNot);
}

QString xmlOf(const RtpAction &action)
{
    return Natter::Test::xmlOf(toElement(action));
}

std::optional<RtpAction> roundTrip(const RtpAction &action)
{
    return parseText(xmlOf(action));
}

IceCandidate hostCandidate(const QString &id, const QString &ip, quint16 port)
{
    IceCandidate candidate;
    candidate.component = 1;
    candidate.foundation = QStringLiteral("1");
    candidate.id = id;
    candidate.ip = ip;
    candidate.port = port;
    candidate.priority = 2015363327;
    candidate.type = QStringLiteral("host");
    return candidate;
}

IceTransport transport(const QString &setup)
{
    IceTransport transport;
    transport.ufrag = QStringLiteral("oMmSB8+gVrGjE2Gn");
    transport.pwd = QStringLiteral("kf+wBadOYx3yze2BOHu8nl7heZVhY/09");
    transport.fingerprint = Fingerprint{QStringLiteral("sha-256"), setup, Fingerprint256};
    return transport;
}

RtpContent audioContent()
{
    RtpContent audio;
    audio.name = QStringLiteral("audio0");
    audio.senders = QStringLiteral("initiator");
    audio.media = QStringLiteral("audio");
    PayloadType opus;
    opus.id = 111;
    opus.name = QStringLiteral("opus");
    opus.clockrate = 48000;
    opus.channels = 2;
    opus.ptime = 20;
    opus.maxptime = 120;
    opus.parameters = {{QStringLiteral("minptime"), QStringLiteral("10")},
                       {QStringLiteral("useinbandfec"), QStringLiteral("1")}};
    opus.feedback = {{QStringLiteral("transport-cc"), {}}};
    PayloadType dtmf;
    dtmf.id = 101;
    dtmf.name = QStringLiteral("telephone-event");
    dtmf.clockrate = 8000;
    dtmf.parameters = {{QString(), QStringLiteral("0-15")}};
    PayloadType pcmu;
    pcmu.id = 0;
    audio.payloadTypes = {opus, dtmf, pcmu};
    audio.feedback = {{QStringLiteral("nack"), {}}};
    audio.headerExtensions = {
        {1, QStringLiteral("urn:ietf:params:rtp-hdrext:ssrc-audio-level"), {}},
        {3, QStringLiteral("urn:ietf:params:rtp-hdrext:sdes:mid"), QStringLiteral("responder")}};
    audio.extmapAllowMixed = true;
    audio.rtcpMux = true;
    audio.sources = {{3902897144,
                      {{QStringLiteral("cname"), QStringLiteral("user3625990087@host-437aff49")},
                       {QStringLiteral("msid"), QStringLiteral("stream0 track0")}}}};
    audio.transport = transport(QStringLiteral("actpass"));
    IceCandidate srflx = hostCandidate(QStringLiteral("c2"), QStringLiteral("203.0.113.7"), 40000);
    srflx.foundation = QStringLiteral("2");
    srflx.type = QStringLiteral("srflx");
    srflx.priority = 1686052607;
    srflx.relAddr = QStringLiteral("192.0.2.2");
    srflx.relPort = 35544;
    srflx.generation = 1;
    srflx.network = 2;
    audio.transport->candidates = {hostCandidate(QStringLiteral("c1"), QStringLiteral("192.0.2.2"), 35544),
                                   srflx,
                                   hostCandidate(QStringLiteral("c3"), QStringLiteral("fd00::2"), 56525)};
    return audio;
}

RtpContent videoContent()
{
    RtpContent video;
    video.creator = QStringLiteral("responder");
    video.name = QStringLiteral("video1");
    video.media = QStringLiteral("video");
    PayloadType vp8;
    vp8.id = 96;
    vp8.name = QStringLiteral("VP8");
    vp8.clockrate = 90000;
    vp8.feedback = {{QStringLiteral("nack"), QStringLiteral("pli")},
                    {QStringLiteral("ccm"), QStringLiteral("fir")}};
    PayloadType rtx;
    rtx.id = 97;
    rtx.name = QStringLiteral("rtx");
    rtx.clockrate = 90000;
    rtx.parameters = {{QStringLiteral("apt"), QStringLiteral("96")}};
    PayloadType h264;
    h264.id = 102;
    h264.name = QStringLiteral("H264");
    h264.clockrate = 90000;
    h264.parameters = {
        {QStringLiteral("sprop-parameter-sets"), QStringLiteral("Z0LAHtkDxWhAAAADAEAAAAwDxYuS,aMuMsg==")}};
    video.payloadTypes = {vp8, rtx, h264};
    video.feedback = {{QStringLiteral("goog-remb"), {}}};
    video.rtcpMux = true;
    video.sources = {{1844568463, {{QStringLiteral("cname"), QStringLiteral("x")}}},
                     {386328120, {{QStringLiteral("cname"), QStringLiteral("x")}}}};
    video.sourceGroups = {{QStringLiteral("FID"), {1844568463, 386328120}}};
    video.transport = transport(QStringLiteral("actpass"));
    return video;
}

RtpAction fullSessionInitiate()
{
    RtpAction action;
    action.action = QStringLiteral("session-initiate");
    action.sid = QStringLiteral("Xf0ZMTb2tXQvQXDpOVbnlQ");
    action.initiator = QStringLiteral("romeo@montague.example/natter");
    action.responder = QStringLiteral("juliet@capulet.example/balcony");
    action.session.contents = {audioContent(), videoContent()};
    action.session.bundle = {QStringLiteral("audio0"), QStringLiteral("video1")};
    return action;
}

QString jingle(const QString &action, const QString &children)
{
    return QStringLiteral("<jingle xmlns='urn:xmpp:jingle:1' action='%1' sid='s1'>%2</jingle>")
        .arg(action, children);
}

// One audio content whose pieces the hostile tests replace.
QString audioContentXml(const QString &payloads, const QString &candidates)
{
    return QStringLiteral("<content creator='initiator' name='audio'>"
                          "<description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'>%1</description>"
                          "<transport xmlns='urn:xmpp:jingle:transports:ice-udp:1' ufrag='abcd' "
                          "pwd='abcdefghijklmnopqrstuv'>"
                          "%2</transport></content>")
        .arg(payloads, candidates);
}

const QString OpusXml = QStringLiteral("<payload-type id='111' name='opus' clockrate='48000' channels='2'/>");

QString candidateXml(const QString &ip, const QString &port, const QString &extra = {})
{
    return QStringLiteral(
               "<candidate component='1' foundation='1' generation='0' id='c1' ip='%1' network='0' "
               "port='%2' priority='2130706431' protocol='udp' type='host' %3/>")
        .arg(ip, port, extra);
}

bool audioWithCandidateIsRead(const QString &candidate)
{
    return parseText(jingle(QStringLiteral("transport-info"), audioContentXml(OpusXml, candidate)))
        .has_value();
}

bool audioWithPayloadIsRead(const QString &payload)
{
    return parseText(jingle(QStringLiteral("session-initiate"), audioContentXml(payload, {}))).has_value();
}

// As Conversations (libwebrtc) sends it: BUNDLE, sources with msid, rtcp-fb, header extensions.
const QString ConversationsInitiate = QStringLiteral(R"(
<jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='Xf0ZMTb2tXQvQXDpOVbnlQ'
        initiator='juliet@capulet.example/Conversations.Vt2l'>
  <content creator='initiator' name='0' senders='both'>
    <description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'>
      <payload-type id='111' name='opus' clockrate='48000' channels='2'>
        <rtcp-fb xmlns='urn:xmpp:jingle:apps:rtp:rtcp-fb:0' type='transport-cc'/>
        <parameter name='minptime' value='10'/>
        <parameter name='useinbandfec' value='1'/>
      </payload-type>
      <payload-type id='63' name='red' clockrate='48000' channels='2'>
        <parameter name='' value='111/111'/>
      </payload-type>
      <payload-type id='9' name='G722' clockrate='8000'/>
      <payload-type id='0' name='PCMU' clockrate='8000'/>
      <payload-type id='126' name='telephone-event' clockrate='8000'/>
      <rtp-hdrext xmlns='urn:xmpp:jingle:apps:rtp:rtp-hdrext:0' id='1' uri='urn:ietf:params:rtp-hdrext:ssrc-audio-level'/>
      <rtp-hdrext xmlns='urn:xmpp:jingle:apps:rtp:rtp-hdrext:0' id='2' uri='http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time'/>
      <rtp-hdrext xmlns='urn:xmpp:jingle:apps:rtp:rtp-hdrext:0' id='3' uri='http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01'/>
      <extmap-allow-mixed xmlns='urn:xmpp:jingle:apps:rtp:rtp-hdrext:0'/>
      <source xmlns='urn:xmpp:jingle:apps:rtp:ssma:0' ssrc='2712452370'>
        <parameter name='cname' value='Yv/wvbCdsDW2Prgd'/>
        <parameter name='msid' value='my-media-stream my-audio-track'/>
      </source>
      <rtcp-mux/>
    </description>
    <transport xmlns='urn:xmpp:jingle:transports:ice-udp:1' ufrag='RUtl' pwd='ldEUvKhI9bM3FEYDHkWPLfVc'>
      <fingerprint xmlns='urn:xmpp:jingle:apps:dtls:0' hash='sha-256' setup='actpass'>2c:27:0f:8e:4c:08:39:80:4c:1e:93:3c:c9:50:f1:2c:cc:70:0a:3f:1d:2e:57:c2:85:cf:19:11:8b:dd:5d:f0</fingerprint>
    </transport>
  </content>
  <content creator='initiator' name='1' senders='both'>
    <description xmlns='urn:xmpp:jingle:apps:rtp:1' media='video'>
      <payload-type id='96' name='VP8' clockrate='90000'>
        <rtcp-fb xmlns='urn:xmpp:jingle:apps:rtp:rtcp-fb:0' type='goog-remb'/>
        <rtcp-fb xmlns='urn:xmpp:jingle:apps:rtp:rtcp-fb:0' type='transport-cc'/>
        <rtcp-fb xmlns='urn:xmpp:jingle:apps:rtp:rtcp-fb:0' type='ccm' subtype='fir'/>
        <rtcp-fb xmlns='urn:xmpp:jingle:apps:rtp:rtcp-fb:0' type='nack'/>
        <rtcp-fb xmlns='urn:xmpp:jingle:apps:rtp:rtcp-fb:0' type='nack' subtype='pli'/>
      </payload-type>
      <payload-type id='97' name='rtx' clockrate='90000'>
        <parameter name='apt' value='96'/>
      </payload-type>
      <rtp-hdrext xmlns='urn:xmpp:jingle:apps:rtp:rtp-hdrext:0' id='14' uri='urn:ietf:params:rtp-hdrext:toffset'/>
      <extmap-allow-mixed xmlns='urn:xmpp:jingle:apps:rtp:rtp-hdrext:0'/>
      <ssrc-group xmlns='urn:xmpp:jingle:apps:rtp:ssma:0' semantics='FID'>
        <source ssrc='2301230316'/>
        <source ssrc='386328120'/>
      </ssrc-group>
      <source xmlns='urn:xmpp:jingle:apps:rtp:ssma:0' ssrc='2301230316'>
        <parameter name='cname' value='Yv/wvbCdsDW2Prgd'/>
      </source>
      <source xmlns='urn:xmpp:jingle:apps:rtp:ssma:0' ssrc='386328120'>
        <parameter name='cname' value='Yv/wvbCdsDW2Prgd'/>
      </source>
      <rtcp-mux/>
    </description>
    <transport xmlns='urn:xmpp:jingle:transports:ice-udp:1' ufrag='RUtl' pwd='ldEUvKhI9bM3FEYDHkWPLfVc'>
      <fingerprint xmlns='urn:xmpp:jingle:apps:dtls:0' hash='sha-256' setup='actpass'>2c:27:0f:8e:4c:08:39:80:4c:1e:93:3c:c9:50:f1:2c:cc:70:0a:3f:1d:2e:57:c2:85:cf:19:11:8b:dd:5d:f0</fingerprint>
    </transport>
  </content>
  <group xmlns='urn:xmpp:jingle:apps:grouping:0' semantics='BUNDLE'>
    <content name='0'/>
    <content name='1'/>
  </group>
</jingle>)");

// As Dino sends it: no BUNDLE, no sources, candidates in the initiate, feedback per payload type.
const QString DinoInitiate = QStringLiteral(R"(
<jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='d1n0' initiator='romeo@montague.example/dino.4f2a'>
  <content creator='initiator' name='audio' senders='both'>
    <description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'>
      <payload-type id='111' name='opus' clockrate='48000' channels='2'>
        <parameter name='useinbandfec' value='1'/>
      </payload-type>
      <payload-type id='112' name='speex' clockrate='32000'/>
      <payload-type id='9' name='G722' clockrate='8000'/>
      <payload-type id='0' name='PCMU' clockrate='8000'/>
      <payload-type id='8' name='PCMA' clockrate='8000'/>
      <rtcp-mux/>
    </description>
    <transport xmlns='urn:xmpp:jingle:transports:ice-udp:1' ufrag='Qx3e' pwd='u2DyJzPkWh8oFZAhUSsSxP'>
      <fingerprint xmlns='urn:xmpp:jingle:apps:dtls:0' hash='sha-256' setup='actpass'>60:1F:8A:51:2B:D5:32:C4:7E:0C:B3:0E:9D:A1:9F:4C:35:8E:A4:50:5D:B5:8A:0C:99:2E:41:E4:2C:CC:7B:19</fingerprint>
      <candidate component='1' foundation='1' generation='0' id='a83bd6f8-1' ip='192.168.1.20' network='0' port='51423' priority='2013266431' protocol='udp' type='host'/>
      <candidate component='1' foundation='2' generation='0' id='a83bd6f8-2' ip='198.51.100.4' network='0' port='51423' priority='1677721855' protocol='udp' type='srflx' rel-addr='192.168.1.20' rel-port='51423'/>
    </transport>
  </content>
  <content creator='initiator' name='video' senders='both'>
    <description xmlns='urn:xmpp:jingle:apps:rtp:1' media='video'>
      <payload-type id='96' name='H264' clockrate='90000'>
        <parameter name='profile-level-id' value='42e01f'/>
        <rtcp-fb xmlns='urn:xmpp:jingle:apps:rtp:rtcp-fb:0' type='goog-remb'/>
        <rtcp-fb xmlns='urn:xmpp:jingle:apps:rtp:rtcp-fb:0' type='ccm' subtype='fir'/>
        <rtcp-fb xmlns='urn:xmpp:jingle:apps:rtp:rtcp-fb:0' type='nack'/>
        <rtcp-fb xmlns='urn:xmpp:jingle:apps:rtp:rtcp-fb:0' type='nack' subtype='pli'/>
      </payload-type>
      <payload-type id='97' name='VP9' clockrate='90000'>
        <rtcp-fb xmlns='urn:xmpp:jingle:apps:rtp:rtcp-fb:0' type='goog-remb'/>
        <rtcp-fb xmlns='urn:xmpp:jingle:apps:rtp:rtcp-fb:0' type='ccm' subtype='fir'/>
        <rtcp-fb xmlns='urn:xmpp:jingle:apps:rtp:rtcp-fb:0' type='nack'/>
        <rtcp-fb xmlns='urn:xmpp:jingle:apps:rtp:rtcp-fb:0' type='nack' subtype='pli'/>
      </payload-type>
      <payload-type id='98' name='VP8' clockrate='90000'>
        <rtcp-fb xmlns='urn:xmpp:jingle:apps:rtp:rtcp-fb:0' type='goog-remb'/>
        <rtcp-fb xmlns='urn:xmpp:jingle:apps:rtp:rtcp-fb:0' type='ccm' subtype='fir'/>
        <rtcp-fb xmlns='urn:xmpp:jingle:apps:rtp:rtcp-fb:0' type='nack'/>
        <rtcp-fb xmlns='urn:xmpp:jingle:apps:rtp:rtcp-fb:0' type='nack' subtype='pli'/>
      </payload-type>
      <rtcp-mux/>
    </description>
    <transport xmlns='urn:xmpp:jingle:transports:ice-udp:1' ufrag='Vb7P' pwd='9BaiK4n1pyTjZF1GnKqPsw'>
      <fingerprint xmlns='urn:xmpp:jingle:apps:dtls:0' hash='sha-256' setup='actpass'>60:1F:8A:51:2B:D5:32:C4:7E:0C:B3:0E:9D:A1:9F:4C:35:8E:A4:50:5D:B5:8A:0C:99:2E:41:E4:2C:CC:7B:19</fingerprint>
    </transport>
  </content>
</jingle>)");

const QList<RtcpFeedback> DinoVideoFeedback = {
    {QStringLiteral("goog-remb"), {}},
    {QStringLiteral("ccm"), QStringLiteral("fir")},
    {QStringLiteral("nack"), {}},
    {QStringLiteral("nack"), QStringLiteral("pli")},
};

} // namespace

class tst_RtpDescription : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aFullSessionInitiateReadsBackAsWritten();
    void transportInfoHasNoDescription();
    void transportWithoutCandidatesKeepsCredentialsAndFingerprint();
    void reasonsReadBackAsWritten();
    void unknownReasonIsNotInvented();
    void sessionInfoReadsBackAsWritten();
    void muteNamesTheContentsCreator();
    void conversationsInitiateIsRead();
    void dinoInitiateIsRead();
    void wrongNamespacesAreRefused();
    void missingSidOrActionIsRefused();
    void tooManyOfAnythingIsRefused();
    void outOfRangeNumbersAreRefused();
    void badAddressesAreRefused();
    void hugeStringsAreRefusedOrBounded();
    void lineBreaksCannotReachSdp();
    void unknownElementsAndTcpCandidatesAreIgnored();
    void bundleNamingAnUnknownContentIsRefused();
    void callsAreToldApartFromFileOffers();
};

void tst_RtpDescription::aFullSessionInitiateReadsBackAsWritten()
{
    const RtpAction action = fullSessionInitiate();
    QCOMPARE(roundTrip(action), action);
}

void tst_RtpDescription::transportInfoHasNoDescription()
{
    RtpAction action;
    action.action = QStringLiteral("transport-info");
    action.sid = QStringLiteral("s1");
    RtpContent content;
    content.name = QStringLiteral("audio0");
    content.transport =
        IceTransport{QStringLiteral("abcd"),
                     QStringLiteral("abcdefghijklmnopqrstuv"),
                     std::nullopt,
                     {hostCandidate(QStringLiteral("x1"), QStringLiteral("192.0.2.9"), 1234)}};
    action.session.contents = {content};

    QVERIFY(!xmlOf(action).contains(QStringLiteral("description")));
    const auto read = roundTrip(action);
    QCOMPARE(read, action);
    QVERIFY(!read->session.contents.first().hasDescription());
}

void tst_RtpDescription::transportWithoutCandidatesKeepsCredentialsAndFingerprint()
{
    RtpAction action = fullSessionInitiate();
    action.action = QStringLiteral("session-accept");
    action.session.contents.first().transport->candidates.clear();
    action.session.contents.first().transport->fingerprint->setup = QStringLiteral("active");

    const QString xml = xmlOf(action);
    QVERIFY(xml.contains(QStringLiteral("ufrag=\"oMmSB8+gVrGjE2Gn\"")));
    QVERIFY(xml.contains(QStringLiteral("setup=\"active\"")));
    const auto read = roundTrip(action);
    QCOMPARE(read, action);
    QCOMPARE(read->session.contents.first().transport->fingerprint->value, Fingerprint256);
}

void tst_RtpDescription::reasonsReadBackAsWritten()
{
    for (const QString &reason :
         {QStringLiteral("success"), QStringLiteral("decline"), QStringLiteral("busy"),
          QStringLiteral("failed-transport"), QStringLiteral("security-error")}) {
        RtpAction action;
        action.action = QStringLiteral("session-terminate");
        action.sid = QStringLiteral("s1");
        action.reason = reason;
        QCOMPARE(roundTrip(action), action);
        action.reasonText = QStringLiteral("the fingerprint did not match");
        QCOMPARE(roundTrip(action), action);
    }
}

void tst_RtpDescription::unknownReasonIsNotInvented()
{
    const auto read = parseText(jingle(QStringLiteral("session-terminate"),
                                       QStringLiteral("<reason><bored/><text>bye</text></reason>")));
    QVERIFY(read);
    QVERIFY(read->reason.isEmpty());
    QCOMPARE(read->reasonText, QStringLiteral("bye"));
}

void tst_RtpDescription::sessionInfoReadsBackAsWritten()
{
    for (const QString &info :
         {QStringLiteral("active"), QStringLiteral("hold"), QStringLiteral("unhold"),
          QStringLiteral("ringing"), QStringLiteral("mute"), QStringLiteral("unmute")}) {
        RtpAction action;
        action.action = QStringLiteral("session-info");
        action.sid = QStringLiteral("s1");
        action.info = info;
        if (info.endsWith(QStringLiteral("mute")))
            action.infoName = QStringLiteral("voice");
        QVERIFY(xmlOf(action).contains(QStringLiteral("urn:xmpp:jingle:apps:rtp:info:1")));
        QCOMPARE(roundTrip(action), action);
    }
}

void tst_RtpDescription::muteNamesTheContentsCreator()
{
    RtpAction action;
    action.action = QStringLiteral("session-info");
    action.sid = QStringLiteral("s1");
    action.info = QStringLiteral("mute");
    action.infoName = QStringLiteral("video1");
    RtpContent video;
    video.creator = QStringLiteral("responder");
    video.name = QStringLiteral("video1");
    action.session.contents = {video};
    QVERIFY(xmlOf(action).contains(QStringLiteral("<mute xmlns=\"urn:xmpp:jingle:apps:rtp:info:1\" "
                                                  "creator=\"responder\" name=\"video1\"/>")));
    action.session.contents.clear();
    QVERIFY(xmlOf(action).contains(QStringLiteral("creator=\"initiator\"")));
}

void tst_RtpDescription::conversationsInitiateIsRead()
{
    QString why;
    const auto read = parseText(ConversationsInitiate, &why);
    QVERIFY2(read, qPrintable(why));
    QCOMPARE(read->action, QStringLiteral("session-initiate"));
    QCOMPARE(read->initiator, QStringLiteral("juliet@capulet.example/Conversations.Vt2l"));
    QCOMPARE(read->session.bundle, QStringList({QStringLiteral("0"), QStringLiteral("1")}));
    QCOMPARE(read->session.contents.size(), 2);

    const RtpContent &audio = read->session.contents.at(0);
    QCOMPARE(audio.media, QStringLiteral("audio"));
    QCOMPARE(audio.payloadTypes.size(), 5);
    QCOMPARE(audio.payloadTypes.at(0).channels, quint8(2));
    QCOMPARE(audio.payloadTypes.at(0).feedback, QList<RtcpFeedback>({{QStringLiteral("transport-cc"), {}}}));
    QCOMPARE(audio.payloadTypes.at(0).parameters,
             Parameters({{QStringLiteral("minptime"), QStringLiteral("10")},
                         {QStringLiteral("useinbandfec"), QStringLiteral("1")}}));
    QCOMPARE(audio.payloadTypes.at(1).parameters, Parameters({{QString(), QStringLiteral("111/111")}}));
    QCOMPARE(audio.headerExtensions.size(), 3);
    QCOMPARE(audio.headerExtensions.at(1).id, quint16(2));
    QVERIFY(audio.extmapAllowMixed);
    QVERIFY(audio.rtcpMux);
    QCOMPARE(audio.sources.size(), 1);
    QCOMPARE(audio.sources.first().ssrc, 2712452370u);
    QCOMPARE(audio.sources.first().parameters.at(1),
             std::pair(QStringLiteral("msid"), QStringLiteral("my-media-stream my-audio-track")));
    QVERIFY(audio.transport);
    QVERIFY(audio.transport->candidates.isEmpty());
    QCOMPARE(audio.transport->ufrag, QStringLiteral("RUtl"));
    // Conversations writes lower-case hex; SDP and our comparisons use upper case.
    QVERIFY(audio.transport->fingerprint->value.startsWith(QStringLiteral("2C:27:0F:8E")));

    const RtpContent &video = read->session.contents.at(1);
    QCOMPARE(video.payloadTypes.first().feedback.size(), 5);
    QCOMPARE(video.sourceGroups, QList<SourceGroup>({{QStringLiteral("FID"), {2301230316u, 386328120u}}}));
    QCOMPARE(video.sources.size(), 2);
}

void tst_RtpDescription::dinoInitiateIsRead()
{
    QString why;
    const auto read = parseText(DinoInitiate, &why);
    QVERIFY2(read, qPrintable(why));
    QVERIFY(read->session.bundle.isEmpty());
    const RtpContent &audio = read->session.contents.at(0);
    QCOMPARE(audio.payloadTypes.first().name, QStringLiteral("opus"));
    QCOMPARE(audio.payloadTypes.first().parameters,
             Parameters({{QStringLiteral("useinbandfec"), QStringLiteral("1")}}));
    QCOMPARE(audio.payloadTypes.size(), 5);
    QCOMPARE(audio.transport->candidates.size(), 2);
    const IceCandidate &srflx = audio.transport->candidates.at(1);
    QCOMPARE(srflx.type, QStringLiteral("srflx"));
    QCOMPARE(srflx.relAddr, QStringLiteral("192.168.1.20"));
    QCOMPARE(srflx.relPort, quint16(51423));
    QCOMPARE(srflx.id, QStringLiteral("a83bd6f8-2"));

    const RtpContent &video = read->session.contents.at(1);
    QCOMPARE(video.payloadTypes.size(), 3);
    for (const PayloadType &payload : video.payloadTypes)
        QCOMPARE(payload.feedback, DinoVideoFeedback);
    QCOMPARE(video.payloadTypes.at(0).name, QStringLiteral("H264"));
    QCOMPARE(video.payloadTypes.at(1).name, QStringLiteral("VP9"));
    QCOMPARE(video.payloadTypes.at(2).name, QStringLiteral("VP8"));
    QVERIFY(video.feedback.isEmpty());
}

void tst_RtpDescription::wrongNamespacesAreRefused()
{
    QString why;
    QVERIFY(!parseText(QStringLiteral("<jingle xmlns='urn:xmpp:jingle:0' action='session-info' sid='s1'/>"),
                       &why));
    QVERIFY(!why.isEmpty());
    QVERIFY(!parseText(jingle(QStringLiteral("session-initiate"),
                              QStringLiteral("<content creator='initiator' name='a'>"
                                             "<description xmlns='urn:xmpp:jingle:apps:file-transfer:5'/>"
                                             "</content>"))));
    QVERIFY(!parseText(jingle(QStringLiteral("transport-info"),
                              QStringLiteral("<content creator='initiator' name='a'>"
                                             "<transport xmlns='urn:xmpp:jingle:transports:s5b:1' sid='x'/>"
                                             "</content>"))));
    // Feedback in the wrong namespace is someone else's element: not read as ours.
    const auto read = parseText(
        jingle(QStringLiteral("session-initiate"),
               audioContentXml(QStringLiteral("<payload-type id='96' name='VP8' clockrate='90000'>"
                                              "<rtcp-fb xmlns='urn:example' type='nack'/></payload-type>"),
                               {})));
    QVERIFY(read);
    QVERIFY(read->session.contents.first().payloadTypes.first().feedback.isEmpty());
}

void tst_RtpDescription::missingSidOrActionIsRefused()
{
    QVERIFY(!parseText(QStringLiteral("<jingle xmlns='urn:xmpp:jingle:1' action='session-info'/>")));
    QVERIFY(!parseText(QStringLiteral("<jingle xmlns='urn:xmpp:jingle:1' sid='s1'/>")));
    QVERIFY(
        !parseText(QStringLiteral("<jingle xmlns='urn:xmpp:jingle:1' action='session-dance' sid='s1'/>")));
    QVERIFY(parseText(QStringLiteral("<jingle xmlns='urn:xmpp:jingle:1' action='session-info' sid='s1'/>")));
}

void tst_RtpDescription::tooManyOfAnythingIsRefused()
{
    QString contents;
    for (int i = 0; i < 9; ++i)
        contents += QStringLiteral("<content creator='initiator' name='c%1'/>").arg(i);
    QString why;
    QVERIFY(!parseText(jingle(QStringLiteral("content-remove"), contents), &why));
    QCOMPARE(why, QStringLiteral("too many contents"));

    QString candidates;
    for (int i = 0; i < 33; ++i)
        candidates += candidateXml(QStringLiteral("192.0.2.1"), QString::number(1000 + i));
    QVERIFY(!audioWithCandidateIsRead(candidates));
    QVERIFY(audioWithCandidateIsRead(candidates.left(candidates.lastIndexOf(QStringLiteral("<candidate")))));

    QString payloads;
    for (int i = 0; i < 33; ++i)
        payloads += QStringLiteral("<payload-type id='%1' name='x' clockrate='8000'/>").arg(i);
    QVERIFY(!audioWithPayloadIsRead(payloads));

    QString parameters;
    for (int i = 0; i < 33; ++i)
        parameters += QStringLiteral("<parameter name='p%1' value='1'/>").arg(i);
    QVERIFY(!audioWithPayloadIsRead(
        QStringLiteral("<payload-type id='111' name='opus'>%1</payload-type>").arg(parameters)));
}

void tst_RtpDescription::outOfRangeNumbersAreRefused()
{
    QVERIFY(audioWithCandidateIsRead(candidateXml(QStringLiteral("192.0.2.1"), QStringLiteral("65535"))));
    QVERIFY(!audioWithCandidateIsRead(candidateXml(QStringLiteral("192.0.2.1"), QStringLiteral("65536"))));
    QVERIFY(!audioWithCandidateIsRead(candidateXml(QStringLiteral("192.0.2.1"), QStringLiteral("0"))));
    QVERIFY(!audioWithCandidateIsRead(candidateXml(QStringLiteral("192.0.2.1"), QStringLiteral("-1"))));
    QVERIFY(!audioWithCandidateIsRead(candidateXml(QStringLiteral("192.0.2.1"), QStringLiteral("12a"))));
    QVERIFY(!audioWithCandidateIsRead(candidateXml(QStringLiteral("192.0.2.1"), QStringLiteral("1"),
                                                   QStringLiteral("rel-addr='192.0.2.2' rel-port='99999'"))));
    QVERIFY(!audioWithCandidateIsRead(
        candidateXml(QStringLiteral("192.0.2.1"), QStringLiteral("1"))
            .replace(QStringLiteral("priority='2130706431'"), QStringLiteral("priority='4294967296'"))));
    QVERIFY(!audioWithCandidateIsRead(
        candidateXml(QStringLiteral("192.0.2.1"), QStringLiteral("1"))
            .replace(QStringLiteral("component='1'"), QStringLiteral("component='0'"))));

    QVERIFY(audioWithPayloadIsRead(QStringLiteral("<payload-type id='127' name='opus'/>")));
    QVERIFY(!audioWithPayloadIsRead(QStringLiteral("<payload-type id='128' name='opus'/>")));
    QVERIFY(!audioWithPayloadIsRead(QStringLiteral("<payload-type id='111' name='opus' channels='0'/>")));
    QVERIFY(!audioWithPayloadIsRead(QStringLiteral("<payload-type id='111' name='opus' channels='256'/>")));
    QVERIFY(!audioWithPayloadIsRead(QStringLiteral("<payload-type id='111' name='opus' clockrate='1e5'/>")));
    // A dynamic payload type means nothing without its name; a static one does.
    QVERIFY(!audioWithPayloadIsRead(QStringLiteral("<payload-type id='111' clockrate='48000'/>")));
    QVERIFY(audioWithPayloadIsRead(QStringLiteral("<payload-type id='0' clockrate='8000'/>")));
    QVERIFY(
        !audioWithPayloadIsRead(QStringLiteral("<rtp-hdrext xmlns='urn:xmpp:jingle:apps:rtp:rtp-hdrext:0' "
                                               "id='0' uri='urn:ietf:params:rtp-hdrext:toffset'/>")));
    QVERIFY(!audioWithPayloadIsRead(
        QStringLiteral("<source xmlns='urn:xmpp:jingle:apps:rtp:ssma:0' ssrc='4294967296'/>")));
}

void tst_RtpDescription::badAddressesAreRefused()
{
    QVERIFY(audioWithCandidateIsRead(candidateXml(QStringLiteral("2001:db8::1"), QStringLiteral("9"))));
    for (const QString &ip :
         {QStringLiteral("999.1.1.1"), QStringLiteral("1.2.3"), QStringLiteral("example.org"),
          QStringLiteral("abc.local"), QStringLiteral(""), QStringLiteral("1.2.3.4 ")})
        QVERIFY2(!audioWithCandidateIsRead(candidateXml(ip, QStringLiteral("9"))), qPrintable(ip));
    QVERIFY(!audioWithCandidateIsRead(candidateXml(QStringLiteral("192.0.2.1"), QStringLiteral("9"),
                                                   QStringLiteral("rel-addr='localhost' rel-port='9'"))));
    QVERIFY(!audioWithCandidateIsRead(
        candidateXml(QStringLiteral("192.0.2.1"), QStringLiteral("9"), QStringLiteral("rel-port='9'"))));
}

void tst_RtpDescription::hugeStringsAreRefusedOrBounded()
{
    const QString huge(100'000, u'a');
    QVERIFY(!parseText(
        QStringLiteral("<jingle xmlns='urn:xmpp:jingle:1' action='session-info' sid='%1'/>").arg(huge)));
    QVERIFY(!audioWithPayloadIsRead(QStringLiteral("<payload-type id='111' name='%1'/>").arg(huge)));
    QVERIFY(!audioWithPayloadIsRead(
        QStringLiteral("<payload-type id='111' name='opus'><parameter name='x' value='%1'/></payload-type>")
            .arg(huge)));
    QVERIFY(!audioWithCandidateIsRead(
        candidateXml(QStringLiteral("192.0.2.1"), QStringLiteral("9"))
            .replace(QStringLiteral("id='c1'"), QStringLiteral("id='%1'").arg(huge))));
    QVERIFY(!parseText(
        jingle(QStringLiteral("transport-info"),
               QStringLiteral("<content creator='initiator' name='a'>"
                              "<transport xmlns='urn:xmpp:jingle:transports:ice-udp:1' ufrag='%1'/>"
                              "</content>")
                   .arg(huge))));
    const auto read = parseText(jingle(QStringLiteral("session-terminate"),
                                       QStringLiteral("<reason><gone/><text>%1</text></reason>").arg(huge)));
    QVERIFY(read);
    QCOMPARE(read->reason, QStringLiteral("gone"));
    QCOMPARE(read->reasonText.size(), 1000);
}

void tst_RtpDescription::lineBreaksCannotReachSdp()
{
    // Values travel into SDP lines: a line break would let a peer write SDP of its own.
    QVERIFY(!audioWithPayloadIsRead(QStringLiteral("<payload-type id='111' name='opus&#10;a=x'/>")));
    QVERIFY(!audioWithPayloadIsRead(QStringLiteral(
        "<payload-type id='111' name='opus'><parameter name='a' value='1&#13;&#10;a=x'/></payload-type>")));
    QVERIFY(!audioWithPayloadIsRead(QStringLiteral("<source xmlns='urn:xmpp:jingle:apps:rtp:ssma:0' ssrc='1'>"
                                                   "<parameter name='cname' value='a&#10;a=x'/></source>")));
    QVERIFY(!parseText(jingle(QStringLiteral("content-remove"),
                              QStringLiteral("<content creator='initiator' name='a b'/>"))));
    QVERIFY(!parseText(
        jingle(QStringLiteral("transport-info"),
               QStringLiteral("<content creator='initiator' name='a'>"
                              "<transport xmlns='urn:xmpp:jingle:transports:ice-udp:1' pwd='a&#10;b'/>"
                              "</content>"))));
    QVERIFY(!parseText(
        jingle(QStringLiteral("transport-info"),
               QStringLiteral("<content creator='initiator' name='a'>"
                              "<transport xmlns='urn:xmpp:jingle:transports:ice-udp:1'>"
                              "<fingerprint xmlns='urn:xmpp:jingle:apps:dtls:0' hash='sha-256' "
                              "setup='actpass'>AB:CD&#10;a=x</fingerprint></transport></content>"))));
}

void tst_RtpDescription::unknownElementsAndTcpCandidatesAreIgnored()
{
    const QString tcp = candidateXml(QStringLiteral("192.0.2.1"), QStringLiteral("9"))
                            .replace(QStringLiteral("protocol='udp'"), QStringLiteral("protocol='tcp'"));
    const QString xml = jingle(
        QStringLiteral("session-initiate"),
        QStringLiteral("<content creator='initiator' name='audio'>"
                       "<description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'>%1"
                       "<encryption required='0'/><bandwidth type='AS'>64</bandwidth><x xmlns='urn:example'/>"
                       "</description>"
                       "<transport xmlns='urn:xmpp:jingle:transports:ice-udp:1' ufrag='abcd' "
                       "pwd='abcdefghijklmnopqrstuv'>"
                       "%2%3<remote-candidate component='1' ip='192.0.2.5' port='4'/></transport>"
                       "<security xmlns='urn:example'/></content><y xmlns='urn:example'/>")
            .arg(OpusXml, tcp, candidateXml(QStringLiteral("192.0.2.1"), QStringLiteral("10"))));
    QString why;
    const auto read = parseText(xml, &why);
    QVERIFY2(read, qPrintable(why));
    const RtpContent &content = read->session.contents.first();
    QCOMPARE(content.payloadTypes.size(), 1);
    QCOMPARE(content.transport->candidates.size(), 1);
    QCOMPARE(content.transport->candidates.first().port, quint16(10));
}

void tst_RtpDescription::bundleNamingAnUnknownContentIsRefused()
{
    const QString group = QStringLiteral("<group xmlns='urn:xmpp:jingle:apps:grouping:0' semantics='BUNDLE'>"
                                         "<content name='audio'/><content name='%1'/></group>");
    QVERIFY(!parseText(jingle(QStringLiteral("session-initiate"),
                              audioContentXml(OpusXml, {}) + group.arg(QStringLiteral("video")))));
    // Other semantics (lip sync) are not ours to read.
    const auto read = parseText(
        jingle(QStringLiteral("session-initiate"),
               audioContentXml(OpusXml, {}) + QStringLiteral("<group xmlns='urn:xmpp:jingle:apps:grouping:0' "
                                                             "semantics='LS'><content name='x'/></group>")));
    QVERIFY(read);
    QVERIFY(read->session.bundle.isEmpty());
}

void tst_RtpDescription::callsAreToldApartFromFileOffers()
{
    QDomDocument document;
    QVERIFY(isRtpSessionInitiate(parseXml(ConversationsInitiate, document)));
    QVERIFY(isRtpSessionInitiate(parseXml(DinoInitiate, document)));
    // Malformed calls still go to the call service, which answers them.
    QVERIFY(
        isRtpSessionInitiate(parseXml(jingle(QStringLiteral("session-initiate"),
                                             audioContentXml(QStringLiteral("<payload-type id='500'/>"), {})),
                                      document)));
    QVERIFY(!isRtpSessionInitiate(parseXml(
        jingle(QStringLiteral("session-initiate"),
               QStringLiteral("<content creator='initiator' name='file' senders='initiator'>"
                              "<description xmlns='urn:xmpp:jingle:apps:file-transfer:5'><file><name>a</name>"
                              "</file></description></content>")),
        document)));
    QVERIFY(!isRtpSessionInitiate(
        parseXml(jingle(QStringLiteral("session-accept"), audioContentXml(OpusXml, {})), document)));
    QVERIFY(!isRtpSessionInitiate(parseXml(jingle(QStringLiteral("session-initiate"), {}), document)));
}

QTEST_GUILESS_MAIN(tst_RtpDescription)
#include "tst_rtpdescription.moc"
