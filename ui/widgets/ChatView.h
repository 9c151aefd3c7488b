// SPDX-License-Identifier: GPL-3.0-or-later
// The message list of the open conversation: follows new messages at the bottom, loads older pages when
// scrolled to the top without moving what is on screen, and shows a message in context. Files dropped on it
// go to the composer.
#pragma once

#include <QListView>
#include <QPersistentModelIndex>

namespace Natter::Ui {

class MessageDelegate;
class MessageListModel;

class ChatView : public QListView
{
    Q_OBJECT
public:
    explicit ChatView(QWidget *parent = nullptr);

    void setModel(QAbstractItemModel *model) override;
    // Selects the row, centres it and highlights it briefly.
    void showMessage(int row);
    MessageDelegate *messageDelegate() const { return m_delegate; }
    // The newest row whose message is (at least partly) on screen, or -1.
    int lastVisibleRow() const;

Q_SIGNALS:
    // Local files were dropped on the messages: they are for the composer.
    void filesDropped(const QStringList &paths);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void rowsInserted(const QModelIndex &parent, int start, int end) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    MessageListModel *messageModel() const;
    // Asks for older (or newer) rows when the view is scrolled near that end or is not full yet.
    void fetchIfNeeded();
    void rememberAnchor();
    void restoreAnchor();

    MessageDelegate *m_delegate;
    // The row at the top of the viewport while rows are prepended above it, and its offset.
    QPersistentModelIndex m_anchor;
    int m_anchorOffset = 0;
    int m_anchorValue = -1; // the scroll position the anchor was last restored to
};

} // namespace Natter::Ui
