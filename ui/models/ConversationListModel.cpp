// SPDX-License-Identifier: GPL-3.0-or-later
// Every conversation of every account, most recent activity first, each with its message list model.
#include "ConversationListModel.h"

#include "MessageListModel.h"
#include "presenters/MessagePreview.h"

namespace Natter::Ui {

using Core::ChatMessage;
using Core::ConversationKey;

namespace {
constexpr int PreviewLength = 120;
}

ConversationListModel::ConversationListModel(QObject *parent)
    : QAbstractListModel(parent)
{}

ConversationListModel::~ConversationListModel() = default;

int ConversationListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_conversations.size());
}

QVariant ConversationListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Conversation &conversation = m_conversations.at(index.row());
    switch (role) {
    case Qt::DisplayRole: {
        const QString title = m_titles.value(conversation.key);
        return title.isEmpty() ? conversation.key.peer : title;
    }
    case PeerRole:
        return conversation.key.peer;
    case Qt::ToolTipRole:
        return tr("%1 (account %2)").arg(conversation.key.peer, conversation.key.account);
    case AccountRole:
        return conversation.key.account;
    case PreviewRole:
        return conversation.preview;
    case UnreadRole:
        return conversation.unread;
    case LastActivityRole:
        return conversation.lastActivity;
    case DraftRole:
        return conversation.draft;
    case MutedRole:
        return conversation.muted;
    case RequestRole:
        return conversation.request;
    default:
        return {};
    }
}

QHash<int, QByteArray> ConversationListModel::roleNames() const
{
    auto names = QAbstractListModel::roleNames();
    names.insert(AccountRole, "account");
    names.insert(PeerRole, "peer");
    names.insert(PreviewRole, "preview");
    names.insert(UnreadRole, "unread");
    names.insert(LastActivityRole, "lastActivity");
    names.insert(DraftRole, "draft");
    names.insert(MutedRole, "muted");
    names.insert(RequestRole, "request");
    return names;
}

int ConversationListModel::rowOf(const ConversationKey &key) const
{
    for (int row = 0; row < m_conversations.size(); ++row) {
        if (m_conversations.at(row).key == key)
            return row;
    }
    return -1;
}

QModelIndex ConversationListModel::indexOf(const ConversationKey &key) const
{
    const int row = rowOf(key);
    return row < 0 ? QModelIndex() : index(row);
}

ConversationKey ConversationListModel::keyAt(const QModelIndex &index) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    return m_conversations.at(index.row()).key;
}

MessageListModel *ConversationListModel::messages(const ConversationKey &key) const
{
    const int row = rowOf(key);
    return row < 0 ? nullptr : m_conversations.at(row).messages;
}

int ConversationListModel::appendConversation(const ConversationKey &key, const QDateTime &activity)
{
    const int row = int(m_conversations.size());
    auto *messages = new MessageListModel(key, this);
    messages->setStore(m_store);
    beginInsertRows({}, row, row);
    m_conversations.append({key, {}, activity, 0, {}, messages});
    endInsertRows();
    return reposition(row);
}

int ConversationListModel::reposition(int row)
{
    const QDateTime activity = m_conversations.at(row).lastActivity;
    int target = 0;
    while (target < m_conversations.size() &&
           (target == row || m_conversations.at(target).lastActivity > activity))
        ++target;
    // target counts rows before the new place, including the moved row itself when it lies above.
    const int destination = target > row ? target - 1 : target;
    if (destination == row)
        return row;
    beginMoveRows({}, row, row, {}, destination > row ? destination + 1 : destination);
    m_conversations.move(row, destination);
    endMoveRows();
    return destination;
}

QModelIndex ConversationListModel::openConversation(const ConversationKey &key)
{
    const int row = rowOf(key);
    if (row >= 0)
        return index(row);
    return index(appendConversation(key, QDateTime::currentDateTimeUtc()));
}

void ConversationListModel::setStore(Core::MessageRepository *store)
{
    m_store = store;
}

void ConversationListModel::updateSummary(int row, const Core::ConversationSummary &summary)
{
    Conversation &conversation = m_conversations[row];
    conversation.lastActivity = std::max(conversation.lastActivity, summary.lastActivity);
    conversation.unread = summary.key == m_active ? 0 : summary.unread;
    conversation.draft = summary.draft;
    conversation.muted = summary.muted;
    conversation.notifications = summary.notifications;
    conversation.request = summary.isRequest;
    if (summary.hasLastMessage)
        conversation.preview =
            previewOf(summary.lastBody, summary.lastOobUrl, summary.lastKind, summary.lastDirection);
}

void ConversationListModel::loadSummaries(const QList<Core::ConversationSummary> &summaries)
{
    if (m_conversations.isEmpty()) {
        // The first load (1,000 conversations) is one reset, not a thousand moves.
        beginResetModel();
        for (const Core::ConversationSummary &summary : summaries) {
            auto *messages = new MessageListModel(summary.key, this);
            messages->setStore(m_store);
            m_conversations.append({summary.key, {}, summary.lastActivity, 0, {}, messages});
            updateSummary(int(m_conversations.size()) - 1, summary);
        }
        std::stable_sort(
            m_conversations.begin(), m_conversations.end(),
            [](const Conversation &a, const Conversation &b) { return a.lastActivity > b.lastActivity; });
        endResetModel();
        return;
    }
    for (const Core::ConversationSummary &summary : summaries) {
        int row = rowOf(summary.key);
        if (row < 0)
            row = appendConversation(summary.key, summary.lastActivity);
        updateSummary(row, summary);
        row = reposition(row);
        Q_EMIT dataChanged(index(row), index(row), {PreviewRole, UnreadRole, LastActivityRole, DraftRole});
    }
}

QString ConversationListModel::previewOf(const QString &body, const QString &oobUrl, ChatMessage::Kind kind,
                                         ChatMessage::Direction direction) const
{
    QString text = MessagePreview::textOf(body, oobUrl, kind);
    if (text.size() > PreviewLength)
        text = text.left(PreviewLength) + u'…';
    if (direction == ChatMessage::Direction::Outgoing)
        return tr("You: %1").arg(text);
    return text;
}

void ConversationListModel::addMessage(const ChatMessage &message)
{
    int row = rowOf(message.conversation);
    if (row < 0)
        row = appendConversation(message.conversation, message.timestamp);
    Conversation &conversation = m_conversations[row];
    conversation.messages->addMessage(message);
    if (message.timestamp >= conversation.lastActivity || conversation.preview.isEmpty()) {
        conversation.preview = previewOf(message.body, message.oobUrl, message.kind, message.direction);
        conversation.lastActivity = std::max(conversation.lastActivity, message.timestamp);
    }
    if (message.direction == ChatMessage::Direction::Incoming && !(message.conversation == m_active))
        ++conversation.unread;
    if (message.direction == ChatMessage::Direction::Outgoing)
        conversation.request = false; // we answered: it is a chat now
    row = reposition(row);
    Q_EMIT dataChanged(index(row), index(row), {PreviewRole, UnreadRole, LastActivityRole, RequestRole});
}

void ConversationListModel::addMessages(const QList<ChatMessage> &messages)
{
    for (const ChatMessage &message : messages)
        addMessage(message);
}

void ConversationListModel::setDraft(const ConversationKey &key, const QString &draft)
{
    const int row = rowOf(key);
    if (row < 0 || m_conversations.at(row).draft == draft)
        return;
    m_conversations[row].draft = draft;
    Q_EMIT dataChanged(index(row), index(row), {DraftRole});
}

QString ConversationListModel::draft(const ConversationKey &key) const
{
    const int row = rowOf(key);
    return row < 0 ? QString() : m_conversations.at(row).draft;
}

int ConversationListModel::unreadCount(const ConversationKey &key) const
{
    const int row = rowOf(key);
    return row < 0 ? 0 : m_conversations.at(row).unread;
}

void ConversationListModel::lowerUnread(const ConversationKey &key, int unread)
{
    const int row = rowOf(key);
    if (row < 0 || m_conversations.at(row).unread <= unread)
        return;
    m_conversations[row].unread = unread;
    Q_EMIT dataChanged(index(row), index(row), {UnreadRole});
}

int ConversationListModel::totalUnread() const
{
    int total = 0;
    for (const Conversation &conversation : m_conversations)
        total += conversation.unread;
    return total;
}

bool ConversationListModel::isRequest(const ConversationKey &key) const
{
    const int row = rowOf(key);
    return row >= 0 && m_conversations.at(row).request;
}

void ConversationListModel::setRequest(const ConversationKey &key, bool request)
{
    const int row = rowOf(key);
    if (row < 0 || m_conversations.at(row).request == request)
        return;
    m_conversations[row].request = request;
    Q_EMIT dataChanged(index(row), index(row), {RequestRole});
}

int ConversationListModel::requestCount() const
{
    return int(std::count_if(m_conversations.cbegin(), m_conversations.cend(),
                             [](const Conversation &conversation) { return conversation.request; }));
}

bool ConversationListModel::isMuted(const ConversationKey &key) const
{
    const int row = rowOf(key);
    return row >= 0 && m_conversations.at(row).muted;
}

void ConversationListModel::setMuted(const ConversationKey &key, bool muted)
{
    const int row = rowOf(key);
    if (row < 0 || m_conversations.at(row).muted == muted)
        return;
    m_conversations[row].muted = muted;
    Q_EMIT dataChanged(index(row), index(row), {MutedRole});
}

Core::RoomNotifications ConversationListModel::roomNotifications(const ConversationKey &key) const
{
    const int row = rowOf(key);
    return row >= 0 ? m_conversations.at(row).notifications : Core::RoomNotifications::Default;
}

void ConversationListModel::setRoomNotifications(const ConversationKey &key,
                                                 Core::RoomNotifications notifications)
{
    if (const int row = rowOf(key); row >= 0)
        m_conversations[row].notifications = notifications;
}

void ConversationListModel::updateMessages(const QList<ChatMessage> &messages)
{
    QHash<ConversationKey, QList<ChatMessage>> byConversation;
    for (const ChatMessage &message : messages)
        byConversation[message.conversation].append(message);
    for (auto it = byConversation.cbegin(); it != byConversation.cend(); ++it) {
        if (MessageListModel *model = this->messages(it.key()))
            model->updateMessages(*it);
        // The newest message was corrected or deleted: the preview follows.
        const int row = rowOf(it.key());
        if (row < 0)
            continue;
        Conversation &conversation = m_conversations[row];
        for (const ChatMessage &message : *it) {
            if (message.timestamp < conversation.lastActivity)
                continue;
            conversation.preview =
                message.removal == ChatMessage::Removal::None
                    ? previewOf(message.body, message.oobUrl, message.kind, message.direction)
                    : tr("Message deleted");
            Q_EMIT dataChanged(index(row), index(row), {PreviewRole});
        }
    }
}

void ConversationListModel::setDelivery(const ConversationKey &key, const QString &id,
                                        ChatMessage::Delivery delivery)
{
    if (MessageListModel *model = messages(key))
        model->setDelivery(id, delivery);
}

void ConversationListModel::removeUnsent(const ConversationKey &key, const QString &id)
{
    if (MessageListModel *model = messages(key))
        model->removeUnsent(id);
}

void ConversationListModel::setActiveConversation(const ConversationKey &key)
{
    m_active = key;
    const int row = rowOf(key);
    if (row < 0 || m_conversations.at(row).unread == 0)
        return;
    m_conversations[row].unread = 0;
    Q_EMIT dataChanged(index(row), index(row), {UnreadRole});
}

void ConversationListModel::removeConversation(const ConversationKey &key)
{
    const int row = rowOf(key);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    MessageListModel *messages = m_conversations.takeAt(row).messages;
    endRemoveRows();
    messages->deleteLater();
}

void ConversationListModel::removeAccount(const QString &accountJid)
{
    for (int row = int(m_conversations.size()) - 1; row >= 0; --row) {
        if (m_conversations.at(row).key.account != accountJid)
            continue;
        beginRemoveRows({}, row, row);
        MessageListModel *messages = m_conversations.takeAt(row).messages;
        endRemoveRows();
        messages->deleteLater();
    }
}

void ConversationListModel::setTitle(const ConversationKey &key, const QString &title)
{
    if (m_titles.value(key) == title)
        return;
    if (title.isEmpty())
        m_titles.remove(key);
    else
        m_titles.insert(key, title);
    if (const int row = rowOf(key); row >= 0)
        Q_EMIT dataChanged(index(row), index(row), {Qt::DisplayRole});
}

} // namespace Natter::Ui
