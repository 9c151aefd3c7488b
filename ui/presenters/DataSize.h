// SPDX-License-Identifier: GPL-3.0-or-later
// File sizes as people read them: "1.5 MB", in the user's locale.
#pragma once

#include <QLocale>
#include <QString>

namespace Natter::Ui {

inline QString dataSizeText(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

} // namespace Natter::Ui
