// SPDX-License-Identifier: GPL-3.0-or-later
// The smaller type of secondary lines in messages and cards (times, sizes, notices).
#pragma once

#include <QFont>
#include <algorithm>

namespace Natter::Ui {

inline QFont smallFontOf(const QFont &font)
{
    QFont small = font;
    if (font.pointSizeF() > 0)
        small.setPointSizeF(font.pointSizeF() * 0.85);
    else
        small.setPixelSize(std::max(1, font.pixelSize() * 85 / 100));
    return small;
}

} // namespace Natter::Ui
