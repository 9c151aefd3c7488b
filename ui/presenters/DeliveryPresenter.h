// SPDX-License-Identifier: GPL-3.0-or-later
// Words and times for messages: delivery states and the time shown next to a message.
#pragma once

#include "domain/ChatMessage.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QString>

namespace Natter::Ui {

class DeliveryPresenter
{
    Q_DECLARE_TR_FUNCTIONS(DeliveryPresenter)
public:
    static QString describe(Core::ChatMessage::Delivery delivery);
    // Local time; the date is added when it is not today.
    static QString formatTime(const QDateTime &timestamp);
    // Local time of day only (hours and minutes), where a day line already gives the date.
    static QString formatTimeOfDay(const QDateTime &timestamp);
};

} // namespace Natter::Ui
