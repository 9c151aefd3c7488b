// SPDX-License-Identifier: GPL-3.0-or-later
// Paints one chat message (sender, time, delivery mark, plain-text body) with the lines above it (day,
// unread, archive gap); a message that continues its sender's group has no header. Caches its size.
#include "MessageDelegate.h"

#include "models/MessageListModel.h"
#include "presenters/DeliveryPresenter.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QTextLayout>
#include <QTextOption>
#include <cmath>

namespace Natter::Ui {

using Core::ChatMessage;

namespace {
QTextOption bodyTextOption()
{
    // Plain text only: no rich-text detection, long words break instead of overflowing.
    QTextOption option(Qt::AlignLeft | Qt::AlignTop);
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    return option;
}

QFont boldFont(const QFont &font)
{
    QFont bold = font;
    bold.setBold(true);
    return bold;
}

QFont smallFont(const QFont &font)
{
    QFont small = font;
    if (small.pointSizeF() > 0)
        small.setPointSizeF(small.pointSizeF() * 0.85);
    return small;
}

QColor ownColour(const QPalette &palette)
{
    return palette.color(QPalette::Highlight).darker(115);
}

QColor peerColour(const QPalette &palette)
{
    return palette.color(QPalette::Text);
}

QString dayLabel(const QDate &day)
{
    const QDate today = QDate::currentDate();
    if (day == today)
        return MessageDelegate::tr("Today");
    if (day == today.addDays(-1))
        return MessageDelegate::tr("Yesterday");
    return QLocale().toString(day, QLocale::LongFormat);
}

bool isGrouped(const QModelIndex &index)
{
    return index.data(MessageListModel::GroupedRole).toBool();
}
} // namespace

MessageDelegate::MessageDelegate(QAbstractItemView *view)
    : QStyledItemDelegate(view)
    , m_view(view)
{}

void MessageDelegate::clearSizeCache()
{
    m_sizeCache.clear();
}

MessageDelegate::Metrics MessageDelegate::metrics(const QStyleOptionViewItem &option) const
{
    const QFontMetrics bold(boldFont(option.font));
    const int padding = std::max(7, bold.height() / 2);
    return {padding, bold.height(), std::max(12, bold.ascent())};
}

int MessageDelegate::bodyWidth() const
{
    const QFontMetrics bold(boldFont(m_view->font()));
    const int padding = std::max(7, bold.height() / 2);
    // Room on the right for the delivery mark of a grouped message.
    const int markSize = std::max(12, bold.ascent());
    return std::max(40, m_view->viewport()->width() - 3 * padding - markSize);
}

QStringList MessageDelegate::notices(const QModelIndex &index) const
{
    QStringList lines;
    if (index.data(MessageListModel::GapBeforeRole).toBool())
        lines.append(tr("Some messages from this period could not be loaded"));
    if (const QDate day = index.data(MessageListModel::DayRole).toDate(); day.isValid())
        lines.append(dayLabel(day));
    if (index.data(MessageListModel::FirstUnreadRole).toBool())
        lines.append(tr("Unread messages"));
    return lines;
}

int MessageDelegate::noticesHeight(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const int lineHeight = QFontMetrics(smallFont(option.font)).height() + metrics(option).padding;
    return int(notices(index).size()) * lineHeight;
}

void MessageDelegate::paintNotices(QPainter *painter, const QStyleOptionViewItem &option,
                                   const QModelIndex &index) const
{
    const QFont small = smallFont(option.font);
    const QFontMetrics fm(small);
    const int padding = metrics(option).padding;
    const int lineHeight = fm.height() + padding;
    const bool gap = index.data(MessageListModel::GapBeforeRole).toBool();
    const bool unread = index.data(MessageListModel::FirstUnreadRole).toBool();
    const QStringList lines = notices(index);
    painter->setFont(small);
    for (int i = 0; i < lines.size(); ++i) {
        const QRect line(option.rect.left() + padding, option.rect.top() + i * lineHeight + padding / 2,
                         option.rect.width() - 2 * padding, fm.height());
        const bool isGap = gap && i == 0;
        const bool isUnread = unread && i == lines.size() - 1;
        QColor colour = option.palette.color(QPalette::PlaceholderText);
        if (isGap)
            colour = QColor(0xb2, 0x6a, 0x00);
        else if (isUnread)
            colour = QColor(0xc6, 0x28, 0x28);
        const int textWidth = fm.horizontalAdvance(lines.at(i)) + 2 * padding;
        const QRect text(line.center().x() - textWidth / 2, line.top(), textWidth, line.height());
        painter->setPen(QPen(colour, 1));
        const int y = line.center().y();
        painter->drawLine(line.left(), y, text.left(), y);
        painter->drawLine(text.right(), y, line.right(), y);
        painter->drawText(text, Qt::AlignCenter, lines.at(i));
    }
}

qreal MessageDelegate::bodyHeight(const QString &text, const QFont &font, int width) const
{
    QTextLayout layout(text, font);
    layout.setTextOption(bodyTextOption());
    layout.beginLayout();
    qreal height = 0;
    for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
        line.setLineWidth(width);
        line.setPosition(QPointF(0, height));
        height += line.height();
    }
    layout.endLayout();
    return std::max(height, qreal(QFontMetrics(font).height()));
}

QString MessageDelegate::cacheKey(const QModelIndex &index) const
{
    // The lines above the message and its header change its height as its neighbours change.
    const QString layout = notices(index).join(u'|') + (isGrouped(index) ? u'g' : u'h');
    const QString id = index.data(MessageListModel::IdRole).toString();
    if (!id.isEmpty())
        return id + u'\n' + layout;
    // Messages without an id (some clients send none) are told apart by time and text.
    return index.data(MessageListModel::TimestampRole).toDateTime().toString(Qt::ISODateWithMs) + u'\n' +
           index.data(MessageListModel::BodyRole).toString() + u'\n' + layout;
}

QSize MessageDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const int width = bodyWidth();
    if (width != m_cachedWidth) {
        m_sizeCache.clear();
        m_cachedWidth = width;
    }
    const QString key = cacheKey(index);
    if (const auto cached = m_sizeCache.constFind(key); cached != m_sizeCache.constEnd())
        return *cached;
    const Metrics m = metrics(option);
    const qreal body = bodyHeight(index.data(MessageListModel::BodyRole).toString(), option.font, width);
    const bool grouped = isGrouped(index);
    const int header = grouped ? 0 : m.padding + m.headerHeight;
    const int bottom = grouped ? m.padding / 2 : m.padding;
    const QSize size(width + 2 * m.padding,
                     noticesHeight(option, index) + header + int(std::ceil(body)) + bottom);
    m_sizeCache.insert(key, size);
    return size;
}

void MessageDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                            const QModelIndex &index) const
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const Metrics m = metrics(option);
    const int noticeHeight = noticesHeight(option, index);
    if (noticeHeight > 0)
        paintNotices(painter, option, index);
    const QRect messageRect = option.rect.adjusted(0, noticeHeight, 0, 0);
    if (index.data(MessageListModel::HighlightRole).toBool())
        painter->fillRect(messageRect, QColor(0xff, 0xf1, 0x76, 0xb0));
    else if (option.state & QStyle::State_Selected)
        painter->fillRect(messageRect, option.palette.color(QPalette::Highlight).lighter(185));
    else if (option.state & QStyle::State_MouseOver)
        painter->fillRect(messageRect, option.palette.color(QPalette::AlternateBase));

    const bool grouped = isGrouped(index);
    const int top = grouped ? 0 : m.padding;
    const QRect content = messageRect.adjusted(m.padding, top, -m.padding, 0);
    const int headerHeight = grouped ? 0 : m.headerHeight;
    if (!grouped)
        paintHeader(painter, option, index, QRect(content.topLeft(), QSize(content.width(), m.headerHeight)));
    const bool outgoing =
        index.data(MessageListModel::DirectionRole).toInt() == int(ChatMessage::Direction::Outgoing);
    if (grouped && outgoing) {
        const int lineHeight = QFontMetrics(option.font).height();
        const QRect markRect(content.right() - m.markSize, content.top() + (lineHeight - m.markSize) / 2,
                             m.markSize, m.markSize);
        paintDeliveryMark(painter, option, index.data(MessageListModel::DeliveryRole).toInt(), markRect);
    }

    const QRectF bodyRect(content.left(), content.top() + headerHeight, bodyWidth(),
                          content.height() - headerHeight);
    painter->setFont(option.font);
    painter->setPen(option.palette.color(QPalette::Text));
    painter->drawText(bodyRect, index.data(MessageListModel::BodyRole).toString(), bodyTextOption());
    painter->restore();
}

void MessageDelegate::paintHeader(QPainter *painter, const QStyleOptionViewItem &option,
                                  const QModelIndex &index, const QRect &rect) const
{
    const bool outgoing =
        index.data(MessageListModel::DirectionRole).toInt() == int(ChatMessage::Direction::Outgoing);
    // The day lines give the date.
    const QString time =
        DeliveryPresenter::formatTimeOfDay(index.data(MessageListModel::TimestampRole).toDateTime());
    const QFont small = smallFont(option.font);
    const int timeWidth = QFontMetrics(small).horizontalAdvance(time);
    const int markSpace = outgoing ? metrics(option).markSize + 6 : 0;

    const QFont bold = boldFont(option.font);
    const QString sender =
        QFontMetrics(bold).elidedText(index.data(MessageListModel::SenderRole).toString(), Qt::ElideMiddle,
                                      rect.width() - timeWidth - markSpace - 12);
    painter->setFont(bold);
    painter->setPen(outgoing ? ownColour(option.palette) : peerColour(option.palette));
    painter->drawText(rect, Qt::AlignLeft | Qt::AlignVCenter, sender);

    painter->setFont(small);
    painter->setPen(option.palette.color(QPalette::PlaceholderText));
    const int senderWidth = QFontMetrics(bold).horizontalAdvance(sender);
    painter->drawText(rect.adjusted(senderWidth + 10, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, time);

    if (outgoing) {
        const int size = metrics(option).markSize;
        const QRect markRect(rect.right() - size, rect.center().y() - size / 2, size, size);
        paintDeliveryMark(painter, option, index.data(MessageListModel::DeliveryRole).toInt(), markRect);
    }
}

void MessageDelegate::paintDeliveryMark(QPainter *painter, const QStyleOptionViewItem &option, int delivery,
                                        const QRect &rect) const
{
    const QRectF r = QRectF(rect).adjusted(1, 1, -1, -1);
    const QColor grey = option.palette.color(QPalette::PlaceholderText);
    QPen pen(grey, std::max(1.5, r.width() / 9.0), Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    painter->setBrush(Qt::NoBrush);
    auto check = [&](qreal shift) {
        QPainterPath path;
        path.moveTo(r.left() + shift, r.top() + r.height() * 0.55);
        path.lineTo(r.left() + shift + r.width() * 0.3, r.bottom() - r.height() * 0.15);
        path.lineTo(r.left() + shift + r.width() * 0.75, r.top() + r.height() * 0.2);
        painter->drawPath(path);
    };
    switch (ChatMessage::Delivery(delivery)) {
    case ChatMessage::Delivery::Pending:
        painter->setPen(pen);
        painter->drawEllipse(r);
        painter->drawLine(r.center(), QPointF(r.center().x(), r.top() + r.height() * 0.22));
        painter->drawLine(r.center(), QPointF(r.right() - r.width() * 0.25, r.center().y()));
        break;
    case ChatMessage::Delivery::Sent:
    case ChatMessage::Delivery::Acknowledged:
        // One tick: it left (and our server has it); two: the peer's client has it; coloured: the peer read
        // it.
        painter->setPen(pen);
        check(r.width() * 0.1);
        break;
    case ChatMessage::Delivery::Received:
    case ChatMessage::Delivery::Displayed:
        if (ChatMessage::Delivery(delivery) == ChatMessage::Delivery::Displayed)
            pen.setColor(QColor(0x1e, 0x88, 0xe5));
        painter->setPen(pen);
        check(-r.width() * 0.05);
        check(r.width() * 0.25);
        break;
    case ChatMessage::Delivery::Failed: {
        painter->setPen(Qt::NoPen);
        painter->setBrush(QColor(0xc6, 0x28, 0x28));
        painter->drawEllipse(r);
        QFont font = boldFont(option.font);
        font.setPixelSize(int(r.height() * 0.8));
        painter->setFont(font);
        painter->setPen(Qt::white);
        painter->drawText(r, Qt::AlignCenter, QStringLiteral("!"));
        break;
    }
    }
}

} // namespace Natter::Ui
