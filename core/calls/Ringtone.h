// SPDX-License-Identifier: GPL-3.0-or-later
// The sound of an incoming call: a two-beat tone, synthesised by GStreamer, repeated until the call is
// answered or over. Without a sound device it stays silent and says so in the log.
#pragma once

#include <QObject>
#include <QTimer>
#include <memory>

namespace Natter::Core::Calls {

class Ringtone : public QObject
{
    Q_OBJECT
public:
    explicit Ringtone(QObject *parent = nullptr);
    ~Ringtone() override;

    // Plays into a sink that discards the sound (tests and demos without speakers).
    void setSilent(bool silent) { m_silent = silent; }
    void start();
    void stop();
    bool isPlaying() const { return m_cadence.isActive(); }

private:
    struct Pipeline;
    void nextBeat();

    std::unique_ptr<Pipeline> m_pipeline;
    QTimer m_cadence;
    int m_beat = 0;
    bool m_silent = false;
};

} // namespace Natter::Core::Calls
