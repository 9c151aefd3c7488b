// SPDX-License-Identifier: GPL-3.0-or-later
#include "WireTap.h"

#include <QXmppClient.h>

namespace Natter::Test {

WireTap::WireTap(QXmppClient &client)
    : m_client(client)
{
    m_logger.setLoggingType(QXmppLogger::SignalLogging);
    m_logger.setMessageTypes(QXmppLogger::SentMessage);
    connect(&m_logger, &QXmppLogger::message, this, [this](QXmppLogger::MessageType type, const QString &text) {
        if (type == QXmppLogger::SentMessage)
            m_sent.append(text);
    });
    m_client.setLogger(&m_logger);
}

WireTap::~WireTap()
{
    m_client.setLogger(nullptr);
}

bool WireTap::sentContains(const QString &text) const
{
    return std::any_of(m_sent.cbegin(), m_sent.cend(), [&text](const QString &xml) { return xml.contains(text); });
}

} // namespace Natter::Test
