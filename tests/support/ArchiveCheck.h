// SPDX-License-Identifier: GPL-3.0-or-later
// Compares a profile's message store with the server archive it mirrors.
#pragma once

#include "TestServer.h"

#include <QStringList>

namespace Natter::Core {
class Database;
}

namespace Natter::Test {

// Every chat message's archive id in user's archive (optionally only the conversation with `with`),
// oldest first, read page by page by a plain client with no store.
QStringList archiveIds(const TestServer &server, const QString &user, const QString &with = {});

// The archive ids of every message stored for account (optionally with peer), oldest first; duplicates
// are kept so a copy shows, and a message stored without an archive id appears as "(none)".
QStringList storedIds(Core::Database &db, const QString &account, const QString &peer = {});

inline QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

} // namespace Natter::Test
