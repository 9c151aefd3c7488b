// SPDX-License-Identifier: GPL-3.0-or-later
// The profile's SQLite database: one connection, living on its own thread; every query runs there.
#pragma once

#include "common/Result.h"

#include <QFuture>
#include <QSqlDatabase>
#include <QString>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>
#include <functional>
#include <type_traits>

namespace Natter::Core {

class Database
{
public:
    explicit Database(QString file);
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    QString file() const { return m_file; }

    // Opens the file, checks it and runs pending migrations (backing the file up first).
    QFuture<Result<Success>> open();

    // Runs job(QSqlDatabase &) on the database thread. Continue on the GUI thread with .then(context, …).
    template <typename Job> auto run(Job job) -> QFuture<std::invoke_result_t<Job, QSqlDatabase &>>
    {
        return QtConcurrent::run(&m_thread, [this, job = std::move(job)]() mutable {
            QSqlDatabase db = connection();
            return job(db);
        });
    }

    // Blocks until every queued job has run; for shutdown and tests only.
    void waitForIdle();

private:
    void runAndWait(std::function<void()> job);
    QSqlDatabase connection();
    Result<Success> openOnThread();

    QString m_file;
    QString m_connectionName;
    QThreadPool m_thread;
};

} // namespace Natter::Core
