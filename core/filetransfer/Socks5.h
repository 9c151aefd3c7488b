// SPDX-License-Identifier: GPL-3.0-or-later
// The SOCKS5 part of XEP-0065/XEP-0260 bytestreams: a listener that accepts peers asking for a stream we
// announced, and a connector that reaches a peer's listener or a proxy. No authentication: the destination
// address, a hash of the stream id and both JIDs, is what picks the stream.
#pragma once

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTcpServer>
#include <QTimer>

class QTcpSocket;

namespace Natter::Core::Socks5 {

// DST.ADDR of a stream: hex SHA-1 of the stream id and the JIDs of who offered the address and of the peer.
QString destinationAddress(const QString &streamId, const QString &offerer, const QString &peer);

// Accepts SOCKS5 connections on one port of every interface. A connection asking for an expected
// destination is handed over with connected(); anything else is refused and closed.
class Listener : public QObject
{
    Q_OBJECT
public:
    explicit Listener(QObject *parent = nullptr);

    // Opens the port on first use; false when no port could be opened.
    bool listen();
    quint16 port() const;
    void expect(const QString &destination);
    void forget(const QString &destination);

Q_SIGNALS:
    // The socket is ours to keep (reparented to nothing), its SOCKS5 handshake done.
    void connected(const QString &destination, QTcpSocket *socket);

private:
    void handshake(QTcpSocket *socket);

    QTcpServer m_server;
    QSet<QString> m_expected;
};

// Connects to host:port and asks for destination; ready() or failed(), once, within the timeout.
class Connector : public QObject
{
    Q_OBJECT
public:
    Connector(QString host, quint16 port, QString destination, int timeoutMs, QObject *parent = nullptr);
    void start();
    // After ready(): the connected socket, now the caller's.
    QTcpSocket *take();

Q_SIGNALS:
    void ready();
    void failed(const QString &reason);

private:
    void readReply();
    void fail(const QString &reason);

    QString m_host;
    quint16 m_port;
    QString m_destination;
    QTcpSocket *m_socket;
    QTimer m_timeout;
    int m_step = 0;
    bool m_done = false;
};

} // namespace Natter::Core::Socks5
