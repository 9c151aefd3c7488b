// SPDX-License-Identifier: GPL-3.0-or-later
// Reads and writes account settings in the profile database (on the database thread).
#pragma once

#include "Database.h"
#include "domain/AccountConfig.h"

#include <QList>

namespace Natter::Core {

class AccountRepository
{
public:
    explicit AccountRepository(Database &db);

    QFuture<Result<QList<AccountConfig>>> loadAll();
    // Inserts a new account (id 0) and returns it with its id, or updates an existing one.
    QFuture<Result<AccountConfig>> save(AccountConfig config);
    QFuture<Result<Success>> remove(const QString &jid);

private:
    Database &m_db;
};

} // namespace Natter::Core
