// SPDX-License-Identifier: GPL-3.0-or-later
#include "Gst.h"

#include <gst/video/video.h>

namespace Natter::Core::Gst {

Result<Success> ensureInitialised()
{
    static const Result<Success> initialised = []() -> Result<Success> {
        GError *error = nullptr;
        if (gst_init_check(nullptr, nullptr, &error))
            return Success{};
        const QString detail = error ? QString::fromUtf8(error->message) : QStringLiteral("gst_init failed");
        g_clear_error(&error);
        return Error(Error::Code::MediaPipelineFailed, detail);
    }();
    return initialised;
}

ElementPointer adoptElement(GstElement *element)
{
    if (element)
        gst_object_ref_sink(element);
    return ElementPointer(element, [](GstElement *owned) {
        if (owned)
            gst_object_unref(owned);
    });
}

QString takeString(gchar *text)
{
    const QString result = QString::fromUtf8(text);
    g_free(text);
    return result;
}

PreviewFrame previewFrameOf(GstSample *sample)
{
    GstVideoInfo info;
    if (!gst_video_info_from_caps(&info, gst_sample_get_caps(sample)))
        return {};
    GstVideoFrame mapped;
    if (!gst_video_frame_map(&mapped, &info, gst_sample_get_buffer(sample), GST_MAP_READ))
        return {};
    PreviewFrame preview;
    preview.width = mapped.info.width;
    preview.height = mapped.info.height;
    preview.bytesPerLine = mapped.info.stride[0];
    preview.rgb = QByteArray(static_cast<const char *>(mapped.data[0]),
                             qsizetype(preview.bytesPerLine) * preview.height);
    gst_video_frame_unmap(&mapped);
    return preview;
}

} // namespace Natter::Core::Gst
