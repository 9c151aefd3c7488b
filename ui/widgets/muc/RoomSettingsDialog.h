// SPDX-License-Identifier: GPL-3.0-or-later
// A room's configuration form (XEP-0045 §10.2) rendered with DataFormWidget, with "Destroy room…"; right
// after creating a room, cancelling accepts the default configuration so the room is never left locked.
#pragma once

#include <QDialog>
#include <QPointer>

class QLabel;
class QLineEdit;
class QPushButton;
class QXmppDataForm;

namespace Natter::Core {
class MucService;
}

namespace Natter::Ui {

class DataFormWidget;

class RoomSettingsDialog : public QDialog
{
    Q_OBJECT
public:
    // justCreated: the room was just created and is locked until configured (see MucService::JoinResult).
    RoomSettingsDialog(Core::MucService *service, const QString &room, bool justCreated,
                       QWidget *parent = nullptr);

    QString room() const { return m_room; }
    DataFormWidget *formWidget() const { return m_form; }
    bool isLoaded() const { return m_loaded; }
    bool isBusy() const { return m_busy; }
    QString errorText() const;

    // Validates the form and submits it; closes once the room accepted it.
    void accept() override;
    // For a just-created room: submits the default configuration first, and closes once the room took it.
    void reject() override;
    // Asks for confirmation, then destroys the room with the reason given.
    void destroyRoom();

Q_SIGNALS:
    void configurationSaved(const QString &room);
    void roomDestroyed(const QString &room);

private:
    void load();
    void showForm(const QXmppDataForm &form);
    void setBusy(bool busy, const QString &status = {});
    void showError(const QString &text);
    void sendDestroy(const QString &reason);

    QPointer<Core::MucService> m_service;
    QString m_room;
    bool m_justCreated;
    DataFormWidget *m_form;
    QLabel *m_intro;
    QLabel *m_status;
    QLabel *m_error;
    QLineEdit *m_destroyReason;
    QPushButton *m_destroy;
    QPushButton *m_save;
    QPushButton *m_cancel;
    bool m_loaded = false;
    bool m_busy = false;
};

} // namespace Natter::Ui
