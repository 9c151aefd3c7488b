// SPDX-License-Identifier: GPL-3.0-or-later
// Waits for a core future on the calling (GUI) thread by running its event loop, as the app would.
#pragma once

#include <QEventLoop>
#include <QFuture>
#include <QFutureWatcher>

namespace Natter::Bench {

// Not QFuture::waitForFinished(): it may run a job queued on the Database thread pool on this thread,
// away from the one connection.
template <typename T> T await(QFuture<T> future)
{
    if (!future.isFinished()) {
        QEventLoop loop;
        QFutureWatcher<T> watcher;
        QObject::connect(&watcher, &QFutureWatcherBase::finished, &loop, &QEventLoop::quit);
        watcher.setFuture(future);
        loop.exec();
    }
    return future.result();
}

} // namespace Natter::Bench
