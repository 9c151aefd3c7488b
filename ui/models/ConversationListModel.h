// SPDX-License-Identifier: GPL-3.0-or-later
// Every conversation of every account, most recent activity first, each with its message list model.
#pragma once

#include "domain/ChatMessage.h"
#include "storage/ConversationRepository.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QList>

namespace Natter::Core {
class MessageRepository;
}

namespace Natter::Ui {

class MessageListModel;

class ConversationListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role
    {
        AccountRole = Qt::UserRole + 1, // bare JID of our account
        PeerRole,                       // bare JID of the contact
        PreviewRole,                    // the last message, one line
        UnreadRole,                     // int
        LastActivityRole,               // QDateTime, UTC
        DraftRole,                      // what was typed but not sent
        MutedRole,                      // bool: no notifications
        RequestRole,                    // bool: a stranger wrote and nobody answered yet
    };
    Q_ENUM(Role)

    explicit ConversationListModel(QObject *parent = nullptr);
    ~ConversationListModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Message list models created from now on page over store.
    void setStore(Core::MessageRepository *store);
    // Adds or updates the stored conversations of an account (at start, after a catch-up).
    void loadSummaries(const QList<Core::ConversationSummary> &summaries);

    // Creates the conversation when needed (as the most recent one) and returns its row.
    QModelIndex openConversation(const Core::ConversationKey &key);
    // Adds a sent or received message: creates or raises its conversation, counts it unread when it
    // is incoming and the conversation is not the one being read.
    void addMessage(const Core::ChatMessage &message);
    void addMessages(const QList<Core::ChatMessage> &messages);
    // Stored messages that changed (corrections, retractions, reactions, receipts): the open chats follow.
    void updateMessages(const QList<Core::ChatMessage> &messages);
    void setDelivery(const Core::ConversationKey &key, const QString &id,
                     Core::ChatMessage::Delivery delivery);
    // Our message that never went out leaves its open chat.
    void removeUnsent(const Core::ConversationKey &key, const QString &id);
    // The conversation the user reads: its unread count stays at zero.
    void setActiveConversation(const Core::ConversationKey &key);
    void setDraft(const Core::ConversationKey &key, const QString &draft);
    QString draft(const Core::ConversationKey &key) const;
    int unreadCount(const Core::ConversationKey &key) const;
    // The unread count after it changed elsewhere (read on another device); it only goes down.
    void lowerUnread(const Core::ConversationKey &key, int unread);
    // Every conversation's unread messages together (the tray shows it).
    int totalUnread() const;
    bool isMuted(const Core::ConversationKey &key) const;
    // Message requests: conversations a stranger started, shown apart from the chats.
    bool isRequest(const Core::ConversationKey &key) const;
    void setRequest(const Core::ConversationKey &key, bool request);
    int requestCount() const;
    void setMuted(const Core::ConversationKey &key, bool muted);
    // A room's notification setting (all messages, mentions only, none).
    Core::RoomNotifications roomNotifications(const Core::ConversationKey &key) const;
    void setRoomNotifications(const Core::ConversationKey &key, Core::RoomNotifications notifications);
    // The name shown for a conversation instead of its address (a room's name); empty shows the address.
    void setTitle(const Core::ConversationKey &key, const QString &title);
    void removeAccount(const QString &accountJid);
    // The conversation was deleted on this device.
    void removeConversation(const Core::ConversationKey &key);

    QModelIndex indexOf(const Core::ConversationKey &key) const;
    Core::ConversationKey keyAt(const QModelIndex &index) const;
    // The messages of a conversation, or nullptr when it is not open.
    MessageListModel *messages(const Core::ConversationKey &key) const;

private:
    struct Conversation
    {
        Core::ConversationKey key;
        QString preview;
        QDateTime lastActivity;
        int unread = 0;
        QString draft;
        MessageListModel *messages = nullptr;
        bool muted = false;
        bool request = false;
        Core::RoomNotifications notifications = Core::RoomNotifications::Default;
    };

    int rowOf(const Core::ConversationKey &key) const;
    int appendConversation(const Core::ConversationKey &key, const QDateTime &activity);
    // Moves the row to where its last activity belongs; returns the new row.
    int reposition(int row);
    QString previewOf(const QString &body, const QString &oobUrl, Core::ChatMessage::Kind kind,
                      Core::ChatMessage::Direction direction) const;
    void updateSummary(int row, const Core::ConversationSummary &summary);

    QList<Conversation> m_conversations;
    QHash<Core::ConversationKey, QString> m_titles; // kept for conversations not listed yet
    Core::ConversationKey m_active;
    Core::MessageRepository *m_store = nullptr;
};

} // namespace Natter::Ui
