// SPDX-License-Identifier: GPL-3.0-or-later
// The message list of the open conversation: a QListView that follows new messages at the bottom.
#pragma once

#include <QListView>

namespace Natter::Ui {

class MessageDelegate;

class ChatView : public QListView
{
    Q_OBJECT
public:
    explicit ChatView(QWidget *parent = nullptr);

    void setModel(QAbstractItemModel *model) override;

protected:
    void rowsInserted(const QModelIndex &parent, int start, int end) override;

private:
    MessageDelegate *m_delegate;
};

} // namespace Natter::Ui
