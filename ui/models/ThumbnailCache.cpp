// SPDX-License-Identifier: GPL-3.0-or-later
#include "ThumbnailCache.h"

#include "common/Logging.h"
#include "files/Thumbnailer.h"

#include <QCryptographicHash>

namespace Natter::Ui {

namespace {
constexpr qsizetype CacheKilobytes = 64 * 1024;
}

ThumbnailCache::ThumbnailCache(Core::Thumbnailer &thumbnailer, QObject *parent)
    : QObject(parent)
    , m_thumbnailer(thumbnailer)
    , m_images(CacheKilobytes)
{}

QImage ThumbnailCache::image(const QString &path)
{
    if (path.isEmpty())
        return {};
    return cachedOrRequested(path, [this, path] { return m_thumbnailer.load(path); });
}

QImage ThumbnailCache::preview(const QByteArray &encoded)
{
    if (encoded.isEmpty())
        return {};
    return cachedOrRequested(previewKey(encoded),
                             [this, encoded] { return m_thumbnailer.decodePreview(encoded); });
}

QString ThumbnailCache::previewKey(const QByteArray &encoded)
{
    return QStringLiteral("preview:") +
           QString::fromLatin1(QCryptographicHash::hash(encoded, QCryptographicHash::Sha1).toHex());
}

QImage ThumbnailCache::cachedOrRequested(const QString &key,
                                         const std::function<QFuture<Core::Result<QImage>>()> &read)
{
    if (m_unreadable.contains(key))
        return {};
    if (const QImage *cached = m_images.object(key))
        return *cached;
    if (m_loading.contains(key))
        return {};
    m_loading.insert(key);
    read().then(this, [this, key](const Core::Result<QImage> &decoded) {
        m_loading.remove(key);
        if (!Core::isOk(decoded)) {
            qCInfo(lcFiles) << "cannot read the thumbnail" << key << Core::errorOf(decoded).detail;
            m_unreadable.insert(key);
            return;
        }
        const QImage &image = std::get<QImage>(decoded);
        m_images.insert(key, new QImage(image), std::max<qsizetype>(1, image.sizeInBytes() / 1024));
        Q_EMIT loaded(key);
    });
    return {};
}

} // namespace Natter::Ui
