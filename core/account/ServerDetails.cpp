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

const QString DiscoInfo = QStringLiteral("http://jabber.org/protocol/disco#info");
const QString DataForms = QStringLiteral("jabber:x:data");
const QString ServerInfoForm = QStringLiteral("http://jabber.org/network/serverinfo");
const QString Mam = QStringLiteral("urn:xmpp:mam:2");
const QString Push = QStringLiteral("urn:xmpp:push:0");

PayloadIq getRequest(const QString &to, const QString &name, const QString &xmlns)
{
    QXmppElement query;
    query.setTagName(name);
    query.setAttribute(QStringLiteral("xmlns"), xmlns);
    PayloadIq iq(to, query);
    iq.setType(QXmppIq::Get);
    return iq;
}

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

} // namespace

ServerDetails ServerDetails::fromDiscoInfo(const QDomElement &query)
{
    ServerDetails details;
    for (QDomElement child = query.firstChildElement(); !child.isNull(); child = child.nextSiblingElement()) {
        if (child.tagName() == u"identity")
            details.service.identities.append({child.attribute(QStringLiteral("category")),
                                               child.attribute(QStringLiteral("type")),
                                               child.attribute(QStringLiteral("name"))});
        else if (child.tagName() == u"feature")
            details.service.features.append(child.attribute(QStringLiteral("var")));
        if (child.tagName() != u"x" || child.namespaceURI() != DataForms)
            continue;
        QMap<QString, QStringList> fields;
        for (QDomElement field = child.firstChildElement(QStringLiteral("field")); !field.isNull();
             field = field.nextSiblingElement(QStringLiteral("field"))) {
            QStringList values;
            for (QDomElement value = field.firstChildElement(QStringLiteral("value")); !value.isNull();
                 value = value.nextSiblingElement(QStringLiteral("value")))
                if (!value.text().trimmed().isEmpty())
                    values.append(value.text().trimmed());
            fields.insert(field.attribute(QStringLiteral("var")), values);
        }
        if (fields.value(QStringLiteral("FORM_TYPE")).value(0) != ServerInfoForm)
            continue;
        fields.remove(QStringLiteral("FORM_TYPE"));
        for (auto it = fields.cbegin(); it != fields.cend(); ++it)
            if (!it.value().isEmpty())
                details.contactAddresses.insert(it.key(), it.value());
    }
    details.service.features.sort();
    return details;
}

QXmppTask<Result<ServerDetails>> askServerDetails(Account &account)
{
    QXmppPromise<Result<ServerDetails>> promise;
    auto task = promise.task();
    QXmppClient &client = account.client();
    const QString domain = QXmppUtils::jidToDomain(account.jid());
    const QString bareJid = account.jid();
    auto readQuery = [](const QDomElement &iq) { return iq.firstChildElement(QStringLiteral("query")); };
    ask<QDomElement>(client, &account, getRequest(domain, QStringLiteral("query"), DiscoInfo), readQuery)
        .then(&account, [&account, &client, promise, bareJid,
                         readQuery](Result<QDomElement> &&server) mutable {
            if (!isOk(server))
                return promise.finish(errorOf(server));
            auto details =
                std::make_shared<ServerDetails>(ServerDetails::fromDiscoInfo(std::get<QDomElement>(server)));
            if (QSslSocket *socket = streamSocket(client); socket && socket->isEncrypted()) {
                details->tlsProtocol = protocolName(socket->sessionProtocol());
                details->tlsCipher = socket->sessionCipher().name();
            }
            if (const auto upload = account.uploads().service()) {
                details->uploadLimit = upload->maxFileSize;
                details->uploadService = upload->jid;
            }
            ask<QDomElement>(client, &account, getRequest(bareJid, QStringLiteral("query"), DiscoInfo),
                             readQuery)
                .then(&account, [&client, promise, details, bareJid](Result<QDomElement> &&ours) mutable {
                    if (isOk(ours)) {
                        const QStringList features =
                            ServerDetails::fromDiscoInfo(std::get<QDomElement>(ours)).service.features;
                        details->archive = features.contains(Mam);
                        details->push = features.contains(Push);
                    }
                    if (!details->archive)
                        return promise.finish(*details);
                    ask<QString>(client, &client, getRequest(bareJid, QStringLiteral("prefs"), Mam),
                                 [](const QDomElement &iq) {
                                     return iq.firstChildElement(QStringLiteral("prefs"))
                                         .attribute(QStringLiteral("default"));
                                 })
                        .then(&client, [promise, details](Result<QString> &&prefs) mutable {
                            if (isOk(prefs))
                                details->archiveDefault = std::get<QString>(prefs);
                            promise.finish(*details);
                        });
                });
        });
    return task;
}

} // namespace Natter::Core
