// SPDX-License-Identifier: GPL-3.0-or-later
// Presence of one account: what we announce (show, status message, priority) and every resource of every
// contact that is online, with its entity capabilities.
#pragma once

#include "domain/Presence.h"

#include <QHash>
#include <QXmppClientExtension.h>

class QXmppPresence;

namespace Natter::Core {

// The show of a received presence ("away", "dnd", …); Available when it has none.
PresenceShow presenceShowOf(const QXmppPresence &presence);

class PresenceService : public QXmppClientExtension
{
    Q_OBJECT
public:
    explicit PresenceService(const QString &account);
    ~PresenceService() override;

    OwnPresence ownPresence() const { return m_own; }
    // Announced at once when online, and at every login. Offline disconnects (Account does that).
    void setOwnPresence(const OwnPresence &presence);

    // Our avatar's SHA-1 (hex; empty: none), announced in every presence for older clients (XEP-0153).
    void setPhotoHash(const QString &sha1Hex);

    // The presence Account sends when it connects.
    QXmppPresence clientPresence() const;
    // Our stream is gone: every contact is offline for us.
    void clear();
    // jid is offline for us from now on (we blocked it: the server drops its presence, but sends no
    // unavailable for it).
    void forget(const QString &bareJid);

    ContactPresence presence(const QString &bareJid) const;
    QList<ContactPresence> onlineContacts() const;

    bool handleStanza(const QDomElement &stanza) override;

Q_SIGNALS:
    void ownPresenceChanged(const Natter::Core::OwnPresence &presence);
    // A contact's set of online resources, or one of them, changed.
    void presenceChanged(const Natter::Core::ContactPresence &presence);
    // Every contact went offline for us (our connection was lost or closed).
    void allOffline();

private:
    void updateResource(const QString &bare, const ResourcePresence &entry);
    void removeResource(const QString &bare, const QString &resource, bool wholeContact);

    QString m_account;
    OwnPresence m_own;
    QString m_photoHash;
    QHash<QString, ContactPresence> m_contacts;
};

} // namespace Natter::Core
