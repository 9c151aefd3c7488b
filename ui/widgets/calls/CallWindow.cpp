// SPDX-License-Identifier: GPL-3.0-or-later
#include "CallWindow.h"

#include "VideoView.h"
#include "calls/DeviceMonitor.h"
#include "calls/MediaSession.h"
#include "presenters/CallPresenter.h"

#include <QCloseEvent>
#include <QHBoxLayout>
#include <QIcon>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace Natter::Ui {

using Core::Calls::Call;
using Core::Calls::DeviceMonitor;

namespace {
constexpr int SelfViewWidth = 180;
constexpr int SelfViewMargin = 12;
} // namespace

CallWindow::CallWindow(Call *call, const QString &contactName, DeviceMonitor *devices, QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_call(call)
    , m_devices(devices)
    , m_video(call->hasVideo())
{
    setObjectName(QStringLiteral("callWindow"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(contactName);
    setWindowIcon(QIcon::fromTheme(m_video ? QStringLiteral("camera-web") : QStringLiteral("call-start")));
    resize(m_video ? QSize(720, 520) : QSize(360, 420));

    m_name = new QLabel(contactName, this);
    m_name->setObjectName(QStringLiteral("callContactName"));
    m_name->setTextFormat(Qt::PlainText);
    m_name->setAlignment(Qt::AlignCenter);
    QFont nameFont = m_name->font();
    nameFont.setBold(true);
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.3);
    m_name->setFont(nameFont);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("callStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setAlignment(Qt::AlignCenter);
    m_status->setWordWrap(true);
    m_remoteMuted = new QLabel(tr("%1 muted their microphone").arg(contactName), this);
    m_remoteMuted->setObjectName(QStringLiteral("callRemoteMuted"));
    m_remoteMuted->setTextFormat(Qt::PlainText);
    m_remoteMuted->setAlignment(Qt::AlignCenter);
    m_remoteMuted->hide();

    m_remoteView = new VideoView(this);
    m_remoteView->setObjectName(QStringLiteral("callRemoteVideo"));
    m_remoteView->setPlaceholderText(contactName);
    m_remoteView->setMinimumSize(240, 180);
    m_selfView = new VideoView(m_remoteView);
    m_selfView->setObjectName(QStringLiteral("callSelfView"));
    m_selfView->setVisible(m_video);

    createControls();

    connect(call, &Call::remoteFrame, m_remoteView, &VideoView::showFrame);
    connect(call, &Call::localFrame, m_selfView, &VideoView::showFrame);
    connect(call, &Call::stateChanged, this, &CallWindow::refresh);
    connect(call, &Call::reconnectingChanged, this, &CallWindow::refresh);
    connect(call, &Call::remoteMuteChanged, m_remoteMuted, &QLabel::setVisible);
    connect(call, &Call::ended, this, [this] {
        m_endText = CallPresenter::endText(*m_call);
        m_clock.stop();
        m_remoteView->clear();
        m_selfView->clear();
        refresh();
        if (m_call->endReason() != Call::EndReason::Failed)
            QTimer::singleShot(CloseDelayMs, this, &QWidget::close);
    });
    m_clock.setInterval(1000);
    connect(&m_clock, &QTimer::timeout, this, &CallWindow::refresh);
    m_clock.start();
    refresh();
}

QPushButton *CallWindow::roundButton(const QString &objectName, const QString &text, const QString &icon,
                                     const QString &colour)
{
    auto *button = new QPushButton(QIcon::fromTheme(icon), text, this);
    button->setObjectName(objectName);
    button->setMinimumHeight(36);
    if (!colour.isEmpty())
        button->setStyleSheet(
            QStringLiteral("QPushButton { background: %1; color: white; border-radius: 6px; "
                           "padding: 6px 14px; } QPushButton:disabled { background: #888; }")
                .arg(colour));
    return button;
}

void CallWindow::createControls()
{
    m_accept = roundButton(QStringLiteral("callAcceptButton"), tr("Accept"), QStringLiteral("call-start"),
                           QStringLiteral("#2e7d32"));
    m_decline = roundButton(QStringLiteral("callDeclineButton"), tr("Decline"), QStringLiteral("call-stop"),
                            QStringLiteral("#c62828"));
    m_mute = roundButton(QStringLiteral("callMuteButton"), tr("Mute"),
                         QStringLiteral("microphone-sensitivity-muted"), {});
    m_mute->setCheckable(true);
    m_mute->setToolTip(tr("Stop sending your microphone (M)"));
    m_camera =
        roundButton(QStringLiteral("callCameraButton"), tr("Camera off"), QStringLiteral("camera-off"), {});
    m_camera->setCheckable(true);
    m_camera->setVisible(m_video);
    m_deviceButton = roundButton(QStringLiteral("callDevicesButton"), tr("Devices"),
                                 QStringLiteral("audio-input-microphone"), {});
    m_hangUp = roundButton(QStringLiteral("callHangUpButton"), tr("Hang up"), QStringLiteral("call-stop"),
                           QStringLiteral("#c62828"));

    connect(m_accept, &QPushButton::clicked, this, [this] {
        if (m_call)
            m_call->accept();
    });
    connect(m_decline, &QPushButton::clicked, this, [this] {
        if (m_call)
            m_call->decline();
    });
    connect(m_mute, &QPushButton::toggled, this, [this](bool muted) {
        if (m_call)
            m_call->setMicrophoneMuted(muted);
        m_mute->setText(muted ? tr("Unmute") : tr("Mute"));
    });
    connect(m_camera, &QPushButton::toggled, this, [this](bool off) {
        if (m_call)
            m_call->setCameraEnabled(!off);
        m_camera->setText(off ? tr("Camera on") : tr("Camera off"));
        if (off)
            m_selfView->clear();
    });
    connect(m_deviceButton, &QPushButton::clicked, this, &CallWindow::showDevicesMenu);
    connect(m_hangUp, &QPushButton::clicked, this, [this] {
        if (m_call)
            m_call->hangUp();
        else
            close();
    });

    auto *controls = new QHBoxLayout;
    controls->addStretch(1);
    for (QPushButton *button : {m_accept, m_decline, m_mute, m_camera, m_deviceButton, m_hangUp})
        controls->addWidget(button);
    controls->addStretch(1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_name);
    layout->addWidget(m_status);
    layout->addWidget(m_remoteView, 1);
    layout->addWidget(m_remoteMuted);
    layout->addLayout(controls);
}

void CallWindow::refresh()
{
    const bool ended = !m_call || m_call->state() == Call::State::Ended;
    const bool ringingHere =
        !ended && m_call->direction() == Call::Direction::Incoming && m_call->state() == Call::State::Ringing;
    m_status->setText(ended ? m_endText : CallPresenter::stateText(*m_call));
    m_accept->setVisible(ringingHere);
    m_decline->setVisible(ringingHere);
    m_mute->setVisible(!ringingHere);
    m_camera->setVisible(!ringingHere && m_video);
    m_deviceButton->setVisible(!ringingHere);
    m_hangUp->setVisible(!ringingHere);
    for (QPushButton *button : {m_mute, m_camera, m_deviceButton})
        button->setEnabled(!ended);
    m_hangUp->setText(ended ? tr("Close") : tr("Hang up"));
    if (ended)
        m_remoteMuted->hide();
}

void CallWindow::showDevicesMenu()
{
    QList<DeviceMenu::Kind> kinds{DeviceMenu::Kind::Microphone, DeviceMenu::Kind::Speaker};
    if (m_video)
        kinds.append(DeviceMenu::Kind::Camera);
    const auto inUse = [this](DeviceMenu::Kind kind) {
        const Core::Calls::MediaSession *media = m_call ? m_call->media() : nullptr;
        return media ? media->device(kind) : QString();
    };
    DeviceMenu menu(m_devices, kinds, inUse, this);
    connect(&menu, &DeviceMenu::chosen, this, &CallWindow::switchDevice);
    menu.exec(m_deviceButton->mapToGlobal(QPoint(0, m_deviceButton->height())));
}

void CallWindow::switchDevice(DeviceMenu::Kind kind, const QString &device)
{
    Core::Calls::MediaSession *media = m_call ? m_call->media() : nullptr;
    if (!media)
        return;
    media->setDevice(kind, device);
    Q_EMIT deviceChosen(kind, device);
}

void CallWindow::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    placeSelfView();
}

void CallWindow::placeSelfView()
{
    const int width = std::min(SelfViewWidth, m_remoteView->width() / 3);
    const int height = width * 3 / 4;
    m_selfView->setGeometry(m_remoteView->width() - width - SelfViewMargin,
                            m_remoteView->height() - height - SelfViewMargin, width, height);
    m_selfView->raise();
}

void CallWindow::closeEvent(QCloseEvent *event)
{
    // Closing the window of a call still going ends it; the call never runs on unseen.
    if (m_call && m_call->state() != Call::State::Ended)
        m_call->hangUp();
    event->accept();
}

void CallWindow::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_M && m_mute->isVisible() && m_mute->isEnabled()) {
        m_mute->toggle();
        return;
    }
    QWidget::keyPressEvent(event);
}

} // namespace Natter::Ui
