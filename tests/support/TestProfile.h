// SPDX-License-Identifier: GPL-3.0-or-later
// A temporary profile directory for one test, and waiting helpers for futures.
#pragma once

#include <QFuture>
#include <QFutureWatcher>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace Natter::Test {

class TestProfile
{
public:
    TestProfile();
    QString path() const { return m_dir.path(); }
    // Every file below the profile, for checks such as "the password is nowhere on disk".
    QByteArray allFileContents() const;

private:
    QTemporaryDir m_dir;
};

// Runs the event loop until the future finishes (or timeoutMs passes) and returns its result.
template <typename T> T waitFor(QFuture<T> future, int timeoutMs = 20000)
{
    if (!future.isFinished()) {
        QFutureWatcher<T> watcher;
        QSignalSpy finished(&watcher, &QFutureWatcher<T>::finished);
        watcher.setFuture(future);
        if (!future.isFinished())
            finished.wait(timeoutMs);
    }
    if (!future.isFinished())
        qFatal("future did not finish within %d ms", timeoutMs);
    return future.result();
}

} // namespace Natter::Test
