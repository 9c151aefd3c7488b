// SPDX-License-Identifier: GPL-3.0-or-later
// Two accounts exchange one-to-one messages both ways through the core.
#include "TestProfile.h"
#include "TestServer.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "domain/ConnectionState.h"
#include "messaging/MessageService.h"

using namespace Natter::Core;
using namespace Natter::Test;

class tst_Chat : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void messagesTravelBothWays();
    void severalAccountsOfOneProfileChatWithEachOther();
    void sendingToAnInvalidJidFailsBeforeTheNetwork();
    void sendingWhileOfflineFailsClearly();

private:
    std::unique_ptr<Account> online(const QString &user);
    TestServer m_server;
};

void tst_Chat::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
}

std::unique_ptr<Account> tst_Chat::online(const QString &user)
{
    auto account = std::make_unique<Account>(m_server.accountConfig(user));
    account->setPassword(m_server.account(user).password);
    account->setAdditionalCaCertificates(m_server.caCertificates());
    account->connectToServer();
    if (!QTest::qWaitFor([&] { return account->state() == ConnectionState::Online; }, 20000))
        qWarning() << user << "did not come online:" << account->lastError().codeName()
                   << account->lastError().detail;
    return account;
}

void tst_Chat::messagesTravelBothWays()
{
    auto alice = online(QStringLiteral("alice"));
    auto bob = online(QStringLiteral("bob"));
    QCOMPARE(alice->state(), ConnectionState::Online);
    QCOMPARE(bob->state(), ConnectionState::Online);

    QSignalSpy bobReceived(&bob->messages(), &MessageService::messageReceived);
    QSignalSpy aliceReceived(&alice->messages(), &MessageService::messageReceived);

    const QString text = QStringLiteral("Hello Bob 👋 <b>not markup</b> & ünïcödé");
    auto composed = alice->messages().compose(bob->jid(), text);
    QVERIFY(isOk(composed));
    const auto sent = waitFor(alice->messages().send(std::get<ChatMessage>(composed)));
    QVERIFY2(isOk(sent), qPrintable(errorOf(sent).detail));
    QCOMPARE(std::get<ChatMessage>(sent).delivery, ChatMessage::Delivery::Acknowledged);

    QTRY_COMPARE_WITH_TIMEOUT(bobReceived.size(), 1, 10000);
    const auto atBob = bobReceived.first().first().value<ChatMessage>();
    QCOMPARE(atBob.body, text);
    QCOMPARE(atBob.conversation.peer, alice->jid());
    QCOMPARE(atBob.conversation.account, bob->jid());
    QCOMPARE(atBob.direction, ChatMessage::Direction::Incoming);
    QCOMPARE(atBob.id, std::get<ChatMessage>(sent).id);

    auto reply = bob->messages().compose(alice->jid(), QStringLiteral("Hi Alice"));
    QVERIFY(isOk(waitFor(bob->messages().send(std::get<ChatMessage>(reply)))));
    QTRY_COMPARE_WITH_TIMEOUT(aliceReceived.size(), 1, 10000);
    const auto atAlice = aliceReceived.first().first().value<ChatMessage>();
    QCOMPARE(atAlice.body, QStringLiteral("Hi Alice"));
    QCOMPARE(atAlice.conversation.peer, bob->jid());
}

void tst_Chat::severalAccountsOfOneProfileChatWithEachOther()
{
    TestProfile profile;
    {
        AccountManager manager(profile.path());
        QVERIFY(isOk(waitFor(manager.open())));
        for (const QString &user : {QStringLiteral("carol"), QStringLiteral("dave")}) {
            const auto added =
                waitFor(manager.addAccount(m_server.accountConfig(user), m_server.account(user).password));
            QVERIFY2(isOk(added), qPrintable(errorOf(added).detail));
        }
    }
    // A restart: both accounts come back from the database with their passwords and connect together.
    AccountManager manager(profile.path());
    manager.setAdditionalCaCertificates(m_server.caCertificates());
    QVERIFY(isOk(waitFor(manager.open())));
    QCOMPARE(manager.accounts().size(), 2);
    manager.connectAll();
    Account *carol = manager.account(m_server.jid(QStringLiteral("carol")));
    Account *dave = manager.account(m_server.jid(QStringLiteral("dave")));
    QVERIFY(carol && dave);
    QVERIFY(QTest::qWaitFor(
        [&] { return carol->state() == ConnectionState::Online && dave->state() == ConnectionState::Online; },
        20000));

    QSignalSpy daveReceived(&dave->messages(), &MessageService::messageReceived);
    auto composed = carol->messages().compose(dave->jid(), QStringLiteral("same profile, two accounts"));
    QVERIFY(isOk(waitFor(carol->messages().send(std::get<ChatMessage>(composed)))));
    QTRY_COMPARE_WITH_TIMEOUT(daveReceived.size(), 1, 10000);
    QCOMPARE(daveReceived.first().first().value<ChatMessage>().conversation.peer, carol->jid());
    manager.disconnectAll();
}

void tst_Chat::sendingToAnInvalidJidFailsBeforeTheNetwork()
{
    Account account(m_server.accountConfig(QStringLiteral("alice")));
    const auto composed = account.messages().compose(QStringLiteral("bob@@natter.test"), QStringLiteral("x"));
    QCOMPARE(errorOf(composed).code, Error::Code::InvalidJid);
}

void tst_Chat::sendingWhileOfflineFailsClearly()
{
    Account account(m_server.accountConfig(QStringLiteral("alice")));
    auto composed = account.messages().compose(m_server.jid(QStringLiteral("bob")), QStringLiteral("x"));
    QVERIFY(isOk(composed));
    QCOMPARE(errorOf(waitFor(account.messages().send(std::get<ChatMessage>(composed)))).code,
             Error::Code::NotConnected);
}

QTEST_GUILESS_MAIN(tst_Chat)
#include "tst_chat.moc"
