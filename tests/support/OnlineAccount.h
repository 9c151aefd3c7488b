// SPDX-License-Identifier: GPL-3.0-or-later
// Accounts on the test server without a profile or store: other devices, contacts, archive readers.
#pragma once

#include "TestServer.h"
#include "common/Error.h"

#include <memory>

namespace Natter::Core {
class Account;
class AccountManager;
} // namespace Natter::Core

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

// Adds user's account to manager's profile and waits until it is online; nullptr when either failed.
Core::Account *addOnlineAccount(Core::AccountManager &manager, const TestServer &server, const QString &user);
// Logs in once as jid with password over the test server's loopback address (nothing is stored); the
// outcome, Timeout when none came.
Core::Error tryLogin(Core::AccountManager &manager, const TestServer &server, const QString &jid,
                     const QString &password);

} // namespace Natter::Test
