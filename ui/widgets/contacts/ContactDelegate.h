// SPDX-License-Identifier: GPL-3.0-or-later
// Paints the contact list: group rows (name, online count, fold arrow) and contact rows (avatar with a
// presence dot, name, status message).
#pragma once

#include <QHash>
#include <QStyledItemDelegate>

namespace Natter::Ui {

class ContactDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;

    // The cached picture in a circle, or the initial on the address's colour when there is none.
    static void paintAvatar(QPainter *painter, const QRect &rect, const QString &file, const QString &name,
                            const QString &jid);
    static void paintInitialAvatar(QPainter *painter, const QRect &rect, const QString &name,
                                   const QString &jid);

private:
    void paintGroup(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const;
    void paintContact(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const;
};

} // namespace Natter::Ui
