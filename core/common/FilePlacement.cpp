// SPDX-License-Identifier: GPL-3.0-or-later
#include "FilePlacement.h"

#include "Logging.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryFile>

namespace Natter::Core::FilePlacement {

namespace {

constexpr qsizetype MaxNameLength = 200;
constexpr int MaxNumberedNames = 10000;
constexpr int PlacementAttempts = 20;

bool isForbidden(QChar c)
{
    // Separators and what Windows refuses in names, so a file saved here can be copied anywhere.
    static const QString forbidden = QStringLiteral("/\\:*?\"<>|");
    return c.category() == QChar::Other_Control || c.category() == QChar::Other_Format ||
           forbidden.contains(c);
}

} // namespace

QString safeFileName(const QString &proposed)
{
    QString name;
    name.reserve(proposed.size());
    for (const QChar c : proposed)
        name.append(isForbidden(c) ? u'_' : c);
    name = name.trimmed();
    while (name.startsWith(u'.') || name.startsWith(u'_') || name.startsWith(u' '))
        name.remove(0, 1);
    while (name.endsWith(u'.') || name.endsWith(u' '))
        name.chop(1);
    if (name.isEmpty())
        return QStringLiteral("file");
    if (name.size() > MaxNameLength) {
        const QString suffix = QFileInfo(name).completeSuffix();
        const QString kept = suffix.size() < 20 ? u'.' + suffix : QString();
        name = name.left(MaxNameLength - kept.size()) + kept;
    }
    return name;
}

QString freePath(const QString &folder, const QString &name)
{
    const QDir dir(folder);
    const QString first = dir.filePath(name);
    if (!isTaken(first))
        return first;
    const QFileInfo info(name);
    const QString base = info.completeSuffix().isEmpty() ? name : info.baseName();
    const QString suffix = info.completeSuffix().isEmpty() ? QString() : u'.' + info.completeSuffix();
    for (int n = 1; n < MaxNumberedNames; ++n) {
        const QString candidate = dir.filePath(QStringLiteral("%1 (%2)%3").arg(base).arg(n).arg(suffix));
        if (!isTaken(candidate))
            return candidate;
    }
    return dir.filePath(QStringLiteral("%1 (%2)%3").arg(base, QString::number(MaxNumberedNames), suffix));
}

bool isTaken(const QString &path)
{
    const QFileInfo info(path);
    return info.exists() || info.isSymLink();
}

QString temporaryTemplateFor(const QString &targetPath)
{
    return QFileInfo(targetPath).absolutePath() + QStringLiteral("/.natter-XXXXXX.part");
}

Error writeFailureAt(const QString &targetPath, const QString &reason)
{
    qCWarning(lcStorage) << "writing" << targetPath << "failed:" << reason;
    return Error(Error::Code::FileWriteFailed, targetPath);
}

Result<Success> moveIntoPlace(QTemporaryFile &temporary, const QString &targetPath)
{
    // rename() uses renameat2 with RENAME_NOREPLACE, or linkat for Linux's unnamed temporary files.
    if (temporary.rename(targetPath)) {
        // rename() leaves autoRemove on, which would delete the file under its new name.
        temporary.setAutoRemove(false);
        return Success{};
    }
    if (isTaken(targetPath))
        return Error(Error::Code::FileExists, targetPath);
    return writeFailureAt(targetPath, temporary.errorString());
}

Result<QString> placeAtFreePath(const QString &folder, const QString &name,
                                const std::function<Result<Success>(const QString &target)> &place)
{
    for (int attempt = 0; attempt < PlacementAttempts; ++attempt) {
        const QString target = freePath(folder, name);
        const Result<Success> placed = place(target);
        const auto *error = std::get_if<Error>(&placed);
        if (!error)
            return target;
        if (error->code != Error::Code::FileExists)
            return *error;
    }
    return Error(Error::Code::FileExists, name);
}

} // namespace Natter::Core::FilePlacement
