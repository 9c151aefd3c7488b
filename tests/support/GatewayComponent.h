// SPDX-License-Identifier: GPL-3.0-or-later
// support/gateway_component.py, running: a pretend gateway to another network on the test server, with
// slixmpp's In-Band Registration (XEP-0077). Stops when destroyed.
#pragma once

#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QString>

namespace Natter::Test {

class GatewayComponent
{
public:
    GatewayComponent();
    ~GatewayComponent();

    // Starts it and waits until it is connected; false (with its error output logged) otherwise.
    bool start(int timeoutMs = 20000);
    QString jid() const { return m_jid; }
    // The events it printed so far ("registered", "unregistered"), oldest first.
    QList<QJsonObject> events();

private:
    void readEvents();

    QProcess m_process;
    QByteArray m_pending;
    QList<QJsonObject> m_events;
    QString m_jid;
};

} // namespace Natter::Test
