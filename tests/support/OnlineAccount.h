// SPDX-License-Identifier: GPL-3.0-or-later
// Accounts on the test server without a profile or store: other devices, contacts, archive readers.
#pragma once

#include "TestServer.h"

#include <memory>

namespace Natter::Core {
class Account;
}

namespace Natter::Test {

// user's account on server (trusting its CA), not connected and keeping nothing.
std::unique_ptr<Core::Account> storelessAccount(const TestServer &server, const QString &user);
// Connects and waits until the account is online; false when it did not get there in time.
bool goOnline(Core::Account *account, int timeoutMs = 20000);
// Both: an online storeless account, or nullptr; resource names the device when given.
std::unique_ptr<Core::Account> onlineAccount(const TestServer &server, const QString &user,
                                             const QString &resource = {});
// Saves user's account (password kept in the profile) into the profile at path; false when that failed.
bool addAccountToProfile(const TestServer &server, const QString &user, const QString &path);

} // namespace Natter::Test
