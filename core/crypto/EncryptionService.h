// SPDX-License-Identifier: GPL-3.0-or-later
// End-to-end encryption for one account: sets up OMEMO 2 (QXmpp's manager, with XEP-0450 trust) and legacy
// OMEMO 0.3 (ours) on one device identity, keeps each conversation's choice, and turns outgoing messages
// into encrypted ones — or refuses, never falling back to plain text behind the user's back.
#pragma once

#include "common/Result.h"
#include "domain/ChatMessage.h"
#include "storage/ConversationRepository.h"

#include <QFuture>
#include <QObject>
#include <QSet>
#include <QXmppMessage.h>
#include <memory>

class QXmppClient;
class QXmppOmemoManager;
class QXmppAtmManager;

namespace Natter::Core {

class Database;
class DeviceTrustService;
class KeyTrustPolicy;
class LegacyOmemoService;
class MucService;
class OmemoStorage;
class TrustStorage;

class EncryptionService : public QObject
{
    Q_OBJECT
public:
    // Adds the trust and OMEMO managers to client (which must already have its PubSub manager).
    EncryptionService(QXmppClient &client, QString accountJid, Database &db, QObject *parent = nullptr);
    ~EncryptionService() override;

    // Takes the OMEMO managers out of the client before it goes: QXmpp 1.10 runs a pending set-up's next
    // step (a publish) while the stream is being destroyed, which crashes.
    void detach();

    // Loads the keys; the first connection creates them. ready() once both versions can work.
    void start();
    bool isReady() const { return m_ready; }

    QFuture<Result<EncryptionChoice>> choice(const ConversationKey &conversation);
    QFuture<Result<Success>> setChoice(const ConversationKey &conversation, EncryptionChoice choice);

    // What send() does with message in conversation: the stanza to send (encrypted, or as it was when the
    // conversation is not encrypted) and how it was encrypted. EncryptionUnavailable when it must be
    // encrypted and cannot be.
    struct Prepared
    {
        QXmppMessage stanza;
        ChatMessage::Encryption encryption = ChatMessage::Encryption::None;
    };
    QFuture<Result<Prepared>> prepare(const QXmppMessage &stanza, const ConversationKey &conversation);
    // Whether a message in the conversation would be encrypted now: when the user turned encryption on, and
    // when it is automatic and the peer (in a members-only, non-anonymous room: every reader) announces
    // devices. True also when it is on but cannot be done (the message then fails rather than go out in
    // plain text).
    QFuture<bool> willEncrypt(const ConversationKey &conversation);

    // Encrypted group chats need the rooms: who reads them and whether they are private.
    void setRooms(MucService *rooms) { m_rooms = rooms; }
    // Whether message (from a room) carries an OMEMO element of either version.
    bool isEncrypted(const QXmppMessage &message) const;
    // Reads an encrypted room message whose sender's real JID is senderJid: the message with its body, or
    // message itself when it cannot be read (the store then shows a notice).
    QFuture<QXmppMessage> decryptRoomMessage(const QXmppMessage &message, const QString &senderJid);
    // The same for a message whose sender is one of candidates (an archived room message from someone who
    // has left): the one of them with a device of the id the message names, if exactly one has.
    QFuture<QXmppMessage> decryptRoomMessage(const QXmppMessage &message, const QStringList &candidates);
    // Reads an archived message of ours (MAM catch-up), either version: as decryptRoomMessage() does. A
    // plain message comes back at once.
    QFuture<QXmppMessage> decryptArchived(const QXmppMessage &message);

    LegacyOmemoService &legacy() { return *m_legacy; }
    QXmppOmemoManager &omemo2() { return *m_omemo2; }
    // The devices of each contact and of our account, and the user's trust decisions on them.
    DeviceTrustService &deviceTrust() { return *m_deviceTrust; }

    // What DeviceTrustService works on: the account, the trust manager and the stores behind both versions.
    const QString &accountJid() const { return m_accountJid; }
    QXmppClient &client() { return m_client; }
    QXmppAtmManager &trustManager() { return *m_trust; }
    OmemoStorage &omemo2Storage() { return *m_omemo2Storage; }
    TrustStorage &trustStorage() { return *m_trustStorage; }
    KeyTrustPolicy &keyTrustPolicy() { return *m_keyTrustPolicy; }

Q_SIGNALS:
    void ready();
    // The devices of jid changed (either version).
    void devicesChanged(const QString &bareJid);

private:
    void startLegacy();
    QFuture<Result<Prepared>> prepareForRoom(const QXmppMessage &stanza, const ConversationKey &room,
                                             EncryptionChoice choice);
    // Encrypts for every device of peers (and ours). When not required, a message to someone without
    // devices goes as it was.
    QFuture<Result<Prepared>> encryptFor(const QXmppMessage &stanza, const ConversationKey &conversation,
                                         const QStringList &peers, bool required);
    struct PeerDevices
    {
        bool everyone = false;  // every peer announces devices, in either version
        bool anyOmemo2 = false; // some device speaks OMEMO 2
    };
    // Fetches device lists not seen yet, then tells what the peers announce.
    QFuture<PeerDevices> devicesOf(const QStringList &peers);
    QFuture<Result<Prepared>> encryptBoth(const QXmppMessage &stanza, const QStringList &peers,
                                          bool tryOmemo2);

    QXmppClient &m_client;
    QString m_accountJid;
    std::unique_ptr<OmemoStorage> m_omemo2Storage;
    std::unique_ptr<OmemoStorage> m_legacyStorage;
    std::unique_ptr<TrustStorage> m_trustStorage;
    std::unique_ptr<ConversationRepository> m_conversations;
    QXmppAtmManager *m_trust = nullptr;
    QXmppOmemoManager *m_omemo2 = nullptr;
    LegacyOmemoService *m_legacy = nullptr;
    MucService *m_rooms = nullptr;
    QSet<QString> m_omemo2Lists; // JIDs whose OMEMO 2 device list we asked for
    bool m_loaded = false;
    bool m_ready = false;
    std::unique_ptr<KeyTrustPolicy> m_keyTrustPolicy;
    std::unique_ptr<DeviceTrustService> m_deviceTrust; // last: it uses everything above
};

} // namespace Natter::Core
