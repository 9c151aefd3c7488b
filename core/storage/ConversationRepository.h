// SPDX-License-Identifier: GPL-3.0-or-later
// The conversation list's view of the store: summaries, unread counts, drafts (database thread).
#pragma once

#include "Database.h"
#include "domain/ChatMessage.h"

#include <QDateTime>
#include <QList>
#include <optional>

namespace Natter::Core {

// When a room's messages bring a notification. Stored as integers: never renumber.
enum class RoomNotifications
{
    Default = 0, // the application's default: mentions
    All = 1,
    Mentions = 2,
    None = 3,
};

// Whether a conversation's messages are end-to-end encrypted. Stored as integers: never renumber.
enum class EncryptionChoice
{
    Automatic = 0, // on as soon as the peer has OMEMO devices; from then on as On
    On = 1,        // never sent in plain text
    Off = 2,
};

// One row of the conversation list as stored.
struct ConversationSummary
{
    ConversationKey key; // its kind tells a room from a one-to-one chat
    RoomNotifications notifications = RoomNotifications::Default;
    QDateTime lastActivity; // UTC
    int unread = 0;
    QString draft;
    bool pinned = false;
    bool muted = false;
    // Someone not in the roster wrote, and the user has neither answered nor accepted: it waits among the
    // message requests instead of the chats.
    bool isRequest = false;
    // The newest message, when there is one.
    bool hasLastMessage = false;
    QString lastBody;
    QString lastOobUrl; // the last message's out-of-band link (a shared file)
    ChatMessage::Kind lastKind = ChatMessage::Kind::Message;
    ChatMessage::Direction lastDirection = ChatMessage::Direction::Incoming;
};

class ConversationRepository
{
public:
    explicit ConversationRepository(Database &db);

    // Every conversation of account, most recent activity first, with its newest message (one query:
    // the activity index, then one timeline index seek per conversation).
    QFuture<Result<QList<ConversationSummary>>> conversations(const QString &account);
    // The conversation has been read: its unread count goes back to zero.
    QFuture<Result<Success>> markRead(const ConversationKey &conversation);
    // Deletes the conversation with all its messages on this device (the archive on the server keeps them).
    QFuture<Result<Success>> remove(const ConversationKey &conversation);
    // The user accepted a stranger's conversation: it moves from the requests to the chats.
    QFuture<Result<Success>> accept(const ConversationKey &conversation);
    // Muted conversations bring no notification.
    QFuture<Result<Success>> setMuted(const ConversationKey &conversation, bool muted);
    QFuture<Result<Success>> setNotifications(const ConversationKey &conversation,
                                              RoomNotifications notifications);
    QFuture<Result<Success>> setEncryption(const ConversationKey &conversation, EncryptionChoice choice);
    // Automatic for a conversation that is not stored yet.
    QFuture<Result<EncryptionChoice>> encryption(const ConversationKey &conversation);
    // Keeps what was typed but not sent; creates the conversation when it is not stored yet.
    QFuture<Result<Success>> setDraft(const ConversationKey &conversation, const QString &draft);
    // The oldest of the unread incoming messages (the place to open the conversation at), if any.
    QFuture<Result<std::optional<ChatMessage>>> firstUnread(const ConversationKey &conversation);

private:
    Database &m_db;
};

} // namespace Natter::Core
