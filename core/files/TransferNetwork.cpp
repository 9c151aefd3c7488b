// SPDX-License-Identifier: GPL-3.0-or-later
#include "TransferNetwork.h"

#include "common/Logging.h"

#include <QNetworkReply>
#include <QSslConfiguration>

namespace Natter::Core::TransferNetwork {

namespace {
constexpr int StallTimeoutMs = 60'000;
}

bool isHttpUrl(const QUrl &url)
{
    return url.isValid() && (url.scheme() == u"https" || url.scheme() == u"http") && !url.host().isEmpty();
}

QNetworkRequest request(const QUrl &url, const QList<QSslCertificate> &caCertificates)
{
    QNetworkRequest request(url);
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates(caCertificates);
    tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
    request.setSslConfiguration(tls);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    request.setTransferTimeout(StallTimeoutMs);
    request.setHeader(QNetworkRequest::UserAgentHeader, QStringLiteral("Natter"));
    return request;
}

Error failure(const QNetworkReply &reply)
{
    const QVariant status = reply.attribute(QNetworkRequest::HttpStatusCodeAttribute);
    QString detail;
    if (status.isValid() && status.toInt() >= 300)
        detail = QStringLiteral("HTTP %1 %2")
                     .arg(status.toInt())
                     .arg(reply.attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString());
    else
        detail = reply.errorString();
    qCWarning(lcFiles) << "transfer of" << reply.url().toString(QUrl::RemoveQuery | QUrl::RemoveFragment)
                       << "failed:" << detail;
    return Error(Error::Code::TransferFailed, detail.trimmed());
}

} // namespace Natter::Core::TransferNetwork
