// SPDX-License-Identifier: GPL-3.0-or-later
#include "TestFiles.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QRandomGenerator>

namespace Natter::Test {

QString randomFile(const QString &folder, const QString &name, qint64 size)
{
    const QString path = QDir(folder).filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    QByteArray chunk(1024 * 1024, Qt::Uninitialized);
    for (qint64 written = 0; written < size;) {
        const qint64 piece = std::min<qint64>(chunk.size(), size - written);
        QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(chunk.data()), chunk.size() / 4);
        if (file.write(chunk.constData(), piece) != piece)
            return {};
        written += piece;
    }
    return path;
}

QByteArray sha256Of(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&file);
    return hash.result();
}

QByteArray encodedImage(QSize size, const QColor &colour, const char *format)
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(colour);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, format);
    return bytes;
}

namespace {
void appendLittleEndian16(QByteArray &out, int value)
{
    out.append(char(value & 0xff));
    out.append(char((value >> 8) & 0xff));
}

// LZW data of pixels all of one palette index, with a minimum code size of 2: a clear code before every
// two pixels keeps the dictionary, and so the code width (3 bits), from growing.
QByteArray lzwOfOneColour(qint64 pixels, int index)
{
    constexpr int Clear = 4;
    constexpr int End = 5;
    QByteArray packed;
    quint32 bits = 0;
    int bitCount = 0;
    const auto put = [&](int code) {
        bits |= quint32(code) << bitCount;
        bitCount += 3;
        while (bitCount >= 8) {
            packed.append(char(bits & 0xff));
            bits >>= 8;
            bitCount -= 8;
        }
    };
    for (qint64 pixel = 0; pixel < pixels; ++pixel) {
        if (pixel % 2 == 0)
            put(Clear);
        put(index);
    }
    put(End);
    if (bitCount > 0)
        packed.append(char(bits & 0xff));
    QByteArray blocks;
    for (qsizetype at = 0; at < packed.size(); at += 255) {
        const QByteArray block = packed.mid(at, 255);
        blocks.append(char(block.size()));
        blocks.append(block);
    }
    return blocks;
}
} // namespace

QByteArray animatedGif(QSize screenSize, QSize frameSize, const QList<QColor> &frames, int delayMs)
{
    QByteArray gif("GIF89a");
    appendLittleEndian16(gif, screenSize.width());
    appendLittleEndian16(gif, screenSize.height());
    gif.append(char(0xf1)); // a global palette of 4 colours
    gif.append(char(0));
    gif.append(char(0));
    for (int i = 0; i < 4; ++i) {
        const QColor colour = i < frames.size() ? frames.at(i) : QColor(Qt::black);
        gif.append(char(colour.red()));
        gif.append(char(colour.green()));
        gif.append(char(colour.blue()));
    }
    gif.append("\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00", 19); // loop forever
    for (int i = 0; i < frames.size(); ++i) {
        gif.append("\x21\xf9\x04\x04", 4); // graphic control: keep the frame under the next one
        appendLittleEndian16(gif, delayMs / 10);
        gif.append("\x00\x00", 2);
        gif.append(char(0x2c));
        appendLittleEndian16(gif, 0);
        appendLittleEndian16(gif, 0);
        appendLittleEndian16(gif, frameSize.width());
        appendLittleEndian16(gif, frameSize.height());
        gif.append(char(0));
        gif.append(char(2)); // minimum code size
        gif.append(lzwOfOneColour(qint64(frameSize.width()) * frameSize.height(), i % 4));
        gif.append(char(0));
    }
    gif.append(char(0x3b));
    return gif;
}

} // namespace Natter::Test
