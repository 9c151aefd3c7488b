// SPDX-License-Identifier: GPL-3.0-or-later
// Paints one search result: contact, time, and the message text around the match with the words marked.
#pragma once

#include <QStyledItemDelegate>

namespace Natter::Ui {

class SearchResultDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace Natter::Ui
