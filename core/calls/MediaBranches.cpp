// SPDX-License-Identifier: GPL-3.0-or-later
#include "MediaBranches.h"

#include <atomic>

namespace Natter::Core::Calls::MediaBranches {

namespace {

QByteArray audioSource(const MediaSession::Settings &settings)
{
    if (settings.testSources)
        return "audiotestsrc name=source is-live=true wave=sine freq=440 volume=0.2";
    // A named device takes this one's place once the pipeline is built (WebRtcPipeline::setMicrophone).
    return "autoaudiosrc name=source";
}

QByteArray videoSource(const MediaSession::Settings &settings)
{
    if (settings.testSources) {
        // A ball moving over a blue-grey ground: a picture that shows it is live.
        QByteArray source = "videotestsrc name=source is-live=true pattern=ball background-color=0xff3c5a78";
        if (settings.testVideoHeight > 0)
            source += " ! video/x-raw,height=" + QByteArray::number(settings.testVideoHeight) +
                      ",width=" + QByteArray::number(settings.testVideoHeight * 16 / 9);
        return source;
    }
    // A named camera takes this one's place once the pipeline is built (WebRtcPipeline::setCamera).
    return "autovideosrc name=source";
}

} // namespace

QByteArray nextEchoProbeName()
{
    static std::atomic<int> calls = 0;
    return "natter-echo-probe-" + QByteArray::number(++calls);
}

void selectDevice(GstElement *bin, const char *name, const QString &device)
{
    if (device.isEmpty())
        return;
    GstElement *source = gst_bin_get_by_name(GST_BIN(bin), name);
    if (source && g_object_class_find_property(G_OBJECT_GET_CLASS(source), "device"))
        g_object_set(source, "device", device.toUtf8().constData(), nullptr);
    if (source)
        gst_object_unref(source);
}

QByteArray audioSending(const MediaSession::Settings &settings, const QByteArray &echoProbe, int payloadType)
{
    const QByteArray pt = QByteArray::number(payloadType);
    return audioSource(settings) +
           " ! audioconvert ! audioresample ! audio/x-raw,format=S16LE,rate=48000,channels=1"
           " ! webrtcdsp probe=" +
           echoProbe +
           " echo-cancel=true noise-suppression=true"
           " ! valve name=gate drop=true drop-mode=forward-sticky-events"
           " ! audioconvert ! opusenc name=encoder audio-type=voice"
           " ! rtpopuspay pt=" +
           pt +
           " ! capsfilter caps=application/x-rtp,media=audio,encoding-name=OPUS,clock-rate=48000,payload=" +
           pt;
}

QByteArray audioRtpCaps(int payloadType)
{
    return "application/"
           "x-rtp,media=audio,encoding-name=OPUS,clock-rate=48000,encoding-params=(string)2,payload=" +
           QByteArray::number(payloadType);
}

QByteArray videoSending(const MediaSession::Settings &settings, int payloadType)
{
    const QByteArray pt = QByteArray::number(payloadType);
    return videoSource(settings) +
           " ! videoconvert ! videoscale ! videorate max-rate=30"
           " ! video/x-raw,width=[16,1280],height=[16,720],pixel-aspect-ratio=1/1"
           " ! valve name=camera drop-mode=forward-sticky-events ! tee name=split"
           " split. ! queue max-size-buffers=2 leaky=downstream ! valve name=gate drop=true "
           "drop-mode=forward-sticky-events"
           " ! vp8enc name=encoder deadline=1 error-resilient=default keyframe-max-dist=60"
           " target-bitrate=800000 cpu-used=8"
           " ! rtpvp8pay pt=" +
           pt +
           " picture-id-mode=15-bit ! "
           "capsfilter caps=application/x-rtp,media=video,encoding-name=VP8,clock-rate=90000,payload=" +
           pt +
           " split. ! queue max-size-buffers=1 leaky=downstream ! videoconvert ! videoscale"
           " ! video/x-raw,format=RGB,width=[1,640],height=[1,640]"
           " ! appsink name=frames sync=false max-buffers=1 drop=true";
}

QByteArray videoRtpCaps(int payloadType)
{
    return "application/x-rtp,media=video,encoding-name=VP8,clock-rate=90000,rtcp-fb-nack-pli=(boolean)true,"
           "rtcp-fb-ccm-fir=(boolean)true,payload=" +
           QByteArray::number(payloadType);
}

QByteArray playback(const MediaSession::Settings &settings, const QByteArray &echoProbe)
{
    // WebRtcPipeline lets whichever sink this is play without waiting for the clock or a first buffer.
    const QByteArray sink = settings.testSources         ? "fakesink"
                            : settings.speaker.isEmpty() ? "autoaudiosink"
                                                         : "pulsesink name=speaker";
    return "audioconvert ! audioresample ! audio/x-raw,format=S16LE,rate=48000,channels=1 ! webrtcechoprobe "
           "name=" +
           echoProbe + " ! audioconvert ! audioresample ! " + sink;
}

Result<GstElement *> parseBin(const QByteArray &description)
{
    GError *error = nullptr;
    GstElement *bin = gst_parse_bin_from_description_full(description.constData(), TRUE, nullptr,
                                                          GST_PARSE_FLAG_FATAL_ERRORS, &error);
    if (bin)
        return bin;
    const QString detail = error ? QString::fromUtf8(error->message) : QString::fromUtf8(description);
    g_clear_error(&error);
    return Error(Error::Code::MediaPipelineFailed, detail);
}

} // namespace Natter::Core::Calls::MediaBranches
