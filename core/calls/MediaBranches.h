// SPDX-License-Identifier: GPL-3.0-or-later
// The GStreamer descriptions of a call's branches (capture and encoding, playback through the echo probe,
// decoding what arrives), parsed into bins that WebRtcPipeline links to webrtcbin.
#pragma once

#include "MediaSession.h"
#include "VideoFormat.h"
#include "common/Result.h"

#include <QByteArray>
#include <gst/gst.h>

namespace Natter::Core::Calls::MediaBranches {

// webrtcdsp finds its probe by name in a process-wide list, so every call needs a name of its own.
QByteArray nextEchoProbeName();

// Source ("source") → webrtcdsp → valve "gate" → Opus "encoder" → RTP with that payload type.
QByteArray audioSending(const MediaSession::Settings &settings, const QByteArray &echoProbe, int payloadType);
// Source → valve "camera" → tee: valve "gate" → VP8 or H.264 "encoder" → RTP; and RGB frames to appsink
// "frames".
QByteArray videoSending(const MediaSession::Settings &settings, const VideoFormat &format);
// The codecs a transceiver offers or answers with.
QByteArray audioRtpCaps(int payloadType);
QByteArray videoRtpCaps(const QList<VideoFormat> &formats);
// The target of a VP8 or H.264 encoder made by videoSending().
void setEncoderBitrate(GstElement *encoder, int bitsPerSecond);
// Decoded far-end audio → webrtcechoprobe → speaker (or a clocked fakesink with test sources).
QByteArray playback(const MediaSession::Settings &settings, const QByteArray &echoProbe);

// What arrives: decoded at "decoder"; audio goes on to playback, RGB video to appsink "frames", anything
// else (a second stream of a kind) is discarded.
inline constexpr auto AudioReceiving =
    "rtpopusdepay ! opusdec name=decoder plc=true ! audioconvert ! audioresample";
QByteArray videoReceiving(VideoCodec codec);
inline constexpr auto Discarding = "fakesink sync=false async=false";

// A bin with ghost pads for its unlinked ends; a floating reference.
Result<GstElement *> parseBin(const QByteArray &description);

} // namespace Natter::Core::Calls::MediaBranches
