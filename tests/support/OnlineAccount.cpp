// SPDX-License-Identifier: GPL-3.0-or-later
#include "OnlineAccount.h"

#include "TestProfile.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "account/LoginCheck.h"
#include "domain/ConnectionState.h"
#include "storage/Database.h"

#include <QSignalSpy>
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

Core::Account *addOnlineAccount(Core::AccountManager &manager, const TestServer &server, const QString &user)
{
    const auto added = waitFor(manager.addAccount(server.accountConfig(user), server.account(user).password));
    if (!Core::isOk(added))
        return nullptr;
    Core::Account *account = std::get<Core::Account *>(added);
    return goOnline(account) ? account : nullptr;
}

Core::Error tryLogin(Core::AccountManager &manager, const TestServer &server, const QString &jid,
                     const QString &password)
{
    Core::AccountConfig config = server.accountConfig(QStringLiteral("x"));
    config.jid = jid;
    auto *check = manager.checkLogin(config, password);
    QSignalSpy finished(check, &Core::LoginCheck::finished);
    if (!finished.wait(20000))
        return Core::Error(Core::Error::Code::Timeout);
    return finished.first().first().value<Core::Error>();
}

} // namespace Natter::Test
