// SPDX-License-Identifier: GPL-3.0-or-later
#include "TestProxy.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace Natter::Test {

namespace {
QString logFile(const QTemporaryDir &dir)
{
    return dir.filePath(QStringLiteral("requests.log"));
}
} // namespace

TestProxy::TestProxy(Protocol protocol, const QMap<QString, QString> &routes, const QString &user,
                     const QString &password)
{
    const QString script =
        QFileInfo(QStringLiteral(NATTER_FIXTURE_SCRIPT)).dir().filePath(QStringLiteral("test_proxy.py"));
    QStringList arguments{script,
                          protocol == Protocol::Socks5 ? QStringLiteral("socks5") : QStringLiteral("http"),
                          logFile(m_dir)};
    if (!user.isEmpty())
        arguments << QStringLiteral("--user") << user << QStringLiteral("--password") << password;
    for (auto it = routes.cbegin(); it != routes.cend(); ++it)
        arguments << it.key() + u'=' + it.value();
    m_process.start(QStringLiteral(NATTER_PYTHON), arguments);
}

TestProxy::~TestProxy()
{
    m_process.kill();
    m_process.waitForFinished(3000);
}

bool TestProxy::waitReady(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    QByteArray output;
    while (!deadline.hasExpired() && m_process.state() != QProcess::NotRunning) {
        m_process.waitForReadyRead(100);
        output += m_process.readAllStandardOutput();
        if (output.startsWith("port ") && output.contains('\n')) {
            m_port = quint16(output.mid(5, output.indexOf('\n') - 5).toUInt());
            return m_port != 0;
        }
    }
    return false;
}

QList<TestProxy::Request> TestProxy::requests() const
{
    QFile file(logFile(m_dir));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<Request> requests;
    for (const QByteArray &line : file.readAll().split('\n')) {
        const QStringList parts = QString::fromUtf8(line).split(u' ');
        if (parts.size() == 4)
            requests.append({parts[0], parts[1], parts[2].toInt(), parts[3]});
    }
    return requests;
}

QString TestProxy::errorOutput()
{
    return QString::fromUtf8(m_process.readAllStandardError());
}

} // namespace Natter::Test
