// SPDX-License-Identifier: GPL-3.0-or-later
#include "LegacyOmemoEngine.h"

#include "AesGcm.h"
#include "SignalPointers.h"
#include "common/Logging.h"

#include <QDateTime>
#include <QRandomGenerator>

extern "C" {
#include <omemo/curve.h>
#include <omemo/key_helper.h>
#include <omemo/protocol.h>
#include <omemo/session_builder.h>
#include <omemo/session_cipher.h>
#include <omemo/session_pre_key.h>
}

namespace Natter::Core {

using namespace Signal;

namespace {
// Signal protocol version 3 is what legacy OMEMO speaks; libomemo-c's 4 is OMEMO 2.
constexpr uint32_t LegacyVersion = CIPHERTEXT_CURRENT_VERSION;
constexpr uint32_t PreKeyCount = 100;
constexpr uint32_t SignedPreKeyId = 1;
constexpr int PayloadKeyLength = 16;
constexpr int TagLength = 16;
constexpr int IvLength = 12;

Error failure(Error::Code code, const QString &reason, int signalError = 0)
{
    return Error(code,
                 signalError ? QStringLiteral("%1 (libomemo-c %2)").arg(reason).arg(signalError) : reason);
}

Error decryptionFailed(const QString &reason, int signalError = 0)
{
    return failure(Error::Code::DecryptionFailed, reason, signalError);
}

QString nameOf(const signal_protocol_address *address)
{
    return QString::fromUtf8(address->name, qsizetype(address->name_len));
}

// The Curve25519 form of a public key in any serialisation libomemo-c reads (0x05 + 32 bytes, or Ed25519).
QByteArray montgomeryForm(signal_context *context, const uint8_t *data, size_t length)
{
    Ref<ec_public_key> key;
    if (curve_decode_point(key.out(), data, length, context) < 0)
        return {};
    return toByteArray(Buffer(ec_public_key_get_mont(key.get())));
}

QByteArray serialized(const ec_public_key *key)
{
    signal_buffer *buffer = nullptr;
    if (ec_public_key_serialize(&buffer, key) < 0)
        return {};
    return toByteArray(Buffer(buffer));
}

struct Address
{
    explicit Address(const LegacyOmemoEngine::Device &device)
        : name(device.jid.toUtf8())
        , address{name.constData(), size_t(name.size()), int32_t(device.id)}
    {}
    QByteArray name;
    signal_protocol_address address;
};

} // namespace

struct LegacyOmemoEngine::Stores
{
    static LegacyOmemoEngine &engine(void *userData) { return *static_cast<LegacyOmemoEngine *>(userData); }

    static const QXmppOmemoStorage::Device *device(LegacyOmemoEngine &self,
                                                   const signal_protocol_address *address)
    {
        const auto jid = self.m_devices.constFind(nameOf(address));
        if (jid == self.m_devices.cend())
            return nullptr;
        const auto device = jid->constFind(uint32_t(address->device_id));
        return device == jid->cend() ? nullptr : &*device;
    }

    static int loadSession(signal_buffer **record, signal_buffer **, const signal_protocol_address *address,
                           void *userData)
    {
        const auto *known = device(engine(userData), address);
        if (!known || known->session.isEmpty())
            return 0;
        *record = newBuffer(known->session);
        return *record ? 1 : SG_ERR_NOMEM;
    }

    static int subDeviceSessions(signal_int_list **sessions, const char *name, size_t nameLength,
                                 void *userData)
    {
        auto &self = engine(userData);
        signal_int_list *list = signal_int_list_alloc();
        if (!list)
            return SG_ERR_NOMEM;
        const auto devices = self.m_devices.value(QString::fromUtf8(name, qsizetype(nameLength)));
        for (auto it = devices.cbegin(); it != devices.cend(); ++it) {
            if (!it->session.isEmpty())
                signal_int_list_push_back(list, int(it.key()));
        }
        *sessions = list;
        return int(signal_int_list_size(list));
    }

    static int storeSession(const signal_protocol_address *address, uint8_t *record, size_t length, uint8_t *,
                            size_t, void *userData)
    {
        auto &self = engine(userData);
        const QString jid = nameOf(address);
        self.m_devices[jid][uint32_t(address->device_id)].session =
            QByteArray(reinterpret_cast<const char *>(record), qsizetype(length));
        self.saveDevice(jid, uint32_t(address->device_id));
        return 0;
    }

    static int containsSession(const signal_protocol_address *address, void *userData)
    {
        const auto *known = device(engine(userData), address);
        return known && !known->session.isEmpty() ? 1 : 0;
    }

    static int deleteSession(const signal_protocol_address *address, void *userData)
    {
        auto &self = engine(userData);
        const QString jid = nameOf(address);
        auto &devices = self.m_devices[jid];
        const auto known = devices.find(uint32_t(address->device_id));
        if (known == devices.end() || known->session.isEmpty())
            return 0;
        known->session.clear();
        self.saveDevice(jid, uint32_t(address->device_id));
        return 1;
    }

    static int deleteAllSessions(const char *name, size_t nameLength, void *userData)
    {
        auto &self = engine(userData);
        const QString jid = QString::fromUtf8(name, qsizetype(nameLength));
        int deleted = 0;
        for (auto it = self.m_devices[jid].begin(); it != self.m_devices[jid].end(); ++it) {
            if (it->session.isEmpty())
                continue;
            it->session.clear();
            self.saveDevice(jid, it.key());
            ++deleted;
        }
        return deleted;
    }

    static int loadPreKey(signal_buffer **record, uint32_t id, void *userData)
    {
        const auto &preKeys = engine(userData).m_preKeys;
        const auto key = preKeys.constFind(id);
        if (key == preKeys.cend())
            return SG_ERR_INVALID_KEY_ID;
        *record = newBuffer(*key);
        return *record ? SG_SUCCESS : SG_ERR_NOMEM;
    }

    static int storePreKey(uint32_t id, uint8_t *record, size_t length, void *userData)
    {
        auto &self = engine(userData);
        const QByteArray data(reinterpret_cast<const char *>(record), qsizetype(length));
        self.m_preKeys.insert(id, data);
        self.m_storage.addPreKeyPairs({{id, data}});
        return 0;
    }

    static int containsPreKey(uint32_t id, void *userData) { return engine(userData).m_preKeys.contains(id); }

    static int removePreKey(uint32_t id, void *userData)
    {
        engine(userData).replacePreKey(id);
        return 0;
    }

    static int loadSignedPreKey(signal_buffer **record, uint32_t id, void *userData)
    {
        const auto &keys = engine(userData).m_signedPreKeys;
        const auto key = keys.constFind(id);
        if (key == keys.cend())
            return SG_ERR_INVALID_KEY_ID;
        *record = newBuffer(key->data);
        return *record ? SG_SUCCESS : SG_ERR_NOMEM;
    }

    static int storeSignedPreKey(uint32_t id, uint8_t *record, size_t length, void *userData)
    {
        auto &self = engine(userData);
        QXmppOmemoStorage::SignedPreKeyPair pair;
        pair.creationDate = QDateTime::currentDateTimeUtc();
        pair.data = QByteArray(reinterpret_cast<const char *>(record), qsizetype(length));
        self.m_signedPreKeys.insert(id, pair);
        self.m_storage.addSignedPreKeyPair(id, pair);
        return 0;
    }

    static int containsSignedPreKey(uint32_t id, void *userData)
    {
        return engine(userData).m_signedPreKeys.contains(id);
    }

    static int removeSignedPreKey(uint32_t id, void *userData)
    {
        auto &self = engine(userData);
        self.m_signedPreKeys.remove(id);
        self.m_storage.removeSignedPreKeyPair(id);
        return 0;
    }

    static int identityKeyPair(signal_buffer **publicData, signal_buffer **privateData, void *userData)
    {
        auto &self = engine(userData);
        *publicData = newBuffer(self.m_identityPublic);
        *privateData = newBuffer(self.m_ownDevice.privateIdentityKey);
        return *publicData && *privateData ? 0 : SG_ERR_NOMEM;
    }

    static int registrationId(void *userData, uint32_t *id)
    {
        // Conversations and Dino use the device id as registration id.
        *id = engine(userData).m_ownDevice.id;
        return 0;
    }

    static int saveIdentity(const signal_protocol_address *address, uint8_t *key, size_t length,
                            void *userData)
    {
        auto &self = engine(userData);
        const QString jid = nameOf(address);
        auto &device = self.m_devices[jid][uint32_t(address->device_id)];
        const QByteArray previous = device.keyId;
        device.keyId = key ? montgomeryForm(self.m_context.get(), key, length) : QByteArray();
        self.saveDevice(jid, uint32_t(address->device_id));
        if (self.m_identityObserver && !device.keyId.isEmpty() && device.keyId != previous)
            self.m_identityObserver({jid, uint32_t(address->device_id)}, device.keyId);
        return 0;
    }

    // Trust is decided above this layer (which devices we encrypt for, how decrypted messages are marked).
    static int isTrustedIdentity(const signal_protocol_address *, uint8_t *, size_t, void *) { return 1; }
};

LegacyOmemoEngine::LegacyOmemoEngine(QString ownJid, QXmppOmemoStorage &storage)
    : m_ownJid(std::move(ownJid))
    , m_storage(storage)
{
    if (!m_context.get() || signal_protocol_store_context_create(&m_store, m_context.get()) < 0) {
        m_store = nullptr;
        return;
    }
    const signal_protocol_session_store sessions{Stores::loadSession,
                                                 Stores::subDeviceSessions,
                                                 Stores::storeSession,
                                                 Stores::containsSession,
                                                 Stores::deleteSession,
                                                 Stores::deleteAllSessions,
                                                 nullptr,
                                                 this};
    const signal_protocol_pre_key_store preKeys{
        Stores::loadPreKey, Stores::storePreKey, Stores::containsPreKey, Stores::removePreKey, nullptr, this};
    const signal_protocol_signed_pre_key_store signedPreKeys{Stores::loadSignedPreKey,
                                                             Stores::storeSignedPreKey,
                                                             Stores::containsSignedPreKey,
                                                             Stores::removeSignedPreKey,
                                                             nullptr,
                                                             this};
    const signal_protocol_identity_key_store identities{Stores::identityKeyPair,
                                                        Stores::registrationId,
                                                        Stores::saveIdentity,
                                                        Stores::isTrustedIdentity,
                                                        nullptr,
                                                        this};
    signal_protocol_store_context_set_session_store(m_store, &sessions);
    signal_protocol_store_context_set_pre_key_store(m_store, &preKeys);
    signal_protocol_store_context_set_signed_pre_key_store(m_store, &signedPreKeys);
    signal_protocol_store_context_set_identity_key_store(m_store, &identities);
}

LegacyOmemoEngine::~LegacyOmemoEngine()
{
    if (m_store)
        signal_protocol_store_context_destroy(m_store);
}

Result<Success> LegacyOmemoEngine::load(const QXmppOmemoStorage::OwnDevice &own,
                                        const QXmppOmemoStorage::OmemoData &data)
{
    if (!m_store)
        return failure(Error::Code::EncryptionFailed, QStringLiteral("libomemo-c could not start"));
    Ref<ec_public_key> publicKey;
    Ref<ec_private_key> privateKey;
    // QXmpp keeps the public identity key in its Ed25519 form; we need the Curve25519 one too.
    if (own.id == 0 ||
        curve_decode_point(publicKey.out(), bytesOf(own.publicIdentityKey),
                           size_t(own.publicIdentityKey.size()), m_context.get()) < 0 ||
        curve_decode_private_point(privateKey.out(), bytesOf(own.privateIdentityKey),
                                   size_t(own.privateIdentityKey.size()), m_context.get()) < 0)
        return failure(Error::Code::EncryptionFailed, QStringLiteral("our identity key is unreadable"));
    m_ownDevice = own;
    m_identityPublic = serialized(publicKey.get());
    m_identityKey = toByteArray(Buffer(ec_public_key_get_mont(publicKey.get())));
    m_signedPreKeys = data.signedPreKeyPairs;
    m_preKeys = data.preKeyPairs;
    m_devices = data.devices;
    if (m_signedPreKeys.isEmpty() || m_preKeys.isEmpty())
        return createKeys();
    return Success{};
}

Result<Success> LegacyOmemoEngine::createKeys()
{
    Ref<ratchet_identity_key_pair> identity;
    if (signal_protocol_identity_get_key_pair(m_store, identity.out()) < 0)
        return failure(Error::Code::EncryptionFailed, QStringLiteral("our identity key is unreadable"));
    if (m_signedPreKeys.isEmpty()) {
        Ref<session_signed_pre_key> signedPreKey;
        if (signal_protocol_key_helper_generate_signed_pre_key(
                signedPreKey.out(), identity.get(), SignedPreKeyId,
                uint64_t(QDateTime::currentMSecsSinceEpoch()), m_context.get()) < 0 ||
            signal_protocol_signed_pre_key_store_key(m_store, signedPreKey.get()) < 0)
            return failure(Error::Code::EncryptionFailed, QStringLiteral("no signed pre-key"));
    }
    if (m_preKeys.isEmpty())
        return addPreKeys(1, PreKeyCount);
    return Success{};
}

Result<Success> LegacyOmemoEngine::addPreKeys(uint32_t firstId, uint32_t count)
{
    signal_protocol_key_helper_pre_key_list_node *head = nullptr;
    if (signal_protocol_key_helper_generate_pre_keys(&head, firstId, count, m_context.get()) < 0)
        return failure(Error::Code::EncryptionFailed, QStringLiteral("no pre-keys"));
    QHash<uint32_t, QByteArray> created;
    for (auto *node = head; node; node = signal_protocol_key_helper_key_list_next(node)) {
        session_pre_key *preKey = signal_protocol_key_helper_key_list_element(node);
        signal_buffer *record = nullptr;
        if (session_pre_key_serialize(&record, preKey) < 0)
            continue;
        created.insert(session_pre_key_get_id(preKey), toByteArray(Buffer(record)));
    }
    signal_protocol_key_helper_key_list_free(head);
    m_preKeys.insert(created);
    m_storage.addPreKeyPairs(created);
    return Success{};
}

void LegacyOmemoEngine::replacePreKey(uint32_t usedId)
{
    m_preKeys.remove(usedId);
    m_storage.removePreKeyPair(usedId);
    // Above every id used so far, so a contact holding our old bundle never meets a different key.
    uint32_t next = usedId;
    for (auto it = m_preKeys.cbegin(); it != m_preKeys.cend(); ++it)
        next = std::max(next, it.key());
    addPreKeys(next + 1, 1);
}

LegacyOmemo::Bundle LegacyOmemoEngine::bundle() const
{
    LegacyOmemo::Bundle bundle;
    bundle.identityKey = m_identityPublic;
    for (auto it = m_signedPreKeys.cbegin(); it != m_signedPreKeys.cend(); ++it) {
        Ref<session_signed_pre_key> signedPreKey;
        if (session_signed_pre_key_deserialize(signedPreKey.out(), bytesOf(it->data), size_t(it->data.size()),
                                               m_context.get()) < 0)
            continue;
        bundle.signedPreKeyId = it.key();
        bundle.signedPreKeyPublic =
            serialized(ec_key_pair_get_public(session_signed_pre_key_get_key_pair(signedPreKey.get())));
        bundle.signedPreKeySignature = QByteArray(
            reinterpret_cast<const char *>(session_signed_pre_key_get_signature(signedPreKey.get())),
            qsizetype(session_signed_pre_key_get_signature_len(signedPreKey.get())));
    }
    for (auto it = m_preKeys.cbegin(); it != m_preKeys.cend(); ++it) {
        Ref<session_pre_key> preKey;
        if (session_pre_key_deserialize(preKey.out(), bytesOf(it.value()), size_t(it.value().size()),
                                        m_context.get()) >= 0)
            bundle.preKeys.insert(
                it.key(), serialized(ec_key_pair_get_public(session_pre_key_get_key_pair(preKey.get()))));
    }
    return bundle;
}

bool LegacyOmemoEngine::hasSession(const Device &device) const
{
    const auto known = m_devices.value(device.jid).constFind(device.id);
    return known != m_devices.value(device.jid).cend() && !known->session.isEmpty();
}

QByteArray LegacyOmemoEngine::identityKeyOf(const Device &device) const
{
    return m_devices.value(device.jid).value(device.id).keyId;
}

void LegacyOmemoEngine::forgetDevice(const Device &device)
{
    if (m_devices[device.jid].remove(device.id))
        m_storage.removeDevice(device.jid, device.id);
}

void LegacyOmemoEngine::setDeviceList(const QString &jid, const QList<uint32_t> &ids)
{
    auto &devices = m_devices[jid];
    for (const uint32_t id : ids) {
        auto device = devices.find(id);
        if (device != devices.end() && !device->removalFromDeviceListDate.isValid())
            continue;
        devices[id].removalFromDeviceListDate = {};
        saveDevice(jid, id);
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (auto it = devices.begin(); it != devices.end(); ++it) {
        if (ids.contains(it.key()) || it->removalFromDeviceListDate.isValid())
            continue;
        it->removalFromDeviceListDate = now;
        saveDevice(jid, it.key());
    }
}

QList<uint32_t> LegacyOmemoEngine::activeDevices(const QString &jid) const
{
    QList<uint32_t> active;
    const auto devices = m_devices.value(jid);
    for (auto it = devices.cbegin(); it != devices.cend(); ++it) {
        if (!it->removalFromDeviceListDate.isValid())
            active.append(it.key());
    }
    std::sort(active.begin(), active.end());
    return active;
}

Result<Success> LegacyOmemoEngine::buildSession(const Device &device, const LegacyOmemo::Bundle &bundle)
{
    if (bundle.preKeys.isEmpty())
        return failure(Error::Code::EncryptionFailed, QStringLiteral("the bundle has no pre-keys"));
    const auto preKeyIds = bundle.preKeys.keys();
    const uint32_t preKeyId = preKeyIds.at(QRandomGenerator::system()->bounded(qsizetype(preKeyIds.size())));
    const QByteArray &preKeyData = bundle.preKeys.value(preKeyId);
    Ref<ec_public_key> preKey;
    Ref<ec_public_key> signedPreKey;
    Ref<ec_public_key> identity;
    if (curve_decode_point(preKey.out(), bytesOf(preKeyData), size_t(preKeyData.size()), m_context.get()) <
            0 ||
        curve_decode_point(signedPreKey.out(), bytesOf(bundle.signedPreKeyPublic),
                           size_t(bundle.signedPreKeyPublic.size()), m_context.get()) < 0 ||
        curve_decode_point(identity.out(), bytesOf(bundle.identityKey), size_t(bundle.identityKey.size()),
                           m_context.get()) < 0)
        return failure(Error::Code::EncryptionFailed, QStringLiteral("the bundle holds an invalid key"));
    Ref<session_pre_key_bundle> preKeyBundle;
    if (session_pre_key_bundle_create(preKeyBundle.out(), device.id, int(device.id), preKeyId, preKey.get(),
                                      bundle.signedPreKeyId, signedPreKey.get(),
                                      bytesOf(bundle.signedPreKeySignature),
                                      size_t(bundle.signedPreKeySignature.size()), identity.get()) < 0)
        return failure(Error::Code::EncryptionFailed, QStringLiteral("the bundle is unusable"));
    Address address(device);
    session_builder *builder = nullptr;
    if (session_builder_create(&builder, m_store, &address.address, m_context.get()) < 0)
        return failure(Error::Code::EncryptionFailed, QStringLiteral("out of memory"));
    session_builder_set_version(builder, LegacyVersion);
    const int result = session_builder_process_pre_key_bundle(builder, preKeyBundle.get());
    session_builder_free(builder);
    if (result < 0)
        return failure(Error::Code::EncryptionFailed,
                       result == SG_ERR_INVALID_KEY ? QStringLiteral("the bundle's signature is invalid")
                                                    : QStringLiteral("no session from the bundle"),
                       result);
    return Success{};
}

Result<QByteArray> LegacyOmemoEngine::encryptKey(const Device &device, const QByteArray &keyAndTag,
                                                 bool *preKey)
{
    Address address(device);
    session_cipher *cipher = nullptr;
    if (session_cipher_create(&cipher, m_store, &address.address, m_context.get()) < 0)
        return failure(Error::Code::EncryptionFailed, QStringLiteral("out of memory"));
    session_cipher_set_version(cipher, LegacyVersion);
    Ref<ciphertext_message> message;
    const int result =
        session_cipher_encrypt(cipher, bytesOf(keyAndTag), size_t(keyAndTag.size()), message.out());
    session_cipher_free(cipher);
    if (result < 0)
        return failure(Error::Code::EncryptionFailed, QStringLiteral("the session failed"), result);
    *preKey = ciphertext_message_get_type(message.get()) == CIPHERTEXT_PREKEY_TYPE;
    return toByteArray(ciphertext_message_get_serialized(message.get()));
}

Result<LegacyOmemoEngine::Encrypted> LegacyOmemoEngine::encrypt(const QList<Device> &recipients,
                                                                const QByteArray &plaintext)
{
    Encrypted encrypted;
    encrypted.element.senderDeviceId = m_ownDevice.id;
    encrypted.element.iv = AesGcm::randomBytes(IvLength);
    QByteArray keyAndTag = AesGcm::randomBytes(PayloadKeyLength);
    if (!plaintext.isEmpty()) {
        auto sealed = AesGcm::encrypt(keyAndTag, encrypted.element.iv, plaintext);
        if (!isOk(sealed))
            return errorOf(sealed);
        const QByteArray &ciphertextAndTag = std::get<QByteArray>(sealed);
        encrypted.element.payload = ciphertextAndTag.chopped(TagLength);
        // Conversations' layout: the tag travels with the key, not with the payload.
        keyAndTag += ciphertextAndTag.right(TagLength);
    } else {
        keyAndTag += AesGcm::randomBytes(TagLength);
    }
    for (const Device &device : recipients) {
        if (!hasSession(device)) {
            encrypted.failed.append(device);
            continue;
        }
        bool preKey = false;
        auto key = encryptKey(device, keyAndTag, &preKey);
        if (!isOk(key)) {
            qCWarning(lcCrypto) << "legacy OMEMO: no key for" << device.jid << device.id
                                << errorOf(key).detail;
            encrypted.failed.append(device);
            continue;
        }
        encrypted.element.keys.append({device.id, preKey, std::get<QByteArray>(key)});
    }
    if (encrypted.element.keys.isEmpty())
        return failure(Error::Code::EncryptionFailed, QStringLiteral("no device could receive a key"));
    return encrypted;
}

Result<QByteArray> LegacyOmemoEngine::decryptKey(const Device &sender, const LegacyOmemo::KeyElement &key)
{
    Address address(sender);
    session_cipher *cipher = nullptr;
    if (session_cipher_create(&cipher, m_store, &address.address, m_context.get()) < 0)
        return decryptionFailed(QStringLiteral("out of memory"));
    session_cipher_set_version(cipher, LegacyVersion);
    signal_buffer *plaintext = nullptr;
    int result = 0;
    if (key.preKey) {
        Ref<pre_key_signal_message> message;
        result = pre_key_signal_message_deserialize(message.out(), bytesOf(key.data), size_t(key.data.size()),
                                                    m_context.get());
        if (result >= 0)
            result =
                session_cipher_decrypt_pre_key_signal_message(cipher, message.get(), nullptr, &plaintext);
    } else {
        Ref<signal_message> message;
        result = signal_message_deserialize(message.out(), bytesOf(key.data), size_t(key.data.size()),
                                            m_context.get());
        if (result >= 0)
            result = session_cipher_decrypt_signal_message(cipher, message.get(), nullptr, &plaintext);
    }
    session_cipher_free(cipher);
    Buffer owned(plaintext);
    switch (result) {
    case SG_SUCCESS:
        return toByteArray(owned);
    case SG_ERR_DUPLICATE_MESSAGE:
        return decryptionFailed(QStringLiteral("replayed message"), result);
    case SG_ERR_NO_SESSION:
        return decryptionFailed(QStringLiteral("no session with the sending device"), result);
    case SG_ERR_INVALID_KEY_ID:
        return decryptionFailed(QStringLiteral("our pre-key is used up"), result);
    default:
        return decryptionFailed(QStringLiteral("the key element is invalid"), result);
    }
}

Result<LegacyOmemoEngine::Decrypted> LegacyOmemoEngine::decrypt(const QString &senderJid,
                                                                const LegacyOmemo::EncryptedElement &element)
{
    const LegacyOmemo::KeyElement *key = element.keyFor(m_ownDevice.id);
    if (!key)
        return decryptionFailed(QStringLiteral("not encrypted for this device"));
    const Device sender{senderJid, element.senderDeviceId};
    auto keyAndTag = decryptKey(sender, *key);
    if (!isOk(keyAndTag))
        return errorOf(keyAndTag);
    const QByteArray &material = std::get<QByteArray>(keyAndTag);
    Decrypted decrypted;
    decrypted.preKeyUsed = key->preKey;
    decrypted.identityKey = identityKeyOf(sender);
    if (!element.payload)
        return decrypted;
    // 32 bytes: key and tag (Conversations); 16 bytes: key only, the tag ends the payload (older clients).
    if (material.size() != PayloadKeyLength + TagLength && material.size() != PayloadKeyLength)
        return decryptionFailed(QStringLiteral("the payload key has %1 bytes").arg(material.size()));
    const QByteArray ciphertextAndTag = *element.payload + material.mid(PayloadKeyLength);
    auto plaintext = AesGcm::decrypt(material.left(PayloadKeyLength), element.iv, ciphertextAndTag);
    if (!isOk(plaintext))
        return decryptionFailed(QStringLiteral("the payload's tag does not match"));
    decrypted.plaintext = std::get<QByteArray>(plaintext);
    return decrypted;
}

void LegacyOmemoEngine::saveDevice(const QString &jid, uint32_t id)
{
    m_storage.addDevice(jid, id, m_devices.value(jid).value(id));
}

} // namespace Natter::Core
