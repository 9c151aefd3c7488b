// SPDX-License-Identifier: GPL-3.0-or-later
// The roster against a real server: pushes from our other devices, the stored roster and its version, forged
// pushes; subscriptions between two accounts; presence per resource.
#include "Contacts.h"
#include "OnlineAccount.h"
#include "TestProfile.h"
#include "TestServer.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "roster/PresenceService.h"
#include "roster/RosterService.h"
#include "roster/SubscriptionService.h"
#include "storage/Database.h"

#include <QDomElement>
#include <QSignalSpy>
#include <QTest>
#include <QXmppClient.h>
#include <QXmppLogger.h>
#include <QXmppRosterIq.h>

using namespace Natter::Core;
using namespace Natter::Test;

namespace {

// Collects the stanzas a client sends, as text.
class SentLog : public QObject
{
public:
    explicit SentLog(QXmppClient &client)
    {
        auto *logger = new QXmppLogger(this);
        logger->setLoggingType(QXmppLogger::SignalLogging);
        logger->setMessageTypes(QXmppLogger::SentMessage);
        connect(logger, &QXmppLogger::message, this,
                [this](QXmppLogger::MessageType, const QString &text) { sent.append(text); });
        client.setLogger(logger);
    }
    QStringList sent;
};

} // namespace

class tst_Roster : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void pushFromSecondDeviceShowsUp();
    void storedRosterIsLoadedBeforeConnectingAndVersionedAfter();
    void forgedPushIsIgnored();
    void subscriptionHandshakeEndsInBoth();
    void deniedRequestLeavesNone();
    void halfSubscriptionIsFixedInOneStep();
    void presenceIsTrackedPerResource();

private:
    QString newUser();
    // A profile holding user's account (password in the profile) and its open manager.
    std::unique_ptr<AccountManager> profileFor(const TestProfile &profile, const QString &user);

    TestServer m_server;
};

void tst_Roster::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
}

QString tst_Roster::newUser()
{
    const auto user = m_server.registerAccount(QStringLiteral("roster"));
    return user.value_or(QString());
}

std::unique_ptr<AccountManager> tst_Roster::profileFor(const TestProfile &profile, const QString &user)
{
    auto manager = std::make_unique<AccountManager>(profile.path());
    manager->setAdditionalCaCertificates(m_server.caCertificates());
    if (!isOk(waitFor(manager->open())))
        return nullptr;
    if (manager->accounts().isEmpty()) {
        AccountConfig config = m_server.accountConfig(user);
        config.passwordStorage = AccountConfig::PasswordStorage::ProfileFile;
        if (!isOk(waitFor(manager->addAccount(config, m_server.account(user).password))))
            return nullptr;
    }
    return manager;
}

void tst_Roster::pushFromSecondDeviceShowsUp()
{
    const QString user = newUser();
    auto desktop = onlineAccount(m_server, user, QStringLiteral("desktop"));
    auto phone = onlineAccount(m_server, user, QStringLiteral("phone"));
    QVERIFY(desktop && phone);
    QTRY_VERIFY(desktop->roster().isLoaded());
    // The phone renames with the groups it knows: it must have asked for its roster, or the server sends it
    // no pushes (not even of its own changes) and the groups would be lost.
    QTRY_VERIFY(phone->roster().isLoaded());
    const QString contact = QStringLiteral("friend@") + m_server.domain;

    QSignalSpy added(&desktop->roster(), &RosterService::itemAdded);
    QVERIFY(succeeded(phone->roster().add(contact, QStringLiteral("Friend"), {QStringLiteral("Work")})));
    QTRY_COMPARE_WITH_TIMEOUT(added.size(), 1, 10000);
    const auto item = added.first().first().value<RosterItem>();
    QCOMPARE(item.jid, contact);
    QCOMPARE(item.name, QStringLiteral("Friend"));
    QCOMPARE(item.groups, QStringList{QStringLiteral("Work")});
    QCOMPARE(item.subscription, RosterItem::Subscription::None);

    QSignalSpy changed(&desktop->roster(), &RosterService::itemChanged);
    QVERIFY(succeeded(phone->roster().rename(contact, QStringLiteral("Best friend"))));
    QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 1, 10000);
    QCOMPARE(desktop->roster().item(contact)->name, QStringLiteral("Best friend"));
    QCOMPARE(desktop->roster().item(contact)->groups, QStringList{QStringLiteral("Work")});

    QVERIFY(
        succeeded(phone->roster().setGroups(contact, {QStringLiteral("Family"), QStringLiteral("Work")})));
    QTRY_COMPARE_WITH_TIMEOUT(desktop->roster().item(contact)->groups,
                              (QStringList{QStringLiteral("Family"), QStringLiteral("Work")}), 10000);
    QCOMPARE(desktop->roster().groups(), (QStringList{QStringLiteral("Family"), QStringLiteral("Work")}));

    QSignalSpy removed(&desktop->roster(), &RosterService::itemRemoved);
    QVERIFY(succeeded(phone->roster().remove(contact)));
    QTRY_COMPARE_WITH_TIMEOUT(removed.size(), 1, 10000);
    QCOMPARE(removed.first().first().toString(), contact);
    QVERIFY(!desktop->roster().contains(contact));
}

void tst_Roster::storedRosterIsLoadedBeforeConnectingAndVersionedAfter()
{
    const QString user = newUser();
    const QString kept = QStringLiteral("kept@") + m_server.domain;
    const QString dropped = QStringLiteral("dropped@") + m_server.domain;
    const QString added = QStringLiteral("added@") + m_server.domain;
    TestProfile profile;
    {
        auto manager = profileFor(profile, user);
        QVERIFY(manager);
        Account *account = manager->accounts().first();
        QVERIFY(goOnline(account));
        QTRY_VERIFY(account->roster().isLoaded());
        QVERIFY(succeeded(account->roster().add(kept, QStringLiteral("Kept"), {})));
        QVERIFY(succeeded(account->roster().add(dropped, QString(), {}))); // no name is stored too
        QTRY_COMPARE(account->roster().items().size(), 2);
        account->disconnectFromServer();
        manager->database().waitForIdle();
    }
    {
        // Nothing changed: the stored version is current and the server sends no roster at all.
        auto manager = profileFor(profile, user);
        QVERIFY(manager);
        Account *account = manager->accounts().first();
        QTRY_VERIFY_WITH_TIMEOUT(account->roster().isLoaded(), 5000);
        QCOMPARE(account->roster().items().size(), 2); // from the store, before any connection
        SentLog log(account->client());
        QSignalSpy reset(&account->roster(), &RosterService::rosterReset);
        QVERIFY(goOnline(account));
        QVERIFY(reset.wait(10000));
        const QStringList rosterGets = log.sent.filter(QStringLiteral("jabber:iq:roster"));
        QCOMPARE(rosterGets.size(), 1);
        QVERIFY2(rosterGets.first().contains(QStringLiteral("ver=")), qPrintable(rosterGets.first()));
        QCOMPARE(account->roster().items().size(), 2);
        account->disconnectFromServer();
        manager->database().waitForIdle();
    }
    // Changes made on another device while this one was away.
    {
        auto phone = onlineAccount(m_server, user, QStringLiteral("phone"));
        QVERIFY(phone);
        QVERIFY(succeeded(phone->roster().remove(dropped)));
        QVERIFY(succeeded(phone->roster().add(added, QStringLiteral("Added"), {})));
    }
    auto manager = profileFor(profile, user);
    QVERIFY(manager);
    Account *account = manager->accounts().first();
    QTRY_VERIFY_WITH_TIMEOUT(account->roster().isLoaded(), 5000);
    QVERIFY(account->roster().contains(dropped)); // the store still has the old state
    QVERIFY(goOnline(account));
    QTRY_VERIFY_WITH_TIMEOUT(account->roster().contains(added), 10000);
    QVERIFY(!account->roster().contains(dropped));
    QVERIFY(account->roster().contains(kept));
    account->disconnectFromServer();
    manager->database().waitForIdle();
}

void tst_Roster::forgedPushIsIgnored()
{
    const QString user = newUser();
    const QString attacker = newUser();
    auto victim = onlineAccount(m_server, user);
    auto mallory = onlineAccount(m_server, attacker);
    QVERIFY(victim && mallory);
    QTRY_VERIFY(victim->roster().isLoaded());
    QSignalSpy added(&victim->roster(), &RosterService::itemAdded);

    QXmppRosterIq::Item item;
    item.setBareJid(QStringLiteral("evil@") + m_server.domain);
    item.setName(QStringLiteral("Your bank"));
    QXmppRosterIq push;
    push.setType(QXmppIq::Set);
    push.setTo(victim->client().configuration().jid());
    push.addItem(item);
    const auto answer = waitTask(mallory->client().sendIq(std::move(push)));
    QVERIFY(answer);
    QVERIFY2(std::holds_alternative<QXmppError>(*answer), "a forged push must be refused");
    QCOMPARE(added.size(), 0);
    QVERIFY(!victim->roster().contains(QStringLiteral("evil@") + m_server.domain));
}

void tst_Roster::subscriptionHandshakeEndsInBoth()
{
    auto alice = onlineAccount(m_server, newUser());
    auto bob = onlineAccount(m_server, newUser());
    QVERIFY(alice && bob);
    QSignalSpy asked(&bob->subscriptions(), &SubscriptionService::requestReceived);
    alice->subscriptions().requestSubscription(bob->jid(), QStringLiteral("It's Alice"));
    alice->subscriptions().preApprove(bob->jid());
    QVERIFY(asked.wait(10000));
    const auto request = asked.first().first().value<SubscriptionRequest>();
    QCOMPARE(request.jid, alice->jid());
    QCOMPARE(request.message, QStringLiteral("It's Alice"));
    QCOMPARE(bob->subscriptions().pendingRequests().size(), 1);
    QTRY_VERIFY(alice->roster().item(bob->jid()) && alice->roster().item(bob->jid())->askSubscribe);

    bob->subscriptions().approve(alice->jid());
    QTRY_COMPARE_WITH_TIMEOUT(subscriptionOf(alice.get(), bob->jid()), RosterItem::Subscription::Both, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(subscriptionOf(bob.get(), alice->jid()), RosterItem::Subscription::Both, 10000);
    QVERIFY(bob->subscriptions().pendingRequests().isEmpty());
    QVERIFY(!alice->roster().item(bob->jid())->askSubscribe);
}

void tst_Roster::deniedRequestLeavesNone()
{
    auto alice = onlineAccount(m_server, newUser());
    auto bob = onlineAccount(m_server, newUser());
    QVERIFY(alice && bob);
    QSignalSpy asked(&bob->subscriptions(), &SubscriptionService::requestReceived);
    alice->subscriptions().requestSubscription(bob->jid());
    QVERIFY(asked.wait(10000));
    QSignalSpy settled(&bob->subscriptions(), &SubscriptionService::requestSettled);
    bob->subscriptions().deny(alice->jid());
    QCOMPARE(settled.size(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(
        alice->roster().item(bob->jid()) && !alice->roster().item(bob->jid())->askSubscribe, 10000);
    QCOMPARE(subscriptionOf(alice.get(), bob->jid()), RosterItem::Subscription::None);
    QVERIFY(!bob->roster().contains(alice->jid()) ||
            subscriptionOf(bob.get(), alice->jid()) == RosterItem::Subscription::None);
}

void tst_Roster::halfSubscriptionIsFixedInOneStep()
{
    auto alice = onlineAccount(m_server, newUser());
    auto bob = onlineAccount(m_server, newUser());
    QVERIFY(alice && bob);
    // Alice sees Bob, Bob does not see Alice.
    QSignalSpy asked(&bob->subscriptions(), &SubscriptionService::requestReceived);
    alice->subscriptions().requestSubscription(bob->jid());
    QVERIFY(asked.wait(10000));
    bob->subscriptions().preApprove(alice->jid()); // "allow" only, without asking back
    QTRY_COMPARE_WITH_TIMEOUT(subscriptionOf(alice.get(), bob->jid()), RosterItem::Subscription::To, 10000);
    QVERIFY(alice->roster().item(bob->jid())->isHalfSubscribed());

    // Bob fixes his half (From) with one call: he asks for Alice's presence, she gets a request.
    QSignalSpy aliceAsked(&alice->subscriptions(), &SubscriptionService::requestReceived);
    bob->subscriptions().fixHalfSubscription(alice->jid());
    QVERIFY(aliceAsked.wait(10000));
    alice->subscriptions().approve(bob->jid());
    QTRY_COMPARE_WITH_TIMEOUT(subscriptionOf(alice.get(), bob->jid()), RosterItem::Subscription::Both, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(subscriptionOf(bob.get(), alice->jid()), RosterItem::Subscription::Both, 10000);
}

void tst_Roster::presenceIsTrackedPerResource()
{
    const QString bobUser = newUser();
    auto alice = onlineAccount(m_server, newUser());
    auto bobDesk = onlineAccount(m_server, bobUser, QStringLiteral("desk"));
    QVERIFY(alice && bobDesk);
    QVERIFY(makeMutualContacts(alice.get(), bobDesk.get()));
    const QString bob = bobDesk->jid();
    QTRY_VERIFY_WITH_TIMEOUT(alice->presence().presence(bob).isOnline(), 10000);

    bobDesk->setOwnPresence({PresenceShow::DoNotDisturb, QStringLiteral("Writing"), 5});
    QTRY_COMPARE_WITH_TIMEOUT(alice->presence().presence(bob).bestShow(), PresenceShow::DoNotDisturb, 10000);
    QCOMPARE(alice->presence().presence(bob).bestStatus(), QStringLiteral("Writing"));

    auto bobPhone = onlineAccount(m_server, bobUser, QStringLiteral("phone"));
    QVERIFY(bobPhone);
    bobPhone->setOwnPresence({PresenceShow::Available, QStringLiteral("On the go"), 1});
    QTRY_COMPARE_WITH_TIMEOUT(alice->presence().presence(bob).resources.size(), 2, 10000);
    // The higher priority wins, even though the phone is more available.
    QCOMPARE(alice->presence().presence(bob).resources.first().resource, QStringLiteral("desk"));
    QCOMPARE(alice->presence().presence(bob).resources.first().priority, 5);
    QCOMPARE(alice->presence().presence(bob).resources.last().resource, QStringLiteral("phone"));

    bobDesk->disconnectFromServer();
    QTRY_COMPARE_WITH_TIMEOUT(alice->presence().presence(bob).resources.size(), 1, 10000);
    QCOMPARE(alice->presence().presence(bob).bestShow(), PresenceShow::Available);
    QCOMPARE(alice->presence().presence(bob).bestStatus(), QStringLiteral("On the go"));

    QSignalSpy offline(&alice->presence(), &PresenceService::allOffline);
    alice->disconnectFromServer();
    QVERIFY(offline.size() == 1 || offline.wait(5000));
    QVERIFY(!alice->presence().presence(bob).isOnline());
}

QTEST_GUILESS_MAIN(tst_Roster)
#include "tst_roster.moc"
