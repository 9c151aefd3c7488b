// SPDX-License-Identifier: GPL-3.0-or-later
// What a group chat adds to the chat area: its subject, the occupant list with moderation, the room menu
// (invite, settings, member lists, notifications, leave), our nickname for mentions and Tab completion.
#pragma once

#include "domain/ChatMessage.h"
#include "domain/Occupant.h"
#include "storage/ConversationRepository.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QMenu;
class QToolButton;

namespace Natter::Core {
class Account;
class ConversationRepository;
} // namespace Natter::Core

namespace Natter::Ui {

class Composer;
class MessageListModel;
class OccupantListModel;
class OccupantListWidget;

class RoomView : public QWidget
{
    Q_OBJECT
public:
    RoomView(Core::ConversationRepository &conversations, QWidget *parent = nullptr);

    // Shows room (nullptr account: no room, the view hides). messages and composer are the open chat's.
    void setRoom(Core::Account *account, const QString &room, MessageListModel *messages, Composer *composer,
                 Core::RoomNotifications notifications);
    QString room() const { return m_room; }

    // For the chat header: the room menu button and the subject line.
    QToolButton *menuButton() const { return m_menuButton; }
    QLabel *subjectLabel() const { return m_subject; }
    OccupantListWidget *occupantList() const { return m_occupants; }
    OccupantListModel *occupantModel() const { return m_model; }

Q_SIGNALS:
    void privateChatRequested(const Natter::Core::ConversationKey &conversation);
    void statusMessage(const QString &text);
    void notificationsChanged(const Natter::Core::ConversationKey &room,
                              Natter::Core::RoomNotifications value);
    void settingsRequested(Natter::Core::Account *account, const QString &room);
    void inviteRequested(Natter::Core::Account *account, const QString &room);
    void affiliationsRequested(Natter::Core::Account *account, const QString &room);

private:
    void reload();
    void occupantsChanged(const QString &room, const QList<Core::OccupantChange> &changes);
    void refreshSelf();
    void refreshSubject();
    void buildMenu();
    void changeSubject();
    void setNotifications(Core::RoomNotifications value);
    void moderate(const QString &nick, int action, const QString &reason);

    Core::ConversationRepository &m_conversations;
    QPointer<Core::Account> m_account;
    QString m_room;
    QPointer<MessageListModel> m_messages;
    QPointer<Composer> m_composer;
    Core::RoomNotifications m_notifications = Core::RoomNotifications::Default;
    QList<QMetaObject::Connection> m_roomConnections;
    QLabel *m_subject = nullptr;
    QToolButton *m_menuButton = nullptr;
    QMenu *m_menu = nullptr;
    OccupantListModel *m_model = nullptr;
    OccupantListWidget *m_occupants = nullptr;
};

} // namespace Natter::Ui
