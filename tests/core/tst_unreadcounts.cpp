// SPDX-License-Identifier: GPL-3.0-or-later
// Unread counts as ingest keeps them: news counts, old history fetched later does not, and a reply sent
// from another of our devices means the conversation was read there.
#include "TestProfile.h"
#include "TestStore.h"
#include "storage/AccountRepository.h"
#include "storage/ConversationRepository.h"
#include "storage/Database.h"
#include "storage/MessageRepository.h"

#include <QTimeZone>

using namespace Natter::Core;
using Natter::Test::TestProfile;
using Natter::Test::waitFor;

namespace {
const QString Alice = QStringLiteral("alice@example.org");
const QString Bob = QStringLiteral("bob@example.org");
const QDateTime Base = QDateTime(QDate(2026, 3, 4), QTime(9, 0), QTimeZone::UTC);

ChatMessage message(int minute, ChatMessage::Direction direction)
{
    ChatMessage m;
    m.conversation = {Alice, Bob};
    m.direction = direction;
    m.delivery = ChatMessage::Delivery::Acknowledged;
    m.id = QStringLiteral("m-%1-%2").arg(minute).arg(int(direction));
    m.originId = m.id;
    m.senderFullJid = direction == ChatMessage::Direction::Incoming ? Bob + QStringLiteral("/phone") : Alice;
    m.body = QStringLiteral("at minute %1").arg(minute);
    m.timestamp = Base.addSecs(60 * minute);
    return m;
}

ChatMessage in(int minute)
{
    return message(minute, ChatMessage::Direction::Incoming);
}

ChatMessage out(int minute)
{
    return message(minute, ChatMessage::Direction::Outgoing);
}
} // namespace

class tst_UnreadCounts : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void newIncomingMessagesCount();
    void olderHistoryFetchedLaterDoesNotCount();
    void replyFromAnotherDeviceMeansRead();
    void onlyWhatFollowsTheReplyInOneBatchCounts();

private:
    int ingestThenUnread(const QList<ChatMessage> &messages);

    std::unique_ptr<Natter::Test::TestStore> m_test;
    Database *m_db = nullptr;
    std::unique_ptr<MessageRepository> m_messages;
    std::unique_ptr<ConversationRepository> m_conversations;
};

void tst_UnreadCounts::init()
{
    m_test = std::make_unique<Natter::Test::TestStore>(Alice);
    QVERIFY(m_test->isOpen());
    m_db = &m_test->database();
    m_messages = std::make_unique<MessageRepository>(*m_db);
    m_conversations = std::make_unique<ConversationRepository>(*m_db);
}

void tst_UnreadCounts::cleanup()
{
    m_conversations.reset();
    m_messages.reset();
    m_db = nullptr;
    m_test.reset();
}

int tst_UnreadCounts::ingestThenUnread(const QList<ChatMessage> &messages)
{
    if (!isOk(waitFor(m_messages->ingest(messages))))
        return -1;
    const auto list = waitFor(m_conversations->conversations(Alice));
    if (!isOk(list) || std::get<QList<ConversationSummary>>(list).isEmpty())
        return -1;
    return std::get<QList<ConversationSummary>>(list).first().unread;
}

void tst_UnreadCounts::newIncomingMessagesCount()
{
    QCOMPARE(ingestThenUnread({in(1), in(2)}), 2);
    QCOMPARE(ingestThenUnread({in(3)}), 3);
    QVERIFY(isOk(waitFor(m_conversations->markRead({Alice, Bob}))));
    QCOMPARE(ingestThenUnread({in(4)}), 1);
}

void tst_UnreadCounts::olderHistoryFetchedLaterDoesNotCount()
{
    QCOMPARE(ingestThenUnread({in(50)}), 1);
    QVERIFY(isOk(waitFor(m_conversations->markRead({Alice, Bob}))));
    // Scrolling back brings older messages from the archive: the user is reading them, not news.
    QCOMPARE(ingestThenUnread({in(10), in(11), out(12)}), 0);
    QCOMPARE(ingestThenUnread({in(51)}), 1);
}

void tst_UnreadCounts::replyFromAnotherDeviceMeansRead()
{
    QCOMPARE(ingestThenUnread({in(1), in(2)}), 2);
    QCOMPARE(ingestThenUnread({out(3)}), 0); // a carbon of our answer from the phone
    QCOMPARE(ingestThenUnread({in(4)}), 1);
}

void tst_UnreadCounts::onlyWhatFollowsTheReplyInOneBatchCounts()
{
    // A catch-up page: bob wrote, we answered from the phone, bob wrote again.
    QCOMPARE(ingestThenUnread({in(1), in(2), out(3), in(4), in(5)}), 2);
}

QTEST_GUILESS_MAIN(tst_UnreadCounts)
#include "tst_unreadcounts.moc"
