// SPDX-License-Identifier: GPL-3.0-or-later
// "Invite to this group chat": asks for an address and a reason and sends the invitation through the room.
#pragma once

#include <QDialog>
#include <QPointer>

class QLabel;
class QLineEdit;
class QPushButton;

namespace Natter::Core {
class MucService;
}

namespace Natter::Ui {

class InviteDialog : public QDialog
{
    Q_OBJECT
public:
    InviteDialog(Core::MucService *service, const QString &room, QWidget *parent = nullptr);

    QString room() const { return m_roomJid; }
    // The invitee's bare, normalized JID once accepted.
    QString inviteeJid() const { return m_invitee; }
    QString reason() const;
    QString errorText() const;

    // Checks the address and sends the invitation.
    void accept() override;

private:
    void showError(const QString &text);

    QPointer<Core::MucService> m_service;
    QString m_roomJid;
    QLineEdit *m_jid;
    QLineEdit *m_reason;
    QLabel *m_error;
    QString m_invitee;
};

} // namespace Natter::Ui
