// SPDX-License-Identifier: GPL-3.0-or-later
#include "Paths.h"

#include <QDir>
#include <QStandardPaths>

namespace Natter::Core {

QString Paths::profileDirectory(const QString &overrideDirectory)
{
    if (!overrideDirectory.isEmpty())
        return QDir(overrideDirectory).absolutePath();
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

QString Paths::databaseFile(const QString &profileDirectory)
{
    return QDir(profileDirectory).filePath(QStringLiteral("natter.sqlite"));
}

QString Paths::passwordsDirectory(const QString &profileDirectory)
{
    return QDir(profileDirectory).filePath(QStringLiteral("passwords"));
}

} // namespace Natter::Core
