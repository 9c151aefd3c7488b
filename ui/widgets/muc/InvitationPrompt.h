// SPDX-License-Identifier: GPL-3.0-or-later
// A banner for a received group chat invitation with Join and Decline; it only reports the answer.
#pragma once

#include "domain/Occupant.h"

#include <QFrame>

class QLabel;
class QPushButton;

namespace Natter::Ui {

class InvitationPrompt : public QFrame
{
    Q_OBJECT
public:
    explicit InvitationPrompt(const Core::RoomInvitation &invitation, QWidget *parent = nullptr);

    Core::RoomInvitation invitation() const { return m_invitation; }
    QString text() const;

Q_SIGNALS:
    // The user wants to join: the receiver joins (the prompt hides itself once answered).
    void accepted(const Natter::Core::RoomInvitation &invitation);
    // The user said no: the receiver may tell the room with MucService::declineInvitation.
    void declined(const Natter::Core::RoomInvitation &invitation);

private:
    // Disables the buttons and hides the banner: one answer per invitation, however fast the clicks.
    void settle();

    Core::RoomInvitation m_invitation;
    QLabel *m_text;
    QLabel *m_reason;
    QPushButton *m_accept;
    QPushButton *m_decline;
};

} // namespace Natter::Ui
