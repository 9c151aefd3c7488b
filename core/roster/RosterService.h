// SPDX-License-Identifier: GPL-3.0-or-later
// The roster of one account (RFC 6121): kept in the store with the server's roster version, so a login
// only transfers what changed; add, rename, regroup and remove contacts.
#pragma once

#include "common/Result.h"
#include "domain/Contact.h"

#include <QHash>
#include <QXmppClientExtension.h>
#include <QXmppRosterIq.h>
#include <QXmppTask.h>

namespace Natter::Core {

class RosterRepository;

class RosterService : public QXmppClientExtension
{
    Q_OBJECT
public:
    explicit RosterService(const QString &account);
    ~RosterService() override;

    // Loads the stored roster (emits rosterReset) and keeps it stored from then on.
    void setStore(RosterRepository *store);

    // Asks the server for the roster, with the stored version when there is one. Called on every login.
    void fetch();

    bool isLoaded() const { return m_loaded; }
    QList<RosterItem> items() const { return m_items.values(); }
    std::optional<RosterItem> item(const QString &jid) const;
    bool contains(const QString &jid) const { return m_items.contains(jid); }
    QStringList groups() const;

    QXmppTask<Result<Success>> add(const QString &jid, const QString &name, const QStringList &groups);
    QXmppTask<Result<Success>> rename(const QString &jid, const QString &name);
    QXmppTask<Result<Success>> setGroups(const QString &jid, const QStringList &groups);
    QXmppTask<Result<Success>> remove(const QString &jid);

    bool handleStanza(const QDomElement &stanza) override;

Q_SIGNALS:
    // The whole roster was replaced (loaded from the store, or a full roster from the server).
    void rosterReset();
    void itemAdded(const Natter::Core::RosterItem &item);
    void itemChanged(const Natter::Core::RosterItem &item);
    void itemRemoved(const QString &jid);
    void fetchFailed(const Natter::Core::Error &error);

private:
    void applyFullRoster(const QXmppRosterIq &iq);
    void applyPush(const QString &version, const QXmppRosterIq::Item &item);
    QXmppTask<Result<Success>> send(QXmppRosterIq &&iq);

    QString m_account;
    RosterRepository *m_store = nullptr;
    QHash<QString, RosterItem> m_items;
    QString m_version;
    bool m_loaded = false;
};

} // namespace Natter::Core
