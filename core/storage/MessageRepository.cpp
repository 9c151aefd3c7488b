// SPDX-License-Identifier: GPL-3.0-or-later
#include "MessageRepository.h"

#include "MessageRows.h"

#include <QHash>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimeZone>
#include <cmath>

namespace Natter::Core {

namespace {

using namespace MessageRows;

constexpr qint64 SameMessageWindowMs = 60 * 1000;
constexpr int KindChat = 0;

// A stored copy of a message: its row, and whether it still lacks a stanza-id.
using StoredCopy = std::optional<std::pair<qint64, bool>>;

// Runs a copy look-up (SELECT id, stanza_id IS NULL …) and releases the statement for reuse.
Result<StoredCopy> readCopy(QSqlQuery &query)
{
    if (!query.exec())
        return queryError(query);
    StoredCopy copy;
    if (query.next())
        copy = std::pair(query.value(0).toLongLong(), query.value(1).toBool());
    query.finish();
    return copy;
}

// One ingest transaction: caches ids and prepared statements for the batch.
class IngestBatch
{
public:
    explicit IngestBatch(QSqlDatabase &db)
        : m_db(db)
    {}

    Result<std::optional<ChatMessage>> add(ChatMessage message);
    // Writes the conversations' new activity and unread counts, once per conversation of the batch.
    Result<Success> finish();

private:
    // Each statement is prepared once per batch and reused for every message.
    QSqlQuery &statement(QSqlQuery &query, const QString &sql);

    Result<qint64> accountId(const QString &jid);
    Result<qint64> jidId(const QString &jid);
    Result<qint64> conversationId(qint64 account, const QString &peer);
    // The stored copy of message, if any: its row id and whether it lacks a stanza-id.
    Result<std::optional<std::pair<qint64, bool>>> findCopy(qint64 account, qint64 conversation,
                                                            const ChatMessage &message);
    Result<Success> completeStanzaId(qint64 row, const ChatMessage &message);

    QSqlDatabase &m_db;
    QHash<QString, qint64> m_accounts;
    QHash<QString, qint64> m_jids;
    QHash<QPair<qint64, QString>, qint64> m_conversations;
    struct Activity
    {
        qint64 lastTime = 0;
        int unread = 0;
    };
    QHash<qint64, Activity> m_activity;
    QSqlQuery m_byStanzaId{m_db};
    QSqlQuery m_byOriginId{m_db};
    QSqlQuery m_byMessageId{m_db};
    QSqlQuery m_insert{m_db};
};

QSqlQuery &IngestBatch::statement(QSqlQuery &query, const QString &sql)
{
    if (query.lastQuery() != sql)
        query.prepare(sql);
    return query;
}

Result<Success> IngestBatch::finish()
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("UPDATE conversations SET last_activity = MAX(last_activity, ?), "
                                 "unread_count = unread_count + ? WHERE id = ?"));
    for (auto it = m_activity.cbegin(); it != m_activity.cend(); ++it) {
        query.addBindValue(it->lastTime);
        query.addBindValue(it->unread);
        query.addBindValue(it.key());
        if (!query.exec())
            return queryError(query);
    }
    return Success{};
}

Result<qint64> IngestBatch::accountId(const QString &jid)
{
    if (const auto it = m_accounts.constFind(jid); it != m_accounts.cend())
        return *it;
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT id FROM accounts WHERE jid = ?"));
    query.addBindValue(jid);
    if (!query.exec())
        return queryError(query);
    if (!query.next())
        return Error(Error::Code::AccountNotFound, jid);
    return m_accounts[jid] = query.value(0).toLongLong();
}

Result<qint64> IngestBatch::jidId(const QString &jid)
{
    if (const auto it = m_jids.constFind(jid); it != m_jids.cend())
        return *it;
    QSqlQuery query(m_db);
    query.prepare(
        QStringLiteral("INSERT INTO jids (jid) VALUES (?) ON CONFLICT (jid) DO UPDATE SET jid = jid "
                       "RETURNING id"));
    query.addBindValue(jid);
    if (!query.exec() || !query.next())
        return queryError(query);
    return m_jids[jid] = query.value(0).toLongLong();
}

Result<qint64> IngestBatch::conversationId(qint64 account, const QString &peer)
{
    const auto key = qMakePair(account, peer);
    if (const auto it = m_conversations.constFind(key); it != m_conversations.cend())
        return *it;
    const auto peerId = jidId(peer);
    if (!isOk(peerId))
        return errorOf(peerId);
    QSqlQuery query(m_db);
    query.prepare(
        QStringLiteral("INSERT INTO conversations (account_id, peer_id, kind) VALUES (?, ?, ?) "
                       "ON CONFLICT (account_id, peer_id, kind) DO UPDATE SET kind = kind RETURNING id"));
    query.addBindValue(account);
    query.addBindValue(std::get<qint64>(peerId));
    query.addBindValue(KindChat);
    if (!query.exec() || !query.next())
        return queryError(query);
    return m_conversations[key] = query.value(0).toLongLong();
}

Result<std::optional<std::pair<qint64, bool>>> IngestBatch::findCopy(qint64 account, qint64 conversation,
                                                                     const ChatMessage &message)
{
    const int direction = message.direction == ChatMessage::Direction::Outgoing ? 1 : 0;
    if (!message.stanzaId.isEmpty() && !message.stanzaIdBy.isEmpty()) {
        const auto archive = jidId(message.stanzaIdBy);
        if (!isOk(archive))
            return errorOf(archive);
        QSqlQuery &query =
            statement(m_byStanzaId, QStringLiteral("SELECT id, stanza_id IS NULL FROM messages WHERE "
                                                   "account_id = ? AND archive_id = ? AND stanza_id = ?"));
        query.addBindValue(account);
        query.addBindValue(std::get<qint64>(archive));
        query.addBindValue(message.stanzaId);
        auto copy = readCopy(query);
        if (!isOk(copy) || std::get<StoredCopy>(copy))
            return copy;
    }
    if (!message.originId.isEmpty()) {
        QSqlQuery &query = statement(
            m_byOriginId, QStringLiteral("SELECT id, stanza_id IS NULL FROM messages "
                                         "WHERE conversation_id = ? AND origin_id = ? AND direction = ?"));
        query.addBindValue(conversation);
        query.addBindValue(message.originId);
        query.addBindValue(direction);
        auto copy = readCopy(query);
        if (!isOk(copy) || std::get<StoredCopy>(copy))
            return copy;
    }
    if (!message.id.isEmpty()) {
        QSqlQuery &query = statement(
            m_byMessageId,
            QStringLiteral("SELECT id, stanza_id IS NULL FROM messages WHERE conversation_id = ? AND "
                           "message_id = ? AND sender = ? AND direction = ? AND time BETWEEN ? AND ?"));
        const qint64 time = sortTime(message);
        query.addBindValue(conversation);
        query.addBindValue(message.id);
        query.addBindValue(message.senderFullJid);
        query.addBindValue(direction);
        query.addBindValue(time - SameMessageWindowMs);
        query.addBindValue(time + SameMessageWindowMs);
        auto copy = readCopy(query);
        if (!isOk(copy) || std::get<StoredCopy>(copy))
            return copy;
    }
    return StoredCopy();
}

Result<Success> IngestBatch::completeStanzaId(qint64 row, const ChatMessage &message)
{
    const auto archive = jidId(message.stanzaIdBy);
    if (!isOk(archive))
        return errorOf(archive);
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral(
        "UPDATE messages SET stanza_id = ?, archive_id = ?, server_at = COALESCE(?, server_at) "
        "WHERE id = ?"));
    query.addBindValue(message.stanzaId);
    query.addBindValue(std::get<qint64>(archive));
    query.addBindValue(nullableTime(message.serverTime));
    query.addBindValue(row);
    if (!query.exec())
        return queryError(query);
    return Success{};
}

Result<std::optional<ChatMessage>> IngestBatch::add(ChatMessage message)
{
    const auto account = accountId(message.conversation.account);
    if (!isOk(account))
        return errorOf(account);
    const auto conversation = conversationId(std::get<qint64>(account), message.conversation.peer);
    if (!isOk(conversation))
        return errorOf(conversation);
    const qint64 accountRow = std::get<qint64>(account);
    const qint64 conversationRow = std::get<qint64>(conversation);

    const auto copy = findCopy(accountRow, conversationRow, message);
    if (!isOk(copy))
        return errorOf(copy);
    if (const auto &found = std::get<std::optional<std::pair<qint64, bool>>>(copy)) {
        const bool learnsStanzaId =
            found->second && !message.stanzaId.isEmpty() && !message.stanzaIdBy.isEmpty();
        if (learnsStanzaId) {
            if (const auto completed = completeStanzaId(found->first, message); !isOk(completed))
                return errorOf(completed);
        }
        return std::optional<ChatMessage>();
    }

    std::optional<qint64> archive;
    if (!message.stanzaId.isEmpty() && !message.stanzaIdBy.isEmpty()) {
        const auto archiveId = jidId(message.stanzaIdBy);
        if (!isOk(archiveId))
            return errorOf(archiveId);
        archive = std::get<qint64>(archiveId);
    }
    const qint64 time = sortTime(message);
    const bool outgoing = message.direction == ChatMessage::Direction::Outgoing;
    QSqlQuery &query = statement(
        m_insert, QStringLiteral("INSERT INTO messages (account_id, conversation_id, direction, sender, "
                                 "time, sent_at, received_at, server_at, "
                                 "body, stanza_id, archive_id, origin_id, message_id, delivery) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
    query.addBindValue(accountRow);
    query.addBindValue(conversationRow);
    query.addBindValue(outgoing ? 1 : 0);
    query.addBindValue(message.senderFullJid);
    query.addBindValue(time);
    query.addBindValue(nullableTime(message.timestamp));
    query.addBindValue(QDateTime::currentMSecsSinceEpoch());
    query.addBindValue(nullableTime(message.serverTime));
    query.addBindValue(message.body);
    query.addBindValue(archive ? QVariant(message.stanzaId) : QVariant(QMetaType::fromType<QString>()));
    query.addBindValue(archive ? QVariant(*archive) : QVariant(QMetaType::fromType<qint64>()));
    query.addBindValue(nullable(message.originId));
    query.addBindValue(nullable(message.id));
    query.addBindValue(int(message.delivery));
    if (!query.exec() || !query.next())
        return queryError(query);
    message.storageId = query.value(0).toLongLong();
    query.finish();

    Activity &activity = m_activity[conversationRow];
    activity.lastTime = std::max(activity.lastTime, time);
    activity.unread += outgoing ? 0 : 1;
    return std::optional(message);
}

// FTS5 query text: every word must match, the last one as a prefix (results as you type).
QString ftsQuery(const QString &text)
{
    QStringList terms;
    const QStringList words = text.simplified().split(u' ', Qt::SkipEmptyParts);
    for (const QString &word : words) {
        QString quoted = word;
        quoted.replace(u'"', QLatin1String("\"\""));
        terms.append(u'"' + quoted + u'"');
    }
    if (!terms.isEmpty())
        terms.last().append(u'*');
    return terms.join(u' ');
}

} // namespace

MessageRepository::MessageRepository(Database &db)
    : m_db(db)
{}

MessageRepository::Cursor MessageRepository::cursorOf(const ChatMessage &message)
{
    return {sortTime(message), message.storageId};
}

QFuture<Result<QList<ChatMessage>>> MessageRepository::ingest(QList<ChatMessage> messages)
{
    return m_db.run([messages = std::move(messages)](QSqlDatabase &db) -> Result<QList<ChatMessage>> {
        if (!db.transaction())
            return Error(Error::Code::DatabaseFailed, db.lastError().text());
        IngestBatch batch(db);
        QList<ChatMessage> added;
        for (const ChatMessage &message : messages) {
            auto result = batch.add(message);
            if (!isOk(result)) {
                db.rollback();
                return errorOf(result);
            }
            if (auto &stored = std::get<std::optional<ChatMessage>>(result))
                added.append(std::move(*stored));
        }
        if (const auto finished = batch.finish(); !isOk(finished)) {
            db.rollback();
            return errorOf(finished);
        }
        if (!db.commit()) {
            const Error error(Error::Code::DatabaseFailed, db.lastError().text());
            db.rollback();
            return error;
        }
        return added;
    });
}

namespace {

// One page of a conversation's timeline next to cursor: older (newest first) or newer (oldest first).
Result<QList<ChatMessage>> timelinePage(QSqlDatabase &db, const ConversationKey &conversation,
                                        std::optional<MessageRepository::Cursor> cursor, int limit,
                                        bool older)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    QString sql =
        QStringLiteral("SELECT ") + Columns + Joins +
        QStringLiteral("WHERE m.conversation_id = (SELECT c2.id FROM conversations c2 "
                       "JOIN accounts a2 ON a2.id = c2.account_id JOIN jids p2 ON p2.id = c2.peer_id "
                       "WHERE a2.jid = ? AND p2.jid = ? AND c2.kind = 0) ");
    if (cursor)
        sql += older ? QStringLiteral("AND (m.time, m.id) < (?, ?) ")
                     : QStringLiteral("AND (m.time, m.id) > (?, ?) ");
    sql += older ? QStringLiteral("ORDER BY m.time DESC, m.id DESC LIMIT ?")
                 : QStringLiteral("ORDER BY m.time, m.id LIMIT ?");
    query.prepare(sql);
    query.addBindValue(conversation.account);
    query.addBindValue(conversation.peer);
    if (cursor) {
        query.addBindValue(cursor->timeMs);
        query.addBindValue(cursor->storageId);
    }
    query.addBindValue(limit);
    return readAll(query);
}

} // namespace

QFuture<Result<QList<ChatMessage>>> MessageRepository::before(const ConversationKey &conversation,
                                                              std::optional<Cursor> cursor, int limit)
{
    return m_db.run([conversation, cursor, limit](QSqlDatabase &db) {
        return timelinePage(db, conversation, cursor, limit, true);
    });
}

QFuture<Result<QList<ChatMessage>>> MessageRepository::after(const ConversationKey &conversation,
                                                             std::optional<Cursor> cursor, int limit)
{
    return m_db.run([conversation, cursor, limit](QSqlDatabase &db) {
        return timelinePage(db, conversation, cursor, limit, false);
    });
}

QFuture<Result<QList<ChatMessage>>>
MessageRepository::search(const QString &text, std::optional<ConversationKey> conversation, int limit)
{
    return m_db.run(
        [match = ftsQuery(text), conversation, limit](QSqlDatabase &db) -> Result<QList<ChatMessage>> {
            if (match.isEmpty())
                return QList<ChatMessage>();
            QSqlQuery query(db);
            query.setForwardOnly(true);
            QString sql =
                QStringLiteral("SELECT ") + Columns + Joins +
                QStringLiteral("WHERE m.id IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?) ");
            if (conversation)
                sql += QStringLiteral("AND a.jid = ? AND p.jid = ? ");
            sql += QStringLiteral("ORDER BY m.time DESC, m.id DESC LIMIT ?");
            query.prepare(sql);
            query.addBindValue(match);
            if (conversation) {
                query.addBindValue(conversation->account);
                query.addBindValue(conversation->peer);
            }
            query.addBindValue(limit);
            return readAll(query);
        });
}

QFuture<Result<Success>> MessageRepository::setDelivery(const QString &account, const QString &messageId,
                                                        ChatMessage::Delivery delivery)
{
    return m_db.run([account, messageId, delivery](QSqlDatabase &db) -> Result<Success> {
        QSqlQuery query(db);
        query.prepare(
            QStringLiteral("UPDATE messages SET delivery = ? WHERE direction = 1 AND message_id = ? AND "
                           "account_id = (SELECT id FROM accounts WHERE jid = ?)"));
        query.addBindValue(int(delivery));
        query.addBindValue(messageId);
        query.addBindValue(account);
        if (!query.exec())
            return queryError(query);
        return Success{};
    });
}

QFuture<Result<QList<ChatMessage>>> MessageRepository::pending(const QString &account)
{
    return m_db.run([account](QSqlDatabase &db) -> Result<QList<ChatMessage>> {
        QSqlQuery query(db);
        query.setForwardOnly(true);
        query.prepare(QStringLiteral("SELECT ") + Columns + Joins +
                      QStringLiteral("WHERE a.jid = ? AND m.direction = 1 AND m.delivery < 2 ORDER BY m.id"));
        query.addBindValue(account);
        return readAll(query);
    });
}

} // namespace Natter::Core
