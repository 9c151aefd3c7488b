// SPDX-License-Identifier: GPL-3.0-or-later
// One RGB picture from a media pipeline, for a live preview. Core has no QtGui, so the UI wraps it in a
// QImage.
#pragma once

#include <QByteArray>
#include <QMetaType>

namespace Natter::Core {

struct PreviewFrame
{
    QByteArray rgb; // 3 bytes per pixel, bytesPerLine bytes per row (rows may be padded)
    int width = 0;
    int height = 0;
    int bytesPerLine = 0;

    bool isValid() const { return width > 0 && height > 0 && rgb.size() >= qsizetype(bytesPerLine) * height; }
};

} // namespace Natter::Core

Q_DECLARE_METATYPE(Natter::Core::PreviewFrame)
