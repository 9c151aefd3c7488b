// SPDX-License-Identifier: GPL-3.0-or-later
#include "SubscriptionService.h"

#include "RosterService.h"
#include "account/Invitation.h"

#include <QDomElement>
#include <QXmppClient.h>
#include <QXmppPresence.h>
#include <QXmppUtils.h>

namespace Natter::Core {

namespace {

bool theySeeOurs(const std::optional<RosterItem> &item)
{
    return item && (item->subscription == RosterItem::Subscription::From ||
                    item->subscription == RosterItem::Subscription::Both);
}

bool weSeeTheirs(const std::optional<RosterItem> &item)
{
    return item && (item->subscription == RosterItem::Subscription::To ||
                    item->subscription == RosterItem::Subscription::Both);
}

QString nickOf(const QDomElement &stanza)
{
    for (QDomElement nick = stanza.firstChildElement(QStringLiteral("nick")); !nick.isNull();
         nick = nick.nextSiblingElement(QStringLiteral("nick")))
        if (nick.namespaceURI() == QLatin1String("http://jabber.org/protocol/nick"))
            return nick.text().trimmed();
    return {};
}

} // namespace

SubscriptionService::SubscriptionService(const QString &account, RosterService &roster)
    : m_account(account)
    , m_roster(roster)
{
    // Answered on another of our devices: the roster now says they see our presence.
    auto settleIfAnswered = [this](const RosterItem &item) {
        if (theySeeOurs(item))
            settle(item.jid);
    };
    connect(&m_roster, &RosterService::itemAdded, this, settleIfAnswered);
    connect(&m_roster, &RosterService::itemChanged, this, settleIfAnswered);
}

SubscriptionService::~SubscriptionService() = default;

bool SubscriptionService::handleStanza(const QDomElement &stanza)
{
    if (stanza.tagName() != QLatin1String("presence"))
        return false;
    const QString type = stanza.attribute(QStringLiteral("type"));
    const QString jid = QXmppUtils::jidToBareJid(stanza.attribute(QStringLiteral("from"))).toLower();
    if (jid.isEmpty() || jid == m_account)
        return false;
    if (type == QLatin1String("subscribe")) {
        handleRequest(jid, stanza);
        return true;
    }
    if (type == QLatin1String("unsubscribe")) {
        // They withdrew their request (or stopped following us): nothing is left to answer.
        settle(jid);
        return true;
    }
    // subscribed / unsubscribed: the roster push that follows carries the new state.
    return type == QLatin1String("subscribed") || type == QLatin1String("unsubscribed");
}

void SubscriptionService::handleRequest(const QString &jid, const QDomElement &stanza)
{
    // Already allowed (the server normally answers these itself): confirm, no prompt.
    if (theySeeOurs(m_roster.item(jid))) {
        send(jid, QXmppPresence::Subscribed);
        return;
    }
    if (m_invitedBy.remove(jid)) {
        approve(jid);
        return;
    }
    const auto known = std::find_if(m_pending.cbegin(), m_pending.cend(),
                                    [&jid](const SubscriptionRequest &r) { return r.jid == jid; });
    if (known != m_pending.cend())
        return; // redelivered at login
    QXmppPresence presence;
    presence.parse(stanza);
    SubscriptionRequest request{m_account, jid, presence.statusText().left(1000), nickOf(stanza).left(100)};
    m_pending.append(request);
    Q_EMIT requestReceived(request);
}

void SubscriptionService::settle(const QString &jid)
{
    const auto removed = m_pending.removeIf([&jid](const SubscriptionRequest &r) { return r.jid == jid; });
    if (removed > 0)
        Q_EMIT requestSettled(jid);
}

void SubscriptionService::send(const QString &jid, QXmppPresence::Type type, const QString &status)
{
    QXmppPresence presence(type);
    presence.setTo(jid);
    presence.setStatusText(status);
    client()->sendPacket(presence);
}

void SubscriptionService::approve(const QString &jid)
{
    send(jid, QXmppPresence::Subscribed);
    const auto item = m_roster.item(jid);
    if (!weSeeTheirs(item) && !(item && item->askSubscribe))
        send(jid, QXmppPresence::Subscribe);
    settle(jid);
}

void SubscriptionService::deny(const QString &jid)
{
    send(jid, QXmppPresence::Unsubscribed);
    settle(jid);
}

void SubscriptionService::requestSubscription(const QString &jid, const QString &message,
                                              const QString &preauthToken)
{
    // The server adds them to the roster with ask="subscribe" (RFC 6121 3.1.2).
    QXmppPresence presence(QXmppPresence::Subscribe);
    presence.setTo(jid);
    presence.setStatusText(message);
    if (!preauthToken.isEmpty()) {
        presence.setExtensions({preauthElement(preauthToken)});
        m_invitedBy.insert(jid);
    }
    client()->sendPacket(presence);
}

void SubscriptionService::preApprove(const QString &jid)
{
    send(jid, QXmppPresence::Subscribed);
}

void SubscriptionService::cancelSubscription(const QString &jid)
{
    send(jid, QXmppPresence::Unsubscribe);
}

void SubscriptionService::revokeSubscription(const QString &jid)
{
    send(jid, QXmppPresence::Unsubscribed);
}

void SubscriptionService::fixHalfSubscription(const QString &jid)
{
    const auto item = m_roster.item(jid);
    if (!weSeeTheirs(item))
        requestSubscription(jid);
    // They cannot be made to ask; allowing it in advance means their request is approved at once.
    if (!theySeeOurs(item))
        preApprove(jid);
}

} // namespace Natter::Core
