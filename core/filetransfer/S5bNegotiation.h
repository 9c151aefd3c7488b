// SPDX-License-Identifier: GPL-3.0-or-later
// Choosing the SOCKS5 connection of one Jingle session (XEP-0260): each side tries the other's candidates
// in order of priority and reports the one it reached (candidate-used) or that none worked
// (candidate-error); the higher-priority report wins, the initiator's on a tie. A proxy that wins is
// activated by the side that offered it.
#pragma once

#include "JingleElements.h"

#include <QObject>
#include <QPointer>

class QTcpSocket;
class QXmppClient;

namespace Natter::Core {

namespace Socks5 {
class Connector;
class Listener;
} // namespace Socks5

class S5bNegotiation : public QObject
{
    Q_OBJECT
public:
    struct Setup
    {
        QString ownJid; // full JIDs
        QString peerJid;
        bool weInitiated = false;
        QString streamId;
        QList<Jingle::Candidate> ours;
    };

    S5bNegotiation(QXmppClient &client, Socks5::Listener &listener, Setup setup, QObject *parent = nullptr);
    ~S5bNegotiation() override;

    QString ourDestination() const { return m_ourDestination; }
    // Starts trying the peer's candidates (none: reports candidate-error at once).
    void tryCandidates(const QList<Jingle::Candidate> &theirs);
    // A transport-info from the peer.
    void handle(const Jingle::Action &info);
    // How the winning connection goes: "direct" or "proxy"; empty before established().
    QString route() const { return m_route; }

Q_SIGNALS:
    // A transport-info payload for the peer (the session adds sid and content).
    void report(const Natter::Core::Jingle::Action &info);
    // The stream is ready; the socket is the caller's.
    void established(QTcpSocket *socket);
    // Nothing connected (both sides reported candidate-error) or the proxy failed: fall back.
    void failed(const QString &reason);

private:
    void tryNext();
    void reportOwn(const std::optional<Jingle::Candidate> &used);
    void nominate();
    void useOurProxy(const Jingle::Candidate &proxy);
    void establish(QTcpSocket *socket, const QString &route);
    void fail(const QString &reason);

    QXmppClient &m_client;
    Socks5::Listener &m_listener;
    Setup m_setup;
    QString m_ourDestination;
    QString m_theirDestination;
    QList<Jingle::Candidate> m_theirs; // still to try, best first
    QPointer<Socks5::Connector> m_trying;
    QPointer<Socks5::Connector> m_reached;
    QPointer<QTcpSocket> m_incoming; // the peer reached one of our direct candidates
    std::optional<std::optional<Jingle::Candidate>> m_ownReport;  // nullopt inner: candidate-error
    std::optional<std::optional<Jingle::Candidate>> m_peerReport; // a candidate of ours, or error
    std::optional<Jingle::Candidate> m_winner;
    bool m_waitingForActivation = false;
    bool m_done = false;
    QString m_route;
};

} // namespace Natter::Core
