// SPDX-License-Identifier: GPL-3.0-or-later
// Small previews of images, made on a worker thread of their own, never on the caller's: read at a reduced
// size where the format allows it (JPEG), refused when the image is too large to decode safely (a
// decompression bomb), and kept as small PNG files so an image is decoded once.
#pragma once

#include "common/Result.h"

#include <QFuture>
#include <QImage>
#include <QList>
#include <QObject>
#include <QSize>
#include <QThreadPool>

namespace Natter::Core {

class Thumbnailer : public QObject
{
    Q_OBJECT
public:
    // Thumbnails fit in this box, keeping their aspect ratio.
    static constexpr int MaxEdge = 360;
    // Larger images are not decoded: ImageInvalid.
    static constexpr qint64 MaxPixels = 120'000'000;

    // folder: where thumbnail files go.
    explicit Thumbnailer(QString folder, QObject *parent = nullptr);
    ~Thumbnailer() override;

    struct Thumbnail
    {
        QImage image;
        QString path; // its file in the folder
    };
    // Decodes the image at imagePath into a thumbnail saved as name (a file name) in the folder. ImageInvalid
    // for what is no image or too large; FileReadFailed, FileWriteFailed.
    QFuture<Result<Thumbnail>> make(const QString &imagePath, const QString &name);
    // Reads a thumbnail file made before (or any small image).
    QFuture<Result<QImage>> load(const QString &thumbnailPath);

    // The small image sent beside a shared image (XEP-0264): a blurred impression of its colours and shape,
    // a few hundred bytes of PNG. Empty when the file is no image that can be decoded. Blocks: for workers.
    static constexpr int SharedPreviewEdge = 32;
    static QByteArray sharedPreviewOf(const QString &imagePath);
    // A sender's preview is at most this large, encoded and decoded; larger ones are ignored.
    static constexpr qsizetype MaxPreviewBytes = 16 * 1024;
    static constexpr int MaxPreviewEdge = 256;
    // Decodes a sender's preview. ImageInvalid for what is no image or larger than allowed.
    QFuture<Result<QImage>> decodePreview(const QByteArray &encoded);

    // The frames of an animated image (GIF, WebP) at thumbnail size, with how long each shows.
    struct Animation
    {
        QList<QImage> frames;
        QList<int> delays; // milliseconds
        qint64 bytes() const;
    };
    // Bounds of what an animation may cost: frames kept, their memory, and the pixels decoded for them (a
    // small file may hold many frames of a large screen).
    static constexpr int MaxAnimationFrames = 500;
    static constexpr qint64 MaxAnimationBytes = 48 * 1024 * 1024;
    static constexpr qint64 MaxAnimationPixels = 1'000'000'000;
    // Decodes the frames of the animated image at imagePath. ImageInvalid for a still image and for one
    // beyond the bounds; FileReadFailed.
    QFuture<Result<Animation>> animate(const QString &imagePath);

    QString folder() const { return m_folder; }

private:
    QString m_folder;
    QThreadPool m_pool;
};

} // namespace Natter::Core
