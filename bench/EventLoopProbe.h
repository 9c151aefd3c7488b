// SPDX-License-Identifier: GPL-3.0-or-later
// Event-loop helpers for benchmarks: run the loop until a condition holds, and probe its longest stall.
#pragma once

#include <QElapsedTimer>
#include <QEventLoop>
#include <QObject>
#include <QTimer>
#include <algorithm>
#include <ctime>
#include <functional>

namespace Natter::Bench {

// Runs a real event loop until done() or the timeout (QTest::qWaitFor would sleep 10 ms between
// turns, which delays every network and database event and hides stalls behind its own).
inline bool runLoopUntil(const std::function<bool()> &done, int timeoutMs)
{
    if (done())
        return true;
    QEventLoop loop;
    QTimer check;
    check.setInterval(1);
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    check.start();
    loop.exec();
    return done();
}

inline qint64 threadCpuNs()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return qint64(now.tv_sec) * 1000000000 + now.tv_nsec;
}

// Measures the longest gap between two turns of the event loop it runs in (wall clock), and the most
// CPU time that thread spent within one such gap: on a loaded machine the first includes time the
// scheduler gave to other processes, the second is the work that really blocked the loop.
class StallProbe : public QObject
{
public:
    struct Figures
    {
        qint64 longestGapNs = 0;
        qint64 longestBusyNs = 0;
    };

    StallProbe()
    {
        m_timer.setInterval(1);
        m_timer.setTimerType(Qt::PreciseTimer);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            const qint64 cpu = threadCpuNs();
            m_figures.longestGapNs = std::max(m_figures.longestGapNs, now - m_last);
            m_figures.longestBusyNs = std::max(m_figures.longestBusyNs, cpu - m_lastCpu);
            m_last = now;
            m_lastCpu = cpu;
        });
    }
    void start()
    {
        m_figures = {};
        m_clock.start();
        m_last = 0;
        m_lastCpu = threadCpuNs();
        m_timer.start();
    }
    Figures stop()
    {
        m_timer.stop();
        return m_figures;
    }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_lastCpu = 0;
    Figures m_figures;
};

// The probe on an idle loop for as long: what the machine alone does to the figures.
inline StallProbe::Figures idleBaseline(qint64 ns)
{
    StallProbe probe;
    probe.start();
    runLoopUntil([] { return false; }, int(ns / 1000000));
    return probe.stop();
}

} // namespace Natter::Bench
