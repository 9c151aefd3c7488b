// SPDX-License-Identifier: GPL-3.0-or-later
// Words and times for messages: delivery states and the time shown next to a message.
#include "DeliveryPresenter.h"

#include <QLocale>

namespace Natter::Ui {

using Core::ChatMessage;

QString DeliveryPresenter::describe(ChatMessage::Delivery delivery)
{
    switch (delivery) {
    case ChatMessage::Delivery::Pending:
        return tr("Sending…");
    case ChatMessage::Delivery::Sent:
        return tr("Sent");
    case ChatMessage::Delivery::Acknowledged:
        return tr("Delivered to the server");
    case ChatMessage::Delivery::Failed:
        return tr("Not sent");
    case ChatMessage::Delivery::Received:
        return tr("Delivered");
    case ChatMessage::Delivery::Displayed:
        return tr("Read");
    }
    return {};
}

namespace {
// Some locales' short format still has seconds; a chat needs minutes only.
QString minutesFormat(const QLocale &locale)
{
    QString timeFormat = locale.timeFormat(QLocale::ShortFormat);
    timeFormat.remove(QStringLiteral(":ss")).remove(QStringLiteral(".ss"));
    return timeFormat;
}
} // namespace

QString DeliveryPresenter::formatTime(const QDateTime &timestamp)
{
    const QDateTime local = timestamp.toLocalTime();
    const QLocale locale;
    if (local.date() == QDate::currentDate())
        return locale.toString(local.time(), minutesFormat(locale));
    return locale.toString(local.date(), QLocale::ShortFormat) + u' ' +
           locale.toString(local.time(), minutesFormat(locale));
}

QString DeliveryPresenter::formatTimeOfDay(const QDateTime &timestamp)
{
    const QLocale locale;
    return locale.toString(timestamp.toLocalTime().time(), minutesFormat(locale));
}

} // namespace Natter::Ui
