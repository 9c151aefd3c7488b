// SPDX-License-Identifier: GPL-3.0-or-later
// Calls between two accounts through the test server on loopback, with test sources: the set-up time from
// the callee's accept to the first decoded audio at each end, and the CPU a 720p video call takes (both ends
// run in this process; the figure is per end). Run with bench/call-bench.sh, which starts a throw-away
// server.
#include "BenchOutput.h"
#include "Contacts.h"
#include "EventLoopProbe.h"
#include "OnlineAccount.h"
#include "TestServer.h"
#include "account/Account.h"
#include "calls/CallService.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QPointer>
#include <algorithm>
#include <sys/resource.h>

using namespace Natter::Core;
using namespace Natter::Core::Calls;
using namespace Natter::Bench;
using namespace Natter::Test;

namespace {

constexpr const char *Bench = "natter-call-bench";
constexpr int TimeoutMs = 30'000;

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at(values.size() / 2);
}

qint64 processCpuNs()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto ns = [](const timeval &time) {
        return qint64(time.tv_sec) * 1000000000 + qint64(time.tv_usec) * 1000;
    };
    return ns(usage.ru_utime) + ns(usage.ru_stime);
}

struct Ends
{
    QPointer<Call> caller;
    QPointer<Call> callee;
};

// Rings and answers; returns both ends once the callee accepted, and the time accept() was called.
std::optional<Ends> answeredCall(Account &caller, Account &callee, bool video, QElapsedTimer &sinceAccept)
{
    QPointer<Call> ringing;
    const auto connection =
        QObject::connect(&callee.calls(), &CallService::incoming, [&ringing](Call *call) { ringing = call; });
    QPointer<Call> outgoing = caller.calls().call(callee.jid(), video);
    const bool rang = outgoing && runLoopUntil([&] { return ringing != nullptr; }, TimeoutMs);
    QObject::disconnect(connection);
    if (!rang)
        return std::nullopt;
    sinceAccept.start();
    ringing->accept();
    return Ends{outgoing, ringing};
}

void hangUp(Ends &ends)
{
    if (ends.caller)
        ends.caller->hangUp();
    runLoopUntil([&] { return !ends.callee || ends.callee->state() == Call::State::Ended; }, TimeoutMs);
    runLoopUntil([] { return false; }, 300); // let both calls go
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption roundsOption(QStringLiteral("rounds"), QStringLiteral("Audio calls set up."),
                                          QStringLiteral("n"), QStringLiteral("5"));
    const QCommandLineOption secondsOption(QStringLiteral("seconds"),
                                           QStringLiteral("Length of the measured 720p video call."),
                                           QStringLiteral("s"), QStringLiteral("20"));
    parser.addOptions({roundsOption, secondsOption});
    parser.process(app);
    const int rounds = std::max(1, parser.value(roundsOption).toInt());
    const int seconds = std::max(1, parser.value(secondsOption).toInt());

    TestServer server = TestServer::load();
    if (!server.isValid()) {
        printNote(Bench, server.errorString());
        return 2;
    }
    const auto callerUser = server.registerAccount(QStringLiteral("bench-call-a"));
    const auto calleeUser = server.registerAccount(QStringLiteral("bench-call-b"));
    auto caller = callerUser ? onlineAccount(server, *callerUser) : nullptr;
    auto callee = calleeUser ? onlineAccount(server, *calleeUser) : nullptr;
    if (!caller || !callee || !makeMutualContacts(caller.get(), callee.get()) ||
        !runLoopUntil([&] { return caller->calls().canCall(callee->jid(), true); }, TimeoutMs)) {
        printNote(Bench, QStringLiteral("the two accounts did not come online as contacts"));
        return 2;
    }
    MediaSession::Settings settings;
    settings.testSources = true;
    settings.testVideoHeight = 720;
    caller->calls().setMediaSettings(settings);
    callee->calls().setMediaSettings(settings);

    QList<double> callerSetup;
    QList<double> calleeSetup;
    for (int round = 0; round < rounds; ++round) {
        QElapsedTimer sinceAccept;
        auto ends = answeredCall(*caller, *callee, false, sinceAccept);
        if (!ends) {
            printNote(Bench, QStringLiteral("the call did not ring"));
            return 1;
        }
        double callerMs = -1;
        double calleeMs = -1;
        runLoopUntil(
            [&] {
                if (callerMs < 0 && ends->caller && ends->caller->counters().audioBuffersReceived > 0)
                    callerMs = sinceAccept.nsecsElapsed() / 1e6;
                if (calleeMs < 0 && ends->callee && ends->callee->counters().audioBuffersReceived > 0)
                    calleeMs = sinceAccept.nsecsElapsed() / 1e6;
                return callerMs >= 0 && calleeMs >= 0;
            },
            TimeoutMs);
        if (callerMs < 0 || calleeMs < 0) {
            printNote(Bench, QStringLiteral("no audio arrived"));
            return 1;
        }
        callerSetup.append(callerMs);
        calleeSetup.append(calleeMs);
        hangUp(*ends);
    }
    printLine(
        QStringLiteral("call_setup_accept_to_caller_audio_ms %1 ms").arg(median(callerSetup), 0, 'f', 0));
    printLine(
        QStringLiteral("call_setup_accept_to_callee_audio_ms %1 ms").arg(median(calleeSetup), 0, 'f', 0));

    QElapsedTimer sinceAccept;
    auto ends = answeredCall(*caller, *callee, true, sinceAccept);
    if (!ends || !runLoopUntil(
                     [&] {
                         return ends->caller && ends->callee &&
                                ends->caller->counters().videoFramesReceived > 30 &&
                                ends->callee->counters().videoFramesReceived > 30;
                     },
                     TimeoutMs)) {
        printNote(Bench, QStringLiteral("the video call did not show video"));
        return 1;
    }
    const quint64 framesBefore = ends->callee->counters().videoFramesReceived;
    const int bitrateBefore = ends->caller->counters().videoBitrate;
    const qint64 cpuBefore = processCpuNs();
    QElapsedTimer wall;
    wall.start();
    runLoopUntil([] { return false; }, seconds * 1000);
    const double wallSeconds = wall.nsecsElapsed() / 1e9;
    const double cpuPercent = (processCpuNs() - cpuBefore) / 1e9 / wallSeconds * 100;
    const double framesPerSecond =
        (ends->callee->counters().videoFramesReceived - framesBefore) / wallSeconds;
    const int bitrateAfter = ends->caller->counters().videoBitrate;
    hangUp(*ends);
    printLine(QStringLiteral("call_720p_cpu_per_end %1 % of one core").arg(cpuPercent / 2, 0, 'f', 1));
    printLine(QStringLiteral("call_720p_received_fps %1 frames/s").arg(framesPerSecond, 0, 'f', 1));
    printLine(QStringLiteral("call_720p_video_bitrate %1 → %2 kbit/s")
                  .arg(bitrateBefore / 1000)
                  .arg(bitrateAfter / 1000));
    printNote(Bench,
              QStringLiteral("median of %1 audio calls; video measured for %2 s at 1280x720, both ends in "
                             "one process, loopback, DTLS-SRTP")
                  .arg(rounds)
                  .arg(seconds));
    return 0;
}
