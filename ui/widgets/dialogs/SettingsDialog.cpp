// SPDX-License-Identifier: GPL-3.0-or-later
#include "SettingsDialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QGroupBox>
#include <QSystemTrayIcon>
#include <QVBoxLayout>

namespace Natter::Ui {

using Key = Core::Preferences::Key;

SettingsDialog::SettingsDialog(Core::Preferences &preferences, QWidget *parent)
    : QDialog(parent)
    , m_preferences(preferences)
{
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(tr("Preferences"));
    auto *privacy = new QGroupBox(tr("Privacy"), this);
    auto *privacyLayout = new QVBoxLayout(privacy);
    privacyLayout->addWidget(addBox(Key::SendChatStates, tr("Let contacts see when I am typing"),
                                    tr("Sends chat state notifications (XEP-0085)")));
    privacyLayout->addWidget(
        addBox(Key::SendReadMarkers, tr("Let contacts see when I have read their messages"),
               tr("Sends read markers (XEP-0333) for messages shown in a focused window")));
    auto *notifications = new QGroupBox(tr("Notifications"), this);
    auto *notificationLayout = new QVBoxLayout(notifications);
    notificationLayout->addWidget(addBox(Key::NotificationsEnabled,
                                         tr("Show a notification for new messages"),
                                         tr("Never for the chat you are reading, muted chats or while "
                                            "your status is “Do not disturb”")));
    notificationLayout->addWidget(addBox(Key::NotificationPreviews,
                                         tr("Show the message text in notifications"),
                                         tr("Off: notifications only say who wrote")));
    auto *window = new QGroupBox(tr("Window"), this);
    auto *windowLayout = new QVBoxLayout(window);
    QCheckBox *tray = addBox(Key::CloseToTray, tr("Closing the window keeps Natter running in the tray"),
                             tr("Quit from the tray menu or Natter → Quit"));
    if (!QSystemTrayIcon::isSystemTrayAvailable()) {
        tray->setEnabled(false);
        tray->setToolTip(tr("This desktop has no system tray"));
    }
    windowLayout->addWidget(tray);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::accept);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(privacy);
    layout->addWidget(notifications);
    layout->addWidget(window);
    layout->addWidget(buttons);
}

QCheckBox *SettingsDialog::addBox(Key key, const QString &text, const QString &help)
{
    auto *box = new QCheckBox(text, this);
    box->setObjectName(QString::fromLatin1(QMetaEnum::fromType<Key>().valueToKey(int(key))));
    box->setToolTip(help);
    box->setChecked(m_preferences.value(key));
    connect(box, &QCheckBox::toggled, this, [this, key](bool on) { m_preferences.setValue(key, on); });
    m_boxes.insert(key, box);
    return box;
}

} // namespace Natter::Ui
