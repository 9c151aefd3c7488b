// SPDX-License-Identifier: GPL-3.0-or-later
#include "DeviceMonitor.h"

#include "common/Logging.h"
#include "media/Gst.h"

#include <QPointer>
#include <mutex>

namespace Natter::Core::Calls {

namespace {

const char *classesOf(DeviceMonitor::Kind kind)
{
    switch (kind) {
    case DeviceMonitor::Kind::Microphone:
        return "Audio/Source";
    case DeviceMonitor::Kind::Speaker:
        return "Audio/Sink";
    case DeviceMonitor::Kind::Camera:
        return "Video/Source";
    }
    return "";
}

} // namespace

// Device messages come on GStreamer's thread; they only ask the monitor, on its own thread, to look again.
struct DeviceMonitor::Watch
{
    std::mutex mutex;
    DeviceMonitor *owner = nullptr;
    GstDeviceMonitor *monitor = nullptr;

    static GstBusSyncReply onBusMessage(GstBus *, GstMessage *message, gpointer data)
    {
        auto *watch = static_cast<Watch *>(data);
        const auto type = GST_MESSAGE_TYPE(message);
        if (type == GST_MESSAGE_DEVICE_ADDED || type == GST_MESSAGE_DEVICE_REMOVED ||
            type == GST_MESSAGE_DEVICE_CHANGED) {
            const std::lock_guard lock(watch->mutex);
            if (watch->owner)
                QMetaObject::invokeMethod(watch->owner, &DeviceMonitor::refresh, Qt::QueuedConnection);
        }
        gst_message_unref(message);
        return GST_BUS_DROP;
    }
};

DeviceMonitor::DeviceMonitor(QObject *parent)
    : QObject(parent)
    , m_watch(std::make_shared<Watch>())
{
    if (const auto initialised = Gst::ensureInitialised(); !isOk(initialised)) {
        qCWarning(lcCalls) << "no device monitor:" << errorOf(initialised).detail;
        return;
    }
    m_watch->owner = this;
    m_watch->monitor = gst_device_monitor_new();
    for (const auto kind : {Kind::Microphone, Kind::Speaker, Kind::Camera})
        gst_device_monitor_add_filter(m_watch->monitor, classesOf(kind), nullptr);
    GstBus *bus = gst_device_monitor_get_bus(m_watch->monitor);
    gst_bus_set_sync_handler(bus, &Watch::onBusMessage, m_watch.get(), nullptr);
    gst_object_unref(bus);
    if (!gst_device_monitor_start(m_watch->monitor))
        qCInfo(lcCalls) << "the device monitor could not start: devices are listed once";
    refresh();
}

DeviceMonitor::~DeviceMonitor()
{
    {
        const std::lock_guard lock(m_watch->mutex);
        m_watch->owner = nullptr;
    }
    if (!m_watch->monitor)
        return;
    gst_device_monitor_stop(m_watch->monitor);
    GstBus *bus = gst_device_monitor_get_bus(m_watch->monitor);
    gst_bus_set_sync_handler(bus, nullptr, nullptr, nullptr);
    gst_object_unref(bus);
    gst_object_unref(m_watch->monitor);
}

QStringList DeviceMonitor::devices(Kind kind) const
{
    switch (kind) {
    case Kind::Microphone:
        return m_microphones;
    case Kind::Speaker:
        return m_speakers;
    case Kind::Camera:
        return m_cameras;
    }
    return {};
}

void DeviceMonitor::refresh()
{
    QStringList microphones;
    QStringList speakers;
    QStringList cameras;
    GList *devices = m_watch->monitor ? gst_device_monitor_get_devices(m_watch->monitor) : nullptr;
    for (GList *item = devices; item; item = item->next) {
        auto *device = static_cast<GstDevice *>(item->data);
        const QString name = Gst::takeString(gst_device_get_display_name(device));
        QStringList *list = nullptr;
        if (gst_device_has_classes(device, classesOf(Kind::Microphone)))
            list = &microphones;
        else if (gst_device_has_classes(device, classesOf(Kind::Speaker)))
            list = &speakers;
        else if (gst_device_has_classes(device, classesOf(Kind::Camera)))
            list = &cameras;
        // PulseAudio lists each sink's monitor as a source too: it records what plays, not a microphone.
        const bool monitorOfASink =
            gst_device_has_classes(device, "Audio/Source") && name.startsWith(QStringLiteral("Monitor of"));
        if (list && !monitorOfASink && !list->contains(name))
            list->append(name);
    }
    g_list_free_full(devices, gst_object_unref);
    if (microphones == m_microphones && speakers == m_speakers && cameras == m_cameras)
        return;
    m_microphones = microphones;
    m_speakers = speakers;
    m_cameras = cameras;
    Q_EMIT devicesChanged();
}

} // namespace Natter::Core::Calls
