// SPDX-License-Identifier: GPL-3.0-or-later
#include "SettingsDialog.h"

#include "widgets/calls/DeviceChooser.h"
#include "widgets/calls/DevicePreference.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSystemTrayIcon>
#include <QVBoxLayout>

namespace Natter::Ui {

using Key = Core::Preferences::Key;
using Text = Core::Preferences::Text;

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
    QGroupBox *files = createFilesGroup();
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::accept);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(privacy);
    layout->addWidget(notifications);
    layout->addWidget(window);
    layout->addWidget(files);
    layout->addWidget(createCallsGroup());
    layout->addWidget(buttons);
}

QGroupBox *SettingsDialog::createCallsGroup()
{
    auto *calls = new QGroupBox(tr("Calls"), this);
    auto *stun = new QLineEdit(m_preferences.text(Text::FallbackStunServer), calls);
    stun->setObjectName(QStringLiteral("fallbackStunServer"));
    stun->setPlaceholderText(tr("host:3478"));
    stun->setToolTip(tr("Used to find your public address when your server announces no STUN server. "
                        "The server you name learns your address when a call starts."));
    connect(stun, &QLineEdit::editingFinished, this,
            [this, stun] { m_preferences.setText(Text::FallbackStunServer, stun->text().trimmed()); });
    auto *stunRow = new QHBoxLayout;
    stunRow->addWidget(new QLabel(tr("STUN server"), calls));
    stunRow->addWidget(stun, 1);
    // Probing the sound and video providers takes a moment: done when the dialog opens.
    auto *monitor = new Core::Calls::DeviceMonitor(calls);
    auto *devices = new QFormLayout;
    using Kind = Core::Calls::DeviceMonitor::Kind;
    for (const auto &[kind, label, name] :
         {std::tuple{Kind::Microphone, tr("Microphone"), QStringLiteral("callMicrophone")},
          std::tuple{Kind::Speaker, tr("Speaker"), QStringLiteral("callSpeaker")},
          std::tuple{Kind::Camera, tr("Camera"), QStringLiteral("callCamera")}}) {
        const Text preference = devicePreference(kind);
        auto *chooser = new DeviceChooser(monitor, kind, m_preferences.text(preference), calls);
        chooser->setObjectName(name);
        connect(chooser, &DeviceChooser::deviceChosen, this,
                [this, preference](const QString &device) { m_preferences.setText(preference, device); });
        devices->addRow(label, chooser);
    }
    auto *layout = new QVBoxLayout(calls);
    layout->addLayout(devices);
    layout->addLayout(stunRow);
    layout->addWidget(addBox(Key::CallTestSources,
                             tr("Send a test tone and test picture instead of the microphone and camera"),
                             tr("For trying calls on a machine without devices")));
    return calls;
}

QGroupBox *SettingsDialog::createFilesGroup()
{
    auto *files = new QGroupBox(tr("Files"), this);
    auto *automatic = addBox(Key::AutoDownloadFiles, tr("Download files from contacts automatically"),
                             tr("Files from people who are not in your contacts are only downloaded when you "
                                "click them"));
    m_limit = new QSpinBox(files);
    m_limit->setObjectName(QStringLiteral("autoDownloadLimit"));
    m_limit->setRange(1, 1024);
    m_limit->setSuffix(tr(" MiB"));
    m_limit->setValue(int(m_preferences.autoDownloadLimit() / (1024 * 1024)));
    m_limit->setEnabled(automatic->isChecked());
    connect(automatic, &QCheckBox::toggled, m_limit, &QWidget::setEnabled);
    connect(m_limit, &QSpinBox::valueChanged, this, [this](int mebibytes) {
        m_preferences.setText(Text::AutoDownloadLimitMiB, QString::number(mebibytes));
    });
    m_folder = new QLineEdit(m_preferences.text(Text::DownloadFolder), files);
    m_folder->setObjectName(QStringLiteral("downloadFolder"));
    m_folder->setReadOnly(true);
    auto *choose = new QPushButton(tr("Choose…"), files);
    choose->setObjectName(QStringLiteral("chooseDownloadFolder"));
    connect(choose, &QPushButton::clicked, this, [this] {
        auto *dialog = new QFileDialog(this, tr("Save received files in"), m_folder->text());
        dialog->setObjectName(QStringLiteral("downloadFolderDialog"));
        dialog->setFileMode(QFileDialog::Directory);
        dialog->setOption(QFileDialog::ShowDirsOnly);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QFileDialog::fileSelected, this, &SettingsDialog::setDownloadFolder);
        dialog->open();
    });
    auto *limitRow = new QHBoxLayout;
    limitRow->addWidget(new QLabel(tr("Up to"), files));
    limitRow->addWidget(m_limit);
    limitRow->addStretch();
    auto *folderRow = new QHBoxLayout;
    folderRow->addWidget(new QLabel(tr("Save in"), files));
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(choose);
    auto *direct =
        addBox(Key::DirectFileConnections, tr("Connect directly to contacts for large files"),
               tr("Files too large for your server go straight to the contact's device when it can "
                  "be reached, which shows them your network addresses. Otherwise your server's "
                  "proxy carries them."));
    auto *layout = new QVBoxLayout(files);
    layout->addWidget(automatic);
    layout->addLayout(limitRow);
    layout->addLayout(folderRow);
    layout->addWidget(direct);
    return files;
}

void SettingsDialog::setDownloadFolder(const QString &folder)
{
    if (folder.isEmpty())
        return;
    m_preferences.setText(Text::DownloadFolder, folder);
    m_folder->setText(folder);
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
