// SPDX-License-Identifier: GPL-3.0-or-later
#include "SoundServer.h"

#include <QStandardPaths>
#include <QTest>

namespace Natter::Test {

SoundServer::SoundServer(const QStringList &modules)
{
    const QString pulseaudio = QStandardPaths::findExecutable(QStringLiteral("pulseaudio"));
    if (!m_runtime.isValid() || pulseaudio.isEmpty()) {
        m_error = QStringLiteral("pulseaudio is not installed (tools/packages.txt lists it)");
        return;
    }
    const QString socket = m_runtime.filePath(QStringLiteral("native"));
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("XDG_RUNTIME_DIR"), m_runtime.path());
    environment.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
    environment.remove(QStringLiteral("DISPLAY"));
    environment.insert(QStringLiteral("HOME"), m_runtime.path());
    m_process.setProcessEnvironment(environment);
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QStringList arguments{QStringLiteral("--daemonize=no"),
                          QStringLiteral("--exit-idle-time=-1"),
                          QStringLiteral("-n"),
                          QStringLiteral("--log-level=error"),
                          QStringLiteral("-L"),
                          QStringLiteral("module-native-protocol-unix auth-anonymous=1 socket=") + socket};
    for (const QString &module : modules)
        arguments << QStringLiteral("-L") << module;
    m_process.start(pulseaudio, arguments);
    if (!m_process.waitForStarted()) {
        m_error = QStringLiteral("pulseaudio did not start: ") + m_process.errorString();
        return;
    }
    qputenv("PULSE_SERVER", "unix:" + socket.toUtf8());
    if (!QTest::qWaitFor([this] { return pactl({QStringLiteral("info")}).has_value(); }, 10000))
        m_error = QStringLiteral("pulseaudio does not answer on ") + socket;
}

SoundServer::~SoundServer()
{
    m_process.terminate();
    m_process.waitForFinished(5000);
}

std::optional<QString> SoundServer::pactl(const QStringList &arguments) const
{
    QProcess process;
    process.start(QStringLiteral("pactl"), arguments);
    if (!process.waitForFinished(10000) || process.exitStatus() != QProcess::NormalExit ||
        process.exitCode() != 0)
        return std::nullopt;
    return QString::fromUtf8(process.readAllStandardOutput());
}

QStringList SoundServer::list(const QString &kind) const
{
    return pactl({QStringLiteral("list"), QStringLiteral("short"), kind})
        .value_or(QString())
        .split(u'\n', Qt::SkipEmptyParts);
}

QString SoundServer::nullSink(const QString &name, const QString &description)
{
    return QStringLiteral("module-null-sink sink_name=%1 sink_properties=device.description=%2")
        .arg(name, description);
}

QString SoundServer::nullSource(const QString &name, const QString &description)
{
    return QStringLiteral("module-null-source source_name=%1 description=%2").arg(name, description);
}

} // namespace Natter::Test
