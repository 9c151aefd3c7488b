// SPDX-License-Identifier: GPL-3.0-or-later
// Audio and video calls of one account: rings and answers with Jingle Message Initiation (XEP-0353), routes
// Jingle RTP sessions (XEP-0166/0167) to their Call, refuses what is not ours or not allowed, and keeps
// STUN and TURN servers from the server's external services (XEP-0215) fresh.
#pragma once

#include "Call.h"

#include <QHash>
#include <QPointer>
#include <QTimer>
#include <QXmppClientExtension.h>
#include <functional>

class QXmppExternalServiceDiscoveryManager;

namespace Natter::Core {
class CapsService;
class PresenceService;
} // namespace Natter::Core

namespace Natter::Core::Calls {

class CallService : public QXmppClientExtension
{
    Q_OBJECT
public:
    CallService(QString accountJid, CapsService &caps, PresenceService &presence,
                QXmppExternalServiceDiscoveryManager &externalServices);
    ~CallService() override;

    // Devices, test sources, and the fallback STUN server used when the server announces none.
    void setMediaSettings(const MediaSession::Settings &settings) { m_mediaSettings = settings; }
    MediaSession::Settings mediaSettings() const { return m_mediaSettings; }
    // Whether calls use the STUN and TURN servers the account's server announces (on by default).
    void setServerIceServersEnabled(bool enabled) { m_useServerIceServers = enabled; }
    // Call media goes straight between devices over UDP, which no proxy of ours carries: behind one there
    // are no calls, placed or taken (a ringing call is ignored, as if we were offline).
    void setProxied(bool proxied) { m_proxied = proxied; }
    bool isProxied() const { return m_proxied; }
    // Who may call us (the others' calls are ignored, as if we were offline); everyone when not set.
    void setCallFilter(std::function<bool(const QString &bareJid)> accepts)
    {
        m_accepts = std::move(accepts);
    }

    // Whether one of the contact's online devices takes calls as we place them (JMI, ICE-UDP, DTLS-SRTP,
    // and video when asked).
    bool canCall(const QString &bareJid, bool video) const;
    // Rings every device of the contact; nullptr when a call is already under way.
    Call *call(const QString &bareJid, bool video);
    // The call that is not over yet, if any: one at a time.
    Call *currentCall() const;
    // The STUN and TURN servers the next call uses (the server's, else the fallback).
    QStringList stunServers() const;
    QStringList turnServers() const;

    QStringList discoveryFeatures() const override;
    bool handleStanza(const QDomElement &stanza) override;

Q_SIGNALS:
    // A contact's call rings here.
    void incoming(Natter::Core::Calls::Call *call);
    // call() placed a call.
    void outgoing(Natter::Core::Calls::Call *call);
    // A call is over; it is deleted when control returns to the event loop.
    void callEnded(Natter::Core::Calls::Call *call);
    // A contact called while we were in another call: they were told we are busy.
    void missedWhileBusy(const QString &bareJid, bool video);
    void iceServersChanged();

protected:
    void onRegistered(QXmppClient *client) override;
    void onUnregistered(QXmppClient *client) override;

private:
    bool handleMessage(const QDomElement &message);
    bool handleCarbon(const QDomElement &message);
    void handleJingleMessage(const JingleMessage &message, const QString &from, bool ownDevice);
    void handlePropose(const JingleMessage &message, const QString &from);
    bool handleJingleIq(const QDomElement &iq, const QDomElement &jingle);
    void track(Call *call);
    Call *findCall(const QString &id) const;
    Call::Context context() const;
    void fetchExternalServices();
    void replyResult(const QDomElement &iq);
    void replyError(const QDomElement &iq, const QString &condition);

    const QString m_accountJid;
    CapsService &m_caps;
    PresenceService &m_presence;
    QXmppExternalServiceDiscoveryManager &m_externalServices;
    MediaSession::Settings m_mediaSettings;
    std::function<bool(const QString &)> m_accepts;
    QList<QPointer<Call>> m_calls;
    QStringList m_serverStun;
    QStringList m_serverTurn;
    bool m_useServerIceServers = true;
    bool m_proxied = false;
    QTimer m_refreshTimer; // TURN credentials expire: fetched again before they do
};

} // namespace Natter::Core::Calls
