// SPDX-License-Identifier: GPL-3.0-or-later
#include "ConnectionErrorClassifier.h"

#include <QAbstractSocket>
#include <QSslCertificate>
#include <QXmppAuthenticationError.h>
#include <QXmppBindError.h>
#include <QXmppError.h>
#include <QXmppGlobal.h>
#include <QXmppStreamError.h>

namespace Natter::Core {

namespace {

Error certificateError(const QList<QSslError> &sslErrors, const QString &description,
                       QSslCertificate presented, const QByteArray &pinned)
{
    QStringList reasons;
    for (const QSslError &sslError : sslErrors) {
        reasons.append(sslError.errorString());
        if (presented.isNull())
            presented = sslError.certificate();
    }
    const bool changed = !pinned.isEmpty() && presented.toDer() != pinned;
    Error error(changed ? Error::Code::CertificateChanged : Error::Code::CertificateRejected,
                reasons.isEmpty() ? description : reasons.join(u"; "));
    if (!presented.isNull()) {
        error.certificateFingerprint = ConnectionErrorClassifier::sha256Fingerprint(presented);
        error.certificate = presented.toDer();
    }
    return error;
}

Error socketError(QAbstractSocket::SocketError socketError, const QString &description)
{
    switch (socketError) {
    case QAbstractSocket::ConnectionRefusedError:
    case QAbstractSocket::NetworkError:
        return Error(Error::Code::HostUnreachable, description);
    case QAbstractSocket::ProxyConnectionRefusedError:
    case QAbstractSocket::ProxyConnectionClosedError:
    case QAbstractSocket::ProxyConnectionTimeoutError:
    case QAbstractSocket::ProxyNotFoundError:
    case QAbstractSocket::ProxyProtocolError:
        return Error(Error::Code::ProxyUnreachable, description);
    case QAbstractSocket::ProxyAuthenticationRequiredError:
        return Error(Error::Code::ProxyRefused, description);
    case QAbstractSocket::HostNotFoundError:
        return Error(Error::Code::HostNotFound, description);
    case QAbstractSocket::SocketTimeoutError:
        return Error(Error::Code::Timeout, description);
    case QAbstractSocket::SslHandshakeFailedError:
        return Error(Error::Code::CertificateRejected, description);
    case QAbstractSocket::RemoteHostClosedError:
        return Error(Error::Code::ConnectionLost, description);
    default:
        return Error(Error::Code::HostUnreachable, description);
    }
}

} // namespace

QString ConnectionErrorClassifier::sha256Fingerprint(const QSslCertificate &certificate)
{
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
}

Error ConnectionErrorClassifier::classify(const QXmppError &error, const QList<QSslError> &sslErrors,
                                          const QSslCertificate &presented, const QByteArray &pinned)
{
    if (!sslErrors.isEmpty())
        return certificateError(sslErrors, error.description, presented, pinned);
    if (const auto auth = error.value<QXmpp::AuthenticationError>())
        return Error(Error::Code::AuthenticationFailed,
                     auth->text.isEmpty() ? error.description : auth->text);
    if (const auto socket = error.value<QAbstractSocket::SocketError>())
        return socketError(*socket, error.description);
    if (error.holdsType<QXmpp::TimeoutError>())
        return Error(Error::Code::Timeout, error.description);
    if (const auto stream = error.value<QXmpp::StreamError>()) {
        if (*stream == QXmpp::StreamError::NotAuthorized)
            return Error(Error::Code::AuthenticationFailed, error.description);
        return Error(Error::Code::StreamError, error.description);
    }
    if (error.holdsType<QXmpp::BindError>())
        return Error(Error::Code::StreamError, error.description);
    return Error(Error::Code::ConnectionLost, error.description);
}

bool ConnectionErrorClassifier::reconnectHelps(const Error &error)
{
    switch (error.code) {
    case Error::Code::HostUnreachable:
    case Error::Code::HostNotFound:
    case Error::Code::Timeout:
    case Error::Code::ConnectionLost:
    case Error::Code::StreamError:
    case Error::Code::ProxyUnreachable: // Tor starting up, a proxy restarting
    case Error::Code::ProxyNoRoute:
        return true;
    default:
        return false;
    }
}

} // namespace Natter::Core
