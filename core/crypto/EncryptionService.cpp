// SPDX-License-Identifier: GPL-3.0-or-later
#include "EncryptionService.h"

#include "LegacyOmemoService.h"
#include "OmemoStorage.h"
#include "TrustStorage.h"
#include "common/Logging.h"

#include <QDomDocument>
#include <QPromise>
#include <QSysInfo>
#include <QXmlStreamWriter>
#include <QXmppAtmManager.h>
#include <QXmppClient.h>
#include <QXmppOmemoManager.h>
#include <QXmppSendStanzaParams.h>
#include <QXmppUtils.h>

namespace Natter::Core {

EncryptionService::EncryptionService(QXmppClient &client, QString accountJid, Database &db, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_accountJid(std::move(accountJid))
    , m_omemo2Storage(std::make_unique<OmemoStorage>(db, m_accountJid, OmemoStorage::Omemo2))
    , m_legacyStorage(std::make_unique<OmemoStorage>(db, m_accountJid, OmemoStorage::LegacyOmemo))
    , m_trustStorage(std::make_unique<TrustStorage>(db, m_accountJid))
    , m_conversations(std::make_unique<ConversationRepository>(db))
{
    // QXmpp's OMEMO manager needs a trust manager and PubSub before it, or it aborts the process.
    m_trust = m_client.addNewExtension<QXmppAtmManager>(m_trustStorage.get());
    m_omemo2 = m_client.addNewExtension<QXmppOmemoManager>(m_omemo2Storage.get());
    // Blind trust before verification (XEP-0450's default); the user can turn it to manual.
    m_omemo2->setSecurityPolicy(QXmpp::Toakafa);
    m_omemo2->changeDeviceLabel(QStringLiteral("Natter on %1").arg(QSysInfo::machineHostName()));
    // Not QXmppClient::setEncryptionExtension(): with one set, QXmpp 1.10 parses every message that is not
    // OMEMO 2 without its public elements (stanza-id, origin-id, hints), legacy OMEMO messages included.
    // The manager decrypts OMEMO 2 as a message handler all the same; we encrypt through it ourselves.
    m_legacy = new LegacyOmemoService(m_accountJid, *m_legacyStorage);
    m_client.addExtension(m_legacy);
    connect(m_legacy, &LegacyOmemoService::devicesChanged, this, &EncryptionService::devicesChanged);
    connect(m_omemo2, &QXmppOmemoManager::deviceAdded, this,
            [this](const QString &jid, uint32_t) { Q_EMIT devicesChanged(jid); });
    connect(m_omemo2, &QXmppOmemoManager::deviceRemoved, this,
            [this](const QString &jid, uint32_t) { Q_EMIT devicesChanged(jid); });
    connect(&m_client, &QXmppClient::connected, this, [this] {
        if (m_loaded || !m_omemo2)
            return;
        // The first connection of this device: create our keys and publish them.
        m_omemo2->setUp().then(this, [this](bool done) {
            if (!done) {
                qCWarning(lcCrypto) << m_accountJid << "OMEMO could not be set up";
                return;
            }
            m_loaded = true;
            startLegacy();
        });
    });
}

EncryptionService::~EncryptionService() = default;

void EncryptionService::detach()
{
    m_ready = false;
    if (m_legacy)
        m_client.removeExtension(std::exchange(m_legacy, nullptr));
    if (m_omemo2)
        m_client.removeExtension(std::exchange(m_omemo2, nullptr));
    if (m_trust)
        m_client.removeExtension(std::exchange(m_trust, nullptr));
}

void EncryptionService::start()
{
    if (!m_omemo2)
        return;
    m_omemo2->load().then(this, [this](bool loaded) {
        if (!loaded)
            return; // set up on the first connection
        m_loaded = true;
        if (m_omemo2)
            m_omemo2->setNewDeviceAutoSessionBuildingEnabled(true);
        startLegacy();
    });
}

void EncryptionService::startLegacy()
{
    m_omemo2Storage->allData().then(this, [this](QXmppOmemoStorage::OmemoData &&data) {
        if (!m_legacy)
            return;
        if (!data.ownDevice) {
            qCWarning(lcCrypto) << m_accountJid << "OMEMO has no own device after set-up";
            return;
        }
        m_legacy->start(*data.ownDevice).then(this, [this](const Result<Success> &started) {
            if (!isOk(started)) {
                qCWarning(lcCrypto) << m_accountJid
                                    << "legacy OMEMO could not start:" << errorOf(started).detail;
                return;
            }
            m_ready = true;
            Q_EMIT ready();
        });
    });
}

QFuture<Result<EncryptionChoice>> EncryptionService::choice(const ConversationKey &conversation)
{
    return m_conversations->encryption(conversation);
}

QFuture<Result<Success>> EncryptionService::setChoice(const ConversationKey &conversation,
                                                      EncryptionChoice choice)
{
    return m_conversations->setEncryption(conversation, choice);
}

QFuture<Result<EncryptionService::Prepared>> EncryptionService::prepare(const QXmppMessage &stanza,
                                                                        const ConversationKey &conversation)
{
    // Rooms and private messages with occupants come with encrypted group chats.
    if (conversation.isGroupChat() || conversation.peer.contains(u'/'))
        return readyResult<Prepared>(Prepared{stanza, ChatMessage::Encryption::None});
    auto promise = std::make_shared<QPromise<Result<Prepared>>>();
    promise->start();
    choice(conversation)
        .then(this, [this, promise, stanza, conversation](const Result<EncryptionChoice> &chosen) {
            const EncryptionChoice current =
                isOk(chosen) ? std::get<EncryptionChoice>(chosen) : EncryptionChoice::On;
            if (current == EncryptionChoice::Off) {
                promise->addResult(Prepared{stanza, ChatMessage::Encryption::None});
                promise->finish();
                return;
            }
            encryptFor(stanza, conversation, current == EncryptionChoice::On)
                .then(this, [promise](const Result<Prepared> &prepared) {
                    promise->addResult(prepared);
                    promise->finish();
                });
        });
    return promise->future();
}

namespace {

// The devices an OMEMO 2 message has a key for, by JID: (jid, device id).
QSet<QPair<QString, uint32_t>> omemo2Recipients(const QXmppMessage &message)
{
    QString xml;
    QXmlStreamWriter writer(&xml);
    message.toXml(&writer);
    QDomDocument document;
    document.setContent(xml, QDomDocument::ParseOption::UseNamespaceProcessing);
    QSet<QPair<QString, uint32_t>> recipients;
    for (auto encrypted = document.documentElement().firstChildElement(QStringLiteral("encrypted"));
         !encrypted.isNull(); encrypted = encrypted.nextSiblingElement(QStringLiteral("encrypted"))) {
        if (encrypted.namespaceURI() != u"urn:xmpp:omemo:2")
            continue;
        const QDomElement header = encrypted.firstChildElement(QStringLiteral("header"));
        for (auto keys = header.firstChildElement(QStringLiteral("keys")); !keys.isNull();
             keys = keys.nextSiblingElement(QStringLiteral("keys"))) {
            for (auto key = keys.firstChildElement(QStringLiteral("key")); !key.isNull();
                 key = key.nextSiblingElement(QStringLiteral("key")))
                recipients.insert(
                    {keys.attribute(QStringLiteral("jid")), key.attribute(QStringLiteral("rid")).toUInt()});
        }
    }
    return recipients;
}

bool reaches(const QSet<QPair<QString, uint32_t>> &recipients, const QString &jid)
{
    return std::any_of(recipients.cbegin(), recipients.cend(),
                       [&jid](const auto &device) { return device.first == jid; });
}

} // namespace

QFuture<Result<EncryptionService::Prepared>>
EncryptionService::encryptFor(const QXmppMessage &stanza, const ConversationKey &conversation, bool required)
{
    if (!m_ready || !m_legacy || !m_omemo2) {
        if (!required)
            return readyResult<Prepared>(Prepared{stanza, ChatMessage::Encryption::None});
        return readyResult<Prepared>(Error(Error::Code::EncryptionUnavailable, conversation.peer));
    }
    auto promise = std::make_shared<QPromise<Result<Prepared>>>();
    promise->start();
    const QString peer = conversation.peer;
    // Both device lists first: OMEMO 2 where a device has it, legacy OMEMO for the others.
    auto whenListsKnown = [this, promise, stanza, peer, required](const QList<uint32_t> &legacyDevices) {
        m_omemo2->devices({peer}).then(this, [this, promise, stanza, peer, required,
                                              legacyDevices](QVector<QXmppOmemoDevice> &&omemo2Devices) {
            if (legacyDevices.isEmpty() && omemo2Devices.isEmpty() && !required) {
                promise->addResult(Prepared{stanza, ChatMessage::Encryption::None});
                promise->finish();
                return;
            }
            encryptBoth(stanza, peer, !omemo2Devices.isEmpty())
                .then(this, [this, promise, peer, required](const Result<Prepared> &prepared) {
                    // Once encrypted, always encrypted: a device list that vanishes later does not turn it
                    // off.
                    if (isOk(prepared) && !required)
                        setChoice({m_accountJid, peer}, EncryptionChoice::On);
                    promise->addResult(prepared);
                    promise->finish();
                });
        });
    };
    auto whenLegacyKnown = [this, whenListsKnown, peer](const QList<uint32_t> &legacyDevices) {
        if (m_omemo2Lists.contains(peer)) {
            whenListsKnown(legacyDevices);
            return;
        }
        // QXmpp follows the lists of roster contacts by notification; others are asked for once.
        m_omemo2->requestDeviceLists({peer}).then(this, [this, whenListsKnown, peer, legacyDevices](auto &&) {
            m_omemo2Lists.insert(peer);
            whenListsKnown(legacyDevices);
        });
    };
    if (const auto known = m_legacy->deviceIds(peer)) {
        whenLegacyKnown(*known);
    } else {
        m_legacy->refreshDeviceList(peer).then(this, [whenLegacyKnown](const Result<QList<uint32_t>> &ids) {
            whenLegacyKnown(isOk(ids) ? std::get<QList<uint32_t>>(ids) : QList<uint32_t>());
        });
    }
    return promise->future();
}

QFuture<Result<EncryptionService::Prepared>>
EncryptionService::encryptBoth(const QXmppMessage &stanza, const QString &peer, bool tryOmemo2)
{
    auto promise = std::make_shared<QPromise<Result<Prepared>>>();
    promise->start();
    auto withLegacy = [this, promise, stanza, peer](std::optional<QXmppMessage> omemo2) {
        const auto reached = omemo2 ? omemo2Recipients(*omemo2) : QSet<QPair<QString, uint32_t>>();
        const bool peerReached = reaches(reached, peer);
        // Devices that got an OMEMO 2 key get no legacy one; the peer must be reached by one of the two.
        m_legacy->encrypt(stanza, {peer}, reached, peerReached ? QStringList() : QStringList{peer})
            .then(this, [promise, omemo2, peer, peerReached](const Result<QXmppMessage> &legacy) {
                if (!peerReached && !isOk(legacy)) {
                    promise->addResult(errorOf(legacy).code == Error::Code::NotConnected
                                           ? errorOf(legacy)
                                           : Error(Error::Code::EncryptionUnavailable, peer));
                    promise->finish();
                    return;
                }
                if (!peerReached) {
                    promise->addResult(
                        Prepared{std::get<QXmppMessage>(legacy), ChatMessage::Encryption::LegacyOmemo});
                    promise->finish();
                    return;
                }
                QXmppMessage combined = *omemo2;
                if (isOk(legacy)) {
                    if (const auto element =
                            LegacyOmemoService::encryptedElement(std::get<QXmppMessage>(legacy))) {
                        auto extensions = combined.extensions();
                        extensions.append(*element);
                        combined.setExtensions(extensions);
                    }
                }
                promise->addResult(Prepared{combined, ChatMessage::Encryption::Omemo2});
                promise->finish();
            });
    };
    if (!tryOmemo2) {
        withLegacy(std::nullopt);
        return promise->future();
    }
    QXmppSendStanzaParams params;
    params.setEncryptionJids({peer});
    m_omemo2->encryptMessage(QXmppMessage(stanza), params)
        .then(this, [withLegacy](QXmppE2eeExtension::MessageEncryptResult &&result) mutable {
            if (auto *message = std::get_if<std::unique_ptr<QXmppMessage>>(&result); message && *message) {
                withLegacy(**message);
                return;
            }
            qCInfo(lcCrypto) << "OMEMO 2 encryption failed:" << std::get<QXmppError>(result).description;
            withLegacy(std::nullopt);
        });
    return promise->future();
}

} // namespace Natter::Core
