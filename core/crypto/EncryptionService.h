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
class LegacyOmemoService;
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

    LegacyOmemoService &legacy() { return *m_legacy; }
    QXmppOmemoManager &omemo2() { return *m_omemo2; }

Q_SIGNALS:
    void ready();
    // The devices of jid changed (either version).
    void devicesChanged(const QString &bareJid);

private:
    void startLegacy();
    QFuture<Result<Prepared>> encryptFor(const QXmppMessage &stanza, const ConversationKey &conversation,
                                         bool required);
    QFuture<Result<Prepared>> encryptBoth(const QXmppMessage &stanza, const QString &peer, bool tryOmemo2);

    QXmppClient &m_client;
    QString m_accountJid;
    std::unique_ptr<OmemoStorage> m_omemo2Storage;
    std::unique_ptr<OmemoStorage> m_legacyStorage;
    std::unique_ptr<TrustStorage> m_trustStorage;
    std::unique_ptr<ConversationRepository> m_conversations;
    QXmppAtmManager *m_trust = nullptr;
    QXmppOmemoManager *m_omemo2 = nullptr;
    LegacyOmemoService *m_legacy = nullptr;
    QSet<QString> m_omemo2Lists; // JIDs whose OMEMO 2 device list we asked for
    bool m_loaded = false;
    bool m_ready = false;
};

} // namespace Natter::Core
