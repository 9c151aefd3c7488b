// SPDX-License-Identifier: GPL-3.0-or-later
// The message list of the open conversation: follows new messages at the bottom, loads older pages when
// scrolled to the top without moving what is on screen, and shows a message in context.
#include "ChatView.h"

#include "Composer.h"
#include "MessageDelegate.h"
#include "models/MessageListModel.h"

#include <QDropEvent>
#include <QMimeData>
#include <QScrollBar>
#include <QTimer>

namespace Natter::Ui {

namespace {
// Delivery marks and highlights keep a row's height; text and the lines above it do not.
bool changesSize(const QList<int> &roles)
{
    static const QList<int> sizeRoles = {Qt::DisplayRole,
                                         MessageListModel::BodyRole,
                                         MessageListModel::DayRole,
                                         MessageListModel::GroupedRole,
                                         MessageListModel::FirstUnreadRole,
                                         MessageListModel::GapBeforeRole,
                                         MessageListModel::ReplyQuoteRole,
                                         MessageListModel::ReactionsRole,
                                         MessageListModel::EditedRole,
                                         MessageListModel::RemovalRole,
                                         MessageListModel::ThumbnailRole};
    return roles.isEmpty() ||
           std::any_of(roles.cbegin(), roles.cend(), [](int role) { return sizeRoles.contains(role); });
}
} // namespace

ChatView::ChatView(QWidget *parent)
    : QListView(parent)
    , m_delegate(new MessageDelegate(this))
{
    setItemDelegate(m_delegate);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // Sizes depend on the width: lay the rows out again when it changes.
    setResizeMode(QListView::Adjust);
    setUniformItemSizes(false);
    setMouseTracking(true);
    setFrameShape(QFrame::NoFrame);
    setAccessibleName(tr("Messages"));
    setContextMenuPolicy(Qt::CustomContextMenu);
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, &ChatView::fetchIfNeeded);
    setAcceptDrops(true);
    viewport()->setAcceptDrops(true);
    setDragDropMode(QAbstractItemView::DropOnly);
}

void ChatView::dragEnterEvent(QDragEnterEvent *event)
{
    if (!Composer::acceptFilesAsCopy(event))
        event->ignore();
}

void ChatView::dragMoveEvent(QDragMoveEvent *event)
{
    if (!Composer::acceptFilesAsCopy(event))
        event->ignore();
}

void ChatView::dropEvent(QDropEvent *event)
{
    if (Composer::acceptFilesAsCopy(event))
        Q_EMIT filesDropped(Composer::localFilesOf(event->mimeData()));
    else
        event->ignore();
}

MessageListModel *ChatView::messageModel() const
{
    return qobject_cast<MessageListModel *>(model());
}

void ChatView::setModel(QAbstractItemModel *model)
{
    if (model == this->model())
        return;
    if (this->model())
        this->model()->disconnect(this);
    m_delegate->clearSizeCache();
    m_anchor = QPersistentModelIndex();
    QListView::setModel(model);
    scrollToBottom();
    if (!model)
        return;
    connect(model, &QAbstractItemModel::modelReset, this, [this] { m_delegate->clearSizeCache(); });
    connect(model, &QAbstractItemModel::rowsAboutToBeInserted, this, [this](const QModelIndex &, int start) {
        if (start == 0)
            rememberAnchor();
    });
    // A row's neighbours decide its day line and grouping: lay out again, keeping the anchor in place.
    connect(model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &, const QModelIndex &, const QList<int> &roles) {
                if (!changesSize(roles))
                    return;
                scheduleDelayedItemsLayout();
                if (m_anchor.isValid())
                    restoreAnchor();
            });
    if (auto *messages = messageModel()) {
        connect(messages, &MessageListModel::pageLoaded, this, [this] {
            scrollToBottom();
            QTimer::singleShot(0, this, &ChatView::fetchIfNeeded);
        });
        connect(messages, &MessageListModel::loadedAround, this, &ChatView::showMessage);
        connect(messages, &MessageListModel::olderLoaded, this,
                [this] { QTimer::singleShot(0, this, &ChatView::fetchIfNeeded); });
    }
}

void ChatView::showMessage(int row)
{
    if (!model() || row < 0 || row >= model()->rowCount())
        return;
    doItemsLayout();
    const QModelIndex index = model()->index(row, 0);
    setCurrentIndex(index);
    scrollTo(index, QAbstractItemView::PositionAtCenter);
    if (auto *messages = messageModel())
        messages->flash(row);
}

int ChatView::lastVisibleRow() const
{
    if (!model() || model()->rowCount() == 0)
        return -1;
    const QModelIndex bottom = indexAt(QPoint(viewport()->width() / 2, viewport()->height() - 2));
    if (bottom.isValid())
        return bottom.row();
    // The list does not fill the view: its last row is on screen.
    const QRect last = visualRect(model()->index(model()->rowCount() - 1, 0));
    return last.isValid() && last.top() < viewport()->height() ? model()->rowCount() - 1 : -1;
}

void ChatView::rememberAnchor()
{
    if (!model() || model()->rowCount() == 0)
        return;
    doItemsLayout();
    m_anchor = indexAt(QPoint(viewport()->width() / 2, 1));
    if (!m_anchor.isValid())
        m_anchor = model()->index(0, 0);
    m_anchorOffset = visualRect(m_anchor).top();
    m_anchorValue = -1;
}

void ChatView::restoreAnchor()
{
    QScrollBar *bar = verticalScrollBar();
    // Once the reader scrolled elsewhere, the anchor is no longer theirs to keep.
    if (!m_anchor.isValid() || (m_anchorValue >= 0 && bar->value() != m_anchorValue))
        return;
    doItemsLayout();
    bar->setValue(bar->value() + visualRect(m_anchor).top() - m_anchorOffset);
    m_anchorValue = bar->value();
}

void ChatView::rowsInserted(const QModelIndex &parent, int start, int end)
{
    const QScrollBar *bar = verticalScrollBar();
    const bool atBottom = bar->value() >= bar->maximum() - 4;
    QListView::rowsInserted(parent, start, end);
    if (start == 0 && m_anchor.isValid()) {
        restoreAnchor();
        // The neighbour's day line may change right after; keep the anchor until then.
        QTimer::singleShot(0, this, [this] {
            restoreAnchor();
            m_anchor = QPersistentModelIndex();
        });
        return;
    }
    // Someone reading older messages is not pulled away from them.
    if (atBottom)
        QTimer::singleShot(0, this, &QListView::scrollToBottom);
}

void ChatView::resizeEvent(QResizeEvent *event)
{
    QListView::resizeEvent(event);
    QTimer::singleShot(0, this, &ChatView::fetchIfNeeded);
}

void ChatView::fetchIfNeeded()
{
    MessageListModel *messages = messageModel();
    if (!messages)
        return;
    const QScrollBar *bar = verticalScrollBar();
    const int margin = viewport()->height() / 2;
    if (bar->value() <= margin && messages->canFetchOlder())
        messages->fetchOlder();
    else if (bar->value() >= bar->maximum() - margin && messages->canFetchNewer())
        messages->fetchNewer();
}

} // namespace Natter::Ui
