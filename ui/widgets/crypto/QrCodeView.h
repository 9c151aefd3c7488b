// SPDX-License-Identifier: GPL-3.0-or-later
// Shows a text as a QR code: dark modules on white with a 4-module quiet zone whatever the theme, scaled by
// whole pixels so every module stays sharp.
#pragma once

#include <QImage>
#include <QString>
#include <QWidget>

namespace Natter::Ui {

class QrCodeView : public QWidget
{
    Q_OBJECT
public:
    explicit QrCodeView(QWidget *parent = nullptr);

    void setText(const QString &text);
    QString text() const { return m_text; }

    // The code (error correction level M, quiet zone included) with moduleSize pixels per module; a null
    // image for an empty text, a text too long for a QR code, or moduleSize < 1.
    static QImage render(const QString &text, int moduleSize);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QString m_text;
    QImage m_modules; // one pixel per module
};

} // namespace Natter::Ui
