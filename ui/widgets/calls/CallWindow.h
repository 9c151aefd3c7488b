// SPDX-License-Identifier: GPL-3.0-or-later
// The window of one call: the contact's video (or their initial), our own small self-view, what the call is
// doing ("Ringing…", "Connected via relay · 1:05", "Reconnecting…"), and its controls: accept and decline
// while it rings here; mute, camera, devices and hang up once it runs. After the call it says how it ended
// and closes by itself, unless it failed, so the reason stays readable.
#pragma once

#include "DeviceMenu.h"
#include "calls/Call.h"

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QLabel;
class QPushButton;
class QToolButton;

namespace Natter::Ui {

class VideoView;

class CallWindow : public QWidget
{
    Q_OBJECT
public:
    CallWindow(Core::Calls::Call *call, const QString &contactName, Core::Calls::DeviceMonitor *devices,
               QWidget *parent = nullptr);

    Core::Calls::Call *call() const { return m_call; }
    // How long the window stays after a call that did not fail (milliseconds).
    static constexpr int CloseDelayMs = 2500;

Q_SIGNALS:
    // The user switched to that device during the call (empty: the system's default).
    void deviceChosen(Natter::Ui::DeviceMenu::Kind kind, const QString &device);

protected:
    void resizeEvent(QResizeEvent *event) override;
    void closeEvent(QCloseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    void createControls();
    void refresh();
    void placeSelfView();
    void showDevicesMenu();
    void switchDevice(DeviceMenu::Kind kind, const QString &device);
    QPushButton *roundButton(const QString &objectName, const QString &text, const QString &icon,
                             const QString &colour);

    QPointer<Core::Calls::Call> m_call;
    Core::Calls::DeviceMonitor *m_devices = nullptr;
    const bool m_video;
    QLabel *m_name = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_remoteMuted = nullptr;
    VideoView *m_remoteView = nullptr;
    VideoView *m_selfView = nullptr;
    QPushButton *m_accept = nullptr;
    QPushButton *m_decline = nullptr;
    QPushButton *m_mute = nullptr;
    QPushButton *m_camera = nullptr;
    QPushButton *m_deviceButton = nullptr;
    QPushButton *m_hangUp = nullptr;
    QTimer m_clock;
    QString m_endText;
};

} // namespace Natter::Ui
