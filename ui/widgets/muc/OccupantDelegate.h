// SPDX-License-Identifier: GPL-3.0-or-later
// Paints the occupant list of a room: group headers (title and count) and occupants (presence dot, nick,
// affiliation badge, real JID), all rows one fixed height so long lists scroll without text layout.
#pragma once

#include <QStyledItemDelegate>

namespace Natter::Ui {

class OccupantDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;

    // The words of the badge for an affiliation (Core::MucAffiliation as int), empty when it has none.
    static QString badgeText(int affiliation);

private:
    void paintHeader(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const;
    void paintOccupant(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const;
};

} // namespace Natter::Ui
