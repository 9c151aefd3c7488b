// SPDX-License-Identifier: GPL-3.0-or-later
#include "CapsService.h"

#include "common/Logging.h"
#include "disco/DiscoInfo.h"
#include "disco/EntityCaps.h"
#include "storage/CapsRepository.h"

#include <QXmppClient.h>
#include <QXmppPresence.h>
#include <QXmppTask.h>

namespace Natter::Core {

CapsService::CapsService() = default;
CapsService::~CapsService() = default;

void CapsService::setStore(CapsRepository *store)
{
    m_store = store;
}

QStringList CapsService::features(const QString &fullJid) const
{
    return m_jidFeatures.value(fullJid);
}

bool CapsService::hasFeature(const QString &fullJid, const QString &feature) const
{
    return m_jidFeatures.value(fullJid).contains(feature);
}

bool CapsService::isKnown(const QString &fullJid) const
{
    return m_jidFeatures.contains(fullJid);
}

bool CapsService::handleStanza(const QDomElement &)
{
    return false; // presences go on to every other listener
}

void CapsService::onRegistered(QXmppClient *client)
{
    QXmppClientExtension::onRegistered(client);
    connect(client, &QXmppClient::presenceReceived, this, &CapsService::handlePresence);
}

void CapsService::onUnregistered(QXmppClient *client)
{
    disconnect(client, nullptr, this, nullptr);
    QXmppClientExtension::onUnregistered(client);
}

void CapsService::handlePresence(const QXmppPresence &presence)
{
    const QString from = presence.from();
    if (presence.type() == QXmppPresence::Unavailable) {
        m_jidFeatures.remove(from);
        m_jidKey.remove(from);
        return;
    }
    if (presence.type() != QXmppPresence::Available || presence.capabilityVer().isEmpty())
        return;
    const QString algorithm = presence.capabilityHash();
    const QString verification = QString::fromLatin1(presence.capabilityVer().toBase64());
    const QString key = algorithm + u' ' + verification;
    if (m_jidKey.value(from) == key && m_jidFeatures.contains(from))
        return;
    m_jidKey.insert(from, key);
    lookUp(from, key, algorithm, presence.capabilityNode(), verification);
}

void CapsService::lookUp(const QString &fullJid, const QString &key, const QString &algorithm,
                         const QString &node, const QString &verification)
{
    if (const auto cached = m_cache.constFind(key); cached != m_cache.constEnd()) {
        assign(fullJid, *cached);
        return;
    }
    if (auto pending = m_pending.find(key); pending != m_pending.end()) {
        if (!pending->contains(fullJid))
            pending->append(fullJid);
        return;
    }
    m_pending.insert(key, {fullJid});
    if (!m_store) {
        ask(fullJid, key, algorithm, node, verification);
        return;
    }
    m_store->load(algorithm, verification)
        .then(this, [this, fullJid, key, algorithm, node,
                     verification](const Result<std::optional<QString>> &result) {
            if (isOk(result)) {
                if (const auto &info = std::get<std::optional<QString>>(result); info) {
                    if (const auto query = EntityCaps::fromXml(*info);
                        query && EntityCaps::verifies(*query, algorithm, verification)) {
                        const QStringList features = DiscoInfo::fromQuery(*query).features;
                        m_cache.insert(key, features);
                        for (const QString &jid : m_pending.take(key))
                            assign(jid, features);
                        return;
                    }
                }
            }
            ask(fullJid, key, algorithm, node, verification);
        });
}

void CapsService::ask(const QString &fullJid, const QString &key, const QString &algorithm,
                      const QString &node, const QString &verification)
{
    if (!client() || !client()->isConnected()) {
        m_pending.remove(key);
        return;
    }
    // An empty node: the caps node was refused (e.g. "Unknown node"); ask the entity itself.
    askDiscoInfo(*client(), this, fullJid, node.isEmpty() ? QString() : node + u'#' + verification)
        .then(this, [this, fullJid, key, algorithm, node, verification](Result<DiscoInfo> &&result) {
            // Only a refusal by the entity is retried, never a lost connection (the client may be going
            // away).
            if (!isOk(result) && !node.isEmpty() && errorOf(result).code == Error::Code::RequestRefused &&
                client() && client()->isConnected()) {
                ask(fullJid, key, algorithm, {}, verification);
                return;
            }
            const QStringList waiting = m_pending.take(key);
            if (!isOk(result)) {
                qCDebug(lcRoster) << "no disco#info from" << fullJid << errorOf(result).detail;
                return;
            }
            const auto &info = std::get<DiscoInfo>(result);
            if (!EntityCaps::verifies(info.query, algorithm, verification)) {
                // Used for that JID only; others announcing the same hash ask for themselves.
                qCWarning(lcRoster) << "caps of" << fullJid << "do not verify; not cached";
                assign(fullJid, info.features);
                return;
            }
            m_cache.insert(key, info.features);
            if (m_store)
                m_store->save(algorithm, verification, EntityCaps::toXml(info.query));
            for (const QString &jid : waiting)
                if (m_jidKey.value(jid) == key)
                    assign(jid, info.features);
        });
}

void CapsService::assign(const QString &fullJid, const QStringList &features)
{
    m_jidFeatures.insert(fullJid, features);
    Q_EMIT featuresChanged(fullJid);
}

} // namespace Natter::Core
