// SPDX-License-Identifier: GPL-3.0-or-later
#include "CallRecords.h"

#include "Call.h"
#include "CallService.h"
#include "common/Logging.h"
#include "messaging/MessageService.h"

#include <QUuid>

namespace Natter::Core::Calls {

CallRecords::CallRecords(CallService &calls, MessageService &messages, QString accountJid, QObject *parent)
    : QObject(parent)
    , m_messages(messages)
    , m_accountJid(std::move(accountJid))
{
    // A proposal that crossed theirs leaves no line: their call, which took its place, does.
    connect(&calls, &CallService::callEnded, this, [this](Call *call) {
        if (call->endReason() != Call::EndReason::Crossed)
            record(*call);
    });
}

CallRecord CallRecords::recordOf(const Call &call)
{
    using Reason = Call::EndReason;
    using Outcome = CallRecord::Outcome;
    CallRecord record;
    record.video = call.hasVideo();
    if (call.connectedAt().isValid()) {
        record.outcome = Outcome::Answered;
        record.durationMs = call.durationMs();
        return record;
    }
    switch (call.endReason()) {
    case Reason::Declined:
    case Reason::RemoteDeclined:
    case Reason::DeclinedElsewhere:
        record.outcome = Outcome::Declined;
        break;
    case Reason::Busy:
        record.outcome = Outcome::Busy;
        break;
    case Reason::Missed:
        record.outcome = Outcome::Missed;
        break;
    case Reason::NoAnswer:
        record.outcome = Outcome::NoAnswer;
        break;
    case Reason::AnsweredElsewhere:
        record.outcome = Outcome::AnsweredElsewhere;
        break;
    case Reason::Failed:
        record.outcome = Outcome::Failed;
        break;
    case Reason::None:
    case Reason::HungUp:
    case Reason::RemoteHungUp:
    case Reason::Cancelled:
    case Reason::Crossed:
        record.outcome = call.direction() == Call::Direction::Incoming ? Outcome::Missed : Outcome::Cancelled;
        break;
    }
    return record;
}

void CallRecords::record(const Call &call)
{
    const bool outgoing = call.direction() == Call::Direction::Outgoing;
    ChatMessage message;
    message.kind = ChatMessage::Kind::Call;
    message.conversation = {m_accountJid, call.peer()};
    message.direction = outgoing ? ChatMessage::Direction::Outgoing : ChatMessage::Direction::Incoming;
    message.delivery = outgoing ? ChatMessage::Delivery::Received : ChatMessage::Delivery::Sent;
    message.id = QStringLiteral("call-") + call.id();
    message.senderFullJid = outgoing ? m_accountJid : call.peerDevice();
    message.timestamp = call.startedAt();
    message.body = recordOf(call).toBody();
    m_messages.record(message).then(this, [](const Result<ChatMessage> &stored) {
        if (!isOk(stored))
            qCWarning(lcCalls) << "cannot keep the record of a call:" << errorOf(stored).detail;
    });
}

} // namespace Natter::Core::Calls
