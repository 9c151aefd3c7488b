// SPDX-License-Identifier: GPL-3.0-or-later
// MediaSession: two sessions with test sources in one process call each other over loopback, the SDP and
// candidates handed across directly. Media must flow decoded both ways over DTLS-SRTP, with and without
// BUNDLE; muting stops what is sent; a certificate other than the announced one fails the call; ending
// the calls gives back every thread and descriptor they took.
#include "LossyPath.h"
#include "calls/LossBasedBitrate.h"
#include "calls/MediaSession.h"

#include <QDir>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <functional>
#include <glib.h>
#include <gst/gst.h>
#include <gst/sdp/sdp.h>
#include <memory>
#include <mutex>
#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>

using namespace Natter::Core;
using Natter::Core::Calls::LossBasedBitrate;
using Natter::Core::Calls::MediaSession;
using Natter::Core::Calls::VideoCodec;

namespace {

constexpr int ConnectTimeoutMs = 30000;
constexpr int MediaTimeoutMs = 30000;
// Receiver reports come every second or few; the bitrate moves a step with each.
constexpr int LossTimeoutMs = 60000;
constexpr quint64 EnoughAudioBuffers = 50; // a second of 20 ms Opus frames
constexpr quint64 EnoughVideoFrames = 30;

using SdpChange = std::function<QString(const QString &)>;

QString unchanged(const QString &sdp)
{
    return sdp;
}

QString withoutBundle(const QString &sdp)
{
    QString result = sdp;
    return result.remove(QRegularExpression(QStringLiteral("a=group:BUNDLE[^\r\n]*\r?\n")));
}

QStringList midsIn(const QString &sdp)
{
    QStringList mids;
    const auto matches =
        QRegularExpression(QStringLiteral("^a=mid:(\\S+)"), QRegularExpression::MultilineOption)
            .globalMatch(sdp);
    for (const auto &match : matches)
        mids.append(match.captured(1));
    return mids;
}

// The SHA-256 fingerprint the description announces for each mid (a session-level one applies to all).
QHash<QString, QString> fingerprintsIn(const QString &sdp)
{
    static const QRegularExpression fingerprint(QStringLiteral("^a=fingerprint:sha-256 (\\S+)"),
                                                QRegularExpression::MultilineOption |
                                                    QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression mid(QStringLiteral("^a=mid:(\\S+)"), QRegularExpression::MultilineOption);
    const QStringList sections = sdp.split(QStringLiteral("\nm="));
    const QString sessionFingerprint = fingerprint.match(sections.first()).captured(1);
    QHash<QString, QString> fingerprints;
    for (const QString &media : sections.mid(1)) {
        const QString own = fingerprint.match(media).captured(1);
        fingerprints.insert(mid.match(media).captured(1), own.isEmpty() ? sessionFingerprint : own);
    }
    return fingerprints;
}

// The same description announcing a certificate nobody has: the first byte of each fingerprint changed.
QString withForeignFingerprint(const QString &sdp)
{
    QString result = sdp;
    static const QRegularExpression fingerprint(QStringLiteral("(a=fingerprint:sha-256 )([0-9A-Fa-f]{2})"));
    auto matches = fingerprint.globalMatch(sdp);
    while (matches.hasNext()) {
        const auto match = matches.next();
        const QString replacement =
            match.captured(2).compare(u"00") == 0 ? QStringLiteral("11") : QStringLiteral("00");
        result.replace(match.capturedStart(2), 2, replacement);
    }
    return result;
}

// webrtcbin writes the candidates it has gathered by then into its description.
QString withoutCandidates(const QString &sdp)
{
    static const QRegularExpression candidateLine(QStringLiteral("a=candidate:[^\r\n]*\r?\n"));
    return QString(sdp).remove(candidateLine);
}

// The encoding of the first format on the video m-line: the one the writer prefers.
QString firstVideoCodecIn(const QString &sdp)
{
    const qsizetype video = sdp.indexOf(QStringLiteral("m=video "));
    if (video < 0)
        return {};
    const QStringList fields = sdp.mid(video).section(u'\n', 0, 0).trimmed().split(u' ');
    if (fields.size() < 4)
        return {};
    const QRegularExpression rtpmap(QStringLiteral("a=rtpmap:%1 ([^/]+)/").arg(fields.at(3)));
    return rtpmap.match(sdp, video).captured(1);
}

MediaSession::Settings testSettings(bool video)
{
    MediaSession::Settings settings;
    settings.testSources = true;
    settings.video = video;
    return settings;
}

// A caller and a callee wired to each other as their signalling would: descriptions (through an optional
// change), the fingerprints they announce, and every trickled candidate.
class CallPair
{
public:
    explicit CallPair(const MediaSession::Settings &settings, SdpChange offerChange = unchanged,
                      SdpChange answerChange = unchanged)
        : CallPair(settings, settings, offerChange, answerChange)
    {}

    CallPair(const MediaSession::Settings &callerSettings, const MediaSession::Settings &calleeSettings,
             SdpChange offerChange = unchanged, SdpChange answerChange = unchanged)
        : caller(callerSettings)
        , callee(calleeSettings)
        , callerFailures(&caller, &MediaSession::failed)
        , calleeFailures(&callee, &MediaSession::failed)
    {
        QObject::connect(&caller, &MediaSession::localDescription, &callee,
                         [this, offerChange](const QString &sdp) {
                             offer = offerChange(sdp);
                             deliver(offer, callee, true);
                         });
        QObject::connect(&callee, &MediaSession::localDescription, &caller,
                         [this, answerChange](const QString &sdp) {
                             answer = answerChange(pathToCallee ? withoutCandidates(sdp) : sdp);
                             deliver(answer, caller, false);
                         });
        QObject::connect(&caller, &MediaSession::localCandidate, &callee,
                         [this](const QString &mid, const QString &candidate) {
                             if (!pathToCallee)
                                 callee.addRemoteCandidate(mid, candidate);
                         });
        QObject::connect(&callee, &MediaSession::localCandidate, &caller,
                         [this](const QString &mid, const QString &candidate) {
                             const QString rewritten =
                                 pathToCallee ? pathToCallee->rewrite(candidate) : candidate;
                             if (!rewritten.isEmpty())
                                 caller.addRemoteCandidate(mid, rewritten);
                         });
    }

    // Everything the caller sends reaches the callee through this path: the callee's candidates point at
    // its relays, and the callee learns the caller's address only from what arrives.
    void sendThrough(Natter::Test::LossyPath &path) { pathToCallee = &path; }

    void start() { caller.createOffer(); }

    bool isConnected() const
    {
        return caller.state() == MediaSession::State::Connected &&
               callee.state() == MediaSession::State::Connected;
    }

    QString failures() const
    {
        return describe(callerFailures, "caller") + describe(calleeFailures, "callee");
    }

    MediaSession caller;
    MediaSession callee;
    QSignalSpy callerFailures;
    QSignalSpy calleeFailures;
    QString offer;
    QString answer;

private:
    Natter::Test::LossyPath *pathToCallee = nullptr;

    static void deliver(const QString &sdp, MediaSession &to, bool isOffer)
    {
        to.setRemoteDescription(sdp, isOffer);
        const auto fingerprints = fingerprintsIn(sdp);
        for (auto it = fingerprints.cbegin(); it != fingerprints.cend(); ++it)
            to.expectRemoteFingerprint(it.key(), it.value());
    }

    static QString describe(const QSignalSpy &spy, const char *who)
    {
        QString text;
        for (const auto &arguments : spy) {
            const auto error = arguments.first().value<Error>();
            text += QStringLiteral("%1: %2 %3; ").arg(QLatin1String(who), error.codeName(), error.detail);
        }
        return text;
    }
};

// A peer that offers audio and video bundled on one transport (the same ICE credentials on both m-lines,
// candidates for the first only), as Conversations' contents with a Jingle <group> translate to SDP: a bare
// webrtcbin with bundle-policy max-compat. It counts the RTP packets it receives per media.
class BundlingPeer
{
public:
    BundlingPeer()
    {
        m_pipeline = gst_parse_launch(
            "webrtcbin name=webrtc bundle-policy=max-compat "
            "audiotestsrc is-live=true ! opusenc ! rtpopuspay pt=111 "
            "! application/x-rtp,media=audio,encoding-name=OPUS,clock-rate=48000,payload=111 ! webrtc. "
            "videotestsrc is-live=true ! video/x-raw,width=320,height=240,framerate=30/1 "
            "! vp8enc deadline=1 ! rtpvp8pay pt=96 "
            "! application/x-rtp,media=video,encoding-name=VP8,clock-rate=90000,payload=96 ! webrtc.",
            nullptr);
        m_webrtc = gst_bin_get_by_name(GST_BIN(m_pipeline), "webrtc");
        g_signal_connect(m_webrtc, "on-ice-candidate", G_CALLBACK(&BundlingPeer::onCandidate), this);
        g_signal_connect(m_webrtc, "pad-added", G_CALLBACK(&BundlingPeer::onPadAdded), this);
        gst_element_set_state(m_pipeline, GST_STATE_PLAYING);
    }

    ~BundlingPeer()
    {
        gst_element_set_state(m_pipeline, GST_STATE_NULL);
        gst_object_unref(m_webrtc);
        gst_object_unref(m_pipeline);
    }

    BundlingPeer(const BundlingPeer &) = delete;
    BundlingPeer &operator=(const BundlingPeer &) = delete;

    QString createOffer()
    {
        GstPromise *promise = gst_promise_new();
        g_signal_emit_by_name(m_webrtc, "create-offer", nullptr, promise);
        gst_promise_wait(promise);
        GstWebRTCSessionDescription *offer = nullptr;
        gst_structure_get(gst_promise_get_reply(promise), "offer", GST_TYPE_WEBRTC_SESSION_DESCRIPTION,
                          &offer, nullptr);
        gst_promise_unref(promise);
        g_signal_emit_by_name(m_webrtc, "set-local-description", offer, nullptr);
        gchar *text = gst_sdp_message_as_text(offer->sdp);
        m_offer = QString::fromUtf8(text);
        g_free(text);
        gst_webrtc_session_description_free(offer);
        return m_offer;
    }

    void setAnswer(const QString &sdp)
    {
        GstSDPMessage *message = nullptr;
        gst_sdp_message_new_from_text(sdp.toUtf8().constData(), &message);
        GstWebRTCSessionDescription *answer =
            gst_webrtc_session_description_new(GST_WEBRTC_SDP_TYPE_ANSWER, message);
        g_signal_emit_by_name(m_webrtc, "set-remote-description", answer, nullptr);
        gst_webrtc_session_description_free(answer);
    }

    void addCandidate(const QString &mid, const QString &candidate)
    {
        g_signal_emit_by_name(m_webrtc, "add-ice-candidate", guint(midsIn(m_offer).indexOf(mid)),
                              candidate.toUtf8().constData());
    }

    // The candidates found since the last call, as (mid, candidate).
    QList<QPair<QString, QString>> takeCandidates()
    {
        const std::lock_guard lock(m_mutex);
        QList<QPair<QString, QString>> found;
        for (const auto &[mLineIndex, candidate] : std::exchange(m_candidates, {}))
            found.append({midsIn(m_offer).value(mLineIndex), candidate});
        return found;
    }

    quint64 audioPackets() const { return m_audioPackets.load(); }
    quint64 videoPackets() const { return m_videoPackets.load(); }

private:
    static void onCandidate(GstElement *, guint mLineIndex, gchar *candidate, gpointer self)
    {
        auto *peer = static_cast<BundlingPeer *>(self);
        const std::lock_guard lock(peer->m_mutex);
        peer->m_candidates.append({int(mLineIndex), QString::fromUtf8(candidate)});
    }

    static void onPadAdded(GstElement *, GstPad *pad, gpointer self)
    {
        if (GST_PAD_DIRECTION(pad) != GST_PAD_SRC)
            return;
        auto *peer = static_cast<BundlingPeer *>(self);
        GstCaps *caps = gst_pad_get_current_caps(pad);
        const bool audio =
            qstrcmp(gst_structure_get_string(gst_caps_get_structure(caps, 0), "media"), "audio") == 0;
        gst_caps_unref(caps);
        gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_BUFFER, &BundlingPeer::count,
                          audio ? &peer->m_audioPackets : &peer->m_videoPackets, nullptr);
        GstElement *sink = gst_element_factory_make("fakesink", nullptr);
        gst_bin_add(GST_BIN(peer->m_pipeline), sink);
        gst_element_sync_state_with_parent(sink);
        GstPad *sinkPad = gst_element_get_static_pad(sink, "sink");
        gst_pad_link(pad, sinkPad);
        gst_object_unref(sinkPad);
    }

    static GstPadProbeReturn count(GstPad *, GstPadProbeInfo *, gpointer counter)
    {
        ++*static_cast<std::atomic<quint64> *>(counter);
        return GST_PAD_PROBE_OK;
    }

    GstElement *m_pipeline = nullptr;
    GstElement *m_webrtc = nullptr;
    QString m_offer;
    std::mutex m_mutex;
    QList<QPair<int, QString>> m_candidates;
    std::atomic<quint64> m_audioPackets = 0;
    std::atomic<quint64> m_videoPackets = 0;
};

int threadCount()
{
    return int(QDir(QStringLiteral("/proc/self/task")).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size());
}

int descriptorCount()
{
    return int(QDir(QStringLiteral("/proc/self/fd"))
                   .entryList(QDir::Files | QDir::System | QDir::NoDotAndDotDot)
                   .size());
}

} // namespace

class tst_MediaSession : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        gst_init(nullptr, nullptr); // for the bare webrtcbin peer; MediaSession initialises it too
        qRegisterMetaType<Error>();
        qRegisterMetaType<PreviewFrame>();
        qRegisterMetaType<MediaSession::State>();
    }

    void audioCallConnectsOverDtlsSrtp()
    {
        CallPair call(testSettings(false));
        call.start();
        QTRY_VERIFY2_WITH_TIMEOUT(call.isConnected(), qPrintable(call.failures()), ConnectTimeoutMs);

        QTRY_VERIFY_WITH_TIMEOUT(call.caller.counters().audioBuffersReceived > EnoughAudioBuffers,
                                 MediaTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(call.callee.counters().audioBuffersReceived > EnoughAudioBuffers,
                                 MediaTimeoutMs);
        QTRY_VERIFY(call.caller.counters().srtp);
        QTRY_VERIFY(call.callee.counters().srtp);
        QTRY_COMPARE(call.caller.counters().candidateType, QStringLiteral("host"));
        qInfo("decoded audio buffers: caller %llu, callee %llu", call.caller.counters().audioBuffersReceived,
              call.callee.counters().audioBuffersReceived);
        QVERIFY2(call.failures().isEmpty(), qPrintable(call.failures()));
        for (const QString &sdp : {call.offer, call.answer}) {
            QVERIFY2(sdp.contains(QStringLiteral("UDP/TLS/RTP/SAVPF")), qPrintable(sdp));
            QVERIFY2(sdp.contains(QStringLiteral("a=fingerprint:sha-256 ")), qPrintable(sdp));
            QVERIFY2(sdp.contains(QStringLiteral("a=setup:")), qPrintable(sdp));
            QVERIFY2(sdp.contains(QStringLiteral("opus/48000/2"), Qt::CaseInsensitive), qPrintable(sdp));
        }
    }

    void videoCallShowsBothPictures()
    {
        CallPair call(testSettings(true));
        QSignalSpy localFrames(&call.caller, &MediaSession::localFrame);
        QSignalSpy remoteFrames(&call.caller, &MediaSession::remoteFrame);
        call.start();
        QTRY_VERIFY2_WITH_TIMEOUT(call.isConnected(), qPrintable(call.failures()), ConnectTimeoutMs);

        QTRY_VERIFY_WITH_TIMEOUT(call.caller.counters().videoFramesReceived > EnoughVideoFrames,
                                 MediaTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(call.callee.counters().videoFramesReceived > EnoughVideoFrames,
                                 MediaTimeoutMs);
        QTRY_VERIFY(call.caller.counters().audioBuffersReceived > EnoughAudioBuffers);
        QTRY_VERIFY(!localFrames.isEmpty());
        QTRY_VERIFY(!remoteFrames.isEmpty());
        QVERIFY(localFrames.last().first().value<PreviewFrame>().isValid());
        QVERIFY(remoteFrames.last().first().value<PreviewFrame>().isValid());
        QVERIFY(call.caller.counters().videoFramesSent > 0);
        qInfo("decoded video frames: caller %llu, callee %llu; frames shown: %lld local, %lld remote",
              call.caller.counters().videoFramesReceived, call.callee.counters().videoFramesReceived,
              qlonglong(localFrames.size()), qlonglong(remoteFrames.size()));
        QVERIFY2(call.failures().isEmpty(), qPrintable(call.failures()));
    }

    // A callee that can only do H.264 answers our VP8-first offer with H.264, and both send and decode it.
    void videoUsesH264WhenTheAnswerChoosesIt()
    {
        MediaSession::Settings h264Only = testSettings(true);
        h264Only.videoCodecs = {VideoCodec::H264};
        CallPair call(testSettings(true), h264Only);
        call.start();
        QTRY_VERIFY2_WITH_TIMEOUT(call.isConnected(), qPrintable(call.failures()), ConnectTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(call.caller.counters().videoFramesReceived > EnoughVideoFrames,
                                 MediaTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(call.callee.counters().videoFramesReceived > EnoughVideoFrames,
                                 MediaTimeoutMs);
        QCOMPARE(firstVideoCodecIn(call.offer), QStringLiteral("VP8"));
        QCOMPARE(firstVideoCodecIn(call.answer), QStringLiteral("H264"));
        QVERIFY2(call.answer.contains(QStringLiteral("packetization-mode=1")), qPrintable(call.answer));
        QVERIFY2(call.failures().isEmpty(), qPrintable(call.failures()));
    }

    // An offer with H.264 only (as from a client that encodes in hardware) is answered with H.264.
    void answersAnH264OnlyOfferWithH264()
    {
        MediaSession::Settings h264Only = testSettings(true);
        h264Only.videoCodecs = {VideoCodec::H264};
        CallPair call(h264Only, testSettings(true));
        call.start();
        QTRY_VERIFY2_WITH_TIMEOUT(call.isConnected(), qPrintable(call.failures()), ConnectTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(call.caller.counters().videoFramesReceived > EnoughVideoFrames,
                                 MediaTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(call.callee.counters().videoFramesReceived > EnoughVideoFrames,
                                 MediaTimeoutMs);
        QVERIFY2(!call.offer.contains(QStringLiteral("VP8/90000")), qPrintable(call.offer));
        QCOMPARE(firstVideoCodecIn(call.answer), QStringLiteral("H264"));
    }

    // A fifth of what the caller sends is lost on the way: the callee's receiver reports make the caller's
    // video bitrate fall while pictures keep arriving, and the bitrate grows again once the loss ends.
    void videoBitrateFollowsLoss()
    {
        Natter::Test::LossyPath path;
        CallPair call(testSettings(true));
        call.sendThrough(path);
        call.start();
        QTRY_VERIFY2_WITH_TIMEOUT(call.isConnected(), qPrintable(call.failures()), ConnectTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(call.callee.counters().videoFramesReceived > EnoughVideoFrames,
                                 MediaTimeoutMs);
        // Receiver reports about a clean link have come in (webrtcbin sends them only once the pipeline's
        // latency is known) and raised the rate.
        QTRY_VERIFY_WITH_TIMEOUT(call.caller.counters().videoBitrate > LossBasedBitrate::Start,
                                 LossTimeoutMs);
        // They come about once a second, as between WebRTC peers, not once in five seconds (RTP's default
        // minimum): each raises the rate. Intervals are drawn from 0.41–1.23 s (RFC 3550, 6.3.1), so eight
        // seconds hold at least six; at the default they would hold at most three.
        int raises = 0;
        int seen = call.caller.counters().videoBitrate;
        QElapsedTimer clean;
        clean.start();
        while (clean.elapsed() < 8000) {
            QTest::qWait(50);
            const int now = call.caller.counters().videoBitrate;
            raises += now > seen ? 1 : 0;
            seen = now;
        }
        QVERIFY2(raises >= 5, qPrintable(QString::number(raises)));
        const int cleanBitrate = call.caller.counters().videoBitrate;

        path.setLoss(0.2);
        const quint64 framesBeforeLoss = call.callee.counters().videoFramesReceived;
        QTRY_VERIFY2_WITH_TIMEOUT(call.caller.counters().videoBitrate < cleanBitrate / 2,
                                  qPrintable(QStringLiteral("bitrate %1; relays (port: relayed/dropped) %2")
                                                 .arg(call.caller.counters().videoBitrate)
                                                 .arg(path.describe())),
                                  LossTimeoutMs);
        const int lowest = call.caller.counters().videoBitrate;
        qInfo("under 20 %% loss (%llu packets dropped) the bitrate fell from %d to %d bit/s", path.dropped(),
              cleanBitrate, lowest);
        QVERIFY(call.callee.counters().videoFramesReceived > framesBeforeLoss + EnoughVideoFrames);

        path.setLoss(0);
        QTRY_VERIFY_WITH_TIMEOUT(call.caller.counters().videoBitrate > lowest * 3 / 2, LossTimeoutMs);
        qInfo("after the loss ended it grew to %d bit/s", call.caller.counters().videoBitrate);
        QVERIFY2(call.failures().isEmpty(), qPrintable(call.failures()));
    }

    void mutedMicrophoneSendsNothing()
    {
        CallPair call(testSettings(false));
        call.start();
        QTRY_VERIFY2_WITH_TIMEOUT(call.isConnected(), qPrintable(call.failures()), ConnectTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(call.callee.counters().audioBuffersReceived > EnoughAudioBuffers,
                                 MediaTimeoutMs);

        call.caller.setMicrophoneMuted(true);
        QVERIFY(call.caller.isMicrophoneMuted());
        // What was already encoded or in the jitter buffer still arrives: wait until nothing more does.
        const auto stoppedArriving = [&call] {
            const quint64 before = call.callee.counters().audioBuffersReceived;
            QTest::qWait(400);
            return call.callee.counters().audioBuffersReceived == before;
        };
        QTRY_VERIFY_WITH_TIMEOUT(stoppedArriving(), MediaTimeoutMs);

        const MediaSession::Counters callerBefore = call.caller.counters();
        const MediaSession::Counters calleeBefore = call.callee.counters();
        QTest::qWait(600);
        const MediaSession::Counters callerAfter = call.caller.counters();
        const MediaSession::Counters calleeAfter = call.callee.counters();
        QCOMPARE(callerAfter.audioBuffersSent, callerBefore.audioBuffersSent);
        QCOMPARE(calleeAfter.audioBuffersReceived, calleeBefore.audioBuffersReceived);
        // Meanwhile the other direction went on: the window was long enough to see buffers.
        QVERIFY(calleeAfter.audioBuffersSent > calleeBefore.audioBuffersSent);
        QVERIFY(callerAfter.audioBuffersReceived > callerBefore.audioBuffersReceived);

        call.caller.setMicrophoneMuted(false);
        QTRY_VERIFY_WITH_TIMEOUT(call.caller.counters().audioBuffersSent >
                                     callerAfter.audioBuffersSent + EnoughAudioBuffers,
                                 MediaTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(call.callee.counters().audioBuffersReceived >
                                     calleeAfter.audioBuffersReceived + EnoughAudioBuffers,
                                 MediaTimeoutMs);
        QVERIFY2(call.failures().isEmpty(), qPrintable(call.failures()));
    }

    void disabledCameraSendsNoVideo()
    {
        CallPair call(testSettings(true));
        call.start();
        QTRY_VERIFY2_WITH_TIMEOUT(call.isConnected(), qPrintable(call.failures()), ConnectTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(call.callee.counters().videoFramesReceived > EnoughVideoFrames,
                                 MediaTimeoutMs);

        call.caller.setCameraEnabled(false);
        QVERIFY(!call.caller.isCameraEnabled());
        const auto stoppedSending = [&call] {
            const quint64 before = call.caller.counters().videoFramesSent;
            QTest::qWait(400);
            return call.caller.counters().videoFramesSent == before;
        };
        QTRY_VERIFY_WITH_TIMEOUT(stoppedSending(), MediaTimeoutMs);
        const quint64 calleeSent = call.callee.counters().videoFramesSent;
        QTRY_VERIFY(call.callee.counters().videoFramesSent > calleeSent);

        call.caller.setCameraEnabled(true);
        const quint64 sentBefore = call.caller.counters().videoFramesSent;
        QTRY_VERIFY_WITH_TIMEOUT(call.caller.counters().videoFramesSent > sentBefore + EnoughVideoFrames,
                                 MediaTimeoutMs);
    }

    void answersAnOfferWithoutBundle()
    {
        CallPair call(testSettings(true), withoutBundle);
        call.start();
        QTRY_VERIFY2_WITH_TIMEOUT(call.isConnected(), qPrintable(call.failures()), ConnectTimeoutMs);
        QVERIFY(!call.offer.contains(QStringLiteral("a=group:BUNDLE")));
        // Each m-line its own transport, as Dino offers and expects.
        static const QRegularExpression ufrag(QStringLiteral("^a=ice-ufrag:(\\S+)"),
                                              QRegularExpression::MultilineOption);
        for (const QString &sdp : {call.offer, call.answer}) {
            QSet<QString> ufrags;
            for (const auto &match : ufrag.globalMatch(sdp))
                ufrags.insert(match.captured(1));
            QCOMPARE(ufrags.size(), 2);
        }
        QVERIFY2(!call.answer.contains(QStringLiteral("a=group:BUNDLE")), qPrintable(call.answer));
        QTRY_VERIFY_WITH_TIMEOUT(call.caller.counters().videoFramesReceived > EnoughVideoFrames,
                                 MediaTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(call.callee.counters().videoFramesReceived > EnoughVideoFrames,
                                 MediaTimeoutMs);
        QTRY_VERIFY(call.caller.counters().audioBuffersReceived > EnoughAudioBuffers);
        QTRY_VERIFY(call.callee.counters().audioBuffersReceived > EnoughAudioBuffers);
    }

    void answersAnOfferWithBundle()
    {
        BundlingPeer peer;
        MediaSession callee(testSettings(true));
        QSignalSpy failures(&callee, &MediaSession::failed);
        QString answer;
        QObject::connect(&callee, &MediaSession::localDescription, &callee, [&](const QString &sdp) {
            answer = sdp;
            peer.setAnswer(sdp);
        });
        QObject::connect(
            &callee, &MediaSession::localCandidate, &callee,
            [&peer](const QString &mid, const QString &candidate) { peer.addCandidate(mid, candidate); });
        QTimer candidates;
        QObject::connect(&candidates, &QTimer::timeout, &callee, [&] {
            for (const auto &[mid, candidate] : peer.takeCandidates()) {
                callee.addRemoteCandidate(mid, candidate);
            }
        });
        candidates.start(20);

        const QString offer = peer.createOffer();
        QVERIFY2(offer.contains(QStringLiteral("a=group:BUNDLE")), qPrintable(offer));
        callee.setRemoteDescription(offer, true);

        QTRY_COMPARE_WITH_TIMEOUT(callee.state(), MediaSession::State::Connected, ConnectTimeoutMs);
        QVERIFY2(answer.contains(QStringLiteral("a=group:BUNDLE")), qPrintable(answer));
        QTRY_VERIFY_WITH_TIMEOUT(callee.counters().audioBuffersReceived > EnoughAudioBuffers, MediaTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(callee.counters().videoFramesReceived > EnoughVideoFrames, MediaTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(peer.audioPackets() > EnoughAudioBuffers, MediaTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(peer.videoPackets() > EnoughVideoFrames, MediaTimeoutMs);
        QVERIFY(callee.counters().srtp);
        QVERIFY(failures.isEmpty());
    }

    void unexpectedCertificateFailsTheCall()
    {
        CallPair call(testSettings(false));
        call.callee.expectRemoteFingerprint(QStringLiteral("audio0"), QString(64, u'A'));
        call.start();
        QTRY_VERIFY_WITH_TIMEOUT(!call.calleeFailures.isEmpty(), ConnectTimeoutMs);
        QCOMPARE(call.calleeFailures.first().first().value<Error>().code, Error::Code::CallSecurityFailed);
        QCOMPARE(call.callee.state(), MediaSession::State::Failed);
        // Nothing was played from the unverified peer.
        QCOMPARE(call.callee.counters().audioBuffersReceived, 0u);
    }

    void foreignCertificateFailsTheCall()
    {
        CallPair call(testSettings(false), withForeignFingerprint);
        QSignalSpy calleeStates(&call.callee, &MediaSession::stateChanged);
        call.start();
        QTRY_VERIFY_WITH_TIMEOUT(!call.calleeFailures.isEmpty(), ConnectTimeoutMs);
        QCOMPARE(call.calleeFailures.first().first().value<Error>().code, Error::Code::CallSecurityFailed);
        QCOMPARE(call.callee.state(), MediaSession::State::Failed);
        QCOMPARE(calleeStates.last().first().value<MediaSession::State>(), MediaSession::State::Failed);
    }

    // GStreamer keeps a few things for the whole process once a first call loaded them (plugins, the system
    // clock's thread); GLib keeps idle pool threads for reuse unless told not to. Everything else is ended.
    void endedCallsGiveBackThreadsAndDescriptors()
    {
        g_thread_pool_set_max_unused_threads(0);
        {
            CallPair warmUp(testSettings(true));
            warmUp.start();
            QTRY_VERIFY2_WITH_TIMEOUT(warmUp.isConnected(), qPrintable(warmUp.failures()), ConnectTimeoutMs);
        }
        // The warm-up's last threads may take a moment to go: count once nothing has changed for a second.
        int threadsBefore = threadCount();
        int steady = 0;
        for (int round = 0; round < 40 && steady < 4; ++round) {
            QTest::qWait(250);
            const int now = threadCount();
            steady = now == threadsBefore ? steady + 1 : 0;
            threadsBefore = now;
        }
        const int descriptorsBefore = descriptorCount();
        int threadsDuring = 0;
        int descriptorsDuring = 0;
        {
            CallPair call(testSettings(true));
            call.start();
            QTRY_VERIFY2_WITH_TIMEOUT(call.isConnected(), qPrintable(call.failures()), ConnectTimeoutMs);
            QTRY_VERIFY_WITH_TIMEOUT(call.callee.counters().videoFramesReceived > EnoughVideoFrames,
                                     MediaTimeoutMs);
            threadsDuring = threadCount();
            descriptorsDuring = descriptorCount();
        }
        QVERIFY(threadsDuring > threadsBefore);
        QVERIFY(descriptorsDuring > descriptorsBefore);
        QTRY_COMPARE_WITH_TIMEOUT(threadCount(), threadsBefore, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(descriptorCount(), descriptorsBefore, 10000);
        qInfo("threads: %d before, %d during, %d after; descriptors: %d before, %d during, %d after",
              threadsBefore, threadsDuring, threadCount(), descriptorsBefore, descriptorsDuring,
              descriptorCount());
    }

    // These two come last: they take encoders out of this process's plugin registry.
    void withoutVp8TheOfferHasH264Only()
    {
        removeFeature("vp8enc");
        MediaSession session(testSettings(true));
        QSignalSpy offers(&session, &MediaSession::localDescription);
        session.createOffer();
        QTRY_VERIFY(!offers.isEmpty());
        const QString offer = offers.first().first().toString();
        QVERIFY2(!offer.contains(QStringLiteral("VP8/90000")), qPrintable(offer));
        QVERIFY2(offer.contains(QStringLiteral("H264/90000")), qPrintable(offer));
    }

    void withoutAnyVideoEncoderTheVideoCallFails()
    {
        removeFeature("openh264enc");
        MediaSession session(testSettings(true));
        QSignalSpy failures(&session, &MediaSession::failed);
        session.createOffer();
        QTRY_VERIFY(!failures.isEmpty());
        const auto error = failures.first().first().value<Error>();
        QCOMPARE(error.code, Error::Code::MediaPipelineFailed);
        QVERIFY2(error.detail.contains(QStringLiteral("vp8enc")), qPrintable(error.detail));
        QCOMPARE(session.state(), MediaSession::State::Failed);
    }

private:
    static void removeFeature(const char *name)
    {
        GstRegistry *registry = gst_registry_get();
        GstPluginFeature *feature = gst_registry_lookup_feature(registry, name);
        QVERIFY(feature);
        gst_registry_remove_feature(registry, feature);
        gst_object_unref(feature);
    }
};

QTEST_GUILESS_MAIN(tst_MediaSession)
#include "tst_mediasession.moc"
