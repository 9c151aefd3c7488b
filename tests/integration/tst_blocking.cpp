// SPDX-License-Identifier: GPL-3.0-or-later
// Blocking (XEP-0191) against a real server: a blocked address's messages and presence never reach us (the
// server's archive and a second device prove it), the list follows our other devices, unblocking restores.
#include "ArchiveCheck.h"
#include "Contacts.h"
#include "OnlineAccount.h"
#include "TestProfile.h"
#include "TestServer.h"
#include "account/Account.h"
#include "messaging/MessageService.h"
#include "roster/BlockingService.h"
#include "roster/PresenceService.h"
#include "roster/RosterService.h"
#include "roster/SubscriptionService.h"

#include <QSignalSpy>
#include <QTest>

using namespace Natter::Core;
using namespace Natter::Test;

namespace {

bool send(Account *from, const QString &to, const QString &body)
{
    auto composed = from->messages().compose(to, body);
    return isOk(composed) && isOk(waitFor(from->messages().send(std::get<ChatMessage>(composed))));
}

} // namespace

class tst_Blocking : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void blockedAddressCannotReachUs();
    void blockListFollowsOurOtherDevices();
    void invalidAddressIsRefusedBeforeTheNetwork();

private:
    TestServer m_server;
};

void tst_Blocking::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
}

void tst_Blocking::blockedAddressCannotReachUs()
{
    const QString aliceUser = m_server.registerAccount(QStringLiteral("blocker")).value_or(QString());
    const QString bobUser = m_server.registerAccount(QStringLiteral("blocked")).value_or(QString());
    auto alice = onlineAccount(m_server, aliceUser, QStringLiteral("desk"));
    auto alicePhone = onlineAccount(m_server, aliceUser, QStringLiteral("phone"));
    auto bob = onlineAccount(m_server, bobUser);
    QVERIFY(alice && alicePhone && bob);
    // Contacts first, so there is presence to block.
    QSignalSpy asked(&bob->subscriptions(), &SubscriptionService::requestReceived);
    alice->subscriptions().requestSubscription(bob->jid());
    alice->subscriptions().preApprove(bob->jid());
    QVERIFY(asked.wait(10000));
    bob->subscriptions().approve(alice->jid());
    QTRY_VERIFY_WITH_TIMEOUT(alice->presence().presence(bob->jid()).isOnline(), 10000);
    QTRY_VERIFY(alice->blocking().isLoaded());

    QVERIFY(succeeded(alice->blocking().block(bob->jid())));
    QTRY_VERIFY(alice->blocking().isBlocked(bob->jid()));
    // The server tells us they are gone, and keeps it so.
    QTRY_VERIFY_WITH_TIMEOUT(!alice->presence().presence(bob->jid()).isOnline(), 10000);
    QSignalSpy presenceAtAlice(&alice->presence(), &PresenceService::presenceChanged);
    bob->setOwnPresence({PresenceShow::Away, QStringLiteral("You should not see this"), 0});

    QSignalSpy atDesk(&alice->messages(), &MessageService::messageReceived);
    QSignalSpy atPhone(&alicePhone->messages(), &MessageService::messageReceived);
    const QString blockedText = QStringLiteral("blocked message %1").arg(QDateTime::currentMSecsSinceEpoch());
    auto composed = bob->messages().compose(alice->jid(), blockedText);
    QVERIFY(isOk(composed));
    waitFor(bob->messages().send(std::get<ChatMessage>(composed)));
    // A message sent after it, from someone else, arrives: by then the blocked one would have too.
    const QString carolUser = m_server.registerAccount(QStringLiteral("witness")).value_or(QString());
    auto carol = onlineAccount(m_server, carolUser);
    QVERIFY(carol);
    QVERIFY(send(carol.get(), alice->jid(), QStringLiteral("witness")));
    QTRY_COMPARE_WITH_TIMEOUT(atDesk.size(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(atPhone.size(), 1, 10000);
    QCOMPARE(atDesk.first().first().value<ChatMessage>().conversation.peer, carol->jid());
    QCOMPARE(atPhone.first().first().value<ChatMessage>().conversation.peer, carol->jid());
    for (const QList<QVariant> &change : presenceAtAlice)
        QVERIFY(change.first().value<ContactPresence>().jid != bob->jid());
    // The server's own archive of Alice never got it.
    QVERIFY(archiveIds(m_server, aliceUser, bob->jid()).isEmpty());

    QVERIFY(succeeded(alice->blocking().unblock(bob->jid())));
    QTRY_VERIFY(!alice->blocking().isBlocked(bob->jid()));
    QVERIFY(send(bob.get(), alice->jid(), QStringLiteral("after unblocking")));
    QTRY_COMPARE_WITH_TIMEOUT(atDesk.size(), 2, 10000);
    QCOMPARE(atDesk.last().first().value<ChatMessage>().body, QStringLiteral("after unblocking"));
    QCOMPARE(archiveIds(m_server, aliceUser, bob->jid()).size(), 1);
}

void tst_Blocking::blockListFollowsOurOtherDevices()
{
    const QString user = m_server.registerAccount(QStringLiteral("blocklist")).value_or(QString());
    auto desk = onlineAccount(m_server, user, QStringLiteral("desk"));
    auto phone = onlineAccount(m_server, user, QStringLiteral("phone"));
    QVERIFY(desk && phone);
    QTRY_VERIFY(desk->blocking().isLoaded());
    const QString spammer = QStringLiteral("spammer@") + m_server.domain;
    QSignalSpy changed(&desk->blocking(), &BlockingService::blockListChanged);
    QVERIFY(succeeded(phone->blocking().block(spammer)));
    QTRY_VERIFY_WITH_TIMEOUT(desk->blocking().isBlocked(spammer), 10000);
    QVERIFY(changed.size() >= 1);
    // A whole domain is an entry too.
    QVERIFY(succeeded(phone->blocking().block(QStringLiteral("spam.example"))));
    QTRY_COMPARE_WITH_TIMEOUT(desk->blocking().blockedJids(),
                              (QStringList{QStringLiteral("spam.example"), spammer}), 10000);
    // A new login fetches the same list.
    auto laptop = onlineAccount(m_server, user, QStringLiteral("laptop"));
    QVERIFY(laptop);
    QTRY_VERIFY(laptop->blocking().isLoaded());
    QCOMPARE(laptop->blocking().blockedJids(), desk->blocking().blockedJids());
}

void tst_Blocking::invalidAddressIsRefusedBeforeTheNetwork()
{
    const QString user = m_server.registerAccount(QStringLiteral("blockbad")).value_or(QString());
    auto account = onlineAccount(m_server, user);
    QVERIFY(account);
    const auto result = waitTask(account->blocking().block(QStringLiteral("not a jid@@")));
    QVERIFY(result);
    QCOMPARE(errorOf(*result).code, Error::Code::InvalidJid);
    account->disconnectFromServer();
    const auto offline = waitTask(account->blocking().block(QStringLiteral("someone@") + m_server.domain));
    QVERIFY(offline);
    QCOMPARE(errorOf(*offline).code, Error::Code::NotConnected);
}

QTEST_GUILESS_MAIN(tst_Blocking)
#include "tst_blocking.moc"
