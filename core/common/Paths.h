// SPDX-License-Identifier: GPL-3.0-or-later
// Where a profile lives: one directory holds everything of one Natter profile.
#pragma once

#include <QString>

namespace Natter::Core {

class Paths
{
public:
    // The default profile directory (QStandardPaths::AppDataLocation), or the override when not empty.
    static QString profileDirectory(const QString &overrideDirectory);
    static QString databaseFile(const QString &profileDirectory);
    static QString passwordsDirectory(const QString &profileDirectory);
};

} // namespace Natter::Core
