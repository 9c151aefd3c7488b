// SPDX-License-Identifier: GPL-3.0-or-later
// The stored roster of each account with the server's roster version, and the presence we announce
// (database thread).
#pragma once

#include "Database.h"
#include "common/Result.h"
#include "domain/Contact.h"
#include "domain/Presence.h"

#include <QList>
#include <optional>

namespace Natter::Core {

struct StoredRoster
{
    QString version; // empty: none stored, ask for the whole roster
    QList<RosterItem> items;
};

class RosterRepository
{
public:
    explicit RosterRepository(Database &db);

    QFuture<Result<StoredRoster>> load(const QString &account);
    // A whole roster from the server replaces what is stored, in one transaction.
    QFuture<Result<Success>> replace(const QString &account, const QString &version,
                                     const QList<RosterItem> &items);
    // One roster push: the item added or changed, with the version it brought.
    QFuture<Result<Success>> save(const QString &account, const QString &version, const RosterItem &item);
    QFuture<Result<Success>> remove(const QString &account, const QString &version, const QString &jid);

    QFuture<Result<std::optional<OwnPresence>>> ownPresence(const QString &account);
    QFuture<Result<Success>> saveOwnPresence(const QString &account, const OwnPresence &presence);

private:
    Database &m_db;
};

} // namespace Natter::Core
