// SPDX-License-Identifier: GPL-3.0-or-later
#include "Migrations.h"

#include "common/Logging.h"

#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <array>
#include <string_view>

namespace Natter::Core {

namespace {

// Released steps are never edited: append a new one instead.
// Step N (1-based) turns schema version N-1 into version N.
constexpr std::array<std::string_view, 1> Steps = {
    // 1: accounts
    R"sql(
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    jid TEXT NOT NULL UNIQUE,
    host TEXT NOT NULL DEFAULT '',
    port INTEGER NOT NULL DEFAULT 0 CHECK (port BETWEEN 0 AND 65535),
    tls_mode INTEGER NOT NULL DEFAULT 0 CHECK (tls_mode IN (0, 1)),
    resource TEXT NOT NULL,
    password_storage INTEGER NOT NULL CHECK (password_storage IN (0, 1, 2)),
    enabled INTEGER NOT NULL DEFAULT 1,
    position INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
)sql",
};

static_assert(!Steps.empty(), "there is always at least the first schema");
static_assert(
    [] {
        for (const auto step : Steps)
            if (step.find("CREATE") == std::string_view::npos &&
                step.find("ALTER") == std::string_view::npos &&
                step.find("UPDATE") == std::string_view::npos && step.find("DROP") == std::string_view::npos)
                return false;
        return true;
    }(),
    "every migration step changes something");

bool execScript(QSqlDatabase &db, std::string_view script, QString *error)
{
    const QString text = QString::fromUtf8(script.data(), qsizetype(script.size()));
    for (const QString &statement : text.split(u';', Qt::SkipEmptyParts)) {
        if (statement.trimmed().isEmpty())
            continue;
        QSqlQuery query(db);
        if (!query.exec(statement)) {
            *error = query.lastError().text();
            return false;
        }
    }
    return true;
}

QString backupFileName(const QString &file, int version)
{
    return file + QStringLiteral(".backup-v%1").arg(version);
}

bool copyDatabaseFile(QSqlDatabase &db, const QString &target)
{
    QFile::remove(target);
    QSqlQuery query(db);
    // VACUUM INTO writes a consistent copy even with WAL in use.
    query.prepare(QStringLiteral("VACUUM INTO ?"));
    query.addBindValue(target);
    return query.exec();
}

} // namespace

int Migrations::latestVersion()
{
    return int(Steps.size());
}

int Migrations::currentVersion(QSqlDatabase &db)
{
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next())
        return -1;
    return query.value(0).toInt();
}

Result<Success> Migrations::apply(QSqlDatabase &db, const QString &file)
{
    const int current = currentVersion(db);
    if (current < 0)
        return Error(Error::Code::DatabaseCorrupt, db.lastError().text());
    if (current > latestVersion())
        return Error(Error::Code::DatabaseNewerSchema,
                     QStringLiteral("schema %1, this build knows %2").arg(current).arg(latestVersion()));
    if (current == latestVersion())
        return Success{};

    const QString backup = backupFileName(file, current);
    const bool hasBackup = current > 0;
    if (hasBackup && !copyDatabaseFile(db, backup))
        return Error(Error::Code::DatabaseFailed, QStringLiteral("could not back up to %1").arg(backup));

    for (int version = current; version < latestVersion(); ++version) {
        QString error;
        db.transaction();
        const bool ok =
            execScript(db, Steps[size_t(version)], &error) &&
            execScript(db, QStringLiteral("PRAGMA user_version = %1").arg(version + 1).toStdString(), &error);
        if (!ok || !db.commit()) {
            db.rollback();
            qCWarning(lcStorage) << "migration to" << version + 1 << "failed:" << error;
            if (hasBackup) {
                // The file is restored from the backup so the profile is exactly as before the attempt.
                db.close();
                QFile::remove(file + QStringLiteral("-wal"));
                QFile::remove(file + QStringLiteral("-shm"));
                QFile::remove(file);
                QFile::copy(backup, file);
            }
            return Error(Error::Code::DatabaseFailed,
                         QStringLiteral("migration to schema %1 failed: %2").arg(version + 1).arg(error));
        }
        qCInfo(lcStorage) << "database migrated to schema" << version + 1;
    }
    return Success{};
}

} // namespace Natter::Core
