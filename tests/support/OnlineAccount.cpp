// SPDX-License-Identifier: GPL-3.0-or-later
#include "OnlineAccount.h"

#include "TestProfile.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "domain/ConnectionState.h"
#include "storage/Database.h"

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

std::unique_ptr<Core::Account> onlineAccount(const TestServer &server, const QString &user,
                                             const QString &resource)
{
    Core::AccountConfig config = server.accountConfig(user);
    if (!resource.isEmpty())
        config.resource = resource;
    auto account = std::make_unique<Core::Account>(config);
    account->setPassword(server.account(user).password);
    account->setAdditionalCaCertificates(server.caCertificates());
    return goOnline(account.get()) ? std::move(account) : nullptr;
}

bool addAccountToProfile(const TestServer &server, const QString &user, const QString &path)
{
    Core::AccountManager manager(path);
    if (!Core::isOk(waitFor(manager.open())))
        return false;
    Core::AccountConfig config = server.accountConfig(user);
    config.passwordStorage = Core::AccountConfig::PasswordStorage::ProfileFile;
    const bool added = Core::isOk(waitFor(manager.addAccount(config, server.account(user).password)));
    manager.database().waitForIdle();
    return added;
}

} // namespace Natter::Test
