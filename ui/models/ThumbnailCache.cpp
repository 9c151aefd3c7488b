// SPDX-License-Identifier: GPL-3.0-or-later
#include "ThumbnailCache.h"

#include "common/Logging.h"
#include "files/Thumbnailer.h"

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
    if (path.isEmpty() || m_unreadable.contains(path))
        return {};
    if (const QImage *cached = m_images.object(path))
        return *cached;
    if (m_loading.contains(path))
        return {};
    m_loading.insert(path);
    m_thumbnailer.load(path).then(this, [this, path](const Core::Result<QImage> &read) {
        m_loading.remove(path);
        if (!Core::isOk(read)) {
            qCInfo(lcFiles) << "cannot read the thumbnail" << path << Core::errorOf(read).detail;
            m_unreadable.insert(path);
            return;
        }
        const QImage &image = std::get<QImage>(read);
        m_images.insert(path, new QImage(image), std::max<qsizetype>(1, image.sizeInBytes() / 1024));
        Q_EMIT loaded(path);
    });
    return {};
}

} // namespace Natter::Ui
