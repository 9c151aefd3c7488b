// SPDX-License-Identifier: GPL-3.0-or-later
// The occupant panel of a room: filter, list, private messages and the moderation menu.
#include "OccupantListWidget.h"

#include "OccupantDelegate.h"
#include "models/OccupantListModel.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QVBoxLayout>
#include <memory>

namespace Natter::Ui {

using Core::MucAffiliation;
using Core::MucRole;
using Role = OccupantListModel::Role;

namespace {

// Keeps the occupants whose nick or JID contains the text, and the headers of groups that kept one.
class OccupantFilterProxy : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    void setText(const QString &text)
    {
        const QString trimmed = text.trimmed();
        if (trimmed == m_text)
            return;
        m_text = trimmed;
        invalidateFilter();
    }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &) const override
    {
        if (m_text.isEmpty())
            return true;
        const QAbstractItemModel *source = sourceModel();
        if (!isHeader(source->index(sourceRow, 0)))
            return matches(source->index(sourceRow, 0));
        for (int row = sourceRow + 1; row < source->rowCount(); ++row) {
            const QModelIndex index = source->index(row, 0);
            if (isHeader(index))
                return false;
            if (matches(index))
                return true;
        }
        return false;
    }

private:
    static bool isHeader(const QModelIndex &index) { return index.data(Role::IsHeaderRole).toBool(); }

    bool matches(const QModelIndex &index) const
    {
        return index.data(Role::NickRole).toString().contains(m_text, Qt::CaseInsensitive) ||
               index.data(Role::RealJidRole).toString().contains(m_text, Qt::CaseInsensitive);
    }

    QString m_text;
};

bool isAdminOrOwner(MucAffiliation affiliation)
{
    return affiliation == MucAffiliation::Admin || affiliation == MucAffiliation::Owner;
}

} // namespace

OccupantListWidget::OccupantListWidget(QWidget *parent)
    : QWidget(parent)
    , m_model(new OccupantListModel(this))
    , m_proxy(new OccupantFilterProxy(this))
    , m_filter(new QLineEdit(this))
    , m_view(new QListView(this))
    , m_confirm([this](const QString &nick, Action action) { return confirmWithDialog(nick, action); })
{
    setObjectName(QStringLiteral("occupantList"));
    m_proxy->setSourceModel(m_model);

    m_filter->setObjectName(QStringLiteral("occupantFilter"));
    m_filter->setPlaceholderText(tr("Filter by nickname or address"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, this,
            [this](const QString &text) { static_cast<OccupantFilterProxy *>(m_proxy)->setText(text); });

    m_view->setObjectName(QStringLiteral("occupantView"));
    m_view->setModel(m_proxy);
    m_view->setItemDelegate(new OccupantDelegate(m_view));
    m_view->setUniformItemSizes(true);
    m_view->setMouseTracking(true);
    m_view->setFrameShape(QFrame::NoFrame);
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QListView::doubleClicked, this, &OccupantListWidget::openPrivateChat);
    connect(m_view, &QListView::customContextMenuRequested, this, &OccupantListWidget::showContextMenu);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_filter);
    layout->addWidget(m_view, 1);
}

void OccupantListWidget::setOwnPrivileges(MucRole role, MucAffiliation affiliation)
{
    m_ownRole = role;
    m_ownAffiliation = affiliation;
}

void OccupantListWidget::setConfirmationHandler(ConfirmationHandler handler)
{
    if (!handler)
        handler = [this](const QString &nick, Action action) { return confirmWithDialog(nick, action); };
    m_confirm = std::move(handler);
}

// XEP-0045 §5.1 and §5.2: moderators manage roles of those below them, admins and owners manage
// membership and bans, owners make admins and owners. Admins and owners are out of reach for everyone
// but owners; affiliations are changed by real JID, so those actions need one.
QList<OccupantListWidget::Action> OccupantListWidget::actionsFor(const QString &nick) const
{
    const auto target = m_model->occupant(nick);
    if (!target || nick == m_model->ownNick())
        return {};
    QList<Action> actions{Action::PrivateMessage};
    if (isAdminOrOwner(target->affiliation) && m_ownAffiliation != MucAffiliation::Owner)
        return actions;

    if (m_ownRole == MucRole::Moderator) {
        if (target->role == MucRole::Participant || target->role == MucRole::Visitor)
            actions.append(Action::Kick);
        if (target->role == MucRole::Visitor)
            actions.append(Action::GrantVoice);
        if (target->role == MucRole::Participant)
            actions.append(Action::RevokeVoice);
    }
    if (!isAdminOrOwner(m_ownAffiliation) || target->realJid.isEmpty())
        return actions;
    if (target->affiliation == MucAffiliation::None)
        actions.append(Action::GrantMembership);
    if (target->affiliation == MucAffiliation::Member)
        actions.append(Action::RevokeMembership);
    if (m_ownAffiliation == MucAffiliation::Owner) {
        if (target->affiliation != MucAffiliation::Admin && target->affiliation != MucAffiliation::Owner)
            actions.append(Action::GrantAdmin);
        if (target->affiliation != MucAffiliation::Owner)
            actions.append(Action::GrantOwner);
    }
    actions.append(Action::Ban);
    return actions;
}

QString OccupantListWidget::actionText(Action action)
{
    switch (action) {
    case Action::PrivateMessage:
        return tr("Send private message");
    case Action::Kick:
        return tr("Kick…");
    case Action::GrantVoice:
        return tr("Grant voice");
    case Action::RevokeVoice:
        return tr("Revoke voice…");
    case Action::GrantMembership:
        return tr("Grant membership");
    case Action::RevokeMembership:
        return tr("Revoke membership…");
    case Action::GrantAdmin:
        return tr("Make admin");
    case Action::GrantOwner:
        return tr("Make owner");
    case Action::Ban:
        return tr("Ban…");
    }
    return {};
}

// Every change to someone's role or affiliation asks first: granting admin or owner cannot be taken back by
// us once done, and nothing in a room should change by a stray click.
bool OccupantListWidget::asksFirst(Action action)
{
    return action != Action::PrivateMessage;
}

QMenu *OccupantListWidget::createContextMenu(const QString &nick)
{
    const QList<Action> actions = actionsFor(nick);
    if (actions.isEmpty())
        return nullptr;
    auto *menu = new QMenu(this);
    menu->setObjectName(QStringLiteral("occupantMenu"));
    for (const Action action : actions) {
        if (action != Action::PrivateMessage && menu->actions().size() == 1)
            menu->addSeparator(); // moderation apart from the private message
        QAction *item =
            menu->addAction(actionText(action), this, [this, nick, action] { requestAction(nick, action); });
        item->setData(QVariant::fromValue(action));
    }
    return menu;
}

void OccupantListWidget::requestAction(const QString &nick, Action action)
{
    if (!actionsFor(nick).contains(action))
        return;
    if (action == Action::PrivateMessage) {
        Q_EMIT privateMessageRequested(nick);
        return;
    }
    QString reason;
    if (asksFirst(action)) {
        const std::optional<QString> confirmed = m_confirm(nick, action);
        if (!confirmed)
            return;
        reason = *confirmed;
    }
    Q_EMIT moderationRequested(nick, action, reason);
}

QString OccupantListWidget::confirmationText(const QString &nick, Action action) const
{
    const auto target = m_model->occupant(nick);
    const QString who = target && !target->realJid.isEmpty()
                            ? tr("%1 (%2)").arg(nick.toHtmlEscaped(), target->realJid.toHtmlEscaped())
                            : nick.toHtmlEscaped();
    switch (action) {
    case Action::Kick:
        return tr("Kick <b>%1</b> out of the room? They can join again.").arg(who);
    case Action::Ban:
        return tr("Ban <b>%1</b> from the room? They will not be able to join again.").arg(who);
    case Action::RevokeVoice:
        return tr("Revoke the voice of <b>%1</b>? They will no longer be able to send messages to the room.")
            .arg(who);
    case Action::RevokeMembership:
        return tr("Revoke the membership of <b>%1</b>?").arg(who);
    case Action::GrantVoice:
        return tr("Give <b>%1</b> voice? They will be able to send messages to the room.").arg(who);
    case Action::GrantMembership:
        return tr("Make <b>%1</b> a member of the room?").arg(who);
    case Action::GrantAdmin:
        return tr("Make <b>%1</b> an admin? Admins can ban people and decide who is a member.").arg(who);
    case Action::GrantOwner:
        return tr("Make <b>%1</b> an owner? Owners can change the room's settings, destroy it and remove "
                  "other owners, you included.")
            .arg(who);
    default:
        return actionText(action);
    }
}

// A message box naming the person and the action; a reason is optional, asked for in a second step.
std::optional<QString> OccupantListWidget::confirmWithDialog(const QString &nick, Action action)
{
    QMessageBox box(QMessageBox::Warning, tr("Moderation"), confirmationText(nick, action),
                    QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("confirmModeration"));
    box.setTextFormat(Qt::RichText);
    QString confirmText = actionText(action);
    confirmText.remove(u'…');
    QPushButton *confirm = box.addButton(confirmText, QMessageBox::AcceptRole);
    confirm->setObjectName(QStringLiteral("confirmModerationButton"));
    QPushButton *withReason = box.addButton(tr("With a reason…"), QMessageBox::ActionRole);
    withReason->setObjectName(QStringLiteral("moderationWithReasonButton"));
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() == confirm)
        return QString();
    if (box.clickedButton() == withReason)
        return askForReason(nick, action);
    return std::nullopt;
}

std::optional<QString> OccupantListWidget::askForReason(const QString &nick, Action action)
{
    QDialog dialog(this);
    dialog.setObjectName(QStringLiteral("moderationReasonDialog"));
    QString title = actionText(action);
    title.remove(u'…');
    dialog.setWindowTitle(title);
    auto *label = new QLabel(tr("Reason, shown to %1 and the room:").arg(nick), &dialog);
    auto *field = new QLineEdit(&dialog);
    field->setObjectName(QStringLiteral("moderationReason"));
    label->setBuddy(field);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    buttons->button(QDialogButtonBox::Ok)->setText(title);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(&dialog);
    layout->addWidget(label);
    layout->addWidget(field);
    layout->addWidget(buttons);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return field->text().trimmed();
}

QString OccupantListWidget::nickAt(const QModelIndex &viewIndex) const
{
    const auto occupant = m_model->occupantAt(m_proxy->mapToSource(viewIndex));
    return occupant ? occupant->nick : QString();
}

void OccupantListWidget::openPrivateChat(const QModelIndex &viewIndex)
{
    const QString nick = nickAt(viewIndex);
    if (nick.isEmpty() || nick == m_model->ownNick())
        return;
    Q_EMIT privateMessageRequested(nick);
}

void OccupantListWidget::showContextMenu(const QPoint &position)
{
    const QString nick = nickAt(m_view->indexAt(position));
    if (nick.isEmpty())
        return;
    std::unique_ptr<QMenu> menu(createContextMenu(nick));
    if (menu)
        menu->exec(m_view->viewport()->mapToGlobal(position));
}

} // namespace Natter::Ui
