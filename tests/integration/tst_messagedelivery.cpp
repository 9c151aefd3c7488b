// SPDX-License-Identifier: GPL-3.0-or-later
// Messages through the store against a real server: carbons from our other device, each message stored
// once, and messages written offline (or before a crash) delivered exactly once after the next login.
#include "OnlineAccount.h"
#include "TestProfile.h"
#include "TestServer.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "domain/ConnectionState.h"
#include "messaging/MessageService.h"
#include "storage/MessageRepository.h"

using namespace Natter::Core;
using namespace Natter::Test;

class tst_MessageDelivery : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void ourOtherDeviceStoresWhatWeSendAsOutgoing();
    void incomingMessageIsStoredOnceOnEachDevice();
    void messageWrittenOfflineIsDeliveredOnceAfterLogin();
    void pendingMessageSurvivesARestart();

private:
    // A profile with user's account (password in the profile); not connected.
    std::unique_ptr<AccountManager> openProfile(const TestProfile &profile, const QString &user);
    static QList<ChatMessage> history(AccountManager &manager, const ConversationKey &conversation);
    // The stored copies of one message (the store also holds what earlier tests left in the archive).
    static QList<ChatMessage> copiesOf(AccountManager &manager, const ConversationKey &conversation,
                                       const QString &originId);
    std::unique_ptr<Account> bareAccount(const QString &user) const
    {
        return storelessAccount(m_server, user);
    }

    TestServer m_server;
};

void tst_MessageDelivery::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
}

std::unique_ptr<AccountManager> tst_MessageDelivery::openProfile(const TestProfile &profile,
                                                                 const QString &user)
{
    auto manager = std::make_unique<AccountManager>(profile.path());
    manager->setAdditionalCaCertificates(m_server.caCertificates());
    if (!isOk(waitFor(manager->open())))
        return nullptr;
    if (!manager->account(m_server.jid(user)) &&
        !isOk(waitFor(manager->addAccount(m_server.accountConfig(user), m_server.account(user).password))))
        return nullptr;
    return manager;
}

QList<ChatMessage> tst_MessageDelivery::history(AccountManager &manager, const ConversationKey &conversation)
{
    const auto page = waitFor(manager.messageStore().before(conversation, std::nullopt, 1000));
    return isOk(page) ? std::get<QList<ChatMessage>>(page) : QList<ChatMessage>{};
}

QList<ChatMessage> tst_MessageDelivery::copiesOf(AccountManager &manager, const ConversationKey &conversation,
                                                 const QString &originId)
{
    QList<ChatMessage> copies;
    for (const ChatMessage &message : history(manager, conversation))
        if (message.originId == originId)
            copies.append(message);
    return copies;
}

void tst_MessageDelivery::ourOtherDeviceStoresWhatWeSendAsOutgoing()
{
    TestProfile laptopProfile;
    TestProfile desktopProfile;
    auto laptop = openProfile(laptopProfile, QStringLiteral("carol"));
    auto desktop = openProfile(desktopProfile, QStringLiteral("carol"));
    QVERIFY(laptop && desktop);
    Account *onLaptop = laptop->accounts().first();
    Account *onDesktop = desktop->accounts().first();
    QVERIFY(goOnline(onLaptop));
    QVERIFY(goOnline(onDesktop));

    QSignalSpy seenOnDesktop(&onDesktop->messages(), &MessageService::messageReceived);
    // A contact without OMEMO, so the message goes out in plain text (tst_omemo covers encrypted carbons);
    // the shared "dave" may still announce devices that other tests left on the server.
    const auto daveUser = m_server.registerAccount(QStringLiteral("dave"));
    QVERIFY(daveUser);
    const QString dave = m_server.jid(*daveUser);
    auto composed = onLaptop->messages().compose(dave, QStringLiteral("sent from the laptop"));
    QVERIFY(isOk(waitFor(onLaptop->messages().send(std::get<ChatMessage>(composed)))));

    QTRY_COMPARE_WITH_TIMEOUT(seenOnDesktop.size(), 1, 10000);
    const auto carbon = seenOnDesktop.first().first().value<ChatMessage>();
    QCOMPARE(carbon.direction, ChatMessage::Direction::Outgoing);
    QCOMPARE(carbon.conversation.peer, dave);
    QCOMPARE(carbon.body, QStringLiteral("sent from the laptop"));
    const QString originId = std::get<ChatMessage>(composed).originId;
    QCOMPARE(copiesOf(*desktop, {onDesktop->jid(), dave}, originId).size(), 1);
    QCOMPARE(copiesOf(*laptop, {onLaptop->jid(), dave}, originId).size(), 1);
    laptop->disconnectAll();
    desktop->disconnectAll();
}

void tst_MessageDelivery::incomingMessageIsStoredOnceOnEachDevice()
{
    TestProfile laptopProfile;
    TestProfile desktopProfile;
    auto laptop = openProfile(laptopProfile, QStringLiteral("carol"));
    auto desktop = openProfile(desktopProfile, QStringLiteral("carol"));
    QVERIFY(laptop && desktop);
    QVERIFY(goOnline(laptop->accounts().first()));
    QVERIFY(goOnline(desktop->accounts().first()));
    auto dave = bareAccount(QStringLiteral("dave"));
    QVERIFY(goOnline(dave.get()));

    QSignalSpy onLaptop(&laptop->accounts().first()->messages(), &MessageService::messageReceived);
    QSignalSpy onDesktop(&desktop->accounts().first()->messages(), &MessageService::messageReceived);
    auto composed =
        dave->messages().compose(m_server.jid(QStringLiteral("carol")), QStringLiteral("to all of carol"));
    QVERIFY(isOk(waitFor(dave->messages().send(std::get<ChatMessage>(composed)))));
    QTRY_COMPARE_WITH_TIMEOUT(onLaptop.size(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(onDesktop.size(), 1, 10000);
    QTest::qWait(500); // a second copy (live and carbon) would arrive now
    QCOMPARE(onLaptop.size(), 1);
    QCOMPARE(onDesktop.size(), 1);
    const ConversationKey withDave{m_server.jid(QStringLiteral("carol")), dave->jid()};
    const QString originId = std::get<ChatMessage>(composed).originId;
    QCOMPARE(copiesOf(*laptop, withDave, originId).size(), 1);
    QCOMPARE(copiesOf(*desktop, withDave, originId).size(), 1);
    // The server's archive id was kept.
    QVERIFY(!copiesOf(*laptop, withDave, originId).first().stanzaId.isEmpty());
    laptop->disconnectAll();
    desktop->disconnectAll();
}

void tst_MessageDelivery::messageWrittenOfflineIsDeliveredOnceAfterLogin()
{
    TestProfile profile;
    auto manager = openProfile(profile, QStringLiteral("alice"));
    QVERIFY(manager);
    Account *alice = manager->accounts().first();
    auto bob = bareAccount(QStringLiteral("bob"));
    QVERIFY(goOnline(bob.get()));
    QSignalSpy atBob(&bob->messages(), &MessageService::messageReceived);

    auto composed = alice->messages().compose(bob->jid(), QStringLiteral("written on the train"));
    const auto queued = waitFor(alice->messages().send(std::get<ChatMessage>(composed)));
    QVERIFY2(isOk(queued), qPrintable(errorOf(queued).detail));
    QCOMPARE(std::get<ChatMessage>(queued).delivery, ChatMessage::Delivery::Pending);
    QCOMPARE(std::get<QList<ChatMessage>>(waitFor(manager->messageStore().pending(alice->jid()))).size(), 1);

    QVERIFY(goOnline(alice));
    QTRY_COMPARE_WITH_TIMEOUT(atBob.size(), 1, 10000);
    QCOMPARE(atBob.first().first().value<ChatMessage>().body, QStringLiteral("written on the train"));
    QTRY_VERIFY_WITH_TIMEOUT(
        std::get<QList<ChatMessage>>(waitFor(manager->messageStore().pending(alice->jid()))).isEmpty(),
        10000);
    QTest::qWait(500);
    QCOMPARE(atBob.size(), 1);
    manager->disconnectAll();
}

void tst_MessageDelivery::pendingMessageSurvivesARestart()
{
    TestProfile profile;
    QString text = QStringLiteral("composed just before the crash");
    {
        auto manager = openProfile(profile, QStringLiteral("alice"));
        QVERIFY(manager);
        Account *alice = manager->accounts().first();
        auto composed = alice->messages().compose(m_server.jid(QStringLiteral("bob")), text);
        QVERIFY(isOk(waitFor(alice->messages().send(std::get<ChatMessage>(composed)))));
    } // the process "dies" before it ever went online

    auto bob = bareAccount(QStringLiteral("bob"));
    QVERIFY(goOnline(bob.get()));
    QSignalSpy atBob(&bob->messages(), &MessageService::messageReceived);
    auto manager = openProfile(profile, QStringLiteral("alice"));
    QVERIFY(manager);
    QVERIFY(goOnline(manager->accounts().first()));
    QTRY_COMPARE_WITH_TIMEOUT(atBob.size(), 1, 10000);
    QCOMPARE(atBob.first().first().value<ChatMessage>().body, text);
    QTest::qWait(500);
    QCOMPARE(atBob.size(), 1);
    manager->disconnectAll();
}

QTEST_GUILESS_MAIN(tst_MessageDelivery)
#include "tst_messagedelivery.moc"
