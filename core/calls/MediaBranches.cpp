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

namespace {

QByteArray videoEncoding(const VideoFormat &format)
{
    const QByteArray pt = QByteArray::number(format.payloadType);
    const QByteArray rtpCaps =
        "capsfilter caps=application/x-rtp,media=video,encoding-name=" + encodingName(format.codec) +
        ",clock-rate=90000,payload=" + pt;
    if (format.codec == VideoCodec::H264) {
        // SPS and PPS go with every keyframe, so a picture can start at any of them; the profile and level
        // in the caps are the negotiated ones (webrtcbin accepts only caps that match what it offered).
        // WebRtcPipeline sets the bitrate.
        return "openh264enc name=encoder rate-control=bitrate usage-type=camera complexity=low gop-size=60 "
               "enable-frame-skip=true"
               " ! video/x-h264,profile=constrained-baseline ! h264parse ! rtph264pay pt=" +
               pt +
               " config-interval=-1 aggregate-mode=zero-latency ! capssetter caps=\"application/x-rtp,"
               "profile-level-id=(string)" +
               format.profileLevelId + ",packetization-mode=(string)1\" ! " + rtpCaps;
    }
    return "vp8enc name=encoder deadline=1 error-resilient=default keyframe-max-dist=60 cpu-used=8"
           " ! rtpvp8pay pt=" +
           pt + " picture-id-mode=15-bit ! " + rtpCaps;
}

QByteArray videoCaps(const VideoFormat &format)
{
    QByteArray caps = "application/x-rtp,media=video,encoding-name=" + encodingName(format.codec) +
                      ",clock-rate=90000,rtcp-fb-nack-pli=(boolean)true,rtcp-fb-ccm-fir=(boolean)true";
    if (format.codec == VideoCodec::H264)
        caps += ",packetization-mode=(string)1,profile-level-id=(string)" + format.profileLevelId +
                ",level-asymmetry-allowed=(string)1";
    return caps + ",payload=" + QByteArray::number(format.payloadType);
}

} // namespace

QByteArray videoSending(const MediaSession::Settings &settings, const VideoFormat &format)
{
    return videoSource(settings) +
           " ! videoconvert ! videoscale ! videorate max-rate=30"
           " ! video/x-raw,width=[16,1280],height=[16,720],pixel-aspect-ratio=1/1"
           " ! valve name=camera drop-mode=forward-sticky-events ! tee name=split"
           " split. ! queue max-size-buffers=2 leaky=downstream ! valve name=gate drop=true "
           "drop-mode=forward-sticky-events ! videoconvert ! " +
           videoEncoding(format) +
           " split. ! queue max-size-buffers=1 leaky=downstream ! videoconvert ! videoscale"
           " ! video/x-raw,format=RGB,width=[1,640],height=[1,640]"
           " ! appsink name=frames sync=false max-buffers=1 drop=true";
}

QByteArray videoRtpCaps(const QList<VideoFormat> &formats)
{
    QByteArrayList structures;
    for (const VideoFormat &format : formats)
        structures.append(videoCaps(format));
    return structures.join(';');
}

QByteArray videoReceiving(VideoCodec codec)
{
    const QByteArray decoding = codec == VideoCodec::H264
                                    ? "rtph264depay ! h264parse ! openh264dec name=decoder"
                                    : "rtpvp8depay ! vp8dec name=decoder";
    return decoding + " ! videoconvert ! videoscale"
                      " ! video/x-raw,format=RGB,width=[1,1280],height=[1,720],pixel-aspect-ratio=1/1"
                      " ! appsink name=frames sync=true async=false max-buffers=1 drop=true";
}

void setEncoderBitrate(GstElement *encoder, int bitsPerSecond)
{
    if (g_object_class_find_property(G_OBJECT_GET_CLASS(encoder), "target-bitrate"))
        g_object_set(encoder, "target-bitrate", gint(bitsPerSecond), nullptr); // vp8enc
    else if (g_object_class_find_property(G_OBJECT_GET_CLASS(encoder), "bitrate"))
        g_object_set(encoder, "bitrate", guint(bitsPerSecond), nullptr); // openh264enc
}

QByteArray playback(const MediaSession::Settings &settings, const QByteArray &echoProbe)
{
    // WebRtcPipeline lets whichever sink this is play without waiting for the clock or a first buffer, and
    // puts a named speaker in this one's place (WebRtcPipeline::setSpeaker).
    const QByteArray sink = settings.testSources ? "fakesink name=speaker" : "autoaudiosink name=speaker";
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
