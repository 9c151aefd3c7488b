// SPDX-License-Identifier: GPL-3.0-or-later
// The words, colours and icons the device dialogs and the chat banner use for an OMEMO device.
#pragma once

#include "crypto/DeviceTrustService.h"

#include <QColor>
#include <QCoreApplication>
#include <QIcon>
#include <QString>

namespace Natter::Ui {

class DevicePresenter
{
    Q_DECLARE_TR_FUNCTIONS(DevicePresenter)
public:
    // The device's own label, else "Device N".
    static QString name(const Core::OmemoDeviceInfo &device);
    // Eight groups of eight hex digits as two lines of four groups; "key not received yet" without a key.
    static QString fingerprintLines(const Core::OmemoDeviceInfo &device);
    static QString fingerprintLines(const QString &grouped);
    // "OMEMO 2", "legacy OMEMO" or both.
    static QString versions(const Core::OmemoDeviceInfo &device);
    // "Verified", "Trusted", "Undecided" or "Untrusted".
    static QString trustText(Core::DeviceTrust trust);
    // trustText(), with "(automatic)" when the policy set it.
    static QString trustState(const Core::OmemoDeviceInfo &device);
    static QColor trustColor(Core::DeviceTrust trust);
    static QIcon trustIcon(Core::DeviceTrust trust);
};

} // namespace Natter::Ui
