// SPDX-License-Identifier: GPL-3.0-or-later
// A private PulseAudio server for tests that need sound devices: its own runtime folder, off D-Bus and X11,
// so nothing of the machine's own sound setup is touched. GStreamer's PulseAudio elements and pactl find it
// through PULSE_SERVER once it runs.
#pragma once

#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <optional>

namespace Natter::Test {

class SoundServer
{
public:
    // A module to load at start: its name and arguments ("module-null-sink sink_name=speaker ...").
    explicit SoundServer(const QStringList &modules);
    ~SoundServer();

    // Whether it runs and answers; errorString() says why not.
    bool isRunning() const { return m_error.isEmpty(); }
    QString errorString() const { return m_error; }

    // What pactl printed, or nothing when it failed.
    std::optional<QString> pactl(const QStringList &arguments) const;
    // The lines of `pactl list short KIND` (sinks, sources, sink-inputs, source-outputs).
    QStringList list(const QString &kind) const;
    // A null sink (speaker) or null source (microphone) with that PulseAudio name and description, as
    // DeviceMonitor shows it.
    static QString nullSink(const QString &name, const QString &description);
    static QString nullSource(const QString &name, const QString &description);

private:
    QTemporaryDir m_runtime;
    QProcess m_process;
    QString m_error;
};

} // namespace Natter::Test
