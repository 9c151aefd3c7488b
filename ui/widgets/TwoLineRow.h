// SPDX-License-Identifier: GPL-3.0-or-later
// The look shared by the side bar's two-line rows (conversations, search results): background, a bold
// title with a time on the right, and the rectangle and colours of the second line.
#pragma once

#include <QColor>
#include <QRect>
#include <QString>

class QPainter;
class QStyleOptionViewItem;

namespace Natter::Ui {

class TwoLineRow
{
public:
    static constexpr int Padding = 8;

    static QSize sizeHint(const QStyleOptionViewItem &option);
    // Paints the background and the first line; the painter's font and pen are left to the caller.
    static TwoLineRow paint(QPainter *painter, const QStyleOptionViewItem &option, const QString &title,
                            const QString &time);

    QRect secondLine;
    QColor text; // the row's text colour (selected or not)
    QColor dim;  // the same, faded, for secondary text
};

} // namespace Natter::Ui
