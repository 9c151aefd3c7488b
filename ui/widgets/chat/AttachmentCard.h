// SPDX-License-Identifier: GPL-3.0-or-later
// How a shared file looks in the chat: a saved image as its thumbnail with its name below; an image not
// downloaded yet whose sender sent a preview as that preview, enlarged to the image's size, with what a
// click does over it; any other file as a card with an icon for its kind, its name and what a click does
// (download, cancel, open, retry), with a progress bar while it downloads.
#pragma once

#include "files/AttachmentService.h"

#include <QCoreApplication>
#include <QImage>
#include <QRect>
#include <QStyleOptionViewItem>

class QPainter;

namespace Natter::Ui {

class AttachmentCard
{
    Q_DECLARE_TR_FUNCTIONS(AttachmentCard)
public:
    // thumbnail: of the saved image, or before it is saved the sender's preview.
    AttachmentCard(const Core::AttachmentState &state, const QImage &thumbnail);

    // The size the card takes in at most width.
    QSize size(const QFont &font, int width) const;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QRect &rect) const;

    // The second line of the card: size, encryption and what a click does.
    QString status() const;
    // The name shown, with an icon for the kind of file.
    QString title() const;

private:
    QSize thumbnailSize(int width) const;
    void paintProgress(QPainter *painter, const QStyleOptionViewItem &option, const QRect &track) const;

    Core::AttachmentState m_state;
    QImage m_thumbnail;
    bool m_isPreview = false;
};

} // namespace Natter::Ui
