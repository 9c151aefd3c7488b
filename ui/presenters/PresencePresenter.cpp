// SPDX-License-Identifier: GPL-3.0-or-later
#include "PresencePresenter.h"

namespace Natter::Ui {

using Core::PresenceShow;
using Core::RosterItem;

QString PresencePresenter::showText(PresenceShow show)
{
    switch (show) {
    case PresenceShow::Available:
        return tr("Available");
    case PresenceShow::Chat:
        return tr("Free for chat");
    case PresenceShow::Away:
        return tr("Away");
    case PresenceShow::ExtendedAway:
        return tr("Extended away");
    case PresenceShow::DoNotDisturb:
        return tr("Do not disturb");
    case PresenceShow::Offline:
        break;
    }
    return tr("Offline");
}

QColor PresencePresenter::showColor(PresenceShow show)
{
    switch (show) {
    case PresenceShow::Available:
    case PresenceShow::Chat:
        return QColor(0x2e, 0xa0, 0x43);
    case PresenceShow::Away:
        return QColor(0xe0, 0x9b, 0x1a);
    case PresenceShow::ExtendedAway:
        return QColor(0xc0, 0x6a, 0x1a);
    case PresenceShow::DoNotDisturb:
        return QColor(0xd0, 0x3b, 0x3b);
    case PresenceShow::Offline:
        break;
    }
    return QColor(0x9a, 0x9a, 0x9a);
}

QString PresencePresenter::subscriptionText(const RosterItem &item)
{
    QString text;
    switch (item.subscription) {
    case RosterItem::Subscription::Both:
        return tr("You see each other's presence.");
    case RosterItem::Subscription::To:
        text = tr("You see their presence; they do not see yours.");
        break;
    case RosterItem::Subscription::From:
        text = tr("They see your presence; you do not see theirs.");
        break;
    case RosterItem::Subscription::None:
        text = tr("Neither of you sees the other's presence.");
        break;
    }
    if (item.askSubscribe)
        text += u' ' + tr("Your request to see their presence is waiting for their answer.");
    return text;
}

} // namespace Natter::Ui
