// SPDX-License-Identifier: GPL-3.0-or-later
// What uploads and downloads share about HTTP: the requests they make and how a failure is told.
#pragma once

#include "common/Error.h"

#include <QList>
#include <QNetworkRequest>
#include <QSslCertificate>

class QNetworkReply;

namespace Natter::Core::TransferNetwork {

// http or https with a host: nothing else is fetched or sent to (no file:, no data:, no ftp:).
bool isHttpUrl(const QUrl &url);
// Certificates are checked as for the account's connection (its CA certificates); no redirects are followed
// to another scheme; a transfer that makes no progress for a minute stops.
QNetworkRequest request(const QUrl &url, const QList<QSslCertificate> &caCertificates);
// TransferFailed with the HTTP status or the network error as detail.
Error failure(const QNetworkReply &reply);

} // namespace Natter::Core::TransferNetwork
