// SPDX-License-Identifier: GPL-3.0-or-later
#include "Socks5.h"

#include <QCryptographicHash>
#include <QSet>
#include <QTcpSocket>

namespace Natter::Core::Socks5 {

namespace {

constexpr char Version = 5;
constexpr char NoAuthentication = 0;
constexpr char Connect = 1;
constexpr char DomainName = 3;
constexpr char Succeeded = 0;
constexpr char NotAllowed = 2;
constexpr int HandshakeTimeoutMs = 10000;
// What a stream's socket holds before its transfer reads it (the rest waits in the kernel).
constexpr qint64 ReadBufferBytes = 1024 * 1024;
// The greeting's and the request's parts, in order.
enum Stage
{
    Greeting,
    Request,
};

// A request (CONNECT) or a reply (a status) to a domain-name destination: they have the same layout.
QByteArray socksMessage(char commandOrStatus, const QByteArray &destination)
{
    QByteArray bytes;
    bytes.append(Version).append(commandOrStatus).append(char(0)).append(DomainName);
    bytes.append(char(destination.size())).append(destination);
    bytes.append(char(0)).append(char(0)); // port 0, as XEP-0065 asks
    return bytes;
}

} // namespace

QString destinationAddress(const QString &streamId, const QString &offerer, const QString &peer)
{
    return QString::fromLatin1(
        QCryptographicHash::hash((streamId + offerer + peer).toUtf8(), QCryptographicHash::Sha1).toHex());
}

Listener::Listener(QObject *parent)
    : QObject(parent)
{
    connect(&m_server, &QTcpServer::pendingConnectionAvailable, this, [this] {
        while (QTcpSocket *socket = m_server.nextPendingConnection())
            handshake(socket);
    });
}

bool Listener::listen()
{
    return m_server.isListening() || m_server.listen(QHostAddress::Any);
}

quint16 Listener::port() const
{
    return m_server.serverPort();
}

void Listener::expect(const QString &destination)
{
    m_expected.insert(destination);
}

void Listener::forget(const QString &destination)
{
    m_expected.remove(destination);
}

void Listener::handshake(QTcpSocket *socket)
{
    socket->setReadBufferSize(ReadBufferBytes);
    auto stage = std::make_shared<Stage>(Greeting);
    auto *timeout = new QTimer(socket);
    timeout->setSingleShot(true);
    connect(timeout, &QTimer::timeout, socket, [socket] {
        socket->abort();
        socket->deleteLater();
    });
    timeout->start(HandshakeTimeoutMs);
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    const auto refuse = [socket] {
        socket->disconnect();
        socket->abort();
        socket->deleteLater();
    };
    const auto onData = [this, socket, stage, timeout, refuse] {
        if (*stage == Greeting) {
            if (socket->bytesAvailable() < 2)
                return;
            const QByteArray head = socket->peek(2);
            const int methods = quint8(head[1]);
            if (socket->bytesAvailable() < 2 + methods)
                return;
            const QByteArray greeting = socket->read(2 + methods);
            if (head[0] != Version || !greeting.mid(2).contains(NoAuthentication))
                return refuse();
            socket->write(QByteArray().append(Version).append(NoAuthentication));
            *stage = Request;
        }
        if (socket->bytesAvailable() < 5)
            return;
        const QByteArray head = socket->peek(5);
        const int length = quint8(head[4]);
        if (socket->bytesAvailable() < 5 + length + 2)
            return;
        const QByteArray bytes = socket->read(5 + length + 2);
        const QString destination = QString::fromLatin1(bytes.mid(5, length));
        if (head[0] != Version || head[1] != Connect || head[3] != DomainName ||
            !m_expected.contains(destination)) {
            socket->write(socksMessage(NotAllowed, bytes.mid(5, length)));
            socket->flush();
            return refuse();
        }
        socket->write(socksMessage(Succeeded, destination.toLatin1()));
        timeout->stop();
        timeout->deleteLater();
        socket->disconnect(this);
        QObject::disconnect(socket, &QTcpSocket::readyRead, nullptr, nullptr);
        QObject::disconnect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        socket->setParent(nullptr);
        Q_EMIT connected(destination, socket);
    };
    connect(socket, &QTcpSocket::readyRead, this, onData);
}

Connector::Connector(QString host, quint16 port, QString destination, int timeoutMs, QObject *parent)
    : QObject(parent)
    , m_host(std::move(host))
    , m_port(port)
    , m_destination(std::move(destination))
    , m_socket(new QTcpSocket(this))
{
    m_socket->setReadBufferSize(ReadBufferBytes);
    m_timeout.setSingleShot(true);
    m_timeout.setInterval(timeoutMs);
    connect(&m_timeout, &QTimer::timeout, this, [this] { fail(QStringLiteral("timed out")); });
    connect(m_socket, &QTcpSocket::connected, this, [this] {
        m_socket->write(QByteArray().append(Version).append(char(1)).append(NoAuthentication));
    });
    connect(m_socket, &QTcpSocket::readyRead, this, &Connector::readReply);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this] { fail(m_socket->errorString()); });
}

void Connector::start()
{
    m_timeout.start();
    m_socket->connectToHost(m_host, m_port);
}

QTcpSocket *Connector::take()
{
    QTcpSocket *socket = m_socket;
    socket->disconnect(this);
    socket->setParent(nullptr);
    m_socket = nullptr;
    return socket;
}

void Connector::readReply()
{
    if (m_done)
        return; // what follows the handshake is the stream's, for whoever takes the socket
    if (m_step == 0) {
        if (m_socket->bytesAvailable() < 2)
            return;
        const QByteArray choice = m_socket->read(2);
        if (choice[0] != Version || choice[1] != NoAuthentication)
            return fail(QStringLiteral("the server wants authentication"));
        m_socket->write(socksMessage(Connect, m_destination.toLatin1()));
        m_step = 1;
    }
    // VER REP RSV ATYP, then the bound address (its length depends on ATYP) and a port.
    if (m_socket->bytesAvailable() < 5)
        return;
    const QByteArray head = m_socket->peek(5);
    if (head[0] != Version || head[1] != Succeeded)
        return fail(QStringLiteral("refused (SOCKS5 reply %1)").arg(int(quint8(head[1]))));
    int addressLength = 0;
    switch (head[3]) {
    case 1:
        addressLength = 4 - 1;
        break;
    case 4:
        addressLength = 16 - 1;
        break;
    case DomainName:
        addressLength = quint8(head[4]);
        break;
    default:
        return fail(QStringLiteral("unreadable SOCKS5 reply"));
    }
    if (m_socket->bytesAvailable() < 5 + addressLength + 2)
        return;
    m_socket->read(5 + addressLength + 2);
    m_timeout.stop();
    m_done = true;
    Q_EMIT ready();
}

void Connector::fail(const QString &reason)
{
    if (m_done)
        return;
    m_done = true;
    m_timeout.stop();
    if (m_socket)
        m_socket->abort();
    Q_EMIT failed(reason);
}

} // namespace Natter::Core::Socks5
