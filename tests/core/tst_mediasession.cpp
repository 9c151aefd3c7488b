// SPDX-License-Identifier: GPL-3.0-or-later
// MediaSession: two sessions with test sources in one process call each other over loopback, the SDP and
// candidates handed across directly. Media must flow decoded both ways over DTLS-SRTP, with and without
// BUNDLE; muting stops what is sent; a certificate other than the announced one fails the call; ending
// the calls gives back every thread and descriptor they took.
#include "calls/MediaSession.h"

#include <QDir>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <functional>
#include <glib.h>
#include <gst/gst.h>
#include <memory>

using namespace Natter::Core;
using Natter::Core::Calls::MediaSession;

namespace {

constexpr int ConnectTimeoutMs = 30000;
constexpr int MediaTimeoutMs = 30000;
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

// A BUNDLE group over every m-line, each keeping its own transport: how libwebrtc (Conversations) offers.
QString withBundle(const QString &sdp)
{
    const QString group = QStringLiteral("a=group:BUNDLE ") + midsIn(sdp).join(u' ') + QStringLiteral("\r\n");
    const qsizetype firstMedia = withoutBundle(sdp).indexOf(QStringLiteral("m="));
    return withoutBundle(sdp).insert(firstMedia, group);
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
        : caller(settings)
        , callee(settings)
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
                             answer = answerChange(sdp);
                             deliver(answer, caller, false);
                         });
        QObject::connect(&caller, &MediaSession::localCandidate, &callee, &MediaSession::addRemoteCandidate);
        QObject::connect(&callee, &MediaSession::localCandidate, &caller, &MediaSession::addRemoteCandidate);
    }

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
        CallPair call(testSettings(true), withBundle);
        call.start();
        QTRY_VERIFY2_WITH_TIMEOUT(call.isConnected(), qPrintable(call.failures()), ConnectTimeoutMs);
        QVERIFY(call.offer.contains(QStringLiteral("a=group:BUNDLE")));
        QTRY_VERIFY_WITH_TIMEOUT(call.caller.counters().videoFramesReceived > EnoughVideoFrames,
                                 MediaTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(call.callee.counters().videoFramesReceived > EnoughVideoFrames,
                                 MediaTimeoutMs);
        QTRY_VERIFY(call.caller.counters().audioBuffersReceived > EnoughAudioBuffers);
        QTRY_VERIFY(call.callee.counters().audioBuffersReceived > EnoughAudioBuffers);
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
        QTest::qWait(500);
        const int threadsBefore = threadCount();
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
        qInfo("threads: %d before, %d during, %d after; descriptors: %d before, %d during, %d after",
              threadsBefore, threadsDuring, threadCount(), descriptorsBefore, descriptorsDuring,
              descriptorCount());
        QVERIFY(threadsDuring > threadsBefore);
        QVERIFY(descriptorsDuring > descriptorsBefore);
        QTRY_COMPARE_WITH_TIMEOUT(threadCount(), threadsBefore, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(descriptorCount(), descriptorsBefore, 10000);
    }

    // Last: it takes the VP8 encoder out of this process's plugin registry.
    void missingEncoderFailsThePipeline()
    {
        GstRegistry *registry = gst_registry_get();
        GstPluginFeature *encoder = gst_registry_lookup_feature(registry, "vp8enc");
        QVERIFY(encoder);
        gst_registry_remove_feature(registry, encoder);
        gst_object_unref(encoder);

        MediaSession session(testSettings(true));
        QSignalSpy failures(&session, &MediaSession::failed);
        session.createOffer();
        QTRY_VERIFY(!failures.isEmpty());
        const auto error = failures.first().first().value<Error>();
        QCOMPARE(error.code, Error::Code::MediaPipelineFailed);
        QVERIFY2(error.detail.contains(QStringLiteral("vp8enc")), qPrintable(error.detail));
        QCOMPARE(session.state(), MediaSession::State::Failed);
    }
};

QTEST_GUILESS_MAIN(tst_MediaSession)
#include "tst_mediasession.moc"
