// SPDX-License-Identifier: GPL-3.0-or-later
#include "AttachmentCard.h"

#include "files/Thumbnailer.h"
#include "presenters/DataSize.h"
#include "presenters/ErrorPresenter.h"
#include "widgets/SmallFont.h"

#include <QFontMetrics>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>

namespace Natter::Ui {

using Stage = Core::AttachmentState::Stage;

namespace {
constexpr int CardMaxWidth = 420;
constexpr int Padding = 8;
constexpr int IconSize = 32;
constexpr int BarHeight = 4;
// A preview without the image's size is shown this large; none smaller than PreviewMinEdge (its text).
constexpr int PreviewEdge = 240;
constexpr int PreviewMinEdge = 96;

QString iconOf(Core::FileKind kind)
{
    switch (kind) {
    case Core::FileKind::Image:
        return QStringLiteral("🖼");
    case Core::FileKind::Audio:
        return QStringLiteral("🎵");
    case Core::FileKind::Video:
        return QStringLiteral("🎬");
    case Core::FileKind::Other:
        break;
    }
    return QStringLiteral("📄");
}

} // namespace

AttachmentCard::AttachmentCard(const Core::AttachmentState &state, const QImage &thumbnail)
    : m_state(state)
    , m_thumbnail(thumbnail)
    , m_isPreview(state.stage != Stage::Saved && !thumbnail.isNull())
{}

QString AttachmentCard::title() const
{
    return m_state.attachment.described.name;
}

QString AttachmentCard::status() const
{
    const auto &described = m_state.attachment.described;
    QStringList parts;
    if (m_state.attachment.encrypted)
        parts.append(tr("🔒 Encrypted"));
    switch (m_state.stage) {
    case Stage::Unknown:
        parts.append(QStringLiteral("…"));
        break;
    case Stage::Remote:
        if (described.size)
            parts.append(dataSizeText(*described.size));
        parts.append(tr("Click to download"));
        break;
    case Stage::Downloading:
        parts.append(m_state.total > 0 ? tr("Downloading %1% of %2")
                                             .arg(m_state.received * 100 / m_state.total)
                                             .arg(dataSizeText(m_state.total))
                                       : tr("Downloading %1").arg(dataSizeText(m_state.received)));
        parts.append(tr("Click to cancel"));
        break;
    case Stage::Saved:
        if (m_state.attachment.direct)
            parts.append(m_state.ours ? tr("Sent directly") : tr("Received directly"));
        if (described.size)
            parts.append(dataSizeText(*described.size));
        parts.append(tr("Click to open"));
        break;
    case Stage::Failed:
        parts.append(tr("Download failed: %1").arg(ErrorPresenter::describe(m_state.error)));
        parts.append(tr("Click to try again"));
        break;
    case Stage::Missing:
        if (described.size)
            parts.append(dataSizeText(*described.size));
        parts.append(tr("Moved or deleted since"));
        break;
    }
    return parts.join(QStringLiteral(" · "));
}

QSize AttachmentCard::thumbnailSize(int width) const
{
    QSize shown = m_thumbnail.size();
    if (m_isPreview) {
        // As large as the thumbnail of the image will be, so that the row keeps its height once it is here.
        const auto &described = m_state.attachment.described;
        const QSize declared(described.width, described.height);
        shown = declared.isEmpty() ? m_thumbnail.size().scaled(PreviewEdge, PreviewEdge, Qt::KeepAspectRatio)
                                   : declared;
        if (shown.width() > Core::Thumbnailer::MaxEdge || shown.height() > Core::Thumbnailer::MaxEdge)
            shown.scale(Core::Thumbnailer::MaxEdge, Core::Thumbnailer::MaxEdge, Qt::KeepAspectRatio);
        shown = shown.expandedTo(QSize(PreviewMinEdge, PreviewMinEdge));
    }
    return shown.scaled(std::min(width, shown.width()), shown.height(), Qt::KeepAspectRatio);
}

QSize AttachmentCard::size(const QFont &font, int width) const
{
    const QFontMetrics small(smallFontOf(font));
    if (!m_thumbnail.isNull()) {
        const QSize image = thumbnailSize(width);
        return {std::max(image.width(), std::min(width, 160)), image.height() + small.height() + 6};
    }
    const QFontMetrics normal(font);
    const int textHeight = normal.height() + small.height() + 2;
    return {std::min(width, CardMaxWidth), std::max(IconSize, textHeight) + 2 * Padding + BarHeight};
}

void AttachmentCard::paint(QPainter *painter, const QStyleOptionViewItem &option, const QRect &rect) const
{
    painter->save();
    const QFont small = smallFontOf(option.font);
    const QFontMetrics smallMetrics(small);
    if (!m_thumbnail.isNull()) {
        const QRect image(rect.topLeft(), thumbnailSize(rect.width()));
        QPainterPath rounded;
        rounded.addRoundedRect(QRectF(image), 6, 6);
        painter->setClipPath(rounded);
        painter->setRenderHint(QPainter::SmoothPixmapTransform);
        painter->drawImage(image, m_thumbnail);
        if (m_isPreview) {
            // What a click does, readable over any picture.
            const QRect band(image.left(), image.bottom() - smallMetrics.height() - 2 * Padding - BarHeight,
                             image.width(), smallMetrics.height() + 2 * Padding + BarHeight);
            painter->fillRect(band, QColor(0, 0, 0, 150));
            painter->setFont(small);
            painter->setPen(Qt::white);
            const QRect text = band.adjusted(Padding, Padding, -Padding, -Padding - BarHeight);
            painter->drawText(text, Qt::AlignLeft | Qt::AlignVCenter,
                              smallMetrics.elidedText(status(), Qt::ElideRight, text.width()));
            paintProgress(painter, option, QRect(text.left(), text.bottom() + 3, text.width(), BarHeight));
        }
        painter->setClipping(false);
        painter->setFont(small);
        painter->setPen(option.palette.color(QPalette::PlaceholderText));
        const QRect caption(rect.left(), image.bottom() + 4, rect.width(), smallMetrics.height());
        painter->drawText(caption, Qt::AlignLeft | Qt::AlignVCenter,
                          smallMetrics.elidedText(title(), Qt::ElideMiddle, caption.width()));
        painter->restore();
        return;
    }
    painter->setPen(QPen(option.palette.color(QPalette::Mid), 1));
    painter->setBrush(option.palette.color(QPalette::AlternateBase));
    painter->drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
    const QRect icon(rect.left() + Padding, rect.top() + Padding, IconSize, IconSize);
    QFont iconFont = option.font;
    iconFont.setPixelSize(IconSize - 8);
    painter->setFont(iconFont);
    painter->setPen(option.palette.color(QPalette::Text));
    painter->drawText(icon, Qt::AlignCenter, iconOf(Core::kindOf(m_state.attachment.described)));
    const int textLeft = icon.right() + Padding;
    const int textWidth = rect.right() - Padding - textLeft;
    const QFontMetrics normal(option.font);
    painter->setFont(option.font);
    painter->drawText(QRect(textLeft, rect.top() + Padding, textWidth, normal.height()),
                      Qt::AlignLeft | Qt::AlignVCenter,
                      normal.elidedText(title(), Qt::ElideMiddle, textWidth));
    painter->setFont(small);
    painter->setPen(m_state.stage == Stage::Failed ? QColor(0xc6, 0x28, 0x28)
                                                   : option.palette.color(QPalette::PlaceholderText));
    painter->drawText(
        QRect(textLeft, rect.top() + Padding + normal.height() + 2, textWidth, smallMetrics.height()),
        Qt::AlignLeft | Qt::AlignVCenter, smallMetrics.elidedText(status(), Qt::ElideRight, textWidth));
    paintProgress(painter, option,
                  QRect(textLeft, rect.bottom() - Padding - BarHeight + 2, textWidth, BarHeight));
    painter->restore();
}

void AttachmentCard::paintProgress(QPainter *painter, const QStyleOptionViewItem &option,
                                   const QRect &track) const
{
    if (m_state.stage != Stage::Downloading)
        return;
    painter->setPen(Qt::NoPen);
    painter->setBrush(option.palette.color(QPalette::Mid));
    painter->drawRoundedRect(track, 2, 2);
    if (m_state.total > 0) {
        QRect done = track;
        done.setWidth(int(qint64(track.width()) * std::min(m_state.received, m_state.total) / m_state.total));
        painter->setBrush(option.palette.color(QPalette::Highlight));
        painter->drawRoundedRect(done, 2, 2);
    }
}

} // namespace Natter::Ui
