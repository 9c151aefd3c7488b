// SPDX-License-Identifier: GPL-3.0-or-later
#include "Database.h"

#include "Migrations.h"
#include "common/Logging.h"

#include <QDir>
#include <QFileInfo>
#include <QSemaphore>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace Natter::Core {

Database::Database(QString file)
    : m_file(std::move(file))
    , m_connectionName(QStringLiteral("natter-") + QUuid::createUuid().toString(QUuid::WithoutBraces))
{
    // One thread that never expires, so the one connection stays on the thread that opened it.
    m_thread.setMaxThreadCount(1);
    m_thread.setExpiryTimeout(-1);
}

Database::~Database()
{
    runAndWait([name = m_connectionName] {
        if (QSqlDatabase::contains(name)) {
            QSqlDatabase::database(name, false).close();
            QSqlDatabase::removeDatabase(name);
        }
    });
    m_thread.waitForDone();
}

void Database::waitForIdle()
{
    runAndWait([] {});
}

void Database::runAndWait(std::function<void()> job)
{
    // Not QFuture::waitForFinished(): it may run a queued job on the waiting thread, away from the
    // connection.
    QSemaphore done;
    m_thread.start([&] {
        job();
        done.release();
    });
    done.acquire();
}

QSqlDatabase Database::connection()
{
    if (QSqlDatabase::contains(m_connectionName))
        return QSqlDatabase::database(m_connectionName, false);
    auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    db.setDatabaseName(m_file);
    return db;
}

QFuture<Result<Success>> Database::open()
{
    return QtConcurrent::run(&m_thread, [this] { return openOnThread(); });
}

Result<Success> Database::openOnThread()
{
    const QFileInfo info(m_file);
    if (!QDir().mkpath(info.absolutePath()))
        return Error(Error::Code::ProfileUnwritable, info.absolutePath());

    auto db = connection();
    if (!db.isOpen() && !db.open())
        return Error(Error::Code::DatabaseFailed, db.lastError().text());

    QSqlQuery query(db);
    // A file that is not SQLite fails on the first read; it must not be touched after that.
    if (!query.exec(QStringLiteral("PRAGMA schema_version")) || !query.next()) {
        const QString detail = query.lastError().text();
        db.close();
        return Error(Error::Code::DatabaseCorrupt, detail);
    }
    const QStringList pragmas = {
        QStringLiteral("PRAGMA journal_mode=WAL"),
        QStringLiteral("PRAGMA synchronous=NORMAL"),
        QStringLiteral("PRAGMA foreign_keys=ON"),
        QStringLiteral("PRAGMA secure_delete=ON"),
        QStringLiteral("PRAGMA busy_timeout=5000"),
        // Ingest touches index pages all over the message store; with SQLite's default 2 MB cache each batch
        // reads them again. The cache only grows as pages are used.
        QStringLiteral("PRAGMA cache_size=-65536"),
        // A checkpoint (and its fsync) every 10,000 pages instead of 1,000: one ingest batch dirties a few
        // thousand, so the default checkpointed after nearly every batch. The WAL file is cut back after.
        QStringLiteral("PRAGMA wal_autocheckpoint=10000"),
        QStringLiteral("PRAGMA journal_size_limit=67108864"),
    };
    for (const QString &pragma : pragmas) {
        if (!query.exec(pragma)) {
            const QString detail = query.lastError().text();
            db.close();
            return Error(Error::Code::DatabaseFailed, detail);
        }
    }
    // No statement may stay active: the backup before a migration (VACUUM INTO) refuses to run beside one.
    query.finish();
    auto migrated = Migrations::apply(db, m_file);
    if (!isOk(migrated))
        db.close();
    return migrated;
}

} // namespace Natter::Core
