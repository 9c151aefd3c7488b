// SPDX-License-Identifier: GPL-3.0-or-later
#include "S5bNegotiation.h"

#include "Socks5.h"
#include "common/Logging.h"

#include <QDomElement>
#include <QTcpSocket>
#include <QTimer>
#include <QXmppByteStreamIq.h>
#include <QXmppClient.h>
#include <QXmppTask.h>

namespace Natter::Core {

namespace {
constexpr int CandidateTimeoutMs = 5000;
// The peer reports the candidate it reached over XMPP, which may overtake its SOCKS5 connection.
constexpr int IncomingGraceMs = 5000;

bool higher(const Jingle::Candidate &a, const Jingle::Candidate &b)
{
    return a.priority > b.priority;
}
} // namespace

S5bNegotiation::S5bNegotiation(QXmppClient &client, Socks5::Listener &listener, Setup setup, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_listener(listener)
    , m_setup(std::move(setup))
    , m_ourDestination(Socks5::destinationAddress(m_setup.streamId, m_setup.ownJid, m_setup.peerJid))
    , m_theirDestination(Socks5::destinationAddress(m_setup.streamId, m_setup.peerJid, m_setup.ownJid))
{
    m_listener.expect(m_ourDestination);
    connect(&m_listener, &Socks5::Listener::connected, this,
            [this](const QString &destination, QTcpSocket *socket) {
                if (destination != m_ourDestination || m_incoming || m_done) {
                    if (destination == m_ourDestination)
                        socket->deleteLater();
                    return;
                }
                socket->setParent(this);
                m_incoming = socket;
                if (m_winner && m_route.isEmpty() && m_peerReport && *m_peerReport &&
                    **m_peerReport == *m_winner)
                    nominate();
            });
}

S5bNegotiation::~S5bNegotiation()
{
    m_listener.forget(m_ourDestination);
}

void S5bNegotiation::tryCandidates(const QList<Jingle::Candidate> &theirs)
{
    m_theirs = theirs;
    std::stable_sort(m_theirs.begin(), m_theirs.end(), higher);
    tryNext();
}

void S5bNegotiation::tryNext()
{
    if (m_done)
        return;
    if (m_theirs.isEmpty())
        return reportOwn(std::nullopt);
    const Jingle::Candidate candidate = m_theirs.takeFirst();
    auto *connector =
        new Socks5::Connector(candidate.host, candidate.port, m_theirDestination, CandidateTimeoutMs, this);
    m_trying = connector;
    connect(connector, &Socks5::Connector::ready, this, [this, connector, candidate] {
        m_reached = connector;
        qCInfo(lcFiles) << "reached"
                        << (candidate.type == Jingle::Candidate::Type::Proxy ? "proxy" : "direct")
                        << "candidate" << candidate.host << candidate.port;
        reportOwn(candidate);
    });
    connect(connector, &Socks5::Connector::failed, this, [this, connector, candidate](const QString &reason) {
        qCInfo(lcFiles) << "candidate" << candidate.host << candidate.port << "failed:" << reason;
        connector->deleteLater();
        tryNext();
    });
    connector->start();
}

void S5bNegotiation::reportOwn(const std::optional<Jingle::Candidate> &used)
{
    m_ownReport = used;
    Jingle::Action info;
    if (used)
        info.candidateUsed = used->cid;
    else
        info.candidateError = true;
    Q_EMIT report(info);
    nominate();
}

void S5bNegotiation::handle(const Jingle::Action &info)
{
    if (m_done)
        return;
    if (!info.candidateUsed.isEmpty() || info.candidateError) {
        std::optional<Jingle::Candidate> used;
        for (const Jingle::Candidate &candidate : std::as_const(m_setup.ours))
            if (!info.candidateError && candidate.cid == info.candidateUsed)
                used = candidate;
        m_peerReport = used;
        return nominate();
    }
    if (info.proxyError)
        return fail(QStringLiteral("the contact could not use the proxy"));
    if (!info.activated.isEmpty() && m_waitingForActivation && m_winner && info.activated == m_winner->cid &&
        m_reached) {
        m_waitingForActivation = false;
        establish(m_reached->take(), QStringLiteral("proxy"));
    }
}

void S5bNegotiation::nominate()
{
    if (m_done || !m_ownReport || !m_peerReport || !m_route.isEmpty() || m_waitingForActivation)
        return;
    const std::optional<Jingle::Candidate> &ownUsed = *m_ownReport;   // one of theirs
    const std::optional<Jingle::Candidate> &peerUsed = *m_peerReport; // one of ours
    if (!ownUsed && !peerUsed)
        return fail(QStringLiteral("no connection between the two devices or through a proxy"));
    bool theirsWins = ownUsed.has_value();
    if (ownUsed && peerUsed)
        theirsWins = ownUsed->priority != peerUsed->priority ? ownUsed->priority > peerUsed->priority
                                                             : m_setup.weInitiated;
    m_winner = theirsWins ? *ownUsed : *peerUsed;
    if (m_trying && m_trying != m_reached)
        m_trying->deleteLater();
    if (theirsWins) {
        if (m_winner->type == Jingle::Candidate::Type::Proxy) {
            m_waitingForActivation = true; // the peer offered it and activates it
            return;
        }
        return establish(m_reached->take(), QStringLiteral("direct"));
    }
    if (m_winner->type == Jingle::Candidate::Type::Proxy)
        return useOurProxy(*m_winner);
    if (m_incoming)
        return establish(m_incoming.data(), QStringLiteral("direct"));
    QTimer::singleShot(IncomingGraceMs, this, [this] {
        if (m_route.isEmpty() && !m_done)
            fail(QStringLiteral("the contact's connection did not arrive"));
    });
}

void S5bNegotiation::useOurProxy(const Jingle::Candidate &proxy)
{
    auto *connector =
        new Socks5::Connector(proxy.host, proxy.port, m_ourDestination, CandidateTimeoutMs, this);
    const auto proxyFailed = [this](const QString &reason) {
        Jingle::Action info;
        info.proxyError = true;
        Q_EMIT report(info);
        fail(QStringLiteral("the proxy failed: %1").arg(reason));
    };
    connect(connector, &Socks5::Connector::failed, this, proxyFailed);
    connect(connector, &Socks5::Connector::ready, this, [this, connector, proxy, proxyFailed] {
        QXmppByteStreamIq activate;
        activate.setType(QXmppIq::Set);
        activate.setTo(proxy.jid);
        activate.setSid(m_setup.streamId);
        activate.setActivate(m_setup.peerJid);
        m_client.sendIq(std::move(activate))
            .then(this, [this, connector, proxy, proxyFailed](QXmppClient::IqResult &&result) {
                if (m_done)
                    return;
                if (std::holds_alternative<QXmppError>(result))
                    return proxyFailed(std::get<QXmppError>(result).description);
                Jingle::Action info;
                info.activated = proxy.cid;
                Q_EMIT report(info);
                establish(connector->take(), QStringLiteral("proxy"));
            });
    });
    connector->start();
}

void S5bNegotiation::establish(QTcpSocket *socket, const QString &route)
{
    m_route = route;
    m_done = true;
    socket->setParent(nullptr);
    if (m_incoming && m_incoming != socket)
        m_incoming->deleteLater();
    m_listener.forget(m_ourDestination);
    Q_EMIT established(socket);
}

void S5bNegotiation::fail(const QString &reason)
{
    if (m_done)
        return;
    m_done = true;
    m_listener.forget(m_ourDestination);
    Q_EMIT failed(reason);
}

} // namespace Natter::Core
