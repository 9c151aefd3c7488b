// SPDX-License-Identifier: GPL-3.0-or-later
// Painting of the occupant list's header and occupant rows.
#include "OccupantDelegate.h"

#include "domain/Occupant.h"
#include "models/OccupantListModel.h"
#include "presenters/PresencePresenter.h"
#include "widgets/SmallFont.h"
#include "widgets/contacts/ContactDelegate.h"

#include <QPainter>

namespace Natter::Ui {

namespace {
constexpr int Padding = 6;
constexpr int LineGap = 1;
constexpr int DotSize = 10;
constexpr int BadgePadding = 4;

using Role = OccupantListModel::Role;

QFont headerFont(const QFont &font)
{
    QFont header = smallFontOf(font);
    header.setBold(true);
    header.setCapitalization(QFont::SmallCaps);
    header.setLetterSpacing(QFont::PercentageSpacing, 105);
    return header;
}
} // namespace

QString OccupantDelegate::badgeText(int affiliation)
{
    switch (Core::MucAffiliation(affiliation)) {
    case Core::MucAffiliation::Owner:
        return tr("owner");
    case Core::MucAffiliation::Admin:
        return tr("admin");
    case Core::MucAffiliation::Member:
        return tr("member");
    case Core::MucAffiliation::None:
    case Core::MucAffiliation::Outcast:
        break;
    }
    return {};
}

// One height for every row (the view uses uniform item sizes): a nick line and a smaller JID line.
QSize OccupantDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    QFont bold = option.font;
    bold.setBold(true);
    const int height =
        QFontMetrics(bold).height() + LineGap + QFontMetrics(smallFontOf(option.font)).height() + 2 * Padding;
    return {160, height};
}

void OccupantDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                             const QModelIndex &index) const
{
    if (index.data(Role::IsHeaderRole).toBool())
        paintHeader(painter, option, index);
    else
        paintOccupant(painter, option, index);
}

void OccupantDelegate::paintHeader(QPainter *painter, const QStyleOptionViewItem &option,
                                   const QModelIndex &index) const
{
    painter->save();
    QColor text = option.palette.color(QPalette::Text);
    text.setAlphaF(0.7f);
    const QRect content = option.rect.adjusted(Padding, Padding, -Padding, -Padding);
    const QFont font = headerFont(option.font);
    painter->setFont(font);
    painter->setPen(text);
    painter->drawText(content, Qt::AlignLeft | Qt::AlignBottom, index.data(Qt::DisplayRole).toString());
    text.setAlphaF(0.55f);
    painter->setPen(text);
    painter->drawText(content, Qt::AlignRight | Qt::AlignBottom,
                      QString::number(index.data(Role::CountRole).toInt()));
    painter->restore();
}

void OccupantDelegate::paintOccupant(QPainter *painter, const QStyleOptionViewItem &option,
                                     const QModelIndex &index) const
{
    painter->save();
    const bool selected = option.state & QStyle::State_Selected;
    if (selected)
        painter->fillRect(option.rect, option.palette.color(QPalette::Highlight));
    else if (option.state & QStyle::State_MouseOver)
        painter->fillRect(option.rect, option.palette.color(QPalette::AlternateBase));
    const QColor text = option.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    QColor dim = text;
    dim.setAlphaF(0.6f);

    QFont nickFont = option.font;
    nickFont.setBold(index.data(Role::IsSelfRole).toBool());
    const QFont small = smallFontOf(option.font);
    const QFontMetrics nickMetrics(nickFont);
    const QFontMetrics smallMetrics(small);
    const QRect content = option.rect.adjusted(Padding, Padding, -Padding, -Padding);
    // The avatar spans both lines; the presence dot sits on its lower right edge, as in the contact list.
    const int avatarSize = nickMetrics.height() + LineGap + smallMetrics.height();
    const QRect avatar(content.left(), content.top(), avatarSize, avatarSize);
    const int textLeft = avatar.right() + 1 + Padding;
    const QRect firstLine(textLeft, content.top(), content.right() - textLeft + 1, nickMetrics.height());
    const QRect secondLine(textLeft, firstLine.bottom() + 1 + LineGap, firstLine.width(),
                           smallMetrics.height());

    painter->setRenderHint(QPainter::Antialiasing);
    // Without a picture: the nickname's initial on its XEP-0392 colour (rooms colour by nickname).
    const QString nick = index.data(Role::NickRole).toString();
    ContactDelegate::paintAvatar(painter, avatar, index.data(Role::AvatarRole).toString(), nick, nick);
    const QRect dot(avatar.right() - DotSize + 2, avatar.bottom() - DotSize + 2, DotSize, DotSize);
    painter->setPen(QPen(option.palette.color(selected ? QPalette::Highlight : QPalette::Base), 1.5));
    painter->setBrush(PresencePresenter::showColor(Core::PresenceShow(index.data(Role::ShowRole).toInt())));
    painter->drawEllipse(dot);

    int nickWidth = firstLine.width();
    const QString badge = badgeText(index.data(Role::AffiliationRole).toInt());
    if (!badge.isEmpty()) {
        const int badgeWidth = smallMetrics.horizontalAdvance(badge) + 2 * BadgePadding;
        const QRect badgeRect(firstLine.right() - badgeWidth + 1,
                              firstLine.center().y() - smallMetrics.height() / 2, badgeWidth,
                              smallMetrics.height());
        painter->setPen(QPen(dim, 1));
        painter->setBrush(Qt::NoBrush);
        painter->drawRoundedRect(QRectF(badgeRect).adjusted(0.5, 0.5, -0.5, -0.5), 3, 3);
        painter->setFont(small);
        painter->drawText(badgeRect, Qt::AlignCenter, badge);
        nickWidth -= badgeWidth + Padding;
    }

    painter->setFont(nickFont);
    painter->setPen(text);
    painter->drawText(
        firstLine, Qt::AlignLeft | Qt::AlignVCenter,
        nickMetrics.elidedText(index.data(Role::NickRole).toString(), Qt::ElideRight, nickWidth));

    QString second = index.data(Role::RealJidRole).toString();
    if (second.isEmpty())
        second = index.data(Role::StatusRole).toString();
    painter->setFont(small);
    painter->setPen(dim);
    painter->drawText(secondLine, Qt::AlignLeft | Qt::AlignVCenter,
                      smallMetrics.elidedText(second, Qt::ElideMiddle, secondLine.width()));
    painter->restore();
}

} // namespace Natter::Ui
