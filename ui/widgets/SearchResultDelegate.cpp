// SPDX-License-Identifier: GPL-3.0-or-later
// Paints one search result: contact, time, and the message text around the match with the words marked.
#include "SearchResultDelegate.h"

#include "TwoLineRow.h"
#include "domain/ChatMessage.h"
#include "models/SearchResultsModel.h"
#include "presenters/DeliveryPresenter.h"

#include <QPainter>
#include <QTextLayout>

namespace Natter::Ui {

namespace {
// Text kept before the first match when the message is long.
constexpr int ContextBefore = 24;
} // namespace

QSize SearchResultDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    return TwoLineRow::sizeHint(option);
}

void SearchResultDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                 const QModelIndex &index) const
{
    painter->save();
    const bool outgoing =
        index.data(SearchResultsModel::DirectionRole).toInt() == int(Core::ChatMessage::Direction::Outgoing);
    const QString peer = index.data(SearchResultsModel::PeerRole).toString();
    const TwoLineRow row = TwoLineRow::paint(
        painter, option, outgoing ? tr("You to %1").arg(peer) : peer,
        DeliveryPresenter::formatTime(index.data(SearchResultsModel::TimestampRole).toDateTime()));
    const QFontMetrics metrics(option.font);
    const QRect secondLine = row.secondLine;
    const QColor text = row.text;

    // The body on one line, starting a little before the first match, with every match marked.
    QString body = index.data(SearchResultsModel::BodyRole).toString();
    body.replace(u'\n', u' ');
    const QVariantList matches = index.data(SearchResultsModel::MatchesRole).toList();
    int shift = 0;
    if (!matches.isEmpty()) {
        const QPoint first = matches.first().toPoint();
        const bool matchFits =
            metrics.horizontalAdvance(body.left(first.x() + first.y())) <= secondLine.width();
        if (!matchFits && first.x() > ContextBefore) {
            // Start at a word a little before the match.
            int start = int(body.lastIndexOf(u' ', first.x() - ContextBefore)) + 1;
            if (start <= 0)
                start = first.x() - ContextBefore;
            body = u'…' + body.mid(start);
            shift = start - 1;
        }
    }
    QList<QTextLayout::FormatRange> formats;
    for (const QVariant &match : matches) {
        QTextLayout::FormatRange range;
        range.start = match.toPoint().x() - shift;
        range.length = match.toPoint().y();
        range.format.setFontWeight(QFont::Bold);
        range.format.setBackground(QColor(0xff, 0xe0, 0x5c));
        range.format.setForeground(QColor(Qt::black));
        formats.append(range);
    }
    const QString elided = metrics.elidedText(body, Qt::ElideRight, secondLine.width());
    QTextLayout layout(elided, option.font);
    layout.setFormats(formats);
    layout.beginLayout();
    QTextLine line = layout.createLine();
    line.setLineWidth(secondLine.width());
    layout.endLayout();
    painter->setPen(text);
    layout.draw(painter, secondLine.topLeft());
    painter->restore();
}

} // namespace Natter::Ui
