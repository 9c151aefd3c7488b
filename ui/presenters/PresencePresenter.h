// SPDX-License-Identifier: GPL-3.0-or-later
// Words and colours for presence and subscription states.
#pragma once

#include "domain/Contact.h"
#include "domain/Presence.h"

#include <QColor>
#include <QCoreApplication>
#include <QString>

namespace Natter::Ui {

class PresencePresenter
{
    Q_DECLARE_TR_FUNCTIONS(PresencePresenter)
public:
    static QString showText(Core::PresenceShow show);
    static QColor showColor(Core::PresenceShow show);
    // Who sees whose presence, in words; with what a one-click fix would do for a half subscription.
    static QString subscriptionText(const Core::RosterItem &item);
};

} // namespace Natter::Ui
