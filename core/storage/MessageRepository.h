// SPDX-License-Identifier: GPL-3.0-or-later
// The message store: one ingest path with deduplication, keyset paging, full-text search (database thread).
#pragma once

#include "Database.h"
#include "domain/ChatMessage.h"
#include "domain/MessageAction.h"

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

    // Records corrections, retractions and reactions (each once) and applies them to the messages they act
    // on, now or when those are stored later. Returns the messages that changed.
    QFuture<Result<QList<ChatMessage>>> applyActions(QList<MessageAction> actions);

    // A receipt or chat marker from the peer: raises the delivery state of our message with that id or
    // origin-id (Displayed also raises our earlier messages). Never lowers a state. Returns what changed.
    QFuture<Result<QList<ChatMessage>>> confirmDelivery(const ConversationKey &conversation,
                                                        const QString &id, ChatMessage::Delivery delivery);

    // We displayed the conversation up to the message with that id (or, when id is empty, that archive id)
    // on this or another device: only messages after it stay unread. Returns the unread count afterwards,
    // nullopt when no such message is stored.
    QFuture<Result<std::optional<int>>> markDisplayedUpTo(const ConversationKey &conversation,
                                                          const QString &id, const QString &stanzaId);

    // Deletes a message on this device only: its text goes, a hidden tombstone stays so that the archive
    // does not bring it back.
    QFuture<Result<Success>> deleteLocally(qint64 storageId);

    // The message of the conversation with that id or origin-id (what replies and reactions refer to).
    QFuture<Result<std::optional<ChatMessage>>> findByReference(const ConversationKey &conversation,
                                                                const QString &id);

    // Records a new delivery state of an outgoing message (by its stanza id); never lowers one.
    // How one of our messages was encrypted when it went out.
    QFuture<Result<Success>> setEncryption(const QString &account, const QString &messageId,
                                           ChatMessage::Encryption encryption);
    QFuture<Result<Success>> setDelivery(const QString &account, const QString &messageId,
                                         ChatMessage::Delivery delivery);

    // Outgoing messages of account that the server has not acknowledged yet, oldest first.
    QFuture<Result<QList<ChatMessage>>> pending(const QString &account);

    static Cursor cursorOf(const ChatMessage &message);

private:
    Database &m_db;
};

} // namespace Natter::Core
