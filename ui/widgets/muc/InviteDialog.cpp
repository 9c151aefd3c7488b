// SPDX-License-Identifier: GPL-3.0-or-later
// "Invite to this group chat": asks for an address and a reason and sends the invitation through the room.
#include "InviteDialog.h"

#include "common/JidValidator.h"
#include "muc/MucService.h"
#include "presenters/ErrorPresenter.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

namespace Natter::Ui {

using Core::JidValidator;

InviteDialog::InviteDialog(Core::MucService *service, const QString &room, QWidget *parent)
    : QDialog(parent)
    , m_service(service)
    , m_roomJid(room)
    , m_jid(new QLineEdit(this))
    , m_reason(new QLineEdit(this))
    , m_error(new QLabel(this))
{
    setObjectName(QStringLiteral("inviteDialog"));
    setWindowTitle(tr("Invite to this group chat"));
    m_jid->setObjectName(QStringLiteral("inviteeJid"));
    m_jid->setPlaceholderText(tr("name@example.org"));
    m_reason->setObjectName(QStringLiteral("inviteReason"));
    m_reason->setPlaceholderText(tr("Optional"));
    m_error->setObjectName(QStringLiteral("inviteError"));
    m_error->setTextFormat(Qt::PlainText);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_error->hide();

    auto *intro = new QLabel(tr("Invite someone to %1.").arg(room), this);
    intro->setTextFormat(Qt::PlainText);
    intro->setWordWrap(true);
    auto *form = new QFormLayout;
    form->addRow(tr("&Address:"), m_jid);
    form->addRow(tr("&Reason:"), m_reason);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    auto *invite = buttons->button(QDialogButtonBox::Ok);
    invite->setText(tr("&Invite"));
    invite->setObjectName(QStringLiteral("inviteButton"));
    connect(buttons, &QDialogButtonBox::accepted, this, &InviteDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    setMinimumWidth(420);
}

QString InviteDialog::reason() const
{
    return m_reason->text().trimmed();
}

QString InviteDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void InviteDialog::showError(const QString &text)
{
    m_error->setText(text);
    m_error->show();
}

void InviteDialog::accept()
{
    QString entered = m_jid->text().trimmed();
    if (entered.startsWith(QStringLiteral("xmpp:"), Qt::CaseInsensitive))
        entered = QUrl::fromPercentEncoding(entered.mid(5).section(u'?', 0, 0).toUtf8());
    auto problem = JidValidator::checkJid(entered);
    if (problem == JidValidator::Problem::None && entered.contains(u'/'))
        problem = JidValidator::Problem::UnexpectedResource;
    if (problem != JidValidator::Problem::None) {
        showError(problem == JidValidator::Problem::UnexpectedResource
                      ? tr("Enter an address without a device part (after “/”).")
                      : ErrorPresenter::describeJidProblem(problem));
        m_jid->setFocus();
        return;
    }
    // Rooms accept mediated invitations from their occupants only.
    if (!m_service || m_service->state(m_roomJid) != Core::MucService::RoomState::Joined) {
        showError(tr("Join the group chat again before inviting someone."));
        return;
    }
    m_invitee = JidValidator::normalizedBareJid(entered);
    m_service->invite(m_roomJid, m_invitee, reason());
    QDialog::accept();
}

} // namespace Natter::Ui
