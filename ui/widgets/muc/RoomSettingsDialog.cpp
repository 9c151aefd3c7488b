// SPDX-License-Identifier: GPL-3.0-or-later
// A room's configuration form (XEP-0045 §10.2) rendered with DataFormWidget, with "Destroy room…"; right
// after creating a room, cancelling accepts the default configuration so the room is never left locked.
#include "RoomSettingsDialog.h"

#include "muc/MucService.h"
#include "presenters/ErrorPresenter.h"
#include "widgets/forms/DataFormWidget.h"

#include <QDialogButtonBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QVBoxLayout>

namespace Natter::Ui {

using Core::Error;
using Core::Result;
using Core::Success;

namespace {

// Wide enough for the labels of Prosody's form next to its fields, tall enough for most of the form; on a
// 1366×768 screen the height is what the screen has.
QSize defaultSize(const QScreen *screen)
{
    constexpr QSize preferred(640, 900);
    // resize() leaves out the title bar and the frame the window manager adds.
    constexpr QSize windowFrame(32, 48);
    if (!screen)
        return preferred;
    return preferred.boundedTo(screen->availableGeometry().size() - windowFrame);
}

} // namespace

RoomSettingsDialog::RoomSettingsDialog(Core::MucService *service, const QString &room, bool justCreated,
                                       QWidget *parent)
    : QDialog(parent)
    , m_service(service)
    , m_room(room)
    , m_justCreated(justCreated)
    , m_form(new DataFormWidget(this))
    , m_intro(new QLabel(this))
    , m_status(new QLabel(this))
    , m_error(new QLabel(this))
    , m_destroyReason(new QLineEdit(this))
    , m_destroy(new QPushButton(tr("&Destroy room…"), this))
{
    setObjectName(QStringLiteral("roomSettingsDialog"));
    setWindowTitle(justCreated ? tr("Set up %1").arg(room) : tr("Settings of %1").arg(room));
    m_form->setObjectName(QStringLiteral("roomConfiguration"));
    m_form->hide();
    m_status->setObjectName(QStringLiteral("configurationStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_error->setObjectName(QStringLiteral("configurationError"));
    m_error->setTextFormat(Qt::PlainText);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_error->hide();
    m_destroyReason->setObjectName(QStringLiteral("destroyReason"));
    m_destroyReason->setPlaceholderText(tr("Reason shown to the occupants (optional)"));
    m_destroy->setObjectName(QStringLiteral("destroyRoom"));
    m_destroy->setAutoDefault(false);

    m_intro->setObjectName(QStringLiteral("settingsIntro"));
    m_intro->setTextFormat(Qt::PlainText);
    m_intro->setWordWrap(true);
    m_intro->setText(justCreated ? tr("The group chat %1 was created. Nobody else can enter it until it is "
                                      "set up: choose its settings, or cancel to use the defaults.")
                                       .arg(room)
                                 : tr("Settings of the group chat %1.").arg(room));
    // The form's title ("Configuration for …") would only repeat the name of the room the intro gives.
    if (justCreated)
        m_form->setTitleVisible(false);
    auto *destroyBox = new QGroupBox(tr("Destroy this group chat"), this);
    auto *destroyLayout = new QHBoxLayout(destroyBox);
    destroyLayout->addWidget(m_destroyReason, 1);
    destroyLayout->addWidget(m_destroy);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_save = buttons->button(QDialogButtonBox::Ok);
    m_save->setObjectName(QStringLiteral("saveConfiguration"));
    m_cancel = buttons->button(QDialogButtonBox::Cancel);
    m_cancel->setObjectName(QStringLiteral("cancelConfiguration"));
    if (justCreated)
        m_cancel->setText(tr("Use &defaults"));
    connect(buttons, &QDialogButtonBox::accepted, this, &RoomSettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &RoomSettingsDialog::reject);
    connect(m_destroy, &QPushButton::clicked, this, &RoomSettingsDialog::destroyRoom);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addWidget(m_status);
    layout->addWidget(m_form, 1);
    layout->addWidget(m_error);
    layout->addWidget(destroyBox);
    layout->addWidget(buttons);
    resize(defaultSize(parent ? parent->screen() : screen()));
    load();
}

QString RoomSettingsDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void RoomSettingsDialog::load()
{
    if (!m_service) {
        showError(ErrorPresenter::describe(Error(Error::Code::NotConnected)));
        setBusy(false);
        return;
    }
    // Loading leaves Cancel (and, for a new room, its default settings) available.
    setBusy(false, tr("Loading the settings…"));
    m_service->configuration(m_room).then(this, [this](Result<QXmppDataForm> &&result) {
        const auto *form = std::get_if<QXmppDataForm>(&result);
        if (!form) {
            showError(tr("The settings could not be loaded. %1")
                          .arg(ErrorPresenter::describe(Core::errorOf(result))));
            if (!m_busy)
                setBusy(false);
            return;
        }
        showForm(*form);
    });
}

void RoomSettingsDialog::showForm(const QXmppDataForm &form)
{
    m_form->setForm(form);
    m_form->show();
    m_loaded = true;
    // The form's title says what "Settings of the group chat …" would; a new room's intro says more.
    if (!m_justCreated)
        m_intro->setVisible(!m_form->hasTitle());
    if (m_busy)
        return;
    setBusy(false);
    // Until the form came, the reason for destroying the room was the first field; unless the user started
    // typing one meanwhile, the form is what they came for.
    if (m_destroyReason->text().isEmpty())
        m_form->focusFirstField();
}

void RoomSettingsDialog::setBusy(bool busy, const QString &status)
{
    m_busy = busy;
    m_status->setText(status);
    m_status->setVisible(!status.isEmpty());
    m_form->setEnabled(!busy);
    m_save->setEnabled(!busy && m_loaded);
    m_cancel->setEnabled(!busy);
    m_destroy->setEnabled(!busy && m_service);
    m_destroyReason->setEnabled(!busy);
}

void RoomSettingsDialog::showError(const QString &text)
{
    m_error->setText(text);
    m_error->setVisible(!text.isEmpty());
}

void RoomSettingsDialog::accept()
{
    if (m_busy || !m_loaded || !m_service)
        return;
    if (!m_form->validate())
        return;
    showError({});
    setBusy(true, tr("Saving the settings…"));
    m_service->configure(m_room, m_form->submission()).then(this, [this](Result<Success> &&result) {
        setBusy(false);
        if (!Core::isOk(result)) {
            showError(
                tr("The settings were not saved. %1").arg(ErrorPresenter::describe(Core::errorOf(result))));
            return;
        }
        Q_EMIT configurationSaved(m_room);
        QDialog::accept();
    });
}

void RoomSettingsDialog::reject()
{
    if (m_busy)
        return;
    if (!m_justCreated || !m_service) {
        QDialog::reject();
        return;
    }
    showError({});
    setBusy(true, tr("Setting up the group chat with the default settings…"));
    m_service->acceptDefaultConfiguration(m_room).then(this, [this](Result<Success> &&result) {
        setBusy(false);
        if (!Core::isOk(result)) {
            // Staying open: closing now would leave a room nobody else can enter.
            showError(tr("The group chat could not be set up. %1")
                          .arg(ErrorPresenter::describe(Core::errorOf(result))));
            return;
        }
        m_justCreated = false;
        QDialog::reject();
    });
}

void RoomSettingsDialog::destroyRoom()
{
    if (m_busy || !m_service)
        return;
    const QString reason = m_destroyReason->text().trimmed();
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Destroy group chat"),
                                tr("Destroy the group chat %1 for everyone?").arg(m_room),
                                QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("confirmDestroy"));
    box->setInformativeText(reason.isEmpty()
                                ? tr("Its occupants are sent out of it, and it cannot be brought back.")
                                : tr("Its occupants are sent out of it with the reason “%1”, and it cannot "
                                     "be brought back.")
                                      .arg(reason));
    box->button(QMessageBox::Yes)->setText(tr("Destroy"));
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, box, reason](QAbstractButton *button) {
        if (box->standardButton(button) == QMessageBox::Yes)
            sendDestroy(reason);
    });
    box->open();
}

void RoomSettingsDialog::sendDestroy(const QString &reason)
{
    if (m_busy || !m_service)
        return;
    showError({});
    setBusy(true, tr("Destroying the group chat…"));
    m_service->destroy(m_room, reason).then(this, [this](Result<Success> &&result) {
        setBusy(false);
        if (!Core::isOk(result)) {
            showError(tr("The group chat was not destroyed. %1")
                          .arg(ErrorPresenter::describe(Core::errorOf(result))));
            return;
        }
        Q_EMIT roomDestroyed(m_room);
        // A destroyed room needs no configuration, default or not.
        m_justCreated = false;
        QDialog::reject();
    });
}

} // namespace Natter::Ui
