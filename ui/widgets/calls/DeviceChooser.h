// SPDX-License-Identifier: GPL-3.0-or-later
// A choice of one kind of call device for the settings: the system's default or one DeviceMonitor lists,
// kept current as devices come and go. A chosen device that is not connected stays chosen and says so, so
// plugging it in again brings it back.
#pragma once

#include "calls/DeviceMonitor.h"

#include <QComboBox>

namespace Natter::Ui {

class DeviceChooser : public QComboBox
{
    Q_OBJECT
public:
    DeviceChooser(const Core::Calls::DeviceMonitor *devices, Core::Calls::DeviceMonitor::Kind kind,
                  const QString &chosen, QWidget *parent = nullptr);

    // Empty: the system's default.
    QString device() const;

Q_SIGNALS:
    void deviceChosen(const QString &device);

private:
    void fill();

    const Core::Calls::DeviceMonitor *const m_devices;
    const Core::Calls::DeviceMonitor::Kind m_kind;
    QString m_chosen;
};

} // namespace Natter::Ui
