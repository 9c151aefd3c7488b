// SPDX-License-Identifier: GPL-3.0-or-later
#include "ContactListModel.h"

#include "account/Account.h"
#include "presenters/PresencePresenter.h"
#include "roster/AvatarService.h"
#include "roster/PresenceService.h"
#include "roster/RosterService.h"

#include <algorithm>

namespace Natter::Ui {

using Core::ContactPresence;
using Core::PresenceShow;
using Core::RosterItem;

namespace {
// Presence updates are shown at most this often: a storm repaints a few times a second, not per stanza.
constexpr int FlushIntervalMs = 100;
} // namespace

ContactListModel::ContactListModel(QObject *parent)
    : QAbstractListModel(parent)
{
    m_rebuildTimer.setSingleShot(true);
    m_rebuildTimer.setInterval(0);
    connect(&m_rebuildTimer, &QTimer::timeout, this, &ContactListModel::rebuild);
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(FlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &ContactListModel::flushChanges);
}

ContactListModel::~ContactListModel() = default;

QString ContactListModel::ungroupedName()
{
    return tr("Contacts");
}

void ContactListModel::addAccount(Core::Account *account)
{
    m_accounts.append(account);
    m_accountByJid.insert(account->jid(), account);
    connect(&account->avatars(), &Core::AvatarService::avatarChanged, this,
            [this, jid = account->jid()](const QString &contact) { markChanged(jid, contact); });
    auto &roster = account->roster();
    connect(&roster, &Core::RosterService::rosterReset, this, [this, account] { resetAccount(account); });
    connect(&roster, &Core::RosterService::itemAdded, this, &ContactListModel::upsertItem);
    connect(&roster, &Core::RosterService::itemChanged, this, &ContactListModel::upsertItem);
    connect(&roster, &Core::RosterService::itemRemoved, this,
            [this, jid = account->jid()](const QString &contact) { removeItem(jid, contact); });
    connect(&account->presence(), &Core::PresenceService::presenceChanged, this,
            &ContactListModel::updatePresence);
    connect(&account->presence(), &Core::PresenceService::allOffline, this,
            [this, jid = account->jid()] { clearPresence(jid); });
    if (roster.isLoaded())
        resetAccount(account);
}

void ContactListModel::removeAccount(const QString &accountJid)
{
    m_accounts.removeIf(
        [&accountJid](const QPointer<Core::Account> &a) { return !a || a->jid() == accountJid; });
    m_contacts.removeIf(
        [&accountJid](const auto &entry) { return entry.value().item.account == accountJid; });
    scheduleRebuild();
}

void ContactListModel::resetAccount(Core::Account *account)
{
    const QString accountJid = account->jid();
    m_contacts.removeIf(
        [&accountJid](const auto &entry) { return entry.value().item.account == accountJid; });
    for (const RosterItem &item : account->roster().items()) {
        Contact contact{item, account->presence().presence(item.jid), {}};
        contact.sortKey = (item.name.isEmpty() ? item.jid : item.name).toCaseFolded();
        m_contacts.insert(keyOf(accountJid, item.jid), contact);
    }
    scheduleRebuild();
}

void ContactListModel::upsertItem(const RosterItem &item)
{
    auto it = m_contacts.find(keyOf(item.account, item.jid));
    if (it == m_contacts.end()) {
        it = m_contacts.insert(keyOf(item.account, item.jid), Contact{item, {}, {}});
        it->presence.account = item.account;
        it->presence.jid = item.jid;
    }
    it->item = item;
    it->sortKey = (item.name.isEmpty() ? item.jid : item.name).toCaseFolded();
    scheduleRebuild();
}

void ContactListModel::removeItem(const QString &account, const QString &jid)
{
    if (m_contacts.remove(keyOf(account, jid)) > 0)
        scheduleRebuild();
}

void ContactListModel::updatePresence(const ContactPresence &presence)
{
    const QString key = keyOf(presence.account, presence.jid);
    auto it = m_contacts.find(key);
    if (it == m_contacts.end())
        return; // not a contact (yet): the roster decides who is listed
    const bool wasShown = isShown(*it);
    const bool wasOnline = it->presence.isOnline();
    it->presence = presence;
    if (isShown(*it) != wasShown) {
        scheduleRebuild();
        return;
    }
    if (wasShown && wasOnline != presence.isOnline()) {
        const int delta = presence.isOnline() ? 1 : -1;
        m_shownOnline += delta;
        for (const QString &group :
             it->item.groups.isEmpty() ? QStringList{ungroupedName()} : it->item.groups) {
            const int row = m_groupRow.value(group, -1);
            if (row < 0)
                continue;
            m_rows[row].online += delta;
            m_changedContacts.insert(QStringLiteral("\n#") + group);
        }
    }
    m_changedContacts.insert(key);
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void ContactListModel::markChanged(const QString &account, const QString &jid)
{
    if (!m_contacts.contains(keyOf(account, jid)))
        return;
    m_changedContacts.insert(keyOf(account, jid));
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void ContactListModel::clearPresence(const QString &account)
{
    for (auto it = m_contacts.begin(); it != m_contacts.end(); ++it)
        if (it->item.account == account)
            it->presence.resources.clear();
    scheduleRebuild();
}

void ContactListModel::setFilterText(const QString &text)
{
    const QString folded = text.trimmed().toCaseFolded();
    if (folded == m_filter)
        return;
    m_filter = folded;
    rebuild();
}

void ContactListModel::setAccountFilter(const QString &accountJid)
{
    if (accountJid == m_accountFilter)
        return;
    m_accountFilter = accountJid;
    rebuild();
}

void ContactListModel::setShowOffline(bool show)
{
    if (show == m_showOffline)
        return;
    m_showOffline = show;
    rebuild();
}

void ContactListModel::setGroupCollapsed(const QString &group, bool collapsed)
{
    if (collapsed == m_collapsed.contains(group))
        return;
    if (collapsed)
        m_collapsed.insert(group);
    else
        m_collapsed.remove(group);
    rebuild();
}

bool ContactListModel::isShown(const Contact &contact) const
{
    if (!m_accountFilter.isEmpty() && contact.item.account != m_accountFilter)
        return false;
    if (!m_showOffline && !contact.presence.isOnline())
        return false;
    return m_filter.isEmpty() || contact.sortKey.contains(m_filter) || contact.item.jid.contains(m_filter);
}

void ContactListModel::scheduleRebuild()
{
    if (!m_rebuildTimer.isActive())
        m_rebuildTimer.start();
}

void ContactListModel::rebuild()
{
    m_rebuildTimer.stop();
    m_flushTimer.stop();
    m_changedContacts.clear();
    // Group name → its contacts (keys), each group sorted by name.
    QHash<QString, QList<const QString *>> groups;
    m_shownContacts = 0;
    m_shownOnline = 0;
    for (auto it = m_contacts.cbegin(); it != m_contacts.cend(); ++it) {
        if (!isShown(*it))
            continue;
        ++m_shownContacts;
        m_shownOnline += it->presence.isOnline() ? 1 : 0;
        const QStringList names = it->item.groups.isEmpty() ? QStringList{ungroupedName()} : it->item.groups;
        for (const QString &group : names)
            groups[group].append(&it.key());
    }
    QStringList groupNames = groups.keys();
    std::sort(groupNames.begin(), groupNames.end(), [](const QString &a, const QString &b) {
        // "Contacts" (no group) last, the others alphabetically.
        if ((a == ungroupedName()) != (b == ungroupedName()))
            return b == ungroupedName();
        return a.compare(b, Qt::CaseInsensitive) < 0;
    });

    beginResetModel();
    m_rows.clear();
    m_rowsOfContact.clear();
    m_groupRow.clear();
    for (const QString &group : groupNames) {
        auto &members = groups[group];
        std::sort(members.begin(), members.end(), [this](const QString *a, const QString *b) {
            const Contact &x = *m_contacts.constFind(*a);
            const Contact &y = *m_contacts.constFind(*b);
            return x.sortKey != y.sortKey ? x.sortKey < y.sortKey : *a < *b;
        });
        Row header{RowKind::Group, group, {}, 0, int(members.size())};
        for (const QString *key : members)
            header.online += m_contacts.constFind(*key)->presence.isOnline() ? 1 : 0;
        m_groupRow.insert(group, int(m_rows.size()));
        m_rows.append(header);
        if (m_collapsed.contains(group))
            continue;
        for (const QString *key : members) {
            m_rowsOfContact.insert(*key, int(m_rows.size()));
            m_rows.append(Row{RowKind::Contact, group, *key, 0, 0});
        }
    }
    endResetModel();
}

void ContactListModel::flushChanges()
{
    for (const QString &key : std::as_const(m_changedContacts)) {
        if (key.startsWith(QStringLiteral("\n#"))) {
            const int row = m_groupRow.value(key.mid(2), -1);
            if (row >= 0)
                Q_EMIT dataChanged(index(row), index(row));
            continue;
        }
        for (auto it = m_rowsOfContact.constFind(key); it != m_rowsOfContact.cend() && it.key() == key; ++it)
            Q_EMIT dataChanged(index(it.value()), index(it.value()));
    }
    m_changedContacts.clear();
}

int ContactListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant ContactListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    if (row.kind == RowKind::Group) {
        switch (role) {
        case Qt::DisplayRole:
        case GroupRole:
            return row.group;
        case KindRole:
            return int(RowKind::Group);
        case OnlineCountRole:
            return row.online;
        case TotalCountRole:
            return row.total;
        case CollapsedRole:
            return m_collapsed.contains(row.group);
        case Qt::AccessibleTextRole:
            return tr("%1, %2 of %3 online").arg(row.group).arg(row.online).arg(row.total);
        default:
            return {};
        }
    }
    const Contact &contact = *m_contacts.constFind(row.key);
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return contact.item.name.isEmpty() ? contact.item.jid : contact.item.name;
    case KindRole:
        return int(RowKind::Contact);
    case AccountRole:
        return contact.item.account;
    case JidRole:
        return contact.item.jid;
    case GroupRole:
        return row.group;
    case ShowRole:
        return int(contact.presence.bestShow());
    case StatusRole:
        return contact.presence.bestStatus();
    case SubscriptionRole:
        return int(contact.item.subscription);
    case AskingRole:
        return contact.item.askSubscribe;
    case AvatarRole: {
        Core::Account *account = m_accountByJid.value(contact.item.account);
        return account ? account->avatars().avatarFile(contact.item.jid) : QString();
    }
    case Qt::ToolTipRole:
        return toolTip(contact);
    case Qt::AccessibleTextRole:
        return tr("%1, %2").arg(data(index, NameRole).toString(),
                                PresencePresenter::showText(contact.presence.bestShow()));
    default:
        return {};
    }
}

QString ContactListModel::toolTip(const Contact &contact) const
{
    QStringList lines{contact.item.jid};
    if (contact.presence.resources.isEmpty())
        lines.append(PresencePresenter::showText(PresenceShow::Offline));
    for (const Core::ResourcePresence &resource : contact.presence.resources) {
        QString line = tr("%1: %2 (priority %3)")
                           .arg(resource.resource.isEmpty() ? tr("(no device name)") : resource.resource,
                                PresencePresenter::showText(resource.show))
                           .arg(resource.priority);
        if (!resource.status.isEmpty())
            line += QStringLiteral(" – ") + resource.status;
        lines.append(line);
    }
    lines.append(PresencePresenter::subscriptionText(contact.item));
    return lines.join(u'\n');
}

} // namespace Natter::Ui
