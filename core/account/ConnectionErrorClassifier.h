// SPDX-License-Identifier: GPL-3.0-or-later
// Turns QXmpp's connection errors into Natter errors and says whether another attempt can help.
#pragma once

#include "common/Error.h"

#include <QList>
#include <QSslError>

class QXmppError;

namespace Natter::Core {

class ConnectionErrorClassifier
{
public:
    // sslErrors: what the TLS handshake reported before the failure (may be empty); presented: the
    // certificate the server showed then; pinned: the certificate (DER) the user trusted for the account.
    static Error classify(const QXmppError &error, const QList<QSslError> &sslErrors,
                          const QSslCertificate &presented = QSslCertificate(), const QByteArray &pinned = {});
    static bool reconnectHelps(const Error &error);
    static QString sha256Fingerprint(const QSslCertificate &certificate);
};

} // namespace Natter::Core
