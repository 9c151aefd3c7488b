// SPDX-License-Identifier: GPL-3.0-or-later
// One person in a group chat room (XEP-0045), and the room as core hands it to front ends.
#pragma once

#include "Presence.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

namespace Natter::Core {

// XEP-0045 §5.1: what an occupant may do in the room now.
enum class MucRole
{
    None = 0,
    Visitor = 1,
    Participant = 2,
    Moderator = 3,
};

// XEP-0045 §5.2: a long-lived relation of a JID with the room.
enum class MucAffiliation
{
    Outcast = -1,
    None = 0,
    Member = 1,
    Admin = 2,
    Owner = 3,
};

// The XEP-0045 names of roles and affiliations ("participant", "member", …).
inline QString roleName(MucRole role)
{
    switch (role) {
    case MucRole::Visitor:
        return QStringLiteral("visitor");
    case MucRole::Participant:
        return QStringLiteral("participant");
    case MucRole::Moderator:
        return QStringLiteral("moderator");
    case MucRole::None:
        break;
    }
    return QStringLiteral("none");
}

inline QString affiliationName(MucAffiliation affiliation)
{
    switch (affiliation) {
    case MucAffiliation::Outcast:
        return QStringLiteral("outcast");
    case MucAffiliation::Member:
        return QStringLiteral("member");
    case MucAffiliation::Admin:
        return QStringLiteral("admin");
    case MucAffiliation::Owner:
        return QStringLiteral("owner");
    case MucAffiliation::None:
        break;
    }
    return QStringLiteral("none");
}

struct Occupant
{
    QString nick;
    MucRole role = MucRole::Participant;
    MucAffiliation affiliation = MucAffiliation::None;
    QString realJid;    // bare JID, when the room shows it (non-anonymous rooms, or to moderators)
    QString occupantId; // XEP-0421, when the room supports it: the same person across nickname changes
    PresenceShow show = PresenceShow::Available;
    QString status;
    QString avatarHash; // XEP-0153 photo hash, when announced

    friend bool operator==(const Occupant &, const Occupant &) = default;
};

// A change in a room's occupant list; presence floods arrive to front ends in batches of these.
struct OccupantChange
{
    enum class Kind
    {
        Joined,  // or changed: presence, role, affiliation
        Left,    // nick is gone
        Renamed, // previousNick became occupant.nick
    };
    Kind kind = Kind::Joined;
    Occupant occupant;
    QString previousNick;
};

// An item of one of a room's affiliation lists (members, admins, owners, outcasts).
struct AffiliationItem
{
    QString jid;
    MucAffiliation affiliation = MucAffiliation::None;
    QString nick;
    QString reason;

    friend bool operator==(const AffiliationItem &, const AffiliationItem &) = default;
};

// An invitation to a room: direct (XEP-0249, from the inviter) or mediated (XEP-0045 §7.8.2, through the
// room).
struct RoomInvitation
{
    QString account;
    QString room;
    QString inviter; // bare JID
    QString reason;
    QString password;
    bool direct = false;
};

// A room a conference service lists (XEP-0045 §6.3, disco#items).
struct RoomListing
{
    QString jid;
    QString name;
};

} // namespace Natter::Core

Q_DECLARE_METATYPE(Natter::Core::Occupant)
Q_DECLARE_METATYPE(Natter::Core::OccupantChange)
Q_DECLARE_METATYPE(Natter::Core::RoomInvitation)
