// SPDX-License-Identifier: GPL-3.0-or-later
#include "LossyUdpRelay.h"

#include <QNetworkDatagram>

namespace Natter::Test {

bool LossyUdpRelay::start(const QHostAddress &target, quint16 port)
{
    m_target = target;
    m_targetPort = port;
    if (!m_outer.bind(target, 0) || !m_inner.bind(target, 0))
        return false;
    connect(&m_outer, &QUdpSocket::readyRead, this, &LossyUdpRelay::forwardToTarget);
    connect(&m_inner, &QUdpSocket::readyRead, this, &LossyUdpRelay::forwardToSender);
    return true;
}

void LossyUdpRelay::forwardToTarget()
{
    while (m_outer.hasPendingDatagrams()) {
        const QNetworkDatagram datagram = m_outer.receiveDatagram();
        m_sender = datagram.senderAddress();
        m_senderPort = quint16(datagram.senderPort());
        if (loseNext()) {
            ++m_dropped;
            continue;
        }
        ++m_relayed;
        m_inner.writeDatagram(datagram.data(), m_target, m_targetPort);
    }
}

void LossyUdpRelay::forwardToSender()
{
    while (m_inner.hasPendingDatagrams()) {
        const QNetworkDatagram datagram = m_inner.receiveDatagram();
        if (m_senderPort != 0)
            m_outer.writeDatagram(datagram.data(), m_sender, m_senderPort);
    }
}

bool LossyUdpRelay::loseNext()
{
    m_lossOwed += m_loss;
    if (m_lossOwed < 1.0)
        return false;
    m_lossOwed -= 1.0;
    return true;
}

} // namespace Natter::Test
