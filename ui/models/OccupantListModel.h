// SPDX-License-Identifier: GPL-3.0-or-later
// The occupants of one group chat room, grouped by role under header rows (moderators, participants,
// visitors) and sorted by nick; batches of changes apply row by row, or as one reset when they are large.
#pragma once

#include "domain/Occupant.h"

#include <QAbstractListModel>
#include <QHash>
#include <array>
#include <functional>
#include <optional>

namespace Natter::Ui {

class OccupantListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role
    {
        NickRole = Qt::UserRole + 1,
        RoleRole,        // Core::MucRole as int
        AffiliationRole, // Core::MucAffiliation as int
        RealJidRole,
        OccupantIdRole,
        ShowRole, // Core::PresenceShow as int
        StatusRole,
        IsHeaderRole,
        IsSelfRole,
        CountRole,  // header rows: occupants in the group
        AvatarRole, // the avatar file of the occupant's real address, when known and cached
    };
    // Finds the cached avatar file of a bare address (empty when there is none).
    using AvatarLookup = std::function<QString(const QString &bareJid)>;

    // A batch with more changes than this rebuilds the list in one reset: cheaper than thousands of inserts.
    static constexpr int ResetThreshold = 100;

    explicit OccupantListModel(QObject *parent = nullptr);

    void reset(const QList<Core::Occupant> &occupants, const QString &ownNick);
    void applyChanges(const QList<Core::OccupantChange> &changes);
    void setAvatarLookup(AvatarLookup lookup);
    // The avatar of bareJid changed: its rows repaint.
    void refreshAvatar(const QString &bareJid);

    std::optional<Core::Occupant> occupantAt(const QModelIndex &index) const;
    std::optional<Core::Occupant> occupant(const QString &nick) const;
    QModelIndex indexOfNick(const QString &nick) const;
    int occupantCount() const { return int(m_groupOfNick.size()); }
    QStringList nicks() const;
    QString ownNick() const { return m_ownNick; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

private:
    enum Group
    {
        Moderators,
        Participants,
        Visitors,
        GroupCount
    };
    // A row as a group and an offset in it; offset -1 is the group's header.
    struct Position
    {
        int group = 0;
        int offset = -1;
    };

    static Group groupOf(Core::MucRole role);
    static QString groupTitle(int group);
    static bool nickLessThan(const QString &a, const QString &b);

    std::optional<Position> positionOf(int row) const;
    int headerRow(int group) const; // where the header is, or would be when the group is empty
    int rowOf(int group, int offset) const { return headerRow(group) + 1 + offset; }
    int lowerBound(int group, const QString &nick) const;
    int find(int group, const QString &nick) const;

    void applyOne(const Core::OccupantChange &change);
    void applyAsReset(const QList<Core::OccupantChange> &changes);
    void rebuild(QList<Core::Occupant> occupants);
    void insert(const Core::Occupant &occupant);
    void removeAt(int group, int offset);
    void relocate(int group, int offset, const Core::Occupant &occupant);
    void emitRowChanged(int group, int offset);

    std::array<QList<Core::Occupant>, GroupCount> m_groups; // each sorted with nickLessThan
    QHash<QString, int> m_groupOfNick;
    QString m_ownNick;
    AvatarLookup m_avatarLookup;
};

} // namespace Natter::Ui
