// SPDX-License-Identifier: GPL-3.0-or-later
// The conversation list's view of the store: summaries, unread counts, drafts (database thread).
#include "ConversationRepository.h"

#include "MessageRows.h"

#include <QSqlQuery>
#include <QTimeZone>
#include <algorithm>

namespace Natter::Core {

namespace {

using namespace MessageRows;

// The row id of a conversation, for "WHERE … = (" ConversationIdSql ")" with bindKey() after it.
const QString ConversationIdSql =
    QStringLiteral("SELECT c.id FROM conversations c JOIN accounts a ON a.id = c.account_id "
                   "JOIN jids p ON p.id = c.peer_id WHERE a.jid = ? AND p.jid = ? AND c.kind = ?");

void bindKey(QSqlQuery &query, const ConversationKey &conversation)
{
    query.addBindValue(conversation.account);
    query.addBindValue(conversation.peer);
    query.addBindValue(int(conversation.kind));
}

ConversationSummary summaryFromRow(const QSqlQuery &query, const QString &account)
{
    ConversationSummary summary;
    const auto kind = query.value(1).toInt() == int(ConversationKind::GroupChat) ? ConversationKind::GroupChat
                                                                                 : ConversationKind::Chat;
    summary.key = {account, query.value(0).toString(), kind};
    summary.notifications = RoomNotifications(std::clamp(query.value(10).toInt(), 0, 3));
    summary.lastActivity = QDateTime::fromMSecsSinceEpoch(query.value(2).toLongLong(), QTimeZone::UTC);
    summary.unread = query.value(3).toInt();
    summary.draft = query.value(4).toString();
    summary.pinned = query.value(5).toBool();
    summary.muted = query.value(6).toBool();
    summary.hasLastMessage = !query.value(7).isNull();
    summary.lastBody = query.value(7).toString();
    summary.lastOobUrl = query.value(11).toString();
    summary.lastKind =
        ChatMessage::Kind(std::clamp(query.value(12).toInt(), 0, int(ChatMessage::Kind::Call)));
    summary.lastDirection =
        query.value(8).toInt() == 1 ? ChatMessage::Direction::Outgoing : ChatMessage::Direction::Incoming;
    summary.isRequest = query.value(9).toBool();
    return summary;
}

// Sets one column of a one-to-one conversation (column is one of ours, never user input), creating the
// conversation when it is not stored yet.
Result<Success> setColumn(QSqlDatabase &db, const ConversationKey &conversation, const QString &column,
                          const QVariant &value)
{
    const auto peer = internJid(db, conversation.peer);
    if (!isOk(peer))
        return errorOf(peer);
    QSqlQuery query(db);
    query.prepare(QStringLiteral("INSERT INTO conversations (account_id, peer_id, kind, %1) "
                                 "SELECT id, ?, ?, ? FROM accounts WHERE jid = ? "
                                 "ON CONFLICT (account_id, peer_id, kind) DO UPDATE SET %1 = excluded.%1")
                      .arg(column));
    query.addBindValue(std::get<qint64>(peer));
    query.addBindValue(int(conversation.kind));
    query.addBindValue(value);
    query.addBindValue(conversation.account);
    if (!query.exec())
        return queryError(query);
    if (query.numRowsAffected() == 0)
        return Error(Error::Code::AccountNotFound, conversation.account);
    return Success{};
}

} // namespace

ConversationRepository::ConversationRepository(Database &db)
    : m_db(db)
{}

QFuture<Result<QList<ConversationSummary>>> ConversationRepository::conversations(const QString &account)
{
    return m_db.run([account](QSqlDatabase &db) -> Result<QList<ConversationSummary>> {
        QSqlQuery query(db);
        query.setForwardOnly(true);
        // The newest message is found through the timeline index (conversation_id, time DESC, id DESC).
        query.prepare(QStringLiteral(
            "SELECT p.jid, c.kind, c.last_activity, c.unread_count, c.draft, c.pinned, c.muted, "
            "lm.body, lm.direction, "
            // A request: a one-to-one chat never accepted, with someone not in the roster, to whom we never
            // wrote (evaluated in this order, so the message scan happens for strangers only).
            "(c.kind = 0 AND c.accepted = 0 AND NOT EXISTS (SELECT 1 FROM roster_items r "
            "WHERE r.account_id = c.account_id AND r.jid_id = c.peer_id) AND NOT EXISTS (SELECT 1 FROM "
            "messages o "
            "WHERE o.conversation_id = c.id AND o.direction = 1)), c.notify, lm.oob_url, lm.kind "
            "FROM conversations c JOIN jids p ON p.id = c.peer_id "
            "LEFT JOIN messages lm ON lm.id = (SELECT m.id FROM messages m WHERE m.conversation_id = c.id "
            "ORDER BY m.time DESC, m.id DESC LIMIT 1) "
            "WHERE c.account_id = (SELECT id FROM accounts WHERE jid = ?) "
            "ORDER BY c.last_activity DESC, c.id DESC"));
        query.addBindValue(account);
        if (!query.exec())
            return queryError(query);
        QList<ConversationSummary> summaries;
        while (query.next())
            summaries.append(summaryFromRow(query, account));
        return summaries;
    });
}

QFuture<Result<Success>> ConversationRepository::markRead(const ConversationKey &conversation)
{
    return m_db.run([conversation](QSqlDatabase &db) -> Result<Success> {
        QSqlQuery query(db);
        query.prepare(QStringLiteral("UPDATE conversations SET unread_count = 0 WHERE unread_count > 0 "
                                     "AND id = (") +
                      ConversationIdSql + u')');
        bindKey(query, conversation);
        if (!query.exec())
            return queryError(query);
        return Success{};
    });
}

QFuture<Result<Success>> ConversationRepository::remove(const ConversationKey &conversation)
{
    return m_db.run([conversation](QSqlDatabase &db) -> Result<Success> {
        QSqlQuery query(db);
        // Its messages, their reactions, files and search entries go with it (foreign keys, triggers).
        query.prepare(QStringLiteral("DELETE FROM conversations WHERE id = (") + ConversationIdSql + u')');
        bindKey(query, conversation);
        if (!query.exec())
            return queryError(query);
        return Success{};
    });
}

QFuture<Result<Success>> ConversationRepository::setDraft(const ConversationKey &conversation,
                                                          const QString &draft)
{
    return m_db.run([conversation, draft](QSqlDatabase &db) {
        // NULL is not an empty draft.
        return setColumn(db, conversation, QStringLiteral("draft"),
                         draft.isNull() ? QStringLiteral("") : draft);
    });
}

QFuture<Result<Success>> ConversationRepository::accept(const ConversationKey &conversation)
{
    return m_db.run([conversation](QSqlDatabase &db) -> Result<Success> {
        QSqlQuery query(db);
        query.prepare(QStringLiteral("UPDATE conversations SET accepted = 1 WHERE id = (") +
                      ConversationIdSql + u')');
        bindKey(query, conversation);
        if (!query.exec())
            return queryError(query);
        return Success{};
    });
}

QFuture<Result<Success>> ConversationRepository::setMuted(const ConversationKey &conversation, bool muted)
{
    return m_db.run([conversation, muted](QSqlDatabase &db) {
        return setColumn(db, conversation, QStringLiteral("muted"), muted ? 1 : 0);
    });
}

QFuture<Result<Success>> ConversationRepository::setNotifications(const ConversationKey &conversation,
                                                                  RoomNotifications notifications)
{
    return m_db.run([conversation, notifications](QSqlDatabase &db) {
        return setColumn(db, conversation, QStringLiteral("notify"), int(notifications));
    });
}

QFuture<Result<Success>> ConversationRepository::setEncryption(const ConversationKey &conversation,
                                                               EncryptionChoice choice)
{
    return m_db.run([conversation, choice](QSqlDatabase &db) {
        return setColumn(db, conversation, QStringLiteral("encryption"), int(choice));
    });
}

QFuture<Result<EncryptionChoice>> ConversationRepository::encryption(const ConversationKey &conversation)
{
    return m_db.run([conversation](QSqlDatabase &db) -> Result<EncryptionChoice> {
        QSqlQuery query(db);
        query.prepare(QStringLiteral("SELECT encryption FROM conversations WHERE id = (") +
                      ConversationIdSql + u')');
        bindKey(query, conversation);
        if (!query.exec())
            return queryError(query);
        if (!query.next())
            return EncryptionChoice::Automatic;
        return EncryptionChoice(std::clamp(query.value(0).toInt(), 0, 2));
    });
}

QFuture<Result<std::optional<ChatMessage>>>
ConversationRepository::firstUnread(const ConversationKey &conversation)
{
    return m_db.run([conversation](QSqlDatabase &db) -> Result<std::optional<ChatMessage>> {
        QSqlQuery unread(db);
        unread.prepare(
            QStringLiteral("SELECT c.id, c.unread_count FROM conversations c "
                           "JOIN accounts a ON a.id = c.account_id JOIN jids p ON p.id = c.peer_id "
                           "WHERE a.jid = ? AND p.jid = ? AND c.kind = ?"));
        bindKey(unread, conversation);
        if (!unread.exec())
            return queryError(unread);
        if (!unread.next() || unread.value(1).toInt() <= 0)
            return std::optional<ChatMessage>();
        QSqlQuery query(db);
        query.setForwardOnly(true);
        // The unread messages are the newest unread_count incoming ones; the oldest of them is wanted.
        query.prepare(
            QStringLiteral("SELECT ") + Columns + Joins +
            QStringLiteral("WHERE m.id = (SELECT u.id FROM (SELECT id, time FROM messages "
                           "WHERE conversation_id = ? AND direction = 0 "
                           "ORDER BY time DESC, id DESC LIMIT ?) u ORDER BY u.time, u.id LIMIT 1)"));
        query.addBindValue(unread.value(0).toLongLong());
        query.addBindValue(unread.value(1).toInt());
        const auto rows = readAll(query);
        if (!isOk(rows))
            return errorOf(rows);
        const auto &messages = std::get<QList<ChatMessage>>(rows);
        if (messages.isEmpty())
            return std::optional<ChatMessage>();
        return std::optional(messages.first());
    });
}

} // namespace Natter::Core
