// SPDX-License-Identifier: GPL-3.0-or-later
// The GStreamer side of a MediaSession: webrtcbin with the sending branches (capture, echo cancellation,
// Opus, VP8 or H.264), the receiving branches made as the peer's streams arrive, and counters. Its callbacks
// run on GStreamer's threads; each reaches the listener only through a queued call on the context object's
// thread.
#pragma once

#include "MediaSession.h"
#include "VideoFormat.h"
#include "common/Result.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <atomic>
#include <gst/gst.h>

typedef struct _GstWebRTCRTPTransceiver GstWebRTCRTPTransceiver;
#include <functional>
#include <memory>
#include <mutex>

namespace Natter::Core::Calls {

class WebRtcPipeline
{
public:
    enum class Transport
    {
        New,
        Connecting,
        Connected,
        Failed,
        Closed,
    };

    // Every call comes on the context object's thread, never after the pipeline is gone.
    class Listener
    {
    public:
        virtual ~Listener() = default;
        virtual void localDescriptionSet(const QString &sdp) = 0;
        virtual void remoteDescriptionSet(bool isOffer) = 0;
        virtual void negotiationFailed(const QString &detail) = 0;
        virtual void localCandidateFound(int mLineIndex, const QString &candidate) = 0;
        virtual void connectionStateChanged(int peerConnectionState) = 0;
        virtual void iceConnectionStateChanged(int iceConnectionState) = 0;
        virtual void transportStateChanged(int transport, Transport state) = 0;
        // The SHA-256 fingerprint of the certificate the peer showed on the DTLS transport of these mids.
        virtual void remoteCertificateSeen(const QStringList &mids, const QString &fingerprint) = 0;
        virtual void pipelineFailed(const Error &error) = 0;
        virtual void localFrameReady(const PreviewFrame &frame) = 0;
        virtual void remoteFrameReady(const PreviewFrame &frame) = 0;
        // The fraction (0…1) of our video the peer lost since its previous receiver report.
        virtual void videoLossReported(double fractionLost) = 0;
    };

    static Result<std::unique_ptr<WebRtcPipeline>> create(const MediaSession::Settings &settings,
                                                          QObject *context, Listener *listener);
    ~WebRtcPipeline();
    WebRtcPipeline(const WebRtcPipeline &) = delete;
    WebRtcPipeline &operator=(const WebRtcPipeline &) = delete;

    // Capture, echo cancellation and Opus into a sendrecv transceiver, before the first description.
    Result<Success> addAudio(int opusPayloadType);
    // Offering: a sendrecv video transceiver with every format; video is sent once the answer chose one.
    void offerVideo(const QList<VideoFormat> &formats);
    // Camera and encoding in that format: on the transceiver offered at that m-line once the answer is set,
    // or (with -1) on a new one before answering an offer.
    Result<Success> addVideo(const VideoFormat &format, int offeredMLine);
    // The video encoder's target, as the loss the peer reports allows.
    void setVideoBitrate(int bitsPerSecond);
    void createOffer();
    void createAnswer();
    Result<Success> setRemoteDescription(const QString &sdp, bool isOffer);
    void addIceCandidate(int mLineIndex, const QString &candidate);
    // Follows the DTLS transports of the negotiated transceivers (once both descriptions are set).
    void watchTransports();
    // Reads webrtcbin's statistics: the selected candidate pair into counters().candidateType, and a new
    // receiver report on our video to Listener::videoLossReported().
    void requestStats();

    void setMicrophoneMuted(bool muted);
    void setCameraEnabled(bool enabled);
    void setMicrophone(const QString &device);
    void setCamera(const QString &device);
    void setSpeaker(const QString &device);
    // The devices in use, as DeviceMonitor names them; empty: the system's default.
    QString microphone() const { return m_microphone; }
    QString speaker() const { return m_speaker; }
    QString camera() const { return m_camera; }
    void setSrtpActive(bool active) { m_srtp.store(active); }
    // Media flows only once the peer's certificates are the announced ones; until then nothing is sent and
    // nothing received is played.
    void setMediaAllowed(bool allowed);
    // After a delivered frame was handled: the next may be sent.
    void localFrameTaken() { m_localFramePending.store(false); }
    void remoteFrameTaken() { m_remoteFramePending.store(false); }

    // Everything stops; nothing more is reported. Idempotent.
    void stop();

    MediaSession::Counters counters() const;

private:
    struct Branch;
    struct TransportWatch;
    struct FrameTap;
    struct SpeakerSwap;

    WebRtcPipeline(const MediaSession::Settings &settings, QObject *context, Listener *listener);
    Result<Success> build();
    // An empty pad name makes a new transceiver.
    Result<Success> addBranch(const QByteArray &description, const QByteArray &padName,
                              const QByteArray &rtpCaps, Branch &branch);
    static void configureTransceiver(GstWebRTCRTPTransceiver *transceiver, const QByteArray &rtpCaps);
    GstElement *makeReceiver(GstPad *pad);
    void linkReceived(GstPad *pad);

    template <typename Call> void post(Call call) const;
    void postFailure(const Error &error) const;
    void emitWithPromise(const char *signal, GstPromiseChangeFunc done, void *data, GDestroyNotify free,
                         gpointer argument = nullptr);

    static GstBusSyncReply onBusMessage(GstBus *, GstMessage *message, gpointer self);
    static void onPadAdded(GstElement *, GstPad *pad, gpointer self);
    static void onPlaybackElementAdded(GstBin *, GstBin *, GstElement *element, gpointer);
    static void playWithoutWaiting(GstElement *element);
    static void onIceCandidate(GstElement *, guint mLineIndex, gchar *candidate, gpointer self);
    static void onConnectionState(GObject *webrtc, GParamSpec *, gpointer self);
    static void onIceConnectionState(GObject *webrtc, GParamSpec *, gpointer self);
    static void onDescriptionCreated(GstPromise *promise, gpointer self);
    static void onLocalDescriptionSet(GstPromise *promise, gpointer context);
    static void onRemoteDescriptionSet(GstPromise *promise, gpointer context);
    static void onStats(GstPromise *promise, gpointer self);
    static QString localCandidateTypeOf(const GstStructure *stats, const GstStructure *pair);
    void readVideoReceiverReport(guint ssrc);
    GstStructure *sourceStatsOf(guint ssrc) const;
    // Each of rtpbin's sessions until visit returns false.
    void forEachRtpSession(const std::function<bool(GObject *)> &visit) const;
    static void onTransportState(GObject *transport, GParamSpec *, gpointer watch);
    static GstPadProbeReturn dropEarlyReconfigure(GstPad *pad, GstPadProbeInfo *info, gpointer);
    static GstPadProbeReturn dropUntilAllowed(GstPad *, GstPadProbeInfo *, gpointer self);
    static GstPadProbeReturn swapSpeaker(GstPad *feed, GstPadProbeInfo *, gpointer swap);
    static GstPadProbeReturn countBuffer(GstPad *, GstPadProbeInfo *info, gpointer counter);
    static GstFlowReturn onFrame(GstElement *sink, gpointer tap);

    void offerFrame(GstElement *sink, FrameTap &tap);
    void holdReconfigureUntilNegotiated(GstElement *bin);
    void countBuffersOf(GstElement *bin, const char *child, std::atomic<quint64> &counter);
    void tapFrames(GstElement *bin, const char *child, FrameTap &tap);
    void updateGates();
    // False when that device is not there (the current one stays) or nothing could be put in.
    bool replaceSource(Branch &branch, const char *classes, const QString &device,
                       const QByteArray &fallback);

    const MediaSession::Settings m_settings;
    QObject *const m_context;
    Listener *const m_listener;
    GstElement *m_pipeline = nullptr;
    GstElement *m_webrtc = nullptr;
    GstElement *m_playback = nullptr; // decoded audio → echo probe → speaker
    QByteArray m_echoProbeName;
    std::unique_ptr<Branch> m_audio;
    std::unique_ptr<Branch> m_video;
    QList<TransportWatch *> m_transports;
    std::unique_ptr<FrameTap> m_localFrames;
    std::unique_ptr<FrameTap> m_remoteFrames;
    bool m_microphoneMuted = false;
    bool m_cameraEnabled = true;
    bool m_stopped = false;
    QString m_microphone;
    QString m_speaker;
    QString m_camera;

    // Written on streaming threads, read anywhere.
    std::atomic<quint64> m_audioSent = 0;
    std::atomic<quint64> m_audioReceived = 0;
    std::atomic<quint64> m_videoSent = 0;
    std::atomic<quint64> m_videoReceived = 0;
    std::atomic<bool> m_srtp = false;
    std::atomic<int> m_videoBitrate = 0;
    guint m_lastReportedSequence = 0; // webrtcbin's thread only
    std::atomic<bool> m_mediaAllowed = false;
    // The first remote audio and video streams are played; any others are discarded.
    std::atomic<bool> m_audioPlaying = false;
    std::atomic<bool> m_videoShowing = false;
    std::atomic<bool> m_localFramePending = false;
    std::atomic<bool> m_remoteFramePending = false;
    mutable std::mutex m_candidateTypeMutex;
    QString m_candidateType;
};

} // namespace Natter::Core::Calls
