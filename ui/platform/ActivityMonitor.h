// SPDX-License-Identifier: GPL-3.0-or-later
// Client State Indication (XEP-0352): tells every account's server that nobody is looking while no Natter
// window has the focus or the screen is locked, so the server can hold back presence noise.
#pragma once

#include <QObject>
#include <QTimer>

namespace Natter::Core {
class Account;
class AccountManager;
} // namespace Natter::Core

namespace Natter::Ui {

class ActivityMonitor : public QObject
{
    Q_OBJECT
public:
    explicit ActivityMonitor(Core::AccountManager &accounts, QObject *parent = nullptr);

    // Active: a Natter window has the focus and the screen is not locked.
    bool isUserActive() const { return m_active; }

    // Delay before "inactive" is sent, so switching windows for a moment does not flood the server.
    void setInactiveDelay(int milliseconds) { m_inactiveDelay.setInterval(milliseconds); }

Q_SIGNALS:
    void userActiveChanged(bool active);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private Q_SLOTS:
    // org.freedesktop.ScreenSaver / org.gnome.ScreenSaver ActiveChanged(bool).
    void screenLockChanged(bool locked);

private:
    void evaluate();
    void apply(bool active);

    Core::AccountManager &m_accounts;
    QTimer m_inactiveDelay;
    QTimer m_settle;
    bool m_screenLocked = false;
    bool m_active = true;
};

} // namespace Natter::Ui
