// SPDX-License-Identifier: GPL-3.0-or-later
// Presence subscriptions of one account (RFC 6121 section 3): requests in and out, approve and deny,
// pre-approval, and fixing one-way subscriptions.
#pragma once

#include "domain/Contact.h"

#include <QList>
#include <QSet>
#include <QXmppClientExtension.h>
#include <QXmppPresence.h>

namespace Natter::Core {

class RosterService;

struct SubscriptionRequest
{
    QString account;
    QString jid;      // bare JID of who asks to see our presence
    QString message;  // the <status/> they sent with the request
    QString nickname; // XEP-0172 nick in the request, if any
};

class SubscriptionService : public QXmppClientExtension
{
    Q_OBJECT
public:
    SubscriptionService(const QString &account, RosterService &roster);
    ~SubscriptionService() override;

    // Requests waiting for an answer (the server delivers them again at every login).
    QList<SubscriptionRequest> pendingRequests() const { return m_pending; }

    // Let them see our presence; also asks to see theirs when we do not yet, so it ends in "both".
    void approve(const QString &jid);
    void deny(const QString &jid);
    // Ask to see their presence (adds them to the roster when needed). With a token from their invitation
    // (XEP-0379), their server approves at once; their request for ours, which follows, is approved too.
    void requestSubscription(const QString &jid, const QString &message = {},
                             const QString &preauthToken = {});
    // Let them see our presence as soon as they ask, without a prompt.
    void preApprove(const QString &jid);
    // Stop seeing theirs / stop them seeing ours.
    void cancelSubscription(const QString &jid);
    void revokeSubscription(const QString &jid);
    // Turns a one-way subscription into "both" from our side: asks for theirs, or offers ours.
    void fixHalfSubscription(const QString &jid);

    bool handleStanza(const QDomElement &stanza) override;

Q_SIGNALS:
    void requestReceived(const Natter::Core::SubscriptionRequest &request);
    // The request of jid was answered (here or on another of our devices) or withdrawn.
    void requestSettled(const QString &jid);

private:
    void handleRequest(const QString &jid, const QDomElement &stanza);
    void settle(const QString &jid);
    void send(const QString &jid, QXmppPresence::Type type, const QString &status = {});

    QString m_account;
    RosterService &m_roster;
    QSet<QString> m_invitedBy; // JIDs whose invitation we followed: their request is approved without asking
    QList<SubscriptionRequest> m_pending;
};

} // namespace Natter::Core

Q_DECLARE_METATYPE(Natter::Core::SubscriptionRequest)
