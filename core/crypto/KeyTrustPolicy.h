// SPDX-License-Identifier: GPL-3.0-or-later
// The trust level an OMEMO identity key gets when it is first seen, recorded in the trust storage as
// QXmpp's OMEMO manager records a new OMEMO 2 key: by the security policy (Toakafa: trusted until the owner
// has an authenticated key, then distrusted; no policy: distrusted until the user decides). For legacy keys
// (eu.siacs.conversations.axolotl), which QXmpp never sees, and for OMEMO 2 keys we read from a bundle
// before QXmpp met them. A legacy key that is the same identity as the device's OMEMO 2 key gets the
// decision already made on that one.
#pragma once

#include <QFuture>
#include <QHash>
#include <QObject>
#include <QXmppTrustLevel.h>
#include <memory>

class QXmppOmemoStorage;
class QXmppTrustStorage;

namespace Natter::Core {

class KeyTrustPolicy : public QObject
{
    Q_OBJECT
public:
    // The levels a device's key needs to be encrypted for: what QXmpp's OMEMO manager accepts by default.
    static constexpr QXmpp::TrustLevels AcceptedLevels = QXmpp::TrustLevel::AutomaticallyTrusted |
                                                         QXmpp::TrustLevel::ManuallyTrusted |
                                                         QXmpp::TrustLevel::Authenticated;
    static QString legacyNamespace();
    static QString omemo2Namespace();

    // omemo2Storage: where QXmpp keeps the OMEMO 2 devices (their Ed25519 keys by device id).
    KeyTrustPolicy(QXmppTrustStorage &trust, QXmppOmemoStorage &omemo2Storage, QObject *parent = nullptr);

    // The trust level of each legacy device key (device id → 32-byte Curve25519 key) of ownerJid; keys
    // nobody decided on yet are recorded first. Finishes on this object's thread.
    QFuture<QHash<uint32_t, QXmpp::TrustLevel>> legacyLevels(const QString &ownerJid,
                                                             const QHash<uint32_t, QByteArray> &keys);
    // The same for OMEMO 2 keys (device id → Ed25519 key).
    QFuture<QHash<uint32_t, QXmpp::TrustLevel>> omemo2Levels(const QString &ownerJid,
                                                             const QHash<uint32_t, QByteArray> &keys);

Q_SIGNALS:
    // A key of ownerJid's device was recorded for the first time, with level.
    void keyRecorded(const QString &ownerJid, uint32_t deviceId, QXmpp::TrustLevel level);

private:
    struct Lookup;
    QFuture<QHash<uint32_t, QXmpp::TrustLevel>> levels(const std::shared_ptr<Lookup> &lookup);
    void decide(const std::shared_ptr<Lookup> &lookup);
    void record(const std::shared_ptr<Lookup> &lookup, const QHash<uint32_t, QByteArray> &omemo2KeysById);

    QXmppTrustStorage &m_trust;
    QXmppOmemoStorage &m_omemo2Storage;
};

} // namespace Natter::Core
