// SPDX-License-Identifier: GPL-3.0-or-later
// Opens the dialogs around group chats for the main window: join, invitations received, invite, room settings
// (also right after creating a room), member lists; says in words why a room was left.
#pragma once

#include "domain/ChatMessage.h"
#include "domain/Occupant.h"
#include "muc/MucService.h"

#include <QObject>
#include <QPointer>

class QWidget;

namespace Natter::Core {
class Account;
class AccountManager;
} // namespace Natter::Core

namespace Natter::Ui {

class JoinRoomDialog;

class RoomActions : public QObject
{
    Q_OBJECT
public:
    RoomActions(Core::AccountManager &accounts, QWidget *window);

    JoinRoomDialog *openJoin(const QStringList &accountJids, const QString &current, const QString &room = {},
                             const QString &password = {});
    void openSettings(Core::Account *account, const QString &room);
    void openInvite(Core::Account *account, const QString &room);
    void openAffiliations(Core::Account *account, const QString &room);
    // A non-modal prompt; it never joins by itself.
    void showInvitation(const Core::RoomInvitation &invitation);

    // Why we are no longer in room, in words; empty when we left ourselves.
    static QString describeRemoval(const QString &room, Core::MucService::Removal removal,
                                   const QString &actor, const QString &reason);

Q_SIGNALS:
    void roomOpened(const Natter::Core::ConversationKey &room);

private:
    void configureNewRoom(Core::Account *account, const QString &room);

    Core::AccountManager &m_accounts;
    QWidget *m_window;
};

} // namespace Natter::Ui
