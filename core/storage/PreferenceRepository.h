// SPDX-License-Identifier: GPL-3.0-or-later
// Profile-wide preferences as key/value text in the store (database thread).
#pragma once

#include "Database.h"
#include "common/Result.h"

#include <QHash>

namespace Natter::Core {

class PreferenceRepository
{
public:
    explicit PreferenceRepository(Database &db);

    QFuture<Result<QHash<QString, QString>>> loadAll();
    QFuture<Result<Success>> save(const QString &key, const QString &value);

private:
    Database &m_db;
};

} // namespace Natter::Core
