// SPDX-License-Identifier: GPL-3.0-or-later
#include "OnlineAccount.h"

#include "account/Account.h"
#include "domain/ConnectionState.h"

#include <QTest>

namespace Natter::Test {

std::unique_ptr<Core::Account> storelessAccount(const TestServer &server, const QString &user)
{
    auto account = std::make_unique<Core::Account>(server.accountConfig(user));
    account->setPassword(server.account(user).password);
    account->setAdditionalCaCertificates(server.caCertificates());
    return account;
}

bool goOnline(Core::Account *account, int timeoutMs)
{
    account->connectToServer();
    return QTest::qWaitFor([account] { return account->state() == Core::ConnectionState::Online; },
                           timeoutMs);
}

std::unique_ptr<Core::Account> onlineAccount(const TestServer &server, const QString &user)
{
    auto account = storelessAccount(server, user);
    return goOnline(account.get()) ? std::move(account) : nullptr;
}

} // namespace Natter::Test
