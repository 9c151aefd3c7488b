// SPDX-License-Identifier: GPL-3.0-or-later
#include "ContactInfoService.h"

#include "common/XmppError.h"
#include "common/XmppRequest.h"

#include <QDomElement>
#include <QXmlStreamWriter>
#include <QXmppClient.h>
#include <QXmppEntityTimeIq.h>
#include <QXmppPromise.h>
#include <QXmppVCardIq.h>
#include <QXmppVCardManager.h>
#include <QXmppVersionIq.h>

namespace Natter::Core {

namespace {

const QString LastActivityNs = QStringLiteral("jabber:iq:last");

// XEP-0012 has no class in QXmpp: <query xmlns='jabber:iq:last' seconds='…'>status</query>.
class LastActivityIq : public QXmppIq
{
public:
    void toXmlElementFromChild(QXmlStreamWriter *writer) const override
    {
        writer->writeStartElement(QStringLiteral("query"));
        writer->writeDefaultNamespace(LastActivityNs);
        writer->writeEndElement();
    }
};

const QString PubSubNs = QStringLiteral("http://jabber.org/protocol/pubsub");
const QString VCard4Node = QStringLiteral("urn:xmpp:vcard4");
const QString VCard4Ns = QStringLiteral("urn:ietf:params:xml:ns:vcard-4.0");

// The items of a contact's vCard4 node (XEP-0292) on PEP.
class VCard4Request : public QXmppIq
{
public:
    void toXmlElementFromChild(QXmlStreamWriter *writer) const override
    {
        writer->writeStartElement(QStringLiteral("pubsub"));
        writer->writeDefaultNamespace(PubSubNs);
        writer->writeStartElement(QStringLiteral("items"));
        writer->writeAttribute(QStringLiteral("node"), VCard4Node);
        writer->writeEndElement();
        writer->writeEndElement();
    }
};

// The text of property/child (e.g. fn/text) in a vCard4 element.
QString vCard4Text(const QDomElement &vcard, const QString &property, const QString &child)
{
    return vcard.firstChildElement(property).firstChildElement(child).text().trimmed();
}

std::optional<ContactCard> parseVCard4(const QDomElement &iq)
{
    const QDomElement vcard = iq.firstChildElement(QStringLiteral("pubsub"))
                                  .firstChildElement(QStringLiteral("items"))
                                  .lastChildElement(QStringLiteral("item"))
                                  .firstChildElement(QStringLiteral("vcard"));
    if (vcard.isNull() || vcard.namespaceURI() != VCard4Ns)
        return std::nullopt;
    ContactCard card;
    card.fullName = vCard4Text(vcard, QStringLiteral("fn"), QStringLiteral("text"));
    card.nickName = vCard4Text(vcard, QStringLiteral("nickname"), QStringLiteral("text"));
    card.email = vCard4Text(vcard, QStringLiteral("email"), QStringLiteral("text"));
    card.url = vCard4Text(vcard, QStringLiteral("url"), QStringLiteral("uri"));
    card.birthday =
        QDate::fromString(vCard4Text(vcard, QStringLiteral("bday"), QStringLiteral("date")), Qt::ISODate);
    card.description = vCard4Text(vcard, QStringLiteral("note"), QStringLiteral("text"));
    return card;
}

} // namespace

ContactInfoService::ContactInfoService(QXmppClient &client, QXmppVCardManager &vCards, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_vCards(vCards)
{}

QXmppTask<Result<ContactCard>> ContactInfoService::card(const QString &bareJid)
{
    // vCard4 on PEP first (XEP-0292); a contact without one may still have a vcard-temp (XEP-0054).
    QXmppPromise<Result<ContactCard>> promise;
    auto task = promise.task();
    if (!m_client.isConnected()) {
        promise.finish(Error(Error::Code::NotConnected));
        return task;
    }
    VCard4Request request;
    request.setType(QXmppIq::Get);
    request.setTo(bareJid);
    m_client.sendIq(std::move(request))
        .then(this, [this, promise, bareJid](QXmppClient::IqResult &&result) mutable {
            if (const auto *element = std::get_if<QDomElement>(&result)) {
                if (const auto card = parseVCard4(*element); card && !card->isEmpty()) {
                    promise.finish(*card);
                    return;
                }
            }
            vCardTemp(bareJid).then(this, [promise](Result<ContactCard> &&fallback) mutable {
                promise.finish(std::move(fallback));
            });
        });
    return task;
}

QXmppTask<Result<ContactCard>> ContactInfoService::vCardTemp(const QString &bareJid)
{
    QXmppPromise<Result<ContactCard>> promise;
    auto task = promise.task();
    m_vCards.fetchVCard(bareJid).then(this, [promise](QXmppVCardManager::VCardIqResult &&result) mutable {
        if (const auto *error = std::get_if<QXmppError>(&result)) {
            promise.finish(requestError(*error));
            return;
        }
        const auto &iq = std::get<QXmppVCardIq>(result);
        promise.finish(
            ContactCard{iq.fullName(), iq.nickName(), iq.email(), iq.url(), iq.birthday(), iq.description()});
    });
    return task;
}

QXmppTask<Result<SoftwareVersion>> ContactInfoService::softwareVersion(const QString &fullJid)
{
    QXmppVersionIq request;
    request.setType(QXmppIq::Get);
    request.setTo(fullJid);
    return ask<SoftwareVersion>(m_client, this, std::move(request), [](const QDomElement &element) {
        QXmppVersionIq answer;
        answer.parse(element);
        return Result<SoftwareVersion>(SoftwareVersion{answer.name(), answer.version(), answer.os()});
    });
}

QXmppTask<Result<EntityTime>> ContactInfoService::entityTime(const QString &fullJid)
{
    QXmppEntityTimeIq request;
    request.setType(QXmppIq::Get);
    request.setTo(fullJid);
    return ask<EntityTime>(m_client, this, std::move(request), [](const QDomElement &element) {
        QXmppEntityTimeIq answer;
        answer.parse(element);
        if (!answer.utc().isValid())
            return Result<EntityTime>(
                Error(Error::Code::RequestRefused, QStringLiteral("no time in the answer")));
        return Result<EntityTime>(EntityTime{answer.tzo(), answer.utc()});
    });
}

QXmppTask<Result<LastActivity>> ContactInfoService::lastActivity(const QString &bareJid)
{
    LastActivityIq request;
    request.setType(QXmppIq::Get);
    request.setTo(bareJid);
    return ask<LastActivity>(m_client, this, std::move(request), [](const QDomElement &element) {
        const QDomElement query = element.firstChildElement(QStringLiteral("query"));
        bool ok = false;
        const qint64 seconds = query.attribute(QStringLiteral("seconds")).toLongLong(&ok);
        if (query.namespaceURI() != LastActivityNs || !ok || seconds < 0)
            return Result<LastActivity>(
                Error(Error::Code::RequestRefused, QStringLiteral("no last activity")));
        return Result<LastActivity>(LastActivity{seconds, query.text().trimmed()});
    });
}

} // namespace Natter::Core
