// SPDX-License-Identifier: GPL-3.0-or-later
// The message store: one copy of each message whatever way it arrives, cursor paging, search, pending.
#include "TestProfile.h"
#include "storage/AccountRepository.h"
#include "storage/Database.h"
#include "storage/MessageRepository.h"
#include "storage/Migrations.h"

#include <QSqlQuery>
#include <QTimeZone>

using namespace Natter::Core;
using Natter::Test::TestProfile;
using Natter::Test::waitFor;

namespace {
const QString Alice = QStringLiteral("alice@example.org");
const QString Bob = QStringLiteral("bob@example.org");
const QDateTime Base = QDateTime(QDate(2026, 1, 2), QTime(10, 0), QTimeZone::UTC);

ChatMessage incoming(int n, const QString &peer = Bob)
{
    ChatMessage message;
    message.conversation = {Alice, peer};
    message.direction = ChatMessage::Direction::Incoming;
    message.delivery = ChatMessage::Delivery::Acknowledged;
    message.id = QStringLiteral("id-%1").arg(n);
    message.originId = QStringLiteral("origin-%1").arg(n);
    message.senderFullJid = peer + QStringLiteral("/phone");
    message.body = QStringLiteral("message number %1").arg(n);
    message.timestamp = Base.addSecs(n);
    return message;
}

ChatMessage withStanzaId(ChatMessage message, const QString &stanzaId)
{
    message.stanzaId = stanzaId;
    message.stanzaIdBy = Alice;
    message.serverTime = message.timestamp;
    return message;
}
} // namespace

class tst_MessageStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void sameMessageLiveCarbonAndArchiveIsStoredOnce();
    void archiveCopyCompletesTheStanzaIdOfALiveCopy();
    void messageIdSenderAndCloseTimeIdentifyACopyWithoutIds();
    void sameIdsInDifferentConversationsAreDifferentMessages();
    void pagesWalkBackWithoutGapsOrRepeats();
    void pagesWalkForwardFromAMessageInContext();
    void searchFindsWordsAndPrefixesNewestFirst();
    void searchIsLimitedToOneConversationOnRequest();
    void pendingOutgoingMessagesAreListedUntilAcknowledged();
    void unknownAccountIsRefusedAndNothingIsStored();
    void schemaFromEveryOldVersionEqualsAFreshOne();

private:
    QList<ChatMessage> ingest(const QList<ChatMessage> &messages);
    int rowCount(const QString &table);

    std::unique_ptr<TestProfile> m_profile;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<MessageRepository> m_store;
};

void tst_MessageStore::init()
{
    m_profile = std::make_unique<TestProfile>();
    m_db = std::make_unique<Database>(m_profile->path() + QStringLiteral("/natter.sqlite"));
    QVERIFY(isOk(waitFor(m_db->open())));
    AccountRepository accounts(*m_db);
    AccountConfig config;
    config.jid = Alice;
    config.resource = QStringLiteral("r");
    QVERIFY(isOk(waitFor(accounts.save(config))));
    m_store = std::make_unique<MessageRepository>(*m_db);
}

void tst_MessageStore::cleanup()
{
    m_store.reset();
    m_db.reset();
    m_profile.reset();
}

QList<ChatMessage> tst_MessageStore::ingest(const QList<ChatMessage> &messages)
{
    const auto result = waitFor(m_store->ingest(messages));
    if (!isOk(result))
        qWarning() << "ingest failed:" << errorOf(result).detail;
    return isOk(result) ? std::get<QList<ChatMessage>>(result) : QList<ChatMessage>{};
}

int tst_MessageStore::rowCount(const QString &table)
{
    return waitFor(m_db->run([table](QSqlDatabase &db) {
        QSqlQuery query(db);
        query.exec(QStringLiteral("SELECT COUNT(*) FROM ") + table);
        query.next();
        return query.value(0).toInt();
    }));
}

void tst_MessageStore::sameMessageLiveCarbonAndArchiveIsStoredOnce()
{
    const ChatMessage live = withStanzaId(incoming(1), QStringLiteral("archive-1"));
    ChatMessage carbon = live;
    carbon.timestamp = live.timestamp.addMSecs(150);
    ChatMessage archived = live;
    archived.serverTime = live.timestamp.addMSecs(20);
    QCOMPARE(ingest({live}).size(), 1);
    QCOMPARE(ingest({carbon}).size(), 0);
    QCOMPARE(ingest({archived, archived}).size(), 0);
    QCOMPARE(rowCount(QStringLiteral("messages")), 1);
    QCOMPARE(rowCount(QStringLiteral("conversations")), 1);
}

void tst_MessageStore::archiveCopyCompletesTheStanzaIdOfALiveCopy()
{
    QCOMPARE(ingest({incoming(1)}).size(), 1); // live, before the server assigned an id we saw
    QCOMPARE(ingest({withStanzaId(incoming(1), QStringLiteral("archive-1"))}).size(), 0);
    // The archive id is now known: a later copy with it alone (no origin-id) is recognised too.
    ChatMessage bare = withStanzaId(incoming(1), QStringLiteral("archive-1"));
    bare.originId.clear();
    bare.id.clear();
    QCOMPARE(ingest({bare}).size(), 0);
    QCOMPARE(rowCount(QStringLiteral("messages")), 1);
}

void tst_MessageStore::messageIdSenderAndCloseTimeIdentifyACopyWithoutIds()
{
    ChatMessage first = incoming(1);
    first.originId.clear();
    ChatMessage again = first;
    again.timestamp = first.timestamp.addSecs(30);
    ChatMessage muchLater = first;
    muchLater.timestamp = first.timestamp.addSecs(3600); // a client reusing ids: a different message
    QCOMPARE(ingest({first}).size(), 1);
    QCOMPARE(ingest({again}).size(), 0);
    QCOMPARE(ingest({muchLater}).size(), 1);
}

void tst_MessageStore::sameIdsInDifferentConversationsAreDifferentMessages()
{
    QCOMPARE(ingest({incoming(1, Bob), incoming(1, QStringLiteral("carol@example.org"))}).size(), 2);
    QCOMPARE(rowCount(QStringLiteral("conversations")), 2);
}

void tst_MessageStore::pagesWalkBackWithoutGapsOrRepeats()
{
    QList<ChatMessage> all;
    for (int n = 0; n < 250; ++n)
        all.append(incoming(n));
    all.append(incoming(0, QStringLiteral("carol@example.org")));
    QCOMPARE(ingest(all).size(), 251);

    QList<int> seen;
    std::optional<MessageRepository::Cursor> cursor;
    for (;;) {
        const auto page = waitFor(m_store->before({Alice, Bob}, cursor, 100));
        QVERIFY(isOk(page));
        const auto messages = std::get<QList<ChatMessage>>(page);
        if (messages.isEmpty())
            break;
        for (const ChatMessage &message : messages)
            seen.append(message.body.section(u' ', 2).toInt());
        cursor = MessageRepository::cursorOf(messages.last());
    }
    QList<int> expected;
    for (int n = 249; n >= 0; --n)
        expected.append(n);
    QCOMPARE(seen, expected);
}

void tst_MessageStore::pagesWalkForwardFromAMessageInContext()
{
    QList<ChatMessage> all;
    for (int n = 0; n < 120; ++n)
        all.append(incoming(n));
    const auto stored = ingest(all);
    QCOMPARE(stored.size(), 120);

    // From message 50 (as a search hit would give it): 51… upwards, then nothing after the newest.
    auto cursor = std::optional(MessageRepository::cursorOf(stored.at(50)));
    QList<int> seen;
    for (;;) {
        const auto page = waitFor(m_store->after({Alice, Bob}, cursor, 30));
        QVERIFY(isOk(page));
        const auto messages = std::get<QList<ChatMessage>>(page);
        if (messages.isEmpty())
            break;
        for (const ChatMessage &message : messages)
            seen.append(message.body.section(u' ', 2).toInt());
        cursor = MessageRepository::cursorOf(messages.last());
    }
    QList<int> expected;
    for (int n = 51; n < 120; ++n)
        expected.append(n);
    QCOMPARE(seen, expected);

    const auto oldest = waitFor(m_store->after({Alice, Bob}, std::nullopt, 2));
    QVERIFY(isOk(oldest));
    QCOMPARE(std::get<QList<ChatMessage>>(oldest).first().body, QStringLiteral("message number 0"));
}

void tst_MessageStore::searchFindsWordsAndPrefixesNewestFirst()
{
    ChatMessage soup = incoming(1);
    soup.body = QStringLiteral("The soup at the new café was great");
    ChatMessage later = incoming(2);
    later.body = QStringLiteral("Soupe du jour again?");
    ChatMessage other = incoming(3);
    other.body = QStringLiteral("Nothing to see here");
    QCOMPARE(ingest({soup, later, other}).size(), 3);

    const auto prefix = waitFor(m_store->search(QStringLiteral("sou"), std::nullopt, 50));
    QVERIFY(isOk(prefix));
    const auto hits = std::get<QList<ChatMessage>>(prefix);
    QCOMPARE(hits.size(), 2);
    QCOMPARE(hits.first().body, later.body);
    const auto accents = std::get<QList<ChatMessage>>(
        waitFor(m_store->search(QStringLiteral("cafe great"), std::nullopt, 50)));
    QCOMPARE(accents.size(), 1);
    QCOMPARE(accents.first().body, soup.body);
    const auto quotes = waitFor(m_store->search(QStringLiteral("\"unbalanced"), std::nullopt, 50));
    QVERIFY(isOk(quotes));
}

void tst_MessageStore::searchIsLimitedToOneConversationOnRequest()
{
    ChatMessage fromBob = incoming(1);
    fromBob.body = QStringLiteral("lunch on thursday");
    ChatMessage fromCarol = incoming(1, QStringLiteral("carol@example.org"));
    fromCarol.body = QStringLiteral("lunch tomorrow");
    ingest({fromBob, fromCarol});
    QCOMPARE(std::get<QList<ChatMessage>>(waitFor(m_store->search(QStringLiteral("lunch"), std::nullopt, 50)))
                 .size(),
             2);
    const auto onlyBob = std::get<QList<ChatMessage>>(
        waitFor(m_store->search(QStringLiteral("lunch"), ConversationKey{Alice, Bob}, 50)));
    QCOMPARE(onlyBob.size(), 1);
    QCOMPARE(onlyBob.first().conversation.peer, Bob);
}

void tst_MessageStore::pendingOutgoingMessagesAreListedUntilAcknowledged()
{
    ChatMessage out;
    out.conversation = {Alice, Bob};
    out.direction = ChatMessage::Direction::Outgoing;
    out.delivery = ChatMessage::Delivery::Pending;
    out.id = QStringLiteral("out-1");
    out.originId = out.id;
    out.senderFullJid = Alice;
    out.body = QStringLiteral("written before the crash");
    out.timestamp = Base;
    QCOMPARE(ingest({out}).size(), 1);
    auto pending = std::get<QList<ChatMessage>>(waitFor(m_store->pending(Alice)));
    QCOMPARE(pending.size(), 1);
    QCOMPARE(pending.first().body, out.body);
    QVERIFY(isOk(waitFor(m_store->setDelivery(Alice, out.id, ChatMessage::Delivery::Acknowledged))));
    QVERIFY(std::get<QList<ChatMessage>>(waitFor(m_store->pending(Alice))).isEmpty());
}

void tst_MessageStore::unknownAccountIsRefusedAndNothingIsStored()
{
    ChatMessage good = incoming(1);
    ChatMessage stranger = incoming(2);
    stranger.conversation.account = QStringLiteral("nobody@example.org");
    const auto result = waitFor(m_store->ingest({good, stranger}));
    QCOMPARE(errorOf(result).code, Error::Code::AccountNotFound);
    QCOMPARE(rowCount(QStringLiteral("messages")), 0); // the whole batch was rolled back
}

void tst_MessageStore::schemaFromEveryOldVersionEqualsAFreshOne()
{
    const auto schemaOf = [](Database &db) {
        return waitFor(db.run([](QSqlDatabase &sql) {
            QSqlQuery query(sql);
            query.exec(
                QStringLiteral("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
                               "ORDER BY type, name"));
            QStringList rows;
            while (query.next())
                rows.append(query.value(0).toString() + u'|' + query.value(1).toString() + u'|' +
                            query.value(2).toString().simplified());
            return rows;
        }));
    };
    const QStringList fresh = schemaOf(*m_db);
    QVERIFY(fresh.size() > 5);
    // Each older version: a database created by the first N steps, then opened by this build.
    for (int version = 1; version < Migrations::latestVersion(); ++version) {
        TestProfile profile;
        const QString file = profile.path() + QStringLiteral("/natter.sqlite");
        {
            Database db(file);
            QVERIFY(isOk(waitFor(db.run([version, file](QSqlDatabase &sql) -> Result<Success> {
                if (!sql.open())
                    return Error(Error::Code::DatabaseFailed);
                return Migrations::applyUpTo(sql, file, version);
            }))));
        }
        Database db(file);
        const auto opened = waitFor(db.open());
        QVERIFY2(isOk(opened), qPrintable(errorOf(opened).detail));
        QCOMPARE(schemaOf(db), fresh);
    }
}

QTEST_GUILESS_MAIN(tst_MessageStore)
#include "tst_messagestore.moc"
