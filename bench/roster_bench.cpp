// SPDX-License-Identifier: GPL-3.0-or-later
// natter-roster-bench: the desktop app logging in to an account with a large roster (5,000 contacts, 1,000
// of them online, played by bench/peers_component.py; bench/roster-bench.sh sets it all up): time from
// connect to a filled contact list, memory, and the longest event-loop stall during a presence storm.
#include "Application.h"
#include "Await.h"
#include "BenchOutput.h"
#include "BenchProfile.h"
#include "EventLoopProbe.h"
#include "TestProfile.h"
#include "TestServer.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "models/ContactListModel.h"
#include "roster/PresenceService.h"
#include "roster/RosterService.h"
#include "storage/Database.h"
#include "widgets/MainWindow.h"
#include "widgets/contacts/ContactListWidget.h"

#include <QAbstractItemModel>
#include <QApplication>
#include <QCommandLineParser>
#include <QFile>
#include <QSet>
#include <QThread>
#include <QXmppClient.h>
#include <QXmppMessage.h>
#include <cstdio>

namespace Natter::Bench {

namespace {

using namespace Core;
using Test::TestServer;

constexpr int Failed = 1;

constexpr const char *BenchName = "natter-roster-bench";

QString ms(qint64 ns)
{
    return QString::number(double(ns) / 1e6, 'f', 1);
}

// Resident and peak memory of this process in MB, from /proc/self/status.
std::pair<double, double> memoryMb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    double rss = 0, hwm = 0;
    if (!status.open(QIODevice::ReadOnly))
        return {rss, hwm};
    for (const QByteArray &line : status.readAll().split('\n')) {
        const auto kb = [&line] { return line.simplified().split(' ').value(1).toDouble() / 1024.0; };
        if (line.startsWith("VmRSS:"))
            rss = kb();
        else if (line.startsWith("VmHWM:"))
            hwm = kb();
    }
    return {rss, hwm};
}

// Follows one login of the app: when each milestone was reached, in ns since the window connected.
struct Login
{
    qint64 connected = -1;
    qint64 rosterLoaded = -1;
    qint64 listFilled = -1;
    qint64 allOnline = -1;
    qint64 onlineShown = -1;
};

class RosterBench
{
public:
    RosterBench(const TestServer &server, QString user, QString password, int contacts, int online)
        : m_server(server)
        , m_user(std::move(user))
        , m_password(std::move(password))
        , m_contacts(contacts)
        , m_online(online)
    {}

    // One start of the app on profile: from the window connecting the account until the contact list shows
    // every contact and every online contact as online.
    std::optional<Login> login(const QString &profile, bool storm)
    {
        App::Application application(profile, m_server.caCertificates());
        Login result;
        QElapsedTimer clock;
        QSet<QString> online;
        bool started = false;
        QObject::connect(&application.mainWindow(), &Ui::MainWindow::conversationsLoaded, &application, [&] {
            clock.start();
            started = true;
        });
        application.start();
        if (!runLoopUntil([&] { return started; }, 20000) ||
            application.accountManager().accounts().isEmpty())
            return std::nullopt;
        Account *account = application.accountManager().accounts().first();
        auto at = [&clock](qint64 &milestone) {
            if (milestone < 0)
                milestone = clock.nsecsElapsed();
        };
        auto checkRoster = [&] {
            if (account->roster().isLoaded() && account->roster().items().size() >= m_contacts)
                at(result.rosterLoaded);
        };
        QObject::connect(account, &Account::connected, &application, [&] { at(result.connected); });
        QObject::connect(&account->roster(), &RosterService::rosterReset, &application, checkRoster);
        QObject::connect(&account->presence(), &PresenceService::presenceChanged, &application,
                         [&](const ContactPresence &presence) {
                             if (presence.isOnline())
                                 online.insert(presence.jid);
                             else
                                 online.remove(presence.jid);
                             if (online.size() >= m_online)
                                 at(result.allOnline);
                         });
        checkRoster();
        // The list the user sees: counted from its model after each change the view was told about.
        const Ui::ContactListModel &list = *application.mainWindow().contactList()->model();
        auto checkList = [&] {
            if (list.contactCount() >= m_contacts)
                at(result.listFilled);
            if (list.onlineCount() >= m_online)
                at(result.onlineShown);
        };
        QObject::connect(&list, &QAbstractItemModel::modelReset, &application, checkList);
        QObject::connect(&list, &QAbstractItemModel::dataChanged, &application, checkList);
        checkList();
        const bool done =
            runLoopUntil([&] { return result.listFilled >= 0 && result.onlineShown >= 0; }, 120000);
        if (!done) {
            printNote(BenchName, QStringLiteral("the list showed %1 contacts, %2 online")
                                     .arg(list.contactCount())
                                     .arg(list.onlineCount()));
            return std::nullopt;
        }
        const auto [rss, hwm] = memoryMb();
        m_rssMb = rss;
        m_hwmMb = hwm;
        if (storm && !presenceStorm(account))
            return std::nullopt;
        application.accountManager().disconnectAll();
        application.accountManager().database().waitForIdle();
        return result;
    }

    double rssMb() const { return m_rssMb; }
    double hwmMb() const { return m_hwmMb; }
    StallProbe::Figures stormStall() const { return m_stormStall; }
    qint64 stormNs() const { return m_stormNs; }
    int stormUpdates() const { return m_stormUpdates; }

    int stormSize = 5000;
    double stormSeconds = 5;

private:
    // The online contacts send stormSize presence updates over stormSeconds; the probe runs on the window's
    // event loop meanwhile, until the last update has reached the list.
    bool presenceStorm(Account *account)
    {
        int updates = 0;
        QMetaObject::Connection counting = QObject::connect(
            &account->presence(), &PresenceService::presenceChanged, [&updates] { ++updates; });
        QXmppMessage control;
        control.setTo(QStringLiteral("control@peers.") + m_server.domain);
        control.setType(QXmppMessage::Chat);
        control.setBody(QStringLiteral("storm %1 %2").arg(stormSize).arg(stormSeconds));
        StallProbe probe;
        QElapsedTimer clock;
        clock.start();
        probe.start();
        account->client().sendPacket(control);
        const bool arrived =
            runLoopUntil([&] { return updates >= stormSize; }, int(stormSeconds * 1000) + 60000);
        // Updates the list coalesces are applied within a few event-loop turns: keep probing meanwhile.
        runLoopUntil([] { return false; }, 250);
        m_stormStall = probe.stop();
        m_stormNs = clock.nsecsElapsed();
        m_stormUpdates = updates;
        QObject::disconnect(counting);
        if (!arrived)
            printNote(BenchName,
                      QStringLiteral("only %1 of %2 presence updates arrived").arg(updates).arg(stormSize));
        return arrived;
    }

    const TestServer &m_server;
    QString m_user;
    QString m_password;
    int m_contacts;
    int m_online;
    double m_rssMb = 0;
    double m_hwmMb = 0;
    StallProbe::Figures m_stormStall;
    qint64 m_stormNs = 0;
    int m_stormUpdates = 0;
};

} // namespace

int run(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Large-roster login and presence storm against the test server; bench/roster-bench.sh "
                       "sets up the server, the account and its contacts."));
    parser.addHelpOption();
    const QCommandLineOption userOption(QStringLiteral("user"), QStringLiteral("Account name on the server."),
                                        QStringLiteral("NAME"));
    const QCommandLineOption passwordOption(QStringLiteral("password"), QStringLiteral("Its password."),
                                            QStringLiteral("PASSWORD"));
    const QCommandLineOption contactsOption(QStringLiteral("contacts"), QStringLiteral("Roster size (5000)."),
                                            QStringLiteral("N"), QStringLiteral("5000"));
    const QCommandLineOption onlineOption(QStringLiteral("online"), QStringLiteral("Online contacts (1000)."),
                                          QStringLiteral("N"), QStringLiteral("1000"));
    const QCommandLineOption stormOption(QStringLiteral("storm"),
                                         QStringLiteral("Presence updates in the storm (5000)."),
                                         QStringLiteral("N"), QStringLiteral("5000"));
    const QCommandLineOption stormSecondsOption(QStringLiteral("storm-seconds"),
                                                QStringLiteral("Over how many seconds (5)."),
                                                QStringLiteral("S"), QStringLiteral("5"));
    parser.addOptions(
        {userOption, passwordOption, contactsOption, onlineOption, stormOption, stormSecondsOption});
    parser.process(app);

    const TestServer server = TestServer::load();
    if (!server.isValid()) {
        printNote(BenchName, server.errorString());
        return Failed;
    }
    const int contacts = parser.value(contactsOption).toInt();
    const int online = parser.value(onlineOption).toInt();
    RosterBench bench(server, parser.value(userOption), parser.value(passwordOption), contacts, online);
    bench.stormSize = parser.value(stormOption).toInt();
    bench.stormSeconds = parser.value(stormSecondsOption).toDouble();
    printLine(QStringLiteral("cores %1").arg(QThread::idealThreadCount()));
    printLine(QStringLiteral("roster_contacts %1 (online %2)").arg(contacts).arg(online));

    Test::TestProfile profile;
    if (!createProfile(server, parser.value(userOption), parser.value(passwordOption), profile.path())) {
        printNote(BenchName, QStringLiteral("could not create the profile"));
        return Failed;
    }
    // First login: the whole roster comes from the server.
    const auto first = bench.login(profile.path(), false);
    if (!first)
        return Failed;
    printLine(QStringLiteral("first_login_connected_ms %1").arg(ms(first->connected)));
    printLine(QStringLiteral("first_login_roster_received_ms %1").arg(ms(first->rosterLoaded)));
    printLine(
        QStringLiteral("first_login_list_filled_ms %1 (from connect; target <= 200 after the roster arrives)")
            .arg(ms(first->listFilled)));
    printLine(QStringLiteral("first_login_list_filled_after_roster_ms %1 (target <= 200)")
                  .arg(ms(first->listFilled - first->rosterLoaded)));
    printLine(QStringLiteral("first_login_online_shown_ms %1 (every online contact shown online)")
                  .arg(ms(first->onlineShown)));
    // Second start: the roster is stored with its version; the server sends only changes.
    const auto second = bench.login(profile.path(), true);
    if (!second)
        return Failed;
    printLine(QStringLiteral("stored_roster_list_filled_ms %1 (from connect; the list fills from the store)")
                  .arg(ms(second->listFilled)));
    printLine(QStringLiteral("stored_roster_connected_ms %1").arg(ms(second->connected)));
    printLine(QStringLiteral("stored_roster_online_shown_ms %1").arg(ms(second->onlineShown)));
    printLine(QStringLiteral("memory_after_login_mb %1 (peak %2)")
                  .arg(bench.rssMb(), 0, 'f', 1)
                  .arg(bench.hwmMb(), 0, 'f', 1));
    const auto idle = idleBaseline(bench.stormNs());
    printLine(QStringLiteral("presence_storm_updates %1 in %2 ms")
                  .arg(bench.stormUpdates())
                  .arg(ms(bench.stormNs())));
    printLine(QStringLiteral("presence_storm_longest_stall_ms %1 (wall clock; target <= 50)")
                  .arg(ms(bench.stormStall().longestGapNs)));
    printLine(QStringLiteral("presence_storm_longest_busy_ms %1 (GUI thread CPU within one stall)")
                  .arg(ms(bench.stormStall().longestBusyNs)));
    printLine(QStringLiteral("idle_longest_gap_ms %1 (the same probe on an idle loop: machine noise)")
                  .arg(ms(idle.longestGapNs)));
    return 0;
}

} // namespace Natter::Bench

int main(int argc, char **argv)
{
    return Natter::Bench::run(argc, argv);
}
