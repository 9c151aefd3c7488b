// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop app as a user starts it, on a profile of its own with one account of the test server, and
// online: what the UI tests against the server start from.
#pragma once

#include "Application.h"
#include "OnlineAccount.h"
#include "TestProfile.h"
#include "TestServer.h"
#include "account/Account.h"
#include "account/AccountManager.h"

#include <QTest>
#include <memory>
#include <optional>

namespace Natter::Test {

struct RunningApp
{
    std::unique_ptr<TestProfile> profile;
    std::unique_ptr<App::Application> app;
    Core::Account *account = nullptr;
};

// nullopt when the profile could not be made or the account did not come online in time.
inline std::optional<RunningApp> startApp(const TestServer &server, const QString &user,
                                          int timeoutMs = 20000)
{
    RunningApp running;
    running.profile = std::make_unique<TestProfile>();
    if (!addAccountToProfile(server, user, running.profile->path()))
        return std::nullopt;
    running.app = std::make_unique<App::Application>(running.profile->path(), server.caCertificates());
    running.app->start();
    Core::AccountManager &accounts = running.app->accountManager();
    if (!QTest::qWaitFor([&] { return !accounts.accounts().isEmpty(); }, timeoutMs))
        return std::nullopt;
    running.account = accounts.accounts().first();
    if (!QTest::qWaitFor([&] { return running.account->state() == Core::ConnectionState::Online; },
                         timeoutMs))
        return std::nullopt;
    return running;
}

} // namespace Natter::Test
