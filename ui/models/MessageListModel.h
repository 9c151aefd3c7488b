// SPDX-License-Identifier: GPL-3.0-or-later
// The messages of one conversation, oldest first: a window over the message store that pages by cursor,
// plus the live messages of this session. Without a store it only keeps what it is given.
#pragma once

#include "common/Result.h"
#include "domain/ChatMessage.h"
#include "files/AttachmentService.h"
#include "storage/SyncStateRepository.h"

#include <QAbstractListModel>
#include <QFuture>
#include <QList>
#include <QPointer>
#include <QTimer>

namespace Natter::Core {
class AttachmentService;
class HistorySync;
class MessageRepository;
} // namespace Natter::Core

namespace Natter::Ui {

class AnimationPlayer;
class ThumbnailCache;

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
        MessageRole,     // the whole ChatMessage
        StorageIdRole,   // qint64, 0 for a message not stored yet
        DayRole,         // QDate (local) when a new day starts with this row, else invalid
        GroupedRole,     // bool: same sender as the row above, a few minutes later: drawn without a header
        FirstUnreadRole, // bool: the "unread messages" line goes above this row
        GapBeforeRole,   // bool: messages just before this row could not be loaded from the archive
        HighlightRole,   // bool: briefly true for the message a search jumped to
        EditedRole,      // bool: corrected by its author (XEP-0308)
        RemovalRole,     // int(ChatMessage::Removal)
        ReplyQuoteRole,  // QString: the text of the message this one answers (the current one when loaded)
        ReplyAuthorRole, // QString: bare JID of the author of that message
        ReactionsRole,   // QVariantList of QVariantMap {emoji, count, mine (bool), reactors (QStringList)}
        MentionRole,     // bool: in a room, someone else's message that names us (our nickname)
        AttachmentRole,  // Core::AttachmentState of the message's file; invalid when it shares none
        ThumbnailRole, // QImage: the thumbnail of a saved image, or before that its sender's preview; or null
        AnimationFrameRole, // QImage: the frame to show now of a saved animated image (GIF), else null
    };
    Q_ENUM(Role)

    static constexpr int PageSize = 50;

    explicit MessageListModel(Core::ConversationKey conversation, QObject *parent = nullptr);

    Core::ConversationKey conversation() const { return m_conversation; }

    // Pages over store from now on; history (when set) is asked for older messages the store lacks.
    void setStore(Core::MessageRepository *store);
    void setHistory(Core::HistorySync *history);
    // Where the messages' files stand (downloads, thumbnails); rows update as they change.
    void setAttachments(Core::AttachmentService *attachments, ThumbnailCache *thumbnails,
                        AnimationPlayer *animations = nullptr);
    bool hasStore() const { return m_store != nullptr; }
    // The newest page has been asked for (the view was opened once).
    bool isLoaded() const { return m_loaded; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Replaces the rows by the newest page of the store; emits pageLoaded.
    void loadNewest();
    // Replaces the rows by the page around target (older above, newer below); emits loadedAround.
    // firstUnread marks target with the "unread messages" line.
    enum class Mark
    {
        None,
        FirstUnread
    };
    void loadAround(const Core::ChatMessage &target, Mark mark = Mark::None);

    // Older or newer messages can be loaded (scrolling towards them asks for them).
    bool canFetchOlder() const;
    void fetchOlder();
    bool canFetchNewer() const;
    void fetchNewer();
    bool isFetching() const { return m_fetching; }
    // Nothing older exists: neither in the store nor (as far as it is known) in the archive.
    bool reachedStart() const { return m_reachedStart; }

    // A live, sent or archive message: inserted in time order, or replacing its earlier copy (same
    // storageId or id). Ignored when it belongs outside the loaded window (paging brings it later).
    void addMessage(const Core::ChatMessage &message);
    // Stored messages that changed (corrected, retracted, reacted to, delivered): rows holding them are
    // replaced; the others are ignored (paging reads them from the store).
    void updateMessages(const QList<Core::ChatMessage> &messages);
    // Removes the row of a message deleted on this device.
    void removeMessage(qint64 storageId);
    // Our message with that id never went out (it could not be encrypted): it leaves the chat.
    void removeUnsent(const QString &id);
    // Row of the newest message of ours that can still be corrected, or -1.
    int lastCorrectableRow() const;
    // Row of the message with that id or origin-id (what replies refer to), or -1.
    int rowOfReference(const QString &id) const;
    // Updates the delivery state of the message with that id (never backwards); false when there is none.
    bool setDelivery(const QString &id, Core::ChatMessage::Delivery delivery);
    // The intervals the archive could not deliver (marked above the first row after each).
    void setGaps(const QList<Core::HistoryGap> &gaps);
    // Our nickname in the room this model shows: messages naming it are mentions.
    void setOwnNick(const QString &nick);
    void clearFirstUnread();
    // Highlights the row for a moment.
    void flash(int row);

    // Row of the message with that id, or -1.
    int rowOf(const QString &id) const;
    int rowOfStorageId(qint64 storageId) const;
    Core::ChatMessage messageAt(int row) const { return m_messages.at(row); }

Q_SIGNALS:
    void pageLoaded();
    void loadedAround(int row);
    // Older rows were inserted at the top (count may be 0 when there was nothing more).
    void olderLoaded(int count);
    void loadFailed(const QString &reason);

private:
    void insertSorted(const Core::ChatMessage &message);
    void replaceAll(QList<Core::ChatMessage> messages);
    void prepend(const QList<Core::ChatMessage> &olderNewestFirst);
    // Continues with a page of the store on this thread unless a reload came in between; clears
    // *busy (when given) and reports errors.
    template <typename Then>
    void onPage(QFuture<Core::Result<QList<Core::ChatMessage>>> page, bool *busy, Then then);
    void startLoading();
    // Adds to page (oldest first, from the store) the rows not in it that are newer than its start.
    void keepLiveMessages(QList<Core::ChatMessage> &page) const;

    void olderFromStore();
    void olderFromArchive();
    bool contains(const Core::ChatMessage &message) const;
    // Row holding message (the same stored row, or its copy not stored yet), or -1.
    int rowOfSame(const Core::ChatMessage &message) const;
    bool isGrouped(int row) const;
    bool hasGapBefore(int row) const;
    QVariant toolTip(const Core::ChatMessage &message) const;
    std::optional<Core::AttachmentState> attachmentOf(const Core::ChatMessage &message) const;
    QVariantList reactionsOf(const Core::ChatMessage &message) const;
    // Rows whose look depends on their neighbour: refresh them when the neighbour changes.
    void neighbourChanged(int row);

    Core::ConversationKey m_conversation;
    QString m_ownNick;
    QList<Core::ChatMessage> m_messages;
    Core::MessageRepository *m_store = nullptr;
    QPointer<Core::HistorySync> m_history;
    QPointer<Core::AttachmentService> m_attachments;
    QPointer<ThumbnailCache> m_thumbnails;
    QPointer<AnimationPlayer> m_animations;
    QList<Core::HistoryGap> m_gaps;
    qint64 m_firstUnread = 0;
    qint64 m_highlighted = 0;
    QTimer m_highlightTimer;
    int m_generation = 0; // a reload abandons the pages still on their way
    bool m_loaded = false;
    bool m_fetching = false;
    bool m_fetchingNewer = false;
    bool m_reachedStart = false;
    bool m_storeExhausted = false;   // the store has nothing older than the first row
    bool m_hasNewer = false;         // rows newer than the last one exist in the store (opened in context)
    bool m_sentWhileLoading = false; // a message was sent while a page was on its way
};

} // namespace Natter::Ui
