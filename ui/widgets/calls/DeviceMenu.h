// SPDX-License-Identifier: GPL-3.0-or-later
// The call window's device menu: a section per kind of device (microphone, speaker, camera) with the
// system's default and every device DeviceMonitor lists, the one in use checked.
#pragma once

#include "calls/DeviceMonitor.h"

#include <QMenu>
#include <functional>

namespace Natter::Ui {

class DeviceMenu : public QMenu
{
    Q_OBJECT
public:
    using Kind = Core::Calls::DeviceMonitor::Kind;

    // inUse gives the device of a kind in use (empty: the system's default); devices may be null (nothing
    // found).
    DeviceMenu(const Core::Calls::DeviceMonitor *devices, const QList<Kind> &kinds,
               const std::function<QString(Kind)> &inUse, QWidget *parent = nullptr);

    static QString title(Kind kind);

Q_SIGNALS:
    // An empty name stands for the system's default.
    void chosen(Natter::Ui::DeviceMenu::Kind kind, const QString &device);

private:
    void addKind(const Core::Calls::DeviceMonitor *devices, Kind kind, const QString &inUse);
};

} // namespace Natter::Ui
