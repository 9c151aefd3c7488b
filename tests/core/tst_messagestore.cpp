// SPDX-License-Identifier: GPL-3.0-or-later
// The message store: one copy of each message whatever way it arrives, cursor paging, search, pending.
#include "TestProfile.h"
#include "TestStore.h"
#include "storage/AccountRepository.h"
#include "storage/Database.h"
#include "storage/MessageRepository.h"
#include "storage/Migrations.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTimeZone>
#include <algorithm>
#include <functional>

using namespace Natter::Core;
using Natter::Test::TestProfile;
using Natter::Test::waitFor;

namespace {
const QString Alice = QStringLiteral("alice@example.org");
const QString Bob = QStringLiteral("bob@example.org");
const QDateTime Base = QDateTime(QDate(2026, 1, 2), QTime(10, 0), QTimeZone::UTC);

// A database file as an older build left it: the first `version` schema steps, then statements.
Result<Success> makeOldDatabase(const QString &file, int version, const QStringList &statements,
                                const std::function<Result<Success>(QSqlDatabase &)> &more = {})
{
    Database db(file);
    return waitFor(db.run([&](QSqlDatabase &sql) -> Result<Success> {
        if (!sql.open())
            return Error(Error::Code::DatabaseFailed);
        if (const auto migrated = Migrations::applyUpTo(sql, file, version); !isOk(migrated))
            return migrated;
        QSqlQuery query(sql);
        for (const QString &statement : statements) {
            if (!query.exec(statement))
                return Error(Error::Code::DatabaseFailed, query.lastError().text());
        }
        return more ? more(sql) : Result<Success>(Success{});
    }));
}

const QStringList OneConversation = {
    QStringLiteral("INSERT INTO accounts (id, jid, resource, password_storage, created_at) "
                   "VALUES (1, 'alice@example.org', 'r', 0, 0)"),
    QStringLiteral("INSERT INTO jids (id, jid) VALUES (1, 'bob@example.org')"),
    QStringLiteral("INSERT INTO conversations (id, account_id, peer_id) VALUES (1, 1, 1)"),
};

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
    void copiesWithinOneBatchAreStoredOnceAndCompleteTheFirst();
    void copyOfAStoredMessageCompletesItOnlyOnceInABatch();
    void batchWithOneCopyKnownOnlyByOriginIdStoresTheRest();
    void searchFindsIngestedAndUpdatedBodiesButNotDeletedRows();
    void searchGivesExactlyTheNewestMatchesWhenHistoryArrivesOutOfOrder();
    void searchInOneConversationGivesExactlyItsNewestMatches();
    void schemaFromEveryOldVersionEqualsAFreshOne();
    void messagesStoredBeforeSchema3AreFoundAfterTheUpgrade();
    void transferRecordsKeepTheirKindAndCallRecordsFitAfterSchema11();

private:
    QList<ChatMessage> ingest(const QList<ChatMessage> &messages);
    int rowCount(const QString &table);
    QList<ChatMessage> search(const QString &text, std::optional<ConversationKey> conversation, int limit);
    void execute(const QString &sql);

    std::unique_ptr<Natter::Test::TestStore> m_test;
    Database *m_db = nullptr;
    std::unique_ptr<MessageRepository> m_store;
};

void tst_MessageStore::init()
{
    m_test = std::make_unique<Natter::Test::TestStore>(Alice);
    QVERIFY(m_test->isOpen());
    m_db = &m_test->database();
    m_store = std::make_unique<MessageRepository>(*m_db);
}

void tst_MessageStore::cleanup()
{
    m_store.reset();
    m_db = nullptr;
    m_test.reset();
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

QList<ChatMessage> tst_MessageStore::search(const QString &text, std::optional<ConversationKey> conversation,
                                            int limit)
{
    const auto result = waitFor(m_store->search(text, conversation, limit));
    if (!isOk(result))
        qWarning() << "search failed:" << errorOf(result).detail;
    return isOk(result) ? std::get<QList<ChatMessage>>(result) : QList<ChatMessage>{};
}

void tst_MessageStore::execute(const QString &sql)
{
    const bool ok = waitFor(m_db->run([sql](QSqlDatabase &db) { return QSqlQuery(db).exec(sql); }));
    QVERIFY2(ok, qPrintable(sql));
}

namespace {
QList<qint64> storageIds(const QList<ChatMessage> &messages)
{
    QList<qint64> ids;
    for (const ChatMessage &message : messages)
        ids.append(message.storageId);
    return ids;
}

// The newest limit of messages by (time, storageId), as search must return them.
QList<qint64> newestIds(QList<ChatMessage> messages, int limit)
{
    std::sort(messages.begin(), messages.end(), [](const ChatMessage &a, const ChatMessage &b) {
        const auto ca = MessageRepository::cursorOf(a);
        const auto cb = MessageRepository::cursorOf(b);
        return ca.timeMs > cb.timeMs || (ca.timeMs == cb.timeMs && ca.storageId > cb.storageId);
    });
    return storageIds(messages.mid(0, limit));
}

// History that arrives out of order over several batches (live messages first, then older pages, then a
// page from the middle), spread over three conversations, some with equal timestamps: row ids do not follow
// time. Every body has "common"; every seventh has "sometimes".
QList<QList<ChatMessage>> shuffledHistory(int count)
{
    const QStringList peers = {Bob, QStringLiteral("carol@example.org"), QStringLiteral("dave@example.org")};
    QList<ChatMessage> all;
    for (int n = 0; n < count; ++n) {
        ChatMessage message = incoming(n, peers[n % 3]);
        message.timestamp = Base.addSecs(n - n % 2); // pairs share a timestamp
        message.body = QStringLiteral("common words %1").arg(n) +
                       (n % 7 == 0 ? QStringLiteral(" sometimes") : QString());
        all.append(message);
    }
    const int quarter = count / 4;
    return {all.mid(3 * quarter), all.mid(0, quarter), all.mid(2 * quarter, quarter),
            all.mid(quarter, quarter)};
}
} // namespace

void tst_MessageStore::copiesWithinOneBatchAreStoredOnceAndCompleteTheFirst()
{
    const ChatMessage live = incoming(1);
    ChatMessage carbon = live;
    carbon.timestamp = live.timestamp.addMSecs(150);
    const ChatMessage archived = withStanzaId(live, QStringLiteral("archive-1"));
    ChatMessage sameIdOnly = withStanzaId(incoming(1), QStringLiteral("archive-1"));
    sameIdOnly.originId.clear();
    sameIdOnly.timestamp = live.timestamp.addSecs(20);
    const auto stored = ingest({live, carbon, archived, sameIdOnly, incoming(2)});
    QCOMPARE(stored.size(), 2);
    QCOMPARE(stored.first().body, live.body);
    QVERIFY(stored.first().stanzaId.isEmpty()); // returned as it came
    QCOMPARE(rowCount(QStringLiteral("messages")), 2);
    const auto page = std::get<QList<ChatMessage>>(waitFor(m_store->before({Alice, Bob}, std::nullopt, 10)));
    QCOMPARE(page.size(), 2);
    QCOMPARE(page.last().stanzaId, QStringLiteral("archive-1")); // completed by the archive copy
    // The completed stanza-id is what a later copy without any other id is recognised by.
    ChatMessage bare = archived;
    bare.originId.clear();
    bare.id.clear();
    QCOMPARE(ingest({bare}).size(), 0);
}

void tst_MessageStore::copyOfAStoredMessageCompletesItOnlyOnceInABatch()
{
    QCOMPARE(ingest({incoming(1)}).size(), 1);
    const ChatMessage first = withStanzaId(incoming(1), QStringLiteral("archive-1"));
    const ChatMessage second = withStanzaId(incoming(1), QStringLiteral("archive-2")); // a bogus second id
    ChatMessage bare = first;
    bare.originId.clear();
    bare.id.clear();
    QCOMPARE(ingest({first, second, bare}).size(), 0);
    const auto page = std::get<QList<ChatMessage>>(waitFor(m_store->before({Alice, Bob}, std::nullopt, 10)));
    QCOMPARE(page.size(), 1);
    QCOMPARE(page.first().stanzaId, QStringLiteral("archive-1"));
    QCOMPARE(rowCount(QStringLiteral("messages")), 1);
}

void tst_MessageStore::batchWithOneCopyKnownOnlyByOriginIdStoresTheRest()
{
    QCOMPARE(ingest({incoming(1)}).size(), 1);
    // The archive's copy carries another stanza id attribute: only its origin-id tells it is the same.
    ChatMessage copy = withStanzaId(incoming(1), QStringLiteral("archive-1"));
    copy.id = QStringLiteral("rewritten-by-the-server");
    const auto stored = ingest({incoming(2), copy, incoming(3)});
    QCOMPARE(stored.size(), 2);
    QCOMPARE(stored[0].body, incoming(2).body);
    QCOMPARE(stored[1].body, incoming(3).body);
    QCOMPARE(stored[1].storageId, stored[0].storageId + 1);
    const auto page = std::get<QList<ChatMessage>>(waitFor(m_store->before({Alice, Bob}, std::nullopt, 10)));
    QCOMPARE(page.size(), 3);
    QCOMPARE(page.last().stanzaId, QStringLiteral("archive-1"));
    QCOMPARE(storageIds(page.mid(0, 2)), (QList<qint64>{stored[1].storageId, stored[0].storageId}));
}

void tst_MessageStore::searchFindsIngestedAndUpdatedBodiesButNotDeletedRows()
{
    ChatMessage kept = incoming(1);
    kept.body = QStringLiteral("gooseberry pie");
    ChatMessage edited = incoming(2);
    edited.body = QStringLiteral("gooseberry jam");
    ChatMessage removed = incoming(3);
    removed.body = QStringLiteral("gooseberry fool");
    const auto stored = ingest({kept, edited, removed});
    QCOMPARE(stored.size(), 3);
    QCOMPARE(search(QStringLiteral("gooseberry"), std::nullopt, 50).size(), 3);

    execute(QStringLiteral("UPDATE messages SET body = 'quince jam' WHERE id = %1").arg(stored[1].storageId));
    execute(QStringLiteral("DELETE FROM messages WHERE id = %1").arg(stored[2].storageId));
    QCOMPARE(storageIds(search(QStringLiteral("gooseberry"), std::nullopt, 50)),
             QList<qint64>{stored[0].storageId});
    QCOMPARE(storageIds(search(QStringLiteral("quince"), std::nullopt, 50)),
             QList<qint64>{stored[1].storageId});
    QVERIFY(search(QStringLiteral("fool"), std::nullopt, 50).isEmpty());

    // Messages ingested after the changes are indexed too.
    ChatMessage later = incoming(4);
    later.body = QStringLiteral("gooseberry crumble");
    const auto more = ingest({later});
    QCOMPARE(more.size(), 1);
    QCOMPARE(storageIds(search(QStringLiteral("goose"), std::nullopt, 50)),
             (QList<qint64>{more[0].storageId, stored[0].storageId}));
}

void tst_MessageStore::searchGivesExactlyTheNewestMatchesWhenHistoryArrivesOutOfOrder()
{
    QList<ChatMessage> stored;
    for (const auto &batch : shuffledHistory(3000)) // more than two blocks of 1,024 row ids
        stored += ingest(batch);
    QCOMPARE(stored.size(), 3000);
    QList<ChatMessage> sometimes;
    for (const ChatMessage &message : std::as_const(stored)) {
        if (message.body.endsWith(QLatin1String("sometimes")))
            sometimes.append(message);
    }
    for (const int limit : {1, 50, 200}) {
        QCOMPARE(storageIds(search(QStringLiteral("common"), std::nullopt, limit)), newestIds(stored, limit));
        QCOMPARE(storageIds(search(QStringLiteral("some"), std::nullopt, limit)),
                 newestIds(sometimes, limit));
    }
    QCOMPARE(search(QStringLiteral("common"), std::nullopt, -1).size(), 3000); // no limit
    QVERIFY(search(QStringLiteral("absent"), std::nullopt, 50).isEmpty());

    // Deleting the newest matches leaves the next ones, still in order.
    const QList<qint64> newest = newestIds(stored, 10);
    for (const qint64 id : newest)
        execute(QStringLiteral("DELETE FROM messages WHERE id = %1").arg(id));
    QList<ChatMessage> rest;
    for (const ChatMessage &message : std::as_const(stored)) {
        if (!newest.contains(message.storageId))
            rest.append(message);
    }
    QCOMPARE(storageIds(search(QStringLiteral("common"), std::nullopt, 50)), newestIds(rest, 50));
}

void tst_MessageStore::searchInOneConversationGivesExactlyItsNewestMatches()
{
    QList<ChatMessage> stored;
    for (const auto &batch : shuffledHistory(3000))
        stored += ingest(batch);
    QList<ChatMessage> carols;
    for (const ChatMessage &message : std::as_const(stored)) {
        if (message.conversation.peer == u"carol@example.org" &&
            message.body.endsWith(QLatin1String("sometimes")))
            carols.append(message);
    }
    const ConversationKey carol{Alice, QStringLiteral("carol@example.org")};
    QCOMPARE(storageIds(search(QStringLiteral("sometimes"), carol, 50)), newestIds(carols, 50));
    QVERIFY(search(QStringLiteral("common"), ConversationKey{Alice, QStringLiteral("nobody@example.org")}, 50)
                .isEmpty());
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

void tst_MessageStore::messagesStoredBeforeSchema3AreFoundAfterTheUpgrade()
{
    TestProfile profile;
    const QString file = profile.path() + QStringLiteral("/natter.sqlite");
    // Schema 2 as an older build left it, with rows its insert trigger indexed.
    const auto filled = makeOldDatabase(file, 2, OneConversation, [](QSqlDatabase &sql) -> Result<Success> {
        QSqlQuery query(sql);
        // Ids that do not follow time, across two blocks.
        sql.transaction();
        for (int n = 0; n < 1500; ++n) {
            query.prepare(QStringLiteral(
                "INSERT INTO messages (id, account_id, conversation_id, direction, sender, time, "
                "received_at, body) VALUES (?, 1, 1, 0, 'bob@example.org/phone', ?, 0, ?)"));
            query.addBindValue(n + 1);
            query.addBindValue(Base.addSecs((n * 7919) % 1500).toMSecsSinceEpoch());
            query.addBindValue(QStringLiteral("old history %1").arg(n));
            if (!query.exec())
                return Error(Error::Code::DatabaseFailed, query.lastError().text());
        }
        sql.commit();
        return Success{};
    });
    QVERIFY2(isOk(filled), qPrintable(errorOf(filled).detail));
    Database db(file);
    QVERIFY(isOk(waitFor(db.open())));
    MessageRepository store(db);
    const auto hits =
        std::get<QList<ChatMessage>>(waitFor(store.search(QStringLiteral("hist"), std::nullopt, 3)));
    QCOMPARE(hits.size(), 3);
    // The newest: time Base + 1499 s, 1498 s, 1497 s (n * 7919 mod 1500 is a permutation).
    QCOMPARE(hits[0].timestamp, Base.addSecs(1499));
    QCOMPARE(hits[1].timestamp, Base.addSecs(1498));
    QCOMPARE(hits[2].timestamp, Base.addSecs(1497));
}

void tst_MessageStore::transferRecordsKeepTheirKindAndCallRecordsFitAfterSchema11()
{
    TestProfile profile;
    const QString file = profile.path() + QStringLiteral("/natter.sqlite");
    // Schema 10 as the previous build left it: a message and a direct transfer's record.
    const auto filled = makeOldDatabase(
        file, 10,
        OneConversation +
            QStringList{
                QStringLiteral(
                    "INSERT INTO messages (id, account_id, conversation_id, direction, sender, time, "
                    "received_at, body, kind) VALUES (1, 1, 1, 0, 'bob@example.org/a', 1000, 0, "
                    "'hello', 0)"),
                QStringLiteral(
                    "INSERT INTO messages (id, account_id, conversation_id, direction, sender, time, "
                    "received_at, body, kind) VALUES (2, 1, 1, 0, 'bob@example.org/a', 2000, 0, "
                    "'file:///tmp/x', 1)"),
            });
    QVERIFY2(isOk(filled), qPrintable(errorOf(filled).detail));
    Database db(file);
    QVERIFY(isOk(waitFor(db.open())));
    MessageRepository store(db);
    const ConversationKey conversation{QStringLiteral("alice@example.org"),
                                       QStringLiteral("bob@example.org")};
    ChatMessage call;
    call.kind = ChatMessage::Kind::Call;
    call.conversation = conversation;
    call.direction = ChatMessage::Direction::Incoming;
    call.delivery = ChatMessage::Delivery::Sent;
    call.id = QStringLiteral("call-1");
    call.senderFullJid = QStringLiteral("bob@example.org/a");
    call.timestamp = QDateTime::fromMSecsSinceEpoch(3000, QTimeZone::UTC);
    call.body = QStringLiteral("call:video missed 0");
    const auto stored = waitFor(store.ingest({call}));
    QVERIFY2(isOk(stored), qPrintable(errorOf(stored).detail));
    const auto page = waitFor(store.before(conversation, std::nullopt, 10));
    QVERIFY(isOk(page));
    const auto &rows = std::get<QList<ChatMessage>>(page);
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows[0].kind, ChatMessage::Kind::Call);
    QCOMPARE(rows[0].body, u"call:video missed 0");
    QCOMPARE(rows[1].kind, ChatMessage::Kind::DirectTransfer);
    QCOMPARE(rows[2].kind, ChatMessage::Kind::Message);
}

QTEST_GUILESS_MAIN(tst_MessageStore)
#include "tst_messagestore.moc"
