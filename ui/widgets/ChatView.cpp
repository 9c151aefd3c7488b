// SPDX-License-Identifier: GPL-3.0-or-later
// The message list of the open conversation: a QListView that follows new messages at the bottom.
#include "ChatView.h"

#include "MessageDelegate.h"

#include <QScrollBar>
#include <QTimer>

namespace Natter::Ui {

ChatView::ChatView(QWidget *parent)
    : QListView(parent)
    , m_delegate(new MessageDelegate(this))
{
    setItemDelegate(m_delegate);
    setSelectionMode(QAbstractItemView::NoSelection);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // Sizes depend on the width: lay the rows out again when it changes.
    setResizeMode(QListView::Adjust);
    setUniformItemSizes(false);
    setMouseTracking(true);
    setFrameShape(QFrame::NoFrame);
    setAccessibleName(tr("Messages"));
}

void ChatView::setModel(QAbstractItemModel *model)
{
    if (model == this->model())
        return;
    if (this->model())
        this->model()->disconnect(this);
    m_delegate->clearSizeCache();
    QListView::setModel(model);
    if (model)
        connect(model, &QAbstractItemModel::modelReset, this, [this] { m_delegate->clearSizeCache(); });
    scrollToBottom();
}

void ChatView::rowsInserted(const QModelIndex &parent, int start, int end)
{
    const QScrollBar *bar = verticalScrollBar();
    const bool atBottom = bar->value() >= bar->maximum() - 4;
    QListView::rowsInserted(parent, start, end);
    // Someone reading older messages is not pulled away from them.
    if (atBottom)
        QTimer::singleShot(0, this, &QListView::scrollToBottom);
}

} // namespace Natter::Ui
