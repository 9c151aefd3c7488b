// SPDX-License-Identifier: GPL-3.0-or-later
// An xmpp: URI (RFC 5122) taken apart: the JID it names, the query's action and its key=value parameters
// (XEP-0147), all percent-decoded. What each action means is read by its own class (Invitation,
// ContactInvitation, VerificationUri).
#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <optional>

namespace Natter::Core {

struct XmppUri
{
    QString jid; // valid, possibly with a resource; not normalised
    QString
        action; // the query's first part when it has no '=' ("message", "roster", "register"); may be empty
    QList<QPair<QString, QString>> parameters; // in order; the same key may come more than once

    // The first value of key; empty when absent.
    QString value(const QString &key) const;

    // nullopt when text is not an xmpp: URI naming a valid JID; the authority form (xmpp://account/…), which
    // names who acts rather than whom, is refused too. A fragment is ignored.
    static std::optional<XmppUri> parse(const QString &text);
};

} // namespace Natter::Core
