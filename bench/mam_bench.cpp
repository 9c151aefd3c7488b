// SPDX-License-Identifier: GPL-3.0-or-later
// natter-mam-bench: MAM catch-up from a local Prosody against the server's own ceiling (a bare client
// that only downloads the same archive, newest first), and the longest stall of the event loop that
// runs the connection while Natter catches up.
#include "ArchiveCeiling.h"
#include "ArchiveCheck.h"
#include "BenchOutput.h"
#include "OnlineAccount.h"
#include "TestProfile.h"
#include "TestServer.h"
#ifdef NATTER_BENCH_WITH_WINDOW
#include "Application.h"
#include "widgets/MainWindow.h"

#include <QApplication>
#endif
#include "BenchProfile.h"
#include "EventLoopProbe.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "domain/ConnectionState.h"
#include "messaging/MessageService.h"
#include "storage/Database.h"
#include "sync/ArchiveQuery.h"
#include "sync/HistorySync.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QThread>
#include <QTimer>
#include <QXmppClient.h>
#include <algorithm>
#include <cstdio>
#include <ctime>

namespace Natter::Bench {

namespace {

using namespace Core;
using Test::onlineAccount;
using Test::TestServer;
using Test::waitFor;

constexpr int Failed = 1;

constexpr const char *BenchName = "natter-mam-bench";

QString perSecond(qint64 count, qint64 ns)
{
    return QString::number(ns > 0 ? qRound64(double(count) * 1e9 / double(ns)) : 0);
}

qint64 median(QList<qint64> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at(values.size() / 2);
}

// Fills user's archive through the server: messages from two contacts and from user's other device.
bool fillArchive(const TestServer &server, const QString &user, int count)
{
    auto phone = onlineAccount(server, user); // online, so nothing is kept as offline messages
    auto carol = onlineAccount(server, QStringLiteral("carol"));
    auto dave = onlineAccount(server, QStringLiteral("dave"));
    if (!phone || !carol || !dave)
        return false;
    const QString target = server.jid(user);
    QList<QFuture<Result<ChatMessage>>> sent;
    for (int i = 0; i < count; ++i) {
        Account *from = i % 10 == 9 ? phone.get() : (i % 2 ? carol.get() : dave.get());
        const QString to = from == phone.get() ? carol->jid() : target;
        auto composed = from->messages().compose(
            to, QStringLiteral("archived message %1 with some words to carry").arg(i));
        sent.append(from->messages().send(std::get<ChatMessage>(composed)));
        if (sent.size() >= 500) { // keep the send queue bounded
            for (auto &future : sent)
                if (!isOk(waitFor(future, 60000)))
                    return false;
            sent.clear();
        }
    }
    for (auto &future : sent)
        if (!isOk(waitFor(future, 60000)))
            return false;
    return true;
}

// The ceiling: a bare client pages through the whole archive, newest first, keeping nothing.
std::optional<std::pair<qint64, qint64>> downloadArchive(const TestServer &server, const QString &user,
                                                         int pageSize)
{
    auto reader = onlineAccount(server, user);
    if (!reader)
        return std::nullopt;
    return Bench::pageThroughArchive(*reader->client().findExtension<ArchiveQuery>(), pageSize);
}

struct CatchUp
{
    qint64 stored = 0;
    qint64 ns = 0;
    qint64 firstPageNs = 0;
    StallProbe::Figures stall;
};

// Natter: a new profile catches up with the whole archive (no first-login window).
// Times one catch-up of account, from its connection to the end, with the stall probe running.
std::optional<CatchUp> measureCatchUp(Account *account, QObject *context)
{
    CatchUp result;
    QElapsedTimer clock;
    bool finished = false;
    std::optional<Error> failure;
    QObject::connect(&account->history(), &HistorySync::messagesStored, context, [&] {
        if (result.firstPageNs == 0)
            result.firstPageNs = clock.nsecsElapsed();
    });
    QObject::connect(&account->history(), &HistorySync::catchUpFinished, context,
                     [&](int stored, const std::optional<Error> &error) {
                         result.ns = clock.nsecsElapsed();
                         result.stored = stored;
                         failure = error;
                         finished = true;
                     });
    StallProbe probe;
    QObject::connect(account, &Account::connected, context, [&] {
        clock.start();
        probe.start();
    });
    if (!runLoopUntil([&] { return finished; }, 600000) || failure)
        return std::nullopt;
    result.stall = probe.stop();
    QObject::disconnect(&account->history(), nullptr, context, nullptr);
    QObject::disconnect(account, nullptr, context, nullptr);
    return result;
}

HistorySync::Settings wholeArchive(int pageSize)
{
    HistorySync::Settings settings;
    settings.pageSize = pageSize;
    settings.firstLoginWindow = 100000000;
    return settings;
}

// Natter core alone: a new profile catches up with the whole archive (no first-login window).
std::optional<CatchUp> catchUp(const TestServer &server, const QString &user, int pageSize)
{
    Test::TestProfile profile;
    if (!createProfile(server, user, server.account(user).password, profile.path()))
        return std::nullopt;
    AccountManager manager(profile.path());
    manager.setAdditionalCaCertificates(server.caCertificates());
    manager.setHistorySettings(wholeArchive(pageSize));
    if (!isOk(waitFor(manager.open())) || manager.accounts().isEmpty())
        return std::nullopt;
    Account *account = manager.accounts().first();
    account->connectToServer();
    auto result = measureCatchUp(account, &manager);
    account->disconnectFromServer();
    manager.database().waitForIdle();
    return result;
}

#ifdef NATTER_BENCH_WITH_WINDOW
// The desktop app as a user starts it: its main window lists the conversations and shows the newest
// messages while the catch-up fills the store; the probe runs on the window's event loop.
std::optional<CatchUp> catchUpWithWindow(const TestServer &server, const QString &user, int pageSize)
{
    Test::TestProfile profile;
    if (!createProfile(server, user, server.account(user).password, profile.path()))
        return std::nullopt;
    App::Application application(profile.path(), server.caCertificates());
    application.accountManager().setHistorySettings(wholeArchive(pageSize));
    std::optional<CatchUp> result;
    bool started = false;
    // Emitted just before the window connects the accounts.
    QObject::connect(&application.mainWindow(), &Ui::MainWindow::conversationsLoaded, &application,
                     [&] { started = true; });
    application.start();
    if (!QTest::qWaitFor([&] { return started; }, 20000) || application.accountManager().accounts().isEmpty())
        return std::nullopt;
    Account *account = application.accountManager().accounts().first();
    // The user opens the chat the first messages belong to, so its view follows the catch-up too.
    QObject::connect(
        &account->history(), &HistorySync::messagesStored, &application,
        [&application](const QList<ChatMessage> &messages) {
            application.mainWindow().openConversation(messages.last().conversation);
        },
        Qt::SingleShotConnection);
    result = measureCatchUp(account, &application);
    application.accountManager().disconnectAll();
    application.accountManager().database().waitForIdle();
    return result;
}
#endif

} // namespace

int run(int argc, char **argv)
{
#ifdef NATTER_BENCH_WITH_WINDOW
    QApplication app(argc, argv);
#else
    QCoreApplication app(argc, argv);
#endif
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("MAM catch-up against a running test server (tests/support/prosody_fixture.py; "
                       "NATTER_TEST_SERVER_JSON "
                       "names its server.json). bench/mam-bench.sh starts one."));
    parser.addHelpOption();
    const QCommandLineOption messagesOption(QStringLiteral("messages"),
                                            QStringLiteral("Archive size (default 20000)."),
                                            QStringLiteral("N"), QStringLiteral("20000"));
    const QCommandLineOption roundsOption(QStringLiteral("rounds"),
                                          QStringLiteral("Rounds of each (default 3)."), QStringLiteral("N"),
                                          QStringLiteral("3"));
    const QCommandLineOption pageOption(
        QStringLiteral("page-size"), QStringLiteral("Messages per request (default 100; Prosody caps it)."),
        QStringLiteral("N"), QStringLiteral("100"));
    const QCommandLineOption windowOption(
        QStringLiteral("window"),
        QStringLiteral(
            "Catch up in the desktop app with its main window (offscreen unless a display is set)."));
    parser.addOptions({messagesOption, roundsOption, pageOption, windowOption});
    parser.process(app);
    const int messages = parser.value(messagesOption).toInt();
    const int rounds = std::max(1, parser.value(roundsOption).toInt());
    const int pageSize = parser.value(pageOption).toInt();

    const TestServer server = TestServer::load();
    if (!server.isValid()) {
        printNote(BenchName, server.errorString());
        return Failed;
    }
    // A user of its own per run would be cleaner, but the fixture has four; bob's archive only grows
    // here, so the figures below count what each side actually downloaded.
    const QString user = QStringLiteral("bob");
    printLine(QStringLiteral("cores %1").arg(QThread::idealThreadCount()));

    QElapsedTimer fill;
    fill.start();
    if (!fillArchive(server, user, messages)) {
        printNote(BenchName, QStringLiteral("filling the archive failed"));
        return Failed;
    }
    printLine(
        QStringLiteral("archive_fill_rate %1 messages/s").arg(perSecond(messages, fill.nsecsElapsed())));

    QList<qint64> ceilingRates, natterRates, firstPages;
    StallProbe::Figures worst, idle;
    qint64 archived = 0, stored = 0;
    for (int round = 0; round < rounds; ++round) {
        const auto ceiling = downloadArchive(server, user, pageSize);
#ifdef NATTER_BENCH_WITH_WINDOW
        const auto natter = parser.isSet(windowOption) ? catchUpWithWindow(server, user, pageSize)
                                                       : catchUp(server, user, pageSize);
#else
        const auto natter = catchUp(server, user, pageSize);
#endif
        if (!ceiling || !natter) {
            printNote(BenchName, QStringLiteral("round %1 failed").arg(round));
            return Failed;
        }
        archived = ceiling->first;
        stored = natter->stored;
        ceilingRates.append(qRound64(double(ceiling->first) * 1e9 / double(ceiling->second)));
        natterRates.append(qRound64(double(natter->stored) * 1e9 / double(natter->ns)));
        firstPages.append(natter->firstPageNs);
        const auto baseline = idleBaseline(natter->ns);
        worst.longestGapNs = std::max(worst.longestGapNs, natter->stall.longestGapNs);
        worst.longestBusyNs = std::max(worst.longestBusyNs, natter->stall.longestBusyNs);
        idle.longestGapNs = std::max(idle.longestGapNs, baseline.longestGapNs);
        idle.longestBusyNs = std::max(idle.longestBusyNs, baseline.longestBusyNs);
        printNote(BenchName,
                  QStringLiteral("round %1: ceiling %2/s, natter %3/s, longest gap %4 ms (idle %5 ms), "
                                 "longest busy %6 ms")
                      .arg(round)
                      .arg(ceilingRates.last())
                      .arg(natterRates.last())
                      .arg(double(natter->stall.longestGapNs) / 1e6, 0, 'f', 1)
                      .arg(double(baseline.longestGapNs) / 1e6, 0, 'f', 1)
                      .arg(double(natter->stall.longestBusyNs) / 1e6, 0, 'f', 1));
    }
    const qint64 ceilingRate = median(ceilingRates);
    const qint64 natterRate = median(natterRates);
    printLine(
        QStringLiteral("archive_messages %1 (chat messages stored by natter: %2)").arg(archived).arg(stored));
    printLine(QStringLiteral("mam_ceiling_rate %1 messages/s (bare client, newest first, page %2)")
                  .arg(ceilingRate)
                  .arg(pageSize));
    printLine(
        QStringLiteral("mam_catch_up_rate %1 messages/s (target >= 80% of the ceiling)").arg(natterRate));
    printLine(QStringLiteral("mam_catch_up_ratio %1 %")
                  .arg(ceilingRate ? 100.0 * double(natterRate) / double(ceilingRate) : 0, 0, 'f', 1));
    printLine(QStringLiteral("mam_first_page_ms %1 (newest messages stored after connect)")
                  .arg(double(median(firstPages)) / 1e6, 0, 'f', 1));
    printLine(QStringLiteral("event_loop_longest_stall_ms %1 (wall clock, max over rounds; target <= 16)")
                  .arg(double(worst.longestGapNs) / 1e6, 0, 'f', 1));
    printLine(
        QStringLiteral("event_loop_idle_longest_gap_ms %1 (the same probe on an idle loop: machine noise)")
            .arg(double(idle.longestGapNs) / 1e6, 0, 'f', 1));
    printLine(QStringLiteral("event_loop_longest_busy_ms %1 (CPU time of the loop's thread within one gap)")
                  .arg(double(worst.longestBusyNs) / 1e6, 0, 'f', 1));
    return 0;
}

} // namespace Natter::Bench

int main(int argc, char **argv)
{
    return Natter::Bench::run(argc, argv);
}
