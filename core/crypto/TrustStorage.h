// SPDX-License-Identifier: GPL-3.0-or-later
// QXmpp's trust storage (XEP-0450 included) on the profile database: one account's trust in keys.
#pragma once

#include <QObject>
#include <QString>
#include <QXmppAtmTrustStorage.h>
#include <QXmppTask.h>

namespace Natter::Core {

class Database;

// Rows are keyed by encryption namespace, so legacy OMEMO and OMEMO 2 keep separate trust. Every call runs
// on the database thread; its task finishes on the thread that owns this object. The interface has no error
// channel: a failed query is logged and the task finishes with what an empty storage answers.
// Behaves like QXmppAtmTrustMemoryStorage, except that adding a key again replaces its trust level (the
// memory storage keeps both entries).
class TrustStorage : public QXmppAtmTrustStorage
{
public:
    TrustStorage(Database &db, QString accountJid);

    QXmppTask<void> setSecurityPolicy(const QString &encryption,
                                      QXmpp::TrustSecurityPolicy securityPolicy) override;
    QXmppTask<void> resetSecurityPolicy(const QString &encryption) override;
    QXmppTask<QXmpp::TrustSecurityPolicy> securityPolicy(const QString &encryption) override;
    // Whether a policy is stored for encryption (securityPolicy() answers NoSecurityPolicy without one
    // too); true when it cannot be read.
    QXmppTask<bool> hasSecurityPolicy(const QString &encryption);

    QXmppTask<void> setOwnKey(const QString &encryption, const QByteArray &keyId) override;
    QXmppTask<void> resetOwnKey(const QString &encryption) override;
    QXmppTask<QByteArray> ownKey(const QString &encryption) override;

    QXmppTask<void>
    addKeys(const QString &encryption, const QString &keyOwnerJid, const QList<QByteArray> &keyIds,
            QXmpp::TrustLevel trustLevel = QXmpp::TrustLevel::AutomaticallyDistrusted) override;
    QXmppTask<void> removeKeys(const QString &encryption, const QList<QByteArray> &keyIds) override;
    QXmppTask<void> removeKeys(const QString &encryption, const QString &keyOwnerJid) override;
    QXmppTask<void> removeKeys(const QString &encryption) override;
    QXmppTask<QHash<QXmpp::TrustLevel, QMultiHash<QString, QByteArray>>>
    keys(const QString &encryption, QXmpp::TrustLevels trustLevels = {}) override;
    QXmppTask<QHash<QString, QHash<QByteArray, QXmpp::TrustLevel>>>
    keys(const QString &encryption, const QList<QString> &keyOwnerJids,
         QXmpp::TrustLevels trustLevels = {}) override;
    QXmppTask<bool> hasKey(const QString &encryption, const QString &keyOwnerJid,
                           QXmpp::TrustLevels trustLevels) override;

    QXmppTask<QHash<QString, QMultiHash<QString, QByteArray>>>
    setTrustLevel(const QString &encryption, const QMultiHash<QString, QByteArray> &keyIds,
                  QXmpp::TrustLevel trustLevel) override;
    QXmppTask<QHash<QString, QMultiHash<QString, QByteArray>>>
    setTrustLevel(const QString &encryption, const QList<QString> &keyOwnerJids,
                  QXmpp::TrustLevel oldTrustLevel, QXmpp::TrustLevel newTrustLevel) override;
    QXmppTask<QXmpp::TrustLevel> trustLevel(const QString &encryption, const QString &keyOwnerJid,
                                            const QByteArray &keyId) override;

    QXmppTask<void> resetAll(const QString &encryption) override;

    QXmppTask<void>
    addKeysForPostponedTrustDecisions(const QString &encryption, const QByteArray &senderKeyId,
                                      const QList<QXmppTrustMessageKeyOwner> &keyOwners) override;
    QXmppTask<void>
    removeKeysForPostponedTrustDecisions(const QString &encryption,
                                         const QList<QByteArray> &keyIdsForAuthentication,
                                         const QList<QByteArray> &keyIdsForDistrusting) override;
    QXmppTask<void> removeKeysForPostponedTrustDecisions(const QString &encryption,
                                                         const QList<QByteArray> &senderKeyIds) override;
    QXmppTask<void> removeKeysForPostponedTrustDecisions(const QString &encryption) override;
    QXmppTask<QHash<bool, QMultiHash<QString, QByteArray>>>
    keysForPostponedTrustDecisions(const QString &encryption,
                                   const QList<QByteArray> &senderKeyIds = {}) override;

private:
    Database &m_db;
    QString m_accountJid;
    // Continuations run in its thread, so each task finishes where it was asked for.
    QObject m_context;
};

} // namespace Natter::Core
