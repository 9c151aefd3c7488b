// SPDX-License-Identifier: GPL-3.0-or-later
#include "ServerDetails.h"

#include "Account.h"
#include "common/PayloadIq.h"
#include "common/XmppRequest.h"
#include "files/HttpUpload.h"

#include <QDomElement>
#include <QSslCipher>
#include <QSslSocket>
#include <QXmppClient.h>
#include <QXmppOutgoingClient.h>
#include <QXmppPromise.h>
#include <QXmppUtils.h>

namespace Natter::Core {

namespace {

const QString ServerInfoForm = QStringLiteral("http://jabber.org/network/serverinfo");
const QString Mam = QStringLiteral("urn:xmpp:mam:2");
const QString Push = QStringLiteral("urn:xmpp:push:0");

QString protocolName(QSsl::SslProtocol protocol)
{
    switch (protocol) {
    case QSsl::TlsV1_3:
        return QStringLiteral("TLS 1.3");
    case QSsl::TlsV1_2:
        return QStringLiteral("TLS 1.2");
    default:
        return QStringLiteral("TLS (older than 1.2)");
    }
}

QSslSocket *streamSocket(QXmppClient &client)
{
    const auto *stream = client.findChild<QXmppOutgoingClient *>();
    return stream ? qobject_cast<QSslSocket *>(stream->socket()) : nullptr;
}

PayloadIq mamPreferencesRequest(const QString &bareJid)
{
    QXmppElement prefs;
    prefs.setTagName(QStringLiteral("prefs"));
    prefs.setAttribute(QStringLiteral("xmlns"), Mam);
    PayloadIq iq(bareJid, prefs);
    iq.setType(QXmppIq::Get);
    return iq;
}

// The three questions go out together; the answer is complete when the last one is back.
struct Gathering
{
    QXmppPromise<Result<ServerDetails>> promise;
    ServerDetails details;
    std::optional<Error> serverError;
    int outstanding = 3;

    void answered()
    {
        if (--outstanding > 0)
            return;
        if (serverError)
            promise.finish(*serverError);
        else
            promise.finish(details);
    }
};

} // namespace

ServerDetails ServerDetails::fromDiscoInfo(const DiscoInfo &info)
{
    ServerDetails details;
    details.service = info;
    const DiscoInfo::FormFields serverInfo = info.forms.value(ServerInfoForm);
    for (auto [field, addresses] : serverInfo.asKeyValueRange())
        if (!addresses.isEmpty())
            details.contactAddresses.insert(field, addresses);
    return details;
}

QXmppTask<Result<ServerDetails>> askServerDetails(Account &account)
{
    auto gathering = std::make_shared<Gathering>();
    auto task = gathering->promise.task();
    QXmppClient &client = account.client();
    if (!client.isConnected()) {
        gathering->promise.finish(Error(Error::Code::NotConnected));
        return task;
    }
    if (QSslSocket *socket = streamSocket(client); socket && socket->isEncrypted()) {
        gathering->details.tlsProtocol = protocolName(socket->sessionProtocol());
        gathering->details.tlsCipher = socket->sessionCipher().name();
    }
    if (const auto upload = account.uploads().service()) {
        gathering->details.uploadLimit = upload->maxFileSize;
        gathering->details.uploadService = upload->jid;
    }
    const QString bareJid = account.jid();
    askDiscoInfo(client, &account, QXmppUtils::jidToDomain(bareJid))
        .then(&account, [gathering](Result<DiscoInfo> &&server) {
            if (isOk(server)) {
                ServerDetails read = ServerDetails::fromDiscoInfo(std::get<DiscoInfo>(server));
                gathering->details.service = read.service;
                gathering->details.contactAddresses = read.contactAddresses;
            } else {
                gathering->serverError = errorOf(server);
            }
            gathering->answered();
        });
    askDiscoInfo(client, &account, bareJid).then(&account, [gathering](Result<DiscoInfo> &&ours) {
        if (const auto *info = std::get_if<DiscoInfo>(&ours)) {
            gathering->details.archive = info->hasFeature(Mam);
            gathering->details.push = info->hasFeature(Push);
        }
        gathering->answered();
    });
    // A server without MAM answers with an error, which leaves the preference unknown.
    ask<QString>(client, &account, mamPreferencesRequest(bareJid), [](const QDomElement &iq) {
        return Result<QString>(
            iq.firstChildElement(QStringLiteral("prefs")).attribute(QStringLiteral("default")));
    }).then(&account, [gathering](Result<QString> &&prefs) {
        if (isOk(prefs))
            gathering->details.archiveDefault = std::get<QString>(prefs);
        gathering->answered();
    });
    return task;
}

} // namespace Natter::Core
