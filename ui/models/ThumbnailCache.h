// SPDX-License-Identifier: GPL-3.0-or-later
// Thumbnails of shared images in memory, read from their files on the thumbnailer's worker thread: the
// first request answers with nothing and loaded() follows.
#pragma once

#include "common/Result.h"

#include <QCache>
#include <QFuture>
#include <QImage>
#include <QObject>
#include <QSet>

namespace Natter::Core {
class Thumbnailer;
}

namespace Natter::Ui {

class ThumbnailCache : public QObject
{
    Q_OBJECT
public:
    explicit ThumbnailCache(Core::Thumbnailer &thumbnailer, QObject *parent = nullptr);

    // The thumbnail at path, or a null image while it is read (or when it cannot be).
    QImage image(const QString &path);
    // A sender's preview of a file (XEP-0264), decoded the same way; loaded() names previewKey(encoded).
    QImage preview(const QByteArray &encoded);
    static QString previewKey(const QByteArray &encoded);

Q_SIGNALS:
    // key: the path of a thumbnail, or the previewKey() of a preview.
    void loaded(const QString &key);

private:
    QImage cachedOrRequested(const QString &key, const std::function<QFuture<Core::Result<QImage>>()> &read);

    Core::Thumbnailer &m_thumbnailer;
    QCache<QString, QImage> m_images;
    QSet<QString> m_loading;
    QSet<QString> m_unreadable;
};

} // namespace Natter::Ui
