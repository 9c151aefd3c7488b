// SPDX-License-Identifier: GPL-3.0-or-later
// The occupant list of a room: role groups with headers, nick order, batched updates.
#include "OccupantListModel.h"

#include <algorithm>

namespace Natter::Ui {

using Core::MucRole;
using Core::Occupant;
using Core::OccupantChange;

OccupantListModel::OccupantListModel(QObject *parent)
    : QAbstractListModel(parent)
{}

OccupantListModel::Group OccupantListModel::groupOf(MucRole role)
{
    switch (role) {
    case MucRole::Moderator:
        return Moderators;
    case MucRole::Participant:
        return Participants;
    case MucRole::Visitor:
    case MucRole::None:
        break;
    }
    return Visitors;
}

QString OccupantListModel::groupTitle(int group)
{
    switch (group) {
    case Moderators:
        return tr("Moderators");
    case Participants:
        return tr("Participants");
    default:
        return tr("Visitors");
    }
}

bool OccupantListModel::nickLessThan(const QString &a, const QString &b)
{
    const int order = a.compare(b, Qt::CaseInsensitive);
    // Nicks differing only in case still need a strict order, or binary search would miss one of them.
    return order != 0 ? order < 0 : a < b;
}

void OccupantListModel::reset(const QList<Occupant> &occupants, const QString &ownNick)
{
    m_ownNick = ownNick;
    rebuild(occupants);
}

void OccupantListModel::applyChanges(const QList<OccupantChange> &changes)
{
    if (changes.size() > ResetThreshold) {
        applyAsReset(changes);
        return;
    }
    for (const OccupantChange &change : changes)
        applyOne(change);
}

void OccupantListModel::applyOne(const OccupantChange &change)
{
    const Occupant &occupant = change.occupant;
    const bool renamed = change.kind == OccupantChange::Kind::Renamed;
    const QString &oldNick = renamed ? change.previousNick : occupant.nick;
    const int group = m_groupOfNick.value(oldNick, -1);
    const int offset = group < 0 ? -1 : find(group, oldNick);

    if (change.kind == OccupantChange::Kind::Left) {
        if (offset >= 0)
            removeAt(group, offset);
        return;
    }
    if (renamed && oldNick == m_ownNick)
        m_ownNick = occupant.nick;
    if (renamed && oldNick != occupant.nick && m_groupOfNick.contains(occupant.nick)) {
        // The room reuses a nick we still list: the stale entry goes.
        const int staleGroup = m_groupOfNick.value(occupant.nick);
        removeAt(staleGroup, find(staleGroup, occupant.nick));
        applyOne(change);
        return;
    }
    if (offset < 0)
        insert(occupant);
    else
        relocate(group, offset, occupant);
}

void OccupantListModel::applyAsReset(const QList<OccupantChange> &changes)
{
    QHash<QString, Occupant> byNick;
    byNick.reserve(m_groupOfNick.size() + changes.size());
    for (const QList<Occupant> &group : m_groups)
        for (const Occupant &occupant : group)
            byNick.insert(occupant.nick, occupant);
    for (const OccupantChange &change : changes) {
        switch (change.kind) {
        case OccupantChange::Kind::Left:
            byNick.remove(change.occupant.nick);
            break;
        case OccupantChange::Kind::Renamed:
            byNick.remove(change.previousNick);
            if (change.previousNick == m_ownNick)
                m_ownNick = change.occupant.nick;
            byNick.insert(change.occupant.nick, change.occupant);
            break;
        case OccupantChange::Kind::Joined:
            byNick.insert(change.occupant.nick, change.occupant);
            break;
        }
    }
    rebuild(byNick.values());
}

void OccupantListModel::rebuild(QList<Occupant> occupants)
{
    beginResetModel();
    for (QList<Occupant> &group : m_groups)
        group.clear();
    m_groupOfNick.clear();
    m_groupOfNick.reserve(occupants.size());
    for (Occupant &occupant : occupants) {
        if (m_groupOfNick.contains(occupant.nick))
            continue;
        const Group group = groupOf(occupant.role);
        m_groupOfNick.insert(occupant.nick, group);
        m_groups[group].append(std::move(occupant));
    }
    for (QList<Occupant> &group : m_groups) {
        group.squeeze();
        std::sort(group.begin(), group.end(),
                  [](const Occupant &a, const Occupant &b) { return nickLessThan(a.nick, b.nick); });
    }
    endResetModel();
}

void OccupantListModel::insert(const Occupant &occupant)
{
    const Group group = groupOf(occupant.role);
    const int offset = lowerBound(group, occupant.nick);
    const bool newGroup = m_groups[group].isEmpty();
    const int header = headerRow(group);
    if (newGroup)
        beginInsertRows({}, header, header + 1);
    else
        beginInsertRows({}, header + 1 + offset, header + 1 + offset);
    m_groups[group].insert(offset, occupant);
    m_groupOfNick.insert(occupant.nick, group);
    endInsertRows();
    if (!newGroup)
        emitRowChanged(group, -1);
}

void OccupantListModel::removeAt(int group, int offset)
{
    const bool lastOne = m_groups[group].size() == 1;
    const int header = headerRow(group);
    if (lastOne)
        beginRemoveRows({}, header, header + 1);
    else
        beginRemoveRows({}, header + 1 + offset, header + 1 + offset);
    m_groupOfNick.remove(m_groups[group].at(offset).nick);
    m_groups[group].removeAt(offset);
    endRemoveRows();
    if (!lastOne)
        emitRowChanged(group, -1);
}

// Updates an occupant, moving its row when its role or nick puts it elsewhere.
void OccupantListModel::relocate(int group, int offset, const Occupant &occupant)
{
    const int target = groupOf(occupant.role);
    const bool sameGroup = target == group;
    if (!sameGroup && (m_groups[group].size() == 1 || m_groups[target].isEmpty())) {
        // A header appears or disappears: that is a removal and an insertion, not a move.
        removeAt(group, offset);
        insert(occupant);
        return;
    }
    int targetOffset = lowerBound(target, occupant.nick);
    if (sameGroup && targetOffset > offset)
        --targetOffset; // the row itself no longer counts once taken out
    const QString oldNick = m_groups[group].at(offset).nick;
    if (sameGroup && targetOffset == offset) {
        m_groups[group][offset] = occupant;
        m_groupOfNick.remove(oldNick);
        m_groupOfNick.insert(occupant.nick, group);
        emitRowChanged(group, offset);
        return;
    }
    const int sourceRow = rowOf(group, offset);
    int destinationRow = rowOf(target, targetOffset);
    if (sameGroup && targetOffset > offset)
        ++destinationRow; // beginMoveRows counts rows before the move
    beginMoveRows({}, sourceRow, sourceRow, {}, destinationRow);
    m_groups[group].removeAt(offset);
    m_groups[target].insert(targetOffset, occupant);
    m_groupOfNick.remove(oldNick);
    m_groupOfNick.insert(occupant.nick, target);
    endMoveRows();
    emitRowChanged(target, targetOffset);
    if (!sameGroup)
        emitRowChanged(group, -1);
}

// The group's header changes too: its count, and whether a filter still finds something in the group.
void OccupantListModel::emitRowChanged(int group, int offset)
{
    const QModelIndex header = index(headerRow(group));
    Q_EMIT dataChanged(header, header);
    if (offset < 0)
        return;
    const QModelIndex row = index(rowOf(group, offset));
    Q_EMIT dataChanged(row, row);
}

int OccupantListModel::headerRow(int group) const
{
    int row = 0;
    for (int g = 0; g < group; ++g)
        row += m_groups[g].isEmpty() ? 0 : 1 + int(m_groups[g].size());
    return row;
}

std::optional<OccupantListModel::Position> OccupantListModel::positionOf(int row) const
{
    for (int group = 0; group < GroupCount; ++group) {
        const int size = int(m_groups[group].size());
        if (size == 0)
            continue;
        if (row <= size)
            return Position{group, row - 1};
        row -= size + 1;
    }
    return std::nullopt;
}

int OccupantListModel::lowerBound(int group, const QString &nick) const
{
    const QList<Occupant> &members = m_groups[group];
    const auto it = std::lower_bound(
        members.cbegin(), members.cend(), nick,
        [](const Occupant &occupant, const QString &key) { return nickLessThan(occupant.nick, key); });
    return int(it - members.cbegin());
}

int OccupantListModel::find(int group, const QString &nick) const
{
    const int offset = lowerBound(group, nick);
    const QList<Occupant> &members = m_groups[group];
    return offset < members.size() && members.at(offset).nick == nick ? offset : -1;
}

std::optional<Occupant> OccupantListModel::occupantAt(const QModelIndex &index) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return std::nullopt;
    const auto position = positionOf(index.row());
    if (!position || position->offset < 0)
        return std::nullopt;
    return m_groups[position->group].at(position->offset);
}

std::optional<Occupant> OccupantListModel::occupant(const QString &nick) const
{
    const int group = m_groupOfNick.value(nick, -1);
    if (group < 0)
        return std::nullopt;
    return m_groups[group].at(find(group, nick));
}

QModelIndex OccupantListModel::indexOfNick(const QString &nick) const
{
    const int group = m_groupOfNick.value(nick, -1);
    if (group < 0)
        return {};
    return index(rowOf(group, find(group, nick)));
}

QStringList OccupantListModel::nicks() const
{
    QStringList result;
    result.reserve(m_groupOfNick.size());
    for (const QList<Occupant> &group : m_groups)
        for (const Occupant &occupant : group)
            result.append(occupant.nick);
    return result;
}

int OccupantListModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid())
        return 0;
    int rows = 0;
    for (const QList<Occupant> &group : m_groups)
        rows += group.isEmpty() ? 0 : 1 + int(group.size());
    return rows;
}

// Headers are not selectable: the keyboard and the selection skip them.
Qt::ItemFlags OccupantListModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    const auto position = positionOf(index.row());
    if (position && position->offset < 0)
        return Qt::ItemIsEnabled;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

QVariant OccupantListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto position = positionOf(index.row());
    if (!position)
        return {};
    if (position->offset < 0) {
        switch (role) {
        case Qt::DisplayRole:
            return groupTitle(position->group);
        case IsHeaderRole:
            return true;
        case CountRole:
            return int(m_groups[position->group].size());
        case Qt::AccessibleTextRole:
            return tr("%1, %n people", nullptr, int(m_groups[position->group].size()))
                .arg(groupTitle(position->group));
        default:
            return {};
        }
    }
    const Occupant &occupant = m_groups[position->group].at(position->offset);
    switch (role) {
    case Qt::DisplayRole:
    case NickRole:
        return occupant.nick;
    case RoleRole:
        return int(occupant.role);
    case AffiliationRole:
        return int(occupant.affiliation);
    case RealJidRole:
        return occupant.realJid;
    case OccupantIdRole:
        return occupant.occupantId;
    case ShowRole:
        return int(occupant.show);
    case StatusRole:
        return occupant.status;
    case IsHeaderRole:
        return false;
    case IsSelfRole:
        return occupant.nick == m_ownNick;
    case AvatarRole:
        return m_avatarLookup && !occupant.realJid.isEmpty()
                   ? m_avatarLookup(occupant.realJid.section(u'/', 0, 0))
                   : QString();
    case Qt::ToolTipRole: {
        QStringList lines{occupant.nick};
        if (!occupant.realJid.isEmpty())
            lines.append(occupant.realJid);
        if (!occupant.status.isEmpty())
            lines.append(occupant.status);
        return lines.join(u'\n');
    }
    default:
        return {};
    }
}

void OccupantListModel::setAvatarLookup(AvatarLookup lookup)
{
    m_avatarLookup = std::move(lookup);
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0), index(rowCount() - 1), {AvatarRole});
}

void OccupantListModel::refreshAvatar(const QString &bareJid)
{
    for (int group = 0; group < GroupCount; ++group) {
        const QList<Occupant> &members = m_groups[group];
        for (int offset = 0; offset < members.size(); ++offset) {
            if (members.at(offset).realJid.section(u'/', 0, 0) == bareJid) {
                const QModelIndex changed = index(rowOf(group, offset));
                Q_EMIT dataChanged(changed, changed, {AvatarRole});
            }
        }
    }
}

} // namespace Natter::Ui
