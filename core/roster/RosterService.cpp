// SPDX-License-Identifier: GPL-3.0-or-later
#include "RosterService.h"

#include "common/Logging.h"
#include "common/XmppError.h"
#include "storage/RosterRepository.h"

#include <QDomElement>
#include <QXmppClient.h>
#include <QXmppPromise.h>
#include <QXmppRosterIq.h>
#include <QXmppUtils.h>

namespace Natter::Core {

namespace {

const QString RosterNs = QStringLiteral("jabber:iq:roster");

RosterItem::Subscription subscriptionOf(QXmppRosterIq::Item::SubscriptionType type)
{
    switch (type) {
    case QXmppRosterIq::Item::To:
        return RosterItem::Subscription::To;
    case QXmppRosterIq::Item::From:
        return RosterItem::Subscription::From;
    case QXmppRosterIq::Item::Both:
        return RosterItem::Subscription::Both;
    default:
        return RosterItem::Subscription::None;
    }
}

RosterItem itemFrom(const QString &account, const QXmppRosterIq::Item &source)
{
    RosterItem item;
    item.account = account;
    item.jid = source.bareJid().toLower();
    item.name = source.name();
    QStringList groups(source.groups().cbegin(), source.groups().cend());
    groups.sort(Qt::CaseInsensitive);
    item.groups = groups;
    item.subscription = subscriptionOf(source.subscriptionType());
    item.askSubscribe = source.subscriptionStatus() == QLatin1String("subscribe");
    item.preApproved = source.isApproved();
    return item;
}

QXmppRosterIq setIq(const QString &jid, const QString &name, const QStringList &groups)
{
    QXmppRosterIq::Item item;
    item.setBareJid(jid);
    item.setName(name);
    item.setGroups(QSet<QString>(groups.cbegin(), groups.cend()));
    item.setSubscriptionType(QXmppRosterIq::Item::NotSet);
    QXmppRosterIq iq;
    iq.setType(QXmppIq::Set);
    iq.addItem(item);
    return iq;
}

void logStoreError(const Result<Success> &result)
{
    if (!isOk(result))
        qCWarning(lcRoster) << "storing the roster failed:" << errorOf(result).detail;
}

} // namespace

RosterService::RosterService(const QString &account)
    : m_account(account)
{}

RosterService::~RosterService() = default;

void RosterService::setStore(RosterRepository *store)
{
    m_store = store;
    if (!m_store)
        return;
    m_store->load(m_account).then(this, [this](const Result<StoredRoster> &result) {
        if (!isOk(result)) {
            qCWarning(lcRoster) << "loading the stored roster failed:" << errorOf(result).detail;
            return;
        }
        // A roster from the server may have arrived meanwhile: it is newer.
        if (m_loaded)
            return;
        const auto &stored = std::get<StoredRoster>(result);
        m_version = stored.version;
        m_items.clear();
        for (const RosterItem &item : stored.items)
            m_items.insert(item.jid, item);
        m_loaded = true;
        Q_EMIT rosterReset();
    });
}

std::optional<RosterItem> RosterService::item(const QString &jid) const
{
    const auto it = m_items.constFind(jid);
    return it == m_items.cend() ? std::nullopt : std::optional(*it);
}

QStringList RosterService::groups() const
{
    QSet<QString> groups;
    for (const RosterItem &item : m_items)
        for (const QString &group : item.groups)
            groups.insert(group);
    QStringList sorted(groups.cbegin(), groups.cend());
    sorted.sort(Qt::CaseInsensitive);
    return sorted;
}

void RosterService::fetch()
{
    QXmppRosterIq iq;
    iq.setType(QXmppIq::Get);
    // Only a server that gave us a version knows roster versioning (RFC 6121 2.6): the first request has
    // none and gets the whole roster with its version.
    if (!m_version.isEmpty())
        iq.setVersion(m_version);
    client()->sendIq(std::move(iq)).then(this, [this](QXmppClient::IqResult &&result) {
        if (const auto *error = std::get_if<QXmppError>(&result)) {
            qCWarning(lcRoster) << "roster request failed:" << error->description;
            Q_EMIT fetchFailed(requestError(*error));
            return;
        }
        const QDomElement element = std::get<QDomElement>(result);
        if (element.firstChildElement(QStringLiteral("query")).isNull()) {
            // Our version is current: the stored roster stands, changes come as pushes.
            m_loaded = true;
            Q_EMIT rosterReset();
            return;
        }
        QXmppRosterIq roster;
        roster.parse(element);
        applyFullRoster(roster);
    });
}

void RosterService::applyFullRoster(const QXmppRosterIq &iq)
{
    QHash<QString, RosterItem> items;
    items.reserve(iq.items().size());
    for (const QXmppRosterIq::Item &source : iq.items()) {
        RosterItem item = itemFrom(m_account, source);
        if (!item.jid.isEmpty())
            items.insert(item.jid, item);
    }
    m_items = std::move(items);
    m_version = iq.version();
    m_loaded = true;
    if (m_store)
        m_store->replace(m_account, m_version, m_items.values()).then(this, logStoreError);
    Q_EMIT rosterReset();
}

bool RosterService::handleStanza(const QDomElement &stanza)
{
    if (stanza.tagName() != QLatin1String("iq") ||
        stanza.attribute(QStringLiteral("type")) != QLatin1String("set") ||
        stanza.firstChildElement(QStringLiteral("query")).namespaceURI() != RosterNs)
        return false;
    const QString from = stanza.attribute(QStringLiteral("from"));
    QXmppRosterIq push;
    push.parse(stanza);
    // RFC 6121 2.1.6: a push from anyone but our own server (no from, or our bare JID) is forged.
    if (!from.isEmpty() && QXmppUtils::jidToBareJid(from).toLower() != m_account) {
        qCWarning(lcRoster) << "ignored a roster push from" << from;
        QXmppIq error(QXmppIq::Error);
        error.setId(push.id());
        error.setTo(from);
        error.setError(
            QXmppStanza::Error(QXmppStanza::Error::Cancel, QXmppStanza::Error::ServiceUnavailable));
        client()->sendPacket(error);
        return true;
    }
    QXmppIq result(QXmppIq::Result);
    result.setId(push.id());
    result.setTo(from);
    client()->sendPacket(result);
    if (push.items().size() != 1)
        return true; // RFC 6121 2.1.6: exactly one item, else ignore
    applyPush(push.version(), push.items().first());
    return true;
}

void RosterService::applyPush(const QString &version, const QXmppRosterIq::Item &source)
{
    RosterItem item = itemFrom(m_account, source);
    if (item.jid.isEmpty())
        return;
    if (!version.isEmpty())
        m_version = version;
    if (source.subscriptionType() == QXmppRosterIq::Item::Remove) {
        if (m_items.remove(item.jid) == 0)
            return;
        if (m_store)
            m_store->remove(m_account, m_version, item.jid).then(this, logStoreError);
        Q_EMIT itemRemoved(item.jid);
        return;
    }
    const bool known = m_items.contains(item.jid);
    if (known && m_items.value(item.jid) == item)
        return;
    m_items.insert(item.jid, item);
    if (m_store)
        m_store->save(m_account, m_version, item).then(this, logStoreError);
    if (known)
        Q_EMIT itemChanged(item);
    else
        Q_EMIT itemAdded(item);
}

QXmppTask<Result<Success>> RosterService::send(QXmppRosterIq &&iq)
{
    QXmppPromise<Result<Success>> promise;
    auto task = promise.task();
    if (!client() || !client()->isConnected()) {
        promise.finish(Error(Error::Code::NotConnected, m_account));
        return task;
    }
    client()->sendIq(std::move(iq)).then(this, [promise](QXmppClient::IqResult &&result) mutable {
        if (const auto *error = std::get_if<QXmppError>(&result))
            promise.finish(requestError(*error));
        else
            promise.finish(Success{});
    });
    return task;
}

QXmppTask<Result<Success>> RosterService::add(const QString &jid, const QString &name,
                                              const QStringList &groups)
{
    return send(setIq(jid, name, groups));
}

QXmppTask<Result<Success>> RosterService::rename(const QString &jid, const QString &name)
{
    const auto existing = item(jid);
    if (!existing)
        return send(setIq(jid, name, {}));
    return send(setIq(jid, name, existing->groups));
}

QXmppTask<Result<Success>> RosterService::setGroups(const QString &jid, const QStringList &groups)
{
    const auto existing = item(jid);
    return send(setIq(jid, existing ? existing->name : QString(), groups));
}

QXmppTask<Result<Success>> RosterService::remove(const QString &jid)
{
    QXmppRosterIq::Item item;
    item.setBareJid(jid);
    item.setSubscriptionType(QXmppRosterIq::Item::Remove);
    QXmppRosterIq iq;
    iq.setType(QXmppIq::Set);
    iq.addItem(item);
    return send(std::move(iq));
}

} // namespace Natter::Core
