// SPDX-License-Identifier: GPL-3.0-or-later
// Natter in the system tray: the unread count on the icon and in the tooltip, and a menu to show or hide
// the window, set the status of every account, and quit.
#pragma once

#include <QMenu>
#include <QObject>
#include <QSystemTrayIcon>

namespace Natter::Core {
class AccountManager;
}

namespace Natter::Ui {

class TrayIcon : public QObject
{
    Q_OBJECT
public:
    explicit TrayIcon(Core::AccountManager &accounts, QObject *parent = nullptr);

    static bool isAvailable() { return QSystemTrayIcon::isSystemTrayAvailable(); }
    // Natter's icon, with the count on a badge when there is one.
    static QIcon icon(int unread);

    QSystemTrayIcon &trayIcon() { return m_tray; }
    QMenu &menu() { return m_menu; }
    void setUnread(int unread);
    int unread() const { return m_unread; }
    // "Hide Natter" while the window shows, "Show Natter" while it does not.
    void setWindowVisible(bool visible);

Q_SIGNALS:
    void toggleWindowRequested();
    void quitRequested();

private:
    Core::AccountManager &m_accounts;
    QSystemTrayIcon m_tray;
    QMenu m_menu;
    QAction *m_toggle = nullptr;
    int m_unread = -1;
};

} // namespace Natter::Ui
