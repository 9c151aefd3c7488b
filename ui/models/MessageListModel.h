// SPDX-License-Identifier: GPL-3.0-or-later
// The messages of one conversation, oldest first, kept in memory until the message store exists.
#pragma once

#include "domain/ChatMessage.h"

#include <QAbstractListModel>
#include <QList>

namespace Natter::Ui {

class MessageListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role
    {
        BodyRole = Qt::UserRole + 1,
        SenderRole,    // bare JID of the author
        TimestampRole, // QDateTime, UTC
        DirectionRole, // int(ChatMessage::Direction)
        DeliveryRole,  // int(ChatMessage::Delivery)
        IdRole,
        MessageRole, // the whole ChatMessage
    };
    Q_ENUM(Role)

    explicit MessageListModel(Core::ConversationKey conversation, QObject *parent = nullptr);

    Core::ConversationKey conversation() const { return m_conversation; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Keeps the list in time order; a message whose id is already present replaces it.
    void addMessage(const Core::ChatMessage &message);
    // Updates the delivery state of the message with that id; false when there is none.
    bool setDelivery(const QString &id, Core::ChatMessage::Delivery delivery);
    // Row of the message with that id, or -1.
    int rowOf(const QString &id) const;
    Core::ChatMessage messageAt(int row) const { return m_messages.at(row); }

private:
    Core::ConversationKey m_conversation;
    QList<Core::ChatMessage> m_messages;
};

} // namespace Natter::Ui
