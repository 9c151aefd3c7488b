// SPDX-License-Identifier: GPL-3.0-or-later
// Paints one row of the conversation list: contact, last message, time and unread count.
#include "ConversationDelegate.h"

#include "models/ConversationListModel.h"
#include "presenters/DeliveryPresenter.h"

#include <QApplication>
#include <QPainter>

namespace Natter::Ui {

namespace {
constexpr int Padding = 8;
constexpr int LineGap = 2;

QFont boldFont(const QFont &font)
{
    QFont bold = font;
    bold.setBold(true);
    return bold;
}
} // namespace

QSize ConversationDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    const int height =
        QFontMetrics(boldFont(option.font)).height() + LineGap + QFontMetrics(option.font).height();
    return {200, height + 2 * Padding};
}

void ConversationDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                 const QModelIndex &index) const
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const bool selected = option.state & QStyle::State_Selected;
    if (selected)
        painter->fillRect(option.rect, option.palette.color(QPalette::Highlight));
    else if (option.state & QStyle::State_MouseOver)
        painter->fillRect(option.rect, option.palette.color(QPalette::AlternateBase));

    const QColor text = option.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    QColor dim = text;
    dim.setAlphaF(0.65f);

    const QRect content = option.rect.adjusted(Padding, Padding, -Padding, -Padding);
    const QFont bold = boldFont(option.font);
    const QFontMetrics boldMetrics(bold);
    const QFontMetrics metrics(option.font);
    const QRect firstLine(content.left(), content.top(), content.width(), boldMetrics.height());
    const QRect secondLine(content.left(), firstLine.bottom() + 1 + LineGap, content.width(),
                           metrics.height());

    const QString time =
        DeliveryPresenter::formatTime(index.data(ConversationListModel::LastActivityRole).toDateTime());
    const int timeWidth = metrics.horizontalAdvance(time);
    painter->setFont(option.font);
    painter->setPen(dim);
    painter->drawText(firstLine, Qt::AlignRight | Qt::AlignVCenter, time);

    painter->setFont(bold);
    painter->setPen(text);
    const QString peer = index.data(ConversationListModel::PeerRole).toString();
    painter->drawText(firstLine, Qt::AlignLeft | Qt::AlignVCenter,
                      boldMetrics.elidedText(peer, Qt::ElideMiddle, firstLine.width() - timeWidth - Padding));

    const int unread = index.data(ConversationListModel::UnreadRole).toInt();
    const int badgeSpace = unread > 0 ? metrics.horizontalAdvance(QString::number(unread)) + 2 * Padding : 0;
    painter->setFont(option.font);
    painter->setPen(dim);
    const QString preview = index.data(ConversationListModel::PreviewRole).toString();
    painter->drawText(secondLine, Qt::AlignLeft | Qt::AlignVCenter,
                      metrics.elidedText(preview, Qt::ElideRight, secondLine.width() - badgeSpace));
    if (unread > 0)
        paintUnreadBadge(painter, option, unread, secondLine);
    painter->restore();
}

void ConversationDelegate::paintUnreadBadge(QPainter *painter, const QStyleOptionViewItem &option, int unread,
                                            const QRect &line) const
{
    const QString count = unread > 99 ? QStringLiteral("99+") : QString::number(unread);
    QFont font = boldFont(option.font);
    const QFontMetrics metrics(font);
    const int height = metrics.height();
    const int width = std::max(height, metrics.horizontalAdvance(count) + height / 2 + 4);
    const QRect badge(line.right() - width, line.center().y() - height / 2, width, height);
    painter->setPen(Qt::NoPen);
    painter->setBrush(QColor(0x2e, 0x7d, 0x32));
    painter->drawRoundedRect(badge, height / 2.0, height / 2.0);
    painter->setFont(font);
    painter->setPen(Qt::white);
    painter->drawText(badge, Qt::AlignCenter, count);
}

} // namespace Natter::Ui
