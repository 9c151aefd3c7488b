// SPDX-License-Identifier: GPL-3.0-or-later
#include "VideoFormat.h"

#include <gst/gst.h>

namespace Natter::Core::Calls {

namespace {

constexpr int FirstDynamicPayloadType = 96;
// Constrained baseline, level 3.1 (1280 × 720 at 30 frames a second): what WebRTC clients offer first.
constexpr auto DefaultH264ProfileLevel = "42e01f";

bool hasElements(std::initializer_list<const char *> names)
{
    for (const char *name : names) {
        GstElementFactory *factory = gst_element_factory_find(name);
        if (!factory)
            return false;
        gst_object_unref(factory);
    }
    return true;
}

bool canUse(VideoCodec codec)
{
    switch (codec) {
    case VideoCodec::Vp8:
        return hasElements({"vp8enc", "vp8dec", "rtpvp8pay", "rtpvp8depay"});
    case VideoCodec::H264:
        return hasElements({"openh264enc", "openh264dec", "h264parse", "rtph264pay", "rtph264depay"});
    }
    return false;
}

QString parameter(const QString &parameters, QStringView name)
{
    for (const QString &pair : parameters.split(u';', Qt::SkipEmptyParts)) {
        const QString trimmed = pair.trimmed();
        if (trimmed.section(u'=', 0, 0).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return trimmed.section(u'=', 1).trimmed();
    }
    return {};
}

std::optional<VideoFormat> usable(const SdpFormat &format, const QList<VideoCodec> &codecs)
{
    if (format.encoding.compare(u"VP8", Qt::CaseInsensitive) == 0 && codecs.contains(VideoCodec::Vp8))
        return VideoFormat{VideoCodec::Vp8, format.payloadType, {}};
    if (format.encoding.compare(u"H264", Qt::CaseInsensitive) != 0 || !codecs.contains(VideoCodec::H264))
        return std::nullopt;
    // Mode 0 (one NAL unit per packet) is what rtph264pay cannot promise; openh264 decodes baseline only.
    if (parameter(format.parameters, u"packetization-mode") != u"1")
        return std::nullopt;
    const QString profileLevel = parameter(format.parameters, u"profile-level-id");
    if (!profileLevel.isEmpty() && (profileLevel.size() != 6 || !profileLevel.startsWith(u"42")))
        return std::nullopt;
    return VideoFormat{VideoCodec::H264, format.payloadType,
                       profileLevel.isEmpty() ? QByteArray(DefaultH264ProfileLevel)
                                              : profileLevel.toLatin1()};
}

} // namespace

QList<VideoCodec> availableVideoCodecs(const QList<VideoCodec> &wanted)
{
    QList<VideoCodec> available;
    for (VideoCodec codec : wanted) {
        if (!available.contains(codec) && canUse(codec))
            available.append(codec);
    }
    return available;
}

QList<VideoFormat> offeredVideoFormats(const QList<VideoCodec> &codecs)
{
    QList<VideoFormat> formats;
    int payloadType = FirstDynamicPayloadType;
    for (VideoCodec codec : codecs) {
        formats.append({codec, payloadType++,
                        codec == VideoCodec::H264 ? QByteArray(DefaultH264ProfileLevel) : QByteArray()});
    }
    return formats;
}

std::optional<VideoFormat> firstUsableFormat(const QList<SdpFormat> &formats, const QList<VideoCodec> &codecs)
{
    for (const SdpFormat &format : formats) {
        if (auto chosen = usable(format, codecs))
            return chosen;
    }
    return std::nullopt;
}

QByteArray encodingName(VideoCodec codec)
{
    return codec == VideoCodec::H264 ? "H264" : "VP8";
}

} // namespace Natter::Core::Calls
