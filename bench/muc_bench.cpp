// SPDX-License-Identifier: GPL-3.0-or-later
// natter-muc-bench: joining a group chat of thousands (played by bench/peers_component.py; bench/muc-bench.sh
// sets it all up): time until the occupant list is complete, the longest event-loop stall while the presence
// flood arrives, and memory per occupant.
#include "BenchOutput.h"
#include "EventLoopProbe.h"
#include "OnlineAccount.h"
#include "TestServer.h"
#include "account/Account.h"
#include "muc/MucService.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QXmppClient.h>
#include <QXmppMessage.h>

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

// The form of room with presence broadcast set to roles (XEP-0045 §10.2 muc#roomconfig_presencebroadcast).
bool configureBroadcast(MucService &rooms, const QString &room, const QStringList &roles)
{
    const auto form = awaitTask(rooms.configuration(room), 120000);
    if (!form || !isOk(*form))
        return fail(QStringLiteral("no configuration form: %1")
                        .arg(form ? errorOf(*form).codeName() + u' ' + errorOf(*form).detail
                                  : QStringLiteral("no answer")));
    QXmppDataForm config = std::get<QXmppDataForm>(*form);
    auto fields = config.fields();
    for (auto &field : fields) {
        if (field.key() == u"muc#roomconfig_presencebroadcast")
            field.setValue(roles);
        else if (field.key() == u"muc#roomconfig_persistentroom")
            field.setValue(true);
        else if (field.key() == u"muc#roomconfig_maxusers")
            field.setValue(QString());
    }
    config.setFields(fields);
    const auto configured = awaitTask(rooms.configure(room, config), 120000);
    if (!configured || !isOk(*configured))
        return fail(QStringLiteral("configuration refused: %1")
                        .arg(configured ? errorOf(*configured).codeName() + u' ' + errorOf(*configured).detail
                                        : QStringLiteral("no answer")));
    return true;
}

// Creates room as a persistent room where everyone's presence is broadcast. (Restricting the broadcast while
// the crowd joins and lifting it afterwards does not help: Prosody then sends every presence to everyone at
// once.)
bool prepareRoom(Account &owner, const QString &room)
{
    MucService &rooms = owner.rooms();
    const auto joined = awaitTask(rooms.join(room, QStringLiteral("Owner")), 30000);
    if (!joined || !isOk(*joined))
        return fail(QStringLiteral("cannot create %1").arg(room));
    if (!configureBroadcast(
            rooms, room,
            {QStringLiteral("moderator"), QStringLiteral("participant"), QStringLiteral("visitor")}))
        return false;
    rooms.leave(room);
    return true;
}

bool fillRoom(Account &owner, const TestServer &server, const QString &room, int occupants)
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
    Q_UNUSED(server);
    return runLoopUntil([&done] { return done; }, 600000) || fail(QStringLiteral("the crowd did not join"));
}

int run(int occupants)
{
    const TestServer server = TestServer::load();
    if (!server.isValid())
        return fail(server.errorString()), 1;
    const QString user = qEnvironmentVariable("NATTER_BENCH_USER");
    const QString room = QStringLiteral("crowd@") + server.mucService;
    auto owner = Test::onlineAccount(server, user, QStringLiteral("setup"));
    if (!owner || !prepareRoom(*owner, room))
        return 1;
    QElapsedTimer filling;
    filling.start();
    if (!fillRoom(*owner, server, room, occupants))
        return 1;
    printNote(BenchName, QStringLiteral("%1 occupants joined the room in %2 s")
                             .arg(occupants)
                             .arg(filling.elapsed() / 1000.0));
    // A fresh session: the setup one may time out while the server is busy with the crowd.
    auto admin = Test::onlineAccount(server, user, QStringLiteral("admin"));
    if (!admin || !configureBroadcast(admin->rooms(), room,
                                      {QStringLiteral("moderator"), QStringLiteral("participant"),
                                       QStringLiteral("visitor")}))
        return 1;
    // Let the server finish sending the crowd its own presences before measuring.
    runLoopUntil([] { return false; }, qEnvironmentVariableIntValue("NATTER_BENCH_SETTLE_MS"));

    auto account = Test::onlineAccount(server, user, QStringLiteral("measured"));
    if (!account)
        return fail(QStringLiteral("cannot log in")), 1;
    // Settle, then measure from the join request to the complete list.
    runLoopUntil([] { return false; }, 500);
    const double before = rssMb();
    int batches = 0;
    qsizetype largestBatch = 0;
    QObject::connect(&account->rooms(), &MucService::occupantsChanged, &account->rooms(),
                     [&](const QString &, const QList<OccupantChange> &changes) {
                         ++batches;
                         largestBatch = std::max(largestBatch, changes.size());
                     });
    StallProbe probe;
    probe.start();
    QElapsedTimer clock;
    clock.start();
    const auto joined = awaitTask(account->rooms().join(room, QStringLiteral("Measured")), 300000);
    const qint64 joinNs = clock.nsecsElapsed();
    const auto stalls = probe.stop();
    if (!joined || !isOk(*joined))
        return fail(QStringLiteral("join failed")), 1;
    const qsizetype listed = account->rooms().occupants(room).size();
    // Everyone, plus the owner's setup session left, plus us.
    if (listed < occupants + 1)
        return fail(QStringLiteral("only %1 occupants listed").arg(listed)), 1;
    const double after = rssMb();
    printLine(QStringLiteral("muc_occupants %1").arg(listed));
    printLine(QStringLiteral("muc_join_complete_list_ms %1").arg(double(joinNs) / 1e6, 0, 'f', 1));
    printLine(QStringLiteral("muc_occupant_batches %1 (largest %2)").arg(batches).arg(largestBatch));
    printLine(QStringLiteral("muc_rss_mb %1").arg(after, 0, 'f', 1));
    printLine(QStringLiteral("muc_memory_per_occupant_kb %1")
                  .arg((after - before) * 1024.0 / double(listed), 0, 'f', 2));
    printLine(
        QStringLiteral("muc_join_longest_busy_ms %1").arg(double(stalls.longestBusyNs) / 1e6, 0, 'f', 1));
    printLine(
        QStringLiteral("muc_join_longest_stall_ms %1").arg(double(stalls.longestGapNs) / 1e6, 0, 'f', 1));
    return 0;
}

} // namespace

} // namespace Natter::Bench

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Joins a group chat with many occupants and prints figures."));
    parser.addHelpOption();
    const QCommandLineOption occupants(QStringLiteral("occupants"),
                                       QStringLiteral("Occupants (default 2000)."), QStringLiteral("N"),
                                       QStringLiteral("2000"));
    parser.addOption(occupants);
    parser.process(app);
    return Natter::Bench::run(parser.value(occupants).toInt());
}
