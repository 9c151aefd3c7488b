// SPDX-License-Identifier: GPL-3.0-or-later
// Asks our server for a link that makes whoever opens it our contact at once (XEP-0379 pre-authenticated
// subscription, handed out by the ad-hoc command XEP-0401 names, as Prosody's mod_invites_adhoc offers it
// and Conversations and Dino ask for it).
#pragma once

#include "common/Result.h"

#include <QDateTime>
#include <QString>
#include <QXmppTask.h>

class QObject;
class QXmppClient;

namespace Natter::Core {

struct ContactInvite
{
    QString uri;         // xmpp:us@example.org?roster;preauth=…
    QString landingPage; // https page for people without a client yet; may be empty
    QDateTime expires;   // may be invalid when the server does not say

    static inline const QString CommandNode = QStringLiteral("urn:xmpp:invite#invite");
};

// FeatureUnsupported when the server has no such command.
QXmppTask<Result<ContactInvite>> createContactInvite(QXmppClient &client, QObject *context,
                                                     const QString &serverJid);

} // namespace Natter::Core
