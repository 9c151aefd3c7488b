// SPDX-License-Identifier: GPL-3.0-or-later
#include "CertificateGuard.h"

#include "ConnectionErrorClassifier.h"
#include "common/Logging.h"

#include <QSslSocket>
#include <QXmppClient.h>

namespace Natter::Core {

namespace {

// The client's stream socket in the middle of its handshake (QXmpp does not expose it; it is a child of the
// client's stream, and sslErrors is emitted from inside the socket's own signal, where ignoring is allowed).
QSslSocket *handshakingSocket(QXmppClient &client)
{
    const auto sockets = client.findChildren<QSslSocket *>();
    for (QSslSocket *socket : sockets) {
        if (!socket->isEncrypted() && !socket->peerCertificate().isNull())
            return socket;
    }
    return nullptr;
}

} // namespace

CertificateGuard::CertificateGuard(QXmppClient &client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
    connect(&client, &QXmppClient::sslErrors, this, &CertificateGuard::handleSslErrors);
}

void CertificateGuard::setPinned(const QByteArray &certificate)
{
    m_pinned = certificate;
}

void CertificateGuard::reset()
{
    m_errors.clear();
    m_presented = QSslCertificate();
}

Error CertificateGuard::classify(const QXmppError &error) const
{
    return ConnectionErrorClassifier::classify(error, m_errors, m_presented, m_pinned);
}

void CertificateGuard::handleSslErrors(const QList<QSslError> &errors)
{
    QSslSocket *socket = handshakingSocket(m_client);
    const QSslCertificate presented = socket ? socket->peerCertificate() : QSslCertificate();
    if (!m_pinned.isEmpty() && !presented.isNull() && presented.toDer() == m_pinned) {
        qCInfo(lcAccount) << "accepting the certificate the user trusted for this account:"
                          << ConnectionErrorClassifier::sha256Fingerprint(presented);
        socket->ignoreSslErrors(errors);
        return;
    }
    // Never ignored otherwise: the handshake fails and the user sees why, with the certificate.
    m_errors = errors;
    m_presented = presented;
}

} // namespace Natter::Core
