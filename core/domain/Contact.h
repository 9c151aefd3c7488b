// SPDX-License-Identifier: GPL-3.0-or-later
// One roster entry (RFC 6121) as core hands it to front ends.
#pragma once

#include <QMetaType>
#include <QString>
#include <QStringList>

namespace Natter::Core {

struct RosterItem
{
    // Stored as integers in roster_items.subscription: never renumber.
    enum class Subscription
    {
        None = 0, // neither sees the other's presence
        To = 1,   // we see theirs
        From = 2, // they see ours
        Both = 3
    };

    QString account; // bare JID of our account
    QString jid;     // bare JID of the contact
    QString name;    // the name the user gave, may be empty
    QStringList groups;
    Subscription subscription = Subscription::None;
    bool askSubscribe = false; // our request to see their presence waits for an answer
    bool preApproved = false;  // they will see our presence as soon as they ask

    // A one-way subscription: one side sees the other's presence but not the reverse.
    bool isHalfSubscribed() const
    {
        return subscription == Subscription::To || subscription == Subscription::From;
    }

    friend bool operator==(const RosterItem &, const RosterItem &) = default;
};

} // namespace Natter::Core

Q_DECLARE_METATYPE(Natter::Core::RosterItem)
