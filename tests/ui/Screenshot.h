// SPDX-License-Identifier: GPL-3.0-or-later
// The documentation's screenshots, written by UI tests when NATTER_SCREENSHOT_DIR names a folder.
#pragma once

#include <QDir>
#include <QTest>
#include <QWidget>

namespace Natter::Test {

inline void saveScreenshot(QWidget *window, const QString &name)
{
    const QString directory = qEnvironmentVariable("NATTER_SCREENSHOT_DIR");
    if (directory.isEmpty() || !QDir().mkpath(directory))
        return;
    QTest::qWait(300); // thumbnails, delivery ticks and progress settle
    window->grab().save(QDir(directory).filePath(name));
}

} // namespace Natter::Test
