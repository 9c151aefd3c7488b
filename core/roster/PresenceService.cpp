// SPDX-License-Identifier: GPL-3.0-or-later
#include "PresenceService.h"

#include <QDomElement>
#include <QXmppClient.h>
#include <QXmppPresence.h>
#include <QXmppUtils.h>
#include <algorithm>

namespace Natter::Core {

namespace {

const QString MucUserNs = QStringLiteral("http://jabber.org/protocol/muc#user");

QXmppPresence::AvailableStatusType statusTypeOf(PresenceShow show)
{
    switch (show) {
    case PresenceShow::Away:
        return QXmppPresence::Away;
    case PresenceShow::ExtendedAway:
        return QXmppPresence::XA;
    case PresenceShow::DoNotDisturb:
        return QXmppPresence::DND;
    case PresenceShow::Chat:
        return QXmppPresence::Chat;
    default:
        return QXmppPresence::Online;
    }
}

// Best first: highest priority, then most reachable, then the newest.
bool betterThan(const ResourcePresence &a, const ResourcePresence &b)
{
    if (a.priority != b.priority)
        return a.priority > b.priority;
    if (availabilityRank(a.show) != availabilityRank(b.show))
        return availabilityRank(a.show) > availabilityRank(b.show);
    return a.since > b.since;
}

bool isFromRoom(const QDomElement &stanza)
{
    for (QDomElement x = stanza.firstChildElement(QStringLiteral("x")); !x.isNull();
         x = x.nextSiblingElement(QStringLiteral("x")))
        if (x.namespaceURI() == MucUserNs)
            return true;
    return false;
}

} // namespace

PresenceShow presenceShowOf(const QXmppPresence &presence)
{
    switch (presence.availableStatusType()) {
    case QXmppPresence::Away:
        return PresenceShow::Away;
    case QXmppPresence::XA:
        return PresenceShow::ExtendedAway;
    case QXmppPresence::DND:
        return PresenceShow::DoNotDisturb;
    case QXmppPresence::Chat:
        return PresenceShow::Chat;
    default:
        return PresenceShow::Available;
    }
}

PresenceService::PresenceService(const QString &account)
    : m_account(account)
{}

PresenceService::~PresenceService() = default;

QXmppPresence PresenceService::clientPresence() const
{
    QXmppPresence presence(QXmppPresence::Available);
    presence.setAvailableStatusType(statusTypeOf(m_own.show));
    presence.setStatusText(m_own.status);
    presence.setPriority(m_own.priority);
    if (!m_photoHash.isEmpty()) {
        presence.setVCardUpdateType(QXmppPresence::VCardUpdateValidPhoto);
        presence.setPhotoHash(QByteArray::fromHex(m_photoHash.toLatin1()));
    }
    return presence;
}

void PresenceService::setOwnPresence(const OwnPresence &presence)
{
    if (presence == m_own)
        return;
    m_own = presence;
    // Only while online: QXmppClient would otherwise start a connection of its own (Account decides when to
    // connect, and sends this presence when it does).
    if (presence.show != PresenceShow::Offline && client() && client()->isConnected())
        client()->setClientPresence(clientPresence());
    Q_EMIT ownPresenceChanged(m_own);
}

void PresenceService::setPhotoHash(const QString &sha1Hex)
{
    if (sha1Hex == m_photoHash)
        return;
    m_photoHash = sha1Hex;
    if (m_own.show != PresenceShow::Offline && client() && client()->isConnected())
        client()->setClientPresence(clientPresence());
}

ContactPresence PresenceService::presence(const QString &bareJid) const
{
    const auto it = m_contacts.constFind(bareJid);
    if (it != m_contacts.cend())
        return *it;
    ContactPresence offline;
    offline.account = m_account;
    offline.jid = bareJid;
    return offline;
}

QList<ContactPresence> PresenceService::onlineContacts() const
{
    return m_contacts.values();
}

void PresenceService::clear()
{
    if (m_contacts.isEmpty())
        return;
    m_contacts.clear();
    Q_EMIT allOffline();
}

void PresenceService::forget(const QString &bareJid)
{
    if (m_contacts.contains(bareJid))
        removeResource(bareJid, QString(), true);
}

bool PresenceService::handleStanza(const QDomElement &stanza)
{
    if (stanza.tagName() != QLatin1String("presence") || isFromRoom(stanza))
        return false;
    const QString type = stanza.attribute(QStringLiteral("type"));
    const bool unavailable = type == QLatin1String("unavailable") || type == QLatin1String("error");
    if (!type.isEmpty() && !unavailable)
        return false; // subscriptions and probes are someone else's
    const QString from = stanza.attribute(QStringLiteral("from"));
    const QString bare = QXmppUtils::jidToBareJid(from).toLower();
    // Our own other devices are not contacts.
    if (bare.isEmpty() || bare == m_account)
        return false;
    const QString resource = QXmppUtils::jidToResource(from);
    if (unavailable) {
        removeResource(bare, resource, type == QLatin1String("error"));
        return false;
    }
    QXmppPresence presence;
    presence.parse(stanza);
    ResourcePresence entry;
    entry.resource = resource;
    entry.show = presenceShowOf(presence);
    entry.status = presence.statusText();
    entry.priority = presence.priority();
    entry.capsNode = presence.capabilityNode();
    entry.capsHash = presence.capabilityHash();
    entry.capsVerification = QString::fromLatin1(presence.capabilityVer().toBase64());
    entry.since = QDateTime::currentDateTimeUtc();
    updateResource(bare, entry);
    return false;
}

void PresenceService::updateResource(const QString &bare, const ResourcePresence &entry)
{
    auto it = m_contacts.find(bare);
    if (it == m_contacts.end()) {
        ContactPresence contact;
        contact.account = m_account;
        contact.jid = bare;
        it = m_contacts.insert(bare, contact);
    }
    auto &resources = it->resources;
    resources.removeIf([&entry](const ResourcePresence &r) { return r.resource == entry.resource; });
    resources.insert(std::upper_bound(resources.begin(), resources.end(), entry, betterThan), entry);
    Q_EMIT presenceChanged(*it);
}

void PresenceService::removeResource(const QString &bare, const QString &resource, bool wholeContact)
{
    auto it = m_contacts.find(bare);
    if (it == m_contacts.end())
        return;
    if (wholeContact || resource.isEmpty())
        it->resources.clear();
    else
        it->resources.removeIf([&resource](const ResourcePresence &r) { return r.resource == resource; });
    const ContactPresence changed = *it;
    if (changed.resources.isEmpty())
        m_contacts.erase(it);
    Q_EMIT presenceChanged(changed);
}

} // namespace Natter::Core
