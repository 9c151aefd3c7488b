// SPDX-License-Identifier: GPL-3.0-or-later
// Corrections, retractions, reactions, receipts, markers and local deletion in the message store: applied in
// either order, each once, and only by the author of the message they act on.
#include "TestStore.h"
#include "storage/ConversationRepository.h"
#include "storage/Database.h"
#include "storage/MessageRepository.h"

#include <QTimeZone>

using namespace Natter::Core;
using Natter::Test::waitFor;

namespace {
const QString Alice = QStringLiteral("alice@example.org");
const QString Bob = QStringLiteral("bob@example.org");
const ConversationKey Chat{Alice, Bob};
const QDateTime Base = QDateTime(QDate(2026, 3, 4), QTime(9, 0), QTimeZone::UTC);

ChatMessage message(int n, ChatMessage::Direction direction)
{
    ChatMessage m;
    m.conversation = Chat;
    m.direction = direction;
    m.delivery = ChatMessage::Delivery::Acknowledged;
    m.id = QStringLiteral("id-%1").arg(n);
    m.originId = QStringLiteral("origin-%1").arg(n);
    m.senderFullJid = direction == ChatMessage::Direction::Incoming ? Bob + QStringLiteral("/phone") : Alice;
    m.body = QStringLiteral("original text %1").arg(n);
    m.timestamp = Base.addSecs(n * 60);
    m.stanzaId = QStringLiteral("archive-%1").arg(n);
    m.stanzaIdBy = Alice;
    return m;
}

MessageAction action(MessageAction::Kind kind, ChatMessage::Direction direction, const QString &target,
                     int minute, const QString &actionId)
{
    MessageAction a;
    a.conversation = Chat;
    a.kind = kind;
    a.direction = direction;
    a.sender = direction == ChatMessage::Direction::Incoming ? Bob : Alice;
    a.targetId = target;
    a.time = Base.addSecs(minute * 60);
    a.actionId = actionId;
    return a;
}

constexpr auto In = ChatMessage::Direction::Incoming;
constexpr auto Out = ChatMessage::Direction::Outgoing;
} // namespace

class tst_MessageActions : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void correctionReplacesTheTextAndKeepsTheHistory();
    void correctionOfACorrectionActsOnTheOriginal();
    void actionsThatArriveBeforeTheirMessageApplyWhenItIsStored();
    void onlyTheAuthorCanCorrectOrRetract();
    void retractionLeavesATombstoneThatSearchDoesNotFind();
    void reactionsAreEachPersonsLatestSet();
    void sameActionTwiceIsAppliedOnce();
    void receiptsAndMarkersOnlyRaiseTheDeliveryState();
    void displayedUpToLowersTheUnreadCount();
    void localDeletionHidesTheMessageForGood();
    void repliesAndAttachmentsAreKept();
    void ourArchivedEncryptedCorrectionIsNoUnreadableMessage();

private:
    ChatMessage stored(const ChatMessage &m);
    QList<ChatMessage> apply(const QList<MessageAction> &actions);
    ChatMessage reread(const ChatMessage &m);

    int confirm(const QString &id, ChatMessage::Delivery delivery);

    std::unique_ptr<Natter::Test::TestStore> m_test;
    std::unique_ptr<MessageRepository> m_store;
};

// How many messages a receipt or marker changed; -1 when the store failed.
int tst_MessageActions::confirm(const QString &id, ChatMessage::Delivery delivery)
{
    const auto changed = waitFor(m_store->confirmDelivery(Chat, id, delivery));
    if (!isOk(changed)) {
        qWarning() << "confirmDelivery failed:" << errorOf(changed).detail;
        return -1;
    }
    return int(std::get<QList<ChatMessage>>(changed).size());
}

void tst_MessageActions::init()
{
    m_test = std::make_unique<Natter::Test::TestStore>(Alice);
    QVERIFY(m_test->isOpen());
    m_store = std::make_unique<MessageRepository>(m_test->database());
}

void tst_MessageActions::cleanup()
{
    m_store.reset();
    m_test.reset();
}

ChatMessage tst_MessageActions::stored(const ChatMessage &m)
{
    const auto result = waitFor(m_store->ingest({m}));
    if (!isOk(result) || std::get<QList<ChatMessage>>(result).size() != 1)
        return {};
    return std::get<QList<ChatMessage>>(result).first();
}

QList<ChatMessage> tst_MessageActions::apply(const QList<MessageAction> &actions)
{
    const auto result = waitFor(m_store->applyActions(actions));
    if (!isOk(result))
        qWarning() << "applyActions failed:" << errorOf(result).detail;
    return isOk(result) ? std::get<QList<ChatMessage>>(result) : QList<ChatMessage>{};
}

ChatMessage tst_MessageActions::reread(const ChatMessage &m)
{
    const auto found = waitFor(m_store->findByReference(Chat, m.originId));
    return isOk(found) && std::get<std::optional<ChatMessage>>(found)
               ? *std::get<std::optional<ChatMessage>>(found)
               : ChatMessage{};
}

void tst_MessageActions::correctionReplacesTheTextAndKeepsTheHistory()
{
    const ChatMessage original = stored(message(1, In));
    QVERIFY(original.storageId > 0);
    auto fix = action(MessageAction::Kind::Correction, In, original.id, 2, QStringLiteral("c1"));
    fix.body = QStringLiteral("corrected once");
    auto again = action(MessageAction::Kind::Correction, In, original.id, 3, QStringLiteral("c2"));
    again.body = QStringLiteral("corrected twice");
    // The newer one first: the older one must not win afterwards.
    QCOMPARE(apply({again}).size(), 1);
    QCOMPARE(apply({fix}).size(), 0);
    const ChatMessage now = reread(original);
    QCOMPARE(now.body, QStringLiteral("corrected twice"));
    QVERIFY(now.isEdited());
    QCOMPARE(now.editedAt, Base.addSecs(180));
    QCOMPARE(now.history.size(), 2);
    QCOMPARE(now.history.at(0).body, QStringLiteral("original text 1"));
    QCOMPARE(now.history.at(1).body, QStringLiteral("corrected once"));
    const auto found = waitFor(m_store->search(QStringLiteral("twice"), Chat, 10));
    QVERIFY(isOk(found));
    QCOMPARE(std::get<QList<ChatMessage>>(found).size(), 1);
}

void tst_MessageActions::correctionOfACorrectionActsOnTheOriginal()
{
    const ChatMessage original = stored(message(1, Out));
    auto first = action(MessageAction::Kind::Correction, Out, original.id, 2, QStringLiteral("c1"));
    first.body = QStringLiteral("first fix");
    // Some clients refer to the previous correction instead of the original.
    auto chained =
        action(MessageAction::Kind::Correction, Out, QStringLiteral("c1"), 3, QStringLiteral("c2"));
    chained.body = QStringLiteral("second fix");
    apply({first, chained});
    QCOMPARE(reread(original).body, QStringLiteral("second fix"));
}

void tst_MessageActions::actionsThatArriveBeforeTheirMessageApplyWhenItIsStored()
{
    // History is fetched newest first: the correction of message 1, the retraction of message 2 and a
    // reaction to message 3 come before the messages themselves.
    auto fix = action(MessageAction::Kind::Correction, In, QStringLiteral("id-1"), 5, QStringLiteral("c1"));
    fix.body = QStringLiteral("fixed before arriving");
    auto gone = action(MessageAction::Kind::Retraction, In, QStringLiteral("id-2"), 5, QStringLiteral("r1"));
    auto liked =
        action(MessageAction::Kind::Reactions, Out, QStringLiteral("origin-3"), 5, QStringLiteral("x1"));
    liked.emojis = {QStringLiteral("👍")};
    QCOMPARE(apply({fix, gone, liked}).size(), 0);

    const auto result = waitFor(m_store->ingest({message(1, In), message(2, In), message(3, In)}));
    QVERIFY(isOk(result));
    const auto added = std::get<QList<ChatMessage>>(result);
    QCOMPARE(added.size(), 3);
    QCOMPARE(added.at(0).body, QStringLiteral("fixed before arriving"));
    QCOMPARE(added.at(1).removal, ChatMessage::Removal::Retracted);
    QVERIFY(added.at(1).body.isEmpty());
    QCOMPARE(added.at(2).reactions.size(), 1);
    QCOMPARE(added.at(2).reactions.first().reactor, Alice);
    QCOMPARE(added.at(2).reactions.first().emojis, QStringList{QStringLiteral("👍")});
}

void tst_MessageActions::onlyTheAuthorCanCorrectOrRetract()
{
    const ChatMessage ours = stored(message(1, Out));
    // Bob tries to rewrite and delete Alice's message.
    auto forged = action(MessageAction::Kind::Correction, In, ours.id, 2, QStringLiteral("f1"));
    forged.body = QStringLiteral("I owe Bob 1000 euros");
    auto erase = action(MessageAction::Kind::Retraction, In, ours.id, 2, QStringLiteral("f2"));
    QCOMPARE(apply({forged, erase}).size(), 0);
    const ChatMessage after = reread(ours);
    QCOMPARE(after.body, ours.body);
    QCOMPARE(after.removal, ChatMessage::Removal::None);
    QVERIFY(!after.isEdited());
    // A message with the same id in another conversation is not reachable either.
    ChatMessage elsewhere = message(1, Out);
    elsewhere.conversation.peer = QStringLiteral("carol@example.org");
    elsewhere.stanzaId = QStringLiteral("archive-elsewhere");
    QVERIFY(stored(elsewhere).storageId > 0);
    auto ownFix = action(MessageAction::Kind::Correction, Out, ours.id, 3, QStringLiteral("o1"));
    ownFix.body = QStringLiteral("our own fix");
    const auto changed = apply({ownFix});
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().conversation.peer, Bob);
}

void tst_MessageActions::retractionLeavesATombstoneThatSearchDoesNotFind()
{
    ChatMessage secret = message(1, In);
    secret.body = QStringLiteral("the password is swordfish");
    secret = stored(secret);
    auto fix = action(MessageAction::Kind::Correction, In, secret.id, 2, QStringLiteral("c1"));
    fix.body = QStringLiteral("the password is swordfish2");
    auto liked = action(MessageAction::Kind::Reactions, Out, secret.originId, 2, QStringLiteral("x1"));
    liked.emojis = {QStringLiteral("😮")};
    apply({fix, liked});
    const auto changed =
        apply({action(MessageAction::Kind::Retraction, In, secret.id, 3, QStringLiteral("r1"))});
    QCOMPARE(changed.size(), 1);
    const ChatMessage tombstone = changed.first();
    QCOMPARE(tombstone.removal, ChatMessage::Removal::Retracted);
    QVERIFY(tombstone.body.isEmpty());
    QVERIFY(tombstone.history.isEmpty());
    QVERIFY(tombstone.reactions.isEmpty());
    const auto found = waitFor(m_store->search(QStringLiteral("swordfish"), std::nullopt, 10));
    QVERIFY(isOk(found));
    QVERIFY(std::get<QList<ChatMessage>>(found).isEmpty());
    // Still in the timeline, as a tombstone.
    const auto page = waitFor(m_store->before(Chat, std::nullopt, 10));
    QCOMPARE(std::get<QList<ChatMessage>>(page).size(), 1);
}

void tst_MessageActions::reactionsAreEachPersonsLatestSet()
{
    const ChatMessage target = stored(message(1, In));
    auto bobLikes = action(MessageAction::Kind::Reactions, In, target.originId, 2, QStringLiteral("b1"));
    bobLikes.emojis = {QStringLiteral("👍"), QStringLiteral("❤️")};
    auto aliceLaughs = action(MessageAction::Kind::Reactions, Out, target.originId, 3, QStringLiteral("a1"));
    aliceLaughs.emojis = {QStringLiteral("😂")};
    apply({bobLikes, aliceLaughs});
    ChatMessage now = reread(target);
    QCOMPARE(now.reactions.size(), 2);

    auto bobChanges = action(MessageAction::Kind::Reactions, In, target.originId, 4, QStringLiteral("b2"));
    bobChanges.emojis = {QStringLiteral("🙏")};
    apply({bobChanges});
    // An older set arriving late (from the archive) does not undo the newer one.
    auto stale = action(MessageAction::Kind::Reactions, In, target.originId, 1, QStringLiteral("b0"));
    stale.emojis = {QStringLiteral("😢")};
    apply({stale});
    now = reread(target);
    const auto bobs = std::find_if(now.reactions.cbegin(), now.reactions.cend(),
                                   [](const ChatMessage::Reaction &r) { return r.reactor == Bob; });
    QVERIFY(bobs != now.reactions.cend());
    QCOMPARE(bobs->emojis, QStringList{QStringLiteral("🙏")});

    auto aliceTakesBack =
        action(MessageAction::Kind::Reactions, Out, target.originId, 5, QStringLiteral("a2"));
    apply({aliceTakesBack});
    now = reread(target);
    QCOMPARE(now.reactions.size(), 1);
    QCOMPARE(now.reactions.first().reactor, Bob);
}

void tst_MessageActions::sameActionTwiceIsAppliedOnce()
{
    const ChatMessage target = stored(message(1, In));
    auto fix = action(MessageAction::Kind::Correction, In, target.id, 2, QStringLiteral("c1"));
    fix.body = QStringLiteral("fixed");
    QCOMPARE(apply({fix}).size(), 1);
    // The archived copy of the same correction.
    QCOMPARE(apply({fix}).size(), 0);
    QCOMPARE(reread(target).history.size(), 1);
}

void tst_MessageActions::receiptsAndMarkersOnlyRaiseTheDeliveryState()
{
    const ChatMessage first = stored(message(1, Out));
    const ChatMessage second = stored(message(2, Out));
    const ChatMessage third = stored(message(3, Out));
    QCOMPARE(confirm(second.id, ChatMessage::Delivery::Received), 1);
    QCOMPARE(reread(second).delivery, ChatMessage::Delivery::Received);
    // Displayed up to the second: the first too, not the third.
    QCOMPARE(confirm(second.originId, ChatMessage::Delivery::Displayed), 2);
    QCOMPARE(reread(first).delivery, ChatMessage::Delivery::Displayed);
    QCOMPARE(reread(third).delivery, ChatMessage::Delivery::Acknowledged);
    // A late receipt and a late server ack do not lower it.
    QCOMPARE(confirm(first.id, ChatMessage::Delivery::Received), 0);
    QVERIFY(isOk(waitFor(m_store->setDelivery(Alice, first.id, ChatMessage::Delivery::Acknowledged))));
    QCOMPARE(reread(first).delivery, ChatMessage::Delivery::Displayed);
    // A marker naming one of the peer's own messages changes nothing.
    const ChatMessage theirs = stored(message(4, In));
    QCOMPARE(confirm(theirs.id, ChatMessage::Delivery::Displayed), 0);
}

void tst_MessageActions::displayedUpToLowersTheUnreadCount()
{
    for (int n = 1; n <= 4; ++n)
        QVERIFY(stored(message(n, In)).storageId > 0);
    ConversationRepository conversations(m_test->database());
    auto unreadNow = [&] {
        const auto list = waitFor(conversations.conversations(Alice));
        return std::get<QList<ConversationSummary>>(list).first().unread;
    };
    QCOMPARE(unreadNow(), 4);
    auto left = waitFor(m_store->markDisplayedUpTo(Chat, QStringLiteral("id-2"), {}));
    QCOMPARE(std::get<std::optional<int>>(left), std::optional<int>(2));
    QCOMPARE(unreadNow(), 2);
    // By archive id (XEP-0490), and never backwards.
    left = waitFor(m_store->markDisplayedUpTo(Chat, {}, QStringLiteral("archive-3")));
    QCOMPARE(std::get<std::optional<int>>(left), std::optional<int>(1));
    left = waitFor(m_store->markDisplayedUpTo(Chat, {}, QStringLiteral("archive-1")));
    QCOMPARE(std::get<std::optional<int>>(left), std::optional<int>(1));
    // Unknown ids are ignored.
    left = waitFor(m_store->markDisplayedUpTo(Chat, {}, QStringLiteral("no-such-id")));
    QVERIFY(!std::get<std::optional<int>>(left));
}

void tst_MessageActions::localDeletionHidesTheMessageForGood()
{
    const ChatMessage target = stored(message(1, In));
    QVERIFY(stored(message(2, In)).storageId > 0);
    QVERIFY(isOk(waitFor(m_store->deleteLocally(target.storageId))));
    auto page = waitFor(m_store->before(Chat, std::nullopt, 10));
    QCOMPARE(std::get<QList<ChatMessage>>(page).size(), 1);
    // The archive's copy comes again when scrolling back: it stays deleted.
    const auto again = waitFor(m_store->ingest({message(1, In)}));
    QVERIFY(std::get<QList<ChatMessage>>(again).isEmpty());
    page = waitFor(m_store->before(Chat, std::nullopt, 10));
    QCOMPARE(std::get<QList<ChatMessage>>(page).size(), 1);
    const auto found = waitFor(m_store->search(QStringLiteral("original"), std::nullopt, 10));
    QCOMPARE(std::get<QList<ChatMessage>>(found).size(), 1);
}

void tst_MessageActions::repliesAndAttachmentsAreKept()
{
    ChatMessage reply = message(2, In);
    reply.body = QStringLiteral("yes, see the picture");
    reply.replyToId = QStringLiteral("origin-1");
    reply.replyToJid = Alice;
    reply.replyQuote = QStringLiteral("original text 1");
    reply.oobUrl = QStringLiteral("https://upload.example.org/cat.jpg");
    reply.oobDescription = QStringLiteral("a cat");
    reply.markable = true;
    reply.truncated = true;
    stored(reply);
    const ChatMessage back = reread(reply);
    QCOMPARE(back.replyToId, reply.replyToId);
    QCOMPARE(back.replyToJid, Alice);
    QCOMPARE(back.replyQuote, reply.replyQuote);
    QCOMPARE(back.oobUrl, reply.oobUrl);
    QCOMPARE(back.oobDescription, reply.oobDescription);
    QVERIFY(back.markable);
    QVERIFY(back.truncated);
}

void tst_MessageActions::ourArchivedEncryptedCorrectionIsNoUnreadableMessage()
{
    const ChatMessage original = stored(message(1, Out));
    auto fix = action(MessageAction::Kind::Correction, Out, original.id, 2, QStringLiteral("c1"));
    fix.body = QStringLiteral("fixed");
    QCOMPARE(apply({fix}).size(), 1);

    // The archive returns the correction as we sent it, unreadable here and not recognisably a correction.
    auto archived = [](const QString &id, int minute, ChatMessage::Direction direction) {
        ChatMessage copy = message(minute, direction);
        copy.id = id;
        copy.originId = id;
        copy.body.clear();
        copy.cryptoError = QStringLiteral("undecryptable");
        copy.encryption = ChatMessage::Encryption::Omemo2;
        return copy;
    };
    const auto result = waitFor(m_store->ingest({archived(QStringLiteral("c1"), 2, Out)}));
    QVERIFY(isOk(result));
    QVERIFY(std::get<QList<ChatMessage>>(result).isEmpty());

    // Unreadable messages that are no action of ours still leave their notice: ours from another device
    // and the peer's with the same id.
    const auto others = waitFor(m_store->ingest(
        {archived(QStringLiteral("other-device"), 3, Out), archived(QStringLiteral("c1"), 4, In)}));
    QVERIFY(isOk(others));
    QCOMPARE(std::get<QList<ChatMessage>>(others).size(), 2);
}

QTEST_GUILESS_MAIN(tst_MessageActions)
#include "tst_messageactions.moc"
