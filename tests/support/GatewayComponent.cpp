// SPDX-License-Identifier: GPL-3.0-or-later
#include "GatewayComponent.h"

#include <QDebug>
#include <QJsonDocument>
#include <QTest>

namespace Natter::Test {

GatewayComponent::GatewayComponent()
{
    QObject::connect(&m_process, &QProcess::readyReadStandardOutput, [this] { readEvents(); });
}

GatewayComponent::~GatewayComponent()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.closeWriteChannel();
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished(2000);
    }
}

bool GatewayComponent::start(int timeoutMs)
{
    m_process.start(QStringLiteral(NATTER_PYTHON),
                    {QStringLiteral(NATTER_GATEWAY_SCRIPT), QStringLiteral("--server-json"),
                     QStringLiteral(NATTER_TEST_SERVER_JSON)});
    const bool ready = QTest::qWaitFor(
        [this] {
            for (const QJsonObject &event : std::as_const(m_events)) {
                if (event.value(u"event").toString() == u"ready") {
                    m_jid = event.value(u"jid").toString();
                    return true;
                }
            }
            return m_process.state() == QProcess::NotRunning;
        },
        timeoutMs);
    if (!ready || m_jid.isEmpty()) {
        qWarning().noquote() << "gateway_component.py did not get ready:"
                             << QString::fromUtf8(m_process.readAllStandardError());
        return false;
    }
    return true;
}

QList<QJsonObject> GatewayComponent::events()
{
    readEvents();
    return m_events;
}

void GatewayComponent::readEvents()
{
    m_pending += m_process.readAllStandardOutput();
    qsizetype end = 0;
    while ((end = m_pending.indexOf('\n')) >= 0) {
        const QByteArray line = m_pending.left(end);
        m_pending.remove(0, end + 1);
        const QJsonDocument document = QJsonDocument::fromJson(line);
        if (document.isObject())
            m_events.append(document.object());
    }
}

} // namespace Natter::Test
