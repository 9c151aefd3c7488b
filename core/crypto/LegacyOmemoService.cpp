// SPDX-License-Identifier: GPL-3.0-or-later
#include "LegacyOmemoService.h"

#include "KeyTrustPolicy.h"
#include "common/Logging.h"

#include <QDomDocument>
#include <QPromise>
#include <QXmlStreamWriter>
#include <QXmppClient.h>
#include <QXmppE2eeMetadata.h>
#include <QXmppMessage.h>
#include <QXmppPubSubBaseItem.h>
#include <QXmppPubSubManager.h>
#include <QXmppPubSubPublishOptions.h>
#include <QXmppUtils.h>
#include <memory>

namespace Natter::Core {

namespace {

const QString CurrentItem = QStringLiteral("current");
// What clients without OMEMO show instead of the message.
const QString FallbackBody =
    QStringLiteral("[This message is end-to-end encrypted with OMEMO; this client cannot read it.]");

// A PEP item whose payload we parse ourselves.
class RawItem : public QXmppPubSubBaseItem
{
public:
    explicit RawItem(const QString &id = CurrentItem, QString xml = {})
        : QXmppPubSubBaseItem(id)
        , payloadXml(std::move(xml))
    {}
    QDomElement payload() const
    {
        auto document = std::make_shared<QDomDocument>();
        document->setContent(payloadXml, QDomDocument::ParseOption::UseNamespaceProcessing);
        m_document = document;
        return document->documentElement();
    }
    QString payloadXml;

protected:
    void parsePayload(const QDomElement &payload) override
    {
        QString xml;
        QTextStream stream(&xml);
        payload.save(stream, 0);
        payloadXml = xml;
    }
    void serializePayload(QXmlStreamWriter *writer) const override
    {
        // Re-read and copy our own XML into the writer.
        QXmlStreamReader reader(payloadXml);
        while (!reader.atEnd()) {
            reader.readNext();
            if (!reader.isStartDocument() && !reader.isEndDocument())
                writer->writeCurrentToken(reader);
        }
    }

private:
    mutable std::shared_ptr<QDomDocument> m_document;
};

template <typename Element> QString toXml(const Element &element)
{
    QString xml;
    QXmlStreamWriter writer(&xml);
    element.toXml(&writer);
    return xml;
}

QXmppPubSubPublishOptions openAccess()
{
    // Contacts who are not in our roster must be able to read our keys (Conversations does the same).
    QXmppPubSubPublishOptions options;
    options.setAccessModel(QXmppPubSubNodeConfig::Open);
    return options;
}

bool isLegacyEncrypted(const QDomElement &element)
{
    return element.tagName() == u"encrypted" && element.namespaceURI() == LegacyOmemo::Namespace;
}

} // namespace

LegacyOmemoService::LegacyOmemoService(QString accountJid, QXmppOmemoStorage &storage, KeyTrustPolicy &trust)
    : m_accountJid(std::move(accountJid))
    , m_storage(storage)
    , m_trust(trust)
{}

LegacyOmemoService::~LegacyOmemoService() = default;

void LegacyOmemoService::onRegistered(QXmppClient *client)
{
    QXmppClientExtension::onRegistered(client);
    connect(client, &QXmppClient::connected, this, [this] {
        if (m_started) {
            publishOwnDevice();
            publishBundle();
        }
    });
}

QFuture<Result<Success>> LegacyOmemoService::start(const QXmppOmemoStorage::OwnDevice &own)
{
    auto promise = std::make_shared<QPromise<Result<Success>>>();
    promise->start();
    m_storage.allData().then(this, [this, own, promise](QXmppOmemoStorage::OmemoData &&data) {
        auto engine = std::make_unique<LegacyOmemoEngine>(m_accountJid, m_storage);
        const auto loaded = engine->load(own, data);
        if (isOk(loaded)) {
            m_engine = std::move(engine);
            // A key met in a bundle or in a received message gets its trust level at once.
            m_engine->setIdentityObserver(
                [this](const LegacyOmemoEngine::Device &device, const QByteArray &key) {
                    m_trust.legacyLevels(device.jid, {{device.id, key}});
                });
            m_started = true;
            for (auto it = m_engine->devices().cbegin(); it != m_engine->devices().cend(); ++it)
                m_deviceLists.insert(it.key(), m_engine->activeDevices(it.key()));
            if (client() && client()->isConnected()) {
                publishOwnDevice();
                publishBundle();
            }
        }
        promise->addResult(loaded);
        promise->finish();
    });
    return promise->future();
}

void LegacyOmemoService::publishOwnDevice()
{
    auto *pubsub = client()->findExtension<QXmppPubSubManager>();
    if (!pubsub)
        return;
    const QString node = LegacyOmemo::DeviceListNode.toString();
    pubsub->requestItems<RawItem>(m_accountJid, node)
        .then(this, [this, pubsub, node](QXmppPubSubManager::ItemsResult<RawItem> &&result) {
            LegacyOmemo::DeviceList list;
            if (const auto *items = std::get_if<QXmppPubSubManager::Items<RawItem>>(&result);
                items && !items->items.isEmpty()) {
                if (const auto parsed = LegacyOmemo::DeviceList::parse(items->items.constLast().payload()))
                    list = *parsed;
            }
            if (list.deviceIds.contains(m_engine->deviceId())) {
                setDeviceList(m_accountJid, list.deviceIds);
                return;
            }
            list.deviceIds.append(m_engine->deviceId());
            setDeviceList(m_accountJid, list.deviceIds);
            pubsub->publishOwnPepItem(node, RawItem(CurrentItem, toXml(list)), openAccess())
                .then(this, [](QXmppPubSubManager::PublishItemResult &&published) {
                    if (const auto *error = std::get_if<QXmppError>(&published))
                        qCWarning(lcCrypto)
                            << "cannot publish the legacy OMEMO device list:" << error->description;
                });
        });
}

void LegacyOmemoService::publishBundle()
{
    auto *pubsub = client()->findExtension<QXmppPubSubManager>();
    if (!pubsub)
        return;
    pubsub
        ->publishOwnPepItem(LegacyOmemo::bundleNode(m_engine->deviceId()),
                            RawItem(CurrentItem, toXml(m_engine->bundle())), openAccess())
        .then(this, [](QXmppPubSubManager::PublishItemResult &&published) {
            if (const auto *error = std::get_if<QXmppError>(&published))
                qCWarning(lcCrypto) << "cannot publish the legacy OMEMO bundle:" << error->description;
        });
}

std::optional<QList<uint32_t>> LegacyOmemoService::deviceIds(const QString &bareJid) const
{
    const auto list = m_deviceLists.constFind(bareJid);
    if (list == m_deviceLists.cend())
        return std::nullopt;
    QList<uint32_t> ids = *list;
    if (m_engine && bareJid == m_accountJid)
        ids.removeAll(m_engine->deviceId());
    return ids;
}

void LegacyOmemoService::setDeviceList(const QString &bareJid, const QList<uint32_t> &ids)
{
    if (m_engine)
        m_engine->setDeviceList(bareJid, ids);
    const bool changed = m_deviceLists.value(bareJid) != ids || !m_deviceLists.contains(bareJid);
    m_deviceLists.insert(bareJid, ids);
    for (const uint32_t id : ids)
        m_brokenDevices.remove({bareJid, id}); // a republished list is worth another try
    if (changed)
        Q_EMIT devicesChanged(bareJid);
}

QFuture<Result<QList<uint32_t>>> LegacyOmemoService::refreshDeviceList(const QString &bareJid)
{
    auto *pubsub = client() ? client()->findExtension<QXmppPubSubManager>() : nullptr;
    if (!pubsub || !client()->isConnected())
        return readyResult<QList<uint32_t>>(Error(Error::Code::NotConnected, m_accountJid));
    auto promise = std::make_shared<QPromise<Result<QList<uint32_t>>>>();
    promise->start();
    pubsub->requestItems<RawItem>(bareJid, LegacyOmemo::DeviceListNode.toString())
        .then(this, [this, bareJid, promise](QXmppPubSubManager::ItemsResult<RawItem> &&result) {
            QList<uint32_t> ids;
            if (const auto *items = std::get_if<QXmppPubSubManager::Items<RawItem>>(&result);
                items && !items->items.isEmpty()) {
                if (const auto list = LegacyOmemo::DeviceList::parse(items->items.constLast().payload()))
                    ids = list->deviceIds;
            }
            // No node (item-not-found) means no legacy OMEMO device: an empty list, not an error.
            setDeviceList(bareJid, ids);
            promise->addResult(deviceIds(bareJid).value_or(QList<uint32_t>()));
            promise->finish();
        });
    return promise->future();
}

QFuture<Result<Success>> LegacyOmemoService::buildSession(const LegacyOmemoEngine::Device &device)
{
    auto promise = std::make_shared<QPromise<Result<Success>>>();
    promise->start();
    // One build per device at a time: a second session would replace the one a message was just
    // encrypted with. Who asks meanwhile waits for the first.
    const QPair<QString, uint32_t> key{device.jid, device.id};
    const bool underWay = m_sessionBuilds.contains(key);
    m_sessionBuilds[key].append(promise);
    if (underWay)
        return promise->future();
    auto *pubsub = client()->findExtension<QXmppPubSubManager>();
    pubsub->requestItems<RawItem>(device.jid, LegacyOmemo::bundleNode(device.id))
        .then(this, [this, device, key](QXmppPubSubManager::ItemsResult<RawItem> &&result) {
            Result<Success> built = Error(Error::Code::EncryptionFailed, QStringLiteral("no bundle"));
            if (const auto *items = std::get_if<QXmppPubSubManager::Items<RawItem>>(&result);
                items && !items->items.isEmpty()) {
                if (const auto bundle = LegacyOmemo::Bundle::parse(items->items.constLast().payload()))
                    built = m_engine->buildSession(device, *bundle);
                else
                    built = Error(Error::Code::EncryptionFailed, QStringLiteral("invalid bundle"));
            }
            if (!isOk(built)) {
                qCInfo(lcCrypto) << "legacy OMEMO: no session with" << device.jid << device.id
                                 << errorOf(built).detail;
                m_brokenDevices.insert({device.jid, device.id});
            }
            for (const auto &waiting : m_sessionBuilds.take(key)) {
                waiting->addResult(built);
                waiting->finish();
            }
        });
    return promise->future();
}

QFuture<Result<Success>> LegacyOmemoService::ensureSessions(const QList<LegacyOmemoEngine::Device> &devices)
{
    QList<QFuture<Result<Success>>> builds;
    for (const auto &device : devices) {
        if (!m_engine->hasSession(device) && !m_brokenDevices.contains({device.jid, device.id}))
            builds.append(buildSession(device));
    }
    if (builds.isEmpty())
        return readyResult<Success>(Success{});
    auto promise = std::make_shared<QPromise<Result<Success>>>();
    promise->start();
    auto remaining = std::make_shared<qsizetype>(builds.size());
    for (auto &build : builds) {
        build.then(this, [promise, remaining](const Result<Success> &) {
            if (--*remaining > 0)
                return;
            promise->addResult(Success{});
            promise->finish();
        });
    }
    return promise->future();
}

QFuture<QList<LegacyOmemoEngine::Device>>
LegacyOmemoService::trustedOnly(const QList<LegacyOmemoEngine::Device> &devices)
{
    QHash<QString, QHash<uint32_t, QByteArray>> keysByOwner;
    for (const auto &device : devices) {
        if (const QByteArray key = m_engine->identityKeyOf(device); !key.isEmpty())
            keysByOwner[device.jid].insert(device.id, key);
    }
    auto promise = std::make_shared<QPromise<QList<LegacyOmemoEngine::Device>>>();
    promise->start();
    if (keysByOwner.isEmpty()) {
        promise->addResult({});
        promise->finish();
        return promise->future();
    }
    auto trusted = std::make_shared<QList<LegacyOmemoEngine::Device>>();
    auto remaining = std::make_shared<qsizetype>(keysByOwner.size());
    for (auto owner = keysByOwner.cbegin(); owner != keysByOwner.cend(); ++owner) {
        m_trust.legacyLevels(owner.key(), owner.value())
            .then(this, [promise, trusted, remaining,
                         jid = owner.key()](const QHash<uint32_t, QXmpp::TrustLevel> &levels) {
                for (auto level = levels.cbegin(); level != levels.cend(); ++level) {
                    if (KeyTrustPolicy::AcceptedLevels.testFlag(level.value()))
                        trusted->append({jid, level.key()});
                    else
                        qCDebug(lcCrypto) << "legacy OMEMO: not encrypting for" << jid << level.key()
                                          << "(trust level" << int(level.value()) << ")";
                }
                if (--*remaining > 0)
                    return;
                promise->addResult(*trusted);
                promise->finish();
            });
    }
    return promise->future();
}

QFuture<Result<Success>> LegacyOmemoService::learnIdentityKeys(const QString &bareJid)
{
    if (!m_engine || !client() || !client()->isConnected())
        return readyResult<Success>(Success{});
    QList<LegacyOmemoEngine::Device> unknown;
    for (const uint32_t id : deviceIds(bareJid).value_or(QList<uint32_t>())) {
        if (m_engine->identityKeyOf({bareJid, id}).isEmpty())
            unknown.append({bareJid, id});
    }
    return ensureSessions(unknown);
}

QFuture<Result<bool>> LegacyOmemoService::removeOwnDevice(uint32_t deviceId)
{
    if (m_engine && deviceId == m_engine->deviceId())
        return readyResult<bool>(Error(Error::Code::RequestRefused, QStringLiteral("this device")));
    auto *pubsub = client() ? client()->findExtension<QXmppPubSubManager>() : nullptr;
    if (!m_engine || !pubsub || !client()->isConnected())
        return readyResult<bool>(Error(Error::Code::NotConnected, m_accountJid));
    auto promise = std::make_shared<QPromise<Result<bool>>>();
    promise->start();
    const QString node = LegacyOmemo::DeviceListNode.toString();
    pubsub->requestItems<RawItem>(m_accountJid, node)
        .then(this, [this, pubsub, node, deviceId,
                     promise](QXmppPubSubManager::ItemsResult<RawItem> &&result) {
            auto finish = [promise](const Result<bool> &removed) {
                promise->addResult(removed);
                promise->finish();
            };
            LegacyOmemo::DeviceList list;
            if (const auto *items = std::get_if<QXmppPubSubManager::Items<RawItem>>(&result);
                items && !items->items.isEmpty()) {
                if (const auto parsed = LegacyOmemo::DeviceList::parse(items->items.constLast().payload()))
                    list = *parsed;
            }
            if (!list.deviceIds.contains(deviceId))
                return finish(false);
            list.deviceIds.removeAll(deviceId);
            pubsub->publishOwnPepItem(node, RawItem(CurrentItem, toXml(list)), openAccess())
                .then(this, [this, pubsub, list, deviceId,
                             finish](QXmppPubSubManager::PublishItemResult &&published) {
                    if (const auto *error = std::get_if<QXmppError>(&published))
                        return finish(Error(Error::Code::RequestRefused, error->description));
                    setDeviceList(m_accountJid, list.deviceIds);
                    // Nobody should build a new session with it; a failure leaves only an unused node.
                    pubsub->deleteOwnPepNode(LegacyOmemo::bundleNode(deviceId));
                    finish(true);
                });
        });
    return promise->future();
}

QFuture<Result<QXmppMessage>> LegacyOmemoService::encrypt(QXmppMessage message, const QStringList &recipients,
                                                          const QSet<QPair<QString, uint32_t>> &excluded,
                                                          const std::optional<QStringList> &mustReach)
{
    const QStringList required = mustReach.value_or(recipients);
    if (!m_engine)
        return readyResult<QXmppMessage>(
            Error(Error::Code::EncryptionUnavailable, QStringLiteral("not started")));
    if (!client() || !client()->isConnected())
        return readyResult<QXmppMessage>(Error(Error::Code::NotConnected, m_accountJid));

    // Device lists we have never seen first: a contact not in our roster sends no notifications.
    QList<QFuture<Result<QList<uint32_t>>>> lists;
    QStringList jids = recipients;
    if (!jids.contains(m_accountJid))
        jids.append(m_accountJid);
    for (const QString &jid : jids) {
        if (!m_deviceLists.contains(jid))
            lists.append(refreshDeviceList(jid));
    }
    auto promise = std::make_shared<QPromise<Result<QXmppMessage>>>();
    promise->start();
    auto encryptWithSessions = [this, promise, message, required, jids, excluded]() mutable {
        QList<LegacyOmemoEngine::Device> devices;
        for (const QString &jid : jids) {
            for (const uint32_t id : deviceIds(jid).value_or(QList<uint32_t>())) {
                if (!excluded.contains({jid, id}))
                    devices.append({jid, id});
            }
        }
        ensureSessions(devices)
            .then(this, [this, devices](const Result<Success> &) { return trustedOnly(devices); })
            .unwrap()
            .then(this, [this, promise, message, required](const QList<LegacyOmemoEngine::Device> &trusted) {
                auto encrypted = m_engine->encrypt(trusted, message.body().toUtf8());
                if (!isOk(encrypted)) {
                    promise->addResult(Error(Error::Code::EncryptionUnavailable, errorOf(encrypted).detail));
                    promise->finish();
                    return;
                }
                const auto &result = std::get<LegacyOmemoEngine::Encrypted>(encrypted);
                // Every contact we write to must be able to read it; our own other devices are a bonus.
                QStringList unreachable;
                for (const QString &jid : required) {
                    if (jid == m_accountJid)
                        continue;
                    bool reached = false;
                    for (const auto &key : result.element.keys) {
                        for (const auto &device : trusted)
                            reached = reached || (device.jid == jid && device.id == key.recipientDeviceId);
                    }
                    if (!reached)
                        unreachable.append(jid);
                }
                if (!unreachable.isEmpty()) {
                    promise->addResult(Error(Error::Code::EncryptionUnavailable, unreachable.join(u", ")));
                    promise->finish();
                    return;
                }
                QXmppMessage sealed = message;
                sealed.setBody(FallbackBody);
                sealed.addHint(QXmppMessage::Store);
                sealed.setEncryptionMethodNs(LegacyOmemo::Namespace.toString());
                sealed.setEncryptionName(QStringLiteral("OMEMO"));
                QDomDocument document;
                document.setContent(toXml(result.element), QDomDocument::ParseOption::UseNamespaceProcessing);
                auto extensions = sealed.extensions();
                extensions.append(QXmppElement(document.documentElement()));
                sealed.setExtensions(extensions);
                promise->addResult(sealed);
                promise->finish();
            });
    };
    if (lists.isEmpty()) {
        encryptWithSessions();
        return promise->future();
    }
    auto remaining = std::make_shared<qsizetype>(lists.size());
    for (auto &list : lists) {
        list.then(this, [remaining, encryptWithSessions](const Result<QList<uint32_t>> &) mutable {
            if (--*remaining == 0)
                encryptWithSessions();
        });
    }
    return promise->future();
}

std::optional<QXmppElement> LegacyOmemoService::encryptedElement(const QXmppMessage &message)
{
    for (const QXmppElement &extension : message.extensions()) {
        if (isLegacyEncrypted(extension.sourceDomElement()))
            return extension;
    }
    return std::nullopt;
}

bool LegacyOmemoService::isEncrypted(const QXmppMessage &message)
{
    return encryptedElement(message).has_value();
}

QString LegacyOmemoService::senderOf(const QXmppMessage &message) const
{
    const QString from = QXmppUtils::jidToBareJid(message.from());
    return from.isEmpty() ? m_accountJid : from.toLower();
}

Result<QXmppMessage> LegacyOmemoService::decrypt(const QXmppMessage &message, const QString &senderJid)
{
    const auto element = encryptedElement(message);
    if (!element)
        return Error(Error::Code::DecryptionFailed, QStringLiteral("not encrypted"));
    if (!m_engine)
        return Error(Error::Code::DecryptionFailed, QStringLiteral("legacy OMEMO is not set up"));
    const auto parsed = LegacyOmemo::EncryptedElement::parse(element->sourceDomElement());
    if (!parsed)
        return Error(Error::Code::DecryptionFailed, QStringLiteral("malformed encrypted element"));
    const QString sender = senderJid.isEmpty() ? senderOf(message) : senderJid;
    auto decrypted = m_engine->decrypt(sender, *parsed);
    if (!isOk(decrypted))
        return errorOf(decrypted);
    const auto &result = std::get<LegacyOmemoEngine::Decrypted>(decrypted);
    if (result.preKeyUsed && client() && client()->isConnected())
        publishBundle();
    QXmppMessage plain = message;
    QList<QXmppElement> extensions;
    for (const QXmppElement &extension : message.extensions()) {
        if (!isLegacyEncrypted(extension.sourceDomElement()))
            extensions.append(extension);
    }
    plain.setExtensions(extensions);
    plain.setBody(QString::fromUtf8(result.plaintext));
    QXmppE2eeMetadata metadata;
    metadata.setEncryption(QXmpp::Omemo0);
    metadata.setSenderKey(result.identityKey);
    plain.setE2eeMetadata(metadata);
    return plain;
}

QStringList LegacyOmemoService::discoveryFeatures() const
{
    return {LegacyOmemo::DeviceListNode.toString() + QStringLiteral("+notify")};
}

bool LegacyOmemoService::handleStanza(const QDomElement &)
{
    return false;
}

bool LegacyOmemoService::handlePubSubEvent(const QDomElement &element, const QString &pubSubService,
                                           const QString &nodeName)
{
    if (nodeName != LegacyOmemo::DeviceListNode)
        return false;
    const QString bareJid = QXmppUtils::jidToBareJid(pubSubService.isEmpty() ? m_accountJid : pubSubService);
    const QDomElement items =
        element.firstChildElement(QStringLiteral("event")).firstChildElement(QStringLiteral("items"));
    const QDomElement item = items.lastChildElement(QStringLiteral("item"));
    const auto list = LegacyOmemo::DeviceList::parse(item.firstChildElement());
    const QList<uint32_t> ids = list ? list->deviceIds : QList<uint32_t>();
    setDeviceList(bareJid.toLower(), ids);
    // Someone (another client of ours, a server reset) dropped this device from our list: add it back.
    if (bareJid == m_accountJid && m_engine && !ids.contains(m_engine->deviceId()) && client()->isConnected())
        publishOwnDevice();
    return true;
}

bool LegacyOmemoService::handleMessage(const QXmppMessage &message)
{
    if (!isEncrypted(message))
        return false;
    auto decrypted = decrypt(message);
    if (!isOk(decrypted)) {
        qCInfo(lcCrypto) << "legacy OMEMO: cannot decrypt a message from" << message.from()
                         << errorOf(decrypted).detail;
        Q_EMIT decryptionFailed(message.from(), message.id(), errorOf(decrypted));
        return false; // the rest of the pipeline sees it still encrypted and shows a notice
    }
    auto &plain = std::get<QXmppMessage>(decrypted);
    // A key transport element only moves the session on: nothing to show.
    // QXmppClient::injectMessage() is for QXmpp's own managers; the rest of our pipeline listens here.
    if (!plain.body().isEmpty())
        Q_EMIT client()->messageReceived(plain);
    return true;
}

} // namespace Natter::Core
