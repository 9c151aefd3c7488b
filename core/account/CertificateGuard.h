// SPDX-License-Identifier: GPL-3.0-or-later
// Watches one client's TLS handshakes. A certificate that does not verify is refused and remembered for the
// error the user sees, except exactly the certificate the user trusted for the account (pinned): that one is
// accepted despite its errors. Any other certificate, when one is pinned, is a changed certificate.
#pragma once

#include "common/Error.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QSslCertificate>
#include <QSslError>

class QXmppClient;
class QXmppError;

namespace Natter::Core {

class CertificateGuard : public QObject
{
    Q_OBJECT
public:
    CertificateGuard(QXmppClient &client, QObject *parent);

    // DER of the certificate accepted despite its errors; empty: none.
    void setPinned(const QByteArray &certificate);
    // Forgets the last handshake's problems (before each attempt).
    void reset();
    // The error a failed attempt comes to, with the certificate when the handshake was refused.
    Error classify(const QXmppError &error) const;

private:
    void handleSslErrors(const QList<QSslError> &errors);

    QXmppClient &m_client;
    QByteArray m_pinned;
    QList<QSslError> m_errors;
    QSslCertificate m_presented;
};

} // namespace Natter::Core
