// SPDX-License-Identifier: GPL-3.0-or-later
// The microphones, speakers and cameras GStreamer sees (PipeWire, PulseAudio, ALSA, V4L2), kept current
// as devices come and go, so a call can switch to a headset plugged in during it.
#pragma once

#include <QObject>
#include <QStringList>
#include <memory>

namespace Natter::Core::Calls {

class DeviceMonitor : public QObject
{
    Q_OBJECT
public:
    enum class Kind
    {
        Microphone,
        Speaker,
        Camera,
    };
    Q_ENUM(Kind)

    explicit DeviceMonitor(QObject *parent = nullptr);
    ~DeviceMonitor() override;

    // Display names, as MediaSession::Settings and MediaSession::setMicrophone() take them.
    QStringList devices(Kind kind) const;

Q_SIGNALS:
    void devicesChanged();

private:
    struct Watch;
    void refresh();

    std::shared_ptr<Watch> m_watch;
    QStringList m_microphones;
    QStringList m_speakers;
    QStringList m_cameras;
};

} // namespace Natter::Core::Calls
