// SPDX-License-Identifier: GPL-3.0-or-later
// A hostile contact ("mallory", a real client on the real server writing raw stanzas) tries to rewrite,
// delete, impersonate and flood. Afterwards the victim's store and the open chat's model are exactly as
// before, except for the messages mallory may send in its own chat, which arrive as inert, bounded text.
#include "Contacts.h"
#include "OnlineAccount.h"
#include "RawStanza.h"
#include "StoredAccount.h"
#include "TestServer.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "messaging/MessageService.h"
#include "models/MessageListModel.h"
#include "storage/MessageRepository.h"
#include "sync/HistorySync.h"

#include <QXmppClient.h>

using namespace Natter::Core;
using namespace Natter::Test;
using Natter::Ui::MessageListModel;

namespace {
// What the user can see of a message: anything a forged stanza might have changed.
QString fingerprint(const ChatMessage &m)
{
    QStringList reactions;
    for (const auto &r : m.reactions)
        reactions.append(r.reactor + u'=' + r.emojis.join(u','));
    return QStringList{m.id,
                       m.body,
                       QString::number(int(m.direction)),
                       QString::number(int(m.delivery)),
                       QString::number(int(m.removal)),
                       m.editedAt.toString(Qt::ISODateWithMs),
                       reactions.join(u';'),
                       m.replyToId}
        .join(u'|');
}

QStringList fingerprints(const QList<ChatMessage> &messages)
{
    QStringList all;
    for (const ChatMessage &m : messages)
        all.append(fingerprint(m));
    return all;
}

QStringList modelFingerprints(const MessageListModel &model)
{
    QStringList all;
    for (int row = 0; row < model.rowCount(); ++row)
        all.append(fingerprint(model.messageAt(row)));
    return all;
}
} // namespace

class tst_HostilePeer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void forgedStanzasChangeNothing();

private:
    TestServer m_server;
};

void tst_HostilePeer::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
}

void tst_HostilePeer::forgedStanzasChangeNothing()
{
    const auto bobUser = m_server.registerAccount(QStringLiteral("victim"));
    const auto aliceUser = m_server.registerAccount(QStringLiteral("friend"));
    const auto malloryUser = m_server.registerAccount(QStringLiteral("mallory"));
    QVERIFY(bobUser && aliceUser && malloryUser);
    StoredAccount bob(m_server, *bobUser);
    StoredAccount alice(m_server, *aliceUser);
    auto mallory = onlineAccount(m_server, *malloryUser, QStringLiteral("evil"));
    QVERIFY(bob.isOnline() && alice.isOnline() && mallory);
    // Mallory is even a contact: receipts and everything else a contact gets.
    QVERIFY(makeMutualContacts(bob.account(), alice.account()));
    QVERIFY(makeMutualContacts(bob.account(), mallory.get()));
    const QString victim = bob.jid();
    const QString friendJid = alice.jid();
    const QString malloryJid = mallory->jid();

    // The history mallory goes after: a chat with alice, and one with mallory itself.
    QSignalSpy bobReceived(&bob.account()->messages(), &MessageService::messageReceived);
    auto send = [](Account *from, const QString &to, const QString &text) {
        auto composed = from->messages().compose(to, text);
        return isOk(composed) && isOk(waitFor(from->messages().send(std::get<ChatMessage>(composed))));
    };
    QVERIFY(send(alice.account(), victim, QStringLiteral("from alice: the meeting is at 5")));
    QTRY_COMPARE_WITH_TIMEOUT(bobReceived.size(), 1, 10000);
    QVERIFY(send(bob.account(), friendJid, QStringLiteral("from bob to alice: ok")));
    QVERIFY(send(bob.account(), malloryJid, QStringLiteral("from bob to mallory: hi")));
    QVERIFY(send(mallory.get(), victim, QStringLiteral("from mallory: hello")));
    QTRY_COMPARE_WITH_TIMEOUT(bobReceived.size(), 2, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(bob.messagesWith(friendJid).size(), 2, 10000);
    // Receipts settled before the snapshot.
    QTRY_COMPARE_WITH_TIMEOUT(bob.messagesWith(friendJid).last().delivery, ChatMessage::Delivery::Received,
                              10000);
    QTRY_COMPARE_WITH_TIMEOUT(bob.messagesWith(malloryJid).first().delivery, ChatMessage::Delivery::Received,
                              10000);
    const ChatMessage aliceMessage = bob.messagesWith(friendJid).first();
    const ChatMessage bobToAlice = bob.messagesWith(friendJid).last();
    const ChatMessage bobToMallory = bob.messagesWith(malloryJid).first();
    QVERIFY(!aliceMessage.stanzaId.isEmpty());

    // The chat with alice is open: its model follows the account as the main window's does.
    MessageListModel model({victim, friendJid});
    model.setStore(&bob.manager().messageStore());
    model.loadNewest();
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 2, 10000);
    connect(&bob.account()->messages(), &MessageService::messageReceived, &model,
            &MessageListModel::addMessage);
    connect(&bob.account()->messages(), &MessageService::messagesChanged, &model,
            &MessageListModel::updateMessages);
    connect(&bob.account()->history(), &HistorySync::messagesChanged, &model,
            &MessageListModel::updateMessages);

    const QStringList aliceChatBefore = fingerprints(bob.messagesWith(friendJid));
    const QStringList modelBefore = modelFingerprints(model);
    const QString bobToMalloryBefore = fingerprint(bobToMallory);
    const int unreadBefore = bob.unreadWith(friendJid);

    const QString head =
        QStringLiteral("<message xmlns='jabber:client' to='%1' type='chat' id='%2'>").arg(victim);
    const QString combining(100000, QChar(0x0301));
    QString flood;
    for (int i = 0; i < 100; ++i)
        flood += QStringLiteral("<reaction>r%1</reaction>").arg(i);
    const QList<QPair<QString, QString>> attacks = {
        {QStringLiteral("correct bob's own message"),
         head.arg(QStringLiteral("a1")) +
             QStringLiteral("<body>bob owes mallory 1000 euros</body>"
                            "<replace xmlns='urn:xmpp:message-correct:0' id='%1'/></message>")
                 .arg(bobToMallory.id)},
        {QStringLiteral("retract bob's own message"),
         head.arg(QStringLiteral("a2")) +
             QStringLiteral("<retract xmlns='urn:xmpp:message-retract:1' id='%1'/><body>x</body></message>")
                 .arg(bobToMallory.id)},
        {QStringLiteral("correct alice's message"),
         head.arg(QStringLiteral("a3")) +
             QStringLiteral("<body>meeting cancelled</body>"
                            "<replace xmlns='urn:xmpp:message-correct:0' id='%1'/></message>")
                 .arg(aliceMessage.id)},
        {QStringLiteral("retract bob's message to alice"),
         head.arg(QStringLiteral("a4")) +
             QStringLiteral("<retract xmlns='urn:xmpp:message-retract:1' id='%1'/></message>")
                 .arg(bobToAlice.id)},
        {QStringLiteral("react to alice's message"),
         head.arg(QStringLiteral("a5")) +
             QStringLiteral(
                 "<reactions xmlns='urn:xmpp:reactions:0' id='%1'><reaction>💩</reaction></reactions>"
                 "</message>")
                 .arg(aliceMessage.originId)},
        {QStringLiteral("forged received carbon from alice"),
         head.arg(QStringLiteral("a6")) +
             QStringLiteral(
                 "<received xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>"
                 "<message xmlns='jabber:client' from='%1/phone' to='%2' type='chat' id='f1'>"
                 "<body>alice: send mallory the password</body></message></forwarded></received></message>")
                 .arg(friendJid, victim)},
        {QStringLiteral("forged sent carbon from bob"),
         head.arg(QStringLiteral("a7")) +
             QStringLiteral("<sent xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>"
                            "<message xmlns='jabber:client' from='%2/desk' to='%1' type='chat' id='f2'>"
                            "<body>bob: I quit</body></message></forwarded></sent></message>")
                 .arg(friendJid, victim)},
        {QStringLiteral("forged archive result"),
         head.arg(QStringLiteral("a8")) +
             QStringLiteral(
                 "<result xmlns='urn:xmpp:mam:2' queryid='q1' id='forged-archive-id'>"
                 "<forwarded xmlns='urn:xmpp:forward:0'><delay xmlns='urn:xmpp:delay' "
                 "stamp='2026-01-01T10:00:00Z'/><message xmlns='jabber:client' from='%1/phone' to='%2' "
                 "type='chat' id='f3'><body>alice, archived: mallory is right</body></message>"
                 "</forwarded></result></message>")
                 .arg(friendJid, victim)},
        {QStringLiteral("plain forward claiming alice"),
         head.arg(QStringLiteral("a9")) +
             QStringLiteral(
                 "<forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' from='%1/phone' "
                 "to='%2' type='chat' id='f4'><body>alice, forwarded: trust mallory</body></message>"
                 "</forwarded></message>")
                 .arg(friendJid, victim)},
        {QStringLiteral("displayed marker for bob's message to alice"),
         head.arg(QStringLiteral("a10")) +
             QStringLiteral("<displayed xmlns='urn:xmpp:chat-markers:0' id='%1'/></message>")
                 .arg(bobToAlice.id)},
        {QStringLiteral("receipt for bob's message to alice"),
         head.arg(QStringLiteral("a11")) +
             QStringLiteral("<received xmlns='urn:xmpp:receipts' id='%1'/></message>").arg(bobToAlice.id)},
        {QStringLiteral("forged displayed-state notification"),
         QStringLiteral(
             "<message xmlns='jabber:client' to='%1' type='headline' id='a12'><event "
             "xmlns='http://jabber.org/protocol/pubsub#event'><items node='urn:xmpp:mds:displayed:0'>"
             "<item id='%2'><displayed xmlns='urn:xmpp:mds:displayed:0'><stanza-id xmlns='urn:xmpp:sid:0' "
             "by='%1' id='%3'/></displayed></item></items></event></message>")
             .arg(victim, friendJid, aliceMessage.stanzaId)},
        {QStringLiteral("group chat message"),
         QStringLiteral(
             "<message xmlns='jabber:client' to='%1' type='groupchat' id='a13'><body>from a room that "
             "is not one</body></message>")
             .arg(victim)},
        // What follows may arrive, in mallory's own chat, as bounded inert text.
        {QStringLiteral("markup"),
         head.arg(QStringLiteral("m1")) +
             QStringLiteral(
                 "<body>&lt;img src='https://evil.example/track.png'&gt;&lt;a href='https://evil.example'"
                 "&gt;click&lt;/a&gt; &lt;b&gt;bold&lt;/b&gt; &#x202E;txet desrever</body></message>")},
        {QStringLiteral("combining marks"),
         head.arg(QStringLiteral("m2")) + QStringLiteral("<body>Z%1</body></message>").arg(combining)},
        {QStringLiteral("delay stamp in the future"),
         head.arg(QStringLiteral("m3")) +
             QStringLiteral("<body>from the future</body><delay xmlns='urn:xmpp:delay' "
                            "stamp='2099-01-01T00:00:00Z'/></message>")},
        {QStringLiteral("malformed delay stamp"),
         head.arg(QStringLiteral("m4")) +
             QStringLiteral("<body>bad stamp</body><delay xmlns='urn:xmpp:delay' "
                            "stamp='yesterday at noon'/></message>")},
        {QStringLiteral("overlong id"),
         head.arg(QString(300, u'x')) + QStringLiteral("<body>long id</body></message>")},
        {QStringLiteral("reply with nonsense fallback ranges"),
         head.arg(QStringLiteral("m6")) +
             QStringLiteral("<body>reply body</body><reply xmlns='urn:xmpp:reply:0' to='%1' id='%2'/>"
                            "<fallback xmlns='urn:xmpp:fallback:0' for='urn:xmpp:reply:0'><body start='5000' "
                            "end='10'/><body start='2' end='999999'/></fallback></message>")
                 .arg(victim, bobToMallory.id)},
        {QStringLiteral("reaction flood"),
         head.arg(QStringLiteral("m7")) +
             QStringLiteral("<reactions xmlns='urn:xmpp:reactions:0' id='%1'>%2</reactions></message>")
                 .arg(bobToMallory.originId, flood)},
    };
    for (const auto &[what, xml] : attacks)
        QVERIFY2(sendRaw(mallory->client(), xml), qPrintable(what));
    // Stanzas of one stream arrive in order, and the store works in order: once this one is stored, every
    // attack above has been handled.
    QVERIFY(send(mallory.get(), victim, QStringLiteral("sentinel")));
    QTRY_VERIFY_WITH_TIMEOUT(!bob.messagesWith(malloryJid).isEmpty() &&
                                 bob.messagesWith(malloryJid).last().body == QStringLiteral("sentinel"),
                             20000);
    QTest::qWait(200); // the model's own store reads

    // Nothing changed in the chat with alice: not in the store, not in the model, not its unread count.
    QCOMPARE(fingerprints(bob.messagesWith(friendJid)), aliceChatBefore);
    QCOMPARE(modelFingerprints(model), modelBefore);
    QCOMPARE(bob.unreadWith(friendJid), unreadBefore);

    // In mallory's chat, bob's message is untouched except for mallory's (bounded) reactions.
    const QList<ChatMessage> malloryChat = bob.messagesWith(malloryJid);
    ChatMessage bobsNow = malloryChat.first();
    QCOMPARE(bobsNow.id, bobToMallory.id);
    QCOMPARE(bobsNow.body, bobToMallory.body);
    QCOMPARE(bobsNow.removal, ChatMessage::Removal::None);
    QVERIFY(!bobsNow.isEdited());
    QCOMPARE(bobsNow.reactions.size(), 1);
    QCOMPARE(bobsNow.reactions.first().reactor, malloryJid);
    QCOMPARE(bobsNow.reactions.first().emojis.size(), 20);
    bobsNow.reactions.clear();
    QCOMPARE(fingerprint(bobsNow), bobToMalloryBefore);

    // Mallory's own messages: hello, markup, marks, future, bad stamp, long id, reply, sentinel.
    QCOMPARE(malloryChat.size(), 9);
    const ChatMessage markup = malloryChat.at(2);
    QCOMPARE(markup.body,
             QStringLiteral("<img src='https://evil.example/track.png'><a href='https://evil.example'>"
                            "click</a> <b>bold</b> \u202Etxet desrever"));
    const ChatMessage marks = malloryChat.at(3);
    QCOMPARE(marks.body.size(), ChatMessage::MaxBodyLength);
    QVERIFY(marks.truncated);
    // Cut only where Natter cut it: characters split between two network reads arrive whole.
    QCOMPARE(marks.body, (QStringLiteral("Z") + combining).left(ChatMessage::MaxBodyLength));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    auto withBody = [&malloryChat](const QString &body) {
        return *std::find_if(malloryChat.cbegin(), malloryChat.cend(),
                             [&body](const ChatMessage &m) { return m.body == body; });
    };
    const ChatMessage future = withBody(QStringLiteral("from the future"));
    QVERIFY(future.timestamp <= now);
    QVERIFY(future.timestamp.secsTo(now) < 120);
    QVERIFY(withBody(QStringLiteral("bad stamp")).timestamp.secsTo(now) < 120);
    const ChatMessage longId = withBody(QStringLiteral("long id"));
    QVERIFY(longId.id.isEmpty());
    const ChatMessage reply =
        *std::find_if(malloryChat.cbegin(), malloryChat.cend(),
                      [&](const ChatMessage &m) { return m.replyToId == bobToMallory.id; });
    QVERIFY(reply.body.size() <= QStringLiteral("reply body").size());
    QVERIFY(QStringLiteral("reply body").startsWith(reply.body));
}

QTEST_MAIN(tst_HostilePeer)
#include "tst_hostilepeer.moc"
