// SPDX-License-Identifier: GPL-3.0-or-later
// Plays animated images (GIF, WebP) in the chat: their frames are decoded at thumbnail size on the
// thumbnailer's worker thread, and only what the view keeps asking for plays. An animation no one asked a
// frame of for a second (scrolled away, window hidden) stops, so painting is all the window thread does.
#pragma once

#include "files/Thumbnailer.h"

#include <QCache>
#include <QElapsedTimer>
#include <QHash>
#include <QImage>
#include <QObject>
#include <QSet>
#include <QTimer>
#include <memory>

namespace Natter::Ui {

class AnimationPlayer : public QObject
{
    Q_OBJECT
public:
    static constexpr int IdleStopMs = 1000;

    explicit AnimationPlayer(Core::Thumbnailer &thumbnailer, QObject *parent = nullptr);

    // Whether the file at path may be animated, from its name: GIF and WebP.
    static bool mayBeAnimated(const QString &path);
    // The frame of the animated image at path to show now; null while it is decoded, and for what is no
    // animation (or too large to play), where the still thumbnail stays.
    QImage frame(const QString &path);
    // The paths playing now.
    QStringList playing() const { return m_playing.keys(); }

Q_SIGNALS:
    // Another frame of path is due (or its frames were decoded): ask frame() again.
    void frameChanged(const QString &path);

private:
    using Animation = std::shared_ptr<const Core::Thumbnailer::Animation>;
    struct Playing
    {
        Animation animation;
        int index = 0;
        qint64 nextAt = 0; // ms on m_clock
        qint64 askedAt = 0;
    };
    void advance();
    void scheduleNext();

    Core::Thumbnailer &m_thumbnailer;
    QCache<QString, Animation> m_decoded;
    QHash<QString, Playing> m_playing;
    QSet<QString> m_decoding;
    QSet<QString> m_still;
    QElapsedTimer m_clock;
    QTimer m_timer;
};

} // namespace Natter::Ui
