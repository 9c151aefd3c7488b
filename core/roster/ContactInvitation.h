// SPDX-License-Identifier: GPL-3.0-or-later
// A link that asks its holder to add someone as a contact, as Prosody's invites, Conversations and Dino hand
// them out: xmpp:friend@example.org?roster;preauth=TOKEN. With the token (XEP-0379), the subscription request
// carries it and friend's server approves it at once; without one, it is an ordinary request. A plain
// xmpp:friend@example.org names the contact too.
#pragma once

#include <QString>
#include <optional>

namespace Natter::Core {

struct ContactInvitation
{
    QString jid;   // bare, normalised
    QString token; // XEP-0379 pre-authentication; may be empty
    QString name;  // the name the link suggests (RFC 5122 "roster" action); may be empty

    // nullopt unless text is an xmpp: URI naming a user (name@domain) with no action, "roster" or
    // "subscribe".
    static std::optional<ContactInvitation> parse(const QString &text);
};

} // namespace Natter::Core
