// SPDX-License-Identifier: GPL-3.0-or-later
// One-to-one messaging features between two accounts (and a second device) on the real Prosody: receipts
// and chat markers, corrections, retractions, reactions, replies, chat states, hints, out-of-band links and
// the read state shared by our own devices (XEP-0490). Each is checked in the receiving side's store.
#include "Contacts.h"
#include "OnlineAccount.h"
#include "RawStanza.h"
#include "StoredAccount.h"
#include "TestServer.h"
#include "account/Account.h"
#include "crypto/EncryptionService.h"
#include "im/DisplayedSync.h"
#include "messaging/MessageService.h"

#include <QXmppClient.h>
#include <QXmppDiscoveryIq.h>
#include <QXmppDiscoveryManager.h>

using namespace Natter::Core;
using namespace Natter::Test;

class tst_Messaging : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void receiptsAndDisplayedMarkersBecomeTicks();
    void strangersGetNoReceipts();
    void correctionsReactionsRepliesAndRetractionsReachThePeer();
    void actionsFromOurOtherDeviceApplyHere();
    void readStateFollowsOurOtherDevices();
    void chatStatesReachThePeer();
    void hintsAndOutOfBandLinksAreHonoured();
    void featuresAreAnnounced();

private:
    // Two fresh accounts with stores, contacts of each other.
    bool makePair(std::unique_ptr<StoredAccount> &alice, std::unique_ptr<StoredAccount> &bob);
    // Sends text from one account to another and waits until the receiver stored it.
    static std::optional<ChatMessage> sendAndReceive(StoredAccount &from, StoredAccount &to,
                                                     const QString &text);

    TestServer m_server;
};

void tst_Messaging::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
}

bool tst_Messaging::makePair(std::unique_ptr<StoredAccount> &alice, std::unique_ptr<StoredAccount> &bob)
{
    const auto aliceUser = m_server.registerAccount(QStringLiteral("alice"));
    const auto bobUser = m_server.registerAccount(QStringLiteral("bob"));
    if (!aliceUser || !bobUser)
        return false;
    alice = std::make_unique<StoredAccount>(m_server, *aliceUser);
    bob = std::make_unique<StoredAccount>(m_server, *bobUser);
    return alice->isOnline() && bob->isOnline() && makeMutualContacts(alice->account(), bob->account());
}

std::optional<ChatMessage> tst_Messaging::sendAndReceive(StoredAccount &from, StoredAccount &to,
                                                         const QString &text)
{
    QSignalSpy received(&to.account()->messages(), &MessageService::messageReceived);
    auto composed = from.account()->messages().compose(to.jid(), text);
    if (!isOk(composed))
        return std::nullopt;
    const auto sent = waitFor(from.account()->messages().send(std::get<ChatMessage>(composed)));
    if (!isOk(sent))
        return std::nullopt;
    if (!QTest::qWaitFor([&] { return !received.isEmpty(); }, 10000))
        return std::nullopt;
    return received.last().first().value<ChatMessage>();
}

void tst_Messaging::receiptsAndDisplayedMarkersBecomeTicks()
{
    std::unique_ptr<StoredAccount> alice, bob;
    QVERIFY(makePair(alice, bob));
    QSignalSpy changed(&alice->account()->messages(), &MessageService::messagesChanged);
    const auto atBob = sendAndReceive(*alice, *bob, QStringLiteral("did it arrive?"));
    QVERIFY(atBob);
    QVERIFY(atBob->markable);
    // Bob's client confirms it by itself (XEP-0184): two ticks at Alice's.
    QTRY_COMPARE_WITH_TIMEOUT(alice->message(bob->jid(), atBob->id)->delivery,
                              ChatMessage::Delivery::Received, 10000);
    QVERIFY(!changed.isEmpty());
    QCOMPARE(changed.last().first().value<QList<ChatMessage>>().first().delivery,
             ChatMessage::Delivery::Received);
    // Bob reads it: a displayed marker (XEP-0333).
    bob->account()->messages().markDisplayed(*atBob, true);
    QTRY_COMPARE_WITH_TIMEOUT(alice->message(bob->jid(), atBob->id)->delivery,
                              ChatMessage::Delivery::Displayed, 10000);

    // With markers not allowed, nothing is sent: the next message stays "delivered".
    const auto second = sendAndReceive(*alice, *bob, QStringLiteral("and this one?"));
    QVERIFY(second);
    QTRY_COMPARE_WITH_TIMEOUT(alice->message(bob->jid(), second->id)->delivery,
                              ChatMessage::Delivery::Received, 10000);
    bob->account()->messages().markDisplayed(*second, false);
    // A message after it proves the marker would have arrived by now.
    QVERIFY(sendAndReceive(*bob, *alice, QStringLiteral("a later message")));
    QCOMPARE(alice->message(bob->jid(), second->id)->delivery, ChatMessage::Delivery::Received);
}

void tst_Messaging::strangersGetNoReceipts()
{
    const auto strangerUser = m_server.registerAccount(QStringLiteral("stranger"));
    const auto bobUser = m_server.registerAccount(QStringLiteral("bob"));
    QVERIFY(strangerUser && bobUser);
    StoredAccount stranger(m_server, *strangerUser);
    StoredAccount bob(m_server, *bobUser);
    QVERIFY(stranger.isOnline() && bob.isOnline());
    const auto atBob = sendAndReceive(stranger, bob, QStringLiteral("hello, do you know me?"));
    QVERIFY(atBob);
    QVERIFY(sendAndReceive(bob, stranger, QStringLiteral("who are you?")));
    // Bob's reply came after the receipt would have: there was none.
    QCOMPARE(stranger.message(bob.jid(), atBob->id)->delivery, ChatMessage::Delivery::Acknowledged);
}

void tst_Messaging::correctionsReactionsRepliesAndRetractionsReachThePeer()
{
    std::unique_ptr<StoredAccount> alice, bob;
    QVERIFY(makePair(alice, bob));
    const auto atBob = sendAndReceive(*alice, *bob, QStringLiteral("Lets meet at 5"));
    QVERIFY(atBob);
    const ChatMessage atAlice = *alice->message(bob->jid(), atBob->id);

    // Correction (XEP-0308): Bob sees the new text, marked edited, with the old one in its history.
    const auto corrected =
        waitFor(alice->account()->messages().correct(atAlice, QStringLiteral("Let's meet at 6")));
    QVERIFY(isOk(corrected));
    QCOMPARE(std::get<ChatMessage>(corrected).body, QStringLiteral("Let's meet at 6"));
    QTRY_COMPARE_WITH_TIMEOUT(bob->message(alice->jid(), atBob->id)->body, QStringLiteral("Let's meet at 6"),
                              10000);
    ChatMessage bobsCopy = *bob->message(alice->jid(), atBob->id);
    QVERIFY(bobsCopy.isEdited());
    QCOMPARE(bobsCopy.history.size(), 1);
    QCOMPARE(bobsCopy.history.first().body, QStringLiteral("Lets meet at 5"));
    // Only our own messages can be corrected.
    const auto refused = waitFor(bob->account()->messages().correct(bobsCopy, QStringLiteral("at 7")));
    QVERIFY(!isOk(refused));
    QCOMPARE(errorOf(refused).code, Error::Code::MessageNotEditable);

    // Reactions (XEP-0444): Bob's set arrives, then replaces itself.
    QVERIFY(isOk(
        waitFor(bob->account()->messages().react(bobsCopy, {QStringLiteral("👍"), QStringLiteral("🎉")}))));
    QTRY_COMPARE_WITH_TIMEOUT(alice->message(bob->jid(), atBob->id)->reactions.size(), 1, 10000);
    QCOMPARE(alice->message(bob->jid(), atBob->id)->reactions.first().reactor, bob->jid());
    // A set: its order on the wire is nobody's promise.
    QStringList emojis = alice->message(bob->jid(), atBob->id)->reactions.first().emojis;
    emojis.sort();
    QStringList expected{QStringLiteral("👍"), QStringLiteral("🎉")};
    expected.sort();
    QCOMPARE(emojis, expected);
    QVERIFY(isOk(waitFor(bob->account()->messages().react(bobsCopy, {QStringLiteral("❤️")}))));
    QTRY_COMPARE_WITH_TIMEOUT(alice->message(bob->jid(), atBob->id)->reactions.first().emojis,
                              QStringList{QStringLiteral("❤️")}, 10000);

    // Reply (XEP-0461): the quote travels as fallback and is not part of the stored body.
    QSignalSpy aliceReceived(&alice->account()->messages(), &MessageService::messageReceived);
    auto reply = bob->account()->messages().composeReply(bobsCopy, QStringLiteral("6 is fine 👍"));
    QVERIFY(isOk(reply));
    QVERIFY(isOk(waitFor(bob->account()->messages().send(std::get<ChatMessage>(reply)))));
    QTRY_VERIFY_WITH_TIMEOUT(!aliceReceived.isEmpty(), 10000);
    const ChatMessage replyAtAlice = aliceReceived.last().first().value<ChatMessage>();
    QCOMPARE(replyAtAlice.body, QStringLiteral("6 is fine 👍"));
    QCOMPARE(replyAtAlice.replyToId, atAlice.referenceId());
    QCOMPARE(replyAtAlice.replyToJid, alice->jid());
    QCOMPARE(replyAtAlice.replyQuote, QStringLiteral("Let's meet at 6"));
    QCOMPARE(alice->message(bob->jid(), replyAtAlice.id)->replyQuote, QStringLiteral("Let's meet at 6"));

    // Retraction (XEP-0424): a tombstone at Bob's, without the text.
    const auto retracted = waitFor(alice->account()->messages().retract(atAlice));
    QVERIFY(isOk(retracted));
    QCOMPARE(std::get<ChatMessage>(retracted).removal, ChatMessage::Removal::Retracted);
    QTRY_COMPARE_WITH_TIMEOUT(bob->message(alice->jid(), atBob->id)->removal, ChatMessage::Removal::Retracted,
                              10000);
    bobsCopy = *bob->message(alice->jid(), atBob->id);
    QVERIFY(bobsCopy.body.isEmpty());
    QVERIFY(bobsCopy.history.isEmpty());
    QVERIFY(bobsCopy.reactions.isEmpty());
    // The fallback body of the retraction is no message of its own.
    QCOMPARE(bob->messagesWith(alice->jid()).size(), 2);
}

void tst_Messaging::actionsFromOurOtherDeviceApplyHere()
{
    std::unique_ptr<StoredAccount> alice, bob;
    QVERIFY(makePair(alice, bob));
    auto alicePhone =
        onlineAccount(m_server, alice->account()->jid().section(u'@', 0, 0), QStringLiteral("phone"));
    QVERIFY(alicePhone);
    const auto atBob = sendAndReceive(*alice, *bob, QStringLiteral("typo hree"));
    QVERIFY(atBob);
    // The phone corrects the desktop's message; the desktop gets the carbon.
    ChatMessage original = *alice->message(bob->jid(), atBob->id);
    original.storageId = 0;
    QVERIFY(isOk(waitFor(alicePhone->messages().correct(original, QStringLiteral("typo here")))));
    QTRY_COMPARE_WITH_TIMEOUT(alice->message(bob->jid(), atBob->id)->body, QStringLiteral("typo here"),
                              10000);
    QTRY_COMPARE_WITH_TIMEOUT(bob->message(alice->jid(), atBob->id)->body, QStringLiteral("typo here"),
                              10000);
}

void tst_Messaging::readStateFollowsOurOtherDevices()
{
    std::unique_ptr<StoredAccount> alice, bob;
    QVERIFY(makePair(alice, bob));
    auto bobPhone = onlineAccount(m_server, bob->jid().section(u'@', 0, 0), QStringLiteral("phone"));
    QVERIFY(bobPhone);
    // The phone has no OMEMO: it can read (and mark) only what Alice sends in plain text.
    QVERIFY(isOk(waitFor(
        alice->account()->encryption()->setChoice({alice->jid(), bob->jid()}, EncryptionChoice::Off))));
    // What the phone receives from Alice (not the carbons of what the desktop sends).
    QList<ChatMessage> phoneReceived;
    connect(&bobPhone->messages(), &MessageService::messageReceived, this, [&](const ChatMessage &message) {
        if (message.direction == ChatMessage::Direction::Incoming)
            phoneReceived.append(message);
    });
    for (int i = 1; i <= 3; ++i)
        QVERIFY(sendAndReceive(*alice, *bob, QStringLiteral("unread %1").arg(i)));
    QTRY_COMPARE_WITH_TIMEOUT(phoneReceived.size(), 3, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(bob->unreadWith(alice->jid()), 3, 10000);

    // The phone reads the second message and says so with a marker: its carbon moves the desktop's count.
    QSignalSpy elsewhere(&bob->account()->messages(), &MessageService::displayedElsewhere);
    bobPhone->messages().markDisplayed(phoneReceived.at(1), true);
    QTRY_COMPARE_WITH_TIMEOUT(bob->unreadWith(alice->jid()), 1, 10000);
    // The phone also publishes its read state (XEP-0490), which may move the count first: the marker's
    // carbon comes as well.
    QTRY_VERIFY_WITH_TIMEOUT(!elsewhere.isEmpty(), 10000);

    // Without a marker, through the displayed-state node on the server (XEP-0490).
    QTRY_VERIFY_WITH_TIMEOUT(bobPhone->displayedSync().isSupported(), 10000);
    QVERIFY(bob->account()->displayedSync().isSupported());
    QSignalSpy published(&bobPhone->displayedSync(), &DisplayedSync::published);
    QSignalSpy synced(&bob->account()->displayedSync(), &DisplayedSync::displayedElsewhere);
    const ChatMessage third = phoneReceived.at(2);
    QVERIFY(!third.stanzaId.isEmpty());
    bobPhone->messages().markDisplayed(third, false);
    QTRY_COMPARE_WITH_TIMEOUT(published.size(), 1, 10000);
    QVERIFY(published.first().at(1).toBool());
    QTRY_COMPARE_WITH_TIMEOUT(bob->unreadWith(alice->jid()), 0, 10000);
    QVERIFY(!synced.isEmpty());
    // Alice got no marker for the third message from either device.
    QVERIFY(sendAndReceive(*bob, *alice, QStringLiteral("a later message")));
    QCOMPARE(alice->message(bob->jid(), third.id)->delivery, ChatMessage::Delivery::Received);

    // A device that starts later reads the published state at login.
    for (int i = 4; i <= 5; ++i)
        QVERIFY(sendAndReceive(*alice, *bob, QStringLiteral("unread %1").arg(i)));
    QCOMPARE(bob->unreadWith(alice->jid()), 2);
    bob->account()->disconnectFromServer();
    QTRY_COMPARE_WITH_TIMEOUT(phoneReceived.size(), 5, 10000);
    bobPhone->messages().markDisplayed(phoneReceived.at(4), false);
    QTRY_COMPARE_WITH_TIMEOUT(published.size(), 2, 10000);
    QVERIFY(goOnline(bob->account()));
    QTRY_COMPARE_WITH_TIMEOUT(bob->unreadWith(alice->jid()), 0, 10000);
}

void tst_Messaging::chatStatesReachThePeer()
{
    std::unique_ptr<StoredAccount> alice, bob;
    QVERIFY(makePair(alice, bob));
    QSignalSpy states(&bob->account()->messages(), &MessageService::chatStateChanged);
    alice->account()->messages().sendChatState(bob->jid(), ChatState::Composing);
    QTRY_COMPARE_WITH_TIMEOUT(states.size(), 1, 10000);
    QCOMPARE(states.first().at(0).value<ConversationKey>().peer, alice->jid());
    QCOMPARE(states.first().at(1).value<ChatState>(), ChatState::Composing);
    alice->account()->messages().sendChatState(bob->jid(), ChatState::Paused);
    QTRY_COMPARE_WITH_TIMEOUT(states.size(), 2, 10000);
    QCOMPARE(states.last().at(1).value<ChatState>(), ChatState::Paused);
    // Chat states are not messages.
    QVERIFY(bob->messagesWith(alice->jid()).isEmpty());
}

void tst_Messaging::hintsAndOutOfBandLinksAreHonoured()
{
    std::unique_ptr<StoredAccount> alice, bob;
    QVERIFY(makePair(alice, bob));
    QSignalSpy received(&bob->account()->messages(), &MessageService::messageReceived);
    // A message its sender asked not to keep (XEP-0334) is shown but not stored.
    QVERIFY(
        sendRaw(alice->account()->client(),
                QStringLiteral(
                    "<message xmlns='jabber:client' to='%1' type='chat' id='h1'><body>off the record</body>"
                    "<no-permanent-store xmlns='urn:xmpp:hints'/></message>")
                    .arg(bob->jid())));
    // An out-of-band link (XEP-0066) from another client.
    QVERIFY(sendRaw(alice->account()->client(),
                    QStringLiteral("<message xmlns='jabber:client' to='%1' type='chat' id='o1'>"
                                   "<body>https://upload.example.org/cat.jpg</body>"
                                   "<x xmlns='jabber:x:oob'><url>https://upload.example.org/cat.jpg</url>"
                                   "<desc>A cat</desc></x></message>")
                        .arg(bob->jid())));
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 2, 10000);
    const ChatMessage offTheRecord = received.first().first().value<ChatMessage>();
    QCOMPARE(offTheRecord.body, QStringLiteral("off the record"));
    QVERIFY(offTheRecord.transient);
    QCOMPARE(offTheRecord.storageId, 0);
    const ChatMessage link = received.last().first().value<ChatMessage>();
    QCOMPARE(link.oobUrl, QStringLiteral("https://upload.example.org/cat.jpg"));
    QCOMPARE(link.oobDescription, QStringLiteral("A cat"));
    const QList<ChatMessage> stored = bob->messagesWith(alice->jid());
    QCOMPARE(stored.size(), 1);
    QCOMPARE(stored.first().oobUrl, link.oobUrl);
    // What we send carries a stable origin-id equal to its id (XEP-0359).
    const auto atAlice = sendAndReceive(*bob, *alice, QStringLiteral("nice cat"));
    QVERIFY(atAlice);
    QVERIFY(!atAlice->originId.isEmpty());
    QCOMPARE(atAlice->originId, atAlice->id);
}

void tst_Messaging::featuresAreAnnounced()
{
    std::unique_ptr<StoredAccount> alice, bob;
    QVERIFY(makePair(alice, bob));
    auto *discovery = bob->account()->client().findExtension<QXmppDiscoveryManager>();
    QVERIFY(discovery);
    const QString aliceDevice = alice->jid() + u'/' + alice->account()->config().resource;
    auto info = waitTask(discovery->requestDiscoInfo(aliceDevice));
    QVERIFY(info);
    const auto *iq = std::get_if<QXmppDiscoveryIq>(&*info);
    QVERIFY(iq);
    for (const char *feature :
         {"urn:xmpp:receipts", "urn:xmpp:chat-markers:0", "http://jabber.org/protocol/chatstates",
          "urn:xmpp:message-correct:0", "urn:xmpp:message-retract:1", "urn:xmpp:reactions:0",
          "urn:xmpp:reply:0", "urn:xmpp:styling:0", "urn:xmpp:mds:displayed:0+notify"})
        QVERIFY2(iq->features().contains(QString::fromLatin1(feature)), feature);
}

QTEST_GUILESS_MAIN(tst_Messaging)
#include "tst_messaging.moc"
