// SPDX-License-Identifier: GPL-3.0-or-later
#include "KeyTrustPolicy.h"

#include "Fingerprint.h"
#include "LegacyOmemoElements.h"
#include "common/Logging.h"

#include <QPromise>
#include <QXmppOmemoStorage.h>
#include <QXmppTrustStorage.h>

namespace Natter::Core {

using QXmpp::TrustLevel;
using KeysByOwner = QHash<QString, QHash<QByteArray, TrustLevel>>;

struct KeyTrustPolicy::Lookup
{
    QString encryption;
    QString owner;
    QHash<uint32_t, QByteArray> keys;
    QHash<uint32_t, TrustLevel> levels;
    QList<uint32_t> undecided;
    QXmpp::TrustSecurityPolicy policy = QXmpp::NoSecurityPolicy;
    QHash<QByteArray, TrustLevel> omemo2Levels; // the owner's OMEMO 2 keys (Ed25519), for legacy keys
    bool ownerHasAuthenticatedKey = false;
    QPromise<QHash<uint32_t, TrustLevel>> promise;

    void finish()
    {
        promise.addResult(levels);
        promise.finish();
    }
};

QString KeyTrustPolicy::legacyNamespace()
{
    return LegacyOmemo::Namespace.toString();
}

QString KeyTrustPolicy::omemo2Namespace()
{
    return QStringLiteral("urn:xmpp:omemo:2");
}

KeyTrustPolicy::KeyTrustPolicy(QXmppTrustStorage &trust, QXmppOmemoStorage &omemo2Storage, QObject *parent)
    : QObject(parent)
    , m_trust(trust)
    , m_omemo2Storage(omemo2Storage)
{}

QFuture<QHash<uint32_t, TrustLevel>> KeyTrustPolicy::legacyLevels(const QString &ownerJid,
                                                                  const QHash<uint32_t, QByteArray> &keys)
{
    auto lookup = std::make_shared<Lookup>();
    lookup->encryption = legacyNamespace();
    lookup->owner = ownerJid;
    lookup->keys = keys;
    return levels(lookup);
}

QFuture<QHash<uint32_t, TrustLevel>> KeyTrustPolicy::omemo2Levels(const QString &ownerJid,
                                                                  const QHash<uint32_t, QByteArray> &keys)
{
    auto lookup = std::make_shared<Lookup>();
    lookup->encryption = omemo2Namespace();
    lookup->owner = ownerJid;
    lookup->keys = keys;
    return levels(lookup);
}

QFuture<QHash<uint32_t, TrustLevel>> KeyTrustPolicy::levels(const std::shared_ptr<Lookup> &lookup)
{
    lookup->promise.start();
    auto future = lookup->promise.future();
    if (lookup->keys.isEmpty()) {
        lookup->finish();
        return future;
    }
    m_trust.keys(lookup->encryption, {lookup->owner}).then(this, [this, lookup](KeysByOwner &&stored) {
        const auto owned = stored.value(lookup->owner);
        for (auto it = lookup->keys.cbegin(); it != lookup->keys.cend(); ++it) {
            // Undecided is what QXmpp decides again whenever it meets the key.
            const TrustLevel level = owned.value(it.value(), TrustLevel::Undecided);
            if (level == TrustLevel::Undecided)
                lookup->undecided.append(it.key());
            else
                lookup->levels.insert(it.key(), level);
        }
        for (const TrustLevel level : owned)
            lookup->ownerHasAuthenticatedKey |= level == TrustLevel::Authenticated;
        if (lookup->undecided.isEmpty())
            return lookup->finish();
        decide(lookup);
    });
    return future;
}

void KeyTrustPolicy::decide(const std::shared_ptr<Lookup> &lookup)
{
    m_trust.securityPolicy(lookup->encryption).then(this, [this, lookup](QXmpp::TrustSecurityPolicy policy) {
        lookup->policy = policy;
        // QXmpp looks at OMEMO 2's authenticated keys only; a legacy key also at those of OMEMO 2.
        if (lookup->encryption == omemo2Namespace())
            return record(lookup, {});
        m_trust.keys(omemo2Namespace(), {lookup->owner}).then(this, [this, lookup](KeysByOwner &&stored) {
            lookup->omemo2Levels = stored.value(lookup->owner);
            for (const TrustLevel level : std::as_const(lookup->omemo2Levels))
                lookup->ownerHasAuthenticatedKey |= level == TrustLevel::Authenticated;
            m_omemo2Storage.allData().then(this, [this, lookup](QXmppOmemoStorage::OmemoData &&data) {
                QHash<uint32_t, QByteArray> omemo2Keys;
                const auto devices = data.devices.value(lookup->owner);
                for (auto device = devices.cbegin(); device != devices.cend(); ++device)
                    omemo2Keys.insert(device.key(), device->keyId);
                record(lookup, omemo2Keys);
            });
        });
    });
}

void KeyTrustPolicy::record(const std::shared_ptr<Lookup> &lookup,
                            const QHash<uint32_t, QByteArray> &omemo2KeysById)
{
    const TrustLevel byPolicy = lookup->policy == QXmpp::Toakafa && !lookup->ownerHasAuthenticatedKey
                                    ? TrustLevel::AutomaticallyTrusted
                                    : TrustLevel::AutomaticallyDistrusted;
    QHash<TrustLevel, QMultiHash<QString, QByteArray>> byLevel;
    for (const uint32_t id : std::as_const(lookup->undecided)) {
        const QByteArray key = lookup->keys.value(id);
        TrustLevel level = TrustLevel::Undecided;
        const QByteArray omemo2Key = omemo2KeysById.value(id);
        if (!omemo2Key.isEmpty() && Fingerprint::curveFromEd25519(omemo2Key) == key)
            level = lookup->omemo2Levels.value(omemo2Key, TrustLevel::Undecided);
        if (level == TrustLevel::Undecided)
            level = byPolicy;
        lookup->levels.insert(id, level);
        byLevel[level].insert(lookup->owner, key);
    }
    auto remaining = std::make_shared<qsizetype>(byLevel.size());
    for (auto it = byLevel.cbegin(); it != byLevel.cend(); ++it) {
        m_trust.setTrustLevel(lookup->encryption, it.value(), it.key())
            .then(this, [this, lookup, remaining](auto &&) {
                if (--*remaining > 0)
                    return;
                for (const uint32_t id : std::as_const(lookup->undecided)) {
                    qCDebug(lcCrypto) << lookup->encryption << "key of" << lookup->owner << id
                                      << "recorded as" << int(lookup->levels.value(id));
                    Q_EMIT keyRecorded(lookup->owner, id, lookup->levels.value(id));
                }
                lookup->finish();
            });
    }
}

} // namespace Natter::Core
