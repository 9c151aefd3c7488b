// SPDX-License-Identifier: GPL-3.0-or-later
// Drives support/omemo_peer.py (slixmpp-omemo: an independent OMEMO implementation) from a test.
#pragma once

#include "TestServer.h"

#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <functional>
#include <optional>

namespace Natter::Test {

class OmemoPeer
{
public:
    struct Options
    {
        QString versions = QStringLiteral("legacy,v2"); // "legacy", "v2" or both
        QString trust = QStringLiteral("blind");
    };

    // Starts the peer for user's account; waitReady() tells whether it logged in and published its keys.
    OmemoPeer(const TestServer &server, const QString &user, const Options &options)
        : OmemoPeer(server, user, options, QString())
    {}
    // The same with keys, sessions and device id kept in dataDirectory (empty: a temporary directory of its
    // own): a peer started again on it is the same device.
    OmemoPeer(const TestServer &server, const QString &user, const Options &options,
              const QString &dataDirectory);
    explicit OmemoPeer(const TestServer &server, const QString &user)
        : OmemoPeer(server, user, Options{})
    {}
    ~OmemoPeer();

    bool waitReady(int timeoutMs = 60000);
    uint32_t deviceId() const { return m_deviceId; }
    QString fingerprint(const QString &version) const;

    void command(const QJsonObject &command);
    // The first event named name (not seen by an earlier call) that matches, waiting up to timeoutMs.
    std::optional<QJsonObject> waitForEvent(const QString &name,
                                            const std::function<bool(const QJsonObject &)> &matches = {},
                                            int timeoutMs = 30000);
    // Asks for jid's devices (refreshing its lists between attempts) until one with that id appears, in
    // version ("legacy" or "v2"; any when empty); false when it did not within about five seconds.
    bool seesDevice(const QString &jid, uint32_t device, const QString &version = {});
    // Every event so far named name.
    QList<QJsonObject> events(const QString &name) const;
    QString errorOutput() const { return QString::fromUtf8(m_stderr); }

private:
    void readEvents();

    QTemporaryDir m_dataDir;
    QProcess m_process;
    QByteArray m_buffer;
    QByteArray m_stderr;
    QList<QJsonObject> m_events;
    QList<bool> m_consumed;
    uint32_t m_deviceId = 0;
    QJsonObject m_fingerprints;
};

} // namespace Natter::Test
