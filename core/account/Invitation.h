// SPDX-License-Identifier: GPL-3.0-or-later
// An invitation link to create an account (XEP-0401), as Prosody's invites and Conversations hand them out:
//   xmpp:example.org?register;preauth=TOKEN            any name on example.org
//   xmpp:name@example.org?register;preauth=TOKEN       that name (suggested) on example.org
//   xmpp:friend@example.org?roster;preauth=TOKEN;ibr=y an account on friend's server, friend as a contact
#pragma once

#include <QString>
#include <QXmppElement.h>
#include <optional>

namespace Natter::Core {

struct Invitation
{
    QString domain;
    QString username; // suggested by the link; may be empty
    QString token;
    QString inviter; // a roster invitation's JID, to add as a contact once the account exists

    // nullopt when text is not an xmpp: URI inviting to create an account.
    static std::optional<Invitation> parse(const QString &text);
};

// <preauth xmlns='urn:xmpp:pars:0' token='…'/>: an invitation's token, handed to the server before an
// account is registered (XEP-0401) or sent with a subscription request (XEP-0379).
QXmppElement preauthElement(const QString &token);

} // namespace Natter::Core
