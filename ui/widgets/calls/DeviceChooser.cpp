// SPDX-License-Identifier: GPL-3.0-or-later
#include "DeviceChooser.h"

#include <QSignalBlocker>

namespace Natter::Ui {

using Core::Calls::DeviceMonitor;

DeviceChooser::DeviceChooser(const DeviceMonitor *devices, DeviceMonitor::Kind kind, const QString &chosen,
                             QWidget *parent)
    : QComboBox(parent)
    , m_devices(devices)
    , m_kind(kind)
    , m_chosen(chosen)
{
    fill();
    connect(devices, &DeviceMonitor::devicesChanged, this, &DeviceChooser::fill);
    connect(this, &QComboBox::activated, this, [this](int index) {
        m_chosen = itemData(index).toString();
        Q_EMIT deviceChosen(m_chosen);
    });
}

QString DeviceChooser::device() const
{
    return m_chosen;
}

void DeviceChooser::fill()
{
    const QSignalBlocker blocker(this);
    clear();
    addItem(tr("System default"), QString());
    const QStringList devices = m_devices->devices(m_kind);
    for (const QString &device : devices)
        addItem(device, device);
    if (!m_chosen.isEmpty() && !devices.contains(m_chosen))
        addItem(tr("%1 (not connected)").arg(m_chosen), m_chosen);
    setCurrentIndex(findData(m_chosen));
}

} // namespace Natter::Ui
