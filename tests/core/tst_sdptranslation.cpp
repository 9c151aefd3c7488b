// SPDX-License-Identifier: GPL-3.0-or-later
// Jingle to SDP and back for webrtcbin: a description survives the trip for both writers and every senders
// value, the offers and answers webrtcbin 1.26 writes are read as meant, directions follow the writer,
// rejected m-lines stay out, and candidate lines are read as libnice writes them and refused when malformed.
#include "calls/SdpTranslation.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace Natter::Core::Calls;

Q_DECLARE_METATYPE(Natter::Core::Calls::Party)

namespace {

QString crlf(const QString &text)
{
    QString lines = text.trimmed();
    lines.replace(u'\n', QStringLiteral("\r\n"));
    return lines + QStringLiteral("\r\n");
}

// Written by webrtcbin 1.26.2 (bundle-policy max-bundle; Opus pt 111 and VP8 pt 96 transceivers).
const QString WebrtcbinOffer = crlf(QStringLiteral(R"(
v=0
o=- 6240866615954257153 0 IN IP4 0.0.0.0
s=-
t=0 0
a=ice-options:trickle
a=group:BUNDLE audio0 video1
m=audio 9 UDP/TLS/RTP/SAVPF 111
c=IN IP4 0.0.0.0
a=setup:actpass
a=ice-ufrag:oMmSB8+gVrGjE2Gn6Iqb1+5hkog2wvHZ
a=ice-pwd:kf+wBadOYx3yze2BOHu8nl7heZVhY/09
a=rtcp-mux
a=rtcp-rsize
a=sendrecv
a=rtpmap:111 OPUS/48000/2
a=rtcp-fb:111 transport-cc
a=fmtp:111 sprop-stereo=0;sprop-maxcapturerate=48000
a=ssrc:3902897144 msid:user3625990087@host-437aff49 webrtctransceiver0
a=ssrc:3902897144 cname:user3625990087@host-437aff49
a=mid:audio0
a=fingerprint:sha-256 A7:D5:34:DB:72:2F:58:84:A2:C3:95:B1:8C:62:9C:9B:40:E3:FE:AB:F5:7C:56:19:95:FD:0B:C6:AC:8D:01:67
a=rtcp-mux-only
m=video 0 UDP/TLS/RTP/SAVPF 96
c=IN IP4 0.0.0.0
a=setup:actpass
a=ice-ufrag:oMmSB8+gVrGjE2Gn6Iqb1+5hkog2wvHZ
a=ice-pwd:kf+wBadOYx3yze2BOHu8nl7heZVhY/09
a=bundle-only
a=rtcp-mux
a=rtcp-rsize
a=sendrecv
a=rtpmap:96 VP8/90000
a=rtcp-fb:96 nack pli
a=rtcp-fb:96 ccm fir
a=rtcp-fb:96 transport-cc
a=framerate:30
a=ssrc:1844568463 msid:user3625990087@host-437aff49 webrtctransceiver1
a=ssrc:1844568463 cname:user3625990087@host-437aff49
a=mid:video1
a=fingerprint:sha-256 A7:D5:34:DB:72:2F:58:84:A2:C3:95:B1:8C:62:9C:9B:40:E3:FE:AB:F5:7C:56:19:95:FD:0B:C6:AC:8D:01:67
a=rtcp-mux-only
)"));

// webrtcbin 1.26.2's answer to that offer.
const QString WebrtcbinAnswer = crlf(QStringLiteral(R"(
v=0
o=- 6240866615954257153 0 IN IP4 0.0.0.0
s=-
t=0 0
a=ice-options:trickle
a=group:BUNDLE audio0 video1
m=audio 9 UDP/TLS/RTP/SAVPF 111
c=IN IP4 0.0.0.0
a=ice-ufrag:ZA+XHqVdb4r8F/zxh8T98mkMK3kBaFhv
a=ice-pwd:7+cHwLGPR2Erpb8v2wOds/2oU2M4QQbM
a=rtcp-mux
a=mid:audio0
a=setup:active
a=rtpmap:111 OPUS/48000/2
a=rtcp-fb:111 transport-cc
a=fmtp:111 sprop-stereo=0;sprop-maxcapturerate=48000
a=ssrc:598555896 msid:user3026399545@host-18b00e93 webrtctransceiver2
a=ssrc:598555896 cname:user3026399545@host-18b00e93
a=sendrecv
a=fingerprint:sha-256 A7:D5:34:DB:72:2F:58:84:A2:C3:95:B1:8C:62:9C:9B:40:E3:FE:AB:F5:7C:56:19:95:FD:0B:C6:AC:8D:01:67
m=video 9 UDP/TLS/RTP/SAVPF 96
c=IN IP4 0.0.0.0
a=ice-ufrag:ZA+XHqVdb4r8F/zxh8T98mkMK3kBaFhv
a=ice-pwd:7+cHwLGPR2Erpb8v2wOds/2oU2M4QQbM
a=rtcp-mux
a=mid:video1
a=setup:active
a=rtpmap:96 VP8/90000
a=rtcp-fb:96 nack pli
a=rtcp-fb:96 ccm fir
a=rtcp-fb:96 transport-cc
a=framerate:30
a=ssrc:2107347692 msid:user3026399545@host-18b00e93 webrtctransceiver3
a=ssrc:2107347692 cname:user3026399545@host-18b00e93
a=sendrecv
a=fingerprint:sha-256 A7:D5:34:DB:72:2F:58:84:A2:C3:95:B1:8C:62:9C:9B:40:E3:FE:AB:F5:7C:56:19:95:FD:0B:C6:AC:8D:01:67
)"));

const QString Fingerprint256 = QStringLiteral(
    "A7:D5:34:DB:72:2F:58:84:A2:C3:95:B1:8C:62:9C:9B:40:E3:FE:AB:F5:7C:56:19:95:FD:0B:C6:AC:8D:01:67");

// The shape of an m-line the hand-written SDPs below vary.
QString minimalSdp(const QString &sessionLines, const QString &mediaLines)
{
    return crlf(
        QStringLiteral("v=0\no=- 1 2 IN IP4 0.0.0.0\ns=-\nt=0 0\n") + sessionLines +
        QStringLiteral("m=audio 9 UDP/TLS/RTP/SAVPF 111\nc=IN IP4 0.0.0.0\na=rtpmap:111 opus/48000/2\n") +
        mediaLines);
}

const QString MediaTransport = QStringLiteral("a=mid:0\na=ice-ufrag:abcd\na=ice-pwd:abcdefghijklmnopqrstuv\n"
                                              "a=fingerprint:sha-256 %1\na=setup:actpass\n")
                                   .arg(Fingerprint256);

IceCandidate candidate(const QString &foundation, const QString &ip, quint16 port)
{
    IceCandidate candidate;
    candidate.foundation = foundation;
    candidate.ip = ip;
    candidate.port = port;
    candidate.priority = 2015363327;
    candidate.type = QStringLiteral("host");
    return candidate;
}

RtpContent audioContent(const QString &senders)
{
    RtpContent audio;
    audio.name = QStringLiteral("audio0");
    audio.senders = senders;
    audio.media = QStringLiteral("audio");
    PayloadType opus;
    opus.id = 111;
    opus.name = QStringLiteral("opus");
    opus.clockrate = 48000;
    opus.channels = 2;
    opus.ptime = 20;
    opus.maxptime = 60;
    opus.parameters = {{QStringLiteral("minptime"), QStringLiteral("10")},
                       {QStringLiteral("useinbandfec"), QStringLiteral("1")}};
    opus.feedback = {{QStringLiteral("transport-cc"), {}}};
    PayloadType dtmf;
    dtmf.id = 101;
    dtmf.name = QStringLiteral("telephone-event");
    dtmf.clockrate = 8000;
    dtmf.ptime = 20;
    dtmf.maxptime = 60;
    dtmf.parameters = {{QStringLiteral("0-15"), {}}};
    audio.payloadTypes = {opus, dtmf};
    audio.feedback = {{QStringLiteral("nack"), {}}};
    audio.headerExtensions = {
        {1, QStringLiteral("urn:ietf:params:rtp-hdrext:ssrc-audio-level"), {}},
        {3, QStringLiteral("urn:ietf:params:rtp-hdrext:sdes:mid"), QStringLiteral("responder")},
        {4, QStringLiteral("urn:ietf:params:rtp-hdrext:toffset"), QStringLiteral("none")}};
    audio.extmapAllowMixed = true;
    audio.rtcpMux = true;
    audio.sources = {{3902897144,
                      {{QStringLiteral("cname"), QStringLiteral("user@host")},
                       {QStringLiteral("msid"), QStringLiteral("stream0 track0")}}}};
    IceCandidate srflx = candidate(QStringLiteral("2"), QStringLiteral("203.0.113.7"), 40000);
    srflx.type = QStringLiteral("srflx");
    srflx.relAddr = QStringLiteral("192.0.2.2");
    srflx.relPort = 35544;
    srflx.generation = 1;
    srflx.network = 3;
    audio.transport =
        IceTransport{QStringLiteral("oMmSB8+gVrGjE2Gn"),
                     QStringLiteral("kf+wBadOYx3yze2BOHu8nl7heZVhY/09"),
                     Fingerprint{QStringLiteral("sha-256"), QStringLiteral("actpass"), Fingerprint256},
                     {candidate(QStringLiteral("1"), QStringLiteral("192.0.2.2"), 35544), srflx,
                      candidate(QStringLiteral("3"), QStringLiteral("fd00::2"), 56525)}};
    return audio;
}

RtpContent videoContent(const QString &senders)
{
    RtpContent video;
    video.name = QStringLiteral("video1");
    video.senders = senders;
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
    video.payloadTypes = {vp8, rtx};
    video.feedback = {{QStringLiteral("goog-remb"), {}}};
    video.rtcpMux = true;
    video.sources = {{1844568463, {{QStringLiteral("cname"), QStringLiteral("x")}}},
                     {386328120, {{QStringLiteral("cname"), QStringLiteral("x")}}}};
    video.sourceGroups = {{QStringLiteral("FID"), {1844568463, 386328120}}};
    video.transport =
        IceTransport{QStringLiteral("Xb+O4a6N"),
                     QStringLiteral("oTEigAWG3YfybfcAKZL8pESu"),
                     Fingerprint{QStringLiteral("sha-256"), QStringLiteral("actpass"), Fingerprint256},
                     {}};
    return video;
}

// Jingle candidate ids have no SDP counterpart: the reader makes new ones.
RtpSession withIdsOf(RtpSession read, const RtpSession &original)
{
    for (qsizetype c = 0; c < read.contents.size() && c < original.contents.size(); ++c) {
        auto &candidates = read.contents[c].transport->candidates;
        const auto &originals = original.contents[c].transport->candidates;
        for (qsizetype i = 0; i < candidates.size() && i < originals.size(); ++i) {
            if (!candidates[i].id.isEmpty())
                candidates[i].id = originals[i].id;
        }
    }
    return read;
}

bool sdpIsRead(const QString &sdp)
{
    return fromSdp(sdp, Party::Initiator).has_value();
}

} // namespace

class tst_SdpTranslation : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void jingleSurvivesTheTripThroughSdp_data();
    void jingleSurvivesTheTripThroughSdp();
    void directionIsTheWritersView_data();
    void directionIsTheWritersView();
    void writtenSdpHasWebrtcbinsShape();
    void webrtcbinOfferIsRead();
    void webrtcbinAnswerIsRead();
    void sessionLevelAttributesApplyToEveryMedia();
    void rejectedMediaIsLeftOut();
    void h264FormatsKeepTheirParameters();
    void contentWithoutPayloadTypesIsWrittenRejected();
    void sdpCandidatesAreRead();
    void sdpLackingWhatACallNeedsIsRefused();
    void malformedSdpIsRefused();
    void candidateLinesAreRead();
    void tcpCandidatesAreNotIceUdps();
    void malformedCandidateLinesAreRefused();
    void candidateIdsAreUniqueAndShort();
    void candidatesAreWrittenAsLibniceReadsThem();
};

void tst_SdpTranslation::jingleSurvivesTheTripThroughSdp_data()
{
    QTest::addColumn<Party>("writer");
    QTest::addColumn<QString>("senders");
    for (const Party writer : {Party::Initiator, Party::Responder}) {
        for (const QString &senders : {QStringLiteral("both"), QStringLiteral("initiator"),
                                       QStringLiteral("responder"), QStringLiteral("none")}) {
            const QByteArray name =
                (writer == Party::Initiator ? "initiator writes, senders " : "responder writes, senders ") +
                senders.toLatin1();
            QTest::newRow(name.constData()) << writer << senders;
        }
    }
}

void tst_SdpTranslation::jingleSurvivesTheTripThroughSdp()
{
    QFETCH(Party, writer);
    QFETCH(QString, senders);
    RtpSession session;
    session.contents = {audioContent(senders), videoContent(senders)};
    session.bundle = {QStringLiteral("audio0"), QStringLiteral("video1")};

    QString why;
    const auto read = fromSdp(toSdp(session, writer, 42), writer, &why);
    QVERIFY2(read, qPrintable(why));
    QCOMPARE(withIdsOf(*read, session), session);
}

void tst_SdpTranslation::directionIsTheWritersView_data()
{
    QTest::addColumn<Party>("writer");
    QTest::addColumn<QString>("senders");
    QTest::addColumn<QString>("direction");
    QTest::newRow("both") << Party::Initiator << QStringLiteral("both") << QStringLiteral("a=sendrecv");
    QTest::newRow("none") << Party::Responder << QStringLiteral("none") << QStringLiteral("a=inactive");
    QTest::newRow("initiator sends, initiator writes")
        << Party::Initiator << QStringLiteral("initiator") << QStringLiteral("a=sendonly");
    QTest::newRow("initiator sends, responder writes")
        << Party::Responder << QStringLiteral("initiator") << QStringLiteral("a=recvonly");
    QTest::newRow("responder sends, initiator writes")
        << Party::Initiator << QStringLiteral("responder") << QStringLiteral("a=recvonly");
    QTest::newRow("responder sends, responder writes")
        << Party::Responder << QStringLiteral("responder") << QStringLiteral("a=sendonly");
}

void tst_SdpTranslation::directionIsTheWritersView()
{
    QFETCH(Party, writer);
    QFETCH(QString, senders);
    QFETCH(QString, direction);
    RtpSession session;
    session.contents = {audioContent(senders)};
    const QStringList lines = toSdp(session, writer).split(QStringLiteral("\r\n"));
    QVERIFY(lines.contains(direction));
    const QStringList directions = {QStringLiteral("a=sendrecv"), QStringLiteral("a=sendonly"),
                                    QStringLiteral("a=recvonly"), QStringLiteral("a=inactive")};
    QCOMPARE(
        std::count_if(lines.cbegin(), lines.cend(), [&](const QString &l) { return directions.contains(l); }),
        1);
}

void tst_SdpTranslation::writtenSdpHasWebrtcbinsShape()
{
    RtpSession session;
    session.contents = {audioContent(QStringLiteral("both")), videoContent(QStringLiteral("both"))};
    session.bundle = {QStringLiteral("audio0"), QStringLiteral("video1")};
    const QString sdp = toSdp(session, Party::Initiator, 4242);
    QVERIFY(sdp.startsWith(QStringLiteral("v=0\r\no=- 4242 2 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n")));
    QVERIFY(sdp.endsWith(QStringLiteral("\r\n")));
    QVERIFY(!sdp.contains(QStringLiteral("\n\n")));
    const QStringList lines = sdp.split(QStringLiteral("\r\n"));
    const QStringList expected = {
        QStringLiteral("a=group:BUNDLE audio0 video1"),
        QStringLiteral("m=audio 9 UDP/TLS/RTP/SAVPF 111 101"),
        QStringLiteral("c=IN IP4 0.0.0.0"),
        QStringLiteral("a=mid:audio0"),
        QStringLiteral("a=ice-ufrag:oMmSB8+gVrGjE2Gn"),
        QStringLiteral("a=ice-pwd:kf+wBadOYx3yze2BOHu8nl7heZVhY/09"),
        QStringLiteral("a=fingerprint:sha-256 ") + Fingerprint256,
        QStringLiteral("a=setup:actpass"),
        QStringLiteral("a=sendrecv"),
        QStringLiteral("a=rtcp-mux"),
        QStringLiteral("a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level"),
        QStringLiteral("a=extmap:3/recvonly urn:ietf:params:rtp-hdrext:sdes:mid"),
        QStringLiteral("a=extmap:4/inactive urn:ietf:params:rtp-hdrext:toffset"),
        QStringLiteral("a=extmap-allow-mixed"),
        QStringLiteral("a=rtpmap:111 opus/48000/2"),
        QStringLiteral("a=fmtp:111 minptime=10;useinbandfec=1"),
        QStringLiteral("a=rtcp-fb:111 transport-cc"),
        QStringLiteral("a=rtpmap:101 telephone-event/8000"),
        QStringLiteral("a=fmtp:101 0-15"),
        QStringLiteral("a=rtcp-fb:* nack"),
        QStringLiteral("a=ptime:20"),
        QStringLiteral("a=maxptime:60"),
        QStringLiteral("a=ssrc:3902897144 cname:user@host"),
        QStringLiteral("a=ssrc:3902897144 msid:stream0 track0"),
        QStringLiteral("a=candidate:1 1 UDP 2015363327 192.0.2.2 35544 typ host generation 0"),
        QStringLiteral(
            "a=candidate:2 1 UDP 2015363327 203.0.113.7 40000 typ srflx raddr 192.0.2.2 rport 35544 "
            "generation 1 network-id 3"),
        QStringLiteral("m=video 9 UDP/TLS/RTP/SAVPF 96 97"),
        QStringLiteral("a=rtpmap:96 VP8/90000"),
        QStringLiteral("a=rtcp-fb:96 nack pli"),
        QStringLiteral("a=rtcp-fb:96 ccm fir"),
        QStringLiteral("a=fmtp:97 apt=96"),
        QStringLiteral("a=rtcp-fb:* goog-remb"),
        QStringLiteral("a=ssrc-group:FID 1844568463 386328120"),
    };
    for (const QString &line : expected)
        QVERIFY2(lines.contains(line), qPrintable(line));
    QVERIFY(lines.indexOf(QStringLiteral("a=mid:audio0")) <
            lines.indexOf(QStringLiteral("m=video 9 UDP/TLS/RTP/SAVPF 96 97")));
}

void tst_SdpTranslation::webrtcbinOfferIsRead()
{
    QString why;
    const auto read = fromSdp(WebrtcbinOffer, Party::Initiator, &why);
    QVERIFY2(read, qPrintable(why));
    QCOMPARE(read->bundle, QStringList({QStringLiteral("audio0"), QStringLiteral("video1")}));
    // The bundled video has port 0 with a=bundle-only: it is not rejected.
    QCOMPARE(read->contents.size(), 2);

    const RtpContent &audio = read->contents.at(0);
    QCOMPARE(audio.name, QStringLiteral("audio0"));
    QCOMPARE(audio.creator, QStringLiteral("initiator"));
    QCOMPARE(audio.media, QStringLiteral("audio"));
    QCOMPARE(audio.senders, QStringLiteral("both"));
    QVERIFY(audio.rtcpMux);
    QCOMPARE(audio.payloadTypes.size(), 1);
    const PayloadType &opus = audio.payloadTypes.first();
    QCOMPARE(opus.id, quint8(111));
    QCOMPARE(opus.name, QStringLiteral("OPUS"));
    QCOMPARE(opus.clockrate, 48000u);
    QCOMPARE(opus.channels, quint8(2));
    QCOMPARE(opus.parameters,
             Parameters({{QStringLiteral("sprop-stereo"), QStringLiteral("0")},
                         {QStringLiteral("sprop-maxcapturerate"), QStringLiteral("48000")}}));
    QCOMPARE(opus.feedback, QList<RtcpFeedback>({{QStringLiteral("transport-cc"), {}}}));
    QCOMPARE(audio.sources.size(), 1);
    QCOMPARE(audio.sources.first().ssrc, 3902897144u);
    QCOMPARE(audio.sources.first().parameters,
             Parameters(
                 {{QStringLiteral("msid"), QStringLiteral("user3625990087@host-437aff49 webrtctransceiver0")},
                  {QStringLiteral("cname"), QStringLiteral("user3625990087@host-437aff49")}}));
    QVERIFY(audio.transport);
    QCOMPARE(audio.transport->ufrag, QStringLiteral("oMmSB8+gVrGjE2Gn6Iqb1+5hkog2wvHZ"));
    QCOMPARE(audio.transport->pwd, QStringLiteral("kf+wBadOYx3yze2BOHu8nl7heZVhY/09"));
    QCOMPARE(audio.transport->fingerprint,
             Fingerprint({QStringLiteral("sha-256"), QStringLiteral("actpass"), Fingerprint256}));
    QVERIFY(audio.transport->candidates.isEmpty());

    const RtpContent &video = read->contents.at(1);
    QCOMPARE(video.name, QStringLiteral("video1"));
    QCOMPARE(video.payloadTypes.first().name, QStringLiteral("VP8"));
    QCOMPARE(video.payloadTypes.first().feedback,
             QList<RtcpFeedback>({{QStringLiteral("nack"), QStringLiteral("pli")},
                                  {QStringLiteral("ccm"), QStringLiteral("fir")},
                                  {QStringLiteral("transport-cc"), {}}}));
}

void tst_SdpTranslation::webrtcbinAnswerIsRead()
{
    QString why;
    const auto read = fromSdp(WebrtcbinAnswer, Party::Responder, &why);
    QVERIFY2(read, qPrintable(why));
    QCOMPARE(read->contents.size(), 2);
    for (const RtpContent &content : read->contents) {
        QCOMPARE(content.senders, QStringLiteral("both"));
        QCOMPARE(content.transport->fingerprint->setup, QStringLiteral("active"));
        QCOMPARE(content.transport->ufrag, QStringLiteral("ZA+XHqVdb4r8F/zxh8T98mkMK3kBaFhv"));
    }
    QCOMPARE(read->contents.at(1).sources.first().ssrc, 2107347692u);
}

void tst_SdpTranslation::sessionLevelAttributesApplyToEveryMedia()
{
    const QString sessionLines =
        QStringLiteral("a=ice-ufrag:sess\na=ice-pwd:sessionpasswordsessionpass\n"
                       "a=fingerprint:sha-256 %1\na=setup:passive\na=extmap-allow-mixed\n"
                       "a=recvonly\n")
            .arg(Fingerprint256.toLower());
    const QString sdp =
        minimalSdp(sessionLines, QStringLiteral("a=mid:a\n") +
                                     QStringLiteral("m=video 9 UDP/TLS/RTP/SAVPF 96\n"
                                                    "a=rtpmap:96 VP8/90000\na=mid:v\n"
                                                    "a=ice-ufrag:own1\na=setup:active\na=sendrecv\n"));
    QString why;
    const auto read = fromSdp(sdp, Party::Responder, &why);
    QVERIFY2(read, qPrintable(why));
    QCOMPARE(read->contents.size(), 2);
    const RtpContent &audio = read->contents.at(0);
    QCOMPARE(audio.transport->ufrag, QStringLiteral("sess"));
    QCOMPARE(audio.transport->fingerprint->value, Fingerprint256);
    QCOMPARE(audio.transport->fingerprint->setup, QStringLiteral("passive"));
    QCOMPARE(audio.senders, QStringLiteral("initiator"));
    QVERIFY(audio.extmapAllowMixed);
    const RtpContent &video = read->contents.at(1);
    QCOMPARE(video.transport->ufrag, QStringLiteral("own1"));
    QCOMPARE(video.transport->pwd, QStringLiteral("sessionpasswordsessionpass"));
    QCOMPARE(video.transport->fingerprint->setup, QStringLiteral("active"));
    QCOMPARE(video.senders, QStringLiteral("both"));
}

void tst_SdpTranslation::rejectedMediaIsLeftOut()
{
    QString answer = WebrtcbinAnswer;
    answer.replace(QStringLiteral("m=video 9 "), QStringLiteral("m=video 0 "));
    const auto read = fromSdp(answer, Party::Responder);
    QVERIFY(read);
    QCOMPARE(read->contents.size(), 1);
    QCOMPARE(read->contents.first().name, QStringLiteral("audio0"));
    QCOMPARE(read->bundle, QStringList({QStringLiteral("audio0")}));

    QString allRejected = answer;
    allRejected.replace(QStringLiteral("m=audio 9 "), QStringLiteral("m=audio 0 "));
    QVERIFY(!fromSdp(allRejected, Party::Responder));
}

// Natter's own offers list VP8 and then H.264 with its fmtp; the peer picks by profile and packetization.
void tst_SdpTranslation::h264FormatsKeepTheirParameters()
{
    QString offer = WebrtcbinOffer;
    offer.replace(QStringLiteral("m=video 0 UDP/TLS/RTP/SAVPF 96\r\n"),
                  QStringLiteral("m=video 0 UDP/TLS/RTP/SAVPF 96 97\r\n"));
    offer.replace(QStringLiteral("a=framerate:30\r\n"),
                  QStringLiteral("a=rtpmap:97 H264/90000\r\na=rtcp-fb:97 nack pli\r\n"
                                 "a=fmtp:97 packetization-mode=1;profile-level-id=42e01f;"
                                 "level-asymmetry-allowed=1\r\n"));
    QString why;
    const auto read = fromSdp(offer, Party::Initiator, &why);
    QVERIFY2(read, qPrintable(why));
    const QList<PayloadType> &video = read->contents.at(1).payloadTypes;
    QCOMPARE(video.size(), 2);
    QCOMPARE(video.at(1).name, QStringLiteral("H264"));
    QCOMPARE(video.at(1).parameters,
             Parameters({{QStringLiteral("packetization-mode"), QStringLiteral("1")},
                         {QStringLiteral("profile-level-id"), QStringLiteral("42e01f")},
                         {QStringLiteral("level-asymmetry-allowed"), QStringLiteral("1")}}));

    const QString written = toSdp(*read, Party::Initiator);
    QVERIFY2(written.contains(QStringLiteral("m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\n")), qPrintable(written));
    QVERIFY2(written.contains(QStringLiteral("a=rtpmap:97 H264/90000\r\n")), qPrintable(written));
    QVERIFY2(written.contains(QStringLiteral(
                 "a=fmtp:97 packetization-mode=1;profile-level-id=42e01f;level-asymmetry-allowed=1\r\n")),
             qPrintable(written));
}

void tst_SdpTranslation::contentWithoutPayloadTypesIsWrittenRejected()
{
    RtpSession session;
    session.contents = {audioContent(QStringLiteral("both")), videoContent(QStringLiteral("both"))};
    session.contents[1].payloadTypes.clear();
    const QString sdp = toSdp(session, Party::Responder);
    QVERIFY(sdp.contains(QStringLiteral("\r\nm=video 0 UDP/TLS/RTP/SAVPF 0\r\n")));
    const auto read = fromSdp(sdp, Party::Responder);
    QVERIFY(read);
    QCOMPARE(read->contents.size(), 1);
}

void tst_SdpTranslation::sdpCandidatesAreRead()
{
    const QString sdp = minimalSdp(
        {},
        MediaTransport + QStringLiteral("a=candidate:1 1 UDP 2015363327 192.0.2.2 35544 typ host\n"
                                        "a=candidate:2 1 TCP 1015021823 192.0.2.2 9 typ host tcptype active\n"
                                        "a=candidate:4 1 udp 1686052607 203.0.113.7 40000 typ srflx raddr "
                                        "192.0.2.2 rport 35544 generation 0\n"
                                        "a=end-of-candidates\n"));
    const auto read = fromSdp(sdp, Party::Initiator);
    QVERIFY(read);
    const auto &candidates = read->contents.first().transport->candidates;
    QCOMPARE(candidates.size(), 2);
    QCOMPARE(candidates.at(0).foundation, QStringLiteral("1"));
    QCOMPARE(candidates.at(1).relAddr, QStringLiteral("192.0.2.2"));
    QVERIFY(candidates.at(0).id != candidates.at(1).id);
}

void tst_SdpTranslation::sdpLackingWhatACallNeedsIsRefused()
{
    QString why;
    QVERIFY(sdpIsRead(minimalSdp({}, MediaTransport)));
    QVERIFY(!fromSdp(minimalSdp({}, QString(MediaTransport).remove(QStringLiteral("a=mid:0\n"))),
                     Party::Initiator, &why));
    QVERIFY(why.contains(QStringLiteral("mid")));
    QVERIFY(!sdpIsRead(minimalSdp({}, QString(MediaTransport).remove(QStringLiteral("a=ice-ufrag:abcd\n")))));
    QVERIFY(!sdpIsRead(minimalSdp(
        {}, QString(MediaTransport).remove(QStringLiteral("a=ice-pwd:abcdefghijklmnopqrstuv\n")))));
    QVERIFY(!sdpIsRead(minimalSdp({}, QString(MediaTransport).remove(QStringLiteral("a=setup:actpass\n")))));
    QString noFingerprint = MediaTransport;
    noFingerprint.remove(QRegularExpression(QStringLiteral("a=fingerprint:[^\n]*\n")));
    QVERIFY(!sdpIsRead(minimalSdp({}, noFingerprint)));
    // Only audio and video RTP make a call: a data channel alone is nothing to us.
    QVERIFY(!sdpIsRead(crlf(QStringLiteral("v=0\no=- 1 2 IN IP4 0.0.0.0\ns=-\nt=0 0\n"
                                           "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\n"))));
}

void tst_SdpTranslation::malformedSdpIsRefused()
{
    const QString good = minimalSdp({}, MediaTransport);
    QVERIFY(!sdpIsRead(QString()));
    QVERIFY(!sdpIsRead(QStringLiteral("hello")));
    QVERIFY(!sdpIsRead(QString(good).replace(QStringLiteral("v=0"), QStringLiteral("v=1"))));
    QVERIFY(!sdpIsRead(good + QStringLiteral("garbage\r\n")));
    QVERIFY(!sdpIsRead(QString(good).replace(QStringLiteral("opus/48000/2"), QStringLiteral("opus/fast/2"))));
    QVERIFY(
        !sdpIsRead(QString(good).replace(QStringLiteral("opus/48000/2"), QStringLiteral("opus/48000/0"))));
    QVERIFY(!sdpIsRead(
        QString(good).replace(QStringLiteral("a=rtpmap:111 opus/48000/2"), QStringLiteral("a=x"))));
    QVERIFY(!sdpIsRead(QString(good).replace(QStringLiteral("SAVPF 111"), QStringLiteral("SAVPF 111 128"))));
    QVERIFY(!sdpIsRead(QString(good).replace(QStringLiteral("m=audio 9"), QStringLiteral("m=audio 70000"))));
    QVERIFY(!sdpIsRead(good + QStringLiteral("a=candidate:1 1 UDP 1 192.0.2.300 9 typ host\r\n")));
    QVERIFY(!sdpIsRead(good + QStringLiteral("a=fmtp:111 a=1;b c=2\r\n")));
    QVERIFY(!sdpIsRead(good + QStringLiteral("a=extmap:0 urn:x\r\n")));
    QVERIFY(!sdpIsRead(good + QStringLiteral("a=ssrc:abc cname:x\r\n")));
    QVERIFY(!sdpIsRead(good + QStringLiteral("a=ice-ufrag:a b\r\n")));
    QVERIFY(!sdpIsRead(good + QStringLiteral("a=fingerprint:sha-256 AB:CD\r\n")));
    QVERIFY(!sdpIsRead(good + crlf(QStringLiteral("m=audio 9 UDP/TLS/RTP/SAVPF 0\n") + MediaTransport)));

    QString tooMany = good;
    for (int i = 0; i < 8; ++i)
        tooMany += QStringLiteral("m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:x%1\r\n").arg(i);
    QVERIFY(!sdpIsRead(tooMany));
    QVERIFY(!sdpIsRead(good + QStringLiteral("a=x:%1\r\n").arg(QString(300'000, u'a'))));
    // Attributes we do not know are ignored.
    QVERIFY(sdpIsRead(good + QStringLiteral("a=rtcp-rsize\r\na=framerate:30\r\nb=AS:64\r\n")));
}

void tst_SdpTranslation::candidateLinesAreRead()
{
    auto host = candidateFromSdp(QStringLiteral("candidate:1 1 UDP 2015363327 192.0.2.2 35544 typ host"));
    QVERIFY(host);
    QCOMPARE(host->foundation, QStringLiteral("1"));
    QCOMPARE(host->component, quint8(1));
    QCOMPARE(host->protocol, QStringLiteral("udp"));
    QCOMPARE(host->priority, 2015363327u);
    QCOMPARE(host->ip, QStringLiteral("192.0.2.2"));
    QCOMPARE(host->port, quint16(35544));
    QCOMPARE(host->type, QStringLiteral("host"));
    QVERIFY(host->relAddr.isEmpty());

    const auto relay =
        candidateFromSdp(QStringLiteral("candidate:842163049 1 udp 41885439 198.51.100.9 61480 typ relay "
                                        "raddr 203.0.113.7 rport 40000 generation 2 "
                                        "ufrag EEtu network-id 3 network-cost 10 some-future-thing 1"));
    QVERIFY(relay);
    QCOMPARE(relay->type, QStringLiteral("relay"));
    QCOMPARE(relay->relAddr, QStringLiteral("203.0.113.7"));
    QCOMPARE(relay->relPort, quint16(40000));
    QCOMPARE(relay->generation, 2u);
    QCOMPARE(relay->network, 3u);

    const auto prefixed =
        candidateFromSdp(QStringLiteral("a=candidate:7 2 Udp 2015363839 fe80::fc:ff:fe00:1 46265 typ host"));
    QVERIFY(prefixed);
    QCOMPARE(prefixed->component, quint8(2));
    QCOMPARE(prefixed->ip, QStringLiteral("fe80::fc:ff:fe00:1"));
}

void tst_SdpTranslation::tcpCandidatesAreNotIceUdps()
{
    // Well-formed, but ICE-UDP cannot carry them (it has no tcptype).
    QVERIFY(!candidateFromSdp(
        QStringLiteral("candidate:2 1 TCP 1015021823 192.0.2.2 9 typ host tcptype active")));
    QVERIFY(!candidateFromSdp(
        QStringLiteral("candidate:3 1 TCP 1010827519 192.0.2.2 32945 typ host tcptype passive")));
}

void tst_SdpTranslation::malformedCandidateLinesAreRefused()
{
    const QStringList lines = {
        QString(),
        QStringLiteral("candidate:"),
        QStringLiteral("1 1 UDP 2015363327 192.0.2.2 35544 typ host"),
        QStringLiteral("candidate:1 1 UDP 2015363327 192.0.2.2 35544 host"),
        QStringLiteral("candidate:1 1 UDP 2015363327 192.0.2.2 35544 typ bogus"),
        QStringLiteral("candidate:1 1 SCTP 2015363327 192.0.2.2 35544 typ host"),
        QStringLiteral("candidate:1 1 UDP 2015363327 192.0.2.256 35544 typ host"),
        QStringLiteral("candidate:1 1 UDP 2015363327 abc.local 35544 typ host"),
        QStringLiteral("candidate:1 1 UDP 2015363327 192.0.2.2 65536 typ host"),
        QStringLiteral("candidate:1 1 UDP 2015363327 192.0.2.2 0 typ host"),
        QStringLiteral("candidate:1 0 UDP 2015363327 192.0.2.2 35544 typ host"),
        QStringLiteral("candidate:1 1 UDP 0 192.0.2.2 35544 typ host"),
        QStringLiteral("candidate:1 1 UDP 4294967296 192.0.2.2 35544 typ host"),
        QStringLiteral("candidate:1 1 UDP 2015363327 192.0.2.2 35544 typ host generation"),
        QStringLiteral("candidate:1 1 UDP 2015363327 192.0.2.2 35544 typ srflx raddr example.org rport 1"),
        QStringLiteral("candidate:1 1 UDP 2015363327 192.0.2.2 35544 typ srflx rport 1"),
        QStringLiteral("candidate:1 1 UDP 2015363327 192.0.2.2 35544 typ host generation -1"),
        QStringLiteral("candidate:1 1 TCP 2015363327 192.0.2.2 35544 typ host tcptype sideways"),
        QStringLiteral("candidate:f\u00f6 1 UDP 2015363327 192.0.2.2 35544 typ host"),
        QStringLiteral("candidate:1 1 UDP 2015363327 192.0.2.2 35544 typ host ") + QString(2000, u'x') +
            QStringLiteral(" 1"),
    };
    for (const QString &line : lines)
        QVERIFY2(!candidateFromSdp(line), qPrintable(line));
}

void tst_SdpTranslation::candidateIdsAreUniqueAndShort()
{
    QSet<QString> ids;
    for (int i = 0; i < 200; ++i) {
        const auto candidate =
            candidateFromSdp(QStringLiteral("candidate:1 1 UDP 2015363327 192.0.2.2 35544 typ host"));
        QVERIFY(candidate);
        QVERIFY(!candidate->id.isEmpty());
        QVERIFY(candidate->id.size() <= 16);
        ids.insert(candidate->id);
    }
    QCOMPARE(ids.size(), 200);
}

void tst_SdpTranslation::candidatesAreWrittenAsLibniceReadsThem()
{
    IceCandidate srflx = candidate(QStringLiteral("2"), QStringLiteral("203.0.113.7"), 40000);
    srflx.type = QStringLiteral("srflx");
    srflx.priority = 1686052607;
    srflx.relAddr = QStringLiteral("192.0.2.2");
    srflx.relPort = 35544;
    srflx.id = QStringLiteral("jingle-id");
    QCOMPARE(
        candidateToSdp(srflx),
        QStringLiteral("candidate:2 1 UDP 1686052607 203.0.113.7 40000 typ srflx raddr 192.0.2.2 rport 35544 "
                       "generation 0"));
    auto read = candidateFromSdp(candidateToSdp(srflx));
    QVERIFY(read);
    read->id = srflx.id;
    QCOMPARE(*read, srflx);
}

QTEST_GUILESS_MAIN(tst_SdpTranslation)
#include "tst_sdptranslation.moc"
