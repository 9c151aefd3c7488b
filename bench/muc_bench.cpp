// SPDX-License-Identifier: GPL-3.0-or-later
// natter-muc-bench: joining a group chat of thousands (played by bench/peers_component.py; bench/muc-bench.sh
// sets it all up): time until the occupant list is complete, the longest event-loop stall while the presence
// flood arrives, and memory per occupant. With --window (GUI builds) the desktop app joins through its Join
// dialog and the list that counts is the one in its window.
#ifdef NATTER_BENCH_WITH_WINDOW
#include "Application.h"
#include "BenchProfile.h"
#include "TestProfile.h"
#include "models/OccupantListModel.h"
#include "widgets/MainWindow.h"
#include "widgets/muc/JoinRoomDialog.h"
#include "widgets/muc/RoomActions.h"
#include "widgets/muc/RoomView.h"

#include <QApplication>
#include <QLineEdit>
#include <QPushButton>
#endif
#include "BenchOutput.h"
#include "EventLoopProbe.h"
#include "OnlineAccount.h"
#include "TestServer.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "domain/ConnectionState.h"
#include "muc/MucService.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QThread>
#include <QXmppClient.h>
#include <QXmppMessage.h>
#include <unistd.h>

namespace Natter::Bench {

namespace {

using namespace Core;
using Test::TestServer;

constexpr const char *BenchName = "natter-muc-bench";

double rssMb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.simplified().split(' ').value(1).toDouble() / 1024.0;
    }
    return 0;
}

qint64 processCpuNs()
{
    timespec now{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return qint64(now.tv_sec) * 1000000000 + now.tv_nsec;
}

// CPU time of the test server (user and system), from /proc; -1 when unknown.
qint64 serverCpuNs()
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(qEnvironmentVariable("NATTER_BENCH_SERVER_PID")));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    // Fields after the command name, which is in parentheses and may hold spaces.
    const QByteArray line = stat.readAll();
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return -1;
    const qint64 ticks = fields.at(11).toLongLong() + fields.at(12).toLongLong();
    return ticks * 1000000000 / sysconf(_SC_CLK_TCK);
}

QString ms(qint64 ns)
{
    return QString::number(double(ns) / 1e6, 'f', 1);
}

template <typename T> std::optional<T> awaitTask(QXmppTask<T> task, int timeoutMs)
{
    if (!runLoopUntil([&task] { return task.isFinished(); }, timeoutMs))
        return std::nullopt;
    return task.result();
}

bool fail(const QString &why)
{
    printNote(BenchName, why);
    return false;
}

// Creates room as a persistent room without an occupant limit where everyone's presence is broadcast.
bool prepareRoom(Account &owner, const QString &room)
{
    MucService &rooms = owner.rooms();
    const auto joined = awaitTask(rooms.join(room, QStringLiteral("Owner")), 30000);
    if (!joined || !isOk(*joined))
        return fail(QStringLiteral("cannot create %1").arg(room));
    const auto form = awaitTask(rooms.configuration(room), 120000);
    if (!form || !isOk(*form))
        return fail(QStringLiteral("no configuration form"));
    QXmppDataForm config = std::get<QXmppDataForm>(*form);
    auto fields = config.fields();
    for (auto &field : fields) {
        if (field.key() == u"muc#roomconfig_presencebroadcast")
            field.setValue(QStringList{QStringLiteral("moderator"), QStringLiteral("participant"),
                                       QStringLiteral("visitor")});
        else if (field.key() == u"muc#roomconfig_persistentroom")
            field.setValue(true);
        else if (field.key() == u"muc#roomconfig_maxusers")
            field.setValue(QString());
    }
    config.setFields(fields);
    const auto configured = awaitTask(rooms.configure(room, config), 120000);
    if (!configured || !isOk(*configured))
        return fail(QStringLiteral("configuration refused"));
    rooms.leave(room);
    return true;
}

bool fillRoom(Account &owner, const QString &room, int occupants)
{
    const QString component = qEnvironmentVariable("NATTER_BENCH_COMPONENT");
    bool done = false;
    QObject::connect(
        &owner.client(), &QXmppClient::messageReceived, &owner.client(),
        [&done](const QXmppMessage &message) { done = done || message.body().startsWith(u"crowd-done"); });
    QXmppMessage command;
    command.setTo(QStringLiteral("control@") + component);
    command.setType(QXmppMessage::Chat);
    command.setBody(QStringLiteral("crowd %1 %2").arg(room).arg(occupants));
    owner.client().send(std::move(command));
    return runLoopUntil([&done] { return done; }, 600000) || fail(QStringLiteral("the crowd did not join"));
}

struct Join
{
    qint64 joinedNs = -1; // MucService: our own presence came, with everyone's before it
    qint64 shownNs = -1;  // the window's occupant list holds everyone (window mode)
    qsizetype listed = 0;
    int batches = 0;
    qsizetype largestBatch = 0;
    double rssBeforeMb = 0;
    double rssAfterMb = 0;
    qint64 guiCpuNs = 0;
    qint64 processCpuNs = 0;
    qint64 serverCpuNs = -1;
    StallProbe::Figures stalls;
};

// Runs the event loop under the probe from start() (the join request) until done() and a short settling
// time after it, counting MucService's batches.
class JoinMeasurement
{
public:
    explicit JoinMeasurement(Account &account)
    {
        QObject::connect(&account.rooms(), &MucService::occupantsChanged, &m_context,
                         [this](const QString &, const QList<OccupantChange> &changes) {
                             ++m_join.batches;
                             m_join.largestBatch = std::max(m_join.largestBatch, changes.size());
                         });
    }

    void start()
    {
        m_join.rssBeforeMb = rssMb();
        m_cpu = threadCpuNs();
        m_processCpu = processCpuNs();
        m_serverCpu = serverCpuNs();
        m_probe.start();
        m_clock.start();
    }
    qint64 elapsedNs() const { return m_clock.nsecsElapsed(); }
    Join &join() { return m_join; }

    Join finish()
    {
        // Whatever the last batch set off (repaints, history, bookmarks) still counts.
        runLoopUntil([] { return false; }, 500);
        m_join.stalls = m_probe.stop();
        m_join.guiCpuNs = threadCpuNs() - m_cpu;
        m_join.processCpuNs = processCpuNs() - m_processCpu;
        if (const qint64 server = serverCpuNs(); server >= 0 && m_serverCpu >= 0)
            m_join.serverCpuNs = server - m_serverCpu;
        m_join.rssAfterMb = rssMb();
        return m_join;
    }

private:
    QObject m_context;
    Join m_join;
    StallProbe m_probe;
    QElapsedTimer m_clock;
    qint64 m_cpu = 0;
    qint64 m_processCpu = 0;
    qint64 m_serverCpu = -1;
};

std::optional<Join> joinWithCore(const TestServer &server, const QString &user, const QString &room,
                                 int occupants)
{
    auto account = Test::onlineAccount(server, user, QStringLiteral("measured"));
    if (!account)
        return fail(QStringLiteral("cannot log in")), std::nullopt;
    runLoopUntil([] { return false; }, 500);
    JoinMeasurement measurement(*account);
    measurement.start();
    const auto joined = awaitTask(account->rooms().join(room, QStringLiteral("Measured")), 300000);
    measurement.join().joinedNs = measurement.elapsedNs();
    if (!joined || !isOk(*joined))
        return fail(QStringLiteral("join failed")), std::nullopt;
    measurement.join().listed = account->rooms().occupants(room).size();
    if (measurement.join().listed < occupants + 1)
        return fail(QStringLiteral("only %1 occupants listed").arg(measurement.join().listed)), std::nullopt;
    return measurement.finish();
}

#ifdef NATTER_BENCH_WITH_WINDOW
// The desktop app as a user has it: logged in, window open; the room is joined from the Join dialog and the
// probe runs on the window's event loop until its occupant list holds everyone.
std::optional<Join> joinInWindow(const TestServer &server, const QString &user, const QString &room,
                                 int occupants)
{
    Test::TestProfile profile;
    if (!createProfile(server, user, qEnvironmentVariable("NATTER_BENCH_PASSWORD"), profile.path()))
        return fail(QStringLiteral("cannot create the profile")), std::nullopt;
    App::Application application(profile.path(), server.caCertificates());
    bool started = false;
    QObject::connect(&application.mainWindow(), &Ui::MainWindow::conversationsLoaded, &application,
                     [&] { started = true; });
    application.start();
    if (!runLoopUntil([&] { return started; }, 20000) || application.accountManager().accounts().isEmpty())
        return fail(QStringLiteral("the app did not start")), std::nullopt;
    Account *account = application.accountManager().accounts().first();
    if (!runLoopUntil([&] { return account->state() == ConnectionState::Online; }, 30000))
        return fail(QStringLiteral("the app did not log in")), std::nullopt;
    Ui::MainWindow &window = application.mainWindow();
    window.resize(1100, 720);
    window.show();
    runLoopUntil([] { return false; }, 1000);

    Ui::JoinRoomDialog *dialog = window.roomActions()->openJoin({account->jid()}, account->jid());
    auto *address = dialog ? dialog->findChild<QLineEdit *>(QStringLiteral("roomAddress")) : nullptr;
    auto *nickname = dialog ? dialog->findChild<QLineEdit *>(QStringLiteral("nickname")) : nullptr;
    auto *join = dialog ? dialog->findChild<QPushButton *>(QStringLiteral("joinButton")) : nullptr;
    if (!address || !nickname || !join)
        return fail(QStringLiteral("no Join dialog")), std::nullopt;
    address->setText(room);
    nickname->setText(QStringLiteral("Measured"));

    JoinMeasurement measurement(*account);
    const auto shown = [&] {
        const Ui::RoomView *view = window.roomView();
        return view && view->room() == room && view->occupantModel()->occupantCount() >= occupants + 1;
    };
    measurement.start();
    join->click();
    const bool joined = runLoopUntil(
        [&] {
            if (measurement.join().joinedNs < 0 &&
                account->rooms().state(room) == MucService::RoomState::Joined)
                measurement.join().joinedNs = measurement.elapsedNs();
            if (measurement.join().shownNs < 0 && shown())
                measurement.join().shownNs = measurement.elapsedNs();
            return measurement.join().joinedNs >= 0 && measurement.join().shownNs >= 0;
        },
        300000);
    measurement.join().listed = window.roomView()->occupantModel()->occupantCount();
    if (!joined)
        return fail(QStringLiteral("the window listed %1 occupants").arg(measurement.join().listed)),
               std::nullopt;
    auto result = measurement.finish();
    application.accountManager().disconnectAll();
    application.accountManager().database().waitForIdle();
    return result;
}
#endif

void print(const Join &join)
{
    printLine(QStringLiteral("muc_occupants %1").arg(join.listed));
    printLine(
        QStringLiteral("muc_join_complete_list_ms %1 (target <= 500 for 2,000)").arg(ms(join.joinedNs)));
    if (join.shownNs >= 0)
        printLine(QStringLiteral("muc_join_list_shown_ms %1").arg(ms(join.shownNs)));
    printLine(
        QStringLiteral("muc_occupant_batches %1 (largest %2)").arg(join.batches).arg(join.largestBatch));
    printLine(QStringLiteral("muc_join_gui_thread_cpu_ms %1 (process %2)")
                  .arg(ms(join.guiCpuNs), ms(join.processCpuNs)));
    if (join.serverCpuNs >= 0)
        printLine(
            QStringLiteral("muc_join_server_cpu_ms %1 (Prosody, same machine)").arg(ms(join.serverCpuNs)));
    printLine(QStringLiteral("muc_rss_mb %1 (target <= 150)").arg(join.rssAfterMb, 0, 'f', 1));
    printLine(QStringLiteral("muc_memory_per_occupant_kb %1")
                  .arg((join.rssAfterMb - join.rssBeforeMb) * 1024.0 / double(join.listed), 0, 'f', 2));
    printLine(
        QStringLiteral("muc_join_longest_busy_ms %1 (target <= 50)").arg(ms(join.stalls.longestBusyNs)));
    printLine(
        QStringLiteral("muc_join_longest_stall_ms %1 (target <= 50)").arg(ms(join.stalls.longestGapNs)));
}

int run(int occupants, bool window)
{
    const TestServer server = TestServer::load();
    if (!server.isValid())
        return fail(server.errorString()), 1;
    const QString user = qEnvironmentVariable("NATTER_BENCH_USER");
    const QString room = QStringLiteral("crowd@") + server.mucService;
    printLine(QStringLiteral("cores %1").arg(QThread::idealThreadCount()));
    {
        auto owner = Test::onlineAccount(server, user, QStringLiteral("setup"));
        if (!owner || !prepareRoom(*owner, room))
            return 1;
        QElapsedTimer filling;
        filling.start();
        if (!fillRoom(*owner, room, occupants))
            return 1;
        printNote(BenchName, QStringLiteral("%1 occupants joined the room in %2 s")
                                 .arg(occupants)
                                 .arg(filling.elapsed() / 1000.0));
    }
    // Let the server finish its work for the crowd before measuring.
    runLoopUntil([] { return false; }, 2000);
    std::optional<Join> join;
#ifdef NATTER_BENCH_WITH_WINDOW
    if (window)
        join = joinInWindow(server, user, room, occupants);
    else
#endif
        join = joinWithCore(server, user, room, occupants);
    Q_UNUSED(window);
    if (!join)
        return 1;
    print(*join);
    return 0;
}

} // namespace

} // namespace Natter::Bench

int main(int argc, char **argv)
{
#ifdef NATTER_BENCH_WITH_WINDOW
    QApplication app(argc, argv);
#else
    QCoreApplication app(argc, argv);
#endif
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Joins a group chat with many occupants and prints figures."));
    parser.addHelpOption();
    const QCommandLineOption occupants(QStringLiteral("occupants"),
                                       QStringLiteral("Occupants (default 2000)."), QStringLiteral("N"),
                                       QStringLiteral("2000"));
    const QCommandLineOption window(QStringLiteral("window"),
                                    QStringLiteral("Join from the desktop app's window (GUI builds)."));
    parser.addOption(occupants);
    parser.addOption(window);
    parser.process(app);
    return Natter::Bench::run(parser.value(occupants).toInt(), parser.isSet(window));
}
