// SPDX-License-Identifier: GPL-3.0-or-later
// A bad network on loopback: a UDP relay that stands between two ICE agents and loses a share of the packets
// going towards one of them. The far side sees the relay's address as the sender (a peer-reflexive
// candidate), so every packet of the connection passes through it.
#pragma once

#include <QHostAddress>
#include <QObject>
#include <QUdpSocket>

namespace Natter::Test {

class LossyUdpRelay : public QObject
{
    Q_OBJECT
public:
    // Relays to target:port from a port of its own on the same address; false when nothing could be bound.
    bool start(const QHostAddress &target, quint16 port);
    // Where the sending side is told to send.
    quint16 port() const { return m_outer.localPort(); }

    // The share (0…1) of packets towards the target that are lost, spread evenly: 0.2 loses every fifth.
    void setLoss(double fraction) { m_loss = fraction; }
    quint64 relayed() const { return m_relayed; }
    quint64 dropped() const { return m_dropped; }

private:
    void forwardToTarget();
    void forwardToSender();
    bool loseNext();

    QUdpSocket m_outer; // faces the sender
    QUdpSocket m_inner; // faces the target
    QHostAddress m_target;
    quint16 m_targetPort = 0;
    QHostAddress m_sender;
    quint16 m_senderPort = 0;
    double m_loss = 0;
    double m_lossOwed = 0;
    quint64 m_relayed = 0;
    quint64 m_dropped = 0;
};

} // namespace Natter::Test
