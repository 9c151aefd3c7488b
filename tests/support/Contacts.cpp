// SPDX-License-Identifier: GPL-3.0-or-later
#include "Contacts.h"

#include "account/Account.h"
#include "roster/RosterService.h"
#include "roster/SubscriptionService.h"

#include <QSignalSpy>

namespace Natter::Test {

using Core::RosterItem;

bool succeeded(QXmppTask<Core::Result<Core::Success>> task)
{
    const auto result = waitTask(std::move(task));
    if (result && !Core::isOk(*result))
        qWarning() << "request failed:" << Core::errorOf(*result).codeName() << Core::errorOf(*result).detail;
    return result && Core::isOk(*result);
}

RosterItem::Subscription subscriptionOf(Core::Account *account, const QString &jid)
{
    const auto item = account->roster().item(jid);
    return item ? item->subscription : RosterItem::Subscription::None;
}

bool makeMutualContacts(Core::Account *user, Core::Account *other, int timeoutMs)
{
    if (!QTest::qWaitFor([&] { return user->roster().isLoaded() && other->roster().isLoaded(); },
                         timeoutMs)) {
        qWarning() << "the rosters did not load";
        return false;
    }
    QSignalSpy asked(&other->subscriptions(), &Core::SubscriptionService::requestReceived);
    user->subscriptions().requestSubscription(other->jid());
    user->subscriptions().preApprove(other->jid());
    if (!asked.wait(timeoutMs)) {
        qWarning() << other->jid() << "got no subscription request";
        return false;
    }
    other->subscriptions().approve(user->jid());
    const bool both = QTest::qWaitFor(
        [&] {
            return subscriptionOf(user, other->jid()) == RosterItem::Subscription::Both &&
                   subscriptionOf(other, user->jid()) == RosterItem::Subscription::Both;
        },
        timeoutMs);
    if (!both)
        qWarning() << "the subscription did not end in both";
    return both;
}

} // namespace Natter::Test
