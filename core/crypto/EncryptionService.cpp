// SPDX-License-Identifier: GPL-3.0-or-later
#include "EncryptionService.h"

#include "LegacyOmemoService.h"
#include "OmemoStorage.h"
#include "TrustStorage.h"
#include "common/Logging.h"

#include <QPromise>
#include <QSysInfo>
#include <QXmppAtmManager.h>
#include <QXmppClient.h>
#include <QXmppOmemoManager.h>
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
            encryptLegacy(stanza, conversation, current == EncryptionChoice::On)
                .then(this, [promise](const Result<Prepared> &prepared) {
                    promise->addResult(prepared);
                    promise->finish();
                });
        });
    return promise->future();
}

QFuture<Result<EncryptionService::Prepared>>
EncryptionService::encryptLegacy(const QXmppMessage &stanza, const ConversationKey &conversation,
                                 bool required)
{
    if (!m_ready || !m_legacy) {
        if (!required)
            return readyResult<Prepared>(Prepared{stanza, ChatMessage::Encryption::None});
        return readyResult<Prepared>(Error(Error::Code::EncryptionUnavailable, conversation.peer));
    }
    auto promise = std::make_shared<QPromise<Result<Prepared>>>();
    promise->start();
    auto encrypt = [this, promise, stanza, conversation, required](const QList<uint32_t> &peerDevices) {
        if (peerDevices.isEmpty() && !required) {
            promise->addResult(Prepared{stanza, ChatMessage::Encryption::None});
            promise->finish();
            return;
        }
        m_legacy->encrypt(stanza, {conversation.peer})
            .then(this, [this, promise, conversation, required](const Result<QXmppMessage> &sealed) {
                if (!isOk(sealed)) {
                    promise->addResult(errorOf(sealed).code == Error::Code::NotConnected
                                           ? errorOf(sealed)
                                           : Error(Error::Code::EncryptionUnavailable, conversation.peer));
                    promise->finish();
                    return;
                }
                // Once encrypted, always encrypted: a device list that vanishes later does not turn it off.
                if (!required)
                    setChoice(conversation, EncryptionChoice::On);
                promise->addResult(
                    Prepared{std::get<QXmppMessage>(sealed), ChatMessage::Encryption::LegacyOmemo});
                promise->finish();
            });
    };
    if (const auto known = m_legacy->deviceIds(conversation.peer)) {
        encrypt(*known);
    } else {
        m_legacy->refreshDeviceList(conversation.peer)
            .then(this, [encrypt](const Result<QList<uint32_t>> &ids) {
                encrypt(isOk(ids) ? std::get<QList<uint32_t>>(ids) : QList<uint32_t>());
            });
    }
    return promise->future();
}

} // namespace Natter::Core
