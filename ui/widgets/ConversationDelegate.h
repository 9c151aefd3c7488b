// SPDX-License-Identifier: GPL-3.0-or-later
// Paints one row of the conversation list: contact, last message, time and unread count.
#pragma once

#include <QStyledItemDelegate>

namespace Natter::Ui {

class ConversationDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    void paintUnreadBadge(QPainter *painter, const QStyleOptionViewItem &option, int unread,
                          const QRect &line) const;
};

} // namespace Natter::Ui
