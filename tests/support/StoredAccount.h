// SPDX-License-Identifier: GPL-3.0-or-later
// An account with a profile and a message store of its own, as the application runs it.
#pragma once

#include "TestProfile.h"
#include "TestServer.h"
#include "domain/ChatMessage.h"

#include <memory>
#include <optional>

namespace Natter::Core {
class Account;
class AccountManager;
} // namespace Natter::Core

namespace Natter::Test {

class StoredAccount
{
public:
    // Opens a temporary profile holding user's account and connects it; isOnline() tells whether it worked.
    StoredAccount(const TestServer &server, const QString &user);
    ~StoredAccount();

    bool isOnline() const;
    Core::Account *account() const { return m_account; }
    Core::AccountManager &manager() const { return *m_manager; }
    QString jid() const;

    // The stored messages of the conversation with peer (a room's when kind says so), oldest first (at most
    // 200).
    QList<Core::ChatMessage> messagesWith(const QString &peer,
                                          Core::ConversationKind kind = Core::ConversationKind::Chat) const;
    // The stored message of that conversation with that id or origin-id.
    std::optional<Core::ChatMessage> message(const QString &peer, const QString &id) const;
    // The unread count of the conversation with peer (-1 when there is none).
    int unreadWith(const QString &peer) const;

private:
    TestProfile m_profile;
    std::unique_ptr<Core::AccountManager> m_manager;
    Core::Account *m_account = nullptr;
};

// A new account named prefix plus a random suffix, online with a profile and store; nullptr when that failed.
std::unique_ptr<StoredAccount> newOnlineUser(TestServer &server, const QString &prefix);
// The same with OMEMO set up (both versions published, ready to encrypt).
std::unique_ptr<StoredAccount> newEncryptedUser(TestServer &server, const QString &prefix);

} // namespace Natter::Test
