// SPDX-License-Identifier: GPL-3.0-or-later
// Legacy OMEMO 0.3 cryptography on libomemo-c (Signal protocol version 3): our bundle, sessions built from
// other devices' bundles, and the key and payload encryption of messages. Synchronous and offline: the
// network side (PEP, stanzas) is LegacyOmemoService's. It uses the device id and identity key of our
// OMEMO 2 device, so a contact sees one device that speaks both versions.
#pragma once

#include "LegacyOmemoElements.h"
#include "SignalContext.h"
#include "common/Result.h"

#include <QXmppOmemoStorage.h>
#include <functional>
#include <memory>

struct signal_protocol_store_context;

namespace Natter::Core {

class LegacyOmemoEngine
{
public:
    struct Device
    {
        QString jid;
        uint32_t id = 0;

        friend bool operator==(const Device &, const Device &) = default;
    };

    struct Encrypted
    {
        LegacyOmemo::EncryptedElement element;
        // Devices for which no key element could be made (no session, broken session).
        QList<Device> failed;
    };

    struct Decrypted
    {
        // Empty for a key transport element.
        QByteArray plaintext;
        // The sender device's identity key (32-byte Curve25519 form).
        QByteArray identityKey;
        // It started a session: our pre-key is used up and the bundle changed.
        bool preKeyUsed = false;
    };

    // storage keeps this engine's rows (version 0); it is written through on every change.
    LegacyOmemoEngine(QString ownJid, QXmppOmemoStorage &storage);
    ~LegacyOmemoEngine();
    LegacyOmemoEngine(const LegacyOmemoEngine &) = delete;
    LegacyOmemoEngine &operator=(const LegacyOmemoEngine &) = delete;

    // own is our (OMEMO 2) device; data is what storage had for this version. Creates and stores the
    // signed pre-key and the pre-keys when there are none.
    Result<Success> load(const QXmppOmemoStorage::OwnDevice &own, const QXmppOmemoStorage::OmemoData &data);

    uint32_t deviceId() const { return m_ownDevice.id; }
    // Our identity key, 32-byte Curve25519 form (what Conversations and Dino show as the fingerprint).
    QByteArray identityKey() const { return m_identityKey; }
    LegacyOmemo::Bundle bundle() const;

    bool hasSession(const Device &device) const;
    // X3DH with one of the bundle's pre-keys, chosen at random.
    Result<Success> buildSession(const Device &device, const LegacyOmemo::Bundle &bundle);
    // The identity key we know for a device (Curve25519 form), empty if none.
    QByteArray identityKeyOf(const Device &device) const;
    // Every device we hold a record of, by JID.
    const QHash<QString, QHash<uint32_t, QXmppOmemoStorage::Device>> &devices() const { return m_devices; }
    // Removes a device's session and record (it left the contact's device list for good).
    void forgetDevice(const Device &device);
    // jid's device list as published: new devices are recorded, missing ones marked as removed (their
    // sessions stay, for messages still on their way).
    void setDeviceList(const QString &jid, const QList<uint32_t> &ids);
    // The devices of jid's last device list we know of.
    QList<uint32_t> activeDevices(const QString &jid) const;

    // Told of every identity key met for the first time (or changed) for a device: in a bundle a session
    // was built from, or in a received pre-key message. key is the 32-byte Curve25519 form.
    using IdentityObserver = std::function<void(const Device &device, const QByteArray &key)>;
    void setIdentityObserver(IdentityObserver observer) { m_identityObserver = std::move(observer); }

    // AES-128-GCM encryption of plaintext with a fresh key whose key and tag go to every recipient
    // through its session. An empty plaintext makes a key transport element (no payload). Fails only
    // when no recipient could get a key.
    Result<Encrypted> encrypt(const QList<Device> &recipients, const QByteArray &plaintext);
    // Decrypts what sender's device sent to us (Error::Code::DecryptionFailed with a reason as detail).
    Result<Decrypted> decrypt(const QString &senderJid, const LegacyOmemo::EncryptedElement &element);

private:
    struct Stores;
    Result<Success> createKeys();
    Result<Success> addPreKeys(uint32_t firstId, uint32_t count);
    void replacePreKey(uint32_t usedId);
    Result<QByteArray> encryptKey(const Device &device, const QByteArray &keyAndTag, bool *preKey);
    Result<QByteArray> decryptKey(const Device &sender, const LegacyOmemo::KeyElement &key);
    void saveDevice(const QString &jid, uint32_t id);

    QString m_ownJid;
    QXmppOmemoStorage &m_storage;
    SignalContext m_context;
    signal_protocol_store_context *m_store = nullptr;
    QXmppOmemoStorage::OwnDevice m_ownDevice;
    QByteArray m_identityKey;
    QByteArray m_identityPublic; // libomemo-c's serialisation: 0x05 + Curve25519
    QHash<uint32_t, QXmppOmemoStorage::SignedPreKeyPair> m_signedPreKeys;
    QHash<uint32_t, QByteArray> m_preKeys;
    QHash<QString, QHash<uint32_t, QXmppOmemoStorage::Device>> m_devices;
    IdentityObserver m_identityObserver;

    friend struct Stores;
};

} // namespace Natter::Core
