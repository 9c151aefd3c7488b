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
Result<QImage> read(QImageReader &reader, int maxEdge, qint64 maxPixels)
{
    reader.setAutoTransform(true);
    const QSize size = reader.size();
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

} // namespace Natter::Core
