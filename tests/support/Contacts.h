// SPDX-License-Identifier: GPL-3.0-or-later
// Test helpers around contacts: waiting for a task, the subscription between two accounts, making two
// online accounts contacts of each other.
#pragma once

#include "common/Result.h"
#include "domain/Contact.h"

#include <QTest>
#include <QXmppTask.h>
#include <optional>

namespace Natter::Core {
class Account;
}

namespace Natter::Test {

// The task's result, or nullopt when it did not finish in time (the event loop runs meanwhile).
template <typename T> std::optional<T> waitTask(QXmppTask<T> task, int timeoutMs = 10000)
{
    if (!QTest::qWaitFor([&task] { return task.isFinished(); }, timeoutMs))
        return std::nullopt;
    return task.result();
}

// Whether the task finished in time with success; a failure is logged with its error.
bool succeeded(QXmppTask<Core::Result<Core::Success>> task);

// What account's roster says about jid (None when jid is not in it).
Core::RosterItem::Subscription subscriptionOf(Core::Account *account, const QString &jid);

// user asks for other's presence and allows its own in advance; other approves: both end in "both".
// False (with a warning saying where it stopped) when that did not happen in time.
bool makeMutualContacts(Core::Account *user, Core::Account *other, int timeoutMs = 10000);

} // namespace Natter::Test
