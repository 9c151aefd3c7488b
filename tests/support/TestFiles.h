// SPDX-License-Identifier: GPL-3.0-or-later
// Files for transfer tests: random content of a given size, and what a file's content hashes to; images
// encoded in memory.
#pragma once

#include <QByteArray>
#include <QColor>
#include <QList>
#include <QSize>
#include <QString>

namespace Natter::Test {

// A file of size random bytes at folder/name; its path, or an empty string when it could not be written.
QString randomFile(const QString &folder, const QString &name, qint64 size);
// SHA-256 of the file's content; empty when it cannot be read.
QByteArray sha256Of(const QString &path);
// An image of one colour encoded in format ("PNG", "JPEG").
QByteArray encodedImage(QSize size, const QColor &colour, const char *format = "PNG");
// An animated GIF (Qt writes none) on a screen of screenSize: one frame of frameSize in the top left corner
// per colour (at most four colours), each shown for delayMs, looping.
QByteArray animatedGif(QSize screenSize, QSize frameSize, const QList<QColor> &frames, int delayMs);

} // namespace Natter::Test
