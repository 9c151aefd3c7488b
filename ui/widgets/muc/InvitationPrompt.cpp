// SPDX-License-Identifier: GPL-3.0-or-later
// A banner for a received group chat invitation with Join and Decline; it only reports the answer.
#include "InvitationPrompt.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace Natter::Ui {

InvitationPrompt::InvitationPrompt(const Core::RoomInvitation &invitation, QWidget *parent)
    : QFrame(parent)
    , m_invitation(invitation)
    , m_text(new QLabel(this))
    , m_reason(new QLabel(this))
    , m_accept(new QPushButton(tr("&Join"), this))
    , m_decline(new QPushButton(tr("&Decline"), this))
{
    setObjectName(QStringLiteral("invitationPrompt"));
    setFrameShape(QFrame::StyledPanel);
    m_text->setObjectName(QStringLiteral("invitationText"));
    m_text->setTextFormat(Qt::PlainText);
    m_text->setWordWrap(true);
    // Mediated invitations from anonymous rooms may not say who sent them.
    m_text->setText(invitation.inviter.isEmpty()
                        ? tr("You are invited to %1").arg(invitation.room)
                        : tr("%1 invites you to %2").arg(invitation.inviter, invitation.room));
    m_reason->setObjectName(QStringLiteral("invitationReason"));
    m_reason->setTextFormat(Qt::PlainText);
    m_reason->setWordWrap(true);
    m_reason->setText(QStringLiteral("“%1”").arg(invitation.reason.trimmed()));
    m_reason->setVisible(!invitation.reason.trimmed().isEmpty());
    QFont italic = m_reason->font();
    italic.setItalic(true);
    m_reason->setFont(italic);
    m_accept->setObjectName(QStringLiteral("acceptInvitation"));
    m_decline->setObjectName(QStringLiteral("declineInvitation"));

    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_accept);
    buttons->addWidget(m_decline);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->addWidget(m_text);
    layout->addWidget(m_reason);
    layout->addLayout(buttons);

    connect(m_accept, &QPushButton::clicked, this, [this] {
        settle();
        Q_EMIT accepted(m_invitation);
    });
    connect(m_decline, &QPushButton::clicked, this, [this] {
        settle();
        Q_EMIT declined(m_invitation);
    });
}

QString InvitationPrompt::text() const
{
    return m_text->text();
}

void InvitationPrompt::settle()
{
    m_accept->setEnabled(false);
    m_decline->setEnabled(false);
    hide();
}

} // namespace Natter::Ui
