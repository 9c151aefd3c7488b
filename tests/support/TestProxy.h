// SPDX-License-Identifier: GPL-3.0-or-later
// A SOCKS5 or HTTP CONNECT proxy for a test (test_proxy.py): it reaches only the destinations it is given,
// by name, and logs every request, so a test sees what went through it and that names were not resolved
// here.
#pragma once

#include <QMap>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

namespace Natter::Test {

class TestProxy
{
public:
    enum class Protocol
    {
        Socks5,
        HttpConnect,
    };
    struct Request
    {
        QString kind; // "domain", "ipv4", "ipv6" (SOCKS5), "http", or "auth" for refused credentials
        QString host;
        int port = 0;
        QString outcome; // "ok", "unmapped", "unreachable", "auth-failed"
    };

    // routes: "host" or "host:port" → "address[:port]" (a destination without a port keeps the asked one).
    TestProxy(Protocol protocol, const QMap<QString, QString> &routes, const QString &user = {},
              const QString &password = {});
    ~TestProxy();

    // False when the proxy did not start (errorOutput() says why).
    bool waitReady(int timeoutMs = 10000);
    quint16 port() const { return m_port; }
    QList<Request> requests() const;
    QString errorOutput();

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
};

} // namespace Natter::Test
