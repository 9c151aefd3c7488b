// SPDX-License-Identifier: GPL-3.0-or-later
// Every open conversation of every account, most recent activity first, with its messages in memory.
#pragma once

#include "domain/ChatMessage.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QList>

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
    };
    Q_ENUM(Role)

    explicit ConversationListModel(QObject *parent = nullptr);
    ~ConversationListModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Creates the conversation when needed (as the most recent one) and returns its row.
    QModelIndex openConversation(const Core::ConversationKey &key);
    // Adds a sent or received message: creates or raises its conversation, counts it unread when it
    // is incoming and the conversation is not the one being read.
    void addMessage(const Core::ChatMessage &message);
    void setDelivery(const Core::ConversationKey &key, const QString &id,
                     Core::ChatMessage::Delivery delivery);
    // The conversation the user reads: its unread count stays at zero.
    void setActiveConversation(const Core::ConversationKey &key);
    void removeAccount(const QString &accountJid);

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
        MessageListModel *messages = nullptr;
    };

    int rowOf(const Core::ConversationKey &key) const;
    int appendConversation(const Core::ConversationKey &key, const QDateTime &activity);
    // Moves the row to where its last activity belongs; returns the new row.
    int reposition(int row);
    QString previewOf(const Core::ChatMessage &message) const;

    QList<Conversation> m_conversations;
    Core::ConversationKey m_active;
};

} // namespace Natter::Ui
