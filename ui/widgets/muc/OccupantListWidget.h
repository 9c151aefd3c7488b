// SPDX-License-Identifier: GPL-3.0-or-later
// The side panel of a group chat: a filter above the room's occupants, private messages on double-click,
// and a context menu offering the moderation our own role and affiliation allow (XEP-0045 §5).
#pragma once

#include "domain/Occupant.h"

#include <QWidget>
#include <functional>
#include <optional>

class QLineEdit;
class QListView;
class QMenu;
class QSortFilterProxyModel;

namespace Natter::Ui {

class OccupantListModel;

class OccupantListWidget : public QWidget
{
    Q_OBJECT
public:
    enum class Action
    {
        PrivateMessage,
        Kick,
        GrantVoice,
        RevokeVoice,
        GrantMembership,
        RevokeMembership,
        GrantAdmin,
        GrantOwner,
        Ban,
    };
    Q_ENUM(Action)

    // Asked before a destructive action: the reason to send (possibly empty), or nullopt to cancel.
    using ConfirmationHandler = std::function<std::optional<QString>(const QString &nick, Action action)>;

    explicit OccupantListWidget(QWidget *parent = nullptr);

    OccupantListModel *model() const { return m_model; }
    QListView *view() const { return m_view; }
    QLineEdit *filterField() const { return m_filter; }

    void setOwnPrivileges(Core::MucRole role, Core::MucAffiliation affiliation);
    // What the context menu offers for this occupant; nothing for ourselves or an unknown nick.
    QList<Action> actionsFor(const QString &nick) const;
    // Replaces the confirmation dialog (tests, or a front end with its own); null restores the dialog.
    void setConfirmationHandler(ConfirmationHandler handler);

    // The context menu of an occupant, owned by the caller; null when it would be empty.
    QMenu *createContextMenu(const QString &nick);
    // Confirms every moderation action, then emits the request; ignores actions actionsFor() denies.
    void requestAction(const QString &nick, Action action);

    static QString actionText(Action action);
    static bool asksFirst(Action action);

Q_SIGNALS:
    void privateMessageRequested(const QString &nick);
    void moderationRequested(const QString &nick, Natter::Ui::OccupantListWidget::Action action,
                             const QString &reason);

private:
    std::optional<QString> confirmWithDialog(const QString &nick, Action action);
    std::optional<QString> askForReason(const QString &nick, Action action);
    QString confirmationText(const QString &nick, Action action) const;
    void showContextMenu(const QPoint &position);
    void openPrivateChat(const QModelIndex &viewIndex);
    QString nickAt(const QModelIndex &viewIndex) const;

    OccupantListModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QLineEdit *m_filter;
    QListView *m_view;
    Core::MucRole m_ownRole = Core::MucRole::Participant;
    Core::MucAffiliation m_ownAffiliation = Core::MucAffiliation::None;
    ConfirmationHandler m_confirm;
};

} // namespace Natter::Ui
