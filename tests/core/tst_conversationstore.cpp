// SPDX-License-Identifier: GPL-3.0-or-later
// The conversation list's store: summaries in activity order with the last message, unread counts,
// drafts and the first unread message.
#include "TestProfile.h"
#include "TestStore.h"
#include "storage/AccountRepository.h"
#include "storage/ConversationRepository.h"
#include "storage/Database.h"
#include "storage/MessageRepository.h"

#include <QSqlQuery>
#include <QTimeZone>

using namespace Natter::Core;
using Natter::Test::TestProfile;
using Natter::Test::waitFor;

namespace {
const QString Alice = QStringLiteral("alice@example.org");
const QString Bob = QStringLiteral("bob@example.org");
const QString Carol = QStringLiteral("carol@example.org");
const QDateTime Base = QDateTime(QDate(2026, 1, 2), QTime(10, 0), QTimeZone::UTC);

ChatMessage message(int n, const QString &peer, ChatMessage::Direction direction)
{
    ChatMessage m;
    m.conversation = {Alice, peer};
    m.direction = direction;
    m.delivery = ChatMessage::Delivery::Acknowledged;
    m.id = QStringLiteral("id-%1-%2").arg(peer).arg(n);
    m.senderFullJid = direction == ChatMessage::Direction::Incoming ? peer + QStringLiteral("/phone")
                                                                    : Alice + QStringLiteral("/desk");
    m.body = QStringLiteral("message number %1").arg(n);
    m.timestamp = Base.addSecs(n);
    return m;
}

ChatMessage incoming(int n, const QString &peer = Bob)
{
    return message(n, peer, ChatMessage::Direction::Incoming);
}

ChatMessage outgoing(int n, const QString &peer = Bob)
{
    return message(n, peer, ChatMessage::Direction::Outgoing);
}
} // namespace

class tst_ConversationStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void summariesAreOrderedByLastActivityWithTheLastMessage();
    void incomingMessagesCountAsUnreadUntilMarkedRead();
    void firstUnreadIsTheOldestUnreadIncomingMessage();
    void nothingIsUnreadAfterMarkRead();
    void draftIsKeptEvenBeforeTheFirstMessage();
    void summariesOfAThousandConversationsAreComplete();

private:
    void ingest(const QList<ChatMessage> &messages);
    QList<ConversationSummary> summaries();

    std::unique_ptr<Natter::Test::TestStore> m_test;
    Database *m_db = nullptr;
    std::unique_ptr<MessageRepository> m_messages;
    std::unique_ptr<ConversationRepository> m_store;
};

void tst_ConversationStore::init()
{
    m_test = std::make_unique<Natter::Test::TestStore>(Alice);
    QVERIFY(m_test->isOpen());
    m_db = &m_test->database();
    m_messages = std::make_unique<MessageRepository>(*m_db);
    m_store = std::make_unique<ConversationRepository>(*m_db);
}

void tst_ConversationStore::cleanup()
{
    m_store.reset();
    m_messages.reset();
    m_db = nullptr;
    m_test.reset();
}

void tst_ConversationStore::ingest(const QList<ChatMessage> &messages)
{
    const auto result = waitFor(m_messages->ingest(messages));
    QVERIFY2(isOk(result), qPrintable(errorOf(result).detail));
}

QList<ConversationSummary> tst_ConversationStore::summaries()
{
    const auto result = waitFor(m_store->conversations(Alice));
    if (!isOk(result))
        qWarning() << "conversations failed:" << errorOf(result).detail;
    return isOk(result) ? std::get<QList<ConversationSummary>>(result) : QList<ConversationSummary>{};
}

void tst_ConversationStore::summariesAreOrderedByLastActivityWithTheLastMessage()
{
    ingest({incoming(1, Bob), incoming(2, Carol), outgoing(3, Bob)});
    auto list = summaries();
    QCOMPARE(list.size(), 2);
    QCOMPARE(list.at(0).key.peer, Bob);
    QCOMPARE(list.at(0).lastBody, QStringLiteral("message number 3"));
    QCOMPARE(list.at(0).lastDirection, ChatMessage::Direction::Outgoing);
    QCOMPARE(list.at(0).lastActivity, Base.addSecs(3));
    QCOMPARE(list.at(1).key.peer, Carol);
    QCOMPARE(list.at(1).lastDirection, ChatMessage::Direction::Incoming);

    ingest({incoming(4, Carol)});
    list = summaries();
    QCOMPARE(list.at(0).key.peer, Carol);
    QCOMPARE(list.at(0).lastBody, QStringLiteral("message number 4"));
}

void tst_ConversationStore::incomingMessagesCountAsUnreadUntilMarkedRead()
{
    ingest({incoming(1), incoming(2)});
    QCOMPARE(summaries().at(0).unread, 2);
    ingest({incoming(3), outgoing(4), incoming(5)}); // our reply from another device: read up to it
    QCOMPARE(summaries().at(0).unread, 1);
    QVERIFY(isOk(waitFor(m_store->markRead({Alice, Bob}))));
    QCOMPARE(summaries().at(0).unread, 0);
    ingest({incoming(6)});
    QCOMPARE(summaries().at(0).unread, 1);
}

void tst_ConversationStore::firstUnreadIsTheOldestUnreadIncomingMessage()
{
    ingest({incoming(1), outgoing(2)});
    QVERIFY(isOk(waitFor(m_store->markRead({Alice, Bob}))));
    ingest({incoming(3), incoming(4), incoming(5)});
    const auto first = waitFor(m_store->firstUnread({Alice, Bob}));
    QVERIFY(isOk(first));
    const auto &found = std::get<std::optional<ChatMessage>>(first);
    QVERIFY(found.has_value());
    QCOMPARE(found->body, QStringLiteral("message number 3"));
    QVERIFY(found->storageId > 0);
}

void tst_ConversationStore::nothingIsUnreadAfterMarkRead()
{
    ingest({incoming(1), incoming(2)});
    QVERIFY(isOk(waitFor(m_store->markRead({Alice, Bob}))));
    const auto first = waitFor(m_store->firstUnread({Alice, Bob}));
    QVERIFY(isOk(first));
    QVERIFY(!std::get<std::optional<ChatMessage>>(first).has_value());
}

void tst_ConversationStore::draftIsKeptEvenBeforeTheFirstMessage()
{
    QVERIFY(isOk(waitFor(m_store->setDraft({Alice, Carol}, QStringLiteral("half a thought")))));
    auto list = summaries();
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.at(0).draft, QStringLiteral("half a thought"));
    QVERIFY(!list.at(0).hasLastMessage);

    ingest({incoming(1, Carol)});
    QVERIFY(isOk(waitFor(m_store->setDraft({Alice, Carol}, QString()))));
    list = summaries();
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.at(0).draft, QString());
    QCOMPARE(list.at(0).lastBody, QStringLiteral("message number 1"));

    QVERIFY(
        !isOk(waitFor(m_store->setDraft({QStringLiteral("nobody@example.org"), Bob}, QStringLiteral("x")))));
}

void tst_ConversationStore::summariesOfAThousandConversationsAreComplete()
{
    // 1,000 conversations with 60 messages each, written directly for speed.
    const bool filled = waitFor(m_db->run([](QSqlDatabase &db) {
        db.transaction();
        QSqlQuery query(db);
        const bool ok =
            query.exec(QStringLiteral("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                                      "WHERE i < 1000) INSERT INTO jids (jid) SELECT 'peer' || i || "
                                      "'@example.org' FROM n")) &&
            query.exec(QStringLiteral("INSERT INTO conversations (account_id, peer_id, last_activity) "
                                      "SELECT (SELECT id FROM accounts), id, id * 1000 FROM jids")) &&
            query.exec(QStringLiteral(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60) "
                "INSERT INTO messages (account_id, conversation_id, direction, sender, time, received_at, "
                "body) SELECT c.account_id, c.id, i % 2, 'x', c.id * 1000 - i, 0, 'text ' || i "
                "FROM conversations c, n"));
        return ok && db.commit();
    }));
    QVERIFY(filled);
    // Its speed at 1,000,000 messages is measured by natter-coldstart-bench (bench/README.md).
    const auto list = summaries();
    QCOMPARE(list.size(), 1000);
    QCOMPARE(list.first().key.peer, QStringLiteral("peer1000@example.org"));
    for (qsizetype i = 0; i < list.size(); ++i) {
        QCOMPARE(list.at(i).lastBody, QStringLiteral("text 1")); // each one's own newest message
        if (i > 0)
            QVERIFY(list.at(i - 1).lastActivity > list.at(i).lastActivity);
    }
}

QTEST_GUILESS_MAIN(tst_ConversationStore)
#include "tst_conversationstore.moc"
