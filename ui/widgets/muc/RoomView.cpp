// SPDX-License-Identifier: GPL-3.0-or-later
#include "RoomView.h"

#include "OccupantListWidget.h"
#include "account/Account.h"
#include "models/MessageListModel.h"
#include "models/OccupantListModel.h"
#include "muc/MucService.h"
#include "presenters/ErrorPresenter.h"
#include "roster/AvatarService.h"
#include "widgets/Composer.h"

#include <QActionGroup>
#include <QInputDialog>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace Natter::Ui {

using Core::MucService;

RoomView::RoomView(Core::ConversationRepository &conversations, QWidget *parent)
    : QWidget(parent)
    , m_conversations(conversations)
{
    setObjectName(QStringLiteral("roomView"));
    m_subject = new QLabel(this);
    m_subject->setObjectName(QStringLiteral("roomSubject"));
    m_subject->setTextFormat(Qt::PlainText);
    m_subject->setWordWrap(true);
    m_subject->setContentsMargins(12, 0, 12, 6);
    QPalette subjectPalette = m_subject->palette();
    subjectPalette.setColor(QPalette::WindowText, subjectPalette.color(QPalette::PlaceholderText));
    m_subject->setPalette(subjectPalette);
    m_subject->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_menuButton = new QToolButton(this);
    m_menuButton->setObjectName(QStringLiteral("roomMenuButton"));
    m_menuButton->setText(tr("Room"));
    m_menuButton->setIcon(QIcon::fromTheme(QStringLiteral("view-more-symbolic")));
    m_menuButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_menuButton->setPopupMode(QToolButton::InstantPopup);
    m_menuButton->setAutoRaise(true);
    m_menu = new QMenu(m_menuButton);
    m_menu->setObjectName(QStringLiteral("roomMenu"));
    m_menuButton->setMenu(m_menu);

    m_occupants = new OccupantListWidget(this);
    m_model = m_occupants->model();
    m_occupants->setObjectName(QStringLiteral("occupantList"));
    connect(m_occupants, &OccupantListWidget::privateMessageRequested, this, [this](const QString &nick) {
        if (m_account)
            Q_EMIT privateChatRequested(
                {m_account->jid(), m_room + u'/' + nick, Core::ConversationKind::Chat});
    });
    connect(m_occupants, &OccupantListWidget::moderationRequested, this,
            [this](const QString &nick, OccupantListWidget::Action action, const QString &reason) {
                moderate(nick, int(action), reason);
            });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_occupants);
    setMinimumWidth(200);
    setMaximumWidth(320);
    hide();
}

void RoomView::setRoom(Core::Account *account, const QString &room, MessageListModel *messages,
                       Composer *composer, Core::RoomNotifications notifications)
{
    for (const auto &connection : std::as_const(m_roomConnections))
        disconnect(connection);
    m_roomConnections.clear();
    if (m_composer && m_composer != composer)
        m_composer->setNickCompletions({});
    m_account = account;
    m_room = account ? room : QString();
    m_messages = messages;
    m_composer = composer;
    m_notifications = notifications;
    setVisible(account);
    m_subject->setVisible(account);
    m_menuButton->setVisible(account);
    if (!account) {
        m_model->setAvatarLookup({});
        m_model->reset({}, {});
        return;
    }
    MucService &rooms = account->rooms();
    // Occupants whose address the room shows get the avatar Natter has for it (contacts, ourselves).
    m_model->setAvatarLookup([guard = QPointer<Core::Account>(account)](const QString &jid) {
        return guard ? guard->avatars().avatarFile(jid) : QString();
    });
    m_roomConnections.append(connect(&account->avatars(), &Core::AvatarService::avatarChanged, m_model,
                                     &OccupantListModel::refreshAvatar));
    m_roomConnections.append(
        connect(&rooms, &MucService::occupantsChanged, this, &RoomView::occupantsChanged));
    m_roomConnections.append(
        connect(&rooms, &MucService::subjectChanged, this, [this](const QString &changed) {
            if (changed == m_room)
                refreshSubject();
        }));
    m_roomConnections.append(
        connect(&rooms, &MucService::roomStateChanged, this, [this](const QString &changed) {
            if (changed == m_room)
                reload();
        }));
    m_roomConnections.append(connect(&rooms, &MucService::nickChanged, this, [this](const QString &changed) {
        if (changed == m_room)
            refreshSelf();
    }));
    reload();
}

void RoomView::reload()
{
    if (!m_account)
        return;
    const MucService &rooms = m_account->rooms();
    m_model->reset(rooms.occupants(m_room), rooms.nick(m_room));
    refreshSelf();
    refreshSubject();
}

void RoomView::occupantsChanged(const QString &room, const QList<Core::OccupantChange> &changes)
{
    if (room != m_room)
        return;
    m_model->applyChanges(changes);
    if (m_composer)
        m_composer->setNickCompletions(m_model->nicks());
    for (const Core::OccupantChange &change : changes) {
        if (m_account && change.occupant.nick == m_account->rooms().nick(m_room)) {
            refreshSelf();
            break;
        }
    }
}

void RoomView::refreshSelf()
{
    if (!m_account)
        return;
    const MucService &rooms = m_account->rooms();
    const auto self = rooms.self(m_room);
    m_occupants->setOwnPrivileges(self ? self->role : Core::MucRole::None,
                                  self ? self->affiliation : Core::MucAffiliation::None);
    if (m_messages)
        m_messages->setOwnNick(rooms.nick(m_room));
    if (m_composer)
        m_composer->setNickCompletions(m_model->nicks());
    buildMenu();
}

void RoomView::refreshSubject()
{
    if (!m_account)
        return;
    const QString subject = m_account->rooms().subject(m_room);
    m_subject->setText(subject.isEmpty() ? tr("No subject") : subject.simplified());
    m_subject->setToolTip(subject);
}

void RoomView::buildMenu()
{
    m_menu->clear();
    if (!m_account)
        return;
    const MucService &rooms = m_account->rooms();
    const auto self = rooms.self(m_room);
    const bool joined = rooms.state(m_room) == MucService::RoomState::Joined;
    const bool moderator = self && self->role == Core::MucRole::Moderator;
    const bool admin = self && (self->affiliation == Core::MucAffiliation::Admin ||
                                self->affiliation == Core::MucAffiliation::Owner);
    const bool owner = self && self->affiliation == Core::MucAffiliation::Owner;

    QAction *invite =
        m_menu->addAction(tr("Invite…"), this, [this] { Q_EMIT inviteRequested(m_account, m_room); });
    invite->setObjectName(QStringLiteral("roomInvite"));
    invite->setEnabled(joined);
    QAction *subject = m_menu->addAction(tr("Change subject…"), this, &RoomView::changeSubject);
    subject->setObjectName(QStringLiteral("roomChangeSubject"));
    subject->setEnabled(joined && (moderator || !rooms.info(m_room).moderated));
    if (admin) {
        QAction *lists = m_menu->addAction(tr("Members and bans…"), this,
                                           [this] { Q_EMIT affiliationsRequested(m_account, m_room); });
        lists->setObjectName(QStringLiteral("roomAffiliations"));
    }
    if (owner) {
        QAction *settings = m_menu->addAction(tr("Room settings…"), this,
                                              [this] { Q_EMIT settingsRequested(m_account, m_room); });
        settings->setObjectName(QStringLiteral("roomSettings"));
    }

    QMenu *notify = m_menu->addMenu(tr("Notifications"));
    notify->setObjectName(QStringLiteral("roomNotifications"));
    auto *group = new QActionGroup(notify);
    const auto addChoice = [&](const QString &text, Core::RoomNotifications value, const QString &name) {
        QAction *choice = notify->addAction(text, this, [this, value] { setNotifications(value); });
        choice->setObjectName(name);
        choice->setCheckable(true);
        const auto current = m_notifications == Core::RoomNotifications::Default
                                 ? Core::RoomNotifications::Mentions
                                 : m_notifications;
        choice->setChecked(current == value);
        group->addAction(choice);
    };
    addChoice(tr("All messages"), Core::RoomNotifications::All, QStringLiteral("notifyAll"));
    addChoice(tr("Only when mentioned"), Core::RoomNotifications::Mentions, QStringLiteral("notifyMentions"));
    addChoice(tr("Never"), Core::RoomNotifications::None, QStringLiteral("notifyNone"));

    m_menu->addSeparator();
    QAction *leave = m_menu->addAction(tr("Leave"), this, [this] {
        if (m_account)
            m_account->rooms().leave(m_room);
    });
    leave->setObjectName(QStringLiteral("roomLeave"));
    leave->setEnabled(rooms.state(m_room) != MucService::RoomState::NotJoined);
    if (!joined) {
        QAction *join = m_menu->addAction(tr("Join again"), this, [this] {
            if (!m_account)
                return;
            const QString nick = m_account->rooms().nick(m_room);
            m_account->rooms().join(m_room, nick.isEmpty() ? m_account->jid().section(u'@', 0, 0) : nick);
        });
        join->setObjectName(QStringLiteral("roomJoinAgain"));
    }
}

void RoomView::changeSubject()
{
    if (!m_account)
        return;
    bool accepted = false;
    const QString subject =
        QInputDialog::getMultiLineText(this, tr("Change subject"), tr("Subject of %1:").arg(m_room),
                                       m_account->rooms().subject(m_room), &accepted);
    if (!accepted)
        return;
    m_account->rooms().setSubject(m_room, subject).then(this, [this](Core::Result<Core::Success> &&result) {
        if (!Core::isOk(result))
            Q_EMIT statusMessage(ErrorPresenter::describe(Core::errorOf(result)));
    });
}

void RoomView::setNotifications(Core::RoomNotifications value)
{
    m_notifications = value;
    if (!m_account)
        return;
    const Core::ConversationKey key{m_account->jid(), m_room, Core::ConversationKind::GroupChat};
    m_conversations.setNotifications(key, value);
    Q_EMIT notificationsChanged(key, value);
}

void RoomView::moderate(const QString &nick, int action, const QString &reason)
{
    if (!m_account)
        return;
    MucService &rooms = m_account->rooms();
    const auto target = rooms.occupant(m_room, nick);
    if (!target)
        return;
    const auto report = [this, nick](Core::Result<Core::Success> &&result) {
        if (!Core::isOk(result))
            Q_EMIT statusMessage(
                tr("Not done for %1: %2").arg(nick, ErrorPresenter::describe(Core::errorOf(result))));
    };
    using Action = OccupantListWidget::Action;
    switch (Action(action)) {
    case Action::PrivateMessage:
        Q_EMIT privateChatRequested({m_account->jid(), m_room + u'/' + nick, Core::ConversationKind::Chat});
        return;
    case Action::Kick:
        rooms.kick(m_room, nick, reason).then(this, report);
        return;
    case Action::GrantVoice:
        rooms.setRole(m_room, nick, Core::MucRole::Participant, reason).then(this, report);
        return;
    case Action::RevokeVoice:
        rooms.setRole(m_room, nick, Core::MucRole::Visitor, reason).then(this, report);
        return;
    default:
        break;
    }
    // Affiliations belong to the real JID, which the room must have shown us.
    if (target->realJid.isEmpty()) {
        Q_EMIT statusMessage(tr("The room does not show who %1 is, so this cannot be done.").arg(nick));
        return;
    }
    const auto affiliation = [](Action chosen) {
        switch (chosen) {
        case Action::GrantMembership:
            return Core::MucAffiliation::Member;
        case Action::RevokeMembership:
            return Core::MucAffiliation::None;
        case Action::GrantAdmin:
            return Core::MucAffiliation::Admin;
        case Action::GrantOwner:
            return Core::MucAffiliation::Owner;
        default:
            return Core::MucAffiliation::Outcast;
        }
    }(Action(action));
    rooms.setAffiliation(m_room, target->realJid, affiliation, reason).then(this, report);
}

} // namespace Natter::Ui
