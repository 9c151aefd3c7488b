// SPDX-License-Identifier: GPL-3.0-or-later
#include "Thumbnailer.h"

#include "common/FilePlacement.h"

#include <QBuffer>
#include <QDir>
#include <QImageReader>
#include <QSaveFile>
#include <QtConcurrent>

namespace Natter::Core {

namespace {
// The size of what decoding allocates. A GIF's frames are drawn on its logical screen, whose size is in the
// file's header, while the reader tells the first frame's: a 1-pixel frame on a 30000 × 30000 screen
// decodes to 3.6 GB.
QSize decodedSizeOf(QImageReader &reader)
{
    const QSize size = reader.size();
    if (reader.format() != "gif" || !reader.device())
        return size;
    const QByteArray header = reader.device()->peek(10);
    if (header.size() < 10)
        return QSize();
    const QSize screen(quint8(header[6]) | quint8(header[7]) << 8, quint8(header[8]) | quint8(header[9])
                                                                                           << 8);
    return size.expandedTo(screen);
}

Result<QImage> read(QImageReader &reader, int maxEdge, qint64 maxPixels)
{
    reader.setAutoTransform(true);
    const QSize size = decodedSizeOf(reader);
    if (!size.isValid() || qint64(size.width()) * size.height() > maxPixels)
        return Error(Error::Code::ImageInvalid,
                     QStringLiteral("%1×%2 pixels is more than can be decoded safely")
                         .arg(size.width())
                         .arg(size.height()));
    if (size.width() > maxEdge || size.height() > maxEdge)
        reader.setScaledSize(size.scaled(maxEdge, maxEdge, Qt::KeepAspectRatio));
    QImage image = reader.read();
    if (image.isNull())
        return Error(Error::Code::ImageInvalid, reader.errorString());
    // Readers that cannot scale while decoding give the full image.
    if (image.width() > maxEdge || image.height() > maxEdge)
        image = image.scaled(maxEdge, maxEdge, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    return image;
}

Result<QImage> read(const QString &path, int maxEdge)
{
    QImageReader reader(path);
    if (!reader.canRead())
        return QFileInfo(path).isReadable() ? Error(Error::Code::ImageInvalid, reader.errorString())
                                            : Error(Error::Code::FileReadFailed, path);
    return read(reader, maxEdge, Thumbnailer::MaxPixels);
}
} // namespace

Thumbnailer::Thumbnailer(QString folder, QObject *parent)
    : QObject(parent)
    , m_folder(std::move(folder))
{
    // One at a time: a large image takes a lot of memory while it is decoded.
    m_pool.setMaxThreadCount(1);
    // Large enough for the pixels allowed (the default, 256 MB, refuses some of them); MaxPixels is checked
    // before anything is decoded.
    const int neededMegabytes = int(MaxPixels * 4 / (1024 * 1024)) + 1;
    if (QImageReader::allocationLimit() < neededMegabytes)
        QImageReader::setAllocationLimit(neededMegabytes);
}

Thumbnailer::~Thumbnailer()
{
    m_pool.waitForDone();
}

QFuture<Result<Thumbnailer::Thumbnail>> Thumbnailer::make(const QString &imagePath, const QString &name)
{
    return QtConcurrent::run(&m_pool, [imagePath, folder = m_folder, name]() -> Result<Thumbnail> {
        Result<QImage> image = read(imagePath, MaxEdge);
        if (!isOk(image))
            return errorOf(image);
        const QString path = QDir(folder).filePath(FilePlacement::safeFileName(name));
        QSaveFile file(path);
        if (!QDir().mkpath(folder) || !file.open(QIODevice::WriteOnly) ||
            !std::get<QImage>(image).save(&file, "PNG") || !file.commit())
            return FilePlacement::writeFailureAt(path, file.errorString());
        return Thumbnail{std::get<QImage>(std::move(image)), path};
    });
}

QFuture<Result<QImage>> Thumbnailer::load(const QString &thumbnailPath)
{
    return QtConcurrent::run(&m_pool, [thumbnailPath] { return read(thumbnailPath, MaxEdge); });
}

QByteArray Thumbnailer::sharedPreviewOf(const QString &imagePath)
{
    const Result<QImage> image = read(imagePath, SharedPreviewEdge);
    if (!isOk(image))
        return {};
    QByteArray encoded;
    QBuffer buffer(&encoded);
    buffer.open(QIODevice::WriteOnly);
    if (!std::get<QImage>(image).save(&buffer, "PNG"))
        return {};
    return encoded;
}

QFuture<Result<QImage>> Thumbnailer::decodePreview(const QByteArray &encoded)
{
    return QtConcurrent::run(&m_pool, [encoded]() -> Result<QImage> {
        if (encoded.size() > MaxPreviewBytes)
            return Error(Error::Code::ImageInvalid, QStringLiteral("%1 bytes").arg(encoded.size()));
        QBuffer buffer;
        buffer.setData(encoded);
        buffer.open(QIODevice::ReadOnly);
        QImageReader reader(&buffer);
        const QSize size = reader.size();
        if (size.width() > MaxPreviewEdge || size.height() > MaxPreviewEdge)
            return Error(Error::Code::ImageInvalid,
                         QStringLiteral("%1×%2 pixels").arg(size.width()).arg(size.height()));
        return read(reader, MaxPreviewEdge, qint64(MaxPreviewEdge) * MaxPreviewEdge);
    });
}

qint64 Thumbnailer::Animation::bytes() const
{
    qint64 total = 0;
    for (const QImage &frame : frames)
        total += frame.sizeInBytes();
    return total;
}

QFuture<Result<Thumbnailer::Animation>> Thumbnailer::animate(const QString &imagePath)
{
    return QtConcurrent::run(&m_pool, [imagePath]() -> Result<Animation> {
        QImageReader reader(imagePath);
        if (!reader.canRead())
            return QFileInfo(imagePath).isReadable() ? Error(Error::Code::ImageInvalid, reader.errorString())
                                                     : Error(Error::Code::FileReadFailed, imagePath);
        const QSize size = decodedSizeOf(reader);
        const int count = reader.imageCount();
        if (!reader.supportsAnimation() || count == 1 || !size.isValid())
            return Error(Error::Code::ImageInvalid, QStringLiteral("not animated"));
        const qint64 pixels = qint64(size.width()) * size.height();
        // Counted before anything is decoded where the format tells (GIF does); checked as frames come too.
        if (pixels > MaxPixels || count > MaxAnimationFrames || qint64(count) * pixels > MaxAnimationPixels)
            return Error(Error::Code::ImageInvalid, QStringLiteral("%1 frames of %2×%3 pixels is more than "
                                                                   "can be played safely")
                                                        .arg(count)
                                                        .arg(size.width())
                                                        .arg(size.height()));
        if (size.width() > MaxEdge || size.height() > MaxEdge)
            reader.setScaledSize(size.scaled(MaxEdge, MaxEdge, Qt::KeepAspectRatio));
        Animation animation;
        qint64 bytes = 0;
        while (reader.canRead()) {
            const QImage frame = reader.read();
            if (frame.isNull())
                break;
            bytes += frame.sizeInBytes();
            if (animation.frames.size() == MaxAnimationFrames || bytes > MaxAnimationBytes ||
                (animation.frames.size() + 1) * pixels > MaxAnimationPixels)
                return Error(Error::Code::ImageInvalid,
                             QStringLiteral("more frames than can be played safely"));
            animation.frames.append(frame);
            // Browsers show frames that ask for (almost) no time for a tenth of a second: so do we.
            const int delay = reader.nextImageDelay();
            animation.delays.append(delay <= 10 ? 100 : delay);
        }
        if (animation.frames.size() < 2)
            return Error(Error::Code::ImageInvalid, QStringLiteral("not animated"));
        return animation;
    });
}

} // namespace Natter::Core
