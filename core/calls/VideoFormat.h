// SPDX-License-Identifier: GPL-3.0-or-later
// The video codecs a call can use (VP8 always; H.264 where GStreamer has openh264), the formats we offer, and
// the choice of one format from a description the other side wrote.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <optional>

namespace Natter::Core::Calls {

enum class VideoCodec
{
    Vp8,
    H264,
};

struct VideoFormat
{
    VideoCodec codec = VideoCodec::Vp8;
    int payloadType = -1;
    // H.264 only: what the description says of the stream (profile_idc 0x42: baseline).
    QByteArray profileLevelId;
};

// One codec line of an m-line: "a=rtpmap:<payloadType> <encoding>/…" with its "a=fmtp" parameters.
struct SdpFormat
{
    int payloadType = -1;
    QString encoding;
    QString parameters; // "name=value;name=value"
};

// Those of the wanted codecs that this machine can encode and decode, in the same order.
QList<VideoCodec> availableVideoCodecs(const QList<VideoCodec> &wanted);

// What we offer: each codec with a payload type of its own, from 96 on.
QList<VideoFormat> offeredVideoFormats(const QList<VideoCodec> &codecs);

// The first of the formats (in the order the other side prefers) that we can send and decode: VP8, or H.264
// in packetization mode 1 and a baseline profile.
std::optional<VideoFormat> firstUsableFormat(const QList<SdpFormat> &formats,
                                             const QList<VideoCodec> &codecs);

// "VP8", "H264": as in RTP caps and SDP.
QByteArray encodingName(VideoCodec codec);

} // namespace Natter::Core::Calls
