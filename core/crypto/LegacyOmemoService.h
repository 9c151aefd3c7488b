// SPDX-License-Identifier: GPL-3.0-or-later
// Legacy OMEMO 0.3 on the network for one account: our device list and bundle on PEP, contacts' device
// lists (PEP notifications or requests) and bundles, sessions built on demand, encryption of outgoing
// messages and decryption of incoming ones (live and carbons here; archived ones through decrypt()).
#pragma once

#include "LegacyOmemoEngine.h"
#include "common/Result.h"

#include <QFuture>
#include <QHash>
#include <QPromise>
#include <QSet>
#include <QXmppClientExtension.h>
#include <QXmppElement.h>
#include <QXmppMessageHandler.h>
#include <QXmppPubSubEventHandler.h>
#include <memory>

class QXmppMessage;

namespace Natter::Core {

class KeyTrustPolicy;

// QXmppPubSubEventHandler and QXmppMessageHandler have non-virtual destructors; never deleted through them.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
class LegacyOmemoService : public QXmppClientExtension,
                           public QXmppPubSubEventHandler,
                           public QXmppMessageHandler
{
    Q_OBJECT
public:
    // trust decides which devices get a key (and records the keys we meet).
    LegacyOmemoService(QString accountJid, QXmppOmemoStorage &storage, KeyTrustPolicy &trust);
    ~LegacyOmemoService() override;

    // Loads our keys (creating them the first time) for own, our device; publishes the device list and
    // bundle whenever we are connected. Resolves once the keys are loaded.
    QFuture<Result<Success>> start(const QXmppOmemoStorage::OwnDevice &own);
    bool isStarted() const { return m_started; }
    const LegacyOmemoEngine *engine() const { return m_engine.get(); }

    // Active devices from jid's device list as last seen (ours: other than this one); nullopt when we
    // have never seen the list.
    std::optional<QList<uint32_t>> deviceIds(const QString &bareJid) const;
    // Fetches jid's device list (for JIDs whose PEP notifications we do not get).
    QFuture<Result<QList<uint32_t>>> refreshDeviceList(const QString &bareJid);
    // Fetches the bundles of jid's active devices whose identity key we do not know yet (building a
    // session with each), so their keys can be shown and decided on. Resolves when all are done.
    QFuture<Result<Success>> learnIdentityKeys(const QString &bareJid);
    // Takes another device of ours off our legacy device list (and deletes its bundle node): whether it
    // was on the list. RequestRefused for this device.
    QFuture<Result<bool>> removeOwnDevice(uint32_t deviceId);

    // Encrypts message's body for every active device of recipients and of our account (but this one)
    // whose key is trusted (KeyTrustPolicy::AcceptedLevels), building missing sessions first. Replaces
    // the body by the usual fallback and adds the encrypted element, a store hint and EME. Fails
    // (EncryptionUnavailable) when a recipient JID ends up with no device that got a key; devices that
    // got none are named in the error detail. excluded devices
    // (those another OMEMO version serves) are left out.
    // mustReach (default: recipients) are the JIDs that must get at least one key.
    QFuture<Result<QXmppMessage>> encrypt(QXmppMessage message, const QStringList &recipients,
                                          const QSet<QPair<QString, uint32_t>> &excluded = {},
                                          const std::optional<QStringList> &mustReach = std::nullopt);
    // The legacy <encrypted/> element of message, if it has one.
    static std::optional<QXmppElement> encryptedElement(const QXmppMessage &message);
    // Decrypts a message carrying a legacy <encrypted/> element: the message with its body and E2EE
    // metadata, or why it could not be read.
    // senderJid: the sender's bare JID when from is not it (a room occupant's real JID).
    Result<QXmppMessage> decrypt(const QXmppMessage &message, const QString &senderJid = {});
    static bool isEncrypted(const QXmppMessage &message);

    QStringList discoveryFeatures() const override;
    bool handleStanza(const QDomElement &stanza) override;
    bool handlePubSubEvent(const QDomElement &element, const QString &pubSubService,
                           const QString &nodeName) override;
    bool handleMessage(const QXmppMessage &message) override;

Q_SIGNALS:
    // jid's device list changed (or was seen for the first time).
    void devicesChanged(const QString &bareJid);
    // An incoming legacy OMEMO message could not be decrypted; it still reaches messageReceived, encrypted.
    void decryptionFailed(const QString &from, const QString &stanzaId, const Natter::Core::Error &error);

protected:
    void onRegistered(QXmppClient *client) override;

private:
    void publishOwnDevice();
    void publishBundle();
    void setDeviceList(const QString &bareJid, const QList<uint32_t> &ids);
    QFuture<Result<Success>> ensureSessions(const QList<LegacyOmemoEngine::Device> &devices);
    QFuture<Result<Success>> buildSession(const LegacyOmemoEngine::Device &device);
    // Those of devices whose identity key is known and trusted enough to be encrypted for.
    QFuture<QList<LegacyOmemoEngine::Device>> trustedOnly(const QList<LegacyOmemoEngine::Device> &devices);
    QString senderOf(const QXmppMessage &message) const;

    QString m_accountJid;
    QXmppOmemoStorage &m_storage;
    KeyTrustPolicy &m_trust;
    std::unique_ptr<LegacyOmemoEngine> m_engine;
    bool m_started = false;
    QHash<QString, QList<uint32_t>> m_deviceLists;
    QSet<QPair<QString, uint32_t>> m_brokenDevices; // bundle missing or invalid in this session
    // Bundle requests under way, with whoever waits for them (a QFuture takes one continuation only).
    QHash<QPair<QString, uint32_t>, QList<std::shared_ptr<QPromise<Result<Success>>>>> m_sessionBuilds;
};
#pragma GCC diagnostic pop

} // namespace Natter::Core
