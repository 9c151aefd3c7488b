// SPDX-License-Identifier: GPL-3.0-or-later
// Putting a received file in its folder: a name that is safe to use, never replacing anything, and never
// showing a file under its final name before it is complete and verified.
#pragma once

#include "Result.h"

#include <QString>
#include <functional>

class QTemporaryFile;

namespace Natter::Core::FilePlacement {

// A name from the network made harmless: no folders, no leading dots (hidden files), no control
// characters, at most 200 characters with its extension kept; "file" when nothing is left.
QString safeFileName(const QString &proposed);
// folder/name, or "name (1).ext", "name (2).ext"… for the first that is not taken.
QString freePath(const QString &folder, const QString &name);
// True also for a dangling symbolic link, which still holds the name.
bool isTaken(const QString &path);
// A temporary file in targetPath's folder (so the final rename stays on one file system): unnamed on Linux
// until it is moved into place, hidden elsewhere.
QString temporaryTemplateFor(const QString &targetPath);
// Gives the complete temporary file its final name. Fails rather than replace a file, also one that
// appeared meanwhile: FileExists (detail: targetPath), or FileWriteFailed.
Result<Success> moveIntoPlace(QTemporaryFile &temporary, const QString &targetPath);
// Runs place(target) for target = freePath(folder, name), again with the next free name while place reports
// FileExists (a file appeared meanwhile); the path used, or place's error.
Result<QString> placeAtFreePath(const QString &folder, const QString &name,
                                const std::function<Result<Success>(const QString &target)> &place);
Error writeFailureAt(const QString &targetPath, const QString &reason);

} // namespace Natter::Core::FilePlacement
