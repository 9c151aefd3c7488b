// SPDX-License-Identifier: GPL-3.0-or-later
// Encrypted group chats on the real Prosody: a members-only, non-anonymous room of two Natter profiles and
// the independent OMEMO peer (support/omemo_peer.py) reading each other in both OMEMO versions, and rooms
// where encryption cannot work (open rooms) never getting a plain-text message the user asked to encrypt.
#include "Contacts.h"
#include "OmemoPeer.h"
#include "Rooms.h"
#include "StoredAccount.h"
#include "TestProfile.h"
#include "TestServer.h"
#include "WireTap.h"
#include "account/Account.h"
#include "crypto/EncryptionService.h"
#include "messaging/MessageService.h"
#include "muc/MucService.h"

#include <QSignalSpy>

using namespace Natter::Core;
using namespace Natter::Test;

namespace {

const auto Room = ConversationKind::GroupChat;

bool isEvent(const QJsonObject &event, const QString &key, const QString &value)
{
    return event.value(key).toString() == value;
}

} // namespace

class tst_OmemoRooms : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void aPrivateRoomOfThreeTalksEncrypted();
    void anOpenRoomIsNeverEncryptedBehindTheUsersBack();
    void theRoomArchiveIsReadEvenFromThoseWhoLeft();

private:
    bool joinRoom(StoredAccount &user, const QString &room, const QString &nick);
    bool createRoom(StoredAccount &owner, const QString &room, bool makePrivate);
    static Result<ChatMessage> say(StoredAccount &from, const QString &room, const QString &text);
    static std::optional<ChatMessage> waitForText(StoredAccount &user, const QString &room,
                                                  const QString &text);

    TestServer m_server;
};

void tst_OmemoRooms::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
}

bool tst_OmemoRooms::joinRoom(StoredAccount &user, const QString &room, const QString &nick)
{
    const auto joined = waitTask(user.account()->rooms().join(room, nick), 20000);
    return joined && isOk(*joined);
}

bool tst_OmemoRooms::createRoom(StoredAccount &owner, const QString &room, bool makePrivate)
{
    MucService &rooms = owner.account()->rooms();
    if (!joinRoom(owner, room, QStringLiteral("Alice")))
        return false;
    auto form = waitTask(rooms.configuration(room));
    if (!form || !isOk(*form))
        return false;
    QXmppDataForm config = std::get<QXmppDataForm>(*form);
    if (!setFormField(config, QStringLiteral("muc#roomconfig_membersonly"), makePrivate) ||
        !setFormField(config, QStringLiteral("muc#roomconfig_persistentroom"), true) ||
        !setFormField(config, QStringLiteral("muc#roomconfig_whois"),
                      makePrivate ? QStringLiteral("anyone") : QStringLiteral("moderators")) ||
        !succeeded(rooms.configure(room, config)))
        return false;
    // configure() reads the room's features again; encryption decides on them.
    return QTest::qWaitFor([&] { return rooms.isPrivate(room) == makePrivate; }, 10000);
}

Result<ChatMessage> tst_OmemoRooms::say(StoredAccount &from, const QString &room, const QString &text)
{
    auto composed = from.account()->messages().compose(ConversationKey{from.jid(), room, Room}, text);
    if (!isOk(composed))
        return errorOf(composed);
    return waitFor(from.account()->messages().send(std::get<ChatMessage>(composed)));
}

std::optional<ChatMessage> tst_OmemoRooms::waitForText(StoredAccount &user, const QString &room,
                                                       const QString &text)
{
    std::optional<ChatMessage> found;
    (void)QTest::qWaitFor(
        [&] {
            for (const ChatMessage &message : user.messagesWith(room, Room)) {
                if (message.body == text)
                    found = message;
            }
            return found.has_value();
        },
        20000);
    return found;
}

void tst_OmemoRooms::aPrivateRoomOfThreeTalksEncrypted()
{
    auto alice = newEncryptedUser(m_server, QStringLiteral("room-alice"));
    auto bob = newEncryptedUser(m_server, QStringLiteral("room-bob"));
    QVERIFY(alice && bob);
    const auto peerUser = m_server.registerAccount(QStringLiteral("room-peer"));
    QVERIFY(peerUser);
    const QString peerJid = m_server.jid(*peerUser);
    OmemoPeer peer(m_server, *peerUser);
    QVERIFY(peer.waitReady());

    const QString room = newRoomJid(m_server, QStringLiteral("secret"));
    QVERIFY(createRoom(*alice, room, true));
    MucService &aliceRooms = alice->account()->rooms();
    QVERIFY(succeeded(aliceRooms.setAffiliation(room, bob->jid(), MucAffiliation::Member)));
    QVERIFY(succeeded(aliceRooms.setAffiliation(room, peerJid, MucAffiliation::Member)));
    QVERIFY(joinRoom(*bob, room, QStringLiteral("Bob")));
    peer.command({{QStringLiteral("cmd"), QStringLiteral("join")},
                  {QStringLiteral("room"), room},
                  {QStringLiteral("nick"), QStringLiteral("Peer")}});
    QVERIFY2(peer.waitForEvent(QStringLiteral("joined")), qPrintable(peer.errorOutput()));
    QVERIFY(QTest::qWaitFor([&] { return aliceRooms.occupants(room).size() == 3; }, 10000));
    QVERIFY(QTest::qWaitFor([&] { return bob->account()->rooms().occupants(room).size() == 3; }, 10000));

    // Alice: on by default in a private room where everyone has OMEMO, and sticky from then on.
    const QString fromAlice = QStringLiteral("Alice's secret zebra plan <&> ✓");
    WireTap wire(alice->account()->client());
    const auto sent = say(*alice, room, fromAlice);
    QVERIFY2(isOk(sent), qPrintable(errorOf(sent).detail));
    QVERIFY(std::get<ChatMessage>(sent).encryption != ChatMessage::Encryption::None);
    QVERIFY(wire.sentContains(QStringLiteral("<encrypted")));
    QVERIFY2(!wire.sentContains(QStringLiteral("zebra")), qPrintable(wire.sent().join(u'\n')));
    const auto choice =
        waitFor(alice->account()->encryption()->choice(ConversationKey{alice->jid(), room, Room}));
    QVERIFY(isOk(choice));
    QCOMPARE(std::get<EncryptionChoice>(choice), EncryptionChoice::On);

    const auto atBob = waitForText(*bob, room, fromAlice);
    QVERIFY(atBob);
    QCOMPARE(atBob->direction, ChatMessage::Direction::Incoming);
    QCOMPARE(atBob->senderRealJid, alice->jid());
    QVERIFY(atBob->encryption != ChatMessage::Encryption::None);
    QVERIFY(atBob->cryptoError.isEmpty());
    const auto atPeer = peer.waitForEvent(QStringLiteral("message"), [&](const QJsonObject &event) {
        return isEvent(event, QStringLiteral("type"), QStringLiteral("groupchat")) &&
               event.value(QStringLiteral("encrypted")).toBool();
    });
    QVERIFY2(atPeer, qPrintable(peer.errorOutput()));
    QCOMPARE(atPeer->value(QStringLiteral("body")).toString(), fromAlice);
    QCOMPARE(atPeer->value(QStringLiteral("sender_jid")).toString(), alice->jid());

    // The room's echo of Alice's own message (not encrypted for this device) leaves one message, readable.
    QTest::qWait(500);
    int copies = 0;
    for (const ChatMessage &message : alice->messagesWith(room, Room)) {
        QVERIFY2(message.cryptoError.isEmpty(), qPrintable(message.cryptoError));
        copies += message.body == fromAlice ? 1 : 0;
    }
    QCOMPARE(copies, 1);
    const auto echoed = waitForText(*alice, room, fromAlice);
    QVERIFY(echoed);
    QVERIFY(QTest::qWaitFor(
        [&] {
            const auto stored = alice->messagesWith(room, Room);
            return std::any_of(stored.cbegin(), stored.cend(), [&](const ChatMessage &message) {
                return message.id == echoed->id && !message.stanzaId.isEmpty();
            });
        },
        10000)); // the echo was matched: the room's stanza-id is known

    // The peer in each version: both Natter profiles read it.
    for (const QString &version : {QStringLiteral("legacy"), QStringLiteral("v2")}) {
        const QString fromPeer = QStringLiteral("peer speaking %1 in the room").arg(version);
        peer.command({{QStringLiteral("cmd"), QStringLiteral("send_groupchat")},
                      {QStringLiteral("room"), room},
                      {QStringLiteral("body"), fromPeer},
                      {QStringLiteral("version"), version}});
        const auto peerSent = peer.waitForEvent(QStringLiteral("sent"));
        QVERIFY2(peerSent, qPrintable(peer.errorOutput()));
        for (StoredAccount *reader : {alice.get(), bob.get()}) {
            const auto read = waitForText(*reader, room, fromPeer);
            QVERIFY2(read, qPrintable(version));
            QCOMPARE(read->senderRealJid, peerJid);
            QCOMPARE(read->encryption, version == u"legacy" ? ChatMessage::Encryption::LegacyOmemo
                                                            : ChatMessage::Encryption::Omemo2);
        }
    }

    // Bob answers: Alice and the peer read him.
    const QString fromBob = QStringLiteral("Bob agrees on the zebra");
    WireTap bobsWire(bob->account()->client());
    const auto bobSent = say(*bob, room, fromBob);
    QVERIFY(!bobsWire.sentContains(QStringLiteral("zebra")));
    QVERIFY2(isOk(bobSent), qPrintable(errorOf(bobSent).detail));
    QVERIFY(std::get<ChatMessage>(bobSent).encryption != ChatMessage::Encryption::None);
    const auto atAlice = waitForText(*alice, room, fromBob);
    QVERIFY(atAlice);
    QVERIFY(atAlice->encryption != ChatMessage::Encryption::None);
    QVERIFY(peer.waitForEvent(QStringLiteral("message"), [&](const QJsonObject &event) {
        return event.value(QStringLiteral("body")).toString() == fromBob &&
               event.value(QStringLiteral("encrypted")).toBool();
    }));
}

void tst_OmemoRooms::theRoomArchiveIsReadEvenFromThoseWhoLeft()
{
    auto alice = newEncryptedUser(m_server, QStringLiteral("archive-alice"));
    auto bob = newEncryptedUser(m_server, QStringLiteral("archive-bob"));
    auto carol = newEncryptedUser(m_server, QStringLiteral("archive-carol"));
    QVERIFY(alice && bob && carol);
    const QString room = newRoomJid(m_server, QStringLiteral("archive"));
    QVERIFY(createRoom(*alice, room, true));
    MucService &aliceRooms = alice->account()->rooms();
    // Bob may list the room's members (an admin), so he encrypts for Alice while she is away; Carol is a
    // member who never comes, so the archive's reader has two candidates for who sent what.
    QVERIFY(succeeded(aliceRooms.setAffiliation(room, bob->jid(), MucAffiliation::Admin)));
    QVERIFY(succeeded(aliceRooms.setAffiliation(room, carol->jid(), MucAffiliation::Member)));
    QVERIFY(joinRoom(*bob, room, QStringLiteral("Bob")));
    QVERIFY(QTest::qWaitFor([&] { return aliceRooms.occupants(room).size() == 2; }, 10000));
    QVERIFY(isOk(say(*alice, room, QStringLiteral("see you later"))));
    QVERIFY(waitForText(*bob, room, QStringLiteral("see you later")));

    // Bob has listed the members for his first message; Dave, made a member while away, is read too from
    // Bob's next message on (the room's notice of the new affiliation makes Bob list them again).
    auto dave = newEncryptedUser(m_server, QStringLiteral("archive-dave"));
    QVERIFY(dave);
    QVERIFY(isOk(say(*bob, room, QStringLiteral("before Dave"))));
    QVERIFY(succeeded(aliceRooms.setAffiliation(room, dave->jid(), MucAffiliation::Member)));
    WireTap bobsWire(bob->account()->client());
    QVERIFY(QTest::qWaitFor(
        [&] {
            return isOk(say(*bob, room, QStringLiteral("after Dave"))) &&
                   bobsWire.sentContains(QStringLiteral("jid=\"%1\"").arg(dave->jid()));
        },
        10000));

    alice->account()->disconnectFromServer();
    QVERIFY(QTest::qWaitFor([&] { return bob->account()->rooms().occupants(room).size() == 1; }, 10000));
    const QString whileAway = QStringLiteral("said while Alice was away");
    const auto sent = say(*bob, room, whileAway);
    QVERIFY2(isOk(sent), qPrintable(errorOf(sent).detail));
    QVERIFY(std::get<ChatMessage>(sent).encryption != ChatMessage::Encryption::None);
    const QString byNewNick = QStringLiteral("said as Bobby");
    QVERIFY(succeeded(bob->account()->rooms().changeNick(room, QStringLiteral("Bobby"))));
    const auto renamed = say(*bob, room, byNewNick);
    QVERIFY2(isOk(renamed), qPrintable(errorOf(renamed).codeName() + u' ' + errorOf(renamed).detail));
    bob->account()->rooms().leave(room);

    // Alice comes back to an archive whose sender has left: his device tells who he was.
    alice->account()->connectToServer();
    for (const QString &text : {whileAway, byNewNick}) {
        const auto read = waitForText(*alice, room, text);
        QVERIFY2(read, qPrintable(text));
        QCOMPARE(read->direction, ChatMessage::Direction::Incoming);
        QVERIFY(read->encryption != ChatMessage::Encryption::None);
        QVERIFY(read->cryptoError.isEmpty());
    }
    // Her own message, archived, is still the one she sent (not an unreadable copy).
    int own = 0;
    for (const ChatMessage &message : alice->messagesWith(room, Room)) {
        QVERIFY2(message.cryptoError.isEmpty(), qPrintable(message.body));
        own += message.body == u"see you later" ? 1 : 0;
    }
    QCOMPARE(own, 1);
}

void tst_OmemoRooms::anOpenRoomIsNeverEncryptedBehindTheUsersBack()
{
    auto alice = newEncryptedUser(m_server, QStringLiteral("open-alice"));
    auto bob = newEncryptedUser(m_server, QStringLiteral("open-bob"));
    QVERIFY(alice && bob);
    const QString room = newRoomJid(m_server, QStringLiteral("open"));
    QVERIFY(createRoom(*alice, room, false));
    QVERIFY(joinRoom(*bob, room, QStringLiteral("Bob")));
    QVERIFY(QTest::qWaitFor([&] { return alice->account()->rooms().occupants(room).size() == 2; }, 10000));

    // Automatic: an open room is a public place; messages go as they are, and say so.
    const auto plain = say(*alice, room, QStringLiteral("hello everyone"));
    QVERIFY(isOk(plain));
    QCOMPARE(std::get<ChatMessage>(plain).encryption, ChatMessage::Encryption::None);
    QVERIFY(waitForText(*bob, room, QStringLiteral("hello everyone")));

    // Asked to encrypt there: refused with the reason, and nothing reaches the room.
    const ConversationKey conversation{alice->jid(), room, Room};
    QVERIFY(isOk(waitFor(alice->account()->encryption()->setChoice(conversation, EncryptionChoice::On))));
    const auto refused = say(*alice, room, QStringLiteral("must stay secret"));
    QVERIFY(!isOk(refused));
    QCOMPARE(errorOf(refused).code, Error::Code::EncryptionUnavailable);
    QVERIFY(errorOf(refused).detail.contains(room));
    // Bob's next message arriving shows the room delivered everything before it.
    QVERIFY(isOk(say(*bob, room, QStringLiteral("anyone there?"))));
    QVERIFY(waitForText(*alice, room, QStringLiteral("anyone there?")));
    for (const ChatMessage &message : bob->messagesWith(room, Room))
        QVERIFY(message.body != u"must stay secret");
    for (const ChatMessage &message : alice->messagesWith(room, Room))
        QVERIFY(message.body != u"must stay secret"); // not left behind to be resent later
}

QTEST_MAIN(tst_OmemoRooms)
#include "tst_omemo_rooms.moc"
