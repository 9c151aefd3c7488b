// SPDX-License-Identifier: GPL-3.0-or-later
#include "WebRtcPipeline.h"

#include "LossBasedBitrate.h"
#include "MediaBranches.h"
#include "SdpMediaLines.h"
#include "media/Gst.h"

#include <QLoggingCategory>
#include <gst/app/gstappsink.h>
#include <gst/sdp/sdp.h>
// The WebRTC library is marked unstable; its API has not changed incompatibly since 1.16.
#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>

namespace Natter::Core::Calls {

using namespace MediaBranches;

namespace {

Q_LOGGING_CATEGORY(lcCallMedia, "natter.core.calls.media")

constexpr gint64 MinFrameIntervalUs = 33'000;
// Audio and video each have one without BUNDLE; a few more cover whatever a peer's description made.
constexpr guint MaxRtpSessions = 4;
constexpr guint64 RtcpMinIntervalNs = GST_SECOND;

// Our offers never bundle: with "none" every m-line has its own ICE credentials, candidates and DTLS
// transport, so an answer that does not bundle (Dino) works; an offer made with "max-compat" shares one
// transport, and an unbundled answer leaves video without candidates. Answering, "max-compat" accepts the
// offer's BUNDLE group (Conversations) and keeps separate transports for an offer without one, where
// "none" would answer a bundled offer unbundled. webrtcbin 1.26 refuses "balanced".
constexpr auto OfferingBundlePolicy = GST_WEBRTC_BUNDLE_POLICY_NONE;
constexpr auto AnsweringBundlePolicy = GST_WEBRTC_BUNDLE_POLICY_MAX_COMPAT;

GstElement *child(GstElement *bin, const char *name)
{
    return gst_bin_get_by_name(GST_BIN(bin), name);
}

WebRtcPipeline::Transport transportState(GstWebRTCDTLSTransportState state)
{
    switch (state) {
    case GST_WEBRTC_DTLS_TRANSPORT_STATE_NEW:
        return WebRtcPipeline::Transport::New;
    case GST_WEBRTC_DTLS_TRANSPORT_STATE_CONNECTING:
        return WebRtcPipeline::Transport::Connecting;
    case GST_WEBRTC_DTLS_TRANSPORT_STATE_CONNECTED:
        return WebRtcPipeline::Transport::Connected;
    case GST_WEBRTC_DTLS_TRANSPORT_STATE_FAILED:
        return WebRtcPipeline::Transport::Failed;
    case GST_WEBRTC_DTLS_TRANSPORT_STATE_CLOSED:
        break;
    }
    return WebRtcPipeline::Transport::Closed;
}

Error::Code errorCodeFor(GstObject *source)
{
    if (!GST_IS_ELEMENT(source))
        return Error::Code::MediaPipelineFailed;
    GstElementFactory *factory = gst_element_get_factory(GST_ELEMENT(source));
    const QByteArray name = factory ? gst_plugin_feature_get_name(GST_PLUGIN_FEATURE(factory)) : "";
    if (name.startsWith("dtls"))
        return Error::Code::CallSecurityFailed;
    if (name.startsWith("nice"))
        return Error::Code::CallConnectionFailed;
    return Error::Code::MediaPipelineFailed;
}

// The reply of a promise webrtcbin has answered, or why there is none.
const GstStructure *replyOf(GstPromise *promise, QString *whyNot)
{
    if (gst_promise_wait(promise) != GST_PROMISE_RESULT_REPLIED) {
        *whyNot = QStringLiteral("interrupted");
        return nullptr;
    }
    const GstStructure *reply = gst_promise_get_reply(promise);
    GError *error = nullptr;
    if (reply && gst_structure_get(reply, "error", G_TYPE_ERROR, &error, nullptr)) {
        *whyNot = QString::fromUtf8(error->message);
        g_clear_error(&error);
        return nullptr;
    }
    return reply;
}

struct DescriptionStep
{
    WebRtcPipeline *pipeline;
    QString sdp;
    bool isOffer;
};

void freeDescriptionStep(gpointer step)
{
    delete static_cast<DescriptionStep *>(step);
}

} // namespace

struct WebRtcPipeline::Branch
{
    GstElement *bin = nullptr;    // owned by the pipeline
    GstElement *gate = nullptr;   // closed until the peer is verified, and while muted
    GstElement *camera = nullptr; // before the self-view: closed while the camera is off
    GstElement *encoder = nullptr;

    Branch() = default;
    Branch(const Branch &) = delete;
    Branch &operator=(const Branch &) = delete;
    ~Branch()
    {
        for (GstElement *element : {gate, camera, encoder}) {
            if (element)
                gst_object_unref(element);
        }
    }
};

struct WebRtcPipeline::TransportWatch
{
    WebRtcPipeline *pipeline;
    GstWebRTCDTLSTransport *transport; // one reference
    int index;
    QStringList mids;
    gulong stateHandler = 0;
};

struct WebRtcPipeline::FrameTap
{
    WebRtcPipeline *pipeline;
    std::atomic<bool> &pending;
    bool remote;
    gint64 lastFrameUs = 0; // streaming thread only
};

template <typename Call> void WebRtcPipeline::post(Call call) const
{
    Listener *listener = m_listener;
    QMetaObject::invokeMethod(m_context, [listener, call] { call(*listener); }, Qt::QueuedConnection);
}

void WebRtcPipeline::postFailure(const Error &error) const
{
    post([error](Listener &listener) { listener.pipelineFailed(error); });
}

WebRtcPipeline::WebRtcPipeline(const MediaSession::Settings &settings, QObject *context, Listener *listener)
    : m_settings(settings)
    , m_context(context)
    , m_listener(listener)
    , m_echoProbeName(nextEchoProbeName())
{}

Result<std::unique_ptr<WebRtcPipeline>> WebRtcPipeline::create(const MediaSession::Settings &settings,
                                                               QObject *context, Listener *listener)
{
    if (auto ready = Gst::ensureInitialised(); !isOk(ready))
        return errorOf(ready);
    std::unique_ptr<WebRtcPipeline> pipeline(new WebRtcPipeline(settings, context, listener));
    if (auto built = pipeline->build(); !isOk(built))
        return errorOf(built);
    return pipeline;
}

Result<Success> WebRtcPipeline::build()
{
    m_pipeline = GST_ELEMENT(gst_object_ref_sink(gst_pipeline_new(nullptr)));
    GstBus *bus = gst_element_get_bus(m_pipeline);
    gst_bus_set_sync_handler(bus, &WebRtcPipeline::onBusMessage, this, nullptr);
    gst_object_unref(bus);

    m_webrtc = gst_element_factory_make("webrtcbin", "webrtc");
    if (!m_webrtc)
        return Error(Error::Code::MediaPipelineFailed, QStringLiteral("the webrtcbin element is missing"));
    gst_bin_add(GST_BIN(m_pipeline), m_webrtc);
    g_object_set(m_webrtc, "bundle-policy", OfferingBundlePolicy, "ice-transport-policy",
                 m_settings.relayOnly ? GST_WEBRTC_ICE_TRANSPORT_POLICY_RELAY
                                      : GST_WEBRTC_ICE_TRANSPORT_POLICY_ALL,
                 nullptr);
    if (!m_settings.stunServers.isEmpty())
        g_object_set(m_webrtc, "stun-server", m_settings.stunServers.first().toUtf8().constData(), nullptr);
    for (const QString &turn : m_settings.turnServers) {
        gboolean added = FALSE;
        g_signal_emit_by_name(m_webrtc, "add-turn-server", turn.toUtf8().constData(), &added);
        if (!added)
            qCWarning(lcCallMedia) << "webrtcbin refused the TURN server" << turn.section(u'@', -1);
    }
    g_signal_connect(m_webrtc, "pad-added", G_CALLBACK(&WebRtcPipeline::onPadAdded), this);
    g_signal_connect(m_webrtc, "on-ice-candidate", G_CALLBACK(&WebRtcPipeline::onIceCandidate), this);
    g_signal_connect(m_webrtc, "notify::connection-state", G_CALLBACK(&WebRtcPipeline::onConnectionState),
                     this);
    g_signal_connect(m_webrtc, "notify::ice-connection-state",
                     G_CALLBACK(&WebRtcPipeline::onIceConnectionState), this);

    auto playbackBin = parseBin(playback(m_settings, m_echoProbeName));
    if (!isOk(playbackBin))
        return errorOf(playbackBin);
    m_playback = std::get<GstElement *>(playbackBin);
    // A sink that prerolls holds the pipeline in PAUSED until the far end's audio reaches it, and no live
    // source has joined yet to make the pipeline live: the capture branch would then start in a pipeline
    // with no running clock or base time, and pulsesrc stalls or loses its timestamps. The sinks of the
    // description are set now; autoaudiosink makes its device sink only on the way to READY, so that one is
    // set as it is added.
    GstIterator *elements = gst_bin_iterate_recurse(GST_BIN(m_playback));
    gst_iterator_foreach(
        elements,
        [](const GValue *item, gpointer) { playWithoutWaiting(GST_ELEMENT(g_value_get_object(item))); },
        nullptr);
    gst_iterator_free(elements);
    g_signal_connect(m_playback, "deep-element-added", G_CALLBACK(&WebRtcPipeline::onPlaybackElementAdded),
                     nullptr);
    gst_bin_add(GST_BIN(m_pipeline), m_playback);
    if (!m_settings.speaker.isEmpty())
        setSpeaker(m_settings.speaker);

    // The pipeline's clock is chosen once, on the way to PLAYING, before any microphone is there: it would be
    // the speaker's, which stands still until the far end's audio plays. The system clock always runs; the
    // sound elements slave their devices to it.
    GstClock *clock = gst_system_clock_obtain();
    gst_pipeline_use_clock(GST_PIPELINE(m_pipeline), clock);
    gst_object_unref(clock);
    if (gst_element_set_state(m_pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
        return Error(Error::Code::MediaPipelineFailed, QStringLiteral("the call's pipeline did not start"));
    return Success{};
}

WebRtcPipeline::~WebRtcPipeline()
{
    stop();
    for (TransportWatch *watch : std::as_const(m_transports)) {
        g_signal_handler_disconnect(watch->transport, watch->stateHandler);
        gst_object_unref(watch->transport);
        delete watch;
    }
    if (!m_pipeline)
        return;
    GstBus *bus = gst_element_get_bus(m_pipeline);
    gst_bus_set_sync_handler(bus, nullptr, nullptr, nullptr);
    gst_object_unref(bus);
    gst_object_unref(m_pipeline);
}

void WebRtcPipeline::stop()
{
    if (m_stopped || !m_pipeline)
        return;
    m_stopped = true;
    // Joins every streaming thread, webrtcbin's own thread and the ICE agent's checks.
    gst_element_set_state(m_pipeline, GST_STATE_NULL);
}

Result<Success> WebRtcPipeline::addBranch(const QByteArray &description, const QByteArray &padName,
                                          const QByteArray &rtpCaps, Branch &branch)
{
    auto parsed = parseBin(description);
    if (!isOk(parsed))
        return errorOf(parsed);
    branch.bin = std::get<GstElement *>(parsed);
    gst_bin_add(GST_BIN(m_pipeline), branch.bin);
    branch.gate = child(branch.bin, "gate");
    branch.camera = child(branch.bin, "camera");
    branch.encoder = child(branch.bin, "encoder");

    GstPadTemplate *sinkTemplate = gst_element_get_pad_template(m_webrtc, "sink_%u");
    GstPad *sink = gst_element_request_pad(m_webrtc, sinkTemplate,
                                           padName.isEmpty() ? nullptr : padName.constData(), nullptr);
    GstPad *source = gst_element_get_static_pad(branch.bin, "src");
    const bool linked = sink && source && gst_pad_link(source, sink) == GST_PAD_LINK_OK;
    if (linked && !rtpCaps.isEmpty()) {
        GstWebRTCRTPTransceiver *transceiver = nullptr;
        g_object_get(sink, "transceiver", &transceiver, nullptr);
        configureTransceiver(transceiver, rtpCaps);
        gst_object_unref(transceiver);
    }
    if (source)
        gst_object_unref(source);
    if (sink)
        gst_object_unref(sink);
    if (!linked)
        return Error(Error::Code::MediaPipelineFailed, QStringLiteral("webrtcbin took no media to send"));
    holdReconfigureUntilNegotiated(branch.bin);
    gst_element_sync_state_with_parent(branch.bin);
    return Success{};
}

void WebRtcPipeline::configureTransceiver(GstWebRTCRTPTransceiver *transceiver, const QByteArray &rtpCaps)
{
    GstCaps *caps = gst_caps_from_string(rtpCaps.constData());
    g_object_set(transceiver, "direction", GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, "codec-preferences",
                 caps, nullptr);
    gst_caps_unref(caps);
}

Result<Success> WebRtcPipeline::addAudio(int opusPayloadType)
{
    if (m_audio)
        return Success{};
    m_audio = std::make_unique<Branch>();
    auto audio = addBranch(audioSending(m_settings, m_echoProbeName, opusPayloadType), {},
                           audioRtpCaps(opusPayloadType), *m_audio);
    if (!isOk(audio))
        return audio;
    if (!m_settings.testSources && !m_settings.microphone.isEmpty())
        setMicrophone(m_settings.microphone);
    countBuffersOf(m_audio->bin, "encoder", m_audioSent);
    updateGates();
    return Success{};
}

void WebRtcPipeline::offerVideo(const QList<VideoFormat> &formats)
{
    GstCaps *caps = gst_caps_from_string(videoRtpCaps(formats).constData());
    GstWebRTCRTPTransceiver *transceiver = nullptr;
    g_signal_emit_by_name(m_webrtc, "add-transceiver", GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, caps,
                          &transceiver);
    gst_caps_unref(caps);
    if (!transceiver)
        return postFailure(
            Error(Error::Code::MediaPipelineFailed, QStringLiteral("webrtcbin took no video transceiver")));
    gst_object_unref(transceiver);
}

Result<Success> WebRtcPipeline::addVideo(const VideoFormat &format, int offeredMLine)
{
    if (m_video)
        return Success{};
    m_video = std::make_unique<Branch>();
    // The offered transceiver keeps what it offered; one made for an answer offers the chosen format only.
    const QByteArray padName = offeredMLine >= 0 ? "sink_" + QByteArray::number(offeredMLine) : QByteArray();
    auto video = addBranch(videoSending(m_settings, format), padName,
                           offeredMLine >= 0 ? QByteArray() : videoRtpCaps({format}), *m_video);
    if (!isOk(video))
        return video;
    if (!m_settings.testSources && !m_settings.camera.isEmpty())
        setCamera(m_settings.camera);
    countBuffersOf(m_video->bin, "encoder", m_videoSent);
    m_localFrames.reset(new FrameTap{this, m_localFramePending, false});
    tapFrames(m_video->bin, "frames", *m_localFrames);
    // The gate holds every frame back until now, so the encoder starts at this rate.
    setVideoBitrate(LossBasedBitrate::Start);
    updateGates();
    return Success{};
}

void WebRtcPipeline::setVideoBitrate(int bitsPerSecond)
{
    if (!m_video || !m_video->encoder)
        return;
    setEncoderBitrate(m_video->encoder, bitsPerSecond);
    m_videoBitrate.store(bitsPerSecond);
}

// pulsesrc answers a RECONFIGURE event by clearing its pad's flag (it never renegotiates), and its streaming
// thread negotiates only when it finds that flag set. An event that reaches it before that first check (the
// gate's valve sends one upstream whenever "drop" is set) leaves it without caps: its ring buffer is never
// acquired, its first read fails as flushing and its task stops for good. Until the source has caps there is
// nothing to reconfigure, so such events stop before it; this holds for a source put in later too.
void WebRtcPipeline::holdReconfigureUntilNegotiated(GstElement *bin)
{
    GstElement *source = child(bin, "source");
    if (!source)
        return;
    GstPad *sourcePad = gst_element_get_static_pad(source, "src");
    GstPad *next = gst_pad_get_peer(sourcePad);
    if (next) {
        gst_pad_add_probe(next, GST_PAD_PROBE_TYPE_EVENT_UPSTREAM, &WebRtcPipeline::dropEarlyReconfigure,
                          nullptr, nullptr);
        gst_object_unref(next);
    }
    gst_object_unref(sourcePad);
    gst_object_unref(source);
}

GstPadProbeReturn WebRtcPipeline::dropEarlyReconfigure(GstPad *pad, GstPadProbeInfo *info, gpointer)
{
    if (GST_EVENT_TYPE(GST_PAD_PROBE_INFO_EVENT(info)) != GST_EVENT_RECONFIGURE)
        return GST_PAD_PROBE_OK;
    GstPad *source = gst_pad_get_peer(pad);
    const bool negotiated = source && gst_pad_has_current_caps(source);
    if (source)
        gst_object_unref(source);
    return negotiated ? GST_PAD_PROBE_OK : GST_PAD_PROBE_DROP;
}

void WebRtcPipeline::countBuffersOf(GstElement *bin, const char *name, std::atomic<quint64> &counter)
{
    GstElement *element = child(bin, name);
    GstPad *pad = gst_element_get_static_pad(element, "src");
    gst_pad_add_probe(pad, GstPadProbeType(GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST),
                      &WebRtcPipeline::countBuffer, &counter, nullptr);
    gst_object_unref(pad);
    gst_object_unref(element);
}

void WebRtcPipeline::onPlaybackElementAdded(GstBin *, GstBin *, GstElement *element, gpointer)
{
    playWithoutWaiting(element);
}

void WebRtcPipeline::playWithoutWaiting(GstElement *element)
{
    // GstBaseSink's "async"; bins have none. Not synchronised to the clock either: the jitter buffer paces
    // what arrives, and a sender whose timestamps jump (Dino's after we muted) would otherwise be dropped as
    // late and never heard again.
    if (g_object_class_find_property(G_OBJECT_GET_CLASS(element), "async"))
        g_object_set(element, "async", FALSE, "sync", FALSE, nullptr);
}

GstPadProbeReturn WebRtcPipeline::dropUntilAllowed(GstPad *, GstPadProbeInfo *, gpointer self)
{
    return static_cast<WebRtcPipeline *>(self)->m_mediaAllowed.load() ? GST_PAD_PROBE_OK : GST_PAD_PROBE_DROP;
}

GstPadProbeReturn WebRtcPipeline::countBuffer(GstPad *, GstPadProbeInfo *info, gpointer counter)
{
    const quint64 buffers = (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST)
                                ? gst_buffer_list_length(GST_PAD_PROBE_INFO_BUFFER_LIST(info))
                                : 1;
    static_cast<std::atomic<quint64> *>(counter)->fetch_add(buffers);
    return GST_PAD_PROBE_OK;
}

void WebRtcPipeline::tapFrames(GstElement *bin, const char *name, FrameTap &tap)
{
    GstElement *sink = child(bin, name);
    GstAppSinkCallbacks callbacks = {};
    callbacks.new_sample = [](GstAppSink *appSink, gpointer data) {
        return WebRtcPipeline::onFrame(GST_ELEMENT(appSink), data);
    };
    gst_app_sink_set_callbacks(GST_APP_SINK(sink), &callbacks, &tap, nullptr);
    gst_object_unref(sink);
}

GstFlowReturn WebRtcPipeline::onFrame(GstElement *sink, gpointer data)
{
    auto *tap = static_cast<FrameTap *>(data);
    tap->pipeline->offerFrame(sink, *tap);
    return GST_FLOW_OK;
}

// Skips frames while the receiver has not taken the last one yet, or that come too soon after it.
void WebRtcPipeline::offerFrame(GstElement *sink, FrameTap &tap)
{
    GstSample *sample = gst_app_sink_pull_sample(GST_APP_SINK(sink));
    if (!sample)
        return;
    const gint64 now = g_get_monotonic_time();
    if (!tap.pending.load() && now - tap.lastFrameUs >= MinFrameIntervalUs) {
        const PreviewFrame frame = Gst::previewFrameOf(sample);
        if (frame.isValid()) {
            tap.lastFrameUs = now;
            tap.pending.store(true);
            if (tap.remote)
                post([frame](Listener &listener) { listener.remoteFrameReady(frame); });
            else
                post([frame](Listener &listener) { listener.localFrameReady(frame); });
        }
    }
    gst_sample_unref(sample);
}

void WebRtcPipeline::onPadAdded(GstElement *, GstPad *pad, gpointer self)
{
    if (GST_PAD_DIRECTION(pad) == GST_PAD_SRC)
        static_cast<WebRtcPipeline *>(self)->linkReceived(pad);
}

// Runs on a streaming thread as a stream of the peer arrives.
void WebRtcPipeline::linkReceived(GstPad *pad)
{
    GstElement *receiver = makeReceiver(pad);
    if (!receiver)
        return;
    gst_bin_add(GST_BIN(m_pipeline), receiver);
    GstPad *sink = gst_element_get_static_pad(receiver, "sink");
    GstPad *decoded = gst_element_get_static_pad(receiver, "src");
    if (decoded) {
        GstPad *playbackSink = gst_element_get_static_pad(m_playback, "sink");
        gst_pad_link(decoded, playbackSink);
        gst_object_unref(playbackSink);
        gst_object_unref(decoded);
    }
    gst_element_sync_state_with_parent(receiver);
    gst_pad_add_probe(pad, GstPadProbeType(GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST),
                      &WebRtcPipeline::dropUntilAllowed, this, nullptr);
    if (gst_pad_link(pad, sink) != GST_PAD_LINK_OK)
        postFailure(Error(Error::Code::MediaPipelineFailed,
                          QStringLiteral("a received stream could not be decoded")));
    gst_object_unref(sink);
}

GstElement *WebRtcPipeline::makeReceiver(GstPad *pad)
{
    GstCaps *caps = gst_pad_get_current_caps(pad);
    const GstStructure *structure = caps ? gst_caps_get_structure(caps, 0) : nullptr;
    const QByteArray media = structure ? gst_structure_get_string(structure, "media") : nullptr;
    const QByteArray encoding = structure ? gst_structure_get_string(structure, "encoding-name") : nullptr;
    if (caps)
        gst_caps_unref(caps);

    const bool audio = media == "audio" && encoding == "OPUS" && !m_audioPlaying.exchange(true);
    const bool knownVideo =
        encoding == encodingName(VideoCodec::Vp8) || encoding == encodingName(VideoCodec::H264);
    const bool video = media == "video" && knownVideo && !m_videoShowing.exchange(true);
    const VideoCodec codec = encoding == encodingName(VideoCodec::H264) ? VideoCodec::H264 : VideoCodec::Vp8;
    auto parsed = parseBin(audio   ? QByteArray(AudioReceiving)
                           : video ? videoReceiving(codec)
                                   : QByteArray(Discarding));
    if (!isOk(parsed)) {
        postFailure(errorOf(parsed));
        return nullptr;
    }
    GstElement *receiver = std::get<GstElement *>(parsed);
    if (audio)
        countBuffersOf(receiver, "decoder", m_audioReceived);
    if (video) {
        countBuffersOf(receiver, "decoder", m_videoReceived);
        m_remoteFrames.reset(new FrameTap{this, m_remoteFramePending, true});
        tapFrames(receiver, "frames", *m_remoteFrames);
    }
    return receiver;
}

void WebRtcPipeline::emitWithPromise(const char *signal, GstPromiseChangeFunc done, void *data,
                                     GDestroyNotify free, gpointer argument)
{
    GstPromise *promise = gst_promise_new_with_change_func(done, data, free);
    g_signal_emit_by_name(m_webrtc, signal, argument, promise);
    gst_promise_unref(promise);
}

void WebRtcPipeline::createOffer()
{
    emitWithPromise("create-offer", &WebRtcPipeline::onDescriptionCreated, this, nullptr);
}

void WebRtcPipeline::createAnswer()
{
    emitWithPromise("create-answer", &WebRtcPipeline::onDescriptionCreated, this, nullptr);
}

// On webrtcbin's thread: the offer or answer becomes the local description.
void WebRtcPipeline::onDescriptionCreated(GstPromise *promise, gpointer self)
{
    auto *pipeline = static_cast<WebRtcPipeline *>(self);
    QString whyNot;
    const GstStructure *reply = replyOf(promise, &whyNot);
    GstWebRTCSessionDescription *description = nullptr;
    const bool isOffer = reply && gst_structure_has_field(reply, "offer");
    if (reply)
        gst_structure_get(reply, isOffer ? "offer" : "answer", GST_TYPE_WEBRTC_SESSION_DESCRIPTION,
                          &description, nullptr);
    if (!description) {
        pipeline->post([whyNot](Listener &listener) { listener.negotiationFailed(whyNot); });
        return;
    }
    auto *step =
        new DescriptionStep{pipeline, Gst::takeString(gst_sdp_message_as_text(description->sdp)), isOffer};
    pipeline->emitWithPromise("set-local-description", &WebRtcPipeline::onLocalDescriptionSet, step,
                              &freeDescriptionStep, description);
    gst_webrtc_session_description_free(description);
}

void WebRtcPipeline::onLocalDescriptionSet(GstPromise *promise, gpointer context)
{
    const auto *step = static_cast<const DescriptionStep *>(context);
    QString whyNot;
    if (!replyOf(promise, &whyNot) && !whyNot.isEmpty())
        return step->pipeline->post([whyNot](Listener &listener) { listener.negotiationFailed(whyNot); });
    step->pipeline->post([sdp = step->sdp](Listener &listener) { listener.localDescriptionSet(sdp); });
}

Result<Success> WebRtcPipeline::setRemoteDescription(const QString &sdp, bool isOffer)
{
    GstSDPMessage *message = nullptr;
    if (gst_sdp_message_new_from_text(sdp.toUtf8().constData(), &message) != GST_SDP_OK)
        return Error(Error::Code::CallConnectionFailed,
                     QStringLiteral("the other side's description is no SDP"));
    if (isOffer)
        g_object_set(m_webrtc, "bundle-policy", AnsweringBundlePolicy, nullptr);
    GstWebRTCSessionDescription *description = gst_webrtc_session_description_new(
        isOffer ? GST_WEBRTC_SDP_TYPE_OFFER : GST_WEBRTC_SDP_TYPE_ANSWER, message);
    emitWithPromise("set-remote-description", &WebRtcPipeline::onRemoteDescriptionSet,
                    new DescriptionStep{this, {}, isOffer}, &freeDescriptionStep, description);
    gst_webrtc_session_description_free(description);
    return Success{};
}

void WebRtcPipeline::onRemoteDescriptionSet(GstPromise *promise, gpointer context)
{
    const auto *step = static_cast<const DescriptionStep *>(context);
    QString whyNot;
    if (!replyOf(promise, &whyNot) && !whyNot.isEmpty())
        return step->pipeline->post([whyNot](Listener &listener) { listener.negotiationFailed(whyNot); });
    step->pipeline->post(
        [isOffer = step->isOffer](Listener &listener) { listener.remoteDescriptionSet(isOffer); });
}

void WebRtcPipeline::addIceCandidate(int mLineIndex, const QString &candidate)
{
    g_signal_emit_by_name(m_webrtc, "add-ice-candidate", guint(mLineIndex), candidate.toUtf8().constData());
}

void WebRtcPipeline::onIceCandidate(GstElement *, guint mLineIndex, gchar *candidate, gpointer self)
{
    const QString line = QString::fromUtf8(candidate);
    if (line.isEmpty())
        return;
    static_cast<WebRtcPipeline *>(self)->post(
        [mLineIndex, line](Listener &listener) { listener.localCandidateFound(int(mLineIndex), line); });
}

void WebRtcPipeline::onConnectionState(GObject *webrtc, GParamSpec *, gpointer self)
{
    GstWebRTCPeerConnectionState state = GST_WEBRTC_PEER_CONNECTION_STATE_NEW;
    g_object_get(webrtc, "connection-state", &state, nullptr);
    static_cast<WebRtcPipeline *>(self)->post(
        [state](Listener &listener) { listener.connectionStateChanged(int(state)); });
}

void WebRtcPipeline::onIceConnectionState(GObject *webrtc, GParamSpec *, gpointer self)
{
    GstWebRTCICEConnectionState state = GST_WEBRTC_ICE_CONNECTION_STATE_NEW;
    g_object_get(webrtc, "ice-connection-state", &state, nullptr);
    static_cast<WebRtcPipeline *>(self)->post(
        [state](Listener &listener) { listener.iceConnectionStateChanged(int(state)); });
}

void WebRtcPipeline::watchTransports()
{
    GArray *transceivers = nullptr;
    g_signal_emit_by_name(m_webrtc, "get-transceivers", &transceivers);
    QHash<GstWebRTCDTLSTransport *, QStringList> midsByTransport;
    for (guint i = 0; transceivers && i < transceivers->len; ++i) {
        auto *transceiver = g_array_index(transceivers, GstWebRTCRTPTransceiver *, i);
        gchar *mid = nullptr;
        GstWebRTCRTPReceiver *receiver = nullptr;
        g_object_get(transceiver, "mid", &mid, "receiver", &receiver, nullptr);
        GstWebRTCDTLSTransport *transport = nullptr;
        if (receiver)
            g_object_get(receiver, "transport", &transport, nullptr);
        if (transport && mid)
            midsByTransport[transport].append(QString::fromUtf8(mid));
        if (transport)
            gst_object_unref(transport); // the transceiver keeps it
        if (receiver)
            gst_object_unref(receiver);
        g_free(mid);
    }
    if (transceivers)
        g_array_unref(transceivers);

    for (auto it = midsByTransport.cbegin(); it != midsByTransport.cend(); ++it) {
        const bool known =
            std::any_of(m_transports.cbegin(), m_transports.cend(),
                        [&](const TransportWatch *watch) { return watch->transport == it.key(); });
        if (known)
            continue;
        auto *watch = new TransportWatch{this, GST_WEBRTC_DTLS_TRANSPORT(gst_object_ref(it.key())),
                                         int(m_transports.size()), it.value()};
        watch->stateHandler = g_signal_connect(watch->transport, "notify::state",
                                               G_CALLBACK(&WebRtcPipeline::onTransportState), watch);
        m_transports.append(watch);
        // What happened before we listened.
        onTransportState(G_OBJECT(watch->transport), nullptr, watch);
    }
}

// The transport notifies nothing when the peer's certificate arrives (its remote-certificate only reads
// dtlssrtpdec's peer-pem), so it is read with every state change: by "connected" the handshake has seen it.
void WebRtcPipeline::onTransportState(GObject *transport, GParamSpec *, gpointer data)
{
    const auto *watch = static_cast<const TransportWatch *>(data);
    GstWebRTCDTLSTransportState state = GST_WEBRTC_DTLS_TRANSPORT_STATE_NEW;
    gchar *pem = nullptr;
    g_object_get(transport, "state", &state, "remote-certificate", &pem, nullptr);
    const QByteArray certificate(pem);
    g_free(pem);
    if (!certificate.isEmpty()) {
        watch->pipeline->post([mids = watch->mids, fingerprint = sha256FingerprintOfPem(certificate)](
                                  Listener &listener) { listener.remoteCertificateSeen(mids, fingerprint); });
    }
    watch->pipeline->post([index = watch->index, state = transportState(state)](Listener &listener) {
        listener.transportStateChanged(index, state);
    });
}

void WebRtcPipeline::requestStats()
{
    // RTP's default of one report in five seconds at least leaves the sender's bitrate control nearly deaf;
    // WebRTC peers report about every second. Sessions appear as media is negotiated, so this is done as
    // statistics are read.
    forEachRtpSession([](GObject *rtpSession) {
        guint64 interval = 0;
        g_object_get(rtpSession, "rtcp-min-interval", &interval, nullptr);
        if (interval != RtcpMinIntervalNs)
            g_object_set(rtpSession, "rtcp-min-interval", RtcpMinIntervalNs, nullptr);
        return true;
    });
    emitWithPromise("get-stats", &WebRtcPipeline::onStats, this, nullptr);
}

namespace {

GstWebRTCStatsType statsTypeOf(const GstStructure *entry)
{
    GstWebRTCStatsType type = GST_WEBRTC_STATS_CODEC;
    gst_structure_get(entry, "type", GST_TYPE_WEBRTC_STATS_TYPE, &type, nullptr);
    return type;
}

bool isVideo(const GstStructure *entry)
{
    return qstrcmp(gst_structure_get_string(entry, "kind"), "video") == 0;
}

} // namespace

// On webrtcbin's thread, one reply at a time.
void WebRtcPipeline::onStats(GstPromise *promise, gpointer self)
{
    auto *pipeline = static_cast<WebRtcPipeline *>(self);
    QString whyNot;
    const GstStructure *stats = replyOf(promise, &whyNot);
    QString candidateType;
    for (int i = 0; stats && i < gst_structure_n_fields(stats); ++i) {
        const GValue *value = gst_structure_get_value(stats, gst_structure_nth_field_name(stats, i));
        if (!GST_VALUE_HOLDS_STRUCTURE(value))
            continue;
        const GstStructure *entry = gst_value_get_structure(value);
        switch (statsTypeOf(entry)) {
        case GST_WEBRTC_STATS_CANDIDATE_PAIR:
            if (candidateType.isEmpty())
                candidateType = localCandidateTypeOf(stats, entry);
            break;
        case GST_WEBRTC_STATS_OUTBOUND_RTP:
            if (guint ssrc = 0; isVideo(entry) && gst_structure_get_uint(entry, "ssrc", &ssrc))
                pipeline->readVideoReceiverReport(ssrc);
            break;
        default:
            break;
        }
    }
    const std::lock_guard lock(pipeline->m_candidateTypeMutex);
    if (!candidateType.isEmpty())
        pipeline->m_candidateType = candidateType;
}

QString WebRtcPipeline::localCandidateTypeOf(const GstStructure *stats, const GstStructure *pair)
{
    const gchar *localId = gst_structure_get_string(pair, "local-candidate-id");
    const GValue *local = localId ? gst_structure_get_value(stats, localId) : nullptr;
    if (!local || !GST_VALUE_HOLDS_STRUCTURE(local))
        return {};
    return QString::fromUtf8(gst_structure_get_string(gst_value_get_structure(local), "candidate-type"));
}

// The peer's latest report block on our video source, read from its RTP session: webrtcbin's
// remote-inbound-rtp statistics may show a block from another of the peer's sources that never comes again.
// A report counts once: the highest sequence number it names moves on with every new one.
void WebRtcPipeline::readVideoReceiverReport(guint ssrc)
{
    GstStructure *stats = sourceStatsOf(ssrc);
    gboolean haveReport = FALSE;
    guint highestSequence = 0;
    guint fractionLost = 0;
    const bool read = stats && gst_structure_get_boolean(stats, "have-rb", &haveReport) && haveReport &&
                      gst_structure_get_uint(stats, "rb-exthighestseq", &highestSequence) &&
                      gst_structure_get_uint(stats, "rb-fractionlost", &fractionLost);
    if (stats)
        gst_structure_free(stats);
    if (!read || highestSequence == m_lastReportedSequence)
        return;
    m_lastReportedSequence = highestSequence;
    post([fraction = fractionLost / 256.0](Listener &listener) { listener.videoLossReported(fraction); });
}

// The statistics of one of our sources in whichever of webrtcbin's RTP sessions has it; null when none.
void WebRtcPipeline::forEachRtpSession(const std::function<bool(GObject *)> &visit) const
{
    GstElement *rtpbin = child(m_webrtc, "rtpbin");
    if (!rtpbin)
        return;
    bool more = true;
    for (guint session = 0; session < MaxRtpSessions && more; ++session) {
        GObject *rtpSession = nullptr;
        g_signal_emit_by_name(rtpbin, "get-internal-session", session, &rtpSession);
        if (!rtpSession)
            continue;
        more = visit(rtpSession);
        g_object_unref(rtpSession);
    }
    gst_object_unref(rtpbin);
}

GstStructure *WebRtcPipeline::sourceStatsOf(guint ssrc) const
{
    GstStructure *stats = nullptr;
    forEachRtpSession([&](GObject *rtpSession) {
        GObject *source = nullptr;
        g_signal_emit_by_name(rtpSession, "get-source-by-ssrc", ssrc, &source);
        if (source) {
            g_object_get(source, "stats", &stats, nullptr);
            g_object_unref(source);
        }
        return !stats;
    });
    return stats;
}

void WebRtcPipeline::setMicrophoneMuted(bool muted)
{
    m_microphoneMuted = muted;
    updateGates();
}

void WebRtcPipeline::setCameraEnabled(bool enabled)
{
    m_cameraEnabled = enabled;
    updateGates();
}

void WebRtcPipeline::setMediaAllowed(bool allowed)
{
    m_mediaAllowed.store(allowed);
    updateGates();
}

void WebRtcPipeline::updateGates()
{
    const bool allowed = m_mediaAllowed.load();
    if (m_audio)
        g_object_set(m_audio->gate, "drop", gboolean(!allowed || m_microphoneMuted), nullptr);
    if (m_video) {
        g_object_set(m_video->gate, "drop", gboolean(!allowed), nullptr);
        g_object_set(m_video->camera, "drop", gboolean(!m_cameraEnabled), nullptr);
    }
}

void WebRtcPipeline::setMicrophone(const QString &device)
{
    if (m_settings.testSources || !m_audio || m_stopped)
        return;
    if (replaceSource(*m_audio, "Audio/Source", device, "autoaudiosrc"))
        m_microphone = device;
}

void WebRtcPipeline::setCamera(const QString &device)
{
    if (m_settings.testSources || !m_video || m_stopped)
        return;
    if (replaceSource(*m_video, "Video/Source", device, "autovideosrc"))
        m_camera = device;
}

struct WebRtcPipeline::SpeakerSwap
{
    SpeakerSwap(GstElement *playbackBin, GstElement *newSpeaker)
        : playback(playbackBin)
        , speaker(newSpeaker)
    {}
    ~SpeakerSwap()
    {
        gst_object_unref(speaker);
        gst_object_unref(playback);
    }
    GstElement *playback;
    GstElement *speaker;
};

void WebRtcPipeline::setSpeaker(const QString &device)
{
    if (m_settings.testSources || !m_playback || m_stopped)
        return;
    Gst::ElementPointer found = device.isEmpty() ? nullptr : Gst::deviceElement("Audio/Sink", device);
    if (!device.isEmpty() && !found) {
        qCInfo(lcCallMedia) << "no speaker" << device << "now; keeping the current one";
        return;
    }
    GstElement *speaker =
        found ? GST_ELEMENT(gst_object_ref(found.get()))
              : GST_ELEMENT(gst_object_ref_sink(gst_element_factory_make("autoaudiosink", nullptr)));
    if (!speaker)
        return postFailure(
            Error(Error::Code::MediaPipelineFailed, QStringLiteral("the autoaudiosink element is missing")));
    GstElement *old = child(m_playback, "speaker");
    GstPad *oldPad = old ? gst_element_get_static_pad(old, "sink") : nullptr;
    GstPad *feed = oldPad ? gst_pad_get_peer(oldPad) : nullptr;
    if (oldPad)
        gst_object_unref(oldPad);
    if (old)
        gst_object_unref(old);
    if (!feed) {
        gst_object_unref(speaker);
        return;
    }
    // The sound arrives on a streaming thread: the speakers change places between two buffers, at once if
    // none is on its way.
    auto *swap = new SpeakerSwap{GST_ELEMENT(gst_object_ref(m_playback)), speaker};
    gst_pad_add_probe(feed, GST_PAD_PROBE_TYPE_IDLE, &WebRtcPipeline::swapSpeaker, swap,
                      [](gpointer data) { delete static_cast<SpeakerSwap *>(data); });
    gst_object_unref(feed);
    m_speaker = device;
}

GstPadProbeReturn WebRtcPipeline::swapSpeaker(GstPad *feed, GstPadProbeInfo *, gpointer data)
{
    auto *swap = static_cast<SpeakerSwap *>(data);
    if (GstElement *old = child(swap->playback, "speaker")) {
        gst_element_set_state(old, GST_STATE_NULL);
        gst_bin_remove(GST_BIN(swap->playback), old);
        gst_object_unref(old);
    }
    gst_object_set_name(GST_OBJECT(swap->speaker), "speaker");
    playWithoutWaiting(swap->speaker);
    gst_bin_add(GST_BIN(swap->playback), swap->speaker);
    GstPad *pad = gst_element_get_static_pad(swap->speaker, "sink");
    gst_pad_link(feed, pad);
    gst_object_unref(pad);
    gst_element_sync_state_with_parent(swap->speaker);
    return GST_PAD_PROBE_REMOVE;
}

// The new source starts where the old one was linked; what follows converts whatever it delivers.
bool WebRtcPipeline::replaceSource(Branch &branch, const char *classes, const QString &device,
                                   const QByteArray &fallback)
{
    Gst::ElementPointer found = device.isEmpty() ? nullptr : Gst::deviceElement(classes, device);
    if (!device.isEmpty() && !found) {
        qCInfo(lcCallMedia) << "no device" << device << "of" << classes << "now; keeping the current one";
        return false;
    }
    GstElement *old = child(branch.bin, "source");
    if (!old)
        return false;
    GstPad *oldPad = gst_element_get_static_pad(old, "src");
    GstPad *next = gst_pad_get_peer(oldPad);
    gst_object_unref(oldPad);
    gst_element_set_state(old, GST_STATE_NULL);
    gst_bin_remove(GST_BIN(branch.bin), old);
    gst_object_unref(old);
    // The bin takes the floating reference of a new element, and a reference of its own to a device's
    // element (ours goes with `found`).
    GstElement *source = found ? found.get() : gst_element_factory_make(fallback.constData(), nullptr);
    if (!source) {
        if (next)
            gst_object_unref(next);
        postFailure(Error(Error::Code::MediaPipelineFailed,
                          QStringLiteral("the %1 element is missing").arg(QString::fromLatin1(fallback))));
        return false;
    }
    gst_object_set_name(GST_OBJECT(source), "source");
    gst_bin_add(GST_BIN(branch.bin), source);
    GstPad *pad = gst_element_get_static_pad(source, "src");
    if (next) {
        gst_pad_link(pad, next);
        gst_object_unref(next);
    }
    gst_object_unref(pad);
    gst_element_sync_state_with_parent(source);
    return true;
}

GstBusSyncReply WebRtcPipeline::onBusMessage(GstBus *, GstMessage *message, gpointer self)
{
    // The branches join a pipeline that already plays; the latency is only distributed again on request.
    // Until it is, rtpsession cannot tell the running time of what it sends and makes no RTCP sender or
    // receiver reports for it, so the peer's bitrate control would hear nothing.
    if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_LATENCY) {
        gst_element_call_async(
            static_cast<WebRtcPipeline *>(self)->m_pipeline,
            [](GstElement *pipeline, gpointer) { gst_bin_recalculate_latency(GST_BIN(pipeline)); }, nullptr,
            nullptr);
    }
    if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_ERROR) {
        GError *error = nullptr;
        gchar *debug = nullptr;
        gst_message_parse_error(message, &error, &debug);
        const QString text = error ? QString::fromUtf8(error->message) : QStringLiteral("unknown error");
        qCInfo(lcCallMedia) << "Call pipeline failed in" << GST_OBJECT_NAME(GST_MESSAGE_SRC(message)) << ":"
                            << text << debug;
        g_clear_error(&error);
        g_free(debug);
        static_cast<WebRtcPipeline *>(self)->postFailure(Error(errorCodeFor(GST_MESSAGE_SRC(message)), text));
    }
    gst_message_unref(message);
    return GST_BUS_DROP;
}

MediaSession::Counters WebRtcPipeline::counters() const
{
    MediaSession::Counters counters;
    counters.audioBuffersSent = m_audioSent.load();
    counters.audioBuffersReceived = m_audioReceived.load();
    counters.videoFramesSent = m_videoSent.load();
    counters.videoFramesReceived = m_videoReceived.load();
    counters.srtp = m_srtp.load();
    counters.videoBitrate = m_videoBitrate.load();
    const std::lock_guard lock(m_candidateTypeMutex);
    counters.candidateType = m_candidateType;
    return counters;
}

} // namespace Natter::Core::Calls
