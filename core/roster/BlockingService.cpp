// SPDX-License-Identifier: GPL-3.0-or-later
#include "BlockingService.h"

#include "common/JidValidator.h"
#include "common/Logging.h"
#include "common/XmppError.h"

#include <QXmppBlockingManager.h>
#include <QXmppClient.h>
#include <QXmppPromise.h>

namespace Natter::Core {

BlockingService::BlockingService(QXmppClient &client, QXmppBlockingManager &manager, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_manager(manager)
{
    // Pushes: our own changes and those of our other devices.
    connect(&m_manager, &QXmppBlockingManager::blocked, this, [this](const QVector<QString> &jids) {
        for (const QString &jid : jids)
            m_blocked.insert(jid);
        Q_EMIT blockListChanged();
    });
    connect(&m_manager, &QXmppBlockingManager::unblocked, this, [this](const QVector<QString> &jids) {
        for (const QString &jid : jids)
            m_blocked.remove(jid);
        Q_EMIT blockListChanged();
    });
}

QStringList BlockingService::blockedJids() const
{
    QStringList jids(m_blocked.cbegin(), m_blocked.cend());
    jids.sort();
    return jids;
}

void BlockingService::fetch()
{
    m_manager.fetchBlocklist().then(this, [this](QXmppBlockingManager::BlocklistResult &&result) {
        if (const auto *error = std::get_if<QXmppError>(&result)) {
            qCWarning(lcRoster) << "block list request failed:" << error->description;
            Q_EMIT fetchFailed(requestError(*error));
            return;
        }
        const QVector<QString> entries = std::get<QXmppBlocklist>(result).entries();
        m_blocked = QSet<QString>(entries.cbegin(), entries.cend());
        m_loaded = true;
        Q_EMIT blockListChanged();
    });
}

QXmppTask<Result<Success>> BlockingService::block(const QString &jid)
{
    return change(jid, true);
}

QXmppTask<Result<Success>> BlockingService::unblock(const QString &jid)
{
    return change(jid, false);
}

QXmppTask<Result<Success>> BlockingService::change(const QString &jid, bool block)
{
    QXmppPromise<Result<Success>> promise;
    auto task = promise.task();
    const QString entry = JidValidator::normalizedBareJid(jid.trimmed());
    // A whole domain ("spam.example") is a JID too, and a valid entry.
    if (JidValidator::checkJid(entry) != JidValidator::Problem::None) {
        promise.finish(Error(Error::Code::InvalidJid, jid));
        return task;
    }
    if (!m_client.isConnected()) {
        promise.finish(Error(Error::Code::NotConnected));
        return task;
    }
    auto request = block ? m_manager.block(entry) : m_manager.unblock(entry);
    request.then(this, [promise](QXmppBlockingManager::Result &&result) mutable {
        if (const auto *error = std::get_if<QXmppError>(&result))
            promise.finish(requestError(*error));
        else
            promise.finish(Success{});
    });
    return task;
}

} // namespace Natter::Core
