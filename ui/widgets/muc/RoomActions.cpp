// SPDX-License-Identifier: GPL-3.0-or-later
#include "RoomActions.h"

#include "AffiliationListDialog.h"
#include "InvitationPrompt.h"
#include "InviteDialog.h"
#include "JoinRoomDialog.h"
#include "RoomSettingsDialog.h"
#include "account/Account.h"
#include "account/AccountManager.h"

#include <QDialog>
#include <QVBoxLayout>
#include <QWidget>

namespace Natter::Ui {

namespace {
template <typename Dialog> Dialog *opened(Dialog *dialog)
{
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}
} // namespace

RoomActions::RoomActions(Core::AccountManager &accounts, QWidget *window)
    : QObject(window)
    , m_accounts(accounts)
    , m_window(window)
{}

JoinRoomDialog *RoomActions::openJoin(const QStringList &accountJids, const QString &current,
                                      const QString &room, const QString &password)
{
    auto *dialog = new JoinRoomDialog(
        [this](const QString &jid) -> Core::MucService * {
            Core::Account *account = m_accounts.account(jid);
            return account ? &account->rooms() : nullptr;
        },
        m_window);
    dialog->setAccounts(accountJids, current);
    const QString account = current.isEmpty() ? accountJids.value(0) : current;
    dialog->setNick(account.section(u'@', 0, 0));
    dialog->setConferenceService(QStringLiteral("conference.") + account.section(u'@', 1));
    if (!room.isEmpty())
        dialog->setRoomJid(room);
    if (!password.isEmpty())
        dialog->setPassword(password);
    connect(dialog, &JoinRoomDialog::joined, this,
            [this](const QString &jid, const QString &joined, bool created) {
                Q_EMIT roomOpened({jid, joined, Core::ConversationKind::GroupChat});
                if (created)
                    configureNewRoom(m_accounts.account(jid), joined);
            });
    return opened(dialog);
}

void RoomActions::configureNewRoom(Core::Account *account, const QString &room)
{
    if (account)
        opened(new RoomSettingsDialog(&account->rooms(), room, true, m_window));
}

void RoomActions::openSettings(Core::Account *account, const QString &room)
{
    if (account)
        opened(new RoomSettingsDialog(&account->rooms(), room, false, m_window));
}

void RoomActions::openInvite(Core::Account *account, const QString &room)
{
    if (account)
        opened(new InviteDialog(&account->rooms(), room, m_window));
}

void RoomActions::openAffiliations(Core::Account *account, const QString &room)
{
    if (account)
        opened(new AffiliationListDialog(&account->rooms(), room, m_window));
}

void RoomActions::showInvitation(const Core::RoomInvitation &invitation)
{
    auto *dialog = new QDialog(m_window);
    dialog->setObjectName(QStringLiteral("invitationDialog"));
    dialog->setWindowTitle(tr("Invitation to a group chat"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    auto *prompt = new InvitationPrompt(invitation, dialog);
    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(prompt);
    connect(prompt, &InvitationPrompt::accepted, this, [this, dialog](const Core::RoomInvitation &accepted) {
        dialog->close();
        QStringList accounts;
        for (Core::Account *account : m_accounts.accounts())
            accounts.append(account->jid());
        openJoin(accounts, accepted.account, accepted.room, accepted.password);
    });
    connect(prompt, &InvitationPrompt::declined, this, [this, dialog](const Core::RoomInvitation &declined) {
        dialog->close();
        if (Core::Account *account = m_accounts.account(declined.account))
            account->rooms().declineInvitation(declined);
    });
    dialog->show();
}

QString RoomActions::describeRemoval(const QString &room, Core::MucService::Removal removal,
                                     const QString &actor, const QString &reason)
{
    using Removal = Core::MucService::Removal;
    QString text;
    switch (removal) {
    case Removal::Left:
        return {};
    case Removal::Kicked:
        text = actor.isEmpty() ? tr("You were removed from %1.").arg(room)
                               : tr("%2 removed you from %1.").arg(room, actor);
        break;
    case Removal::Banned:
        text = actor.isEmpty() ? tr("You were banned from %1.").arg(room)
                               : tr("%2 banned you from %1.").arg(room, actor);
        break;
    case Removal::AffiliationChanged:
        text = tr("You are no longer a member of %1.").arg(room);
        break;
    case Removal::MembersOnly:
        text = tr("%1 is now for members only, and you are not one.").arg(room);
        break;
    case Removal::Shutdown:
        text = tr("The service of %1 is shutting down.").arg(room);
        break;
    case Removal::Destroyed:
        text = tr("%1 was closed by its owner.").arg(room);
        break;
    }
    return reason.isEmpty() ? text : tr("%1 Reason: %2").arg(text, reason);
}

} // namespace Natter::Ui
