// SPDX-License-Identifier: GPL-3.0-or-later
// The look shared by the side bar's two-line rows (conversations, search results): background, a bold
// title with a time on the right, and the rectangle and colours of the second line.
#include "TwoLineRow.h"

#include <QPainter>
#include <QStyleOptionViewItem>

namespace Natter::Ui {

namespace {
constexpr int LineGap = 2;

QFont boldFont(const QFont &font)
{
    QFont bold = font;
    bold.setBold(true);
    return bold;
}
} // namespace

QSize TwoLineRow::sizeHint(const QStyleOptionViewItem &option)
{
    const int height =
        QFontMetrics(boldFont(option.font)).height() + LineGap + QFontMetrics(option.font).height();
    return {200, height + 2 * Padding};
}

TwoLineRow TwoLineRow::paint(QPainter *painter, const QStyleOptionViewItem &option, const QString &title,
                             const QString &time)
{
    const bool selected = option.state & QStyle::State_Selected;
    if (selected)
        painter->fillRect(option.rect, option.palette.color(QPalette::Highlight));
    else if (option.state & QStyle::State_MouseOver)
        painter->fillRect(option.rect, option.palette.color(QPalette::AlternateBase));

    TwoLineRow row;
    row.text = option.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    row.dim = row.text;
    row.dim.setAlphaF(0.65f);

    const QRect content = option.rect.adjusted(Padding, Padding, -Padding, -Padding);
    const QFont bold = boldFont(option.font);
    const QFontMetrics boldMetrics(bold);
    const QFontMetrics metrics(option.font);
    const QRect firstLine(content.left(), content.top(), content.width(), boldMetrics.height());
    row.secondLine =
        QRect(content.left(), firstLine.bottom() + 1 + LineGap, content.width(), metrics.height());

    const int timeWidth = metrics.horizontalAdvance(time);
    painter->setFont(option.font);
    painter->setPen(row.dim);
    painter->drawText(firstLine, Qt::AlignRight | Qt::AlignVCenter, time);
    painter->setFont(bold);
    painter->setPen(row.text);
    painter->drawText(
        firstLine, Qt::AlignLeft | Qt::AlignVCenter,
        boldMetrics.elidedText(title, Qt::ElideMiddle, firstLine.width() - timeWidth - Padding));
    return row;
}

} // namespace Natter::Ui
