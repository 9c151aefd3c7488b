// SPDX-License-Identifier: GPL-3.0-or-later
// The message store: one ingest path with deduplication, keyset paging, full-text search (database thread).
#pragma once

#include "Database.h"
#include "domain/ChatMessage.h"

#include <QList>
#include <optional>

namespace Natter::Core {

class MessageRepository
{
public:
    // A position in a conversation's timeline: messages strictly older than (time, storageId) come next.
    struct Cursor
    {
        qint64 timeMs = 0;
        qint64 storageId = 0;
    };

    explicit MessageRepository(Database &db);

    // Stores every message not stored yet, in one transaction, and returns those (with storageId set).
    // A copy already stored (same stanza-id from the same archive, else same origin-id and direction,
    // else same id, sender and direction within a minute) is skipped; it only completes the stored
    // row's stanza-id when that was missing. The account must exist in the accounts table.
    QFuture<Result<QList<ChatMessage>>> ingest(QList<ChatMessage> messages);

    // Up to limit messages older than cursor (the newest when there is none), newest first.
    QFuture<Result<QList<ChatMessage>>> before(const ConversationKey &conversation,
                                               std::optional<Cursor> cursor, int limit);

    // Up to limit messages newer than cursor (the oldest when there is none), oldest first: the page
    // below a message that search or "jump to first unread" opened in context.
    QFuture<Result<QList<ChatMessage>>> after(const ConversationKey &conversation,
                                              std::optional<Cursor> cursor, int limit);

    // Messages whose body matches all words of text (prefix match for the last one), newest first.
    // conversation limits the search to one conversation.
    QFuture<Result<QList<ChatMessage>>> search(const QString &text,
                                               std::optional<ConversationKey> conversation, int limit);

    // Records a new delivery state of an outgoing message (by its stanza id).
    QFuture<Result<Success>> setDelivery(const QString &account, const QString &messageId,
                                         ChatMessage::Delivery delivery);

    // Outgoing messages of account that the server has not acknowledged yet, oldest first.
    QFuture<Result<QList<ChatMessage>>> pending(const QString &account);

    static Cursor cursorOf(const ChatMessage &message);

private:
    Database &m_db;
};

} // namespace Natter::Core
