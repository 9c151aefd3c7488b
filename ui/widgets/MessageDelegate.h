// SPDX-License-Identifier: GPL-3.0-or-later
// Paints one chat message with the lines above it (day, unread, archive gap): a header (sender, time,
// "edited", delivery ticks) unless it continues its sender's group, the quote it replies to, the body as
// plain text with Message Styling applied by us (never HTML, never rich-text detection, nothing loaded from
// the network), a tombstone for a retracted message, a shared file's card (or an out-of-band link) and the
// reactions. Caches sizes and reports clicks on quotes, reactions, links and files.
#pragma once

#include <QHash>
#include <QStyledItemDelegate>
#include <QUrl>
#include <memory>

class QAbstractItemView;
class QTextLayout;

namespace Natter::Ui {

class MessageBody;

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

    // What is at position (viewport coordinates) in the row of index.
    struct Hit
    {
        enum class Kind
        {
            None,
            Quote,
            Reaction,
            Link,
            Attachment, // the card of a shared file
        };
        Kind kind = Kind::None;
        QString emoji; // Reaction
        QUrl url;      // Link
    };
    Hit hitAt(const QStyleOptionViewItem &option, const QModelIndex &index, const QPoint &position) const;

Q_SIGNALS:
    void quoteClicked(const QModelIndex &index);
    void reactionClicked(const QModelIndex &index, const QString &emoji);
    void linkClicked(const QUrl &url);
    void attachmentClicked(const QModelIndex &index);

protected:
    bool editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option,
                     const QModelIndex &index) override;
    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                   const QModelIndex &index) override;

private:
    struct Metrics
    {
        int padding;
        int headerHeight;
        int markSize;
    };
    // Where each part of a message goes inside option.rect.
    struct Geometry
    {
        QRect message; // below the notices
        QRect header;
        QRect quote;
        QRectF body;
        std::shared_ptr<MessageBody> text; // laid out in body's width; null when the attachment stands for it
        QRect note;
        QRect attachment;
        bool card = false;                  // attachment is a file's card (else a plain link row)
        QList<QPair<QRect, QString>> chips; // reaction chips and their emoji
    };
    Metrics metrics(const QStyleOptionViewItem &option) const;
    int bodyWidth() const;
    Geometry geometry(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    QStringList notices(const QModelIndex &index) const;
    int noticesHeight(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    void paintNotices(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const;
    QString cacheKey(const QModelIndex &index) const;
    void paintHeader(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index,
                     const QRect &rect) const;
    void paintQuote(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index,
                    const QRect &rect) const;
    void paintReactions(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index,
                        const Geometry &geometry) const;
    void paintDeliveryMark(QPainter *painter, const QStyleOptionViewItem &option, int delivery,
                           const QRect &rect) const;

    QAbstractItemView *m_view;
    mutable QHash<QString, QSize> m_sizeCache;
    mutable int m_cachedWidth = -1;
};

} // namespace Natter::Ui
