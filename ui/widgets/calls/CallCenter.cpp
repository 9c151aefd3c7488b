// SPDX-License-Identifier: GPL-3.0-or-later
#include "CallCenter.h"

#include "CallWindow.h"
#include "account/Account.h"
#include "calls/CallService.h"
#include "calls/DeviceMonitor.h"
#include "calls/Ringtone.h"

namespace Natter::Ui {

using Core::Calls::Call;
using Core::Calls::CallService;

CallCenter::CallCenter(std::function<QString(Core::Account *, const QString &)> nameOf, QObject *parent)
    : QObject(parent)
    , m_nameOf(std::move(nameOf))
    , m_ringtone(new Core::Calls::Ringtone(this))
{}

CallCenter::~CallCenter()
{
    delete m_window.data();
}

void CallCenter::watch(Core::Account *account)
{
    CallService &calls = account->calls();
    connect(&calls, &CallService::incoming, this, [this, account](Call *call) {
        open(account, call);
        m_ringtone->setSilent(account->calls().mediaSettings().testSources);
        m_ringtone->start();
        connect(call, &Call::stateChanged, m_ringtone, [this, call] {
            if (call->state() != Call::State::Ringing)
                m_ringtone->stop();
        });
    });
    connect(&calls, &CallService::outgoing, this, [this, account](Call *call) { open(account, call); });
    connect(&calls, &CallService::missedWhileBusy, this, [this, account](const QString &peer, bool video) {
        const QString name = m_nameOf(account, peer);
        Q_EMIT reported(video ? tr("%1 tried a video call while you were in a call.").arg(name)
                              : tr("%1 tried to call while you were in a call.").arg(name));
    });
}

bool CallCenter::call(Core::Account *account, const QString &peer, bool video)
{
    if (!account->calls().call(peer, video)) {
        Q_EMIT reported(tr("Finish the call under way first."));
        return false;
    }
    return true;
}

CallWindow *CallCenter::currentWindow() const
{
    return m_window;
}

void CallCenter::open(Core::Account *account, Call *call)
{
    if (m_window && m_window->call() && m_window->call()->state() == Call::State::Ended)
        m_window->close();
    // Probing the device providers takes a moment: done at the first call, not when Natter starts.
    if (!m_devices)
        m_devices = new Core::Calls::DeviceMonitor(this);
    auto *window = new CallWindow(call, m_nameOf(account, call->peer()), m_devices);
    m_window = window;
    connect(window, &CallWindow::deviceChosen, this, &CallCenter::deviceChosen);
    window->show();
    window->raise();
    window->activateWindow();
    Q_EMIT windowOpened(window);
}

} // namespace Natter::Ui
