// SPDX-License-Identifier: GPL-3.0-or-later
#include "StoredAccount.h"

#include "OnlineAccount.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "crypto/EncryptionService.h"
#include "storage/ConversationRepository.h"
#include "storage/MessageRepository.h"

#include <QTest>

namespace Natter::Test {

using namespace Natter::Core;

StoredAccount::StoredAccount(const TestServer &server, const QString &user)
    : m_manager(std::make_unique<AccountManager>(m_profile.path()))
{
    m_manager->setAdditionalCaCertificates(server.caCertificates());
    if (!isOk(waitFor(m_manager->open())) ||
        !isOk(waitFor(m_manager->addAccount(server.accountConfig(user), server.account(user).password)))) {
        qWarning() << "cannot open a profile for" << user;
        return;
    }
    m_account = m_manager->account(server.jid(user));
    if (m_account && !goOnline(m_account))
        qWarning() << user << "did not come online";
}

StoredAccount::~StoredAccount() = default;

bool StoredAccount::isOnline() const
{
    return m_account && m_account->state() == ConnectionState::Online;
}

QString StoredAccount::jid() const
{
    return m_account ? m_account->jid() : QString();
}

QList<ChatMessage> StoredAccount::messagesWith(const QString &peer, ConversationKind kind) const
{
    const auto page = waitFor(m_manager->messageStore().before({jid(), peer, kind}, std::nullopt, 200));
    if (!isOk(page))
        return {};
    QList<ChatMessage> messages = std::get<QList<ChatMessage>>(page);
    std::reverse(messages.begin(), messages.end());
    return messages;
}

std::optional<ChatMessage> StoredAccount::message(const QString &peer, const QString &id) const
{
    const auto found = waitFor(m_manager->messageStore().findByReference({jid(), peer}, id));
    return isOk(found) ? std::get<std::optional<ChatMessage>>(found) : std::nullopt;
}

int StoredAccount::unreadWith(const QString &peer) const
{
    const auto list = waitFor(m_manager->conversationStore().conversations(jid()));
    if (!isOk(list))
        return -1;
    for (const ConversationSummary &summary : std::get<QList<ConversationSummary>>(list)) {
        if (summary.key.peer == peer)
            return summary.unread;
    }
    return -1;
}

std::unique_ptr<StoredAccount> newOnlineUser(TestServer &server, const QString &prefix)
{
    const auto user = server.registerAccount(prefix);
    if (!user)
        return nullptr;
    auto account = std::make_unique<StoredAccount>(server, *user);
    return account->isOnline() ? std::move(account) : nullptr;
}

std::unique_ptr<StoredAccount> newEncryptedUser(TestServer &server, const QString &prefix)
{
    auto user = newOnlineUser(server, prefix);
    if (!user || !user->account()->encryption())
        return nullptr;
    auto *encryption = user->account()->encryption();
    if (!QTest::qWaitFor([encryption] { return encryption->isReady(); }, 20000))
        return nullptr;
    return user;
}

} // namespace Natter::Test
