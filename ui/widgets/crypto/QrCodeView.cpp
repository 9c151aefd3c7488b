// SPDX-License-Identifier: GPL-3.0-or-later
// Shows a text as a QR code: dark modules on white with a 4-module quiet zone whatever the theme, scaled by
// whole pixels so every module stays sharp.
#include "QrCodeView.h"

#include <QPainter>
#include <algorithm>
#include <cmath>
#include <qrencode.h>

namespace Natter::Ui {

namespace {

constexpr int QuietZoneModules = 4;
constexpr int PreferredModulePixels = 4;
constexpr int SmallestModulePixels = 2;

// One pixel per module, quiet zone included.
QImage modulesOf(const QString &text)
{
    if (text.isEmpty())
        return {};
    const QByteArray utf8 = text.toUtf8();
    // Case-sensitive: otherwise libqrencode upper-cases letters to fit the alphanumeric mode.
    QRcode *code = QRcode_encodeString(utf8.constData(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!code)
        return {};
    const int side = code->width + 2 * QuietZoneModules;
    QImage image(side, side, QImage::Format_Grayscale8);
    image.fill(Qt::white);
    for (int y = 0; y < code->width; ++y) {
        uchar *line = image.scanLine(y + QuietZoneModules) + QuietZoneModules;
        const unsigned char *modules = code->data + qsizetype(y) * code->width;
        for (int x = 0; x < code->width; ++x) {
            if (modules[x] & 1) // the low bit is the module's colour, the others say what it belongs to
                line[x] = 0;
        }
    }
    QRcode_free(code);
    return image;
}

} // namespace

QrCodeView::QrCodeView(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("qrCodeView"));
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
}

void QrCodeView::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    m_modules = modulesOf(text);
    setToolTip(text);
    setAccessibleName(text.isEmpty() ? QString() : tr("QR code for %1").arg(text));
    updateGeometry();
    update();
}

QImage QrCodeView::render(const QString &text, int moduleSize)
{
    const QImage modules = modulesOf(text);
    if (modules.isNull() || moduleSize < 1)
        return {};
    return modules.scaled(modules.size() * moduleSize, Qt::IgnoreAspectRatio, Qt::FastTransformation);
}

QSize QrCodeView::sizeHint() const
{
    if (m_modules.isNull())
        return {160, 160};
    return m_modules.size() * PreferredModulePixels;
}

QSize QrCodeView::minimumSizeHint() const
{
    if (m_modules.isNull())
        return {80, 80};
    return m_modules.size() * SmallestModulePixels;
}

void QrCodeView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    if (m_modules.isNull()) {
        if (!m_text.isEmpty())
            painter.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
                             tr("This text is too long for a QR code."));
        return;
    }
    // Whole device pixels per module: a fractional scale would blur or unevenly size the modules.
    const qreal ratio = devicePixelRatioF();
    const int available = int(std::floor(std::min(width(), height()) * ratio));
    const int modulePixels = std::max(1, available / m_modules.width());
    QImage scaled =
        m_modules.scaled(m_modules.size() * modulePixels, Qt::IgnoreAspectRatio, Qt::FastTransformation);
    scaled.setDevicePixelRatio(ratio);
    const QSizeF logical = QSizeF(scaled.size()) / ratio;
    const QPointF topLeft((width() - logical.width()) / 2, (height() - logical.height()) / 2);
    // Snapped to device pixels so module edges fall on pixel edges.
    const QPointF snapped(std::round(topLeft.x() * ratio) / ratio, std::round(topLeft.y() * ratio) / ratio);
    painter.drawImage(snapped, scaled);
}

} // namespace Natter::Ui
