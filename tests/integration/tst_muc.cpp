// SPDX-License-Identifier: GPL-3.0-or-later
// Group chats against the real Prosody: creating and configuring rooms, invitations, joining, messages and
// private messages, subject and nicknames, moderation (roles, affiliations, kicks, bans, moderated
// retraction), history from the room's archive after being offline, self-ping after a dropped connection,
// and a forged message that tries to pass for another occupant.
#include "Contacts.h"
#include "RawStanza.h"
#include "Rooms.h"
#include "StoredAccount.h"
#include "TestServer.h"
#include "account/Account.h"
#include "crypto/EncryptionService.h"
#include "messaging/MessageService.h"
#include "muc/BookmarkService.h"
#include "muc/MucService.h"

#include <QSignalSpy>
#include <QUuid>
#include <QXmppClient.h>
#include <QXmppOutgoingClient.h>

using namespace Natter::Core;
using namespace Natter::Test;

namespace {

const auto Room = ConversationKind::GroupChat;

std::optional<MucService::JoinResult> joinRoom(StoredAccount &user, const QString &room, const QString &nick,
                                               const QString &password = {})
{
    const auto joined = waitTask(user.account()->rooms().join(room, nick, password), 20000);
    if (!joined || !isOk(*joined)) {
        if (joined)
            qWarning() << "join failed:" << errorOf(*joined).codeName() << errorOf(*joined).detail;
        return std::nullopt;
    }
    return std::get<MucService::JoinResult>(*joined);
}

std::optional<Error> joinError(StoredAccount &user, const QString &room, const QString &nick)
{
    const auto joined = waitTask(user.account()->rooms().join(room, nick), 20000);
    if (!joined || isOk(*joined))
        return std::nullopt;
    return errorOf(*joined);
}

// Sends text to room and waits until it is stored on receiver's side; returns it as stored there.
std::optional<ChatMessage> say(StoredAccount &from, StoredAccount &receiver, const QString &room,
                               const QString &text)
{
    auto composed = from.account()->messages().compose(ConversationKey{from.jid(), room, Room}, text);
    if (!isOk(composed))
        return std::nullopt;
    if (!isOk(waitFor(from.account()->messages().send(std::get<ChatMessage>(composed)))))
        return std::nullopt;
    std::optional<ChatMessage> found;
    (void)QTest::qWaitFor(
        [&] {
            for (const ChatMessage &message : receiver.messagesWith(room, Room)) {
                if (message.body == text)
                    found = message;
            }
            return found.has_value();
        },
        10000);
    return found;
}

std::optional<ChatMessage> storedWithText(StoredAccount &user, const QString &peer, const QString &text,
                                          ConversationKind kind = Room)
{
    for (const ChatMessage &message : user.messagesWith(peer, kind)) {
        if (message.body == text)
            return message;
    }
    return std::nullopt;
}

} // namespace

class tst_Muc : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void createsAndConfiguresAMembersOnlyRoom();
    void invitationsLetMembersIn();
    void messagesAndPrivateMessages();
    void subjectAndNicknameChanges();
    void correctionsReactionsAndRetractionsInARoom();
    void rolesAffiliationsKicksAndBans();
    void moderatorsRemoveMessagesForEveryone();
    void historyComesFromTheRoomArchiveAfterBeingOffline();
    void selfPingAfterADroppedConnection();
    void forgedOccupantIdsDoNotImpersonate();
    void roomListAndDestruction();
    void bookmarkedRoomsAreJoinedAfterARestart();

private:
    std::unique_ptr<StoredAccount> newUser(const QString &prefix);
    QString newRoom() const;
    // owner creates room as nick, configured members-only, non-anonymous and persistent.
    bool createPrivateRoom(StoredAccount &owner, const QString &room, const QString &nick);
    // owner makes user a member and user joins as nick.
    bool admit(StoredAccount &owner, StoredAccount &user, const QString &room, const QString &nick);

    TestServer m_server;
};

void tst_Muc::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
    QVERIFY(!m_server.mucService.isEmpty());
}

std::unique_ptr<StoredAccount> tst_Muc::newUser(const QString &prefix)
{
    return newOnlineUser(m_server, prefix);
}

QString tst_Muc::newRoom() const
{
    return newRoomJid(m_server, QStringLiteral("room"));
}

bool tst_Muc::createPrivateRoom(StoredAccount &owner, const QString &room, const QString &nick)
{
    const auto joined = joinRoom(owner, room, nick);
    if (!joined || !joined->created)
        return false;
    MucService &rooms = owner.account()->rooms();
    auto form = waitTask(rooms.configuration(room));
    if (!form || !isOk(*form))
        return false;
    QXmppDataForm config = std::get<QXmppDataForm>(*form);
    if (!setFormField(config, QStringLiteral("muc#roomconfig_membersonly"), true) ||
        !setFormField(config, QStringLiteral("muc#roomconfig_whois"), QStringLiteral("anyone")) ||
        !setFormField(config, QStringLiteral("muc#roomconfig_persistentroom"), true))
        return false;
    return succeeded(rooms.configure(room, config));
}

bool tst_Muc::admit(StoredAccount &owner, StoredAccount &user, const QString &room, const QString &nick)
{
    return succeeded(owner.account()->rooms().setAffiliation(room, user.jid(), MucAffiliation::Member)) &&
           joinRoom(user, room, nick).has_value();
}

void tst_Muc::createsAndConfiguresAMembersOnlyRoom()
{
    auto alice = newUser(QStringLiteral("alice"));
    QVERIFY(alice);
    const QString room = newRoom();
    QVERIFY(createPrivateRoom(*alice, room, QStringLiteral("Alice")));

    MucService &rooms = alice->account()->rooms();
    QCOMPARE(rooms.state(room), MucService::RoomState::Joined);
    QVERIFY(rooms.self(room));
    QCOMPARE(rooms.self(room)->affiliation, MucAffiliation::Owner);
    QCOMPARE(rooms.self(room)->role, MucRole::Moderator);
    const auto info = waitTask(rooms.roomInfo(room));
    QVERIFY(info && isOk(*info));
    const auto &described = std::get<MucService::RoomInfo>(*info);
    QVERIFY(described.exists);
    QVERIFY(described.membersOnly);
    QVERIFY(described.nonAnonymous);
    QVERIFY(described.persistent);
    QVERIFY(described.occupantIds);
    QVERIFY(described.archived);

    // The configuration form comes back with what was set.
    const auto form = waitTask(rooms.configuration(room));
    QVERIFY(form && isOk(*form));
    bool membersOnly = false;
    for (const auto &field : std::get<QXmppDataForm>(*form).fields()) {
        if (field.key() == u"muc#roomconfig_membersonly")
            membersOnly = field.value().toBool();
    }
    QVERIFY(membersOnly);

    // A stranger cannot enter.
    auto mallory = newUser(QStringLiteral("mallory"));
    QVERIFY(mallory);
    const auto refused = joinError(*mallory, room, QStringLiteral("Mallory"));
    QVERIFY(refused);
    QCOMPARE(refused->code, Error::Code::RoomMembersOnly);
    QCOMPARE(mallory->account()->rooms().state(room), MucService::RoomState::NotJoined);
}

void tst_Muc::invitationsLetMembersIn()
{
    auto alice = newUser(QStringLiteral("alice"));
    auto bob = newUser(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const QString room = newRoom();
    QVERIFY(createPrivateRoom(*alice, room, QStringLiteral("Alice")));

    QList<RoomInvitation> invited;
    connect(&bob->account()->rooms(), &MucService::invitationReceived, this,
            [&invited](const RoomInvitation &invitation) { invited.append(invitation); });
    alice->account()->rooms().invite(room, bob->jid(), QStringLiteral("Come and see"));
    QVERIFY(QTest::qWaitFor([&] { return invited.size() >= 2; }, 10000));
    bool direct = false, mediated = false;
    for (const RoomInvitation &invitation : invited) {
        QCOMPARE(invitation.room, room);
        QCOMPARE(invitation.inviter, alice->jid());
        QCOMPARE(invitation.reason, QStringLiteral("Come and see"));
        (invitation.direct ? direct : mediated) = true;
    }
    QVERIFY(direct && mediated);

    // The owner's invitation made bob a member of the members-only room.
    QSignalSpy occupants(&alice->account()->rooms(), &MucService::occupantsChanged);
    QVERIFY(joinRoom(*bob, room, QStringLiteral("Bob")));
    QVERIFY(QTest::qWaitFor(
        [&] { return alice->account()->rooms().occupant(room, QStringLiteral("Bob")).has_value(); }));
    const auto seen = *alice->account()->rooms().occupant(room, QStringLiteral("Bob"));
    QCOMPARE(seen.realJid, bob->jid()); // non-anonymous
    QCOMPARE(seen.affiliation, MucAffiliation::Member);
    QVERIFY(!seen.occupantId.isEmpty());
    QVERIFY(QTest::qWaitFor([&] { return !occupants.isEmpty(); })); // the batch after the presence
    QCOMPARE(bob->account()->rooms().occupants(room).size(), 2);
}

void tst_Muc::messagesAndPrivateMessages()
{
    auto alice = newUser(QStringLiteral("alice"));
    auto bob = newUser(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const QString room = newRoom();
    QVERIFY(createPrivateRoom(*alice, room, QStringLiteral("Alice")));
    QVERIFY(admit(*alice, *bob, room, QStringLiteral("Bob")));

    const auto received = say(*alice, *bob, room, QStringLiteral("Hello room"));
    QVERIFY(received);
    QCOMPARE(received->conversation.kind, ConversationKind::GroupChat);
    QCOMPARE(received->direction, ChatMessage::Direction::Incoming);
    QCOMPARE(received->senderNick(), QStringLiteral("Alice"));
    QCOMPARE(received->senderRealJid, alice->jid());
    QVERIFY(!received->occupantId.isEmpty());
    QCOMPARE(received->stanzaIdBy, room);
    QVERIFY(!received->stanzaId.isEmpty());

    // Our own copy: stored once, as ours, completed with the room's stanza-id by the echo.
    QVERIFY(QTest::qWaitFor(
        [&] {
            const auto own = storedWithText(*alice, room, QStringLiteral("Hello room"));
            return own && !own->stanzaId.isEmpty();
        },
        10000));
    int copies = 0;
    for (const ChatMessage &message : alice->messagesWith(room, Room))
        copies += message.body == u"Hello room" ? 1 : 0;
    QCOMPARE(copies, 1);
    QCOMPARE(storedWithText(*alice, room, QStringLiteral("Hello room"))->direction,
             ChatMessage::Direction::Outgoing);
    // Nothing of the room leaks into a one-to-one conversation with the room's JID.
    QVERIFY(alice->messagesWith(room).isEmpty());

    // A private message to an occupant is a one-to-one conversation with room/nick.
    const QString bobInRoom = room + QStringLiteral("/Bob");
    auto pm = alice->account()->messages().compose(ConversationKey{alice->jid(), bobInRoom},
                                                   QStringLiteral("psst"));
    QVERIFY(isOk(pm));
    QVERIFY(isOk(waitFor(alice->account()->messages().send(std::get<ChatMessage>(pm)))));
    QVERIFY(QTest::qWaitFor(
        [&] {
            return storedWithText(*bob, room + QStringLiteral("/Alice"), QStringLiteral("psst"),
                                  ConversationKind::Chat)
                .has_value();
        },
        10000));
    QVERIFY(!storedWithText(*bob, room, QStringLiteral("psst")));
    // A private message to someone who is not a room occupant's JID is refused before sending.
    QVERIFY(!isOk(alice->account()->messages().compose(
        ConversationKey{alice->jid(), bob->jid() + QStringLiteral("/x")}, QStringLiteral("no"))));
}

void tst_Muc::subjectAndNicknameChanges()
{
    auto alice = newUser(QStringLiteral("alice"));
    auto bob = newUser(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const QString room = newRoom();
    QVERIFY(createPrivateRoom(*alice, room, QStringLiteral("Alice")));
    QVERIFY(admit(*alice, *bob, room, QStringLiteral("Bob")));

    QSignalSpy subject(&bob->account()->rooms(), &MucService::subjectChanged);
    QVERIFY(succeeded(alice->account()->rooms().setSubject(room, QStringLiteral("Release planning"))));
    QVERIFY(QTest::qWaitFor([&] { return !subject.isEmpty(); }, 10000));
    QCOMPARE(subject.last().at(1).toString(), QStringLiteral("Release planning"));
    QCOMPARE(subject.last().at(2).toString(), QStringLiteral("Alice"));
    QCOMPARE(bob->account()->rooms().subject(room), QStringLiteral("Release planning"));

    const QString bobId = alice->account()->rooms().occupant(room, QStringLiteral("Bob"))->occupantId;
    QList<OccupantChange> changes;
    connect(&alice->account()->rooms(), &MucService::occupantsChanged, this,
            [&changes](const QString &, const QList<OccupantChange> &batch) { changes.append(batch); });
    QSignalSpy ownNick(&bob->account()->rooms(), &MucService::nickChanged);
    QVERIFY(succeeded(bob->account()->rooms().changeNick(room, QStringLiteral("Robert"))));
    QCOMPARE(bob->account()->rooms().nick(room), QStringLiteral("Robert"));
    QCOMPARE(ownNick.size(), 1);
    QVERIFY(QTest::qWaitFor(
        [&] { return alice->account()->rooms().occupant(room, QStringLiteral("Robert")).has_value(); }));
    QVERIFY(!alice->account()->rooms().occupant(room, QStringLiteral("Bob")));
    QCOMPARE(alice->account()->rooms().occupant(room, QStringLiteral("Robert"))->occupantId, bobId);
    bool renamed = false;
    // The list learns it as a rename, in the next batch.
    QVERIFY(QTest::qWaitFor([&] {
        for (const OccupantChange &change : std::as_const(changes))
            renamed = renamed || (change.kind == OccupantChange::Kind::Renamed &&
                                  change.previousNick == u"Bob" && change.occupant.nick == u"Robert");
        return renamed;
    }));

    // A nickname somebody has is refused, and the old one stays.
    const auto taken = waitTask(bob->account()->rooms().changeNick(room, QStringLiteral("Alice")));
    QVERIFY(taken && !isOk(*taken));
    QCOMPARE(errorOf(*taken).code, Error::Code::NicknameInUse);
    QCOMPARE(bob->account()->rooms().nick(room), QStringLiteral("Robert"));

    // Messages after the change carry the same identity.
    const auto after = say(*bob, *alice, room, QStringLiteral("still me"));
    QVERIFY(after);
    QCOMPARE(after->occupantId, bobId);
    QCOMPARE(after->senderNick(), QStringLiteral("Robert"));
}

void tst_Muc::correctionsReactionsAndRetractionsInARoom()
{
    auto alice = newUser(QStringLiteral("alice"));
    auto bob = newUser(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const QString room = newRoom();
    QVERIFY(createPrivateRoom(*alice, room, QStringLiteral("Alice")));
    QVERIFY(admit(*alice, *bob, room, QStringLiteral("Bob")));

    QVERIFY(say(*bob, *alice, room, QStringLiteral("teh plan")));
    std::optional<ChatMessage> own;
    QVERIFY(QTest::qWaitFor(
        [&] {
            own = storedWithText(*bob, room, QStringLiteral("teh plan"));
            return own && !own->stanzaId.isEmpty();
        },
        10000));
    QVERIFY(isOk(waitFor(bob->account()->messages().correct(*own, QStringLiteral("the plan")))));
    QVERIFY(QTest::qWaitFor(
        [&] { return storedWithText(*alice, room, QStringLiteral("the plan")).has_value(); }, 10000));
    const auto corrected = *storedWithText(*alice, room, QStringLiteral("the plan"));
    QVERIFY(corrected.isEdited());

    // Alice reacts; in a room reactions refer to the room's stanza-id.
    QVERIFY(isOk(waitFor(alice->account()->messages().react(corrected, {QStringLiteral("👍")}))));
    QVERIFY(QTest::qWaitFor(
        [&] {
            const auto seen = storedWithText(*bob, room, QStringLiteral("the plan"));
            return seen && !seen->reactions.isEmpty();
        },
        10000));
    QCOMPARE(storedWithText(*bob, room, QStringLiteral("the plan"))->reactions.first().emojis,
             QStringList{QStringLiteral("👍")});

    // Bob retracts it for everyone.
    const auto current = *storedWithText(*bob, room, QStringLiteral("the plan"));
    QVERIFY(isOk(waitFor(bob->account()->messages().retract(current))));
    QVERIFY(QTest::qWaitFor(
        [&] {
            for (const ChatMessage &message : alice->messagesWith(room, Room)) {
                if (message.storageId == corrected.storageId)
                    return message.removal == ChatMessage::Removal::Retracted && message.body.isEmpty();
            }
            return false;
        },
        10000));

    // Alice cannot retract Bob's message: only the author can.
    auto another = say(*bob, *alice, room, QStringLiteral("mine"));
    QVERIFY(another);
    QVERIFY(!isOk(waitFor(alice->account()->messages().retract(*another))));
}

void tst_Muc::rolesAffiliationsKicksAndBans()
{
    auto alice = newUser(QStringLiteral("alice"));
    auto bob = newUser(QStringLiteral("bob"));
    auto carol = newUser(QStringLiteral("carol"));
    auto mallory = newUser(QStringLiteral("mallory"));
    QVERIFY(alice && bob && carol && mallory);
    const QString room = newRoom();
    QVERIFY(createPrivateRoom(*alice, room, QStringLiteral("Alice")));
    QVERIFY(admit(*alice, *bob, room, QStringLiteral("Bob")));
    QVERIFY(admit(*alice, *carol, room, QStringLiteral("Carol")));
    QVERIFY(admit(*alice, *mallory, room, QStringLiteral("Mallory")));
    MucService &owner = alice->account()->rooms();

    // Roles: Bob becomes a moderator, Carol a visitor, and everyone sees it.
    QVERIFY(succeeded(owner.setRole(room, QStringLiteral("Bob"), MucRole::Moderator)));
    QVERIFY(succeeded(
        owner.setRole(room, QStringLiteral("Carol"), MucRole::Visitor, QStringLiteral("calm down"))));
    QVERIFY(QTest::qWaitFor([&] { return bob->account()->rooms().self(room)->role == MucRole::Moderator; }));
    QVERIFY(QTest::qWaitFor([&] {
        const auto seen = bob->account()->rooms().occupant(room, QStringLiteral("Carol"));
        return seen && seen->role == MucRole::Visitor;
    }));

    // Affiliations: Carol becomes admin, then the lists say so.
    QVERIFY(succeeded(owner.setAffiliation(room, carol->jid(), MucAffiliation::Admin)));
    QVERIFY(QTest::qWaitFor(
        [&] { return carol->account()->rooms().self(room)->affiliation == MucAffiliation::Admin; }));
    const auto admins = waitTask(owner.affiliations(room, MucAffiliation::Admin));
    QVERIFY(admins && isOk(*admins));
    QCOMPARE(std::get<QList<AffiliationItem>>(*admins).size(), 1);
    QCOMPARE(std::get<QList<AffiliationItem>>(*admins).first().jid, carol->jid());
    const auto members = waitTask(owner.affiliations(room, MucAffiliation::Member));
    QVERIFY(members && isOk(*members));
    QStringList memberJids;
    for (const auto &item : std::get<QList<AffiliationItem>>(*members))
        memberJids.append(item.jid);
    QVERIFY(memberJids.contains(bob->jid()));
    QVERIFY(memberJids.contains(mallory->jid()));
    // Editing a list: Carol back to member, Bob to owner, in one request.
    QVERIFY(succeeded(owner.changeAffiliations(room, {{carol->jid(), MucAffiliation::Member, {}, {}},
                                                      {bob->jid(), MucAffiliation::Owner, {}, {}}})));
    const auto owners = waitTask(owner.affiliations(room, MucAffiliation::Owner));
    QVERIFY(owners && isOk(*owners));
    QCOMPARE(std::get<QList<AffiliationItem>>(*owners).size(), 2);

    // A participant cannot kick anyone.
    QVERIFY(!succeeded(mallory->account()->rooms().kick(room, QStringLiteral("Bob"))));

    // Kick: Carol is out, told by whom and why, and may come back.
    QSignalSpy carolRemoved(&carol->account()->rooms(), &MucService::removed);
    QVERIFY(succeeded(owner.kick(room, QStringLiteral("Carol"), QStringLiteral("a break"))));
    QVERIFY(QTest::qWaitFor([&] { return !carolRemoved.isEmpty(); }, 10000));
    QCOMPARE(carolRemoved.first().at(1).value<MucService::Removal>(), MucService::Removal::Kicked);
    QCOMPARE(carolRemoved.first().at(3).toString(), QStringLiteral("a break"));
    QCOMPARE(carol->account()->rooms().state(room), MucService::RoomState::NotJoined);
    QVERIFY(QTest::qWaitFor([&] { return !owner.occupant(room, QStringLiteral("Carol")); }));
    QVERIFY(joinRoom(*carol, room, QStringLiteral("Carol")));

    // Ban: Mallory is out and cannot come back; the outcast list names her.
    QSignalSpy malloryRemoved(&mallory->account()->rooms(), &MucService::removed);
    QVERIFY(succeeded(owner.ban(room, mallory->jid(), QStringLiteral("spam"))));
    QVERIFY(QTest::qWaitFor([&] { return !malloryRemoved.isEmpty(); }, 10000));
    QCOMPARE(malloryRemoved.first().at(1).value<MucService::Removal>(), MucService::Removal::Banned);
    // Prosody checks the members-only rule before the ban: either way she stays out.
    const auto refused = joinError(*mallory, room, QStringLiteral("Mallory"));
    QVERIFY(refused);
    QVERIFY(refused->code == Error::Code::RoomBanned || refused->code == Error::Code::RoomMembersOnly);
    const auto outcasts = waitTask(owner.affiliations(room, MucAffiliation::Outcast));
    QVERIFY(outcasts && isOk(*outcasts));
    QCOMPARE(std::get<QList<AffiliationItem>>(*outcasts).size(), 1);
    QCOMPARE(std::get<QList<AffiliationItem>>(*outcasts).first().jid, mallory->jid());
    QCOMPARE(std::get<QList<AffiliationItem>>(*outcasts).first().reason, QStringLiteral("spam"));
}

void tst_Muc::moderatorsRemoveMessagesForEveryone()
{
    auto alice = newUser(QStringLiteral("alice"));
    auto bob = newUser(QStringLiteral("bob"));
    auto carol = newUser(QStringLiteral("carol"));
    auto dave = newUser(QStringLiteral("dave"));
    QVERIFY(alice && bob && carol && dave);
    const QString room = newRoom();
    QVERIFY(createPrivateRoom(*alice, room, QStringLiteral("Alice")));
    QVERIFY(admit(*alice, *bob, room, QStringLiteral("Bob")));
    QVERIFY(admit(*alice, *carol, room, QStringLiteral("Carol")));
    QCOMPARE(alice->account()->rooms().info(room).moderationVersion, 1);
    // Dave reads the archive when he joins at the end: what is said here must not be encrypted for those
    // present only (tst_omemo_rooms covers moderation and history of encrypted rooms).
    for (StoredAccount *user : {alice.get(), bob.get(), carol.get()})
        QVERIFY(isOk(waitFor(user->account()->encryption()->setChoice(
            ConversationKey{user->jid(), room, Room}, EncryptionChoice::Off))));

    const QString text = QStringLiteral("buy cheap watches");
    const auto carolsCopy = say(*bob, *carol, room, text);
    QVERIFY(carolsCopy);
    QVERIFY(QTest::qWaitFor([&] { return storedWithText(*alice, room, text).has_value(); }, 10000));
    const ChatMessage alicesCopy = *storedWithText(*alice, room, text);
    QCOMPARE(alicesCopy.stanzaId, carolsCopy->stanzaId);

    // Carol is no moderator: the room refuses, and the message stays.
    const auto refused = waitTask(carol->account()->rooms().moderate(*carolsCopy, QStringLiteral("spam")));
    QVERIFY(refused && !isOk(*refused));
    QCOMPARE(errorOf(*refused).code, Error::Code::RequestRefused);

    // Alice is one (the owner): the message is gone for everyone in the room, its author included.
    const auto removed = waitTask(alice->account()->rooms().moderate(alicesCopy, QStringLiteral("spam")));
    QVERIFY2(removed && isOk(*removed),
             removed ? qPrintable(errorOf(*removed).codeName() + u' ' + errorOf(*removed).detail)
                     : "no answer");
    for (StoredAccount *user : {alice.get(), bob.get(), carol.get()}) {
        const auto removal = [&] {
            for (const ChatMessage &message : user->messagesWith(room, Room)) {
                if (message.stanzaId == alicesCopy.stanzaId)
                    return std::optional(std::pair(message.removal, message.body));
            }
            return std::optional<std::pair<ChatMessage::Removal, QString>>();
        };
        QVERIFY2(QTest::qWaitFor(
                     [&] { return removal() && removal()->first == ChatMessage::Removal::Moderated; }, 10000),
                 qPrintable(user->jid()));
        QCOMPARE(removal()->second, QString());
    }

    // A moderation notice "from the room" sent by an occupant arrives as room/nick: an ordinary message, and
    // the message it names stays.
    const auto kept = say(*alice, *carol, room, QStringLiteral("keep me"));
    QVERIFY(kept);
    QVERIFY(sendRaw(bob->account()->client(),
                    QStringLiteral("<message type='groupchat' to='%1' id='fake-mod'>"
                                   "<retract xmlns='urn:xmpp:message-retract:1' id='%2'>"
                                   "<moderated xmlns='urn:xmpp:message-moderate:1' by='%1'/></retract>"
                                   "<body>removed</body></message>")
                        .arg(room, kept->stanzaId)));
    QVERIFY(say(*bob, *carol, room, QStringLiteral("after the fake")));
    QCOMPARE(storedWithText(*carol, room, QStringLiteral("keep me"))->removal, ChatMessage::Removal::None);

    // Someone joining later reads the room's archive: the removed text is not in it.
    QVERIFY(admit(*alice, *dave, room, QStringLiteral("Dave")));
    QVERIFY(QTest::qWaitFor(
        [&] { return storedWithText(*dave, room, QStringLiteral("after the fake")).has_value(); }, 20000));
    QVERIFY(storedWithText(*dave, room, QStringLiteral("keep me")).has_value());
    QVERIFY(!storedWithText(*dave, room, text).has_value());
}

void tst_Muc::historyComesFromTheRoomArchiveAfterBeingOffline()
{
    auto alice = newUser(QStringLiteral("alice"));
    auto bob = newUser(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const QString room = newRoom();
    QVERIFY(createPrivateRoom(*alice, room, QStringLiteral("Alice")));
    QVERIFY(admit(*alice, *bob, room, QStringLiteral("Bob")));
    QVERIFY(say(*alice, *bob, room, QStringLiteral("before")));

    bob->account()->disconnectFromServer();
    QVERIFY(QTest::qWaitFor([&] { return !alice->account()->rooms().occupant(room, QStringLiteral("Bob")); },
                            10000));
    for (int i = 0; i < 5; ++i) {
        auto composed = alice->account()->messages().compose(ConversationKey{alice->jid(), room, Room},
                                                             QStringLiteral("while away %1").arg(i));
        QVERIFY(isOk(waitFor(alice->account()->messages().send(std::get<ChatMessage>(composed)))));
    }

    // Bob comes back: the room is joined again by itself and its archive fills the gap.
    bob->account()->connectToServer();
    QVERIFY(QTest::qWaitFor(
        [&] { return bob->account()->rooms().state(room) == MucService::RoomState::Joined; }, 20000));
    QVERIFY(QTest::qWaitFor(
        [&] { return storedWithText(*bob, room, QStringLiteral("while away 4")).has_value(); }, 20000));
    const auto history = bob->messagesWith(room, Room);
    QStringList bodies;
    for (const ChatMessage &message : history)
        bodies.append(message.body);
    QCOMPARE(bodies.count(QStringLiteral("before")), 1);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(bodies.count(QStringLiteral("while away %1").arg(i)), 1);
    QVERIFY(bodies.indexOf(QStringLiteral("while away 0")) < bodies.indexOf(QStringLiteral("while away 4")));
    for (const ChatMessage &message : history) {
        if (message.body.startsWith(u"while away")) {
            QCOMPARE(message.senderNick(), QStringLiteral("Alice"));
            QCOMPARE(message.stanzaIdBy, room);
            QVERIFY(!message.occupantId.isEmpty());
        }
    }
}

void tst_Muc::selfPingAfterADroppedConnection()
{
    auto alice = newUser(QStringLiteral("alice"));
    auto bob = newUser(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const QString room = newRoom();
    QVERIFY(createPrivateRoom(*alice, room, QStringLiteral("Alice")));
    QVERIFY(admit(*alice, *bob, room, QStringLiteral("Bob")));
    const auto ping = waitTask(bob->account()->rooms().selfPing(room));
    QVERIFY(ping && isOk(*ping));
    QCOMPARE(std::get<MucService::PingResult>(*ping), MucService::PingResult::Joined);

    // The connection drops without a goodbye; the account reconnects by itself.
    auto *stream = bob->account()->client().findChild<QXmppOutgoingClient *>();
    QVERIFY(stream && stream->socket());
    stream->socket()->abort();
    QVERIFY(QTest::qWaitFor([&] { return bob->account()->state() != ConnectionState::Online; }, 10000));
    QVERIFY(QTest::qWaitFor([&] { return bob->account()->state() == ConnectionState::Online; }, 30000));
    QVERIFY(QTest::qWaitFor(
        [&] { return bob->account()->rooms().state(room) == MucService::RoomState::Joined; }, 20000));
    const auto after = waitTask(bob->account()->rooms().selfPing(room));
    QVERIFY(after && isOk(*after));
    QCOMPARE(std::get<MucService::PingResult>(*after), MucService::PingResult::Joined);
    QVERIFY(say(*alice, *bob, room, QStringLiteral("still there?")));
    QVERIFY(alice->account()->rooms().occupant(room, QStringLiteral("Bob")));
}

void tst_Muc::forgedOccupantIdsDoNotImpersonate()
{
    auto alice = newUser(QStringLiteral("alice"));
    auto bob = newUser(QStringLiteral("bob"));
    auto mallory = newUser(QStringLiteral("mallory"));
    QVERIFY(alice && bob && mallory);
    const QString room = newRoom();
    QVERIFY(createPrivateRoom(*alice, room, QStringLiteral("Alice")));
    QVERIFY(admit(*alice, *bob, room, QStringLiteral("Bob")));
    QVERIFY(admit(*alice, *mallory, room, QStringLiteral("Mallory")));

    const auto original = say(*bob, *alice, room, QStringLiteral("I will be there at 5"));
    QVERIFY(original);
    const QString bobId = original->occupantId;
    QVERIFY(!bobId.isEmpty());

    // Bob leaves; Mallory takes his nickname and claims his occupant-id, then "corrects" his message.
    bob->account()->rooms().leave(room);
    QVERIFY(
        QTest::qWaitFor([&] { return !alice->account()->rooms().occupant(room, QStringLiteral("Bob")); }));
    QVERIFY(succeeded(mallory->account()->rooms().changeNick(room, QStringLiteral("Bob"))));
    QVERIFY(sendRaw(mallory->account()->client(),
                    QStringLiteral("<message type='groupchat' to='%1' id='forged-1'>"
                                   "<body>I will not come</body>"
                                   "<replace xmlns='urn:xmpp:message-correct:0' id='%2'/>"
                                   "<occupant-id xmlns='urn:xmpp:occupant-id:0' id='%3'/></message>")
                        .arg(room, original->id, bobId)));
    QVERIFY(sendRaw(mallory->account()->client(),
                    QStringLiteral("<message type='groupchat' to='%1' id='forged-2'>"
                                   "<body>Bob here, trust me</body>"
                                   "<occupant-id xmlns='urn:xmpp:occupant-id:0' id='%2'/></message>")
                        .arg(room, bobId)));
    QVERIFY(QTest::qWaitFor(
        [&] { return storedWithText(*alice, room, QStringLiteral("Bob here, trust me")).has_value(); },
        10000));
    const auto forged = *storedWithText(*alice, room, QStringLiteral("Bob here, trust me"));
    // The room replaced the claimed id with Mallory's own, and her real JID shows.
    QVERIFY(forged.occupantId != bobId);
    QCOMPARE(forged.senderRealJid, mallory->jid());
    // Bob's message is unchanged: a nickname alone does not make an author.
    bool unchanged = false;
    for (const ChatMessage &message : alice->messagesWith(room, Room)) {
        if (message.storageId == original->storageId)
            unchanged = message.body == u"I will be there at 5" && !message.isEdited();
    }
    QVERIFY(unchanged);
}

void tst_Muc::roomListAndDestruction()
{
    auto alice = newUser(QStringLiteral("alice"));
    auto bob = newUser(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const QString room = newRoom();
    const auto created = joinRoom(*alice, room, QStringLiteral("Alice"));
    QVERIFY(created && created->created);
    MucService &rooms = alice->account()->rooms();
    auto form = waitTask(rooms.configuration(room));
    QVERIFY(form && isOk(*form));
    QXmppDataForm config = std::get<QXmppDataForm>(*form);
    QVERIFY(setFormField(config, QStringLiteral("muc#roomconfig_roomname"), QStringLiteral("Public square")));
    QVERIFY(setFormField(config, QStringLiteral("muc#roomconfig_publicroom"), true));
    QVERIFY(setFormField(config, QStringLiteral("muc#roomconfig_persistentroom"), true));
    QVERIFY(succeeded(rooms.configure(room, config)));

    const auto listed = waitTask(bob->account()->rooms().listRooms(m_server.mucService));
    QVERIFY(listed && isOk(*listed));
    bool found = false;
    for (const RoomListing &listing : std::get<QList<RoomListing>>(*listed))
        found = found || (listing.jid == room && listing.name == u"Public square");
    QVERIFY(found);
    QVERIFY(joinRoom(*bob, room, QStringLiteral("Bob")));

    QSignalSpy removed(&bob->account()->rooms(), &MucService::removed);
    QVERIFY(succeeded(rooms.destroy(room, QStringLiteral("moving"))));
    QVERIFY(QTest::qWaitFor([&] { return !removed.isEmpty(); }, 10000));
    QCOMPARE(removed.first().at(1).value<MucService::Removal>(), MucService::Removal::Destroyed);
    const auto gone = waitTask(bob->account()->rooms().roomInfo(room));
    QVERIFY(gone && isOk(*gone));
    QVERIFY(!std::get<MucService::RoomInfo>(*gone).exists);
}

void tst_Muc::bookmarkedRoomsAreJoinedAfterARestart()
{
    const auto user = m_server.registerAccount(QStringLiteral("alice"));
    QVERIFY(user);
    const QString room = newRoom();
    {
        StoredAccount before(m_server, *user);
        QVERIFY(before.isOnline());
        QVERIFY(createPrivateRoom(before, room, QStringLiteral("Alice")));
        // Joining bookmarked the room with autojoin (XEP-0402), for every device and the next start.
        QVERIFY(QTest::qWaitFor(
            [&] {
                const auto bookmark = before.account()->bookmarks().bookmark(room);
                return bookmark && bookmark->autojoin && bookmark->nick == u"Alice";
            },
            10000));
    }
    // A fresh start with nothing in memory: the bookmark brings the room back.
    StoredAccount after(m_server, *user);
    QVERIFY(after.isOnline());
    QVERIFY(QTest::qWaitFor(
        [&] { return after.account()->rooms().state(room) == MucService::RoomState::Joined; }, 20000));
    QCOMPARE(after.account()->rooms().nick(room), QStringLiteral("Alice"));
    QCOMPARE(after.account()->rooms().self(room)->affiliation, MucAffiliation::Owner);

    // Leaving on another device clears autojoin, and this device leaves as well.
    auto other = std::make_unique<StoredAccount>(m_server, *user);
    QVERIFY(other->isOnline());
    QVERIFY(QTest::qWaitFor(
        [&] { return other->account()->rooms().state(room) == MucService::RoomState::Joined; }, 20000));
    other->account()->rooms().leave(room);
    QVERIFY(QTest::qWaitFor(
        [&] { return after.account()->rooms().state(room) == MucService::RoomState::NotJoined; }, 20000));
    QVERIFY(!after.account()->bookmarks().bookmark(room)->autojoin);
}

QTEST_GUILESS_MAIN(tst_Muc)
#include "tst_muc.moc"
