// SPDX-License-Identifier: GPL-3.0-or-later
#include "OmemoPeer.h"

#include <QDeadlineTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

namespace Natter::Test {

OmemoPeer::OmemoPeer(const TestServer &server, const QString &user, const Options &options,
                     const QString &dataDirectory)
{
    const TestAccount account = server.account(user);
    QObject::connect(&m_process, &QProcess::readyReadStandardOutput, [this] { readEvents(); });
    QObject::connect(&m_process, &QProcess::readyReadStandardError,
                     [this] { m_stderr += m_process.readAllStandardError(); });
    m_process.start(QStringLiteral(NATTER_PYTHON),
                    {QStringLiteral(NATTER_OMEMO_PEER_SCRIPT), QStringLiteral("--server-json"),
                     QStringLiteral(NATTER_TEST_SERVER_JSON), QStringLiteral("--jid"), account.jid,
                     QStringLiteral("--password"), account.password, QStringLiteral("--data-dir"),
                     dataDirectory.isEmpty() ? m_dataDir.path() : dataDirectory, QStringLiteral("--versions"),
                     options.versions, QStringLiteral("--trust"), options.trust});
}

OmemoPeer::~OmemoPeer()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    command({{QStringLiteral("cmd"), QStringLiteral("quit")}});
    if (!m_process.waitForFinished(10000)) {
        m_process.kill();
        m_process.waitForFinished(3000);
    }
}

void OmemoPeer::readEvents()
{
    m_buffer += m_process.readAllStandardOutput();
    qsizetype end = 0;
    while ((end = m_buffer.indexOf('\n')) >= 0) {
        const QByteArray line = m_buffer.left(end);
        m_buffer.remove(0, end + 1);
        const QJsonObject event = QJsonDocument::fromJson(line).object();
        if (event.isEmpty())
            continue;
        m_events.append(event);
        m_consumed.append(false);
    }
}

bool OmemoPeer::waitReady(int timeoutMs)
{
    const auto ready = waitForEvent(QStringLiteral("ready"), {}, timeoutMs);
    if (!ready) {
        qWarning().noquote() << "omemo_peer.py did not get ready:" << errorOutput();
        return false;
    }
    m_deviceId = uint32_t(ready->value(QStringLiteral("device_id")).toInteger());
    m_fingerprints = ready->value(QStringLiteral("fingerprints")).toObject();
    return true;
}

QString OmemoPeer::fingerprint(const QString &version) const
{
    return m_fingerprints.value(version).toString();
}

void OmemoPeer::command(const QJsonObject &command)
{
    m_process.write(QJsonDocument(command).toJson(QJsonDocument::Compact) + '\n');
}

std::optional<QJsonObject> OmemoPeer::waitForEvent(const QString &name,
                                                   const std::function<bool(const QJsonObject &)> &matches,
                                                   int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    do {
        for (qsizetype i = 0; i < m_events.size(); ++i) {
            const QJsonObject &event = m_events.at(i);
            if (m_consumed.at(i) || event.value(QStringLiteral("event")).toString() != name ||
                (matches && !matches(event)))
                continue;
            m_consumed[i] = true;
            return event;
        }
        if (m_process.state() == QProcess::NotRunning)
            break;
        QTest::qWait(20);
    } while (!deadline.hasExpired());
    return std::nullopt;
}

QList<QJsonObject> OmemoPeer::events(const QString &name) const
{
    QList<QJsonObject> named;
    for (const QJsonObject &event : m_events) {
        if (event.value(QStringLiteral("event")).toString() == name)
            named.append(event);
    }
    return named;
}

bool OmemoPeer::seesDevice(const QString &jid, uint32_t device, const QString &version)
{
    for (int attempt = 0; attempt < 20; ++attempt) {
        command({{QStringLiteral("cmd"), QStringLiteral("devices")}, {QStringLiteral("jid"), jid}});
        const auto devices = waitForEvent(QStringLiteral("devices"));
        if (!devices)
            return false;
        for (const QJsonValue &entry : devices->value(QStringLiteral("devices")).toArray()) {
            if (uint32_t(entry[QStringLiteral("id")].toInteger()) == device &&
                (version.isEmpty() || entry[QStringLiteral("version")].toString() == version))
                return true;
        }
        command({{QStringLiteral("cmd"), QStringLiteral("refresh")}, {QStringLiteral("jid"), jid}});
        waitForEvent(QStringLiteral("refreshed"));
        QTest::qWait(250);
    }
    return false;
}

} // namespace Natter::Test
