// SPDX-License-Identifier: GPL-3.0-or-later
#include "MediaSession.h"

#include "LossBasedBitrate.h"
#include "SdpMediaLines.h"
#include "WebRtcPipeline.h"

#include <QHash>
#include <QLoggingCategory>
#include <QTimer>
// Its API has been stable in practice since 1.16; the warning only asks us to say we know.
// The WebRTC library is marked unstable; its API has not changed incompatibly since 1.16.
#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>

namespace Natter::Core::Calls {

namespace {

Q_LOGGING_CATEGORY(lcCall, "natter.core.calls.media")

constexpr int DefaultOpusPayloadType = 111;
constexpr auto StatsInterval = std::chrono::seconds(1);

struct PendingCandidate
{
    QString mid;
    int mLineIndex = -1;
    QString candidate;
};

QStringList midsOf(const QList<SdpMediaLine> &lines)
{
    QStringList mids;
    for (const SdpMediaLine &line : lines)
        mids.append(line.mid);
    return mids;
}

qsizetype indexOfKind(const QList<SdpMediaLine> &lines, const QString &kind)
{
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (lines.at(i).kind == kind)
            return i;
    }
    return -1;
}

} // namespace

// The session's state on its own thread: negotiation steps, candidates waiting for a description, the
// fingerprints to check, and the call state made from webrtcbin's and the DTLS transports' states.
struct MediaSession::Pipeline final : WebRtcPipeline::Listener
{
    Pipeline(MediaSession &owner, const Settings &sessionSettings)
        : session(owner)
        , settings(sessionSettings)
        , videoCodecs(sessionSettings.video ? availableVideoCodecs(sessionSettings.videoCodecs)
                                            : QList<VideoCodec>())
    {
        statsTimer.setInterval(StatsInterval);
        QObject::connect(&statsTimer, &QTimer::timeout, &session, [this] {
            if (media && !isOver())
                media->requestStats();
        });
    }

    void setState(State next)
    {
        if (state == next)
            return;
        state = next;
        Q_EMIT session.stateChanged(next);
    }

    bool isOver() const { return state == State::Failed || state == State::Closed; }

    void fail(const Error &error)
    {
        if (isOver())
            return;
        qCInfo(lcCall) << "Call media failed:" << error.codeName() << error.detail;
        statsTimer.stop();
        if (media)
            media->stop();
        setState(State::Failed);
        Q_EMIT session.failed(error);
    }

    void failLater(const Error &error)
    {
        QMetaObject::invokeMethod(&session, [this, error] { fail(error); }, Qt::QueuedConnection);
    }

    bool canNegotiate() const { return media && !isOver(); }

    bool succeeded(const Result<Success> &result)
    {
        if (!isOk(result))
            fail(errorOf(result));
        return isOk(result);
    }

    void createOffer()
    {
        if (!canNegotiate())
            return;
        if (settings.video && videoCodecs.isEmpty())
            return fail(
                Error(Error::Code::MediaPipelineFailed,
                      QStringLiteral("no video codec: GStreamer can do neither VP8 (vp8enc, vp8dec) nor "
                                     "H.264 (openh264enc, openh264dec)")));
        if (!succeeded(media->addAudio(DefaultOpusPayloadType)))
            return;
        if (!videoCodecs.isEmpty())
            media->offerVideo(offeredVideoFormats(videoCodecs));
        media->createOffer();
    }

    // The first format of the line (in its writer's order) that we can send, if any.
    std::optional<VideoFormat> videoFormatIn(const QList<SdpMediaLine> &lines) const
    {
        const qsizetype video = indexOfKind(lines, QStringLiteral("video"));
        if (video < 0 || videoCodecs.isEmpty())
            return std::nullopt;
        return firstUsableFormat(lines.at(video).formats, videoCodecs);
    }

    // Answered: the video transceiver we offered sends in the format the answer put first.
    void sendAnsweredVideo()
    {
        const auto format = videoFormatIn(remoteLines);
        if (!format)
            return;
        const qsizetype mLine = indexOfKind(remoteLines, QStringLiteral("video"));
        qCInfo(lcCall) << "Sending video as" << encodingName(format->codec) << "payload"
                       << format->payloadType;
        succeeded(media->addVideo(*format, int(mLine)));
    }

    void setRemoteDescription(const QString &sdp, bool isOffer)
    {
        if (!canNegotiate())
            return;
        const QList<SdpMediaLine> lines = sdpMediaLines(sdp);
        if (lines.isEmpty())
            return fail(Error(Error::Code::CallConnectionFailed,
                              QStringLiteral("the other side's description is no SDP")));
        remoteLines = lines;
        for (const SdpMediaLine &line : lines)
            expectRemoteFingerprint(line.mid, line.fingerprint);
        if (isOffer) {
            // We send with the payload types the offer chose: webrtcbin does not rewrite them.
            const qsizetype audio = indexOfKind(lines, QStringLiteral("audio"));
            const int opus = audio < 0 ? -1 : payloadTypeOf(lines.at(audio), QStringLiteral("opus"));
            if (opus < 0)
                return fail(
                    Error(Error::Code::CallConnectionFailed, QStringLiteral("the offer has no Opus audio")));
            if (!succeeded(media->addAudio(opus)))
                return;
            if (const auto video = videoFormatIn(lines); video && !succeeded(media->addVideo(*video, -1)))
                return;
        }
        if (auto set = media->setRemoteDescription(sdp, isOffer); !isOk(set))
            fail(errorOf(set));
    }

    void addRemoteCandidate(const PendingCandidate &candidate)
    {
        if (!canNegotiate())
            return;
        if (!remoteDescriptionApplied)
            return pendingRemoteCandidates.append(candidate);
        const int mLineIndex = int(midsOf(remoteLines).indexOf(candidate.mid));
        if (mLineIndex >= 0)
            media->addIceCandidate(mLineIndex, candidate.candidate);
        else
            qCWarning(lcCall) << "A candidate for an unknown mid was dropped:" << candidate.mid;
    }

    // The description's own fingerprints count as much as those the signalling names: a certificate must
    // match every one announced for its mids.
    void expectRemoteFingerprint(const QString &mid, const QString &fingerprint)
    {
        QStringList &expected = expectedFingerprints[mid];
        if (!fingerprint.isEmpty() && !expected.contains(fingerprint, Qt::CaseInsensitive))
            expected.append(fingerprint);
        checkFingerprints();
    }

    void checkFingerprints()
    {
        for (auto it = seenFingerprints.cbegin(); it != seenFingerprints.cend() && !isOver(); ++it) {
            for (const QString &expected : expectedFingerprints.value(it.key())) {
                if (it.value().compare(expected, Qt::CaseInsensitive) == 0)
                    continue;
                return fail(Error(
                    Error::Code::CallSecurityFailed,
                    QStringLiteral("the certificate for %1 has the fingerprint %2, not the announced %3")
                        .arg(it.key(), it.value(), expected)));
            }
        }
        updateMediaGate();
    }

    bool peerVerified() const
    {
        const auto verified = [this](const QString &mid) {
            return !expectedFingerprints.value(mid).isEmpty();
        };
        return !seenFingerprints.isEmpty() &&
               std::all_of(seenFingerprints.keyBegin(), seenFingerprints.keyEnd(), verified);
    }

    // checkFingerprints() has failed the call on any mismatch; what is left is a match or nothing known yet.
    void updateMediaGate()
    {
        if (!media || isOver())
            return;
        const bool allConnected =
            !transports.isEmpty() && std::all_of(transports.cbegin(), transports.cend(), [](auto each) {
                return each == WebRtcPipeline::Transport::Connected;
            });
        media->setSrtpActive(allConnected);
        media->setMediaAllowed(allConnected && peerVerified());
    }

    // Both descriptions are set: the transports exist and ICE runs.
    void negotiationCompleted()
    {
        media->watchTransports();
        if (state == State::New)
            setState(State::Connecting);
    }

    void localDescriptionSet(const QString &sdp) override
    {
        if (isOver())
            return;
        localMids = midsOf(sdpMediaLines(sdp));
        localDescriptionEmitted = true;
        Q_EMIT session.localDescription(sdp);
        const auto found = std::exchange(pendingLocalCandidates, {});
        for (const PendingCandidate &candidate : found)
            localCandidateFound(candidate.mLineIndex, candidate.candidate);
        if (remoteDescriptionApplied)
            negotiationCompleted();
    }

    void remoteDescriptionSet(bool isOffer) override
    {
        if (isOver())
            return;
        remoteDescriptionApplied = true;
        const auto waiting = std::exchange(pendingRemoteCandidates, {});
        for (const PendingCandidate &candidate : waiting)
            addRemoteCandidate(candidate);
        if (isOffer)
            return media->createAnswer();
        sendAnsweredVideo();
        if (localDescriptionEmitted)
            negotiationCompleted();
    }

    void negotiationFailed(const QString &detail) override
    {
        fail(Error(Error::Code::CallConnectionFailed, QStringLiteral("negotiation failed: %1").arg(detail)));
    }

    void localCandidateFound(int mLineIndex, const QString &candidate) override
    {
        if (isOver())
            return;
        if (!localDescriptionEmitted)
            return pendingLocalCandidates.append({{}, mLineIndex, candidate});
        Q_EMIT session.localCandidate(localMids.value(mLineIndex), candidate);
    }

    void connectionStateChanged(int peerConnectionState) override
    {
        if (isOver())
            return;
        switch (GstWebRTCPeerConnectionState(peerConnectionState)) {
        case GST_WEBRTC_PEER_CONNECTION_STATE_NEW:
            break;
        case GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTING:
            if (state == State::New)
                setState(State::Connecting);
            break;
        case GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED:
            setState(State::Connected);
            media->requestStats();
            statsTimer.start();
            break;
        case GST_WEBRTC_PEER_CONNECTION_STATE_DISCONNECTED:
            setState(State::Reconnecting);
            break;
        case GST_WEBRTC_PEER_CONNECTION_STATE_FAILED:
            fail(Error(Error::Code::CallConnectionFailed, QStringLiteral("the connection failed")));
            break;
        case GST_WEBRTC_PEER_CONNECTION_STATE_CLOSED:
            statsTimer.stop();
            setState(State::Closed);
            break;
        }
    }

    void iceConnectionStateChanged(int iceConnectionState) override
    {
        if (iceConnectionState == GST_WEBRTC_ICE_CONNECTION_STATE_FAILED)
            fail(Error(Error::Code::CallConnectionFailed,
                       QStringLiteral("ICE found no path to the other side")));
        else if (iceConnectionState == GST_WEBRTC_ICE_CONNECTION_STATE_DISCONNECTED &&
                 state == State::Connected)
            setState(State::Reconnecting);
    }

    void transportStateChanged(int transport, WebRtcPipeline::Transport transportState) override
    {
        if (isOver())
            return;
        transports.insert(transport, transportState);
        if (transportState == WebRtcPipeline::Transport::Failed)
            return fail(Error(Error::Code::CallSecurityFailed, QStringLiteral("the DTLS handshake failed")));
        updateMediaGate();
    }

    void remoteCertificateSeen(const QStringList &mids, const QString &fingerprint) override
    {
        for (const QString &mid : mids)
            seenFingerprints.insert(mid, fingerprint);
        checkFingerprints();
    }

    void pipelineFailed(const Error &error) override { fail(error); }

    void localFrameReady(const PreviewFrame &frame) override
    {
        media->localFrameTaken();
        if (!isOver())
            Q_EMIT session.localFrame(frame);
    }

    void remoteFrameReady(const PreviewFrame &frame) override
    {
        media->remoteFrameTaken();
        if (!isOver())
            Q_EMIT session.remoteFrame(frame);
    }

    void videoLossReported(double fractionLost) override
    {
        if (!media || isOver())
            return;
        const int before = videoBitrate.bitsPerSecond();
        const int after = videoBitrate.reportLoss(fractionLost);
        if (after != before)
            media->setVideoBitrate(after);
        qCDebug(lcCall) << "Video loss" << fractionLost << "→ target" << after << "bit/s";
    }

    MediaSession &session;
    const Settings settings;
    const QList<VideoCodec> videoCodecs; // those we can use, in our order; empty for an audio call
    LossBasedBitrate videoBitrate;
    QTimer statsTimer;
    QList<SdpMediaLine> remoteLines;
    std::unique_ptr<WebRtcPipeline> media; // none when it could not be built
    State state = State::New;
    bool microphoneMuted = false;
    bool cameraEnabled = true;
    bool localDescriptionEmitted = false;
    bool remoteDescriptionApplied = false;
    QStringList localMids; // by m-line index
    QList<PendingCandidate> pendingLocalCandidates;
    QList<PendingCandidate> pendingRemoteCandidates;
    QHash<QString, QStringList> expectedFingerprints; // by mid
    QHash<QString, QString> seenFingerprints;         // by mid
    QHash<int, WebRtcPipeline::Transport> transports;
};

MediaSession::MediaSession(const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_pipeline(std::make_unique<Pipeline>(*this, settings))
{
    auto created = WebRtcPipeline::create(settings, this, m_pipeline.get());
    if (isOk(created))
        m_pipeline->media = std::move(std::get<std::unique_ptr<WebRtcPipeline>>(created));
    else
        m_pipeline->failLater(errorOf(created));
}

MediaSession::~MediaSession() = default;

void MediaSession::createOffer()
{
    m_pipeline->createOffer();
}

void MediaSession::setRemoteDescription(const QString &sdp, bool isOffer)
{
    m_pipeline->setRemoteDescription(sdp, isOffer);
}

void MediaSession::addRemoteCandidate(const QString &mid, const QString &candidate)
{
    m_pipeline->addRemoteCandidate({mid, -1, candidate});
}

void MediaSession::expectRemoteFingerprint(const QString &mid, const QString &fingerprint)
{
    m_pipeline->expectRemoteFingerprint(mid, fingerprint);
}

void MediaSession::setMicrophoneMuted(bool muted)
{
    m_pipeline->microphoneMuted = muted;
    if (m_pipeline->media)
        m_pipeline->media->setMicrophoneMuted(muted);
}

bool MediaSession::isMicrophoneMuted() const
{
    return m_pipeline->microphoneMuted;
}

void MediaSession::setCameraEnabled(bool enabled)
{
    m_pipeline->cameraEnabled = enabled;
    if (m_pipeline->media)
        m_pipeline->media->setCameraEnabled(enabled);
}

bool MediaSession::isCameraEnabled() const
{
    return m_pipeline->cameraEnabled;
}

void MediaSession::setDevice(DeviceMonitor::Kind kind, const QString &device)
{
    if (!m_pipeline->media)
        return;
    switch (kind) {
    case DeviceMonitor::Kind::Microphone:
        m_pipeline->media->setMicrophone(device);
        break;
    case DeviceMonitor::Kind::Speaker:
        m_pipeline->media->setSpeaker(device);
        break;
    case DeviceMonitor::Kind::Camera:
        m_pipeline->media->setCamera(device);
        break;
    }
}

QString MediaSession::device(DeviceMonitor::Kind kind) const
{
    if (!m_pipeline->media)
        return {};
    switch (kind) {
    case DeviceMonitor::Kind::Microphone:
        return m_pipeline->media->microphone();
    case DeviceMonitor::Kind::Speaker:
        return m_pipeline->media->speaker();
    case DeviceMonitor::Kind::Camera:
        break;
    }
    return m_pipeline->media->camera();
}

MediaSession::State MediaSession::state() const
{
    return m_pipeline->state;
}

MediaSession::Counters MediaSession::counters() const
{
    return m_pipeline->media ? m_pipeline->media->counters() : Counters{};
}

} // namespace Natter::Core::Calls
