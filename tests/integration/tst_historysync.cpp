// SPDX-License-Identifier: GPL-3.0-or-later
// MAM catch-up against a real Prosody: after offline periods the store equals the server archive, with
// no duplicates and no gaps, whatever way each message arrived (live, carbon, archive).
#include "ArchiveCheck.h"
#include "OnlineAccount.h"
#include "TestProfile.h"
#include "TestServer.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "domain/ConnectionState.h"
#include "messaging/MessageService.h"
#include "storage/Database.h"
#include "storage/MessageRepository.h"
#include "storage/SyncStateRepository.h"
#include "sync/ArchiveQuery.h"
#include "sync/HistorySync.h"

#include <QSqlQuery>
#include <QXmppClient.h>
#include <QXmppElement.h>

using namespace Natter::Core;
using namespace Natter::Test;

class tst_HistorySync : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void catchUpAfterOfflinePeriodsEqualsTheArchive();
    void liveCarbonAndArchiveCopiesAreStoredOnce();
    void interruptedCatchUpLeavesAGapThatTheNextOneFills();
    void firstLoginFetchesARecentWindowAndOlderOnDemand();
    void forgedArchiveResultsAreDropped();

private:
    std::unique_ptr<AccountManager> openProfile(const TestProfile &profile, const QString &user,
                                                HistorySync::Settings settings);
    std::unique_ptr<Account> bareAccount(const QString &user) const
    {
        return storelessAccount(m_server, user);
    }
    // Connects and waits for the catch-up that every connect starts; false when it failed.
    static bool connectAndCatchUp(Account *account);
    // Sends count messages from one account to a peer and waits until the server has each of them.
    static bool sendMany(Account *from, const QString &to, int count, const QString &label);
    QStringList archiveIds(const QString &user, const QString &with = {}) const
    {
        return Natter::Test::archiveIds(m_server, user, with);
    }
    static QStringList storedIds(AccountManager &manager, const QString &account, const QString &peer = {})
    {
        return Natter::Test::storedIds(manager.database(), account, peer);
    }

    TestServer m_server;
};

void tst_HistorySync::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
}

std::unique_ptr<AccountManager> tst_HistorySync::openProfile(const TestProfile &profile, const QString &user,
                                                             HistorySync::Settings settings)
{
    auto manager = std::make_unique<AccountManager>(profile.path());
    manager->setAdditionalCaCertificates(m_server.caCertificates());
    if (!isOk(waitFor(manager->open())))
        return nullptr;
    if (!manager->account(m_server.jid(user)) &&
        !isOk(waitFor(manager->addAccount(m_server.accountConfig(user), m_server.account(user).password))))
        return nullptr;
    manager->account(m_server.jid(user))->history().setSettings(settings);
    return manager;
}

bool tst_HistorySync::connectAndCatchUp(Account *account)
{
    QSignalSpy finished(&account->history(), &HistorySync::catchUpFinished);
    if (!goOnline(account))
        return false;
    if (!QTest::qWaitFor([&] { return finished.size() > 0; }, 60000))
        return false;
    const auto error = finished.last().at(1).value<std::optional<Error>>();
    if (error)
        qWarning() << "catch-up failed:" << error->codeName() << error->detail;
    return !error;
}

bool tst_HistorySync::sendMany(Account *from, const QString &to, int count, const QString &label)
{
    QList<QFuture<Result<ChatMessage>>> sent;
    for (int i = 0; i < count; ++i) {
        auto composed = from->messages().compose(to, QStringLiteral("%1 %2").arg(label).arg(i));
        if (!isOk(composed))
            return false;
        sent.append(from->messages().send(std::get<ChatMessage>(composed)));
    }
    for (auto &future : sent) {
        const auto result = waitFor(future, 30000);
        if (!isOk(result) || std::get<ChatMessage>(result).delivery != ChatMessage::Delivery::Acknowledged)
            return false;
    }
    return true;
}

namespace {
HistorySync::Settings everything(int pageSize = 100)
{
    HistorySync::Settings settings;
    settings.pageSize = pageSize;
    settings.firstLoginWindow = 1000000;
    return settings;
}

int gapCount(AccountManager &manager, const QString &account)
{
    const auto gaps = waitFor(manager.syncState().gaps(account));
    return isOk(gaps) ? int(std::get<QList<HistoryGap>>(gaps).size()) : -1;
}
} // namespace

void tst_HistorySync::catchUpAfterOfflinePeriodsEqualsTheArchive()
{
    // An account of its own: its archive holds exactly what this test puts there.
    const auto user = m_server.registerAccount(QStringLiteral("offline"));
    QVERIFY(user);
    TestProfile profile;
    auto manager = openProfile(profile, *user, everything());
    QVERIFY(manager);
    Account *alice = manager->accounts().first();
    QVERIFY(connectAndCatchUp(alice));
    alice->disconnectFromServer();

    auto bob = bareAccount(QStringLiteral("bob"));
    auto carol = bareAccount(QStringLiteral("carol"));
    auto alicePhone = bareAccount(*user); // a second device, no store
    QVERIFY(goOnline(bob.get()) && goOnline(carol.get()) && goOnline(alicePhone.get()));

    // Two offline periods, each with messages from several contacts and from alice's other device.
    for (int period = 0; period < 2; ++period) {
        const QString tag = QStringLiteral("period%1").arg(period);
        QVERIFY(sendMany(bob.get(), alice->jid(), 230, tag + QStringLiteral(" bob")));
        QVERIFY(sendMany(carol.get(), alice->jid(), 40, tag + QStringLiteral(" carol")));
        QVERIFY(sendMany(alicePhone.get(), bob->jid(), 35, tag + QStringLiteral(" from the phone")));
        QSignalSpy stored(&alice->history(), &HistorySync::messagesStored);
        QVERIFY(connectAndCatchUp(alice));
        int brought = 0;
        for (const auto &call : stored)
            brought += int(call.first().value<QList<ChatMessage>>().size());
        QCOMPARE(brought, 230 + 40 + 35);
        alice->disconnectFromServer();
    }

    const QStringList archive = archiveIds(*user);
    const QStringList store = storedIds(*manager, alice->jid());
    QVERIFY(archive.size() >= 2 * (230 + 40 + 35));
    QCOMPARE(store.size(), archive.size());   // no duplicates, nothing missing …
    QCOMPARE(sorted(store), sorted(archive)); // … and exactly the archive's messages
    QCOMPARE(QSet<QString>(store.begin(), store.end()).size(), store.size());
    QCOMPARE(gapCount(*manager, alice->jid()), 0);

    // The newest messages are in the right conversations and directions.
    const auto phonePage =
        waitFor(manager->messageStore().before({alice->jid(), bob->jid()}, std::nullopt, 1));
    QVERIFY(isOk(phonePage));
    const ChatMessage newestWithBob = std::get<QList<ChatMessage>>(phonePage).first();
    QCOMPARE(newestWithBob.body, QStringLiteral("period1 from the phone 34"));
    QCOMPARE(newestWithBob.direction, ChatMessage::Direction::Outgoing);
}

void tst_HistorySync::liveCarbonAndArchiveCopiesAreStoredOnce()
{
    const auto user = m_server.registerAccount(QStringLiteral("copies"));
    QVERIFY(user);
    TestProfile profile;
    auto manager = openProfile(profile, *user, everything());
    QVERIFY(manager);
    Account *carol = manager->accounts().first();
    QVERIFY(connectAndCatchUp(carol));

    auto dave = bareAccount(QStringLiteral("dave"));
    auto carolPhone = bareAccount(*user);
    QVERIFY(goOnline(dave.get()) && goOnline(carolPhone.get()));
    QSignalSpy live(&carol->messages(), &MessageService::messageReceived);
    QVERIFY(sendMany(dave.get(), carol->jid(), 3, QStringLiteral("live to carol")));
    QVERIFY(sendMany(carolPhone.get(), dave->jid(), 3, QStringLiteral("carbon of carol")));
    QTRY_COMPARE_WITH_TIMEOUT(live.size(), 6, 10000);

    // Reconnecting brings the same six through the archive: none is new.
    carol->disconnectFromServer();
    QSignalSpy fromArchive(&carol->history(), &HistorySync::messagesStored);
    QVERIFY(connectAndCatchUp(carol));
    QCOMPARE(fromArchive.size(), 0);
    const QStringList store = storedIds(*manager, carol->jid(), dave->jid());
    QCOMPARE(QSet<QString>(store.begin(), store.end()).size(), store.size());
    QVERIFY(!store.contains(QStringLiteral("(none)"))); // each live copy learned its archive id
    QCOMPARE(sorted(store), sorted(archiveIds(*user, dave->jid())));
    carol->disconnectFromServer();
}

void tst_HistorySync::interruptedCatchUpLeavesAGapThatTheNextOneFills()
{
    const auto user = m_server.registerAccount(QStringLiteral("gap"));
    QVERIFY(user);
    TestProfile profile;
    auto manager = openProfile(profile, *user, everything(20));
    QVERIFY(manager);
    Account *dave = manager->accounts().first();
    QVERIFY(connectAndCatchUp(dave));
    dave->disconnectFromServer();

    auto bob = bareAccount(QStringLiteral("bob"));
    // Dave's phone is online, so the server delivers to it instead of keeping offline copies: the
    // profile gets the messages through the archive only.
    auto davePhone = bareAccount(*user);
    QVERIFY(goOnline(bob.get()) && goOnline(davePhone.get()));
    QVERIFY(sendMany(bob.get(), dave->jid(), 150, QStringLiteral("while dave was away")));

    // The connection drops after the first pages: the newest are stored, the rest is a recorded gap.
    QSignalSpy stored(&dave->history(), &HistorySync::messagesStored);
    connect(&dave->history(), &HistorySync::messagesStored, dave, [&] {
        if (stored.size() == 2)
            dave->disconnectFromServer();
    });
    QVERIFY(goOnline(dave));
    QTRY_VERIFY2_WITH_TIMEOUT(
        dave->state() == ConnectionState::Offline,
        qPrintable(QStringLiteral("pages stored: %1, state %2").arg(stored.size()).arg(int(dave->state()))),
        20000);
    QVERIFY(storedIds(*manager, dave->jid(), bob->jid()).size() < 150);
    QCOMPARE(gapCount(*manager, dave->jid()), 1); // marked for the view, not silent
    const auto newest = waitFor(manager->messageStore().before({dave->jid(), bob->jid()}, std::nullopt, 1));
    QCOMPARE(std::get<QList<ChatMessage>>(newest).first().body, QStringLiteral("while dave was away 149"));

    QObject::disconnect(&dave->history(), &HistorySync::messagesStored, dave, nullptr);
    QVERIFY(connectAndCatchUp(dave));
    QCOMPARE(gapCount(*manager, dave->jid()), 0);
    const QStringList store = storedIds(*manager, dave->jid());
    QCOMPARE(sorted(store), sorted(archiveIds(*user)));
    dave->disconnectFromServer();
}

void tst_HistorySync::firstLoginFetchesARecentWindowAndOlderOnDemand()
{
    auto carol = bareAccount(QStringLiteral("carol"));
    auto dave = bareAccount(QStringLiteral("dave"));
    QVERIFY(goOnline(carol.get()) && goOnline(dave.get()));
    const auto user = m_server.registerAccount(QStringLiteral("window"));
    QVERIFY(user);
    const QString bob = m_server.jid(*user);
    // Dave's chat is quiet: one line of it falls into the window that carol's busy chat fills.
    QVERIFY(sendMany(dave.get(), bob, 30, QStringLiteral("dave's older news")));
    QVERIFY(sendMany(carol.get(), bob, 60, QStringLiteral("carol's long story")));
    QVERIFY(sendMany(dave.get(), bob, 1, QStringLiteral("dave again")));
    QVERIFY(sendMany(carol.get(), bob, 10, QStringLiteral("carol's story goes on")));
    const QStringList archived = archiveIds(*user, carol->jid());
    QVERIFY(archived.size() >= 70);

    TestProfile profile;
    HistorySync::Settings settings;
    settings.pageSize = 25;
    settings.firstLoginWindow = 25;
    settings.conversationWindow = 20;
    auto manager = openProfile(profile, *user, settings);
    QVERIFY(manager);
    Account *account = manager->accounts().first();
    QVERIFY(connectAndCatchUp(account));
    const ConversationKey withCarol{account->jid(), carol->jid()};
    // The newest 25 archived messages came, 24 of them carol's; dave's chat got 20 more of its own.
    QCOMPARE(storedIds(*manager, account->jid(), carol->jid()).size(), 24);
    QCOMPARE(storedIds(*manager, account->jid(), dave->jid()).size(), 21);
    const auto newest = waitFor(manager->messageStore().before(withCarol, std::nullopt, 1));
    QCOMPARE(std::get<QList<ChatMessage>>(newest).first().body, QStringLiteral("carol's story goes on 9"));
    // Old history is not counted as unread.
    const int unread = waitFor(manager->database().run([](QSqlDatabase &db) {
        QSqlQuery query(db);
        query.exec(QStringLiteral("SELECT SUM(unread_count) FROM conversations"));
        query.next();
        return query.value(0).toInt();
    }));
    QCOMPARE(unread, 0);

    // Scrolling back pages through the conversation's archive until its start, without repeats.
    int rounds = 0;
    for (;;) {
        const auto older = waitFor(account->history().fetchOlder(withCarol));
        QVERIFY(isOk(older));
        ++rounds;
        if (std::get<HistorySync::OlderHistory>(older).reachedStart)
            break;
        QVERIFY(rounds < 50);
    }
    const QStringList store = storedIds(*manager, account->jid(), carol->jid());
    QCOMPARE(store.size(), archived.size());
    QCOMPARE(sorted(store), sorted(archived));
    account->disconnectFromServer();
}

void tst_HistorySync::forgedArchiveResultsAreDropped()
{
    const auto user = m_server.registerAccount(QStringLiteral("forged"));
    QVERIFY(user);
    TestProfile profile;
    auto manager = openProfile(profile, *user, everything());
    QVERIFY(manager);
    Account *alice = manager->accounts().first();
    QVERIFY(connectAndCatchUp(alice));
    const int before = int(storedIds(*manager, alice->jid()).size());

    // Bob sends a message dressed as an archive result with a forwarded "message from carol".
    auto bob = bareAccount(QStringLiteral("bob"));
    QVERIFY(goOnline(bob.get()));
    QXmppElement forwardedMessage;
    forwardedMessage.setTagName(QStringLiteral("message"));
    forwardedMessage.setAttribute(QStringLiteral("xmlns"), QStringLiteral("jabber:client"));
    forwardedMessage.setAttribute(QStringLiteral("from"), m_server.jid(QStringLiteral("carol")));
    forwardedMessage.setAttribute(QStringLiteral("type"), QStringLiteral("chat"));
    QXmppElement body;
    body.setTagName(QStringLiteral("body"));
    body.setValue(QStringLiteral("forged history"));
    forwardedMessage.appendChild(body);
    QXmppElement forwarded;
    forwarded.setTagName(QStringLiteral("forwarded"));
    forwarded.setAttribute(QStringLiteral("xmlns"), QStringLiteral("urn:xmpp:forward:0"));
    forwarded.appendChild(forwardedMessage);
    QXmppElement result;
    result.setTagName(QStringLiteral("result"));
    result.setAttribute(QStringLiteral("xmlns"), QStringLiteral("urn:xmpp:mam:2"));
    result.setAttribute(QStringLiteral("queryid"), QStringLiteral("guess"));
    result.setAttribute(QStringLiteral("id"), QStringLiteral("forged-1"));
    result.appendChild(forwarded);
    QXmppMessage forged;
    forged.setTo(alice->jid());
    forged.setType(QXmppMessage::Normal);
    forged.setExtensions({result});
    QSignalSpy live(&alice->messages(), &MessageService::messageReceived);
    bob->client().sendPacket(forged);
    QVERIFY(sendMany(bob.get(), alice->jid(), 1, QStringLiteral("a real one after it")));
    QTRY_COMPARE_WITH_TIMEOUT(live.size(), 1, 10000);
    QCOMPARE(live.first().first().value<ChatMessage>().body, QStringLiteral("a real one after it 0"));
    const auto hits = waitFor(manager->messageStore().search(QStringLiteral("forged"), std::nullopt, 10));
    QVERIFY(isOk(hits));
    QVERIFY(std::get<QList<ChatMessage>>(hits).isEmpty());
    QCOMPARE(int(storedIds(*manager, alice->jid()).size()), before + 1);
    alice->disconnectFromServer();
}

QTEST_GUILESS_MAIN(tst_HistorySync)
#include "tst_historysync.moc"
