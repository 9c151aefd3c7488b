// SPDX-License-Identifier: GPL-3.0-or-later
#include "ContactDelegate.h"

#include "models/ContactListModel.h"
#include "presenters/AccountPresenter.h"
#include "presenters/PresencePresenter.h"
#include "widgets/TwoLineRow.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmapCache>

namespace Natter::Ui {

namespace {
constexpr int AvatarSize = 32;
constexpr int DotSize = 11;
constexpr int GroupPadding = 5;

using Role = ContactListModel::Role;
} // namespace

void ContactDelegate::paintInitialAvatar(QPainter *painter, const QRect &rect, const QString &name,
                                         const QString &jid)
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(AccountPresenter::colourOf(jid));
    painter->drawEllipse(rect);
    QFont font = painter->font();
    font.setBold(true);
    font.setPixelSize(rect.height() / 2);
    painter->setFont(font);
    painter->setPen(Qt::white);
    const QString initial = name.isEmpty() ? QString() : QString(name.at(0)).toUpper();
    painter->drawText(rect, Qt::AlignCenter, initial);
    painter->restore();
}

void ContactDelegate::paintAvatar(QPainter *painter, const QRect &rect, const QString &file,
                                  const QString &name, const QString &jid)
{
    // Scaled once per file and size, then drawn from the cache: the list repaints often.
    const QString key = QStringLiteral("avatar:%1:%2").arg(file).arg(rect.width());
    QPixmap scaled;
    if (!file.isEmpty() && !QPixmapCache::find(key, &scaled)) {
        const QPixmap original(file);
        if (!original.isNull()) {
            scaled = original.scaled(rect.size() * painter->device()->devicePixelRatioF(),
                                     Qt::KeepAspectRatioByExpanding, Qt::SmoothTransformation);
            scaled.setDevicePixelRatio(painter->device()->devicePixelRatioF());
            QPixmapCache::insert(key, scaled);
        }
    }
    if (scaled.isNull()) {
        paintInitialAvatar(painter, rect, name, jid);
        return;
    }
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    QPainterPath circle;
    circle.addEllipse(rect);
    painter->setClipPath(circle);
    painter->drawPixmap(rect, scaled);
    painter->restore();
}

QSize ContactDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    if (index.data(Role::KindRole).toInt() == int(ContactListModel::RowKind::Group))
        return {200, QFontMetrics(option.font).height() + 2 * GroupPadding};
    return TwoLineRow::sizeHint(option);
}

void ContactDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                            const QModelIndex &index) const
{
    if (index.data(Role::KindRole).toInt() == int(ContactListModel::RowKind::Group))
        paintGroup(painter, option, index);
    else
        paintContact(painter, option, index);
}

void ContactDelegate::paintGroup(QPainter *painter, const QStyleOptionViewItem &option,
                                 const QModelIndex &index) const
{
    painter->save();
    painter->fillRect(option.rect, option.palette.color(QPalette::AlternateBase));
    QColor text = option.palette.color(QPalette::Text);
    text.setAlphaF(0.75f);
    const QRect content = option.rect.adjusted(TwoLineRow::Padding, 0, -TwoLineRow::Padding, 0);
    const bool collapsed = index.data(Role::CollapsedRole).toBool();
    QFont bold = option.font;
    bold.setBold(true);
    painter->setFont(bold);
    painter->setPen(text);
    const QString arrow = collapsed ? QStringLiteral("▸ ") : QStringLiteral("▾ ");
    painter->drawText(content, Qt::AlignLeft | Qt::AlignVCenter,
                      arrow + index.data(Role::GroupRole).toString());
    painter->setFont(option.font);
    painter->drawText(content, Qt::AlignRight | Qt::AlignVCenter,
                      QStringLiteral("%1/%2")
                          .arg(index.data(Role::OnlineCountRole).toInt())
                          .arg(index.data(Role::TotalCountRole).toInt()));
    painter->restore();
}

void ContactDelegate::paintContact(QPainter *painter, const QStyleOptionViewItem &option,
                                   const QModelIndex &index) const
{
    painter->save();
    const auto show = Core::PresenceShow(index.data(Role::ShowRole).toInt());
    const bool online = show != Core::PresenceShow::Offline;
    const QString name = index.data(Role::NameRole).toString();
    const QString jid = index.data(Role::JidRole).toString();

    QStyleOptionViewItem textOption = option;
    const int avatarSpace = AvatarSize + TwoLineRow::Padding;
    // TwoLineRow paints the background over the whole row and the text right of the avatar.
    textOption.rect.setLeft(option.rect.left() + avatarSpace);
    if (option.state & QStyle::State_Selected)
        painter->fillRect(option.rect, option.palette.color(QPalette::Highlight));
    else if (option.state & QStyle::State_MouseOver)
        painter->fillRect(option.rect, option.palette.color(QPalette::AlternateBase));
    textOption.state &= ~(QStyle::State_Selected | QStyle::State_MouseOver);
    if (option.state & QStyle::State_Selected)
        textOption.palette.setColor(QPalette::Text, option.palette.color(QPalette::HighlightedText));

    const QRect avatar(option.rect.left() + TwoLineRow::Padding,
                       option.rect.top() + (option.rect.height() - AvatarSize) / 2, AvatarSize, AvatarSize);
    if (!online)
        painter->setOpacity(0.5);
    paintAvatar(painter, avatar, index.data(Role::AvatarRole).toString(), name, jid);
    painter->setOpacity(1.0);
    painter->setRenderHint(QPainter::Antialiasing);
    const QRect dot(avatar.right() - DotSize + 2, avatar.bottom() - DotSize + 2, DotSize, DotSize);
    painter->setPen(QPen(option.palette.color(QPalette::Base), 2));
    painter->setBrush(PresencePresenter::showColor(show));
    painter->drawEllipse(dot);

    if (!online)
        painter->setOpacity(0.6);
    const TwoLineRow row = TwoLineRow::paint(painter, textOption, name, QString());
    QString second = index.data(Role::StatusRole).toString();
    if (second.isEmpty())
        second = PresencePresenter::showText(show);
    if (index.data(Role::AskingRole).toBool())
        second = tr("Waiting for approval");
    painter->setFont(option.font);
    painter->setPen(row.dim);
    painter->drawText(row.secondLine, Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetrics(option.font).elidedText(second, Qt::ElideRight, row.secondLine.width()));
    painter->restore();
}

} // namespace Natter::Ui
