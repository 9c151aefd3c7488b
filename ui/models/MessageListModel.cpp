// SPDX-License-Identifier: GPL-3.0-or-later
// The messages of one conversation, oldest first: a window over the message store that pages by cursor,
// plus the live messages of this session. Without a store it only keeps what it is given.
#include "MessageListModel.h"

#include "AnimationPlayer.h"
#include "ThumbnailCache.h"
#include "im/Styling.h"
#include "presenters/DeliveryPresenter.h"
#include "presenters/MessagePreview.h"
#include "storage/MessageRepository.h"
#include "storage/MessageRows.h"
#include "sync/HistorySync.h"

#include <algorithm>

namespace Natter::Ui {

using Core::ChatMessage;
using Core::MessageRepository;
using Core::Result;

namespace {
constexpr qint64 GroupWindowMs = 5 * 60 * 1000;
constexpr int HighlightMs = 2000;

qint64 sortKey(const ChatMessage &message)
{
    return Core::MessageRows::sortTime(message);
}

// Timeline order of the store: time, then row.
bool isEarlier(const ChatMessage &a, const ChatMessage &b)
{
    return std::pair(sortKey(a), a.storageId) < std::pair(sortKey(b), b.storageId);
}

bool isSameMessage(const ChatMessage &a, const ChatMessage &b)
{
    // Two stored rows are the same only when they are one row; the id (which some clients reuse) only
    // matches a copy that is not stored yet, such as a message just sent.
    if (a.storageId != 0 && b.storageId != 0)
        return a.storageId == b.storageId;
    return !a.id.isEmpty() && a.id == b.id && a.direction == b.direction;
}

QDate localDay(const ChatMessage &message)
{
    return message.timestamp.toLocalTime().date();
}
} // namespace

MessageListModel::MessageListModel(Core::ConversationKey conversation, QObject *parent)
    : QAbstractListModel(parent)
    , m_conversation(std::move(conversation))
{
    m_highlightTimer.setSingleShot(true);
    m_highlightTimer.setInterval(HighlightMs);
    connect(&m_highlightTimer, &QTimer::timeout, this, [this] {
        const int row = rowOfStorageId(m_highlighted);
        m_highlighted = 0;
        if (row >= 0)
            Q_EMIT dataChanged(index(row), index(row), {HighlightRole});
    });
}

void MessageListModel::setStore(Core::MessageRepository *store)
{
    m_store = store;
}

void MessageListModel::setHistory(Core::HistorySync *history)
{
    m_history = history;
}

void MessageListModel::setAttachments(Core::AttachmentService *attachments, ThumbnailCache *thumbnails,
                                      AnimationPlayer *animations)
{
    if (m_attachments)
        m_attachments->disconnect(this);
    if (m_thumbnails)
        m_thumbnails->disconnect(this);
    if (m_animations)
        m_animations->disconnect(this);
    m_attachments = attachments;
    m_thumbnails = thumbnails;
    m_animations = animations;
    if (animations)
        // A new frame keeps the row's size: only its pixels change.
        connect(animations, &AnimationPlayer::frameChanged, this, [this](const QString &path) {
            for (int row = 0; row < m_messages.size(); ++row) {
                if (const auto state = attachmentOf(m_messages.at(row)); state && state->path == path)
                    Q_EMIT dataChanged(index(row), index(row), {AnimationFrameRole});
            }
        });
    const QList<int> roles = {AttachmentRole, ThumbnailRole};
    const auto refresh = [this](qint64 storageId, const QList<int> &changedRoles) {
        const int row = rowOfStorageId(storageId);
        if (row >= 0)
            Q_EMIT dataChanged(index(row), index(row), changedRoles);
    };
    if (attachments) {
        connect(attachments, &Core::AttachmentService::changed, this,
                [refresh, roles](qint64 storageId) { refresh(storageId, roles); });
        // Progress keeps the row's size: views need not lay out again.
        connect(attachments, &Core::AttachmentService::progressed, this,
                [refresh](qint64 storageId) { refresh(storageId, {AttachmentRole}); });
    }
    if (thumbnails)
        connect(thumbnails, &ThumbnailCache::loaded, this, [this, roles](const QString &key) {
            for (int row = 0; row < m_messages.size(); ++row) {
                if (const auto state = attachmentOf(m_messages.at(row));
                    state && (state->thumbnailPath == key ||
                              (!state->attachment.described.thumbnail.isEmpty() &&
                               ThumbnailCache::previewKey(state->attachment.described.thumbnail) == key)))
                    Q_EMIT dataChanged(index(row), index(row), roles);
            }
        });
}

std::optional<Core::AttachmentState> MessageListModel::attachmentOf(const ChatMessage &message) const
{
    if (!m_attachments || message.oobUrl.isEmpty())
        return std::nullopt;
    return m_attachments->state(message);
}

int MessageListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_messages.size());
}

QVariant MessageListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const ChatMessage &message = m_messages.at(row);
    switch (role) {
    case Qt::DisplayRole:
    case BodyRole:
        if (message.kind == Core::ChatMessage::Kind::Call)
            return MessagePreview::textOf(message.body, {}, message.kind);
        return message.body;
    case Qt::ToolTipRole:
        return toolTip(message);
    case EditedRole:
        return message.isEdited();
    case RemovalRole:
        return int(message.removal);
    case ReplyQuoteRole: {
        if (message.replyToId.isEmpty())
            return QVariant();
        const int quoted = rowOfReference(message.replyToId);
        if (quoted >= 0)
            return m_messages.at(quoted).removal == ChatMessage::Removal::None ? m_messages.at(quoted).body
                                                                               : QString();
        return message.replyQuote;
    }
    case ReplyAuthorRole:
        return message.replyToJid;
    case ReactionsRole:
        return reactionsOf(message);
    case AttachmentRole: {
        const auto state = attachmentOf(message);
        return state ? QVariant::fromValue(*state) : QVariant();
    }
    case ThumbnailRole: {
        const auto state = attachmentOf(message);
        if (!state || !m_thumbnails)
            return QImage();
        if (state->stage == Core::AttachmentState::Stage::Saved)
            return m_thumbnails->image(state->thumbnailPath);
        return Core::kindOf(state->attachment.described) == Core::FileKind::Image
                   ? m_thumbnails->preview(state->attachment.described.thumbnail)
                   : QImage();
    }
    case AnimationFrameRole: {
        const auto state = attachmentOf(message);
        return state && m_animations && state->stage == Core::AttachmentState::Stage::Saved &&
                       AnimationPlayer::mayBeAnimated(state->path)
                   ? m_animations->frame(state->path)
                   : QImage();
    }
    case SenderRole:
        // In a room, the nickname; ours is the one we have there.
        if (m_conversation.isGroupChat() && message.direction == ChatMessage::Direction::Outgoing &&
            !m_ownNick.isEmpty())
            return m_ownNick;
        if (m_conversation.isGroupChat() && message.senderFullJid.contains(u'/'))
            return message.senderNick();
        return message.direction == ChatMessage::Direction::Outgoing ? m_conversation.account
                                                                     : m_conversation.peer;
    case MentionRole:
        return m_conversation.isGroupChat() && message.direction == ChatMessage::Direction::Incoming &&
               Core::Styling::mentions(message.body, m_ownNick);
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
    case StorageIdRole:
        return message.storageId;
    case DayRole:
        return row == 0 || localDay(m_messages.at(row - 1)) != localDay(message) ? localDay(message)
                                                                                 : QDate();
    case GroupedRole:
        return isGrouped(row);
    case FirstUnreadRole:
        return m_firstUnread != 0 && message.storageId == m_firstUnread;
    case GapBeforeRole:
        return hasGapBefore(row);
    case HighlightRole:
        return m_highlighted != 0 && message.storageId == m_highlighted;
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
    names.insert(StorageIdRole, "storageId");
    names.insert(DayRole, "day");
    names.insert(GroupedRole, "grouped");
    names.insert(FirstUnreadRole, "firstUnread");
    names.insert(GapBeforeRole, "gapBefore");
    names.insert(HighlightRole, "highlight");
    names.insert(EditedRole, "edited");
    names.insert(RemovalRole, "removal");
    names.insert(ReplyQuoteRole, "replyQuote");
    names.insert(ReplyAuthorRole, "replyAuthor");
    names.insert(ReactionsRole, "reactions");
    names.insert(MentionRole, "mention");
    return names;
}

void MessageListModel::setOwnNick(const QString &nick)
{
    if (nick == m_ownNick)
        return;
    m_ownNick = nick;
    if (!m_messages.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_messages.size()) - 1), {MentionRole});
}

bool MessageListModel::isGrouped(int row) const
{
    if (row == 0)
        return false;
    const ChatMessage &previous = m_messages.at(row - 1);
    const ChatMessage &message = m_messages.at(row);
    const qint64 apart = previous.timestamp.msecsTo(message.timestamp);
    // In a room, one group per person (by occupant-id when known, else by nickname).
    const bool samePerson = !m_conversation.isGroupChat() ||
                            message.direction == ChatMessage::Direction::Outgoing ||
                            (!message.occupantId.isEmpty() ? message.occupantId == previous.occupantId
                                                           : message.senderFullJid == previous.senderFullJid);
    return previous.direction == message.direction && samePerson && apart >= 0 && apart < GroupWindowMs &&
           localDay(previous) == localDay(message) && !hasGapBefore(row) &&
           !(m_firstUnread != 0 && message.storageId == m_firstUnread) &&
           // An edited message shows "edited" in its header.
           !message.isEdited();
}

bool MessageListModel::hasGapBefore(int row) const
{
    if (row == 0 || m_gaps.isEmpty())
        return false;
    const qint64 previous = sortKey(m_messages.at(row - 1));
    const qint64 current = sortKey(m_messages.at(row));
    return std::any_of(m_gaps.cbegin(), m_gaps.cend(), [&](const Core::HistoryGap &gap) {
        return gap.after.toMSecsSinceEpoch() < current && gap.before.toMSecsSinceEpoch() > previous;
    });
}

int MessageListModel::rowOf(const QString &id) const
{
    if (id.isEmpty())
        return -1;
    const auto found = std::find_if(m_messages.cbegin(), m_messages.cend(),
                                    [&id](const ChatMessage &m) { return m.id == id; });
    return found == m_messages.cend() ? -1 : int(found - m_messages.cbegin());
}

int MessageListModel::rowOfStorageId(qint64 storageId) const
{
    if (storageId == 0)
        return -1;
    const auto found = std::find_if(m_messages.cbegin(), m_messages.cend(),
                                    [storageId](const ChatMessage &m) { return m.storageId == storageId; });
    return found == m_messages.cend() ? -1 : int(found - m_messages.cbegin());
}

bool MessageListModel::contains(const ChatMessage &message) const
{
    return rowOfSame(message) >= 0;
}

void MessageListModel::neighbourChanged(int row)
{
    if (row >= 0 && row < m_messages.size())
        Q_EMIT dataChanged(index(row), index(row), {DayRole, GroupedRole, GapBeforeRole});
}

void MessageListModel::replaceAll(QList<ChatMessage> messages)
{
    beginResetModel();
    m_messages = std::move(messages);
    endResetModel();
}

void MessageListModel::insertSorted(const ChatMessage &message)
{
    // Messages mostly arrive in order; delayed ones find their place from the end.
    auto position = m_messages.size();
    while (position > 0 && isEarlier(message, m_messages.at(position - 1)))
        --position;
    beginInsertRows({}, int(position), int(position));
    m_messages.insert(position, message);
    endInsertRows();
    neighbourChanged(int(position) + 1);
}

void MessageListModel::prepend(const QList<ChatMessage> &olderNewestFirst)
{
    QList<ChatMessage> older;
    older.reserve(olderNewestFirst.size());
    for (auto it = olderNewestFirst.crbegin(); it != olderNewestFirst.crend(); ++it) {
        if (!contains(*it))
            older.append(*it);
    }
    if (older.isEmpty())
        return;
    beginInsertRows({}, 0, int(older.size()) - 1);
    m_messages = older + m_messages;
    endInsertRows();
    neighbourChanged(int(older.size()));
}

template <typename Then>
void MessageListModel::onPage(QFuture<Result<QList<ChatMessage>>> page, bool *busy, Then then)
{
    const int generation = m_generation;
    page.then(this,
              [this, generation, busy, then = std::move(then)](const Result<QList<ChatMessage>> &result) {
                  if (generation != m_generation)
                      return; // a reload came in between
                  if (busy)
                      *busy = false;
                  if (!Core::isOk(result))
                      return Q_EMIT loadFailed(Core::errorOf(result).detail);
                  then(std::get<QList<ChatMessage>>(result));
              });
}

void MessageListModel::startLoading()
{
    ++m_generation;
    m_sentWhileLoading = false;
    m_loaded = true;
    m_fetching = true;
    m_reachedStart = false;
    m_hasNewer = false;
}

void MessageListModel::keepLiveMessages(QList<ChatMessage> &page) const
{
    // Messages that came while the page was read stay (a message just sent may not be stored yet).
    for (const ChatMessage &live : m_messages) {
        const bool newer = page.isEmpty() || !isEarlier(live, page.first());
        const bool known = std::any_of(page.cbegin(), page.cend(),
                                       [&live](const ChatMessage &m) { return isSameMessage(m, live); });
        if (newer && !known)
            page.append(live);
    }
    std::stable_sort(page.begin(), page.end(), isEarlier);
}

void MessageListModel::loadNewest()
{
    if (!m_store)
        return;
    startLoading();
    onPage(m_store->before(m_conversation, std::nullopt, PageSize), &m_fetching,
           [this](const QList<ChatMessage> &newestFirst) {
               m_storeExhausted = newestFirst.size() < PageSize;
               QList<ChatMessage> messages(newestFirst.crbegin(), newestFirst.crend());
               keepLiveMessages(messages);
               replaceAll(std::move(messages));
               Q_EMIT pageLoaded();
           });
}

void MessageListModel::loadAround(const ChatMessage &target, Mark mark)
{
    if (!m_store)
        return;
    const bool wroteHere = std::any_of(m_messages.cbegin(), m_messages.cend(), [](const ChatMessage &m) {
        return m.storageId == 0 && m.direction == ChatMessage::Direction::Outgoing;
    });
    if (mark == Mark::FirstUnread && wroteHere)
        return; // the reader has already answered below: no jump back to what was unread
    startLoading();
    const auto cursor = MessageRepository::cursorOf(target);
    onPage(m_store->before(m_conversation, cursor, PageSize), nullptr,
           [this, cursor, target, mark](const QList<ChatMessage> &older) {
               onPage(m_store->after(m_conversation, cursor, PageSize), &m_fetching,
                      [this, older, target, mark](const QList<ChatMessage> &newer) {
                          if (newer.size() == PageSize && m_sentWhileLoading) {
                              // Something was sent meanwhile: the writer wants the newest messages.
                              return loadNewest();
                          }
                          m_storeExhausted = older.size() < PageSize;
                          m_hasNewer = newer.size() == PageSize;
                          m_firstUnread = mark == Mark::FirstUnread ? target.storageId : 0;
                          QList<ChatMessage> messages(older.crbegin(), older.crend());
                          messages.append(target);
                          messages.append(newer);
                          if (!m_hasNewer)
                              keepLiveMessages(messages);
                          replaceAll(std::move(messages));
                          Q_EMIT loadedAround(rowOfStorageId(target.storageId));
                      });
           });
}

bool MessageListModel::canFetchOlder() const
{
    return m_store && m_loaded && !m_fetching && !m_reachedStart;
}

void MessageListModel::fetchOlder()
{
    if (!canFetchOlder())
        return;
    m_fetching = true;
    if (m_storeExhausted)
        olderFromArchive();
    else
        olderFromStore();
}

void MessageListModel::olderFromStore()
{
    std::optional<MessageRepository::Cursor> cursor;
    if (!m_messages.isEmpty())
        cursor = MessageRepository::cursorOf(m_messages.first());
    onPage(m_store->before(m_conversation, cursor, PageSize), &m_fetching,
           [this](const QList<ChatMessage> &older) {
               m_storeExhausted = older.size() < PageSize;
               if (older.isEmpty()) {
                   m_fetching = true;
                   return olderFromArchive();
               }
               const int before = rowCount();
               prepend(older);
               Q_EMIT olderLoaded(rowCount() - before);
           });
}

void MessageListModel::olderFromArchive()
{
    if (!m_history) {
        m_fetching = false;
        m_reachedStart = true;
        return Q_EMIT olderLoaded(0);
    }
    const int generation = m_generation;
    m_history->fetchOlder(m_conversation)
        .then(this, [this, generation](const Result<Core::HistorySync::OlderHistory> &fetched) {
            if (generation != m_generation)
                return;
            // Whatever went wrong (offline, no archive), scrolling up does not ask again and again;
            // opening the conversation again does.
            const bool stored =
                Core::isOk(fetched) && std::get<Core::HistorySync::OlderHistory>(fetched).stored > 0;
            if (stored) {
                m_storeExhausted = false;
                return olderFromStore();
            }
            m_fetching = false;
            m_reachedStart = true;
            if (!Core::isOk(fetched))
                Q_EMIT loadFailed(Core::errorOf(fetched).detail);
            Q_EMIT olderLoaded(0);
        });
}

bool MessageListModel::canFetchNewer() const
{
    return m_store && m_hasNewer && !m_fetchingNewer && !m_messages.isEmpty();
}

void MessageListModel::fetchNewer()
{
    if (!canFetchNewer())
        return;
    m_fetchingNewer = true;
    onPage(m_store->after(m_conversation, MessageRepository::cursorOf(m_messages.last()), PageSize),
           &m_fetchingNewer, [this](const QList<ChatMessage> &newer) {
               m_hasNewer = newer.size() == PageSize;
               for (const ChatMessage &message : newer) {
                   if (!contains(message))
                       insertSorted(message);
               }
           });
}

void MessageListModel::addMessage(const ChatMessage &message)
{
    if (message.conversation != m_conversation)
        return;
    if (const int row = rowOfSame(message); row >= 0) {
        const qint64 storageId = m_messages.at(row).storageId;
        m_messages[row] = message;
        if (message.storageId == 0)
            m_messages[row].storageId = storageId;
        Q_EMIT dataChanged(index(row), index(row));
        return;
    }
    if (m_store) {
        if (m_fetching && message.direction == ChatMessage::Direction::Outgoing && message.storageId == 0)
            m_sentWhileLoading = true;
        if (!m_loaded)
            return; // not open: its first page will hold it (a catch-up does not fill every model)
        if (m_hasNewer) {
            // Writing while reading old messages in context: back to the newest ones.
            if (message.direction == ChatMessage::Direction::Outgoing) {
                loadNewest();
                insertSorted(message);
            }
            return;
        }
        if (!m_messages.isEmpty() && !m_reachedStart && isEarlier(message, m_messages.first()))
            return; // older than the window: paging brings it
    }
    insertSorted(message);
}

QVariant MessageListModel::toolTip(const ChatMessage &message) const
{
    QStringList lines;
    if (message.direction == ChatMessage::Direction::Outgoing)
        lines.append(DeliveryPresenter::describe(message.delivery));
    if (message.isEdited()) {
        lines.append(tr("Edited %1").arg(DeliveryPresenter::formatTime(message.editedAt)));
        for (const ChatMessage::Version &version : message.history)
            lines.append(tr("Before (%1): %2")
                             .arg(DeliveryPresenter::formatTime(version.time), version.body.left(200)));
    }
    for (const ChatMessage::Reaction &reaction : message.reactions)
        lines.append(tr("%1 reacted %2").arg(reaction.reactor, reaction.emojis.join(u' ')));
    return lines.isEmpty() ? QVariant() : QVariant(lines.join(u'\n'));
}

QVariantList MessageListModel::reactionsOf(const ChatMessage &message) const
{
    // One chip per emoji, in the order people first used them.
    QList<QString> order;
    QHash<QString, QStringList> reactors;
    for (const ChatMessage::Reaction &reaction : message.reactions) {
        for (const QString &emoji : reaction.emojis) {
            if (!reactors.contains(emoji))
                order.append(emoji);
            reactors[emoji].append(reaction.reactor);
        }
    }
    QVariantList chips;
    for (const QString &emoji : std::as_const(order)) {
        const QStringList who = reactors.value(emoji);
        chips.append(QVariantMap{{QStringLiteral("emoji"), emoji},
                                 {QStringLiteral("count"), who.size()},
                                 {QStringLiteral("mine"), who.contains(m_conversation.account)},
                                 {QStringLiteral("reactors"), who}});
    }
    return chips;
}

void MessageListModel::updateMessages(const QList<ChatMessage> &messages)
{
    for (const ChatMessage &message : messages) {
        if (message.conversation != m_conversation)
            continue;
        const int row = rowOfSame(message);
        if (row < 0)
            continue;
        m_messages[row] = message;
        Q_EMIT dataChanged(index(row), index(row));
        // Replies quoting it show its new text.
        for (int other = 0; other < m_messages.size(); ++other) {
            const QString &reply = m_messages.at(other).replyToId;
            if (!reply.isEmpty() && (reply == message.id || reply == message.originId))
                Q_EMIT dataChanged(index(other), index(other), {ReplyQuoteRole});
        }
    }
}

void MessageListModel::removeMessage(qint64 storageId)
{
    const int row = rowOfStorageId(storageId);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_messages.removeAt(row);
    endRemoveRows();
    neighbourChanged(row);
}

void MessageListModel::removeUnsent(const QString &id)
{
    const int row = rowOf(id);
    if (row < 0 || m_messages.at(row).direction != ChatMessage::Direction::Outgoing)
        return;
    beginRemoveRows({}, row, row);
    m_messages.removeAt(row);
    endRemoveRows();
    neighbourChanged(row);
}

int MessageListModel::lastCorrectableRow() const
{
    for (int row = int(m_messages.size()) - 1; row >= 0; --row) {
        const ChatMessage &message = m_messages.at(row);
        if (message.direction == ChatMessage::Direction::Outgoing &&
            message.removal == ChatMessage::Removal::None && !message.id.isEmpty())
            return row;
    }
    return -1;
}

int MessageListModel::rowOfSame(const ChatMessage &message) const
{
    for (int row = 0; row < m_messages.size(); ++row) {
        if (isSameMessage(m_messages.at(row), message))
            return row;
    }
    return -1;
}

int MessageListModel::rowOfReference(const QString &id) const
{
    if (id.isEmpty())
        return -1;
    for (int row = int(m_messages.size()) - 1; row >= 0; --row) {
        if (m_messages.at(row).originId == id || m_messages.at(row).id == id)
            return row;
    }
    return -1;
}

bool MessageListModel::setDelivery(const QString &id, ChatMessage::Delivery delivery)
{
    const int row = rowOf(id);
    if (row < 0)
        return false;
    if (m_messages.at(row).delivery == delivery)
        return true;
    // The answer to a send can come after a receipt: it must not take the ticks back.
    if (!ChatMessage::isFurther(delivery, m_messages.at(row).delivery) &&
        delivery != ChatMessage::Delivery::Failed)
        return true;
    m_messages[row].delivery = delivery;
    Q_EMIT dataChanged(index(row), index(row), {DeliveryRole, Qt::ToolTipRole});
    return true;
}

void MessageListModel::setGaps(const QList<Core::HistoryGap> &gaps)
{
    m_gaps = gaps;
    if (!m_messages.isEmpty())
        Q_EMIT dataChanged(index(0), index(rowCount() - 1), {GapBeforeRole, GroupedRole});
}

void MessageListModel::clearFirstUnread()
{
    const int row = rowOfStorageId(m_firstUnread);
    m_firstUnread = 0;
    if (row >= 0)
        Q_EMIT dataChanged(index(row), index(row), {FirstUnreadRole, GroupedRole});
}

void MessageListModel::flash(int row)
{
    if (row < 0 || row >= m_messages.size())
        return;
    const int previous = rowOfStorageId(m_highlighted);
    m_highlighted = m_messages.at(row).storageId;
    if (previous >= 0)
        Q_EMIT dataChanged(index(previous), index(previous), {HighlightRole});
    Q_EMIT dataChanged(index(row), index(row), {HighlightRole});
    m_highlightTimer.start();
}

} // namespace Natter::Ui
