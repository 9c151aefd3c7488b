// SPDX-License-Identifier: GPL-3.0-or-later
// Where the device chosen for calls of each kind is remembered.
#pragma once

#include "account/Preferences.h"
#include "calls/DeviceMonitor.h"

namespace Natter::Ui {

inline Core::Preferences::Text devicePreference(Core::Calls::DeviceMonitor::Kind kind)
{
    switch (kind) {
    case Core::Calls::DeviceMonitor::Kind::Microphone:
        return Core::Preferences::Text::CallMicrophone;
    case Core::Calls::DeviceMonitor::Kind::Speaker:
        return Core::Preferences::Text::CallSpeaker;
    case Core::Calls::DeviceMonitor::Kind::Camera:
        break;
    }
    return Core::Preferences::Text::CallCamera;
}

} // namespace Natter::Ui
