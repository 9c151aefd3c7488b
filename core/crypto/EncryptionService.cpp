// SPDX-License-Identifier: GPL-3.0-or-later
#include "EncryptionService.h"

#include "DeviceTrustService.h"
#include "EncryptedFile.h"
#include "KeyTrustPolicy.h"
#include "LegacyOmemoService.h"
#include "OmemoStorage.h"
#include "TrustStorage.h"
#include "common/Logging.h"
#include "im/StanzaExtensions.h"
#include "muc/MucService.h"

#include <QDomDocument>
#include <QPromise>
#include <QSysInfo>
#include <QXmlStreamWriter>
#include <QXmppAtmManager.h>
#include <QXmppClient.h>
#include <QXmppOmemoManager.h>
#include <QXmppSendStanzaParams.h>
#include <QXmppUtils.h>
#include <algorithm>

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
    m_omemo2->changeDeviceLabel(QStringLiteral("Natter on %1").arg(QSysInfo::machineHostName()));
    // Not QXmppClient::setEncryptionExtension(): with one set, QXmpp 1.10 parses every message that is not
    // OMEMO 2 without its public elements (stanza-id, origin-id, hints), legacy OMEMO messages included.
    // The manager decrypts OMEMO 2 as a message handler all the same; we encrypt through it ourselves.
    m_keyTrustPolicy = std::make_unique<KeyTrustPolicy>(*m_trustStorage, *m_omemo2Storage);
    m_legacy = new LegacyOmemoService(m_accountJid, *m_legacyStorage, *m_keyTrustPolicy);
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
    // Also applies the default security policy (blind trust before verification) unless the user chose.
    m_deviceTrust = std::make_unique<DeviceTrustService>(*this);
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
    // Private messages with room occupants are not encrypted: the occupant's devices are unknown.
    if (conversation.peer.contains(u'/'))
        return readyResult<Prepared>(Prepared{stanza, ChatMessage::Encryption::None});
    auto promise = std::make_shared<QPromise<Result<Prepared>>>();
    promise->start();
    choice(conversation)
        .then(this, [this, promise, stanza, conversation](const Result<EncryptionChoice> &chosen) {
            EncryptionChoice current =
                isOk(chosen) ? std::get<EncryptionChoice>(chosen) : EncryptionChoice::On;
            // The key of an encrypted file travels in its aesgcm:// link: that message is never sent in plain
            // text, even where a text message would be (Automatic, with a peer who has no devices).
            if (current == EncryptionChoice::Automatic && isOk(AesGcmLink::parse(stanza.body().trimmed())))
                current = EncryptionChoice::On;
            auto finish = [promise](const Result<Prepared> &prepared) {
                promise->addResult(prepared);
                promise->finish();
            };
            if (current == EncryptionChoice::Off)
                finish(Prepared{stanza, ChatMessage::Encryption::None});
            else if (conversation.isGroupChat())
                prepareForRoom(stanza, conversation, current).then(this, finish);
            else
                encryptFor(stanza, conversation, {conversation.peer}, current == EncryptionChoice::On)
                    .then(this, finish);
        });
    return promise->future();
}

QFuture<Result<EncryptionService::Prepared>> EncryptionService::prepareForRoom(const QXmppMessage &stanza,
                                                                               const ConversationKey &room,
                                                                               EncryptionChoice choice)
{
    const bool required = choice == EncryptionChoice::On;
    // In an open or semi-anonymous room we cannot know who reads, so nothing can be encrypted for them.
    if (!m_rooms || !m_rooms->isPrivate(room.peer)) {
        if (!required)
            return readyResult<Prepared>(Prepared{stanza, ChatMessage::Encryption::None});
        return readyResult<Prepared>(
            Error(Error::Code::EncryptionUnavailable,
                  room.peer + QStringLiteral(" is not members-only and non-anonymous")));
    }
    auto promise = std::make_shared<QPromise<Result<Prepared>>>();
    promise->start();
    m_rooms->readers(room.peer).then(this, [this, promise, stanza, room, required](QStringList &&readers) {
        auto finish = [promise](const Result<Prepared> &prepared) {
            promise->addResult(prepared);
            promise->finish();
        };
        if (readers.isEmpty()) {
            finish(required
                       ? Result<Prepared>(Error(Error::Code::EncryptionUnavailable,
                                                room.peer + QStringLiteral(": nobody else is in the room")))
                       : Result<Prepared>(Prepared{stanza, ChatMessage::Encryption::None}));
            return;
        }
        encryptFor(stanza, room, readers, required).then(this, finish);
    });
    return promise->future();
}

bool EncryptionService::isEncrypted(const QXmppMessage &message) const
{
    return LegacyOmemoService::isEncrypted(message) || (m_omemo2 && m_omemo2->isEncrypted(message));
}

QFuture<QXmppMessage> EncryptionService::decryptArchived(const QXmppMessage &message)
{
    if (!m_ready || !isEncrypted(message))
        return QtFuture::makeReadyValueFuture(message);
    return decryptRoomMessage(message, QString());
}

namespace {

bool isRoomStamp(const QXmppElement &element)
{
    const QString ns = namespaceOf(element);
    return ns == u"urn:xmpp:occupant-id:0" || ns == u"http://jabber.org/protocol/muc#user";
}

// QXmpp builds a decrypted OMEMO 2 message from the envelope and drops the outer extensions it does not
// model. Those are put back; the room's stamps (occupant-id, muc#user) only ever from outside, since a
// copy inside the ciphertext is the sender's word, not the room's.
QXmppMessage withOuterExtensions(QXmppMessage read, const QXmppMessage &outer)
{
    QXmppElementList extensions;
    for (const QXmppElement &element : read.extensions()) {
        if (!isRoomStamp(element))
            extensions.append(element);
    }
    for (const QXmppElement &element : outer.extensions()) {
        const bool present =
            std::any_of(extensions.cbegin(), extensions.cend(), [&](const QXmppElement &kept) {
                return kept.tagName() == element.tagName() && namespaceOf(kept) == namespaceOf(element);
            });
        if (!present)
            extensions.append(element);
    }
    read.setExtensions(extensions);
    return read;
}

// The message as QXmpp writes it (ScePublic: without what OMEMO 2 encrypts), as a tree to read: QXmpp's
// OMEMO elements are not public.
QDomDocument domOf(const QXmppMessage &message, QXmpp::SceMode mode = QXmpp::SceAll)
{
    QString xml;
    QXmlStreamWriter writer(&xml);
    message.toXml(&writer, mode);
    QDomDocument document;
    document.setContent(xml, QDomDocument::ParseOption::UseNamespaceProcessing);
    return document;
}

// The device id in an OMEMO message's header, either version.
std::optional<uint32_t> senderDeviceId(const QXmppMessage &message)
{
    const QDomDocument document = domOf(message);
    for (auto encrypted = document.documentElement().firstChildElement(QStringLiteral("encrypted"));
         !encrypted.isNull(); encrypted = encrypted.nextSiblingElement(QStringLiteral("encrypted"))) {
        bool ok = false;
        const uint32_t id = encrypted.firstChildElement(QStringLiteral("header"))
                                .attribute(QStringLiteral("sid"))
                                .toUInt(&ok);
        if (ok)
            return id;
    }
    return std::nullopt;
}

} // namespace

QFuture<QXmppMessage> EncryptionService::decryptRoomMessage(const QXmppMessage &message,
                                                            const QStringList &candidates)
{
    if (candidates.size() == 1)
        return decryptRoomMessage(message, candidates.first());
    const auto deviceId = senderDeviceId(message);
    if (!deviceId || !m_omemo2Storage)
        return QtFuture::makeReadyValueFuture(message);
    QSet<QString> owners;
    if (m_legacy && m_legacy->isStarted()) {
        const auto legacyDevices = m_legacy->engine()->devices();
        for (const QString &jid : candidates) {
            if (legacyDevices.value(jid).contains(*deviceId))
                owners.insert(jid);
        }
    }
    auto promise = std::make_shared<QPromise<QXmppMessage>>();
    promise->start();
    m_omemo2Storage->allData().then(this, [this, message, candidates, owners, promise,
                                           id = *deviceId](QXmppOmemoStorage::OmemoData &&data) mutable {
        for (const QString &jid : candidates) {
            if (data.devices.value(jid).contains(id))
                owners.insert(jid);
        }
        // Two readers with one device id: neither is guessed.
        auto read = owners.size() == 1 ? decryptRoomMessage(message, *owners.cbegin())
                                       : QtFuture::makeReadyValueFuture(message);
        read.then(this, [promise](const QXmppMessage &result) {
            promise->addResult(result);
            promise->finish();
        });
    });
    return promise->future();
}

QFuture<QXmppMessage> EncryptionService::decryptRoomMessage(const QXmppMessage &message,
                                                            const QString &senderJid)
{
    auto promise = std::make_shared<QPromise<QXmppMessage>>();
    promise->start();
    auto finish = [promise](const QXmppMessage &read) {
        promise->addResult(read);
        promise->finish();
    };
    auto withLegacy = [this, message, senderJid, finish] {
        if (!m_legacy || !m_legacy->isStarted() || !LegacyOmemoService::isEncrypted(message)) {
            finish(message);
            return;
        }
        const auto decrypted = m_legacy->decrypt(message, senderJid);
        // Often an archived copy of what arrived live already (a replay to the ratchet): the store keeps
        // that.
        if (!isOk(decrypted))
            qCDebug(lcCrypto) << "legacy OMEMO: cannot read a message from" << message.from()
                              << errorOf(decrypted).detail;
        finish(isOk(decrypted) ? std::get<QXmppMessage>(decrypted) : message);
    };
    if (!m_omemo2 || !m_ready || !m_omemo2->isEncrypted(message)) {
        withLegacy();
        return promise->future();
    }
    // QXmpp 1.10 takes the sender of a room message from the MIX participant JID only; the SCE <to/> is
    // still checked against the room.
    QXmppMessage addressed = message;
    if (!senderJid.isEmpty())
        addressed.setMixUserJid(senderJid);
    m_omemo2->decryptMessage(std::move(addressed))
        .then(this, [finish, withLegacy, message](QXmppE2eeExtension::MessageDecryptResult &&result) {
            if (auto *read = std::get_if<QXmppMessage>(&result)) {
                read->setMixUserJid(message.mixUserJid());
                finish(withOuterExtensions(std::move(*read), message));
                return;
            }
            withLegacy(); // no OMEMO 2 key for this device: maybe a legacy one
        });
    return promise->future();
}

namespace {

// What of an OMEMO 2 message may go on the wire. QXmpp keeps the plain body and the other sensitive elements
// in the encrypted message and leaves them out only when it serialises the message itself
// (sendSensitive()); sent with send(), they would go out in plain text beside the ciphertext. Read back
// from its public form, the message carries the fallback body and nothing sensitive.
// Two faults of QXmpp 1.10 are mended on the way:
// - it marks a key as a key exchange (kex) only when it built the session for this very message, so the
//   next messages before the other device answers go out unflagged and cannot be read there. A key
//   exchange is the protobuf OMEMOKeyExchange, whose first field is the varint pk_id (tag byte 0x08); an
//   ordinary key is an OMEMOAuthenticatedMessage, whose first field is the bytes mac (0x0a);
// - it encrypts for devices their owner took off the device list (for weeks, until it forgets them): a
//   lost phone would go on reading. Their keys are dropped.
struct PublicPart
{
    QXmppMessage message;
    QSet<QPair<QString, uint32_t>> recipients; // the devices it has a key for: (jid, device id)
};

PublicPart publicPart(const QXmppMessage &encrypted, const OmemoStorage &storage)
{
    PublicPart part;
    QDomDocument document = domOf(encrypted, QXmpp::ScePublic);
    for (auto element = document.documentElement().firstChildElement(QStringLiteral("encrypted"));
         !element.isNull(); element = element.nextSiblingElement(QStringLiteral("encrypted"))) {
        if (element.namespaceURI() != u"urn:xmpp:omemo:2")
            continue;
        const QDomElement header = element.firstChildElement(QStringLiteral("header"));
        for (auto keys = header.firstChildElement(QStringLiteral("keys")); !keys.isNull();
             keys = keys.nextSiblingElement(QStringLiteral("keys"))) {
            const QString owner = keys.attribute(QStringLiteral("jid"));
            QList<QDomElement> dropped;
            for (auto key = keys.firstChildElement(QStringLiteral("key")); !key.isNull();
                 key = key.nextSiblingElement(QStringLiteral("key"))) {
                const uint32_t deviceId = key.attribute(QStringLiteral("rid")).toUInt();
                if (storage.isRemoved(owner, deviceId)) {
                    dropped.append(key);
                    continue;
                }
                part.recipients.insert({owner, deviceId});
                const QByteArray data = QByteArray::fromBase64(key.text().toLatin1());
                if (!data.isEmpty() && data.front() == '\x08')
                    key.setAttribute(QStringLiteral("kex"), QStringLiteral("true"));
                else
                    key.removeAttribute(QStringLiteral("kex"));
            }
            for (QDomElement &key : dropped)
                keys.removeChild(key);
        }
    }
    part.message.parse(document.documentElement());
    return part;
}

bool reaches(const QSet<QPair<QString, uint32_t>> &recipients, const QString &jid)
{
    return std::any_of(recipients.cbegin(), recipients.cend(),
                       [&jid](const auto &device) { return device.first == jid; });
}

} // namespace

QFuture<Result<EncryptionService::Prepared>>
EncryptionService::encryptFor(const QXmppMessage &stanza, const ConversationKey &conversation,
                              const QStringList &peers, bool required)
{
    if (!m_ready || !m_legacy || !m_omemo2) {
        if (!required)
            return readyResult<Prepared>(Prepared{stanza, ChatMessage::Encryption::None});
        return readyResult<Prepared>(Error(Error::Code::EncryptionUnavailable, conversation.peer));
    }
    auto promise = std::make_shared<QPromise<Result<Prepared>>>();
    promise->start();
    auto finish = [promise](const Result<Prepared> &prepared) {
        promise->addResult(prepared);
        promise->finish();
    };
    // Both device lists of every peer first: OMEMO 2 where a device has it, legacy OMEMO for the others.
    devicesOf(peers).then(
        this, [this, finish, stanza, conversation, peers, required](const PeerDevices &known) {
            // Not chosen by the user yet: encrypted where everyone can read it, as it was otherwise.
            if (!required && !known.everyone) {
                finish(Prepared{stanza, ChatMessage::Encryption::None});
                return;
            }
            encryptBoth(stanza, peers, known.anyOmemo2)
                .then(this, [this, finish, conversation, required](const Result<Prepared> &prepared) {
                    // Once encrypted, always encrypted: a device list that vanishes later does not turn it
                    // off.
                    if (isOk(prepared) && !required)
                        setChoice(conversation, EncryptionChoice::On);
                    finish(prepared);
                });
        });
    return promise->future();
}

QFuture<EncryptionService::PeerDevices> EncryptionService::devicesOf(const QStringList &peers)
{
    auto promise = std::make_shared<QPromise<PeerDevices>>();
    promise->start();
    auto whenListsKnown = [this, promise, peers] {
        m_omemo2->devices(peers).then(
            this, [this, promise, peers](QVector<QXmppOmemoDevice> &&omemo2Devices) {
                QSet<QString> withDevices;
                for (const QXmppOmemoDevice &device : std::as_const(omemo2Devices))
                    withDevices.insert(device.jid());
                PeerDevices known;
                known.anyOmemo2 = !withDevices.isEmpty();
                for (const QString &peer : peers) {
                    if (const auto legacy = m_legacy->deviceIds(peer); legacy && !legacy->isEmpty())
                        withDevices.insert(peer);
                }
                known.everyone = withDevices.size() >= peers.size();
                promise->addResult(known);
                promise->finish();
            });
    };
    // Lists not seen yet are fetched once (QXmpp and we follow roster contacts' lists by notification).
    auto pending = std::make_shared<int>(1);
    auto oneDone = [pending, whenListsKnown] {
        if (--*pending == 0)
            whenListsKnown();
    };
    QList<QString> unknownOmemo2;
    for (const QString &peer : peers) {
        if (!m_omemo2Lists.contains(peer))
            unknownOmemo2.append(peer);
        if (m_legacy->deviceIds(peer))
            continue;
        ++*pending;
        m_legacy->refreshDeviceList(peer).then(this,
                                               [oneDone](const Result<QList<uint32_t>> &) { oneDone(); });
    }
    if (!unknownOmemo2.isEmpty()) {
        ++*pending;
        m_omemo2->requestDeviceLists(unknownOmemo2).then(this, [this, unknownOmemo2, oneDone](auto &&) {
            for (const QString &peer : unknownOmemo2)
                m_omemo2Lists.insert(peer);
            oneDone();
        });
    }
    oneDone();
    return promise->future();
}

QFuture<bool> EncryptionService::willEncrypt(const ConversationKey &conversation)
{
    if (conversation.peer.contains(u'/'))
        return QtFuture::makeReadyValueFuture(false);
    auto promise = std::make_shared<QPromise<bool>>();
    promise->start();
    auto finish = [promise](bool encrypted) {
        promise->addResult(encrypted);
        promise->finish();
    };
    choice(conversation).then(this, [this, finish, conversation](const Result<EncryptionChoice> &chosen) {
        const EncryptionChoice current =
            isOk(chosen) ? std::get<EncryptionChoice>(chosen) : EncryptionChoice::On;
        if (current != EncryptionChoice::Automatic)
            return finish(current == EncryptionChoice::On);
        // Automatic: as a text message would go. Without OMEMO running yet, in plain text.
        if (!m_ready || !m_legacy || !m_omemo2)
            return finish(false);
        const auto whenDevicesKnown = [finish](const PeerDevices &known) { finish(known.everyone); };
        if (!conversation.isGroupChat())
            return void(devicesOf({conversation.peer}).then(this, whenDevicesKnown));
        // In a room only when it is members-only and non-anonymous and every reader announces devices.
        if (!m_rooms || !m_rooms->isPrivate(conversation.peer))
            return finish(false);
        m_rooms->readers(conversation.peer).then(this, [this, whenDevicesKnown](QStringList &&readers) {
            devicesOf(readers).then(this, whenDevicesKnown);
        });
    });
    return promise->future();
}

QFuture<Result<EncryptionService::Prepared>>
EncryptionService::encryptBoth(const QXmppMessage &stanza, const QStringList &peers, bool tryOmemo2)
{
    auto promise = std::make_shared<QPromise<Result<Prepared>>>();
    promise->start();
    auto finish = [promise](const Result<Prepared> &prepared) {
        promise->addResult(prepared);
        promise->finish();
    };
    auto withLegacy = [this, finish, stanza, peers](std::optional<PublicPart> omemo2) {
        const auto reached = omemo2 ? omemo2->recipients : QSet<QPair<QString, uint32_t>>();
        QStringList missed;
        for (const QString &peer : peers) {
            if (!reaches(reached, peer))
                missed.append(peer);
        }
        // Devices that got an OMEMO 2 key get no legacy one; every peer must be reached by one of the two.
        m_legacy->encrypt(stanza, peers, reached, missed)
            .then(this, [finish, omemo2, missed, peers](const Result<QXmppMessage> &legacy) {
                if (!missed.isEmpty() && !isOk(legacy)) {
                    finish(errorOf(legacy).code == Error::Code::NotConnected
                               ? errorOf(legacy)
                               : Error(Error::Code::EncryptionUnavailable, missed.join(u", ")));
                    return;
                }
                if (missed.size() == peers.size()) {
                    finish(Prepared{std::get<QXmppMessage>(legacy), ChatMessage::Encryption::LegacyOmemo});
                    return;
                }
                QXmppMessage combined = omemo2->message;
                if (isOk(legacy)) {
                    if (const auto element =
                            LegacyOmemoService::encryptedElement(std::get<QXmppMessage>(legacy))) {
                        auto extensions = combined.extensions();
                        extensions.append(*element);
                        combined.setExtensions(extensions);
                    }
                }
                finish(Prepared{combined, ChatMessage::Encryption::Omemo2});
            });
    };
    if (!tryOmemo2) {
        withLegacy(std::nullopt);
        return promise->future();
    }
    QXmppSendStanzaParams params;
    params.setEncryptionJids(peers);
    m_omemo2->encryptMessage(QXmppMessage(stanza), params)
        .then(this, [this, withLegacy](QXmppE2eeExtension::MessageEncryptResult &&result) mutable {
            if (auto *message = std::get_if<std::unique_ptr<QXmppMessage>>(&result); message && *message) {
                withLegacy(publicPart(**message, *m_omemo2Storage));
                return;
            }
            qCInfo(lcCrypto) << "OMEMO 2 encryption failed:" << std::get<QXmppError>(result).description;
            withLegacy(std::nullopt);
        });
    return promise->future();
}

} // namespace Natter::Core
