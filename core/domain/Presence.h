// SPDX-License-Identifier: GPL-3.0-or-later
// Presence as core hands it to front ends: ours, and each resource of a contact.
#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

namespace Natter::Core {

// Ordered from most to least reachable, after Offline: compare with availabilityRank().
enum class PresenceShow
{
    Offline = 0,
    Available = 1,
    Chat = 2, // "free for chat"
    Away = 3,
    ExtendedAway = 4,
    DoNotDisturb = 5
};

// Higher is more reachable: chat > available > away > dnd > xa > offline.
constexpr int availabilityRank(PresenceShow show)
{
    switch (show) {
    case PresenceShow::Chat:
        return 5;
    case PresenceShow::Available:
        return 4;
    case PresenceShow::Away:
        return 3;
    case PresenceShow::DoNotDisturb:
        return 2;
    case PresenceShow::ExtendedAway:
        return 1;
    case PresenceShow::Offline:
        return 0;
    }
    return 0;
}

// What we announce for one account.
struct OwnPresence
{
    PresenceShow show = PresenceShow::Available;
    QString status;
    int priority = 0;

    friend bool operator==(const OwnPresence &, const OwnPresence &) = default;
};

// One online resource (device) of a contact.
struct ResourcePresence
{
    QString resource;
    PresenceShow show = PresenceShow::Available;
    QString status;
    int priority = 0;
    // XEP-0115 entity capabilities of that device, when announced.
    QString capsNode;
    QString capsHash; // hash algorithm, e.g. "sha-1"
    QString capsVerification;
    QDateTime since; // UTC, when this presence arrived

    friend bool operator==(const ResourcePresence &, const ResourcePresence &) = default;
};

// Every online resource of one contact; the best one first (highest priority, then most reachable, then
// newest).
struct ContactPresence
{
    QString account;
    QString jid; // bare
    QList<ResourcePresence> resources;

    bool isOnline() const { return !resources.isEmpty(); }
    PresenceShow bestShow() const
    {
        return resources.isEmpty() ? PresenceShow::Offline : resources.first().show;
    }
    QString bestStatus() const { return resources.isEmpty() ? QString() : resources.first().status; }
};

} // namespace Natter::Core

Q_DECLARE_METATYPE(Natter::Core::OwnPresence)
Q_DECLARE_METATYPE(Natter::Core::ResourcePresence)
Q_DECLARE_METATYPE(Natter::Core::ContactPresence)
