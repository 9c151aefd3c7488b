// SPDX-License-Identifier: GPL-3.0-or-later
#include "DisplayedSync.h"

#include "common/JidValidator.h"
#include "common/Logging.h"
#include "im/IncomingMessage.h"
#include "storage/MessageRepository.h"

#include <QDomElement>
#include <QXmlStreamWriter>
#include <QXmppClient.h>
#include <QXmppDiscoveryIq.h>
#include <QXmppDiscoveryManager.h>
#include <QXmppPubSubBaseItem.h>
#include <QXmppPubSubManager.h>
#include <QXmppUtils.h>

namespace Natter::Core {

namespace {

const QString Node = QStringLiteral("urn:xmpp:mds:displayed:0");
const QString NsStanzaId = QStringLiteral("urn:xmpp:sid:0");
const QString PublishOptionsFeature = QStringLiteral("http://jabber.org/protocol/pubsub#publish-options");

// <displayed xmlns='urn:xmpp:mds:displayed:0'><stanza-id xmlns='urn:xmpp:sid:0' by=… id=…/></displayed>,
// its item id the peer's bare JID.
class DisplayedItem : public QXmppPubSubBaseItem
{
public:
    explicit DisplayedItem(const QString &peer = {}, QString archive = {}, QString archiveId = {})
        : QXmppPubSubBaseItem(peer)
        , by(std::move(archive))
        , stanzaId(std::move(archiveId))
    {}
    QString by;
    QString stanzaId;

protected:
    void parsePayload(const QDomElement &payload) override
    {
        const QDomElement id = payload.firstChildElement(QStringLiteral("stanza-id"));
        if (id.namespaceURI() != NsStanzaId)
            return;
        by = id.attribute(QStringLiteral("by"));
        stanzaId = id.attribute(QStringLiteral("id"));
    }
    void serializePayload(QXmlStreamWriter *writer) const override
    {
        writer->writeStartElement(QStringLiteral("displayed"));
        writer->writeDefaultNamespace(Node);
        writer->writeStartElement(QStringLiteral("stanza-id"));
        writer->writeDefaultNamespace(NsStanzaId);
        writer->writeAttribute(QStringLiteral("by"), by);
        writer->writeAttribute(QStringLiteral("id"), stanzaId);
        writer->writeEndElement();
        writer->writeEndElement();
    }
};

} // namespace

DisplayedSync::DisplayedSync(QString accountJid)
    : m_accountJid(std::move(accountJid))
{}

void DisplayedSync::setStore(MessageRepository *store)
{
    m_store = store;
}

QStringList DisplayedSync::discoveryFeatures() const
{
    return {Node + QStringLiteral("+notify")};
}

void DisplayedSync::start()
{
    auto *discovery = client()->findExtension<QXmppDiscoveryManager>();
    if (!discovery)
        return;
    discovery->requestDiscoInfo(m_accountJid).then(this, [this](QXmppDiscoveryManager::InfoResult &&result) {
        const auto *info = std::get_if<QXmppDiscoveryIq>(&result);
        const bool supported = info && info->features().contains(PublishOptionsFeature);
        if (supported != m_supported) {
            m_supported = supported;
            Q_EMIT supportChanged(supported);
        }
        if (supported)
            fetchAll();
    });
}

void DisplayedSync::fetchAll()
{
    auto *pubsub = client()->findExtension<QXmppPubSubManager>();
    if (!pubsub)
        return;
    pubsub->requestItems<DisplayedItem>(m_accountJid, Node)
        .then(this, [this](QXmppPubSubManager::ItemsResult<DisplayedItem> &&result) {
            // A node that does not exist yet is no error: nothing was published.
            if (const auto *items = std::get_if<QXmppPubSubManager::Items<DisplayedItem>>(&result)) {
                for (const DisplayedItem &item : items->items)
                    if (JidValidator::normalizedBareJid(item.by) == m_accountJid)
                        apply(item.id(), item.stanzaId);
            }
        });
}

void DisplayedSync::publish(const ChatMessage &message)
{
    if (!m_supported || message.stanzaId.isEmpty() || message.stanzaIdBy != m_accountJid)
        return;
    const QString peer = message.conversation.peer;
    if (m_lastPublished.value(peer) == message.stanzaId)
        return;
    m_lastPublished.insert(peer, message.stanzaId);
    auto *pubsub = client()->findExtension<QXmppPubSubManager>();
    if (!pubsub)
        return;
    QXmppPubSubPublishOptions options;
    options.setAccessModel(QXmppPubSubNodeConfig::Allowlist);
    options.setPersistItems(true);
    options.setMaxItems(QXmppPubSubNodeConfig::Max());
    options.setSendLastItem(QXmppPubSubNodeConfig::Never);
    pubsub->publishOwnPepItem(Node, DisplayedItem(peer, m_accountJid, message.stanzaId), options)
        .then(this,
              [this, conversation = message.conversation](QXmppPubSubManager::PublishItemResult &&result) {
                  const auto *error = std::get_if<QXmppError>(&result);
                  if (error)
                      qCWarning(lcMessaging) << "cannot publish the displayed state:" << error->description;
                  Q_EMIT published(conversation, error == nullptr);
              });
}

bool DisplayedSync::handlePubSubEvent(const QDomElement &element, const QString &pubSubService,
                                      const QString &nodeName)
{
    if (nodeName != Node)
        return false;
    // Only our own account's node speaks for our devices.
    const QString service =
        JidValidator::normalizedBareJid(pubSubService.isEmpty() ? m_accountJid : pubSubService);
    if (service != m_accountJid) {
        qCWarning(lcMessaging) << "ignoring a displayed state published by someone else";
        return true;
    }
    const QDomElement items =
        element.firstChildElement(QStringLiteral("event")).firstChildElement(QStringLiteral("items"));
    for (QDomElement item = items.firstChildElement(QStringLiteral("item")); !item.isNull();
         item = item.nextSiblingElement(QStringLiteral("item"))) {
        DisplayedItem displayed;
        displayed.parse(item);
        if (JidValidator::normalizedBareJid(displayed.by) == m_accountJid)
            apply(displayed.id(), displayed.stanzaId);
    }
    return true;
}

void DisplayedSync::apply(const QString &peerJid, const QString &stanzaId)
{
    const QString peer = JidValidator::normalizedBareJid(peerJid);
    if (!m_store || peer.isEmpty() || !isUsableId(stanzaId))
        return;
    m_lastPublished.insert(peer, stanzaId);
    const ConversationKey conversation{m_accountJid, peer};
    m_store->markDisplayedUpTo(conversation, {}, stanzaId)
        .then(this, [this, conversation](const Result<std::optional<int>> &unread) {
            // Displayed states of messages not stored here are ignored (XEP-0490).
            if (const auto *left = std::get_if<std::optional<int>>(&unread); left && *left)
                Q_EMIT displayedElsewhere(conversation, **left);
        });
}

} // namespace Natter::Core
