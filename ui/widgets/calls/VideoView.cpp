// SPDX-License-Identifier: GPL-3.0-or-later
#include "VideoView.h"

#include <QPainter>

namespace Natter::Ui {

VideoView::VideoView(QWidget *parent)
    : QWidget(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void VideoView::showFrame(const Core::PreviewFrame &frame)
{
    if (!frame.isValid())
        return;
    // The frame's bytes are shared with the core's copy; QImage keeps a reference, not a copy.
    m_frame = QImage(reinterpret_cast<const uchar *>(frame.rgb.constData()), frame.width, frame.height,
                     frame.bytesPerLine, QImage::Format_RGB888)
                  .copy();
    update();
}

void VideoView::clear()
{
    m_frame = {};
    update();
}

void VideoView::setPlaceholderText(const QString &text)
{
    m_placeholder = text;
    update();
}

void VideoView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), QColor(0x20, 0x22, 0x25));
    if (!m_frame.isNull()) {
        const QSize scaled = m_frame.size().scaled(size(), Qt::KeepAspectRatio);
        const QRect target(QPoint((width() - scaled.width()) / 2, (height() - scaled.height()) / 2), scaled);
        painter.setRenderHint(QPainter::SmoothPixmapTransform);
        painter.drawImage(target, m_frame);
        return;
    }
    if (m_placeholder.isEmpty())
        return;
    const int diameter = std::min(width(), height()) / 3;
    const QRect circle((width() - diameter) / 2, (height() - diameter) / 2, diameter, diameter);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(0x4a, 0x6f, 0xa5));
    painter.drawEllipse(circle);
    QFont font = painter.font();
    font.setPixelSize(std::max(8, diameter / 2));
    painter.setFont(font);
    painter.setPen(Qt::white);
    painter.drawText(circle, Qt::AlignCenter, m_placeholder.left(1).toUpper());
}

} // namespace Natter::Ui
