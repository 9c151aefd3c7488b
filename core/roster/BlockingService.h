// SPDX-License-Identifier: GPL-3.0-or-later
// Blocking (XEP-0191) for one account: the server drops everything from a blocked address (messages,
// presence, requests) and answers it with an error. The list is fetched at login and follows pushes from
// our other devices.
#pragma once

#include "common/Result.h"

#include <QObject>
#include <QSet>
#include <QXmppTask.h>

class QXmppBlockingManager;
class QXmppClient;

namespace Natter::Core {

class BlockingService : public QObject
{
    Q_OBJECT
public:
    BlockingService(QXmppClient &client, QXmppBlockingManager &manager, QObject *parent = nullptr);

    // Called at every login.
    void fetch();

    bool isLoaded() const { return m_loaded; }
    bool isBlocked(const QString &jid) const { return m_blocked.contains(jid); }
    QStringList blockedJids() const;

    // jid is validated (a bare JID or a domain); errors come back as values.
    QXmppTask<Result<Success>> block(const QString &jid);
    QXmppTask<Result<Success>> unblock(const QString &jid);

Q_SIGNALS:
    void blockListChanged();
    void fetchFailed(const Natter::Core::Error &error);

private:
    QXmppTask<Result<Success>> change(const QString &jid, bool block);

    QXmppClient &m_client;
    QXmppBlockingManager &m_manager;
    QSet<QString> m_blocked;
    bool m_loaded = false;
};

} // namespace Natter::Core
