// SPDX-License-Identifier: GPL-3.0-or-later
// Paints one chat message (sender, time, delivery mark, plain-text body) with the lines above it (day,
// unread, archive gap); a message that continues its sender's group has no header. Caches its size.
#include "MessageDelegate.h"

#include "chat/AttachmentCard.h"
#include "chat/MessageBody.h"
#include "models/MessageListModel.h"
#include "presenters/DeliveryPresenter.h"
#include "widgets/SmallFont.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QHelpEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QTextLayout>
#include <QTextOption>
#include <QToolTip>
#include <cmath>

namespace Natter::Ui {

using Core::ChatMessage;

namespace {
QFont boldFont(const QFont &font)
{
    QFont bold = font;
    bold.setBold(true);
    return bold;
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
    const int lineHeight = QFontMetrics(smallFontOf(option.font)).height() + metrics(option).padding;
    return int(notices(index).size()) * lineHeight;
}

void MessageDelegate::paintNotices(QPainter *painter, const QStyleOptionViewItem &option,
                                   const QModelIndex &index) const
{
    const QFont small = smallFontOf(option.font);
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

namespace {
QString authorOf(const QModelIndex &index)
{
    return index.data(MessageListModel::SenderRole).toString();
}

ChatMessage messageOf(const QModelIndex &index)
{
    return index.data(MessageListModel::MessageRole).value<ChatMessage>();
}

// A delivery mark belongs to what we sent; a call record was never sent as a message.
bool hasDeliveryMark(const ChatMessage &message)
{
    return message.direction == ChatMessage::Direction::Outgoing && message.kind != ChatMessage::Kind::Call;
}

// The attachment row stands for the body when the body is nothing but the link (what clients send).
bool bodyIsTheLink(const ChatMessage &message)
{
    return !message.oobUrl.isEmpty() && message.body.trimmed() == message.oobUrl &&
           message.removal == ChatMessage::Removal::None;
}

std::optional<AttachmentCard> cardOf(const QModelIndex &index)
{
    const QVariant state = index.data(MessageListModel::AttachmentRole);
    if (!state.isValid())
        return std::nullopt;
    const QImage thumbnail = index.data(MessageListModel::ThumbnailRole).value<QImage>();
    // An animation's frames have its thumbnail's size: they take its place once both are here.
    const QImage frame =
        thumbnail.isNull() ? QImage() : index.data(MessageListModel::AnimationFrameRole).value<QImage>();
    return AttachmentCard(state.value<Core::AttachmentState>(), frame.isNull() ? thumbnail : frame);
}

// What of a file changes its card's height: whether there is a card, and the size of its thumbnail.
QString cardKey(const QModelIndex &index)
{
    const QVariant state = index.data(MessageListModel::AttachmentRole);
    if (!state.isValid())
        return {};
    const auto attachment = state.value<Core::AttachmentState>();
    const QImage thumbnail = index.data(MessageListModel::ThumbnailRole).value<QImage>();
    if (thumbnail.isNull())
        return QStringLiteral("card");
    if (attachment.stage != Core::AttachmentState::Stage::Saved)
        return QStringLiteral("preview %1x%2 %3x%4")
            .arg(attachment.attachment.described.width)
            .arg(attachment.attachment.described.height)
            .arg(thumbnail.width())
            .arg(thumbnail.height());
    return QStringLiteral("%1x%2").arg(thumbnail.width()).arg(thumbnail.height());
}

QString chipText(const QVariantMap &chip)
{
    return chip.value(QStringLiteral("emoji")).toString() + u' ' +
           QString::number(chip.value(QStringLiteral("count")).toInt());
}
} // namespace

QString MessageDelegate::cacheKey(const QModelIndex &index) const
{
    // Everything that changes the height: the lines above, the header, the text and what hangs off it.
    const ChatMessage message = messageOf(index);
    QStringList chips;
    for (const QVariant &chip : index.data(MessageListModel::ReactionsRole).toList())
        chips.append(chipText(chip.toMap()));
    const QString layout = notices(index).join(u'|') + (isGrouped(index) ? u'g' : u'h') +
                           QString::number(int(message.removal)) + (message.isEdited() ? u'e' : u'-') +
                           (message.truncated ? u't' : u'-') + chips.join(u',') + u'|' + message.oobUrl +
                           u'|' + index.data(MessageListModel::ReplyQuoteRole).toString().left(200) + u'|' +
                           cardKey(index);
    const QString identity = message.storageId != 0  ? QString::number(message.storageId)
                             : !message.id.isEmpty() ? message.id
                                                     : message.timestamp.toString(Qt::ISODateWithMs);
    return identity + u'\n' + QString::number(qHash(message.body)) + u'\n' + layout;
}

MessageDelegate::Geometry MessageDelegate::geometry(const QStyleOptionViewItem &option,
                                                    const QModelIndex &index) const
{
    const Metrics m = metrics(option);
    const ChatMessage message = messageOf(index);
    const QFontMetrics small(smallFontOf(option.font));
    Geometry g;
    g.message = option.rect.adjusted(0, noticesHeight(option, index), 0, 0);
    const bool grouped = isGrouped(index);
    int y = g.message.top() + (grouped ? 0 : m.padding);
    const int left = g.message.left() + m.padding;
    const int width = bodyWidth();
    if (!grouped) {
        g.header = QRect(left, y, g.message.width() - 2 * m.padding, m.headerHeight);
        y += m.headerHeight;
    }
    if (!message.replyToId.isEmpty() && message.removal == ChatMessage::Removal::None) {
        y += 2;
        g.quote = QRect(left, y, width, 2 * small.height() + 10);
        y += g.quote.height() + 4;
    }
    if (!bodyIsTheLink(message)) {
        g.text = std::make_shared<MessageBody>(message, authorOf(index), option.font, option.palette);
        const qreal height = g.text->layout(width);
        g.body = QRectF(left, y, width, height);
        y += int(std::ceil(height));
    }
    if (message.truncated && message.removal == ChatMessage::Removal::None) {
        g.note = QRect(left, y, width, small.height());
        y += small.height();
    }
    if (!message.oobUrl.isEmpty() && message.removal == ChatMessage::Removal::None) {
        y += 2;
        if (const auto card = cardOf(index)) {
            g.attachment = QRect(QPoint(left, y), card->size(option.font, width));
            g.card = true;
        } else {
            g.attachment = QRect(left, y, width, small.height() + 8);
        }
        y += g.attachment.height();
    }
    const QVariantList chips = index.data(MessageListModel::ReactionsRole).toList();
    if (!chips.isEmpty()) {
        y += 4;
        const QFontMetrics chipMetrics(option.font);
        const int chipHeight = chipMetrics.height() + 6;
        int x = left;
        for (const QVariant &chip : chips) {
            const QString emoji = chip.toMap().value(QStringLiteral("emoji")).toString();
            const int chipWidth = chipMetrics.horizontalAdvance(chipText(chip.toMap())) + 16;
            if (x > left && x + chipWidth > left + width) {
                x = left;
                y += chipHeight + 4;
            }
            g.chips.append({QRect(x, y, chipWidth, chipHeight), emoji});
            x += chipWidth + 6;
        }
        y += chipHeight;
    }
    y += grouped ? m.padding / 2 : m.padding;
    g.message.setBottom(y - 1);
    return g;
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
    QStyleOptionViewItem sized = option;
    sized.rect = QRect(0, 0, width + 2 * metrics(option).padding, 0);
    const Geometry g = geometry(sized, index);
    const QSize size(sized.rect.width(), g.message.bottom() + 1);
    m_sizeCache.insert(key, size);
    return size;
}

void MessageDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                            const QModelIndex &index) const
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const Metrics m = metrics(option);
    if (noticesHeight(option, index) > 0)
        paintNotices(painter, option, index);
    const Geometry g = geometry(option, index);
    const QRect messageRect = option.rect.adjusted(0, g.message.top() - option.rect.top(), 0, 0);
    if (index.data(MessageListModel::HighlightRole).toBool())
        painter->fillRect(messageRect, QColor(0xff, 0xf1, 0x76, 0xb0));
    else if (index.data(MessageListModel::MentionRole).toBool()) {
        // Someone in a room named us: tinted, with a bar at the edge as Gajim and Dino do.
        painter->fillRect(messageRect, QColor(0xff, 0xe0, 0xb2, 0x90));
        painter->fillRect(QRect(messageRect.topLeft(), QSize(3, messageRect.height())),
                          QColor(0xef, 0x6c, 0x00));
    } else if (option.state & QStyle::State_Selected)
        painter->fillRect(messageRect, option.palette.color(QPalette::Highlight).lighter(185));
    else if (option.state & QStyle::State_MouseOver)
        painter->fillRect(messageRect, option.palette.color(QPalette::AlternateBase));

    const ChatMessage message = messageOf(index);
    if (!g.header.isNull())
        paintHeader(painter, option, index, g.header);
    else if (hasDeliveryMark(message)) {
        const int lineHeight = QFontMetrics(option.font).height();
        // A message that is only a file has no text line: the mark goes by the file.
        const int top = g.text ? int(g.body.top()) : g.attachment.top();
        const QRect markRect(messageRect.right() - m.padding - m.markSize,
                             top + (lineHeight - m.markSize) / 2, m.markSize, m.markSize);
        paintDeliveryMark(painter, option, int(message.delivery), markRect);
    }
    if (!g.quote.isNull())
        paintQuote(painter, option, index, g.quote);
    if (g.text) {
        painter->setPen(option.palette.color(QPalette::Text));
        g.text->draw(painter, g.body.topLeft());
    }
    const QFont small = smallFontOf(option.font);
    if (!g.note.isNull()) {
        painter->setFont(small);
        painter->setPen(option.palette.color(QPalette::PlaceholderText));
        painter->drawText(
            g.note, Qt::AlignLeft | Qt::AlignVCenter,
            tr("(shortened: the message was longer than %L1 characters)").arg(ChatMessage::MaxBodyLength));
    }
    if (g.card) {
        if (const auto card = cardOf(index))
            card->paint(painter, option, g.attachment);
    } else if (!g.attachment.isNull()) {
        const QString label = message.oobDescription.isEmpty()
                                  ? message.oobUrl
                                  : message.oobDescription + QStringLiteral(" — ") + message.oobUrl;
        painter->setPen(QPen(option.palette.color(QPalette::Mid), 1));
        painter->setBrush(option.palette.color(QPalette::AlternateBase));
        painter->drawRoundedRect(QRectF(g.attachment).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
        QFont link = small;
        link.setUnderline(true);
        painter->setFont(link);
        painter->setPen(option.palette.color(QPalette::Link));
        painter->drawText(g.attachment.adjusted(8, 0, -8, 0), Qt::AlignLeft | Qt::AlignVCenter,
                          QFontMetrics(link).elidedText(QStringLiteral("📎 ") + label, Qt::ElideMiddle,
                                                        g.attachment.width() - 16));
    }
    paintReactions(painter, option, index, g);
    painter->restore();
}

void MessageDelegate::paintQuote(QPainter *painter, const QStyleOptionViewItem &option,
                                 const QModelIndex &index, const QRect &rect) const
{
    const QFont small = smallFontOf(option.font);
    const QFontMetrics fm(small);
    painter->fillRect(QRect(rect.left(), rect.top(), 3, rect.height()),
                      option.palette.color(QPalette::Highlight));
    painter->fillRect(rect.adjusted(3, 0, 0, 0), option.palette.color(QPalette::AlternateBase));
    const QRect text = rect.adjusted(10, 3, -6, -3);
    QFont boldSmall = small;
    boldSmall.setBold(true);
    painter->setFont(boldSmall);
    painter->setPen(option.palette.color(QPalette::Text));
    const QString author = index.data(MessageListModel::ReplyAuthorRole).toString();
    painter->drawText(QRect(text.left(), text.top(), text.width(), fm.height()),
                      Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetrics(boldSmall).elidedText(author, Qt::ElideMiddle, text.width()));
    QString quote = index.data(MessageListModel::ReplyQuoteRole).toString();
    if (quote.isEmpty())
        quote = tr("(the original message is not available)");
    quote = MessageBody::displayText(quote).replace(u'\n', u' ');
    painter->setFont(small);
    painter->setPen(option.palette.color(QPalette::PlaceholderText));
    painter->drawText(QRect(text.left(), text.top() + fm.height(), text.width(), fm.height() + 3),
                      Qt::AlignLeft | Qt::AlignVCenter, fm.elidedText(quote, Qt::ElideRight, text.width()));
}

void MessageDelegate::paintReactions(QPainter *painter, const QStyleOptionViewItem &option,
                                     const QModelIndex &index, const Geometry &geometry) const
{
    const QVariantList chips = index.data(MessageListModel::ReactionsRole).toList();
    painter->setFont(option.font);
    for (int i = 0; i < geometry.chips.size() && i < chips.size(); ++i) {
        const QVariantMap chip = chips.at(i).toMap();
        const QRect rect = geometry.chips.at(i).first;
        const bool mine = chip.value(QStringLiteral("mine")).toBool();
        const QColor accent = option.palette.color(QPalette::Highlight);
        painter->setPen(QPen(mine ? accent : option.palette.color(QPalette::Mid), 1));
        painter->setBrush(mine ? QColor(accent.red(), accent.green(), accent.blue(), 40)
                               : option.palette.color(QPalette::Base));
        painter->drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), rect.height() / 2.0,
                                 rect.height() / 2.0);
        painter->setPen(option.palette.color(QPalette::Text));
        painter->drawText(rect, Qt::AlignCenter, chipText(chip));
    }
}

MessageDelegate::Hit MessageDelegate::hitAt(const QStyleOptionViewItem &option, const QModelIndex &index,
                                            const QPoint &position) const
{
    const Geometry g = geometry(option, index);
    Hit hit;
    if (g.quote.contains(position)) {
        hit.kind = Hit::Kind::Quote;
        return hit;
    }
    for (const auto &[rect, emoji] : g.chips) {
        if (rect.contains(position)) {
            hit.kind = Hit::Kind::Reaction;
            hit.emoji = emoji;
            return hit;
        }
    }
    const ChatMessage message = messageOf(index);
    if (g.attachment.contains(position) && g.card) {
        hit.kind = Hit::Kind::Attachment;
        return hit;
    }
    if (g.attachment.contains(position)) {
        hit.kind = Hit::Kind::Link;
        hit.url = QUrl(message.oobUrl);
        return hit;
    }
    if (g.text && g.body.contains(position)) {
        const QUrl url = g.text->linkAt(QPointF(position) - g.body.topLeft());
        if (url.isValid() && !url.isEmpty()) {
            hit.kind = Hit::Kind::Link;
            hit.url = url;
        }
    }
    return hit;
}

bool MessageDelegate::editorEvent(QEvent *event, QAbstractItemModel *model,
                                  const QStyleOptionViewItem &option, const QModelIndex &index)
{
    if (event->type() == QEvent::MouseButtonRelease) {
        const auto *mouse = static_cast<QMouseEvent *>(event);
        if (mouse->button() == Qt::LeftButton) {
            const Hit hit = hitAt(option, index, mouse->position().toPoint());
            switch (hit.kind) {
            case Hit::Kind::Quote:
                Q_EMIT quoteClicked(index);
                return true;
            case Hit::Kind::Reaction:
                Q_EMIT reactionClicked(index, hit.emoji);
                return true;
            case Hit::Kind::Link:
                Q_EMIT linkClicked(hit.url);
                return true;
            case Hit::Kind::Attachment:
                Q_EMIT attachmentClicked(index);
                return true;
            case Hit::Kind::None:
                break;
            }
        }
    }
    return QStyledItemDelegate::editorEvent(event, model, option, index);
}

bool MessageDelegate::helpEvent(QHelpEvent *event, QAbstractItemView *view,
                                const QStyleOptionViewItem &option, const QModelIndex &index)
{
    if (event->type() == QEvent::ToolTip && index.isValid()) {
        const Hit hit = hitAt(option, index, event->pos());
        if (hit.kind == Hit::Kind::Reaction) {
            for (const QVariant &chip : index.data(MessageListModel::ReactionsRole).toList()) {
                const QVariantMap map = chip.toMap();
                if (map.value(QStringLiteral("emoji")).toString() == hit.emoji) {
                    QToolTip::showText(event->globalPos(),
                                       tr("%1 reacted with %2")
                                           .arg(map.value(QStringLiteral("reactors"))
                                                    .toStringList()
                                                    .join(QStringLiteral(", ")),
                                                hit.emoji),
                                       view);
                    return true;
                }
            }
        }
        if (hit.kind == Hit::Kind::Attachment) {
            if (const auto card = cardOf(index)) {
                QToolTip::showText(event->globalPos(), card->title() + u'\n' + card->status(), view);
                return true;
            }
        }
        if (hit.kind == Hit::Kind::Link) {
            QToolTip::showText(event->globalPos(), hit.url.toString(), view);
            return true;
        }
    }
    return QStyledItemDelegate::helpEvent(event, view, option, index);
}

void MessageDelegate::paintHeader(QPainter *painter, const QStyleOptionViewItem &option,
                                  const QModelIndex &index, const QRect &rect) const
{
    const bool outgoing =
        index.data(MessageListModel::DirectionRole).toInt() == int(ChatMessage::Direction::Outgoing);
    // The day lines give the date.
    QString time =
        DeliveryPresenter::formatTimeOfDay(index.data(MessageListModel::TimestampRole).toDateTime());
    if (index.data(MessageListModel::EditedRole).toBool())
        time += QStringLiteral(" · ") + tr("edited");
    const QFont small = smallFontOf(option.font);
    const int timeWidth = QFontMetrics(small).horizontalAdvance(time);
    const int markSpace = outgoing ? metrics(option).markSize + 6 : 0;

    const QFont bold = boldFont(option.font);
    const QString sender =
        QFontMetrics(bold).elidedText(index.data(MessageListModel::SenderRole).toString(), Qt::ElideMiddle,
                                      rect.width() - timeWidth - markSpace - 12);
    painter->setFont(bold);
    painter->setPen(outgoing ? ownColour(option.palette) : peerColour(option.palette));
    // Laid out on its own, so a right-to-left name cannot reorder the time next to it.
    painter->drawText(rect, Qt::AlignLeft | Qt::AlignVCenter, sender);

    painter->setFont(small);
    painter->setPen(option.palette.color(QPalette::PlaceholderText));
    const int senderWidth = QFontMetrics(bold).horizontalAdvance(sender);
    painter->drawText(rect.adjusted(senderWidth + 10, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, time);

    if (hasDeliveryMark(messageOf(index))) {
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
