// SPDX-License-Identifier: GPL-3.0-or-later
// The media of one call: a GStreamer pipeline around webrtcbin (libnice ICE, DTLS-SRTP, rtcp-mux), with
// Opus audio through echo cancellation and noise suppression (webrtcdsp) and VP8 or H.264 video whose bitrate
// follows the loss the peer reports. It speaks SDP; the
// call's signalling translates to and from Jingle. Test sources and counting sinks replace the devices when
// the settings ask for them, so tests and demos run without hardware.
#pragma once

#include "DeviceMonitor.h"
#include "VideoFormat.h"
#include "common/Error.h"
#include "media/PreviewFrame.h"

#include <QObject>
#include <QString>
#include <QStringList>
#include <memory>

namespace Natter::Core::Calls {

class MediaSession : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        bool video = false;
        // audiotestsrc/videotestsrc and sinks that only count: no devices needed.
        bool testSources = false;
        // The test picture's height (16:9); 0 leaves videotestsrc's own size (320 × 240).
        int testVideoHeight = 0;
        // Device names as DeviceMonitor lists them; empty: the system's default.
        QString microphone;
        QString speaker;
        QString camera;
        // "stun://host:port" and "turn://user:password@host:port" (webrtcbin's URI forms).
        QStringList stunServers;
        QStringList turnServers;
        // Only relayed candidates are used (ICE transport policy "relay").
        bool relayOnly = false;
        // In the order we prefer them; those this machine cannot encode and decode are left out.
        QList<VideoCodec> videoCodecs = {VideoCodec::Vp8, VideoCodec::H264};
    };

    enum class State
    {
        New,
        Connecting,   // ICE checks and DTLS handshake under way
        Connected,    // media flows, SRTP keyed by DTLS
        Reconnecting, // ICE lost connectivity for a while; it may come back
        Failed,       // ICE or DTLS failed; see failed()
        Closed,
    };
    Q_ENUM(State)

    // What went through the pipeline so far; read from any thread.
    struct Counters
    {
        quint64 audioBuffersSent = 0;
        quint64 audioBuffersReceived = 0; // decoded
        quint64 videoFramesSent = 0;
        quint64 videoFramesReceived = 0; // decoded
        int videoBitrate = 0;            // the encoder's target in bits per second; 0 without video
        bool srtp = false;               // DTLS finished and SRTP keys are in use
        QString candidateType;           // of the selected local candidate: host, srflx, prflx, relay
    };

    explicit MediaSession(const Settings &settings, QObject *parent = nullptr);
    // Stops the pipeline and frees every element, thread and socket before returning.
    ~MediaSession() override;

    // As the call's initiator: produces the offer through localDescription().
    void createOffer();
    // The other side's description. An offer makes the answer (through localDescription()); an answer
    // completes negotiation.
    void setRemoteDescription(const QString &sdp, bool isOffer);
    // A trickled remote candidate ("candidate:…" line) for the m-line with that mid.
    void addRemoteCandidate(const QString &mid, const QString &candidate);
    // SHA-256 fingerprints ("AB:CD:…") the peer announced per mid; a DTLS peer certificate with another
    // fingerprint fails the call with SecurityError.
    void expectRemoteFingerprint(const QString &mid, const QString &fingerprint);

    void setMicrophoneMuted(bool muted);
    bool isMicrophoneMuted() const;
    void setCameraEnabled(bool enabled);
    bool isCameraEnabled() const;
    // Switches a device during the call (a name as DeviceMonitor lists it; empty: the system's default).
    void setDevice(DeviceMonitor::Kind kind, const QString &device);
    // The device in use; empty: the system's default (also when a named one was not there).
    QString device(DeviceMonitor::Kind kind) const;

    State state() const;
    Counters counters() const;

Q_SIGNALS:
    void localDescription(const QString &sdp);
    void localCandidate(const QString &mid, const QString &candidate);
    void stateChanged(Natter::Core::Calls::MediaSession::State state);
    // Frames to show, at most about 30 a second each, never more than the receiver takes.
    void remoteFrame(const Natter::Core::PreviewFrame &frame);
    void localFrame(const Natter::Core::PreviewFrame &frame);
    void failed(const Natter::Core::Error &error);

private:
    struct Pipeline;
    std::unique_ptr<Pipeline> m_pipeline;
};

} // namespace Natter::Core::Calls
