// SPDX-License-Identifier: GPL-3.0-or-later
// The numbered schema migrations of the profile database (PRAGMA user_version).
#pragma once

#include "common/Result.h"

#include <QSqlDatabase>

namespace Natter::Core {

class Migrations
{
public:
    // The schema version this build writes.
    static int latestVersion();
    // Brings db to latestVersion(): a backup of file first, one transaction per step, the backup restored
    // on failure. A database newer than this build is refused and left untouched.
    static Result<Success> apply(QSqlDatabase &db, const QString &file);
    // The same, stopping at targetVersion; tests use it to build databases of every older version.
    static Result<Success> applyUpTo(QSqlDatabase &db, const QString &file, int targetVersion);
    static int currentVersion(QSqlDatabase &db);
};

} // namespace Natter::Core
