// SPDX-License-Identifier: GPL-3.0-or-later
// Where calls meet the desktop: opens a call window for every call placed or ringing, rings for incoming
// ones (and raises their window), and knows the devices a call can switch to (from the first call on).
#pragma once

#include "calls/DeviceMonitor.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <functional>

namespace Natter::Core {
class Account;
}

namespace Natter::Core::Calls {
class Call;
class Ringtone;
} // namespace Natter::Core::Calls

namespace Natter::Ui {

class CallWindow;

class CallCenter : public QObject
{
    Q_OBJECT
public:
    // nameOf gives a contact's display name from their bare JID.
    CallCenter(std::function<QString(Core::Account *, const QString &)> nameOf, QObject *parent = nullptr);
    ~CallCenter() override;

    void watch(Core::Account *account);
    // Places a call and opens its window; false (with a reason in the status) when one is under way.
    bool call(Core::Account *account, const QString &peer, bool video);
    // The window of the call under way, if any.
    CallWindow *currentWindow() const;
    Core::Calls::Ringtone &ringtone() const { return *m_ringtone; }

Q_SIGNALS:
    // Something to tell in the status bar: a contact called while we were busy.
    void reported(const QString &text);
    // A call window opened (tests and the main window follow it).
    void windowOpened(Natter::Ui::CallWindow *window);
    // The user switched devices during a call: the next calls start with that one.
    void deviceChosen(Natter::Core::Calls::DeviceMonitor::Kind kind, const QString &device);

private:
    void open(Core::Account *account, Core::Calls::Call *call);

    std::function<QString(Core::Account *, const QString &)> m_nameOf;
    Core::Calls::DeviceMonitor *m_devices = nullptr;
    Core::Calls::Ringtone *m_ringtone = nullptr;
    QPointer<CallWindow> m_window;
};

} // namespace Natter::Ui
