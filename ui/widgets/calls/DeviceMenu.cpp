// SPDX-License-Identifier: GPL-3.0-or-later
#include "DeviceMenu.h"

#include <QActionGroup>

namespace Natter::Ui {

DeviceMenu::DeviceMenu(const Core::Calls::DeviceMonitor *devices, const QList<Kind> &kinds,
                       const std::function<QString(Kind)> &inUse, QWidget *parent)
    : QMenu(parent)
{
    setObjectName(QStringLiteral("callDevicesMenu"));
    for (const Kind kind : kinds)
        addKind(devices, kind, inUse(kind));
}

QString DeviceMenu::title(Kind kind)
{
    switch (kind) {
    case Kind::Microphone:
        return tr("Microphone");
    case Kind::Speaker:
        return tr("Speaker");
    case Kind::Camera:
        return tr("Camera");
    }
    return {};
}

void DeviceMenu::addKind(const Core::Calls::DeviceMonitor *devices, Kind kind, const QString &inUse)
{
    addSection(title(kind));
    auto *group = new QActionGroup(this);
    const auto addChoice = [&](const QString &text, const QString &device) {
        QAction *action = addAction(text, this, [this, kind, device] { Q_EMIT chosen(kind, device); });
        action->setCheckable(true);
        action->setChecked(device == inUse);
        action->setActionGroup(group);
    };
    addChoice(tr("System default"), QString());
    for (const QString &device : devices ? devices->devices(kind) : QStringList())
        addChoice(device, device);
}

} // namespace Natter::Ui
