// SPDX-License-Identifier: GPL-3.0-or-later
// The messages of one conversation, oldest first, kept in memory until the message store exists.
#include "MessageListModel.h"

#include "presenters/DeliveryPresenter.h"

#include <algorithm>

namespace Natter::Ui {

using Core::ChatMessage;

MessageListModel::MessageListModel(Core::ConversationKey conversation, QObject *parent)
    : QAbstractListModel(parent)
    , m_conversation(std::move(conversation))
{}

int MessageListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_messages.size());
}

QVariant MessageListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ChatMessage &message = m_messages.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case BodyRole:
        return message.body;
    case Qt::ToolTipRole:
        return message.direction == ChatMessage::Direction::Outgoing
                   ? DeliveryPresenter::describe(message.delivery)
                   : QVariant();
    case SenderRole:
        return message.direction == ChatMessage::Direction::Outgoing ? m_conversation.account
                                                                     : m_conversation.peer;
    case TimestampRole:
        return message.timestamp;
    case DirectionRole:
        return int(message.direction);
    case DeliveryRole:
        return int(message.delivery);
    case IdRole:
        return message.id;
    case MessageRole:
        return QVariant::fromValue(message);
    default:
        return {};
    }
}

QHash<int, QByteArray> MessageListModel::roleNames() const
{
    auto names = QAbstractListModel::roleNames();
    names.insert(BodyRole, "body");
    names.insert(SenderRole, "sender");
    names.insert(TimestampRole, "timestamp");
    names.insert(DirectionRole, "direction");
    names.insert(DeliveryRole, "delivery");
    names.insert(IdRole, "messageId");
    names.insert(MessageRole, "message");
    return names;
}

int MessageListModel::rowOf(const QString &id) const
{
    if (id.isEmpty())
        return -1;
    const auto found = std::find_if(m_messages.cbegin(), m_messages.cend(),
                                    [&id](const ChatMessage &m) { return m.id == id; });
    return found == m_messages.cend() ? -1 : int(found - m_messages.cbegin());
}

void MessageListModel::addMessage(const ChatMessage &message)
{
    if (const int existing = rowOf(message.id); existing >= 0) {
        m_messages[existing] = message;
        Q_EMIT dataChanged(index(existing), index(existing));
        return;
    }
    // Messages mostly arrive in order; delayed ones find their place from the end.
    auto position = m_messages.size();
    while (position > 0 && m_messages.at(position - 1).timestamp > message.timestamp)
        --position;
    beginInsertRows({}, int(position), int(position));
    m_messages.insert(position, message);
    endInsertRows();
}

bool MessageListModel::setDelivery(const QString &id, ChatMessage::Delivery delivery)
{
    const int row = rowOf(id);
    if (row < 0)
        return false;
    if (m_messages.at(row).delivery == delivery)
        return true;
    m_messages[row].delivery = delivery;
    Q_EMIT dataChanged(index(row), index(row), {DeliveryRole, Qt::ToolTipRole});
    return true;
}

} // namespace Natter::Ui
