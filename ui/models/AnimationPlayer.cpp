// SPDX-License-Identifier: GPL-3.0-or-later
#include "AnimationPlayer.h"

#include "common/Logging.h"

#include <QFileInfo>

namespace Natter::Ui {

namespace {
constexpr qsizetype CacheKilobytes = 96 * 1024;
constexpr int ShortestTickMs = 10;
} // namespace

AnimationPlayer::AnimationPlayer(Core::Thumbnailer &thumbnailer, QObject *parent)
    : QObject(parent)
    , m_thumbnailer(thumbnailer)
    , m_decoded(CacheKilobytes)
{
    m_clock.start();
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &AnimationPlayer::advance);
}

bool AnimationPlayer::mayBeAnimated(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    return suffix == QLatin1String("gif") || suffix == QLatin1String("webp");
}

QImage AnimationPlayer::frame(const QString &path)
{
    if (path.isEmpty() || m_still.contains(path))
        return {};
    const qint64 now = m_clock.elapsed();
    if (auto playing = m_playing.find(path); playing != m_playing.end()) {
        playing->askedAt = now;
        return playing->animation->frames.at(playing->index);
    }
    if (const Animation *decoded = m_decoded.object(path)) {
        Playing &started = m_playing[path];
        started.animation = *decoded;
        started.nextAt = now + started.animation->delays.first();
        started.askedAt = now;
        scheduleNext();
        return started.animation->frames.first();
    }
    if (m_decoding.contains(path))
        return {};
    m_decoding.insert(path);
    m_thumbnailer.animate(path).then(
        this, [this, path](Core::Result<Core::Thumbnailer::Animation> &&decoded) {
            m_decoding.remove(path);
            if (!Core::isOk(decoded)) {
                qCInfo(lcFiles) << "shown still:" << path << Core::errorOf(decoded).detail;
                m_still.insert(path);
                return;
            }
            auto animation = std::make_shared<const Core::Thumbnailer::Animation>(
                std::get<Core::Thumbnailer::Animation>(std::move(decoded)));
            const qsizetype cost = std::max<qsizetype>(1, animation->bytes() / 1024);
            m_decoded.insert(path, new Animation(std::move(animation)), cost);
            Q_EMIT frameChanged(path);
        });
    return {};
}

void AnimationPlayer::advance()
{
    const qint64 now = m_clock.elapsed();
    QStringList due;
    for (auto playing = m_playing.begin(); playing != m_playing.end();) {
        if (now - playing->askedAt > IdleStopMs) {
            playing = m_playing.erase(playing);
            continue;
        }
        if (now >= playing->nextAt) {
            playing->index = (playing->index + 1) % playing->animation->frames.size();
            // From when it was due, so that slow turns do not slow the animation down; after a long stall
            // it goes on from now rather than racing to catch up.
            const int delay = playing->animation->delays.at(playing->index);
            playing->nextAt = playing->nextAt + delay > now ? playing->nextAt + delay : now + delay;
            due.append(playing.key());
        }
        ++playing;
    }
    scheduleNext();
    for (const QString &path : std::as_const(due))
        Q_EMIT frameChanged(path);
}

void AnimationPlayer::scheduleNext()
{
    if (m_playing.isEmpty()) {
        m_timer.stop();
        return;
    }
    qint64 next = std::numeric_limits<qint64>::max();
    for (const Playing &playing : std::as_const(m_playing))
        next = std::min({next, playing.nextAt, playing.askedAt + IdleStopMs + 1});
    m_timer.start(int(std::max<qint64>(ShortestTickMs, next - m_clock.elapsed())));
}

} // namespace Natter::Ui
