// SPDX-License-Identifier: GPL-3.0-or-later
// Paints one chat message (sender, time, delivery mark, plain-text body) with the lines above it (day,
// unread, archive gap); a message that continues its sender's group has no header. Caches its size.
#pragma once

#include <QHash>
#include <QStyledItemDelegate>

class QAbstractItemView;

namespace Natter::Ui {

class MessageDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit MessageDelegate(QAbstractItemView *view);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // Sizes depend on the text only; call this when the model's rows are replaced.
    void clearSizeCache();

private:
    struct Metrics
    {
        int padding;
        int headerHeight;
        int markSize;
    };
    Metrics metrics(const QStyleOptionViewItem &option) const;
    int bodyWidth() const;
    // The lines drawn above the message (day, unread messages, archive gap), top to bottom.
    QStringList notices(const QModelIndex &index) const;
    int noticesHeight(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    void paintNotices(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const;
    qreal bodyHeight(const QString &text, const QFont &font, int width) const;
    QString cacheKey(const QModelIndex &index) const;
    void paintHeader(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index,
                     const QRect &rect) const;
    void paintDeliveryMark(QPainter *painter, const QStyleOptionViewItem &option, int delivery,
                           const QRect &rect) const;

    QAbstractItemView *m_view;
    mutable QHash<QString, QSize> m_sizeCache;
    mutable int m_cachedWidth = -1;
};

} // namespace Natter::Ui
