// SPDX-License-Identifier: GPL-3.0-or-later
// Paints one row of the conversation list: contact, last message, time and unread count.
#include "ConversationDelegate.h"

#include "TwoLineRow.h"
#include "models/ConversationListModel.h"
#include "presenters/DeliveryPresenter.h"

#include <QApplication>
#include <QPainter>

namespace Natter::Ui {

namespace {
constexpr int Padding = TwoLineRow::Padding;

QFont boldFont(const QFont &font)
{
    QFont bold = font;
    bold.setBold(true);
    return bold;
}
} // namespace

QSize ConversationDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    return TwoLineRow::sizeHint(option);
}

void ConversationDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                 const QModelIndex &index) const
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const TwoLineRow row = TwoLineRow::paint(
        painter, option, index.data(Qt::DisplayRole).toString(),
        DeliveryPresenter::formatTime(index.data(ConversationListModel::LastActivityRole).toDateTime()));

    const QFontMetrics metrics(option.font);
    const int unread = index.data(ConversationListModel::UnreadRole).toInt();
    const int badgeSpace = unread > 0 ? metrics.horizontalAdvance(QString::number(unread)) + 2 * Padding : 0;
    painter->setFont(option.font);
    const QString draft = index.data(ConversationListModel::DraftRole).toString();
    const QString preview = draft.isEmpty() ? index.data(ConversationListModel::PreviewRole).toString()
                                            : tr("Draft: %1").arg(draft.simplified());
    painter->setPen(draft.isEmpty() ? row.dim : QColor(0xc6, 0x28, 0x28));
    painter->drawText(row.secondLine, Qt::AlignLeft | Qt::AlignVCenter,
                      metrics.elidedText(preview, Qt::ElideRight, row.secondLine.width() - badgeSpace));
    if (unread > 0)
        paintUnreadBadge(painter, option, unread, row.secondLine);
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
