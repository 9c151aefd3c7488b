// SPDX-License-Identifier: GPL-3.0-or-later
#include "CallPresenter.h"

#include "ErrorPresenter.h"

namespace Natter::Ui {

using Core::Calls::Call;
using Core::Calls::CallRecord;

QString CallPresenter::duration(qint64 milliseconds)
{
    const qint64 seconds = std::max<qint64>(0, milliseconds / 1000);
    const qint64 hours = seconds / 3600;
    const QString minutesAndSeconds = QStringLiteral("%1:%2")
                                          .arg(hours ? (seconds / 60) % 60 : seconds / 60)
                                          .arg(seconds % 60, 2, 10, QLatin1Char('0'));
    if (!hours)
        return minutesAndSeconds;
    return QStringLiteral("%1:%2").arg(hours).arg(minutesAndSeconds.rightJustified(5, u'0'));
}

QString CallPresenter::stateText(const Call &call)
{
    const bool video = call.hasVideo();
    switch (call.state()) {
    case Call::State::Proposing:
        return tr("Calling…");
    case Call::State::Ringing:
        if (call.direction() == Call::Direction::Outgoing)
            return tr("Ringing…");
        return video ? tr("Incoming video call") : tr("Incoming audio call");
    case Call::State::Connecting:
        return tr("Connecting…");
    case Call::State::Connected: {
        if (call.isReconnecting())
            return tr("Reconnecting…");
        const QString elapsed = duration(call.durationMs());
        if (call.counters().candidateType == u"relay")
            return tr("Connected via relay · %1").arg(elapsed);
        return tr("Connected · %1").arg(elapsed);
    }
    case Call::State::Ended:
        return endText(call);
    }
    return {};
}

QString CallPresenter::endText(const Call &call)
{
    using Reason = Call::EndReason;
    switch (call.endReason()) {
    case Reason::None:
        return {};
    case Reason::HungUp:
    case Reason::RemoteHungUp:
        if (call.connectedAt().isValid())
            return tr("Call ended · %1").arg(duration(call.durationMs()));
        return tr("Call ended");
    case Reason::Declined:
        return tr("You declined the call");
    case Reason::RemoteDeclined:
        return tr("The call was declined");
    case Reason::Busy:
        return tr("Busy: in another call");
    case Reason::Cancelled:
        return tr("Call cancelled");
    case Reason::Crossed:
        return tr("You called each other at once: taking their call");
    case Reason::Missed:
        return tr("Missed call");
    case Reason::NoAnswer:
        return tr("No answer");
    case Reason::AnsweredElsewhere:
        return tr("Answered on another device");
    case Reason::DeclinedElsewhere:
        return tr("Declined on another device");
    case Reason::Failed:
        return tr("Call failed: %1").arg(ErrorPresenter::describe(call.error()));
    }
    return {};
}

QString CallPresenter::recordText(const CallRecord &record)
{
    using Outcome = CallRecord::Outcome;
    const bool video = record.video;
    switch (record.outcome) {
    case Outcome::Answered:
        return (video ? tr("Video call · %1") : tr("Audio call · %1")).arg(duration(record.durationMs));
    case Outcome::Missed:
        return video ? tr("Missed video call") : tr("Missed audio call");
    case Outcome::Declined:
        return video ? tr("Declined video call") : tr("Declined audio call");
    case Outcome::Busy:
        return video ? tr("Video call: busy") : tr("Audio call: busy");
    case Outcome::NoAnswer:
        return video ? tr("Video call: no answer") : tr("Audio call: no answer");
    case Outcome::Cancelled:
        return video ? tr("Cancelled video call") : tr("Cancelled audio call");
    case Outcome::Failed:
        return video ? tr("Video call failed") : tr("Audio call failed");
    case Outcome::AnsweredElsewhere:
        return video ? tr("Video call answered on another device")
                     : tr("Audio call answered on another device");
    }
    return {};
}

QString CallPresenter::previewOf(const CallRecord &record)
{
    return (record.video ? QStringLiteral("🎥 ") : QStringLiteral("📞 ")) + recordText(record);
}

} // namespace Natter::Ui
