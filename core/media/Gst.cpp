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

namespace {

bool deviceMatches(GstDevice *device, const QString &wanted)
{
    if (wanted.isEmpty() || takeString(gst_device_get_display_name(device)) == wanted)
        return true;
    GstStructure *properties = gst_device_get_properties(device);
    if (!properties)
        return false;
    bool matches = false;
    for (const char *key : {"device.path", "api.v4l2.path", "object.path", "node.name"}) {
        const gchar *value = gst_structure_get_string(properties, key);
        matches = matches || (value && QString::fromUtf8(value) == wanted);
    }
    gst_structure_free(properties);
    return matches;
}

} // namespace

ElementPointer deviceElement(const char *classes, const QString &wanted)
{
    GstDeviceMonitor *monitor = gst_device_monitor_new();
    gst_device_monitor_add_filter(monitor, classes, nullptr);
    GList *devices = gst_device_monitor_get_devices(monitor);
    ElementPointer element;
    for (GList *item = devices; item && !element; item = item->next) {
        auto *device = static_cast<GstDevice *>(item->data);
        if (deviceMatches(device, wanted))
            element = adoptElement(gst_device_create_element(device, nullptr));
    }
    g_list_free_full(devices, gst_object_unref);
    gst_object_unref(monitor);
    return element;
}

} // namespace Natter::Core::Gst
