// SPDX-License-Identifier: GPL-3.0-or-later
// A new profile for a benchmark: one account of the test server, its password in the profile, not connected.
#pragma once

#include "Await.h"
#include "TestServer.h"
#include "account/AccountManager.h"
#include "storage/Database.h"

namespace Natter::Bench {

inline bool createProfile(const Test::TestServer &server, const QString &user, const QString &password,
                          const QString &path)
{
    Core::AccountManager manager(path);
    if (!Core::isOk(await(manager.open())))
        return false;
    Core::AccountConfig config = server.accountConfig(user);
    config.passwordStorage = Core::AccountConfig::PasswordStorage::ProfileFile;
    const bool added = Core::isOk(await(manager.addAccount(config, password)));
    manager.database().waitForIdle();
    return added;
}

} // namespace Natter::Bench
